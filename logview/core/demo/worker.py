"""The worker: Python logging with tracebacks, stalled from 14:12 to 14:22 until restarted."""

from __future__ import annotations

import numpy as np
import polars as pl

from logview.core.demo.files import _File, _text_file
from logview.core.demo.scenario import (
    WORKER_STALL,
    _arrivals,
    _every_minute,
    _hourly,
    _incident_weight,
    _stamps,
    _us,
)
from logview.core.demo.templates import (
    _events,
    _Pools,
    _render,
    _rows,
    _sorted,
    _table,
    _Template,
    _timeline,
    _variables,
)

_PY_SITE = "/srv/worker/.venv/lib/python3.11/site-packages"
_WORKER_TEMPLATES = _table("""
10  | INFO    | [worker.consumer] Received job {job} from queue {queue}
8   | DEBUG   | [worker.consumer] Acked job {job}
6   | INFO    | [worker.tasks] Job {job} send_order_confirmation for {order} done in {secs} s
4   | INFO    | [worker.tasks] Job {job} generate_invoice_pdf for {order} done in {secs} s
3   | INFO    | [worker.tasks] Job {job} sync_inventory for {sku} done in {secs} s
3   | INFO    | [worker.tasks] Job {job} deliver_webhook for {order} done in {secs} s (HTTP 200)
4   | INFO    | [worker.tasks] Job {job} settle_payment for {order} done in {secs} s
4   | DEBUG   | [worker.email] SMTP session to smtp.mailrelay.example:587 opened in {ms} ms
5   | INFO    | [worker.email] Sent order confirmation for {order} to customer {customer}
3   | INFO    | [worker.storage] Uploaded invoices/{order}.pdf to s3://acme-invoices ({count}4 KiB)
0.5 | WARNING | [worker.tasks] Job {job} deliver_webhook for {order} answered HTTP 500; retry {attempt}/5 in 30 s
0.2 | WARNING | [worker.email] SMTP server answered 451 4.7.1 Try again later for {customer}; will retry
0.5 | INFO    | [worker.reports] Sales report chunk {small}/9 written ({count} rows)
""") + (
    _Template(0.06, "ERROR", f"""\
[worker.tasks] Job {{job}} deliver_webhook for {{order}} failed
Traceback (most recent call last):
  File "/srv/worker/worker/tasks.py", line 214, in deliver_webhook
    response = session.post(url, json=payload, timeout=10)
  File "{_PY_SITE}/requests/sessions.py", line 637, in post
    return self.request("POST", url, data=data, json=json, **kwargs)
  File "{_PY_SITE}/requests/adapters.py", line 507, in send
    raise ConnectTimeout(e, request=request)
requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='hooks.partner.example', port=443): Max retries exceeded with url: /orders (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f{{hex8}}>, 'Connection to hooks.partner.example timed out. (connect timeout=10)'))"""),
    _Template(0.03, "ERROR", """\
[worker.tasks] Job {job} generate_invoice_pdf for {order} failed
Traceback (most recent call last):
  File "/srv/worker/worker/tasks.py", line 172, in generate_invoice_pdf
    html = render_invoice(order)
  File "/srv/worker/worker/invoices.py", line 58, in render_invoice
    vat = VAT_RATES[order["shipping"]["country"]]
KeyError: 'XK'"""),
)  # fmt: skip
_WORKER_INCIDENT = _table("""
3 | WARNING | [worker.tasks] Job {job} settle_payment for {order} slow: waited {secs} s for a database connection
""") + (
    _Template(2, "ERROR", f"""\
[worker.tasks] Job {{job}} settle_payment for {{order}} failed
Traceback (most recent call last):
  File "/srv/worker/worker/tasks.py", line 131, in settle_payment
    with db.session() as session:
  File "/srv/worker/worker/db.py", line 44, in session
    connection = engine.connect()
  File "{_PY_SITE}/sqlalchemy/pool/impl.py", line 169, in _do_get
    raise exc.TimeoutError(
sqlalchemy.exc.TimeoutError: QueuePool limit of size 10 overflow 20 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)"""),
)  # fmt: skip
_WORKER_PERIODIC = _table("""
1 | INFO | [worker.main] heartbeat ok pid=4121 queue_depth={count} in_flight={small}
1 | INFO | [worker.main] heartbeat ok pid=4388 queue_depth={count} in_flight={small}
1 | INFO | [worker.scheduler] Cron cleanup_expired_sessions removed {count} sessions
""")  # fmt: skip
_WORKER_EVENTS = _timeline("""
14:22:03.000 | INFO    | [worker.main] Starting worker pid=4388 (python 3.11.8, concurrency=8)
14:22:03.420 | WARNING | [worker.main] Previous run pid=4121 ended without a clean shutdown
14:22:04.000 | INFO    | [worker.main] Recovered {count} unacknowledged jobs from queue default
""")  # fmt: skip


def _worker_log(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return the worker's log: heartbeats every minute that stop for ten minutes in the incident."""
    variables = _variables(rng, pools)
    restart = _us(_WORKER_EVENTS[0][0])
    beats = _every_minute(rng)
    old_beat, new_beat, cleanup = _WORKER_PERIODIC
    entries = _sorted(
        [
            _render(rng, _arrivals(rng, 4.5), _WORKER_TEMPLATES, variables),
            _render(rng, _arrivals(rng, 6.0, _incident_weight), _WORKER_INCIDENT, variables, 50),
            _rows(old_beat, beats[beats < restart], variables, 100),
            _rows(new_beat, beats[beats >= restart], variables, 101),
            _rows(cleanup, _hourly(rng, 15), variables, 102),
            _events(_WORKER_EVENTS, variables),
        ]
    )
    # The worker hangs: it writes nothing from the stall until systemd restarts it.
    ts = entries["ts"].to_numpy()
    entries = entries.filter(pl.Series((ts < _us(WORKER_STALL[0])) | (ts >= restart)))
    ts = entries["ts"].to_numpy()
    lines = _stamps(ts, "%Y-%m-%d %H:%M:%S,%3f") + " " + entries["level"] + " " + entries["text"]
    return [_text_file("worker/worker.log", lines, ts)]

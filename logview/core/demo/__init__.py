"""A generated support bundle with a findable incident, for first runs, demos and tests.

The bundle is a folder holding what a support engineer typically receives for one ticket:
- `support-bundle-web-01-2026-03-10.tar.gz`: `gateway/access.log` (Nginx combined),
  `orders/orders.log{,.1,.2.gz}` (ISO-stamped text with Java stack traces, rotated by logrotate),
  `payments/payments.log` (JSON lines), `worker/worker.log` (Python logging with tracebacks),
  `var/log/messages` (RFC 3164 syslog, no year in its stamps);
- `logs-insights-results-auth.csv`: a CloudWatch Logs Insights export of the `auth` Lambda.

Two days, 2026-03-09 00:00 to 2026-03-10 23:59 UTC, with diurnal traffic, heartbeats every
minute and hourly cron jobs. On 2026-03-10 from 14:05 to 14:40 UTC the payments database pool is
exhausted: payments latency climbs and new errors appear, the gateway answers 503/504 on
`/api/checkout`, orders retries and logs stack traces, payments fails over to
`db_host=payments-db-2`, and the worker stalls (no heartbeat from 14:12 to 14:22) until systemd
restarts it. Everything is drawn from one seeded generator, vectorised per template, so the same
seed always gives the same bytes.

This module writes the bundle; `scenario` holds the two days and the incident, `templates` the
template machinery and shared identifiers, `files` the tarball, and one module per service
(`gateway`, `orders`, `payments`, `worker`, `syslog_messages`, `auth_insights`) its templates.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from logview.core.demo.auth_insights import _auth_insights_csv
from logview.core.demo.files import BUNDLE_NAME, INSIGHTS_NAME, _File, _tar_gz
from logview.core.demo.gateway import _gateway_log
from logview.core.demo.orders import _orders_logs
from logview.core.demo.payments import _payments_log
from logview.core.demo.scenario import END, _seconds
from logview.core.demo.syslog_messages import _syslog_messages
from logview.core.demo.templates import _Pools
from logview.core.demo.worker import _worker_log
from logview.core.shared.places import cache_root

__all__ = ["BUNDLE_NAME", "DEMO_VERSION", "INSIGHTS_NAME", "demo_path", "write_demo_bundle"]

# Bump when the generated content changes, so demo_path() regenerates instead of reusing.
DEMO_VERSION = 1


def write_demo_bundle(folder: Path, *, seed: int = 7) -> Path:
    """Return `folder` after writing the demo bundle into it (replacing what was there).

    The bundle is built in a temporary sibling and renamed into place, so `folder` is either
    absent, the previous bundle or the complete new one, never half written.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(
        tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".partial")
    )
    os.chmod(building, 0o755)  # mkdtemp makes it private; the bundle is ordinary user data
    try:
        _write_bundle(building, seed)
        _replace_folder(building, folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return folder


def demo_path() -> Path:
    """Return the demo bundle folder in the user's cache, generating it on first use."""
    folder = cache_root() / f"demo-{DEMO_VERSION}"
    if (folder / BUNDLE_NAME).is_file() and (folder / INSIGHTS_NAME).is_file():
        return folder
    try:
        return write_demo_bundle(folder)
    except OSError:
        # Another process may have renamed its bundle into place first: theirs is as good.
        if (folder / BUNDLE_NAME).is_file() and (folder / INSIGHTS_NAME).is_file():
            return folder
        raise


def _replace_folder(new: Path, target: Path) -> None:
    """Rename `new` to `target`, moving an existing `target` aside first and deleting it after."""
    if not target.exists():
        os.rename(new, target)
        return
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
    os.rename(target, old / "bundle")
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old / "bundle", target)
        os.rmdir(old)
        raise
    # The new bundle is in place; a leftover hidden ".old" folder would only cost disk space.
    shutil.rmtree(old, ignore_errors=True)


def _write_bundle(folder: Path, seed: int) -> None:
    """Write the tarball and the Logs Insights CSV into `folder`."""
    pools = _Pools.draw(np.random.default_rng([seed, 0]))
    services: list[Callable[[np.random.Generator, _Pools], list[_File]]] = [
        _gateway_log,
        _orders_logs,
        _payments_log,
        _worker_log,
        _syslog_messages,
    ]
    files: list[_File] = []
    for index, service in enumerate(services, start=1):
        files.extend(service(np.random.default_rng([seed, index]), pools))
    with open(folder / BUNDLE_NAME, "wb") as out:
        out.write(_tar_gz(files))
    insights = _auth_insights_csv(np.random.default_rng([seed, len(services) + 1]), pools)
    (folder / INSIGHTS_NAME).write_bytes(insights.data)
    os.utime(folder / INSIGHTS_NAME, (insights.mtime, insights.mtime))
    os.utime(folder / BUNDLE_NAME, (_seconds(END), _seconds(END)))

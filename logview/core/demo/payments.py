"""The payments service: JSON lines, with the database pool exhausted and a failover."""

from __future__ import annotations

import numpy as np
import polars as pl

from logview.core.demo.files import _File, _text_file
from logview.core.demo.scenario import _arrivals, _every_minute, _hourly, _incident_weight, _stamps
from logview.core.demo.templates import (
    _events,
    _Pools,
    _render,
    _rows,
    _sorted,
    _table,
    _timeline,
    _variables,
)

# Placeholder -> JSON key, and which keys are numbers rather than strings.
_JSON_KEYS = {
    "order": "order_id", "amount": "amount", "card": "method", "pay_ms": "latency_ms",
    "ms": "latency_ms", "db_ms": "wait_ms", "db_host": "db_host", "active": "active",
    "idle": "idle", "waiting": "waiting", "ip": "remote_ip", "count": "entries",
}  # fmt: skip
_JSON_NUMBERS = {"latency_ms", "wait_ms", "active", "idle", "waiting", "entries"}
# weight | level | msg | logger | placeholders also written as fields
_PAYMENT_TEMPLATES = _table("""
12   | INFO  | Charge captured for order {order}: {amount} EUR via {card} | payments.api | order amount card pay_ms
8    | INFO  | Charge authorised | payments.api | order amount pay_ms
10   | INFO  | GET /payments/{order} answered 200 | payments.api | order pay_ms
0.6  | INFO  | Refund issued for order {order}: {amount} EUR | payments.api | order amount pay_ms
0.8  | WARN  | Charge declined for order {order}: card_declined | payments.api | order card pay_ms
0.4  | WARN  | Charge declined for order {order}: insufficient_funds | payments.api | order card pay_ms
0.05 | ERROR | Charge failed for order {order}: PSP answered 502 Bad Gateway | payments.api | order pay_ms
14   | DEBUG | Acquired connection from pool payments-db db_host={db_host} in {db_ms} ms | payments.db | db_host db_ms
6    | INFO  | Fraud score {small}0 for order {order}: accept | payments.fraud | order
0.3  | WARN  | Fraud score 9{small} for order {order}: manual review | payments.fraud | order
5    | INFO  | Webhook charge.succeeded received for order {order} | payments.webhooks | order
5    | DEBUG | Webhook signature verified | payments.webhooks
0.1  | WARN  | Webhook signature mismatch from {ip}; ignored | payments.webhooks | ip
6    | INFO  | Ledger entry written for order {order}: debit {amount} EUR | payments.ledger | order amount
1    | DEBUG | Ledger batch flushed: {count} entries | payments.ledger | count
8    | INFO  | PSP call POST /v1/charges answered 200 in {ms} ms | payments.psp | ms
0.2  | WARN  | PSP call POST /v1/charges answered 429 in {ms} ms; backing off | payments.psp | ms
0.1  | DEBUG | Exchange rates refreshed: EUR/USD 1.0{small}2 | payments.currency
""", 5)  # fmt: skip
_PAYMENT_INCIDENT = _table("""
10 | ERROR | Timeout acquiring connection from pool payments-db after 5000 ms | payments.db | db_host active waiting
3  | WARN  | Connection pool payments-db exhausted (active=50, idle=0, waiting={waiting}) | payments.db | db_host waiting
6  | ERROR | Charge failed for order {order}: could not acquire database connection | payments.api | order pay_ms
3  | WARN  | Request POST /payments/charge took {pay_ms} ms (threshold 1000 ms) | payments.api | pay_ms
""", 5)  # fmt: skip
_PAYMENT_PERIODIC = _table("""
1 | INFO | Pool stats pool=payments-db db_host={db_host} active={active} idle={idle} waiting={waiting} | payments.db | db_host active idle waiting
1 | INFO | Hourly settlement report generated: {count} charges | payments.jobs | count
""", 5)  # fmt: skip
_PAYMENT_EVENTS = _timeline("""
14:23:50.112 | ERROR | Health check failed for db_host=payments-db-1: connection timed out (3 of 3) | payments.db
14:24:10.000 | WARN  | Failing over pool payments-db from db_host=payments-db-1 to db_host=payments-db-2 | payments.db
14:24:12.350 | INFO  | Pool payments-db reconnected to db_host={db_host} | payments.db | db_host
14:40:00.000 | INFO  | Connection pool payments-db healthy again (active=14, idle=36, waiting=0) | payments.db | db_host
""", 5)  # fmt: skip


def _payments_log(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return the payments service's JSON lines: latency climbs, pool errors and a DB failover."""
    variables = _variables(rng, pools)
    stats, settlement = _PAYMENT_PERIODIC
    entries = _sorted(
        [
            _render(rng, _arrivals(rng, 13.0), _PAYMENT_TEMPLATES, variables),
            _render(rng, _arrivals(rng, 30.0, _incident_weight), _PAYMENT_INCIDENT, variables, 50),
            _rows(stats, _every_minute(rng), variables, 100),
            _rows(settlement, _hourly(rng, 30), variables, 101),
            _events(_PAYMENT_EVENTS, variables),
        ]
    )
    ts = entries["ts"].to_numpy()
    entries = entries.with_columns(
        stamp=_stamps(ts, "%Y-%m-%dT%H:%M:%S%.3fZ"), row=pl.int_range(pl.len())
    )
    encoded = []
    # Each template has its own keys: encode per template so absent keys are left out, not null.
    for part in entries.partition_by("template", maintain_order=True):
        names = [n for n in _JSON_KEYS if n in part.columns and part[n].null_count() == 0]
        fields = [
            pl.col(n).cast(pl.Int64 if _JSON_KEYS[n] in _JSON_NUMBERS else pl.String)
            .alias(_JSON_KEYS[n])
            for n in names
        ]  # fmt: skip
        record = pl.struct(
            pl.col("stamp").alias("ts"), "level", "logger", pl.col("text").alias("msg"), *fields
        )
        encoded.append(part.select("row", record.struct.json_encode().alias("line")))
    lines = pl.concat(encoded).sort("row")["line"]
    return [_text_file("payments/payments.log", lines, ts)]

"""The auth Lambda as a CloudWatch Logs Insights CSV export, newest first."""

from __future__ import annotations

import numpy as np
import polars as pl

from logview.core.demo.files import INSIGHTS_NAME, _File
from logview.core.demo.scenario import MINUTE_US, START, US, _arrivals, _stamps, _us
from logview.core.demo.templates import _Pools, _render, _table, _variables

_AUTH_TEMPLATES = _table("""
14   | INFO    | Token validated for {user} (scopes: orders:read orders:write)
5    | INFO    | Issued token for {user}, expires in 3600 s
3    | INFO    | Refreshed token for {user}
1    | WARNING | Token expired for {user}; client must refresh
0.4  | WARNING | Login failed for {user}: invalid password (attempt {attempt} of 5)
0.05 | ERROR   | Invalid signature on token presented from {ip}
""")  # fmt: skip
_LAMBDA_RUNTIME = "INIT_START Runtime Version: python:3.12.v36\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:"


def _auth_insights_csv(rng: np.random.Generator, pools: _Pools) -> _File:
    """Return a Logs Insights CSV export of the auth Lambda: START, app line, END, REPORT per call."""
    variables = _variables(rng, pools)
    start = _arrivals(rng, 0.85)
    n = len(start)
    rid = variables["rid"](start)
    # Five warm containers a day, each with its own log stream.
    day = (start - _us(START)) // (1440 * MINUTE_US)
    streams = pl.Series([f"2026/03/{9 + i // 5:02d}/[$LATEST]" for i in range(10)])
    stream = (streams + variables["hex32"](np.zeros(10))).gather(rng.integers(0, 5, n) + 5 * day)
    took_us = np.round(rng.lognormal(np.log(18_000), 0.5, n)).astype(np.int64)
    took = pl.Series(took_us / 1000).round(2).cast(pl.String)
    billed = pl.Series(np.ceil(took_us / 1000)).cast(pl.Int64).cast(pl.String)
    memory = pl.Series(rng.integers(71, 96, n)).cast(pl.String)
    # Rendered at the START times (sorted, like `rid`), then moved a little later.
    app = _render(rng, start, _AUTH_TEMPLATES, variables)
    app_ts = app["ts"].to_numpy() + rng.integers(800, 3000, n)
    app_iso = _stamps(app_ts, "%Y-%m-%dT%H:%M:%S%.3fZ")
    cold = np.flatnonzero(rng.random(n) < 0.03)

    def rows(ts: np.ndarray, message: pl.Series, streams: pl.Series) -> pl.DataFrame:
        return pl.DataFrame({"ts": ts, "message": message, "stream": streams})

    frame = pl.concat(
        [
            rows(start[cold] - 450_000, _LAMBDA_RUNTIME + variables["hex32"](cold), stream.gather(cold)),
            rows(start, "START RequestId: " + rid + " Version: $LATEST", stream),
            rows(app_ts, "[" + app["level"] + "]\t" + app_iso + "\t" + rid + "\t" + app["text"], stream),
            rows(start + took_us, "END RequestId: " + rid, stream),
            rows(
                start + took_us + 1000,
                "REPORT RequestId: " + rid + "\tDuration: " + took + " ms\tBilled Duration: " + billed
                + " ms\tMemory Size: 256 MB\tMax Memory Used: " + memory + " MB",
                stream,
            ),
        ]
    ).sort("ts", descending=True, maintain_order=True)  # fmt: skip
    # Logs Insights lists the newest first.
    ts = frame["ts"].to_numpy()
    csv = frame.select(
        pl.Series("@timestamp", _stamps(ts, "%Y-%m-%d %H:%M:%S%.3f")),
        pl.col("message").alias("@message"),
        pl.col("stream").alias("@logStream"),
        pl.lit("123456789012:/aws/lambda/auth").alias("@log"),
    ).write_csv()
    return _File(INSIGHTS_NAME, csv.encode(), int(ts.max()) // US + 1)

"""A large generated log bundle for the ingest benchmark, cached under benchmarks/.data/.

    python benchmarks/bundle.py [--lines 2000000] [--seed 1]

writes (or finds) the bundle and prints its files. Two days of logs in four formats:
ISO-stamped application text with Java stack traces, JSON lines, an Nginx combined access
log and year-less syslog; the rotated half of each service is gzipped, as logrotate leaves
it. Lines are built column-wise with polars (a loop runs over templates, never over lines),
so two million lines take a few seconds; the result is cached, keyed by its parameters.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

DATA = Path(__file__).resolve().parent / ".data"
# Bump when the generated content changes, so stale caches are not reused.
GENERATOR_VERSION = 2
MANIFEST = "manifest.json"

DAY1 = datetime(2026, 1, 5, tzinfo=UTC)
DAY2 = datetime(2026, 1, 6, tzinfo=UTC)
DAY3 = datetime(2026, 1, 7, tzinfo=UTC)
US = 1_000_000

# (file, format, share of the lines, first day, gzipped)
LAYOUT = (
    ("app/app.log.1.gz", "text", 0.15, DAY1, True),
    ("app/app.log", "text", 0.20, DAY2, False),
    ("api/events.jsonl.1.gz", "json", 0.10, DAY1, True),
    ("api/events.jsonl", "json", 0.15, DAY2, False),
    ("nginx/access.log.1.gz", "access", 0.10, DAY1, True),
    ("nginx/access.log", "access", 0.15, DAY2, False),
    ("syslog/messages", "syslog", 0.15, DAY1, False),
)
TRACE = (
    "\tat com.example.app.OrderMapper.toDto(OrderMapper.java:57)\n"
    "\tat com.example.app.OrderController.get(OrderController.java:73)\n"
    "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
    "\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)\n"
    "Caused by: java.net.SocketTimeoutException: Read timed out\n"
    "\t... 42 common frames omitted"
)
TRACE_LINES = TRACE.count("\n") + 1
# One entry in TRACE_EVERY carries a stack trace.
TRACE_EVERY = 100
TEXT_TEMPLATES = (
    "Created order ord-{} for customer {}: {} items",
    "GET /orders/{} answered 200 in {} ms",
    "Loaded order {} with {} lines in {} ms",
    "Reserved {} x SKU-{} for order {}",
    "Payment confirmed for order {} in {} ms",
    "Cache miss for SKU-{}, loaded in {} ms",
    "Token accepted for usr-{} (session {})",
    "Slow query ({} ms): SELECT * FROM order_lines WHERE order_id = {}",
    "Published OrderCreated for {} to orders.v1 partition {}",
    "Health UP db=UP kafka=UP payments=UP (checks {} of {})",
)
JSON_MESSAGES = (
    "Charge captured for order {}",
    "Charge authorised in {} ms",
    "Acquired connection from pool payments-db in {} ms",
    "Webhook charge.succeeded received for order {}",
    "Ledger entry written for order {}",
    "PSP call POST /v1/charges answered 200 in {} ms",
)
PATHS = (
    "/api/products?page={}",
    "/api/products/SKU-{}",
    "/api/orders/{}",
    "/api/cart",
    "/static/img/products/SKU-{}.webp",
    "/api/users/{}/addresses",
)
SYSLOG_MESSAGES = (
    "sshd[{}]: Invalid user admin from 81.2.{}.{} port 4022",
    "sshd[{}]: Accepted publickey for deploy from 10.0.8.{} port {} ssh2",
    "CROND[{}]: (root) CMD (run-parts /etc/cron.hourly)",
    "systemd[1]: Started session-{}.scope - Session {} of User deploy.",
    "kernel: [UFW BLOCK] IN=eth0 ID={} SRC=81.2.{}.{} DST=10.0.1.15 PROTO=TCP DPT=23",
)
LEVELS = ("INFO ", "INFO ", "INFO ", "INFO ", "DEBUG", "DEBUG", "WARN ", "ERROR")


def make_bundle(folder: Path = DATA, lines: int = 2_000_000, seed: int = 1) -> list[Path]:
    """Return the bundle's files (at least `lines` lines in all), generating them on first use."""
    target = Path(folder) / f"bundle-l{lines}-s{seed}-v{GENERATOR_VERSION}"
    if (target / MANIFEST).is_file():
        return [target / name for name, *_ in LAYOUT]
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        rng = np.random.default_rng(seed)
        manifest = {}
        shares = sum(share for _, _, share, _, _ in LAYOUT)
        for name, kind, share, day, gzipped in LAYOUT:
            budget = int(np.ceil(lines * share / shares))
            text, count, entries = GENERATORS[kind](rng, budget, day)
            data = (text + "\n").encode()
            path = building / name
            path.parent.mkdir(parents=True, exist_ok=True)
            end = int(day.timestamp() + 86400 * (2 if kind == "syslog" else 1))
            path.write_bytes(gzip.compress(data, 6, mtime=end) if gzipped else data)
            # Year-less syslog stamps take their year from the file's date.
            os.utime(path, (end, end))
            manifest[name] = {
                "format": kind,
                "lines": count,
                "entries": entries,
                "bytes": len(data),
            }
        (building / MANIFEST).write_text(json.dumps(manifest, indent=1))
        os.rename(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return [target / name for name, *_ in LAYOUT]


def manifest(paths: list[Path]) -> dict[str, dict[str, int | str]]:
    """Return what make_bundle wrote for each file: format, lines, entries, uncompressed bytes."""
    folder = next(p for p in paths[0].parents if (p / MANIFEST).is_file())
    return json.loads((folder / MANIFEST).read_text())


def _format(template: str, *columns: pl.Expr) -> pl.Expr:
    """Return `template` with each "{}" replaced by the next column, as one string column."""
    pieces = template.split("{}")
    parts: list[pl.Expr] = [pl.lit(pieces[0])]
    for column, piece in zip(columns, pieces[1:], strict=True):
        parts += [column.cast(pl.String), pl.lit(piece)]
    return pl.concat_str(parts)


def _pick(templates: tuple[str, ...], which: pl.Expr, *columns: pl.Expr) -> pl.Expr:
    """Return each row's template (chosen by `which`) filled with the first columns it needs."""
    chosen = pl.when(False).then(pl.lit(None, pl.String))
    for index, template in enumerate(templates):  # over templates, not rows
        chosen = chosen.when(which == index).then(
            _format(template, *columns[: template.count("{}")])
        )
    return chosen


def _frame(rng: np.random.Generator, rows: int, day: datetime, kinds: int) -> pl.DataFrame:
    """Return `rows` sorted times within the day, a template choice each and random numbers."""
    start = int(day.timestamp()) * US
    return pl.DataFrame(
        {
            "ts": np.sort(rng.integers(start, start + 86400 * US, rows)),
            "kind": rng.integers(0, kinds, rows),
            "a": rng.integers(0, 100_000, rows),
            "b": rng.integers(0, 1000, rows),
            "c": rng.integers(1, 255, rows),
        }
    ).with_columns(pl.col("ts").cast(pl.Datetime("us", "UTC")))


def _text(rng: np.random.Generator, budget: int, day: datetime) -> tuple[str, int, int]:
    """Return ISO-stamped application log text of exactly `budget` lines, with stack traces.

    Like every generator, returns the text, its number of lines and its number of entries.
    """
    traces = budget // (TRACE_EVERY + TRACE_LINES)
    entries = budget - traces * TRACE_LINES
    frame = _frame(rng, entries, day, len(TEXT_TEMPLATES))
    traced = np.zeros(entries, dtype=bool)
    traced[rng.choice(entries, traces, replace=False)] = True
    level = pl.Series(LEVELS).gather(rng.integers(0, len(LEVELS), entries))
    lines = frame.with_columns(traced=traced, level=level).select(
        pl.concat_str(
            pl.col("ts").dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"),
            pl.lit(" "),
            pl.when("traced").then(pl.lit("ERROR")).otherwise("level"),
            pl.lit(" [http-nio-8080-exec-"),
            (pl.col("c") % 40).cast(pl.String),
            pl.lit("] c.e.app.OrderService - "),
            _pick(TEXT_TEMPLATES, pl.col("kind"), pl.col("a"), pl.col("b"), pl.col("c")),
            pl.when("traced").then(pl.lit("\n" + TRACE)).otherwise(pl.lit("")),
        )
    )
    return lines.to_series().str.join("\n").item(), budget, entries


def _json(rng: np.random.Generator, budget: int, day: datetime) -> tuple[str, int, int]:
    """Return JSON lines with ts, level, msg and a few typed fields."""
    frame = _frame(rng, budget, day, len(JSON_MESSAGES))
    level = pl.Series(["info", "info", "info", "debug", "warn", "error"]).gather(
        rng.integers(0, 6, budget)
    )
    lines = frame.with_columns(level=level).select(
        _format(
            '{"ts":"{}","level":"{}","logger":"payments.api","msg":"{}","order_id":"ord-{}",'
            '"latency_ms":{}}',
            pl.col("ts").dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"),
            pl.col("level"),
            _pick(JSON_MESSAGES, pl.col("kind"), pl.col("a")),
            pl.col("a"),
            pl.col("b"),
        )
    )
    return lines.to_series().str.join("\n").item(), budget, budget


def _access(rng: np.random.Generator, budget: int, day: datetime) -> tuple[str, int, int]:
    """Return Nginx combined access log lines."""
    frame = _frame(rng, budget, day, len(PATHS))
    status = pl.Series([200, 200, 200, 200, 304, 404, 500, 503]).gather(rng.integers(0, 8, budget))
    lines = frame.with_columns(status=status).select(
        _format(
            '81.2.{}.{} - - [{}] "GET {} HTTP/1.1" {} {} "-" "Mozilla/5.0 (X11; Linux x86_64; '
            'rv:123.0) Gecko/20100101 Firefox/123.0"',
            pl.col("b") % 256,
            pl.col("c"),
            pl.col("ts").dt.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            _pick(PATHS, pl.col("kind"), pl.col("a")),
            pl.col("status"),
            pl.col("a") // 7,
        )
    )
    return lines.to_series().str.join("\n").item(), budget, budget


def _syslog(rng: np.random.Generator, budget: int, day: datetime) -> tuple[str, int, int]:
    """Return two days of RFC 3164 syslog lines without a year."""
    half = budget // 2
    frames = [_frame(rng, half, day, 5), _frame(rng, budget - half, DAY2, 5)]
    lines = pl.concat(frames).select(
        pl.concat_str(
            pl.col("ts").dt.strftime("%b %e %H:%M:%S"),
            pl.lit(" web-01 "),
            _pick(SYSLOG_MESSAGES, pl.col("kind"), pl.col("a"), pl.col("b") % 256, pl.col("c")),
        )
    )
    return lines.to_series().str.join("\n").item(), budget, budget


GENERATORS = {"text": _text, "json": _json, "access": _access, "syslog": _syslog}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for path in make_bundle(DATA, args.lines, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

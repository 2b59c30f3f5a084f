"""The patterns of a result: the table's pattern ids (mined once for the whole table) counted
over the rows a query returned. A pattern is a filter on the id column, never a re-mine, so
the Patterns tab, `@pattern` in queries and the inspect pane always agree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from logview.core.analysis.histogram import nice_width
from logview.core.analysis.pattern_templates import Template
from logview.core.analysis.patterns import PATTERN, TokenValues, slot_of_line, value_summary
from logview.core.analysis.related import Related, related_patterns
from logview.core.shared.body import body_columns, body_lines

SPARK_BUCKETS = 40
SEVERITY_ORDER = ("FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "NONE")


@dataclass(frozen=True)
class PatternRows:
    """The patterns of a set of rows: one row per pattern, most frequent first."""

    frame: pl.DataFrame  # pattern, template, count, ratio, severity, first, last, spark
    spark_start: datetime | None
    spark_width_us: int


def summarise(
    table: pl.DataFrame,
    ids: pl.Series,
    rows: np.ndarray,
    templates: dict[str, Template],
    *,
    buckets: int = SPARK_BUCKETS,
) -> PatternRows:
    """Return the patterns of table rows `rows` with counts, spans, severity and a sparkline
    (counts per bucket over the rows' time span)."""
    index = pl.Series("row", rows, dtype=pl.UInt32)
    frame = pl.DataFrame(
        {
            PATTERN: ids.gather(index),
            "ts": table["ts"].gather(index),
            "level": table["level"].gather(index).cast(pl.String),
        }
    )
    if frame.height == 0:
        empty = pl.DataFrame(
            schema={
                PATTERN: pl.String,
                "template": pl.String,
                "count": pl.UInt32,
                "ratio": pl.Float64,
                "severity": pl.String,
                "first": pl.Datetime("us", "UTC"),
                "last": pl.Datetime("us", "UTC"),
                "spark": pl.List(pl.UInt32),
            }  # fmt: skip
        )
        return PatternRows(empty, None, 0)
    first, last = frame["ts"].min(), frame["ts"].max()
    width = nice_width(int((last - first).total_seconds() * 1e6) + 1, buckets) if first else 1
    start_us = (int(first.timestamp() * 1e6) // width) * width if first else 0
    n_buckets = (int(last.timestamp() * 1e6) - start_us) // width + 1 if first else 0
    bucket = ((pl.col("ts").dt.epoch("us") - start_us) // width).alias("b")
    per_bucket = (
        frame.drop_nulls("ts")
        .group_by(PATTERN, bucket)
        .len()
        .group_by(PATTERN)
        .agg(pl.col("b"), pl.col("len"))
    )
    sparks = {pid: _dense(b, n, n_buckets) for pid, b, n in per_bucket.iter_rows()}
    stats = (
        frame.group_by(PATTERN)
        .agg(
            pl.len().alias("count"),
            pl.col("ts").min().alias("first"),
            pl.col("ts").max().alias("last"),
            pl.col("level").mode().sort().first().alias("severity"),
        )
        .sort(["count", PATTERN], descending=[True, False])
    )
    total = frame.height
    out = stats.select(
        PATTERN,
        pl.col(PATTERN)
        .replace_strict(
            {pid: t.text for pid, t in templates.items()}, default="", return_dtype=pl.String
        )
        .alias("template"),
        "count",
        (pl.col("count") / total).alias("ratio"),
        pl.col("severity").fill_null("NONE"),
        "first",
        "last",
    ).with_columns(
        spark=pl.Series(
            [sparks.get(pid, [0] * n_buckets) for pid in stats[PATTERN]],
            dtype=pl.List(pl.UInt32),
        )
    )
    start = datetime.fromtimestamp(start_us / 1e6, tz=first.tzinfo) if first else None
    return PatternRows(out, start, width)


def _dense(buckets: list[int], counts: list[int], size: int) -> list[int]:
    out = [0] * size
    for b, n in zip(buckets, counts, strict=True):
        if 0 <= b < size:
            out[b] = n
    return out


def pattern_rows(ids: pl.Series, rows: np.ndarray, pattern_id: str) -> np.ndarray:
    """Return the rows (of `rows`, in their order) that belong to `pattern_id`."""
    picked = ids.gather(pl.Series(rows, dtype=pl.UInt32)) == pattern_id
    return rows[picked.to_numpy()]


def token_values(
    table: pl.DataFrame, rows: np.ndarray, template: Template, *, top: int = 10
) -> tuple[TokenValues, ...]:
    """Return the value counts of each token of `template` over table rows `rows` (all of
    that pattern)."""
    if not template.slots or rows.size == 0:
        return ()
    entries = table.select(body_columns(table)).gather(pl.Series(rows, dtype=pl.UInt32))
    lines = body_lines(entries).to_frame("m")
    columns = lines.select(
        slot_of_line(pl.col("m"), slot).alias(str(slot.number)) for slot in template.slots
    )
    return tuple(value_summary(columns[str(slot.number)], slot, top) for slot in template.slots)


def samples(table: pl.DataFrame, rows: np.ndarray, k: int = 10) -> np.ndarray:
    """Return up to `k` of a pattern's rows spread evenly over them (rows in time order)."""
    if rows.size <= k:
        return rows
    return rows[np.linspace(0, rows.size - 1, k).round().astype(np.int64)]


def related_in(
    table: pl.DataFrame, ids: pl.Series, rows: np.ndarray, *, traces: str | None = None
) -> dict[str, tuple[Related, ...]]:
    """Return the related patterns of every pattern over table rows `rows`."""
    index = pl.Series(rows, dtype=pl.UInt32)
    trace = table[traces].gather(index) if traces else None
    return related_patterns(table["ts"].gather(index), ids.gather(index), traces=trace)


def change_text(record: Mapping[str, Any]) -> str:
    """Return a compared pattern's cell: "40 \u2192 400 up \u00d710", "0 \u2192 12 new"."""
    before, now = record.get("before") or 0, record["count"]
    status = record.get("status") or "steady"
    pct = record.get("change_pct")
    change = ""
    if status in ("up", "down") and pct is not None:
        change = f" {format_change(pct)}"
    return f"{before:,} \u2192 {now:,}  {status}{change}"


def format_change(pct: float) -> str:
    """Return a change in percent as people read it: "+12%", "\u221210%", "\u00d710" from ten
    times as many on (a percentage of a small base says little), "0%" where it rounds to
    nothing."""
    if pct >= 900:
        return f"\u00d7{(100 + pct) / 100:.0f}"
    rounded = round(pct)
    if rounded == 0:
        return "0%"
    return f"+{rounded}%" if rounded > 0 else f"\u2212{-rounded}%"

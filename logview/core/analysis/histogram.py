"""Entries per time bucket and level: the data behind the timeline.

`histogram(table)` counts the stamped rows in a range per bucket of a human width (`nice_width`:
1s, 5m, 1h, ...) and per level, in one lazy pass over the table: the rows are never copied, and
only a small (bucket, level) -> count frame comes back. Bucket starts are multiples of the width
since the epoch, so the same width always gives the same edges whatever the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

from logview.core.shared.table import LEVEL, LEVELS

_MS = 1_000
_S = 1_000_000
_M = 60 * _S
_H = 60 * _M
_D = 24 * _H
_YEAR = 365 * _D

# Bucket widths a person reads at a glance, in microseconds, smallest first.
NICE_WIDTHS: tuple[int, ...] = (
    *(n * _MS for n in (1, 2, 5, 10, 20, 50, 100, 200, 500)),
    *(n * _S for n in (1, 2, 5, 10, 15, 30)),
    *(n * _M for n in (1, 2, 5, 10, 15, 30)),
    *(n * _H for n in (1, 2, 3, 6, 12)),
    *(n * _D for n in (1, 2, 7, 14, 30, 90, 180)),
    # Years, up to widths that cut any span int64 microseconds can hold (~584,000 years).
    *(n * _YEAR for n in (1, 2, 5, 10, 100, 1_000, 10_000)),
)
# Bucket index and level share one Int64 group key: bucket * LEVEL_SLOTS + level index.
_LEVEL_SLOTS = 8
_NONE_INDEX = LEVELS.index("NONE")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Histogram:
    """Entry counts per time bucket and level.

    `starts` are the bucket starts (int64 microseconds since the epoch, ascending, one every
    `width_us`), `counts` maps every level in LEVELS order to its int64 count per bucket, and
    `total` is the number of entries counted.
    """

    starts: np.ndarray
    width_us: int
    counts: dict[str, np.ndarray]
    total: int

    @property
    def totals(self) -> np.ndarray:
        """Return the count of entries per bucket, all levels together."""
        if not self.counts:
            return np.zeros(len(self.starts), dtype=np.int64)
        return np.sum(list(self.counts.values()), axis=0, dtype=np.int64)


def nice_width(span_us: int, buckets: int = 120) -> int:
    """Return the bucket width (µs) from NICE_WIDTHS that cuts `span_us` into about `buckets`.

    The width is the smallest whose buckets, counted from an edge aligned on the width, number
    at most `buckets * 1.5` (so between about `buckets / 2` and `buckets * 1.5`).
    """
    limit = _bucket_limit(buckets)
    span_us = max(int(span_us), 0)
    for width in NICE_WIDTHS:
        if span_us <= width * limit:
            return width
    return NICE_WIDTHS[-1]  # no stamps span this far: int64 microseconds end first


def histogram(
    table: pl.DataFrame | pl.LazyFrame,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    where: pl.Expr | None = None,
    buckets: int = 120,
) -> Histogram:
    """Return the counts per bucket and level of `table`'s rows stamped in [start, end) that
    satisfy `where`.

    Without `start` or `end` the range is the data's own: from its first stamp to its last,
    that last one included. Rows without a stamp are not counted. Naive datetimes are taken as
    UTC. The width is `nice_width` of the range, and the buckets run from the range's start
    floored to a multiple of the width up to the bucket holding the range's last moment. With
    no row to count, the buckets are all zero over [start, end) when both are given, and there
    are none otherwise.
    """
    start_us = None if start is None else _micros(start)
    end_us = None if end is None else _micros(end)
    stamp = pl.col("ts").dt.epoch("us")
    frame = table.lazy().filter(pl.col("ts").is_not_null())
    if start_us is not None:
        frame = frame.filter(stamp >= start_us)
    if end_us is not None:
        frame = frame.filter(stamp < end_us)
    if where is not None:
        frame = frame.filter(where)

    # Width and origin are computed inside the query from the range (the data's min and max
    # where a bound is missing), so the whole histogram is one pass and one collect.
    low = pl.lit(start_us, pl.Int64) if start_us is not None else stamp.min()
    high = pl.lit(end_us, pl.Int64) if end_us is not None else stamp.max() + 1
    width = _width_expr(high - low, buckets)
    origin = low.floordiv(width) * width
    level = pl.col("level").cast(LEVEL).to_physical().cast(pl.Int64).fill_null(_NONE_INDEX)
    key = (stamp - origin).floordiv(width) * _LEVEL_SLOTS + level
    found = frame.select(
        key.alias("key").value_counts(sort=False, name="n").alias("cell"),
        width.alias("width"),
        origin.alias("origin"),
        high.alias("high"),
    ).collect()

    if found.height == 0 or found["width"][0] is None:
        return _empty(start_us, end_us, buckets)
    width_us, origin_us, high_us = (int(found[c][0]) for c in ("width", "origin", "high"))
    cells = found["cell"].struct.unnest()
    keys = cells["key"].to_numpy()
    n = cells["n"].to_numpy().astype(np.int64)
    count = (high_us - 1 - origin_us) // width_us + 1
    grid = np.bincount(keys, weights=n, minlength=count * _LEVEL_SLOTS)
    grid = grid.astype(np.int64).reshape(count, _LEVEL_SLOTS)
    return Histogram(
        starts=origin_us + np.arange(count, dtype=np.int64) * width_us,
        width_us=width_us,
        counts={name: grid[:, i].copy() for i, name in enumerate(LEVELS)},
        total=int(n.sum()),
    )


def to_datetime(micros: int) -> datetime:
    """Return microseconds since the epoch as an aware UTC datetime."""
    return _EPOCH + timedelta(microseconds=int(micros))


def _micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _bucket_limit(buckets: int) -> int:
    # An unaligned range can touch one bucket more than span / width: keep that one in the limit.
    return max(int(buckets * 1.5) - 1, 1)


def _width_expr(span: pl.Expr, buckets: int) -> pl.Expr:
    """Return `nice_width(span, buckets)` as a polars expression (the same rule, on a scalar).

    A lookup (search_sorted) rather than a when/then chain: polars shares one min and max
    between the few uses of `span` here, not between the branches of a chain (3x slower).
    """
    limit = _bucket_limit(buckets)
    caps = pl.lit(pl.Series([min(w * limit, _INT64_MAX) for w in NICE_WIDTHS], dtype=pl.Int64))
    widths = pl.lit(pl.Series(NICE_WIDTHS, dtype=pl.Int64))
    # The last width spans more than any stamp range, so the clip never changes a result.
    index = caps.search_sorted(span, side="left").clip(0, len(NICE_WIDTHS) - 1)
    return widths.gather(index)


def _empty(start_us: int | None, end_us: int | None, buckets: int) -> Histogram:
    """Return the histogram of no rows: zero buckets over [start, end) when both are given,
    else no buckets at all (a range taken from the data has nothing to span)."""
    if start_us is None or end_us is None or end_us <= start_us:
        starts = np.zeros(0, dtype=np.int64)
        width = nice_width(0, buckets)
    else:
        width = nice_width(end_us - start_us, buckets)
        origin = start_us // width * width
        starts = np.arange(origin, end_us, width, dtype=np.int64)
    return Histogram(
        starts=starts,
        width_us=width,
        counts={name: np.zeros(len(starts), dtype=np.int64) for name in LEVELS},
        total=0,
    )

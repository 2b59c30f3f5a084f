"""The histogram: entries per time bucket and level, for the timeline."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from logview.core.analysis.histogram import (
    NICE_WIDTHS,
    Histogram,
    histogram,
    nice_width,
    to_datetime,
)
from logview.core.shared.table import LEVELS, SCHEMA, empty_table

S = 1_000_000
M = 60 * S
H = 60 * M
D = 24 * H
T0 = datetime(2026, 3, 9, tzinfo=UTC)


def table(stamps: list[datetime | None], levels: list[str], **extra: list) -> pl.DataFrame:
    """Return a shared-schema table of these stamps and levels (one source, in row order)."""
    n = len(stamps)
    return pl.DataFrame(
        {
            "ts": stamps,
            "level": levels,
            "source": ["app.log"] * n,
            "line": list(range(1, n + 1)),
            "message": [f"entry {i}" for i in range(n)],
            "seq": list(range(n)),
            **extra,
        },
        schema_overrides={**SCHEMA, **{k: pl.String for k in extra}},
    )


def generated(n: int = 5_000, seed: int = 3) -> pl.DataFrame:
    """Return `n` entries over two days in random order, a few without a stamp, in two chunks."""
    rng = np.random.default_rng(seed)
    offsets = rng.integers(0, 2 * D, n)
    stamps = [T0 + timedelta(microseconds=int(o)) for o in offsets]
    for i in rng.choice(n, 50, replace=False):
        stamps[i] = None
    levels = [LEVELS[i] for i in rng.integers(0, len(LEVELS), n)]
    half = n // 2
    first = table(stamps[:half], levels[:half], user=[f"u{i % 7}" for i in range(half)])
    second = table(stamps[half:], levels[half:], user=[f"u{i % 7}" for i in range(half, n)])
    return pl.concat([first, second], rechunk=False)


def plain_counts(h: Histogram, rows: list[tuple[datetime | None, str]]) -> dict[str, list[int]]:
    """Return the histogram's cells counted one row at a time, the slow obvious way."""
    cells: Counter = Counter()
    for ts, level in rows:
        if ts is None:
            continue
        micros = (ts - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
        cells[(micros - int(h.starts[0])) // h.width_us, level] += 1
    return {lv: [cells[(b, lv)] for b in range(len(h.starts))] for lv in LEVELS}


def as_lists(h: Histogram) -> dict[str, list[int]]:
    return {level: counts.tolist() for level, counts in h.counts.items()}


def test_counts_per_level_match_a_row_by_row_count():
    data = generated()
    h = histogram(data)
    assert as_lists(h) == plain_counts(h, list(zip(data["ts"], data["level"], strict=True)))
    assert h.total == data["ts"].is_not_null().sum()
    assert list(h.counts) == list(LEVELS)


def test_buckets_are_contiguous_aligned_and_cover_the_data():
    data = generated()
    h = histogram(data, buckets=120)
    assert h.width_us == nice_width(2 * D, 120) == 30 * M
    assert np.all(np.diff(h.starts) == h.width_us)
    assert h.starts[0] % h.width_us == 0
    first, last = data["ts"].min(), data["ts"].max()
    assert to_datetime(h.starts[0]) <= first < to_datetime(h.starts[0] + h.width_us)
    assert to_datetime(h.starts[-1]) <= last < to_datetime(h.starts[-1] + h.width_us)
    assert h.counts["INFO"].dtype == np.int64
    assert h.totals.sum() == h.total


def test_the_last_entry_is_counted_when_the_range_comes_from_the_data():
    stamps = [T0, T0 + timedelta(minutes=10)]  # the max falls exactly on a bucket edge
    h = histogram(table(stamps, ["INFO", "ERROR"]))
    assert h.total == 2
    assert h.counts["ERROR"][-1] == 1


def test_range_bounds_are_start_inclusive_and_end_exclusive():
    stamps = [T0 + timedelta(hours=h) for h in range(10)]
    data = table(stamps, ["INFO"] * 10)
    h = histogram(data, start=T0 + timedelta(hours=2), end=T0 + timedelta(hours=5))
    assert h.total == 3  # hours 2, 3 and 4
    assert to_datetime(h.starts[0]) == T0 + timedelta(hours=2)
    assert to_datetime(h.starts[-1] + h.width_us) == T0 + timedelta(hours=5)
    assert h.width_us == nice_width(3 * H)


def test_a_start_between_edges_is_floored_to_the_width():
    data = table([T0 + timedelta(minutes=m) for m in range(0, 600, 7)], ["WARN"] * 86)
    start = T0 + timedelta(hours=1, minutes=3, seconds=20)
    h = histogram(data, start=start, end=T0 + timedelta(hours=5))
    assert h.starts[0] % h.width_us == 0
    assert to_datetime(h.starts[0]) <= start < to_datetime(h.starts[0] + h.width_us)
    expected = sum(
        1 for m in range(0, 600, 7) if start <= T0 + timedelta(minutes=m) < T0 + timedelta(hours=5)
    )
    assert h.total == expected


def test_only_a_start_or_only_an_end_takes_the_other_bound_from_the_data():
    data = table([T0 + timedelta(hours=h) for h in range(10)], ["INFO"] * 10)
    assert histogram(data, start=T0 + timedelta(hours=7)).total == 3
    assert histogram(data, end=T0 + timedelta(hours=7)).total == 7


def test_naive_bounds_are_utc():
    data = table([T0 + timedelta(hours=h) for h in range(10)], ["INFO"] * 10)
    naive = histogram(data, start=datetime(2026, 3, 9, 2), end=datetime(2026, 3, 9, 5))
    assert naive.total == 3


def test_where_narrows_the_rows_counted():
    data = generated()
    h = histogram(data, where=pl.col("user") == "u3")
    rows = data.filter(pl.col("user") == "u3")
    assert as_lists(h) == plain_counts(h, list(zip(rows["ts"], rows["level"], strict=True)))
    assert 0 < h.total < data.height


def test_a_lazy_frame_is_accepted():
    data = generated(500)
    assert as_lists(histogram(data.lazy())) == as_lists(histogram(data))


def test_rows_without_a_stamp_are_not_counted():
    data = table([None, T0, None, T0 + timedelta(seconds=30)], ["ERROR", "INFO", "ERROR", "INFO"])
    h = histogram(data)
    assert h.total == 2
    assert h.counts["ERROR"].sum() == 0


def test_an_empty_table_has_no_buckets():
    h = histogram(empty_table())
    assert h.starts.size == 0 and h.total == 0
    assert all(counts.size == 0 for counts in h.counts.values())
    assert list(h.counts) == list(LEVELS)


def test_a_table_with_no_stamps_has_no_buckets():
    h = histogram(table([None, None], ["INFO", "ERROR"]))
    assert h.starts.size == 0 and h.total == 0


def test_an_explicit_range_with_nothing_in_it_has_zero_buckets_over_the_range():
    data = table([T0], ["INFO"])
    h = histogram(data, start=T0 + timedelta(days=1), end=T0 + timedelta(days=2))
    assert h.total == 0
    assert h.starts.size > 0 and all(counts.sum() == 0 for counts in h.counts.values())
    assert to_datetime(h.starts[0]) == T0 + timedelta(days=1)
    assert to_datetime(h.starts[-1] + h.width_us) == T0 + timedelta(days=2)


def test_a_single_entry_has_one_bucket():
    h = histogram(table([T0], ["FATAL"]))
    assert h.starts.size == 1 and h.counts["FATAL"].tolist() == [1]


def test_a_level_column_of_text_is_read_as_levels():
    data = table([T0, T0], ["WARN", "INFO"]).with_columns(pl.col("level").cast(pl.String))
    assert histogram(data).counts["WARN"].tolist() == [1]


def test_stamps_before_the_epoch_are_bucketed_by_floor():
    early = datetime(1969, 12, 31, 23, 59, 30, tzinfo=UTC)
    h = histogram(table([early, early + timedelta(seconds=45)], ["INFO", "INFO"]))
    assert h.total == 2
    assert to_datetime(h.starts[0]) <= early


@pytest.mark.parametrize(
    ("span", "width"),
    [
        (0, NICE_WIDTHS[0]),
        (60 * S, 500_000),
        (2 * M, 1 * S),
        (2 * H, 1 * M),
        (10 * H, 5 * M),
        (24 * H, 10 * M),
        (2 * D, 30 * M),
        (7 * D, 1 * H),
        (30 * D, 6 * H),
        (365 * D, 7 * D),
    ],
)
def test_nice_widths_are_human_and_give_about_the_asked_buckets(span, width):
    assert nice_width(span, 120) == width


@pytest.mark.parametrize("span", [1, 999, 37 * S, 17 * M, 5 * H + 3, 3 * D, 400 * D, 50 * 365 * D])
@pytest.mark.parametrize("buckets", [10, 60, 120, 300])
def test_nice_width_never_gives_more_than_half_again_the_buckets(span, buckets):
    width = nice_width(span, buckets)
    aligned_worst = (span + width - 1) // width + 1  # an unaligned start can touch one more
    assert aligned_worst <= buckets * 1.5
    smaller = [w for w in NICE_WIDTHS if w < width]
    if smaller:  # and the next smaller width would give too many
        assert span / smaller[-1] > int(buckets * 1.5) - 1


def test_the_histogram_width_is_nice_width_of_the_range():
    for hours in (1, 5, 30, 200):
        stamps = [T0, T0 + timedelta(hours=hours)]
        h = histogram(table(stamps, ["INFO", "INFO"]))
        assert h.width_us == nice_width(hours * H + 1)
        assert len(h.starts) <= 180

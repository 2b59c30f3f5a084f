"""Entries to the shapes the pattern engine mines: each entry's mined line (the first line of
its body, normalised) and its shape (that line with its values masked), read a slice of the
table at a time so that only the distinct shapes, and an 8-byte key per entry, outlive the
slice (a copy of every message, twice, held for the whole table cost 2 GiB at 10M entries)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from logview.core.analysis.masking import WILDCARD, mask
from logview.core.shared.body import line_columns, route_mask

# Request shapes are keyed apart from text shapes: they start with this character, which
# `first_line` leaves in no text line's shape but one whose text starts with it (a NUL byte
# would then be read as a request's exact shape: harmless).
REQUEST = "\x00"

# Entries read at a time. On the 10M-line benchmark bundle, mining in slices of 500,000
# took 4.4-4.6 s and 0.7-0.8 GiB over the table; in one pass over the whole table, 4.4-5.0 s
# and 1.5 GiB (paired runs).
SLICE_ROWS = 500_000


def lines_of(rows: pl.DataFrame | pl.Series) -> pl.DataFrame:
    """Return the mined `line` of each entry (and `request` where some are requests)."""
    lines = line_columns(rows)
    return lines if lines["request"].any() else lines.drop("request")


def shapes_of(lines: pl.DataFrame) -> pl.DataFrame:
    """Return the `shape` of each line: its masked text, or for a request its method, route and
    a wildcard for the status (`REQUEST` first). Each kind is made on its own rows only."""
    if "request" not in lines.columns:
        return lines.select(shape=mask(pl.col("line")))
    numbered = lines.lazy().with_row_index("_row")
    requests = numbered.filter(pl.col("request")).select(
        "_row", pl.col("line").str.splitn(" ", 3).struct.unnest()
    )
    request = pl.concat_str(
        [
            pl.lit(REQUEST) + pl.col("field_0"),
            route_mask(pl.col("field_1"), WILDCARD),
            pl.lit(WILDCARD),
        ],
        separator=" ",
    )
    return (
        pl.concat(
            [
                numbered.filter(~pl.col("request")).select("_row", shape=mask(pl.col("line"))),
                requests.select("_row", shape=request),
            ]
        )
        .sort("_row")
        .drop("_row")
        .collect()
    )


@dataclass(frozen=True)
class Shapes:
    """What mining needs of the entries: each one's shape key, the distinct shapes and the
    first lines of each shape (to name its template's values)."""

    keys: pl.Series  # UInt64: the hash of each entry's shape, in order
    distinct: pl.DataFrame  # _key, shape, len (entries)
    firsts: pl.DataFrame  # row, _key, line: the first `first` lines of each shape, by row


def read_shapes(
    rows: pl.DataFrame | pl.Series,
    first: int,
    report: Callable[[float, str], None],
    *,
    slice_rows: int = SLICE_ROWS,
) -> Shapes:
    """Return the Shapes of `rows` (the table or rows of it, or plain messages), telling
    `report` the share read before each slice.

    Entries are grouped by a 64-bit hash of their shape: grouping and joining millions of
    strings cost five times as much. (Two of the few thousand distinct shapes of a source
    sharing a hash is a chance of about 1 in 10^11.)"""
    n = len(rows)
    keys, distinct, firsts = [], [], []
    for start in range(0, n, slice_rows) if n else [0]:
        report(start / n if n else 0.0, f"reading and masking entries: {start:,} of {n:,}")
        lines = lines_of(_in_chunks(rows[start : start + slice_rows], pl.thread_pool_size()))
        shapes = shapes_of(lines).with_columns(_key=pl.col("shape").hash())
        keys.append(shapes["_key"])
        distinct.append(shapes.group_by("_key").agg(pl.col("shape").first(), pl.len()))
        firsts.append(
            pl.DataFrame({"_key": shapes["_key"], "line": lines["line"]})
            .with_row_index("row", offset=start)
            .group_by("_key", maintain_order=True)
            .head(first)
        )
        del lines, shapes
    return merged_shapes(keys, distinct, firsts, first)


def merged_shapes(
    keys: list[pl.Series], distinct: list[pl.DataFrame], firsts: list[pl.DataFrame], first: int
) -> Shapes:
    """Return the Shapes of parts of the entries read one after another (slices of a table, or
    its sources shaped elsewhere), given in the entries' order, their `firsts` rows numbered in
    the whole: the keys in order, the distinct shapes summed, the first `first` lines of each."""
    return Shapes(
        pl.concat(keys),
        pl.concat(distinct).group_by("_key").agg(pl.col("shape").first(), pl.col("len").sum()),
        pl.concat(firsts).group_by("_key", maintain_order=True).head(first).sort("row"),
    )


def _in_chunks(rows: pl.DataFrame | pl.Series, n: int) -> pl.DataFrame | pl.Series:
    """Return `rows` as `n` chunks of about the same size: polars runs a string pass on a
    column's chunks at once, and a slice inside one source's chunk on one thread (mining the
    10M-line bundle took 6.0 s in such slices, 4.5 s in slices cut in two on two cores)."""
    size = -(-len(rows) // max(n, 1))
    if n < 2 or len(rows) < 2 * n:
        return rows
    return pl.concat([rows.slice(i, size) for i in range(0, len(rows), size)], rechunk=False)

"""A parser's frame made a table's rows: the table's column types, the source, the clock
offset, and each entry's level by the one order of rules (`conform`). Ingest and following
both read sources through it.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from logview.core.reading import header, level_words, levels
from logview.core.shared.table import (
    BODY_COLUMNS,
    LEVEL_INFERRED,
    PARSED_SCHEMA,
    TS,
    extra_dtype,
)


def conform(
    parsed: pl.DataFrame,
    source: str,
    offset: timedelta,
    *,
    infer_levels: bool,
    words: bool = True,
) -> pl.DataFrame:
    """Return a parser's frame with the table's column types, its source and its clock offset.

    The level is, in order: for formats that read levels from the text (`infer_levels` false:
    plain text, syslog), the level word at the place the source's header keeps it
    (`header.split`), in any case, before an upper-case word the parser found further on; the
    parser's; with `infer_levels`, a level form in the text, found the way plain text finds it
    (a Lambda's `[ERROR]` inside a CloudWatch export's message), and without, the level word
    that opens the second line of an entry whose first has none (`levels.level_of_second_line`);
    last, with `words`, for entries still without one, the level the words of their body say
    (`level_words.inferred_from_words`), with LEVEL_INFERRED true on those entries (the column
    exists only when some entry has one).
    """
    extras = [
        c
        for c in parsed.columns
        if c not in PARSED_SCHEMA and c not in BODY_COLUMNS and c != header.HEADER_LEVEL
    ]
    ts = pl.col("ts").cast(TS)
    if offset:
        ts = ts + pl.lit(offset)
    level = _levels(parsed, infer_levels=infer_levels)
    inferred = None
    if words and level.null_count():
        level, inferred = _inferred_levels(parsed, level)
    return parsed.select(
        ts.alias("ts"),
        levels.to_enum(pl.lit(level)).alias("level"),
        pl.lit(source, dtype=pl.Categorical()).alias("source"),
        pl.col("line").cast(pl.UInt64),
        pl.col("message").cast(pl.String),
        *[
            (pl.col(c) if c in parsed.columns else pl.lit(None)).cast(dtype).alias(c)
            for c, dtype in BODY_COLUMNS.items()
        ],
        *[pl.col(c).cast(extra_dtype(c)) for c in extras],
        *([pl.lit(inferred).alias(LEVEL_INFERRED)] if inferred is not None else []),
    )


def _levels(parsed: pl.DataFrame, *, infer_levels: bool) -> pl.Series:
    """Return the level names of a parsed frame's entries from their format and header (see
    `conform`), null where none."""
    level = pl.col("level").cast(pl.String)
    if header.HEADER_LEVEL in parsed.columns and not infer_levels:
        level = pl.coalesce(pl.col(header.HEADER_LEVEL), level)
    found = parsed.select(level.alias("level")).to_series()
    if not found.null_count():
        return found
    if infer_levels:
        return found.fill_null(levels.level_from_text(parsed["message"].cast(pl.String)))
    # An entry of several lines whose first has no level may say it on its second
    # (java.util.logging's `SEVERE: ...`).
    missing = found.is_null() & parsed["message"].str.contains("\n", literal=True)
    if missing.any():
        second = levels.level_of_second_line(parsed["message"].filter(missing))
        found = found.scatter(missing.arg_true(), second)
    return found


def _inferred_levels(parsed: pl.DataFrame, level: pl.Series) -> tuple[pl.Series, pl.Series | None]:
    """Return `level` with the entries that have none given the one their body's words say,
    and which entries got one that way (true; null elsewhere), or None when none did."""
    missing = level.is_null()
    message = parsed["message"].cast(pl.String)
    body_at = parsed[header.BODY_AT] if header.BODY_AT in parsed.columns else None
    some_have_one = not missing.all()
    if some_have_one:  # only the entries without a level are read (a filter copies them)
        message = message.filter(missing)
        body_at = body_at.filter(missing) if body_at is not None else None
    found = level_words.inferred_from_words(message, body_at)
    if found.null_count() == found.len():
        return level, None
    combined = level.scatter(missing.arg_true(), found) if some_have_one else found
    marked = (combined.is_not_null() & missing).replace(False, None).rename(LEVEL_INFERRED)
    return combined, marked

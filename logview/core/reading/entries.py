"""Lines into entries: continuation lines (stack traces, indented lines) join the entry above."""

from __future__ import annotations

import polars as pl

from logview.core.reading.lines import truncated

# An entry never holds more than this many characters in memory; the rest is replaced by a
# marker, so one runaway "line" (a 2 GB minified blob) cannot exhaust a laptop.
MAX_ENTRY_CHARS = 4 * 1024 * 1024
# A run of continuation lines longer than this starts a new entry, so a file whose only stamp
# is on its first line does not become one giant entry.
MAX_LINES_PER_ENTRY = 10_000


# The reader's marker (`lines.truncated`), around a count polars computes per row.
_BEFORE, _AFTER = truncated("\x00").split("\x00")


def cap_text(expr: pl.Expr, limit: int = MAX_ENTRY_CHARS) -> pl.Expr:
    """Return `expr` cut to `limit` characters, with a marker saying how much was dropped."""
    n = expr.str.len_chars()
    return (
        pl.when(n > limit)
        .then(
            expr.str.slice(0, limit)
            + pl.lit(_BEFORE)
            + (n - limit).cast(pl.String)
            + pl.lit(" more characters" + _AFTER)
        )
        .otherwise(expr)
    )


def _capped(frame: pl.DataFrame, limit: int = MAX_ENTRY_CHARS) -> pl.DataFrame:
    """Return `frame` with its `text` capped (`cap_text`); as is when no text can be too long."""
    # A text of at most `limit` bytes has at most `limit` characters: one cheap pass decides.
    if not frame.select((pl.col("text").str.len_bytes() > limit).any()).item():
        return frame
    return frame.with_columns(text=cap_text(pl.col("text"), limit))


def join_continuations(lines: pl.DataFrame, is_start: pl.Expr) -> pl.DataFrame:
    """Return one row per entry: a start line plus the continuation lines after it.

    `lines` has `line` (1-based number) and `text`, plus any per-line columns (parsed from
    the start line; their values on continuation lines are ignored). Lines before the first
    start form an entry of their own, unless they are all blank (a file that opens with empty
    lines: they hold nothing to show). The entry keeps the first line's number and columns,
    and its `text` is its lines joined with "\\n".
    """
    if lines.height == 0:
        return lines
    start = lines.select(is_start.fill_null(False)).to_series()
    first = start.arg_max() if start.any() else 0
    if first and not lines["text"].head(first).str.contains(r"\S").any():
        lines, start = lines.slice(first), start.slice(first)
    pos = pl.int_range(pl.len(), dtype=pl.UInt32)
    marked = lines.with_columns(_start=pl.lit(start) | (pos == 0))
    starts = marked["_start"].arg_true()
    # Break runaway runs of continuation lines into entries of at most MAX_LINES_PER_ENTRY
    # (only needed when some run between starts is that long).
    bounds = pl.concat([starts, pl.Series([lines.height], dtype=starts.dtype)])
    longest = bounds.diff().max()
    if longest is not None and longest > MAX_LINES_PER_ENTRY:
        run = pl.col("_start").cum_sum()
        since = pos - pos.filter(pl.col("_start")).gather(run - 1)
        marked = marked.with_columns(_start=pl.col("_start") | ((since % MAX_LINES_PER_ENTRY) == 0))
        starts = marked["_start"].arg_true()
    if starts.len() == lines.height:
        return _capped(lines)
    # Entries take their start line's columns; only entries that really span several lines
    # go through the (slower) group-by, and their joined text replaces the start line's.
    marked = marked.with_columns(_entry=pl.col("_start").cum_sum())
    in_multi = ~pl.col("_start") | ~pl.col("_start").shift(-1, fill_value=True)
    joined = (
        marked.filter(in_multi)
        .group_by("_entry", maintain_order=True)
        .agg(text=pl.col("text").str.join("\n"))
    )
    entries = lines.filter(marked["_start"])
    text = entries["text"].scatter(joined["_entry"].cast(pl.Int64) - 1, joined["text"])
    return _capped(entries.with_columns(text=text))

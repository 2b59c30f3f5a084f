"""The shared table: its schema, and its time order.

The table keeps each source's entries together, in the order the source holds them, and
carries the merged time order in `seq` (the entry's 0-based position in time order, stable
within equal stamps). Materialising the merge would cost 16 bytes per row for every extra
column, including the columns of other sources where the row has no value: with a few dozen
structured sources' fields over millions of rows that is gigabytes of nulls. Views and results
are row sets ordered by `seq` instead (`time_ordered`, `time_order`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE")
LEVEL = pl.Enum(LEVELS)
TS = pl.Datetime("us", "UTC")
CORE_COLUMNS = ("ts", "level", "source", "line", "message", "seq", "body_at", "body_kind")
# Columns for the program, never shown, queried by name or exported: the time order, and where
# each entry's body starts and what kind it is (`logview.core.shared.body`).
INTERNAL_COLUMNS = ("seq", "body_at", "body_kind")

SCHEMA = {
    "ts": TS,
    "level": LEVEL,
    "source": pl.Categorical(),
    "line": pl.UInt64,
    "message": pl.String,
    "seq": pl.UInt32,
}


def empty_table() -> pl.DataFrame:
    """Return a table with the core columns and no rows."""
    return pl.DataFrame(schema=SCHEMA)


def time_ordered(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the rows of `frame` (the table or any subset of it) in time order.

    This copies every column: use it for results of a size a person reads or exports, and
    `time_order` (row positions) for views over the whole table.
    """
    return frame.sort("seq") if "seq" in frame.columns else frame


def time_order(frame: pl.DataFrame) -> pl.Series:
    """Return the row positions of `frame` in time order (UInt32), without copying rows."""
    return frame["seq"].arg_sort().cast(pl.UInt32).rename("row")


def stable_order(keys: pl.Series) -> np.ndarray:
    """Return the positions of `keys` (stamps, or their Int64 microseconds) in stable time
    order, nulls last: the one merge of ingest (sources into the table) and following (new
    lines into it).

    numpy's stable sort (a merge of the sorted runs it finds, which is what sources mostly
    are) needs half the memory polars' sort takes here, and the merge is where ingest peaks.
    """
    values = keys.to_physical().fill_null(np.iinfo(np.int64).max).to_numpy()
    return np.argsort(values, kind="stable")


def source_names(table: pl.DataFrame) -> list[str]:
    """Return the distinct values of the table's source column (none without one)."""
    if "source" not in table.columns:
        return []
    return table["source"].unique().drop_nulls().cast(pl.String).to_list()


def merged_order(stamps: Sequence[pl.Series]) -> pl.Series:
    """Return `seq` for sources with these stamps put one after another: each row's position
    in their stable time order. An entry without a stamp keeps its place after the stamped
    entry before it in its own source (its key is the last stamp above it, or the first below
    it at the top); sources with no stamp at all come last, in their order."""
    key = pl.concat(
        [
            s
            if not s.null_count()
            else s.fill_null(strategy="forward").fill_null(strategy="backward")
            for s in stamps
        ],
        rechunk=True,
    )
    if key.is_sorted(nulls_last=True):
        return pl.int_range(key.len(), dtype=pl.UInt32, eager=True)
    order = stable_order(key)
    position = np.empty(len(order), dtype=np.uint32)
    position[order] = np.arange(len(order), dtype=np.uint32)
    return pl.Series("seq", position, dtype=pl.UInt32)


def empty_parsed() -> pl.DataFrame:
    """Return a parsed frame (what a format parser returns) with no rows."""
    return pl.DataFrame(schema=PARSED_SCHEMA)


# What every format parser returns: core columns except `source` (added by ingest), `level`
# as normalised text or null, plus any extra String columns. A parser may add `body_at` (where
# the body starts after the header it read) and `body_kind` (logview.core.shared.body).
PARSED_SCHEMA = {"ts": TS, "level": pl.String, "line": pl.UInt64, "message": pl.String}
# Ingest's table has them after SCHEMA's columns; a table without them (a test's, an export's)
# has every body at its message's start.
BODY_COLUMNS = {"body_at": pl.UInt32, "body_kind": pl.UInt8}
# The parts of a line's header (logview.core.reading.header), whatever format gave them: a few values
# over many rows, so Categorical (4 bytes a row; as text a `http-nio-8080-exec-12` thread and a
# `c.e.app.OrderService` logger cost 37 bytes a row each).
HEADER_FIELDS = ("host", "program", "pid", "thread", "logger", "header")
# True on entries whose level was read from their message's words, not given by their format
# (`core.reading.level_words.inferred_from_words`): a field a person can show, filter on and export.
LEVEL_INFERRED = "level_inferred"


def extra_dtype(name: str) -> pl.DataType:
    """Return the type of an extra column of the table: the body columns' own, Categorical for
    a header field, Boolean for LEVEL_INFERRED, String for any other field."""
    if name in BODY_COLUMNS:
        return BODY_COLUMNS[name]
    if name == LEVEL_INFERRED:
        return pl.Boolean()
    return pl.Categorical() if name in HEADER_FIELDS else pl.String()


def extra_column_name(key: str) -> str:
    """Return the column name for a structured field, renamed if it collides with a core column."""
    return f"{key}_" if key in CORE_COLUMNS else key

"""The shared table: its schema, and the step that turns parsed frames into it."""

from __future__ import annotations

import polars as pl

LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE")
LEVEL = pl.Enum(LEVELS)
TS = pl.Datetime("us", "UTC")
CORE_COLUMNS = ("ts", "level", "source", "line", "message")

SCHEMA = {
    "ts": TS,
    "level": LEVEL,
    "source": pl.Categorical(),
    "line": pl.UInt64,
    "message": pl.String,
}


def empty_table() -> pl.DataFrame:
    """Return a table with the core columns and no rows."""
    return pl.DataFrame(schema=SCHEMA)


def empty_parsed() -> pl.DataFrame:
    """Return a parsed frame (what a format parser returns) with no rows."""
    return pl.DataFrame(schema=PARSED_SCHEMA)


# What every format parser returns: core columns except `source` (added by ingest), `level`
# as normalised text or null, plus any extra String columns.
PARSED_SCHEMA = {"ts": TS, "level": pl.String, "line": pl.UInt64, "message": pl.String}


def extra_column_name(key: str) -> str:
    """Return the column name for a structured field, renamed if it collides with a core column."""
    return f"{key}_" if key in CORE_COLUMNS else key

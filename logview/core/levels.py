"""Severity levels: normalising the many spellings to TRACE..FATAL (NONE where absent)."""

from __future__ import annotations

import polars as pl

from logview.core.table import LEVEL

# Lower-case spelling -> normalised level. Single letters cover Android/glog (`E/`, `W0312`),
# digits cover syslog severities (RFC 5424: 0 emerg .. 7 debug).
ALIASES: dict[str, str] = {
    "trace": "TRACE", "trc": "TRACE", "finest": "TRACE", "finer": "TRACE", "verbose": "TRACE",
    "v": "TRACE",
    "debug": "DEBUG", "dbg": "DEBUG", "fine": "DEBUG", "d": "DEBUG", "7": "DEBUG",
    "info": "INFO", "information": "INFO", "informational": "INFO", "inf": "INFO",
    "notice": "INFO", "note": "INFO", "i": "INFO", "config": "INFO", "6": "INFO", "5": "INFO",
    "warn": "WARN", "warning": "WARN", "wrn": "WARN", "w": "WARN", "4": "WARN",
    "error": "ERROR", "err": "ERROR", "e": "ERROR", "severe": "ERROR", "3": "ERROR",
    "fail": "ERROR", "failure": "ERROR",
    "fatal": "FATAL", "critical": "FATAL", "crit": "FATAL", "alert": "FATAL",
    "emerg": "FATAL", "emergency": "FATAL", "panic": "FATAL", "f": "FATAL", "c": "FATAL",
    "0": "FATAL", "1": "FATAL", "2": "FATAL",
}


def normalise(expr: pl.Expr) -> pl.Expr:
    """Return `expr` (level text) mapped to a normalised level name, null where unknown."""
    return (
        expr.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(ALIASES, default=None, return_dtype=pl.String)
    )


def to_enum(expr: pl.Expr) -> pl.Expr:
    """Return normalised level names (or nulls) as the LEVEL enum, NONE for null."""
    return expr.fill_null("NONE").cast(LEVEL)

"""Severity levels: normalising the many spellings to TRACE..FATAL (NONE where absent)."""

from __future__ import annotations

import polars as pl

from logview.core.table import LEVEL

# Lower-case spelling -> normalised level. Single letters cover Android/glog (`E/`, `W0312`),
# digits cover syslog severities (RFC 5424: 0 emerg .. 7 debug).
# fmt: off
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
# fmt: on


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


# How far past the stamp (or from the line start) a level is looked for: headers such as BGL's
# put several fields (node, component) before the level, so ~100 characters in is common.
HEADER_WINDOW = 120

_LEVEL_WORDS = "TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE"
_BRACKETED = "trace|debug|info|notice|warn|warning|error|err|fatal|critical|crit|alert|emerg|severe"
_B = "(?-u:\\b)"  # ASCII word boundary: faster, and level words are ASCII
# Leftmost match wins, so the level nearest the stamp is taken. Lower-case bare words are left
# out on purpose: "no error found" in a message is not an ERROR.
_HEADER_LEVEL = (
    rf"\[\s*(?P<bracketed>(?i:{_BRACKETED}))\s*\]"
    rf"|{_B}(?i:level|lvl|loglevel|log_level|severity)\s*=\s*\"?(?P<keyed>[A-Za-z]+|\d){_B}"
    r"|(?:^|\s)(?P<android>[VDIWEF])/[^\s/:(]+\s*[(:]"
    rf"|{_B}(?P<word>{_LEVEL_WORDS}){_B}"
)
# Forms that only mean a level at the very start of the line: a syslog/systemd priority `<3>`
# (severity = priority mod 8) and glog's `E0312 ...` (letter, month, day).
_LINE_START_LEVEL = r"^(?:<(?P<priority>\d{1,3})>|(?P<glog>[IWEF])\d{4}\s)"


def level_from_text(text: pl.Series, start: pl.Series | None = None) -> pl.Series:
    """Return the normalised level names found in the headers of `text` (null where none).

    Looks from `start` (e.g. the offset just after the stamp; the line start where null) up to
    HEADER_WINDOW characters on, or in the first HEADER_WINDOW characters when `start` is None.
    Recognises upper-case level words (`INFO`, `WARNING`, `- ERROR `, `|INFO|`), any-case
    bracketed levels (`[error]`), `level=`/`severity=` keys, Android `E/Tag:`, and at the line
    start syslog priorities `<3>` and glog's `E0312`.
    """
    frame = pl.DataFrame({"text": text.cast(pl.String)})
    offset: pl.Expr | int = 0
    if start is not None:
        frame = frame.with_columns(start=start.cast(pl.UInt32).fill_null(0))
        offset = pl.col("start")
    window = pl.col("text").str.slice(offset, HEADER_WINDOW)
    header = window.str.extract_groups(_HEADER_LEVEL)
    level = normalise(
        pl.coalesce(
            header.struct.field("bracketed"),
            header.struct.field("keyed"),
            header.struct.field("android"),
            header.struct.field("word"),
        )
    )
    # Most logs have no line-start level form: a cheap test skips the capturing pass.
    if frame.select(pl.col("text").str.contains(_LINE_START_LEVEL).any()).item():
        line_start = pl.col("text").str.extract_groups(_LINE_START_LEVEL)
        priority = line_start.struct.field("priority").cast(pl.Int32, strict=False) % 8
        level = pl.coalesce(
            normalise(priority.cast(pl.String)), normalise(line_start.struct.field("glog")), level
        )
    return frame.select(level.alias("level")).to_series()

"""Severity levels: normalising the many spellings to TRACE..FATAL (NONE where absent)."""

from __future__ import annotations

import polars as pl

from logview.core.regex import ascii_classes
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
_WORDS_ONLY = {k: v for k, v in ALIASES.items() if not k.isdigit()}


def normalise(expr: pl.Expr) -> pl.Expr:
    """Return `expr` (level text) mapped to a normalised level name, null where unknown."""
    return (
        expr.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(ALIASES, default=None, return_dtype=pl.String)
    )


def normalise_words(expr: pl.Expr) -> pl.Expr:
    """Return level words in `expr` as normalised names; numbers (whose meaning depends on
    the source's convention, see `level_numbers`) and unknown words as null."""
    return (
        expr.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(_WORDS_ONLY, default=None, return_dtype=pl.String)
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
_HEADER_LEVEL = ascii_classes(
    rf"\[\s*(?P<bracketed>(?i:{_BRACKETED}))\s*\]"
    rf"|{_B}(?i:level|lvl|loglevel|log_level|severity)\s*=\s*\"?(?P<keyed>[A-Za-z]+|\d){_B}"
    r"|(?:^|\s)(?P<android>[VDIWEF])/[^\s/:(]+\s*[(:]"
    rf"|{_B}(?P<word>{_LEVEL_WORDS}){_B}"
)
# Forms that only mean a level at the very start of the line: a syslog/systemd priority `<3>`
# (severity = priority mod 8) and glog's `E0312 ...` (letter, month, day).
_LINE_START_LEVEL = ascii_classes(r"^(?:<(?P<priority>\d{1,3})>|(?P<glog>[IWEF])\d{4}\s)")


# Fast path: most headers put the level word first after the stamp (`... INFO  [main] ...`).
# When the window starts with white space and a level word, no other form can match further
# left (a `[`, a `key=`, an Android `X/` all need other characters there), so the general
# regex, which looks at the same window, would take that word too.
_LEADING_WORD = ascii_classes(rf"^\s*({_LEVEL_WORDS}){_B}")
# The fast path is taken when this share of a sample of the rows has a leading level word.
_FAST_SHARE = 0.5
_SAMPLE = 500
_WORD_LEVEL = {word: ALIASES[word.lower()] for word in _LEVEL_WORDS.split("|")}


def _header_level(window: pl.Expr) -> pl.Expr:
    """Return the normalised level of the leftmost level form in `window` (the general way)."""
    header = window.str.extract_groups(_HEADER_LEVEL)
    return normalise(
        pl.coalesce(
            header.struct.field("bracketed"),
            header.struct.field("keyed"),
            header.struct.field("android"),
            header.struct.field("word"),
        )
    )


def _chunked_like(values: pl.Series, like: pl.Series) -> pl.Series:
    """Return `values` cut into chunks as long as those of `like` (of the same length).

    A frame whose columns' chunks line up is worked on chunk by chunk (in parallel); one
    whose chunks do not is first made one chunk.
    """
    lengths = like.chunk_lengths()
    if len(lengths) <= 1 or values.chunk_lengths() == lengths:
        return values
    parts, at = [], 0
    for length in lengths:
        parts.append(values.slice(at, length))
        at += length
    return pl.concat(parts, rechunk=False)


def _leading_levels(frame: pl.DataFrame, start: pl.Series | None, window: pl.Expr) -> pl.Series:
    """Return the level of each row's header window in `frame`: from its leading level word,
    or the general way (`_header_level`) for the rows without one."""
    const = None
    if start is not None:
        known = start.drop_nulls()
        if known.len() and known.min() == known.max():
            const = int(known.min())
    # A fixed-width stamp puts every header at one offset: one constant slice (cheaper than
    # a per-row one) serves the rows with that start; the others take the general way.
    leading_window = window if const is None else pl.col("text").str.slice(const, HEADER_WINDOW)
    leading = frame.select(
        leading_window.str.extract(_LEADING_WORD, 1).replace_strict(
            _WORD_LEVEL, default=None, return_dtype=pl.String
        )
    ).to_series()
    missing = leading.is_null()
    if const is not None and const != 0 and start is not None and start.null_count():
        missing = missing | start.is_null()
    if missing.any():
        found = frame.filter(missing).select(_header_level(window)).to_series()
        leading = leading.scatter(missing.arg_true(), found)
    return leading


def level_from_text(text: pl.Series, start: pl.Series | None = None) -> pl.Series:
    """Return the normalised level names found in the headers of `text` (null where none).

    Looks from `start` (e.g. the offset just after the stamp; the line start where null) up to
    HEADER_WINDOW characters on, or in the first HEADER_WINDOW characters when `start` is None.
    Recognises upper-case level words (`INFO`, `WARNING`, `- ERROR `, `|INFO|`), any-case
    bracketed levels (`[error]`), `level=`/`severity=` keys, Android `E/Tag:`, and at the line
    start syslog priorities `<3>` and glog's `E0312`.
    """
    text = text.cast(pl.String)
    frame = text.alias("text").to_frame()
    offset: pl.Expr | int = 0
    if start is not None:
        starts = _chunked_like(start.cast(pl.UInt32).fill_null(0), text)
        frame = frame.with_columns(start=starts)
        offset = pl.col("start")
    window = pl.col("text").str.slice(offset, HEADER_WINDOW)
    sample = frame.gather_every(max(1, frame.height // _SAMPLE)) if frame.height else frame
    share = sample.select(window.str.extract(_LEADING_WORD, 1).is_not_null().mean()).item()
    if share is not None and share >= _FAST_SHARE:
        header = _leading_levels(frame, start, window)
    else:
        header = frame.select(_header_level(window)).to_series()
    # Most logs have no line-start level form: a cheap test skips the capturing pass.
    if not frame.select(pl.col("text").str.contains(_LINE_START_LEVEL).any()).item():
        return header.alias("level")
    line_start = pl.col("text").str.extract_groups(_LINE_START_LEVEL)
    priority = line_start.struct.field("priority").cast(pl.Int32, strict=False) % 8
    level = pl.coalesce(
        normalise(priority.cast(pl.String)),
        normalise(line_start.struct.field("glog")),
        pl.col("_header"),
    )
    return (
        frame.with_columns(_header=_chunked_like(header, text))
        .select(level.alias("level"))
        .to_series()
    )

"""Numeric levels: which convention a source's level numbers follow, decided per source.

The same number means different levels in different libraries: 3 is an ERROR as a syslog
severity and a WARN on .NET's scale, 30 is bunyan's and pino's INFO and Python's WARNING,
300 is Monolog's WARNING and Google Cloud's NOTICE. A number alone cannot tell; the key it
sits under and the set of values a source shows can, mostly. What is decided here:

| convention | told by | numbers |
|---|---|---|
| syslog (RFC 5424) | key `severity`, `syslog_severity`, `priority`, `PRIORITY` (journald), values 0..7 | 0 emerg .. 7 debug |
| OpenTelemetry | key `severity_number`/`SeverityNumber`, values 1..24 | 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal |
| Google Cloud | key `severity`, values in hundreds up to 800 | 100 debug, 200 info, 300 notice, 400 warning, 500 error, 600+ critical.. |
| Python logging | key `levelno`, or Python's own keys beside (`funcName`, `lineno`, `levelname`, ...), values in tens up to 50 | 10 debug, 20 info, 30 warning, 40 error, 50 critical |
| bunyan, pino | values in tens up to 60 | 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal |
| Monolog (PHP, RFC 5424 names) | values in hundreds up to 600 (250, 550 are its own) | 100 debug, 200 info, 250 notice, 300 warning, 400 error, 500 critical, 550 alert, 600 emergency |
| zap, slog (Go) | negative values | zap: -1 debug, 0 info, 1 warn, 2 error, 3-5 panic/fatal; slog: -4 debug, 0 info, 4 warn, 8 error |
| an application's own small scale | key `level` or the like, values 0..6 | least severe first: 0 debug, 1 info, 2 warn, 3 error, 4 fatal; with a 5 or 6, .NET's and Serilog's 0 trace .. 5 critical; with a 7, syslog's |

Where the choice is a guess (tens up to 50 with neither bunyan's nor Python's keys beside;
an application's own scale; hundreds under a key that names neither), the source gets a note
saying how its numbers were read. Numbers that fit no convention stay without a level, with a
note.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

from logview.core.reading.levels import ALIASES, normalise_words
from logview.core.shared.regex import ascii_classes

# Windows event levels (System/Level): 0 LogAlways, 1 Critical, 2 Error, 3 Warning,
# 4 Information, 5 Verbose. Also used for numeric levels in CSV exports.
WINDOWS_LEVELS = {"0": "INFO", "1": "FATAL", "2": "ERROR", "3": "WARN", "4": "INFO", "5": "TRACE"}
_NUMBER = ascii_classes(r"^\s*-?\d+\s*$")
_SYSLOG_KEYS = {"severity", "syslog_severity", "syslog.severity", "syslogseverity", "priority",
                "syslog_priority", "log.syslog.severity.code", "sev", "pri"}  # fmt: skip
_OTEL_KEYS = {"severity_number", "severitynumber", "severity.number"}
_PYTHON_KEYS = {"levelno", "levelname", "funcname", "lineno", "pathname", "filename", "module",
                "processname", "threadname", "exc_info", "stack_info"}  # fmt: skip
_BUNYAN_KEYS = {"v", "hostname", "pid", "msg", "name"}


@dataclass(frozen=True)
class Scale:
    """A numbering of levels: each level from the number where it starts (`steps`, ascending
    numbers), up to `top`."""

    name: str
    steps: tuple[tuple[int, str], ...]  # (lowest number, level)
    top: int | None = None  # the highest number the scale has (None: no end)

    def expr(self, number: pl.Expr) -> pl.Expr:
        """Return the level of each number (the step it falls in), null outside the scale."""
        out = pl.lit(None, dtype=pl.String)
        for low, level in self.steps:
            out = pl.when(number >= low).then(pl.lit(level)).otherwise(out)
        if self.top is not None:
            out = pl.when(number <= self.top).then(out)
        return out


# Syslog's severities go from the worst (0) to the least (7): each number is its own step.
SYSLOG = Scale(
    "syslog severities (0 emergency .. 7 debug)",
    tuple((n, ALIASES[str(7 - n)]) for n in range(8)),
    top=7,
)
OTEL = Scale("OpenTelemetry severity numbers (9 info, 17 error)",
             ((1, "TRACE"), (5, "DEBUG"), (9, "INFO"), (13, "WARN"), (17, "ERROR"), (21, "FATAL")))  # fmt: skip
GCP = Scale("Google Cloud severities (200 info, 400 warning, 500 error)",
            ((100, "DEBUG"), (200, "INFO"), (400, "WARN"), (500, "ERROR"), (600, "FATAL")))  # fmt: skip
PYTHON = Scale("Python logging levels (20 info, 30 warning, 40 error)",
               ((0, "DEBUG"), (20, "INFO"), (30, "WARN"), (40, "ERROR"), (50, "FATAL")))  # fmt: skip
BUNYAN = Scale("bunyan/pino levels (30 info, 40 warn, 50 error)",
               ((0, "TRACE"), (20, "DEBUG"), (30, "INFO"), (40, "WARN"), (50, "ERROR"), (60, "FATAL")))  # fmt: skip
MONOLOG = Scale("Monolog levels (200 info, 300 warning, 400 error)",
                ((0, "DEBUG"), (200, "INFO"), (300, "WARN"), (400, "ERROR"), (500, "FATAL")))  # fmt: skip
ZAP = Scale("zap levels (-1 debug, 0 info, 1 warn, 2 error)",
            ((-9, "DEBUG"), (0, "INFO"), (1, "WARN"), (2, "ERROR"), (3, "FATAL")))  # fmt: skip
SLOG = Scale("slog levels (-4 debug, 0 info, 4 warn, 8 error)",
             ((-99, "DEBUG"), (0, "INFO"), (4, "WARN"), (8, "ERROR")))  # fmt: skip
APP = Scale("an application's own scale, least severe first (0 debug, 1 info, 2 warn, 3 error)",
            ((0, "DEBUG"), (1, "INFO"), (2, "WARN"), (3, "ERROR"), (4, "FATAL")))  # fmt: skip
DOTNET = Scale(".NET/Serilog levels (0 trace, 2 information, 3 warning, 4 error)",
               ((0, "TRACE"), (1, "DEBUG"), (2, "INFO"), (3, "WARN"), (4, "ERROR"), (5, "FATAL")))  # fmt: skip


@dataclass(frozen=True)
class Convention:
    """How a source's level numbers are read, and a note when that was a guess."""

    scale: Scale | None
    note: str | None = None


def convention(key: str, numbers: Collection[int], keys: Collection[str] = ()) -> Convention:
    """Return how the level numbers `numbers` (the distinct values seen) under `key` are read,
    given the source's other keys `keys` (see the module's table)."""
    if not numbers:
        return Convention(None)
    name = key.lower()
    others = {k.lower() for k in keys}
    low, high = min(numbers), max(numbers)
    tens = all(n % 10 == 0 for n in numbers)
    hundreds = all(n % 50 == 0 for n in numbers)
    quoted = f"`{key}`"

    def guessed(scale: Scale, why: str) -> Convention:
        return Convention(scale, f"level numbers under {quoted} read as {scale.name}: {why}")

    if name in _OTEL_KEYS and 0 <= low and high <= 24:
        return Convention(OTEL)
    if name in _SYSLOG_KEYS and 0 <= low and high <= 7:
        return Convention(SYSLOG)
    if low < 0:
        if set(numbers) <= {-4, 0, 4, 8}:
            return Convention(SLOG)
        if low >= -1 and high <= 5:
            return Convention(ZAP)
    elif 10 <= high <= 60 and (tens or low >= 10):
        if name == "levelno" or others & _PYTHON_KEYS:
            return Convention(PYTHON) if high <= 50 else Convention(BUNYAN)
        if high > 50 or others >= {"hostname", "pid"} or "v" in others:
            return Convention(BUNYAN)
        return guessed(BUNYAN, "Python's logging numbers the same values one step higher")
    elif 100 <= high <= 800 and (hundreds or low >= 100):
        if name in _SYSLOG_KEYS or high > 600 or "severity" in name:
            return Convention(GCP)
        if {250, 550} & set(numbers) or "level_name" in others or "channel" in others:
            return Convention(MONOLOG)
        return guessed(MONOLOG, "Google Cloud numbers the same range one step apart")
    elif 0 <= low and high <= 7:
        if high == 7:  # only syslog's scale (debug) goes to 7
            return guessed(SYSLOG, "the key does not name the scale")
        if high >= 5:
            return guessed(DOTNET, "no known convention fits for sure")
        return guessed(APP, "no known convention fits for sure")
    shown = ", ".join(str(n) for n in sorted(numbers)[:8])
    return Convention(
        None, f"level numbers under {quoted} ({shown}) follow no known convention: left as NONE"
    )


# Distinct numbers looked at to decide: a level field has a handful.
_MAX_DISTINCT = 64


def levels_of(
    values: pl.Series, key: str, keys: Collection[str] = ()
) -> tuple[pl.Series, str | None]:
    """Return the normalised level names of a level field's `values` (words or numbers as
    text) under `key`, the source's other keys being `keys`, and a note on how numbers were
    read when that was a guess (None otherwise)."""
    text = values.cast(pl.String)
    frame = text.alias("v").to_frame()
    is_number = pl.col("v").str.contains(_NUMBER)
    numbers = (
        frame.filter(is_number.fill_null(False))
        .select(pl.col("v").str.strip_chars().cast(pl.Int64, strict=False).unique())
        .to_series()
        .drop_nulls()
    )
    words = normalise_words(pl.col("v"))
    if numbers.len() == 0:
        return frame.select(words.alias("level")).to_series(), None
    if numbers.len() > _MAX_DISTINCT:
        found = Convention(None, f"the numbers under `{key}` are too many to be levels: NONE")
    else:
        found = convention(key, numbers.to_list(), keys)
    if found.scale is None:
        by_number = pl.lit(None, dtype=pl.String)
    else:
        # Syslog counts downwards: its scale is read on 7 - number.
        number = pl.col("v").str.strip_chars().cast(pl.Int64, strict=False)
        by_number = found.scale.expr(7 - number if found.scale is SYSLOG else number)
    level = pl.when(is_number).then(by_number).otherwise(words)
    return frame.select(level.alias("level")).to_series(), found.note

"""Java servers' own layouts: Tomcat (`catalina.out`, java.util.logging) and Cassandra.

Tomcat writes java.util.logging records with its OneLineFormatter:
`06-Mar-2023 18:34:17.383 SEVERE [main] org.apache.catalina.core.StandardService.startInternal
Starting service [Catalina]`, or (older releases, and any JUL program with the default
SimpleFormatter) on two lines: `Mar 06, 2023 6:34:17 PM org.apache.Foo method` then `SEVERE:
message`, one entry. JUL's levels: SEVERE (ERROR), WARNING, INFO, CONFIG (INFO), FINE (DEBUG),
FINER and FINEST (TRACE), also in the German, French and Spanish words a localised JVM writes.
Fields: thread (OneLineFormatter), logger (the class) and method.

Cassandra (and logback's `%-5level [%thread] %date %F:%L - %msg` layouts like it) puts the
level first and the stamp after the thread: `INFO  [main] 2021-07-21 12:18:15,910
CassandraDaemon.java:507 - JVM vendor/version: ...`. Fields: thread, file and file_line (or
logger, where a logger's name stands before the ` - `).

In both, the lines that start no entry (a stack trace: `java.lang.X: ...`, `\\tat ...`,
`Caused by: ...`, `... 12 more`, a program's own prints) join the entry above.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import (
    Format,
    ParseContext,
    Sample,
    line_share,
)
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    header_parts,
    iso_text,
    map_levels,
    month_number,
    present_fields,
    read_stamps,
    sample_text,
    scored,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

JUL_LEVELS = {
    "SEVERE": "ERROR", "WARNING": "WARN", "INFO": "INFO", "CONFIG": "INFO", "FINE": "DEBUG",
    "FINER": "TRACE", "FINEST": "TRACE",
    # As a JVM in German, French or Spanish writes them (Level.getLocalizedName).
    "SCHWERWIEGEND": "ERROR", "WARNUNG": "WARN", "INFORMATION": "INFO", "KONFIGURATION": "INFO",
    "FEIN": "DEBUG", "FEINER": "TRACE", "AM FEINSTEN": "TRACE", "GRAVE": "ERROR",
    "AVERTISSEMENT": "WARN", "INFOS": "INFO", "ADVERTENCIA": "WARN",
}  # fmt: skip
_JUL_WORDS = "|".join(sorted(JUL_LEVELS, key=len, reverse=True))
# 06-Mar-2023 18:34:17.383 SEVERE [main] org.apache.Foo.method message
ONE_LINE = ascii_classes(
    r"^(?P<d>\d{2})-(?P<b>[A-Za-z]{3})-(?P<Y>\d{4}) (?P<time>\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)"
    rf" (?P<level>{_JUL_WORDS}) \[(?P<thread>[^\]]*)\] (?P<source>\S+)(?: |$)"
)
# Mar 06, 2023 6:34:17 PM org.apache.Foo method   (then `SEVERE: message` on the next line)
SIMPLE_FIRST = ascii_classes(
    r"^(?P<stamp>[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M) (?P<class>\S+)"
    r"(?: (?P<method>\S+))?\s*$"
)
SIMPLE_LEVEL = ascii_classes(rf"^(?P<level>{_JUL_WORDS}): ")
_ONE_LINE_RE = compiled(ONE_LINE)
_SIMPLE_FIRST_RE = compiled(SIMPLE_FIRST)
_SIMPLE_LEVEL_RE = compiled(SIMPLE_LEVEL)
# What a JUL file shows somewhere: a line starting with either formatter's stamp.
_JUL_SIGNATURE = compiled(r"(?m)^(?:\d{2}-[A-Za-z]{3}-\d{4} |[A-Z][a-z]{2} \d{1,2}, \d{4} )")
# Lines of a stack trace, not counted when sniffing.
_TRACE_HEADS = r"Caused by:|Suppressed:|\.\.\. \d+ more|[\w$.]+(?:Exception|Error)\b"
_TRACE = compiled(ascii_classes(rf"^(?:\s|{_TRACE_HEADS})"))

# INFO  [main] 2021-07-21 12:18:15,910 CassandraDaemon.java:507 - message
# (log4j 1.x's `%5p` pads the level on the left: Cassandra 2.x's ` INFO [main] 2024-...`)
_ISO = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?"
LEVEL_FIRST = ascii_classes(
    r"^ ?(?P<level>TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\s+\[(?P<thread>.*?)\]"
    rf" (?P<stamp>{_ISO})(?: (?:(?P<file>[\w$.\-]+):(?P<file_line>\d+)|(?P<logger>[\w$.]+)) -)?"
    r"(?: |$)"
)
_LEVEL_FIRST_RE = compiled(LEVEL_FIRST)
# (a stack trace's lines, but for a padded level's line: it opens with a space too)
_LEVEL_FIRST_TRACE = compiled(ascii_classes(rf"^(?:\s(?!(?:INFO|WARN)\s+\[)|{_TRACE_HEADS})"))
_LOGBACK_LEVELS = {"TRACE": "TRACE", "DEBUG": "DEBUG", "INFO": "INFO", "WARN": "WARN",
                   "WARNING": "WARN", "ERROR": "ERROR", "FATAL": "FATAL"}  # fmt: skip


# --- Tomcat / java.util.logging ------------------------------------------------------------


def _jul_share(sample: Sample) -> float:
    """Return the share of the sampled lines (stack traces aside) that are JUL records: a
    OneLineFormatter line, or a SimpleFormatter stamp line and the level line after it."""
    if _JUL_SIGNATURE.search(sample_text(sample)) is None:
        return 0.0
    considered = matched = stamped = 0
    after_stamp = False
    for line in sample.lines:  # at most the 200 sampled lines
        level_line = after_stamp and _SIMPLE_LEVEL_RE.match(line) is not None
        after_stamp = False
        if level_line:
            considered += 1
            matched += 1
            continue
        if _TRACE.match(line):
            continue
        considered += 1
        if _ONE_LINE_RE.match(line):
            matched += 1
            stamped += 1
        elif _SIMPLE_FIRST_RE.match(line):
            matched += 1
            stamped += 1
            after_stamp = True
    return matched / considered if considered and stamped else 0.0


def sniff_tomcat(sample: Sample) -> float:
    """Return 0.8 when half the sampled lines (stack traces aside) are JUL records, else 0."""
    return scored(_jul_share(sample), 0.8, threshold=0.5)


def parse_tomcat(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per JUL record (see the module): level, thread, logger, method."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    one = text.str.extract_groups(ONE_LINE).struct.unnest()
    first = text.str.extract_groups(SIMPLE_FIRST).struct.unnest()
    level_line = text.str.extract(SIMPLE_LEVEL, 1)
    is_one = one["d"].is_not_null()
    is_first = first["stamp"].is_not_null() & ~is_one
    frame = pl.DataFrame(
        {
            "one": one.to_struct(),
            "first": first.to_struct(),
            "is_one": is_one,
            "is_first": is_first,
            "next_level": level_line.shift(-1),
            "length": text.str.len_chars(),
        }
    )
    o, f = pl.col("one").struct, pl.col("first").struct
    # OneLineFormatter writes `class.method`: the method is the last dotted part.
    source = o.field("source")
    one_class = source.str.replace(r"\.[^.]*$", "")
    one_method = source.str.extract(r"\.([^.]+)$", 1)
    next_level = pl.col("next_level")
    one_header = text.str.extract(f"^({ONE_LINE.removeprefix('^')})", 1).str.len_chars()
    columns = frame.with_columns(_one_header=one_header).select(
        map_levels(
            pl.when(pl.col("is_one")).then(o.field("level")).otherwise(next_level), JUL_LEVELS
        ).alias("level"),
        pl.when(pl.col("is_one")).then(o.field("thread")).alias("thread"),
        pl.when(pl.col("is_one")).then(one_class).otherwise(f.field("class")).alias("logger"),
        pl.when(pl.col("is_one")).then(one_method).otherwise(f.field("method")).alias("method"),
        pl.when(pl.col("is_one"))
        .then(pl.col("_one_header"))
        .when(pl.col("is_first") & next_level.is_not_null())
        .then(pl.col("length") + 1 + next_level.str.len_chars() + 2)
        .cast(pl.UInt32)
        .alias("body_at"),
    )
    ts = pl.Series("ts", [None] * text.len(), dtype=TS)
    if is_one.any():
        iso = iso_text(o.field("Y"), month_number(o.field("b")), o.field("d"), o.field("time"))
        ts = read_stamps(frame, pl.when(pl.col("is_one")).then(iso), ctx)
    if is_first.any():
        simple = read_stamps(frame, pl.when(pl.col("is_first")).then(f.field("stamp")), ctx)
        ts = ts.fill_null(simple)
    columns = present_fields(columns.with_columns(ts=ts))
    return entries_from_starts(lines, is_one | is_first, columns, joins="any", ctx=ctx)


# --- Cassandra and other level-first layouts -----------------------------------------------


def sniff_level_first(sample: Sample) -> float:
    """Return 0.8 when 60% of the sampled lines (stack traces aside) are `LEVEL [thread]
    stamp ...` lines, else 0."""
    return scored(line_share(sample, _LEVEL_FIRST_RE, skip=_LEVEL_FIRST_TRACE), 0.8)


def parse_level_first(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per `LEVEL [thread] stamp [File.java:123 -] message` line, with the
    lines after it that start none (a stack trace)."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = header_parts(text, LEVEL_FIRST)
    matched = parts["h"].is_not_null()
    ts = read_stamps(parts, pl.col("stamp"), ctx)
    columns = parts.select(
        map_levels(pl.col("level"), _LOGBACK_LEVELS).alias("level"),
        "thread",
        "file",
        "file_line",
        "logger",
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=ts)
    return entries_from_starts(lines, matched, present_fields(columns), joins="any", ctx=ctx)


FORMATS: list[Format] = [
    Format("tomcat", "Tomcat / java.util.logging", sniff_tomcat, parse_lines=parse_tomcat),
    Format(
        "level-first",
        "Cassandra / level-first Java log",
        sniff_level_first,
        parse_lines=parse_level_first,
    ),  # fmt: skip
]

"""PostgreSQL's stderr log: `log_line_prefix`, then `SEVERITY:  message` (two spaces).

The prefix is the server's configuration, so it is not parsed as one layout: a stamp (`%m`
`2023-03-06 18:34:17.383 UTC`, `%t` without the fraction, `%n` epoch seconds) somewhere near its
start, then anything up to the severity word. The default prefix `%m [%p] ` gives
`2023-03-06 18:34:17.383 UTC [12345] LOG:  checkpoint starting: time`; Debian's adds
`%q%u@%d `, Amazon RDS writes `%t:%r:%u@%d:[%p]:`, pgBadger's advice `%t [%p]: user=%u,db=%d,
app=%a,client=%h `. An empty prefix (before PostgreSQL 10) leaves `LOG:  ...` alone.

Severities: DEBUG1-5 (DEBUG), INFO, NOTICE and LOG (INFO), WARNING, ERROR, FATAL and PANIC
(FATAL). A `DETAIL:`, `HINT:`, `QUERY:`, `CONTEXT:`, `STATEMENT:` or `LOCATION:` line carries
its own prefix and stamp, so it is an entry of its own, as the server wrote it; it adds to the
message above it, so it takes that message's level when it has the same process id (an
error's `STATEMENT:` is filtered with the error). Lines without a prefix (a statement's later
lines) join the entry above. Fields: pid, and where the prefix shows them
user, database, application and client. Zone abbreviations are read as their offset
(`headed.zone_table`, by the rule of `zones.offsets_for`).
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import (
    INDENTED_RE,
    Format,
    ParseContext,
    Sample,
    line_share,
)
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    header_parts,
    map_levels,
    present_fields,
    read_stamps,
    sample_text,
    scored,
    zone_offset,
    zone_table,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

LEVELS = {"DEBUG1": "DEBUG", "DEBUG2": "DEBUG", "DEBUG3": "DEBUG", "DEBUG4": "DEBUG",
          "DEBUG5": "DEBUG", "DEBUG": "DEBUG", "INFO": "INFO", "NOTICE": "INFO", "LOG": "INFO",
          "WARNING": "WARN", "ERROR": "ERROR", "FATAL": "FATAL", "PANIC": "FATAL"}  # fmt: skip
# Lines that add to the message before them rather than start one.
DETAILS = ("DETAIL", "HINT", "QUERY", "CONTEXT", "STATEMENT", "LOCATION")
_SEVERITY = "DEBUG[1-5]|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|" + "|".join(DETAILS)
_STAMP = (
    r"(?P<stamp>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?|\d{10}\.\d{3})"
    r"(?: (?P<zone>[A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?))?"
)
HEADER = ascii_classes(
    rf"^(?:[^\n]{{0,20}}?{_STAMP}(?P<prefix>[^\n]{{0,200}}?)|(?P<bare>\[\d+\]:? )?)"
    rf"(?P<level>{_SEVERITY}):  "
)
# What the sniffer asks of a line: the same, with a stamp (a file of bare `LOG:  ` lines is
# taken too when every line is one), and exactly the two spaces PostgreSQL writes: uvicorn's
# levels are padded to one width (`INFO:     Started`), which a few lines share by chance.
_STAMPED = compiled(
    ascii_classes(rf"^[^\n]{{0,20}}?{_STAMP}[^\n]{{0,200}}?(?:{_SEVERITY}):  (?! )")
)
_BARE = compiled(ascii_classes(rf"^(?:\[\d+\]:? )?(?:{_SEVERITY}):  (?! )"))
_PID = ascii_classes(r"\[(\d+)(?:-\d+)?\]")
_USER_AT_DB = ascii_classes(
    r"(?:^|[\s:,\]])(?P<user>[\w.\-]+)@(?P<database>[\w.\-]+)(?:[\s:,\[]|$)"
)
_KEYED = {
    "user": ascii_classes(r"(?:^|[\s,])user=([^,\s]+)"),
    "database": ascii_classes(r"(?:^|[\s,])db=([^,\s]+)"),
    "application": ascii_classes(r"(?:^|[\s,])app=([^,]+?)(?:,|\s*$)"),
    "client": ascii_classes(r"(?:^|[\s,])client=([^,\s]+)"),
}


def sniff(sample: Sample) -> float:
    """Return 0.85 when 60% of the sampled lines (indented ones aside) are PostgreSQL lines
    with a stamp, or 0.8 when all are bare `SEVERITY:  message` lines; else 0."""
    if ":  " not in sample_text(sample):
        return 0.0
    if scored(line_share(sample, _STAMPED, skip=INDENTED_RE), 1.0):
        return 0.85
    return 0.8 if line_share(sample, _BARE, skip=INDENTED_RE) == 1.0 else 0.0


def parse_postgres(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per message, its detail lines joined (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = header_parts(text, HEADER)
    matched = parts["h"].is_not_null()
    prefix = pl.coalesce(pl.col("prefix"), pl.col("bare"), pl.lit(""))
    at_db = prefix.str.extract_groups(_USER_AT_DB)
    fields = parts.select(
        pl.coalesce(prefix.str.extract(_PID, 1), pl.col("h").str.extract(_PID, 1)).alias("pid"),
        pl.coalesce(prefix.str.extract(_KEYED["user"], 1), at_db.struct.field("user")).alias(
            "user"
        ),
        pl.coalesce(
            prefix.str.extract(_KEYED["database"], 1), at_db.struct.field("database")
        ).alias("database"),
        prefix.str.extract(_KEYED["application"], 1).alias("application"),
        prefix.str.extract(_KEYED["client"], 1).alias("client"),
    )
    # A detail line takes the level of the message it adds to: the last prefixed line above
    # it that is no detail, when that is of the same process (each line carries its prefix).
    level, pid = map_levels(pl.col("level"), LEVELS), pl.col("pid")
    message = pl.col("h").is_not_null() & ~pl.col("level").is_in(DETAILS)
    levels = (
        parts.select("h", "level")
        .with_columns(fields["pid"])
        .select(
            pl.when(
                pl.col("level").is_in(DETAILS)
                & pl.when(message).then(pl.lit(True)).forward_fill().shift(1).fill_null(False)
                & pl.when(message).then(pid).forward_fill().shift(1).eq_missing(pid)
            )
            .then(pl.when(message).then(level).forward_fill().shift(1))
            .otherwise(level)
        )
        .to_series()
    )
    ts = pl.Series("ts", [None] * text.len(), dtype=TS)
    if parts["stamp"].null_count() < parts.height:
        epoch = pl.col("stamp").str.contains(r"^[0-9]{10}\.")
        offset = zone_offset(pl.col("zone"), zone_table(parts["zone"], ctx))
        iso = pl.concat_str([pl.col("stamp"), offset.fill_null("")])
        ts = read_stamps(parts, pl.when(~epoch).then(iso), ctx)
        if parts.select(epoch.any()).item():
            ts = ts.fill_null(read_stamps(parts, pl.when(epoch).then(pl.col("stamp")), ctx))
    columns = (
        parts.select(
            levels.alias("level"),
            pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
        )
        .hstack(fields)
        .with_columns(ts=ts)
    )
    return entries_from_starts(lines, matched, present_fields(columns), joins="any", ctx=ctx)


FORMATS: list[Format] = [Format("postgres", "PostgreSQL log", sniff, parse_lines=parse_postgres)]

"""Oracle WebLogic Server logs: the server and domain log, and the server's standard output.

Server log: `####<Mar 24, 2022 10:29:56,637 AM GMT> <Info> <Security> <host> <AdminServer>
<[ACTIVE] ExecuteThread: '0' for queue: 'weblogic.kernel.Default (self-tuning)'> <<WLS
Kernel>> <> <> <1648117796637> <BEA-090905> <message>` (12c adds `<[severity-value: 64]
[rid: 0] ...> ` before the message id). The stamp is the raw time in milliseconds when the
record has it (exact, UTC), else the written stamp (`MMM d, yyyy h:mm:ss,SSS a z`, its zone
abbreviation, or its name spelled out, read as its offset). Standard output: `<Mar 24, 2022
10:29:56 AM GMT> <Info> <Security> <BEA-090905> <message>`; on Java 11 `<Mar 14, 2024,
10:20:36,204 AM Central European Standard Time> ...`.

Severities: Trace, Debug, Info, Notice (INFO), Warning, Error, Critical, Alert and Emergency
(FATAL). Fields: subsystem, machine, server, thread, user, transaction, context, message_id.
A message goes on until the record's closing `>`: its later lines (a stack trace) join it.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
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
    zone_offset,
    zone_table,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

LEVELS = {"Trace": "TRACE", "Debug": "DEBUG", "Info": "INFO", "Notice": "INFO",
          "Warning": "WARN", "Error": "ERROR", "Critical": "FATAL", "Alert": "FATAL",
          "Emergency": "FATAL"}  # fmt: skip
_FIELD = r"[^<>]*"
SERVER_LOG = ascii_classes(
    rf"^####<(?P<stamp>{_FIELD})> <(?P<level>{_FIELD})> <(?P<subsystem>{_FIELD})>"
    rf" <(?P<machine>{_FIELD})> <(?P<server>{_FIELD})> <(?P<thread>{_FIELD})>"
    rf" <(?P<user><{_FIELD}>|{_FIELD})> <(?P<transaction>{_FIELD})> <(?P<context>{_FIELD})>"
    r" <(?P<raw>\d*)>(?: <\[severity-value:[^>]*>)? <(?P<message_id>[^<>]*)> <"
)
STDOUT = ascii_classes(
    rf"^<(?P<stamp>{_FIELD})> <(?P<level>[A-Z][a-z]+)> <(?P<subsystem>{_FIELD})>"
    r" <(?P<message_id>[A-Z]+-\d+)> <"
)
_SERVER_LOG_RE = compiled(SERVER_LOG)
_STDOUT_RE = compiled(STDOUT)
_STAMP = ascii_classes(
    r"^(?P<b>[A-Z][a-z]{2}) (?P<d>\d{1,2}), (?P<Y>\d{4}),? (?P<h>\d{1,2}):(?P<M>\d{2}):"
    r"(?P<S>\d{2})(?:[,.](?P<f>\d{1,3}))? (?P<p>[AaPp][Mm])(?: (?P<z>[^<>]+?))?$"
)
_FIELDS = ("subsystem", "machine", "server", "thread", "user", "transaction", "context",
           "message_id")  # fmt: skip
_RECORD_START = compiled(r"^(?:####)?<")


def sniff(sample: Sample) -> float:
    """Return 0.9 when 60% of the sampled lines that start a record (`####<` or `<`) are
    WebLogic records, and they are most of the sample, else 0."""
    if "> <" not in sample_text(sample):
        return 0.0
    starts = [line for line in sample.lines if _RECORD_START.match(line)]
    if len(starts) < 0.3 * len(sample.lines):
        return 0.0
    records = sum(1 for line in starts if _SERVER_LOG_RE.match(line) or _STDOUT_RE.match(line))
    return scored(records / max(1, len(starts)), 0.9)


def _written_stamps(parts: pl.DataFrame, ctx: ParseContext) -> pl.Series:
    """Return the written stamps (`Mar 24, 2022 10:29:56,637 AM GMT`) as UTC."""
    stamp = parts["stamp"].str.extract_groups(_STAMP).struct.unnest()
    hour = pl.col("h").cast(pl.Int32) % 12 + pl.when(pl.col("p").str.to_lowercase() == "pm").then(
        12
    ).otherwise(0)
    clock = pl.concat_str(
        [hour.cast(pl.String), pl.lit(":"), pl.col("M"), pl.lit(":"), pl.col("S"),
         pl.lit("."), pl.col("f").fill_null("0")]
    )  # fmt: skip
    iso = iso_text(
        pl.col("Y"),
        month_number(pl.col("b")),
        pl.col("d"),
        clock,
        zone_offset(pl.col("z"), zone_table(stamp["z"], ctx)),
    )
    return read_stamps(stamp, iso, ctx)


def parse_weblogic(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per record (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    server = header_parts(text, SERVER_LOG)
    stdout = header_parts(text, STDOUT)
    names = ["h", "stamp", "level", *_FIELDS, "raw"]
    for name in names:
        if name not in stdout.columns:
            stdout = stdout.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    parts = pl.DataFrame([server[n].fill_null(stdout[n]) for n in names])
    matched = parts["h"].is_not_null()
    ts = pl.Series("ts", [None] * text.len(), dtype=TS)
    raw = pl.when(pl.col("raw").str.len_chars() == 13).then(pl.col("raw"))
    if parts.select(raw.is_not_null().any()).item():
        ts = read_stamps(parts, raw, ctx, zone_known=True)
    if ts.null_count() > text.len() - int(matched.sum()):
        ts = ts.fill_null(_written_stamps(parts, ctx))
    columns = parts.select(
        map_levels(pl.col("level"), LEVELS).alias("level"),
        *[pl.when(pl.col(f) != "").then(pl.col(f)).alias(f) for f in _FIELDS],
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=ts)
    # A line that opens no record right after one that closed (its last line ends in `>`) is
    # another writer's on the server's stdout (the JVM's `OpenJDK 64-Bit Server VM warning:
    # ...`): an entry of its own. (A record's own later lines come before its `>`; a record
    # cut short, `####<Mar 24, 2022 10:2`, still joins the one above.)
    closed = text.shift(1).str.strip_chars_end().str.ends_with(">").fill_null(False)
    other = ~matched & closed & text.str.contains(r"^[A-Za-z]").fill_null(False)
    return entries_from_starts(lines, matched | other, present_fields(columns), ctx=ctx)


FORMATS: list[Format] = [
    Format("weblogic", "WebLogic Server log", sniff, parse_lines=parse_weblogic)
]

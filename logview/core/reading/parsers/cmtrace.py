"""CMTrace logs: Configuration Manager (SCCM/MECM), the Intune Management Extension and
other Windows tools that write for the CMTrace viewer.

A record: `<![LOG[message]LOG]!><time="05:26:53.589+240" date="03-14-2024"
component="ContentTransferManager" context="" type="1" thread="1234" file="ctmjob.cpp:2270">`.
The message may run over several lines. `time` is the local time and, after its sign, the
zone's bias in minutes as Windows keeps it (UTC = local time + bias: +240 is UTC-4). `type` is
the level: 1 information, 2 warning, 3 error (0 and others: none). Fields: component,
thread, file, context where given. Lines outside a record join the record above.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.entries import join_continuations
from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.headed import sample_text
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS, empty_parsed

_START = "<![LOG["
_RECORD = ascii_classes(
    r"(?s)^<!\[LOG\[(?P<message>.*?)\]LOG\]!><time=\"(?P<time>\d{1,2}:\d{2}:\d{2}(?:\.\d{1,7})?)"
    r"(?P<bias>[+-]\d{1,4})?\" date=\"(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<year>\d{4})\""
    r"(?: component=\"(?P<component>[^\"]*)\")?(?: context=\"(?P<context>[^\"]*)\")?"
    r"(?: type=\"(?P<type>\d)\")?(?: thread=\"(?P<thread>[^\"]*)\")?(?: file=\"(?P<file>[^\"]*)\")?"
)
LEVELS = {"1": "INFO", "2": "WARN", "3": "ERROR"}
_FIELDS = ("component", "thread", "file", "context")


def sniff(sample: Sample) -> float:
    """Return 0.95 when half the sampled lines open a CMTrace record, else 0."""
    if _START not in sample_text(sample):
        return 0.0
    records = sum(1 for line in sample.lines if line.startswith(_START))
    return 0.95 if records >= len(sample.lines) / 2 else 0.0


def parse_cmtrace(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per record (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    entries = join_continuations(
        lines.select("line", "text"), pl.col("text").str.starts_with(_START)
    )
    parts = entries["text"].str.extract_groups(_RECORD).struct.unnest()
    naive = pl.concat_str(
        pl.col("year"), pl.lit("-"), pl.col("month").str.zfill(2), pl.lit("-"),
        pl.col("day").str.zfill(2), pl.lit(" "), pl.col("time"),
    ).str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us", strict=False)  # fmt: skip
    bias = pl.col("bias").cast(pl.Int32, strict=False)
    if ctx.tz is None or ctx.tz == "UTC":
        local = naive.dt.replace_time_zone("UTC")
    else:
        local = naive.dt.replace_time_zone(ctx.tz, ambiguous="earliest", non_existent="null")
    ts = (
        pl.when(bias.is_not_null())
        .then(naive.dt.replace_time_zone("UTC") + pl.duration(minutes=bias))
        .otherwise(local)
    )
    frame = parts.select(
        ts.dt.convert_time_zone("UTC").cast(TS).alias("ts"),
        pl.col("type").replace_strict(LEVELS, default=None, return_dtype=pl.String).alias("level"),
        *[pl.when(pl.col(f) != "").then(pl.col(f)).alias(f) for f in _FIELDS],
    )
    if parts["bias"].null_count() and parts["message"].is_not_null().any():
        zone = "as UTC" if ctx.tz is None else f"in {ctx.tz}"
        ctx.note(f"records without a bias in their time: read {zone}")
    kept = [f for f in _FIELDS if frame[f].null_count() < frame.height]
    # The body is the message inside LOG[...]: it starts after `<![LOG[`.
    body_at = pl.when(parts["message"].is_not_null()).then(pl.lit(len(_START), pl.UInt32))
    return pl.DataFrame(
        {
            "ts": frame["ts"],
            "level": frame["level"],
            "line": entries["line"].cast(pl.UInt64),
            "message": entries["text"],
        }
    ).with_columns(*[frame[f] for f in kept], body_at=body_at)


FORMATS: list[Format] = [
    Format("cmtrace", "CMTrace log (Configuration Manager)", sniff, parse_lines=parse_cmtrace)
]

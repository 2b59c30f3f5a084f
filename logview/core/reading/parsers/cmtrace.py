"""CMTrace logs: Configuration Manager (SCCM/MECM), the Intune Management Extension and
other Windows tools that write for the CMTrace viewer.

A record: `<![LOG[message]LOG]!><time="05:26:53.589+240" date="03-14-2024"
component="ContentTransferManager" context="" type="1" thread="1234" file="ctmjob.cpp:2270">`.
The message may run over several lines. `time` is the local time and, after its sign, the
zone's bias in minutes as Windows keeps it (UTC = local time + bias: +240 is UTC-4). `type` is
the level: 1 information, 2 warning, 3 error (0 and others: none). Fields: component,
thread, file, context where given. Lines outside a record join the record above.

Configuration Manager's site-server logs keep the older SMS Trace layout, the record's header
after its message at the end of the line: `Starting Sync  $$<SMS_WSUS_SYNC_MANAGER><03-14-2024
04:20:12.480+300><thread=4120 (0x1018)>` (the same bias, no level). A message over several
lines carries the header on its last; the lines before it are that record's.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.entries import join_continuations
from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.headed import sample_text
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

_START = "<![LOG["
_RECORD = ascii_classes(
    r"(?s)^<!\[LOG\[(?P<message>.*?)\]LOG\]!><time=\"(?P<time>\d{1,2}:\d{2}:\d{2}(?:\.\d{1,7})?)"
    r"(?P<bias>[+-]\d{1,4})?\" date=\"(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<year>\d{4})\""
    r"(?: component=\"(?P<component>[^\"]*)\")?(?: context=\"(?P<context>[^\"]*)\")?"
    r"(?: type=\"(?P<type>\d)\")?(?: thread=\"(?P<thread>[^\"]*)\")?(?: file=\"(?P<file>[^\"]*)\")?"
)
_TRAILER = "$$<"
_SIMPLE = ascii_classes(
    r"(?s)^(?P<message>.*?) *\$\$<(?P<component>[^>\n]*)><(?P<month>\d{1,2})-(?P<day>\d{1,2})-"
    r"(?P<year>\d{4}) (?P<time>\d{1,2}:\d{2}:\d{2}(?:\.\d{1,7})?)(?P<bias>[+-]\d{1,4})?>"
    r"<thread=(?P<thread>[^>\n]*)>\s*$"
)
_SIMPLE_LINE = ascii_classes(r"\$\$<[^>]*><\d{1,2}-\d{1,2}-\d{4} \d{1,2}:\d{2}:\d{2}[^>]*><thread=")
_SIMPLE_LINE_RE = compiled(_SIMPLE_LINE)
LEVELS = {"1": "INFO", "2": "WARN", "3": "ERROR"}
_FIELDS = ("component", "thread", "file", "context")


def sniff(sample: Sample) -> float:
    """Return 0.95 when half the sampled lines open a CMTrace record or end an SMS Trace
    one, else 0."""
    text = sample_text(sample)
    if _START in text:
        records = sum(1 for line in sample.lines if line.startswith(_START))
    elif _TRAILER in text:
        records = sum(1 for line in sample.lines if _SIMPLE_LINE_RE.search(line))
    else:
        return 0.0
    return 0.95 if records >= len(sample.lines) / 2 else 0.0


def parse_cmtrace(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per record (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    text = pl.col("text")
    if lines.select(text.str.starts_with(_START).any()).item():
        entries = join_continuations(lines.select("line", "text"), text.str.starts_with(_START))
        parts = entries["text"].str.extract_groups(_RECORD).struct.unnest()
    else:
        # SMS Trace: a record ends at its header, so the next line starts one.
        ends = text.str.contains(_SIMPLE_LINE)
        starts = ends.shift(1, fill_value=True)
        entries = join_continuations(lines.select("line", "text"), starts)
        parts = entries["text"].str.extract_groups(_SIMPLE).struct.unnest()
        parts = parts.with_columns(type=pl.lit(None, pl.String), file=pl.lit(None, pl.String),
                                   context=pl.lit(None, pl.String))  # fmt: skip
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
    # The body is the message inside LOG[...]: it starts after `<![LOG[` (SMS Trace's, at 0).
    opening = entries["text"].str.starts_with(_START)
    body_at = pl.when(parts["message"].is_not_null()).then(
        pl.when(opening).then(pl.lit(len(_START), pl.UInt32)).otherwise(pl.lit(0, pl.UInt32))
    )
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

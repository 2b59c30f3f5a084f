"""IBM MQ error logs (`AMQERR01.LOG`): one entry per block.

A block starts with `03/06/2023 06:34:17 PM - Process(1234.1) User(mqm) Program(amqzxma0)`,
goes on with indented `Host(...) Installation(...) VRMF(...) QMgr(...) Time(...)` lines, the
message (`AMQ5051I: The queue manager task 'LOGGER-IO' has started.`), its `EXPLANATION:` and
`ACTION:`, and ends with a `----- amqzxma0.c : 1234 -----` line; all of it is the entry, the
message from its id on is the body. The stamp is the block's `Time(...)` (UTC, since MQ 9.1)
when it has one, else its first line's, read month first as MQ writes it in US English, or
day first when a first number above 12 shows that the file is written so, in 12- or 24-hour
time. The level is the message id's severity letter: I INFO, W WARN, E and S (severe) ERROR,
T (terminating) FATAL. Fields: process, user, program, host, installation, vrmf, qmgr,
message_id.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    iso_text,
    map_levels,
    read_stamps,
    sample_text,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

LEVELS = {"I": "INFO", "W": "WARN", "E": "ERROR", "S": "ERROR", "T": "FATAL"}
BLOCK_START = ascii_classes(
    r"^(?P<a>\d{2})/(?P<b>\d{2})/(?P<Y>\d{4}) (?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})"
    r"(?: (?P<p>[AaPp][Mm]))? - Process\((?P<process>[^)]*)\) User\((?P<user>[^)]*)\)"
    r" Program\((?P<program>[^)]*)\)"
)
_BLOCK_START_RE = compiled(BLOCK_START)
_MESSAGE_ID = compiled(r"^AMQ\d{4}[A-Z]?: ")
_BLOCK_FIELDS = {
    "host": r"Host\(([^)]*)\)",
    "installation": r"Installation\(([^)]*)\)",
    "vrmf": r"VRMF\(([^)]*)\)",
    "qmgr": r"QMgr\(([^)]*)\)",
}
_TIME = ascii_classes(
    r"Time\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\)"
)
_ID = ascii_classes(r"(?m)^(AMQ\d{4}([A-Z]?)): ")
_BEFORE_ID = ascii_classes(r"(?s)^(.*?\n)AMQ\d{4}[A-Z]?: ")


def sniff(sample: Sample) -> float:
    """Return 0.9 when the sample holds MQ message ids and block starts, the first line
    (dashes aside) being one or two blocks at least, else 0."""
    if " - Process(" not in sample_text(sample):
        return 0.0
    lines = [line for line in sample.lines if line.strip("- ")]
    starts = sum(1 for line in lines if _BLOCK_START_RE.match(line))
    if not starts or not any(_MESSAGE_ID.match(line) for line in lines):
        return 0.0
    return 0.9 if starts >= 2 or _BLOCK_START_RE.match(lines[0]) else 0.0


def _written_stamps(parts: pl.DataFrame, ctx: ParseContext) -> pl.Series:
    """Return the blocks' first-line stamps, month first unless the file shows otherwise."""
    first = parts["a"].cast(pl.Int32, strict=False)
    day_first = bool((first > 12).any())
    month, day = (pl.col("b"), pl.col("a")) if day_first else (pl.col("a"), pl.col("b"))
    pm = pl.col("p").str.to_lowercase() == "pm"
    hour = pl.col("H").cast(pl.Int32)
    hour = (
        pl.when(pl.col("p").is_null())
        .then(hour)
        .otherwise(hour % 12 + pl.when(pm).then(12).otherwise(0))
    )
    clock = pl.concat_str(
        [hour.cast(pl.String), pl.lit(":"), pl.col("M"), pl.lit(":"), pl.col("S")]
    )
    return read_stamps(parts, iso_text(pl.col("Y"), month, day, clock), ctx)


def parse_ibmmq(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per block (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = text.str.extract_groups(BLOCK_START).struct.unnest()
    starts = parts["process"].is_not_null()
    ts = (
        _written_stamps(parts, ctx)
        if starts.any()
        else pl.Series("ts", [None] * text.len(), dtype=TS)
    )
    columns = parts.select(
        pl.lit(None, dtype=pl.String).alias("level"), "process", "user", "program"
    ).with_columns(ts=ts)
    entries = entries_from_starts(lines, starts, columns, ctx=ctx)
    message = entries["message"]
    ids = message.str.extract_groups(_ID).struct.unnest()
    blocks = pl.DataFrame({"message": message, "_id": ids["1"], "_letter": ids["2"]})
    fields = blocks.select(
        map_levels(pl.col("_letter"), LEVELS).alias("level"),
        *[
            pl.col("message").str.extract(regex, 1).alias(name)
            for name, regex in _BLOCK_FIELDS.items()
        ],
        pl.col("_id").alias("message_id"),
        pl.coalesce(
            pl.col("message").str.extract(_BEFORE_ID, 1).str.len_chars(),
            pl.col("message").str.find("\n", literal=True) + 1,
        )
        .cast(pl.UInt32)
        .alias("body_at"),
    )
    exact = read_stamps(blocks, pl.col("message").str.extract(_TIME, 1), ctx, zone_known=True)
    block = entries["process"].is_not_null()
    out = entries.with_columns(
        ts=exact.fill_null(entries["ts"]),
        level=pl.when(block).then(pl.lit(fields["level"])),
        body_at=pl.when(block).then(pl.lit(fields["body_at"])),
    ).hstack(fields.drop("level", "body_at"))
    return out.select(
        c
        for c in out.columns
        if c in ("ts", "level", "line", "message") or out[c].null_count() < out.height
    )


FORMATS: list[Format] = [Format("ibmmq", "IBM MQ error log", sniff, parse_lines=parse_ibmmq)]

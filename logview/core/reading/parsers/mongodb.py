"""MongoDB's server log: structured JSON (4.4 and later) and the older text layout.

4.4+: one JSON object per line, `{"t":{"$date":"2023-03-06T18:34:17.383+00:00"},"s":"I",
"c":"NETWORK","id":22943,"ctx":"listener","msg":"Connection accepted","attr":{...}}`. The
stamp is `t.$date`, the level `s`, the body `msg` (a fixed text per message id; what varies
is in `attr`, whose keys become `attr.*` fields). `c` is the field `component`, `ctx` the
field `thread` (the thread or connection, as the header fields of other formats call it), `id`
the message id.

Up to 4.2: `2019-03-06T18:34:17.383+0000 I NETWORK  [listener] connection accepted from ...`,
with the same severity letter, component and context.

Severities: F FATAL, E ERROR, W WARN, I INFO, D and D1-D5 (debug verbosity) DEBUG.
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
from logview.core.reading.parsers.fields import entries_from_objects, scaled
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    header_parts,
    map_levels,
    present_fields,
    read_stamps,
    scored,
)
from logview.core.reading.parsers.json_objects import (
    object_share,
    read_json_objects,
    with_cut_records,
)
from logview.core.shared.body import TEXT
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import empty_parsed

LEVELS = {"F": "FATAL", "E": "ERROR", "W": "WARN", "I": "INFO", "D": "DEBUG", "D1": "DEBUG",
          "D2": "DEBUG", "D3": "DEBUG", "D4": "DEBUG", "D5": "DEBUG"}  # fmt: skip
_STAMP_KEYS = ("t.$date", "t.$date.$numberLong")
_RENAMED = {"c": "component", "ctx": "thread"}


def _is_record(obj: dict) -> bool:
    stamp = obj.get("t")
    return isinstance(stamp, dict) and "$date" in stamp and "s" in obj and "msg" in obj


def sniff_json(sample: Sample) -> float:
    """Return 0.95 when the sampled lines are JSON objects with MongoDB's `t.$date`, `s` and
    `msg` keys (above JSON lines' 0.85)."""
    return scaled(object_share(sample, _is_record), 0.95)


def parse_json(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per record (see the module); other lines are entries of their own."""
    if lines.height == 0:
        return empty_parsed()
    objects = with_cut_records(lines["text"], read_json_objects(lines["text"]))
    fields = objects.fields
    stamps = [k for k in _STAMP_KEYS if k in fields.columns]
    if len(stamps) > 1:  # dates outside 1970-9999 are written as `{"$numberLong": "..."}`
        fields = fields.with_columns(pl.coalesce(stamps).alias(stamps[0])).drop(stamps[1:])
        objects = type(objects)(objects.is_object, fields, objects.top_level)
    entries = entries_from_objects(
        lines,
        objects,
        ctx,
        ts_key=stamps[0] if stamps else None,
        level_key=None,
        message_key="msg" if "msg" in fields.columns else None,
        zone_known=True,
    )
    if "s" in entries.columns:
        entries = entries.with_columns(level=map_levels(pl.col("s"), LEVELS)).drop("s")
    # `msg` is the message itself: no header is learned on it (`header.learn_and_split`).
    entries = entries.with_columns(body_kind=pl.lit(TEXT, dtype=pl.UInt8))
    return entries.rename({k: v for k, v in _RENAMED.items() if k in entries.columns})


# --- up to 4.2 -----------------------------------------------------------------------------

TEXT_LINE = ascii_classes(
    r"^(?P<stamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:?\d{2})?)\s+"
    r"(?P<s>[FEWI]|D\d?)\s+(?P<component>[A-Z_]+|-)\s+\[(?P<thread>[^\]]+)\](?: |$)"
)
_TEXT_LINE_RE = compiled(TEXT_LINE)


def sniff_text(sample: Sample) -> float:
    """Return 0.85 when 60% of the sampled lines are MongoDB (up to 4.2) text lines."""
    return scored(line_share(sample, _TEXT_LINE_RE, skip=INDENTED_RE), 0.85)


def parse_text(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per text line, with the lines after it that start none."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = header_parts(text, TEXT_LINE)
    columns = parts.select(
        map_levels(pl.col("s"), LEVELS).alias("level"),
        "component",
        "thread",
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=read_stamps(parts, pl.col("stamp"), ctx))
    return entries_from_starts(lines, parts["h"].is_not_null(), present_fields(columns), ctx=ctx)


FORMATS: list[Format] = [
    Format("mongodb", "MongoDB log (JSON)", sniff_json, parse_lines=parse_json),
    Format("mongodb-text", "MongoDB log (text, up to 4.2)", sniff_text, parse_lines=parse_text),
]

"""JSON lines (one JSON object per line) and journald's `journalctl -o json` output: the keys
chosen for stamp, level and message (`fields`), the objects read by polars
(`json_objects`)."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from logview.core.reading import levels
from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.fields import (
    MESSAGE_KEYS,
    TS_KEYS,
    entries_from_objects,
    find_key,
    level_key_by_value,
    level_key_of,
    scaled,
    stamp_key_by_value,
)
from logview.core.reading.parsers.json_objects import (
    JsonObjects,
    decode_byte_arrays,
    object_share,
    read_json_objects,
    with_cut_records,
)
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import empty_parsed

# --- JSON lines ----------------------------------------------------------------------------


def parse_json_lines(lines: pl.DataFrame, ctx: ParseContext, *, runs: bool = True) -> pl.DataFrame:
    """Return one entry per JSON object, read by key; the other lines (a banner, a panic's
    stack trace on stderr between the records) read as plain text, so that a trace's lines
    are one entry (each run of them after a record one entry, unless not `runs`: a caller
    whose lines are each an entry already, a container's stamped lines); a run right after a
    FATAL record is part of it (`_with_told_crash`)."""
    if lines.height == 0:
        return empty_parsed()
    objects = with_cut_records(lines["text"], read_json_objects(lines["text"]))
    entries = _objects_to_entries(lines, objects, ctx)
    if objects.is_object.all():
        return entries
    from logview.core.reading.parsers.text import parse_text

    # Each run of plain lines between records is an entry (another writer's report: a crash's
    # stack on stderr); a record ends what is above it. Before the first record, the lines
    # are a banner's, read as text without stamps is.
    after_object = objects.is_object.shift(1, fill_value=True)
    plain = ~objects.is_object
    if runs:
        entries, told = _with_told_crash(entries, objects.is_object, lines["text"])
        plain = plain & ~told
    if not plain.any():
        return entries.filter(objects.is_object)
    later = (objects.is_object.cum_sum() > 0).filter(plain) if runs else None
    others = parse_text(lines.filter(plain), ctx, opens=after_object.filter(plain), runs=later)
    return pl.concat([entries.filter(objects.is_object), others], how="diagonal_relaxed").sort(
        "line"
    )


def _with_told_crash(
    entries: pl.DataFrame, is_object: pl.Series, text: pl.Series
) -> tuple[pl.DataFrame, pl.Series]:
    """Return `entries` (one per line) with the plain lines right after a FATAL record joined
    to its message, and which lines those are: the crash the record announced (zap's and
    logrus's `panic` level log the record, then Go panics: `panic: ...` and the goroutines'
    stacks are the same event)."""
    fatal = is_object & (entries["level"].cast(pl.String) == "FATAL").fill_null(False)
    if not fatal.any():
        return entries, pl.repeat(False, is_object.len(), eager=True)
    frame = pl.DataFrame({"obj": is_object, "fatal": fatal, "text": text}).with_columns(
        owner=is_object.cum_sum(),
        after_fatal=pl.when(pl.col("obj")).then(pl.col("fatal")).forward_fill().fill_null(False),
    )
    told = frame.select(~pl.col("obj") & pl.col("after_fatal")).to_series()
    tails = (
        frame.filter(told)
        .group_by("owner", maintain_order=True)
        .agg(pl.col("text").str.join("\n").alias("tail"))
    )
    joined = (
        frame.select("owner", "obj")
        .with_columns(message=entries["message"])
        .join(tails, on="owner", how="left", maintain_order="left")
        .select(
            pl.when(pl.col("obj") & pl.col("tail").is_not_null())
            .then(pl.col("message") + "\n" + pl.col("tail"))
            .otherwise(pl.col("message"))
        )
        .to_series()
    )
    return entries.with_columns(message=joined), told


def parse_records(text: str, records: list[tuple[int, str]], ctx: ParseContext) -> pl.DataFrame:
    """Return the entries of records found in a document's `text`, each given as (its offset
    in `text`, its JSON object as text): read as JSON lines are, each at the line its offset
    is on (JSON documents, XML records)."""
    if not records:
        return empty_parsed()
    numbers, line, last = [], 1, 0
    for offset, _ in records:
        line += text.count("\n", last, offset)
        last = offset
        numbers.append(line)
    lines = pl.DataFrame(
        {"line": pl.Series(numbers, dtype=pl.UInt64), "text": [record for _, record in records]}
    )
    return parse_json_lines(lines, ctx)


# Kibana's older JSON log (7.x's `logging.json`) names the level as the first of its `tags`,
# `"tags":["warning","config","deprecation"]`, and only error events have a `level` key.
_TAG_LEVEL = "_tag_level"
_FIRST_TAG = ascii_classes(r'^\[\s*"([^"]*)"')
_TAGGED_SHARE = 0.5


def _level_from_tags(fields: pl.DataFrame, level_key: str | None) -> pl.Series | None:
    """Return the records' levels from their `tags` list where its first tag is a level word
    in most records that have tags (the level key's value first where there is one), or
    None."""
    if "tags" not in fields.columns:
        return None
    first = levels.normalise_words(pl.col("tags").str.extract(_FIRST_TAG, 1))
    found = fields.select(first.alias(_TAG_LEVEL)).to_series()
    tagged = fields["tags"].drop_nulls()
    if not tagged.len() or found.drop_nulls().len() < _TAGGED_SHARE * tagged.len():
        return None
    if level_key is not None:
        own = fields.select(levels.normalise_field(pl.col(level_key))).to_series()
        found = own.fill_null(found)
    return found.rename(_TAG_LEVEL)


_KLOG_KEYS = {"ts", "caller", "msg", "v"}
_KLOG_LEVEL = "_klog_level"


def _objects_to_entries(
    lines: pl.DataFrame, objects: JsonObjects, ctx: ParseContext
) -> pl.DataFrame:
    """Return one entry per line, from the objects' keys (the line as written where the line
    is no object)."""
    fields = objects.fields
    top = [c for c in fields.columns if c in objects.top_level]
    ts_key = find_key(fields.columns, TS_KEYS) or stamp_key_by_value(fields, top)
    level_key = level_key_of(fields, [c for c in fields.columns if c != ts_key])
    message_key = find_key(
        [c for c in fields.columns if c not in (ts_key, level_key)], MESSAGE_KEYS
    )
    # Serilog's compact format (CLEF) leaves `@l` out of Information events.
    clef = ts_key == "@t" and bool({"@mt", "@m"} & set(fields.columns))
    if level_key is None and not clef:
        level_key = level_key_by_value(fields, [c for c in top if c not in (ts_key, message_key)])
    if level_key is None and _KLOG_KEYS <= set(top):
        # Kubernetes components' JSON (klog's structured logging) has no level key: an info
        # record carries its verbosity `v`, an error record `err` and no `v`.
        klog = fields.select(
            pl.when(pl.col("v").is_not_null())
            .then(pl.lit("INFO"))
            .when(pl.col("err").is_not_null() if "err" in top else pl.lit(False))
            .then(pl.lit("ERROR"))
            .alias(_KLOG_LEVEL)
        )
        objects = replace(objects, fields=fields.hstack(klog))
        level_key = _KLOG_LEVEL
    tagged = _level_from_tags(objects.fields, level_key)
    if tagged is not None:
        objects = replace(objects, fields=objects.fields.hstack([tagged]))
        level_key = _TAG_LEVEL
    return entries_from_objects(
        lines,
        objects,
        ctx,
        ts_key=ts_key,
        level_key=level_key,
        message_key=message_key,
        default_level="INFO" if clef else None,
    )


def sniff_json_lines(sample: Sample) -> float:
    """Return 0.85 when at least 80% of the sampled lines are JSON objects, less with fewer."""
    return scaled(object_share(sample, lambda o: True), 0.85)


# --- journald ------------------------------------------------------------------------------

JOURNALD_KEEP = ("_SYSTEMD_UNIT", "SYSLOG_IDENTIFIER", "_PID", "_HOSTNAME")
# The journal's fields that syslog's lines carry too, under syslog's names (`host`, `program`,
# `pid`), so that one click on a program narrows both kinds of source in a merged bundle.
JOURNALD_NAMES = {"_HOSTNAME": "host", "SYSLOG_IDENTIFIER": "program", "_PID": "pid",
                  "_SYSTEMD_UNIT": "unit"}  # fmt: skip


def sniff_journald(sample: Sample) -> float:
    """Return 0.95 when the sampled lines are JSON objects with journald's stamp and message."""
    return scaled(
        object_share(sample, lambda o: "__REALTIME_TIMESTAMP" in o and "MESSAGE" in o), 0.95
    )


def parse_journald(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per journal record: stamp in µs, PRIORITY as level, MESSAGE as text."""
    if lines.height == 0:
        return empty_parsed()
    objects = read_json_objects(lines["text"])
    fields = objects.fields
    if "MESSAGE" in fields.columns:
        fields = fields.with_columns(MESSAGE=decode_byte_arrays(fields["MESSAGE"]))
        objects = JsonObjects(objects.is_object, fields, objects.top_level)
    parsed = entries_from_objects(
        lines,
        objects,
        ctx,
        ts_key="__REALTIME_TIMESTAMP" if "__REALTIME_TIMESTAMP" in fields.columns else None,
        level_key="PRIORITY" if "PRIORITY" in fields.columns else None,
        message_key="MESSAGE" if "MESSAGE" in fields.columns else None,
        keep=JOURNALD_KEEP,
        zone_known=True,
    )
    names = {
        old: new
        for old, new in JOURNALD_NAMES.items()
        if old in parsed.columns and new not in parsed.columns
    }
    return parsed.rename(names)


FORMATS: list[Format] = [
    Format("journald", "journald JSON", sniff_journald, parse_lines=parse_journald),
    Format("jsonl", "JSON lines", sniff_json_lines, parse_lines=parse_json_lines),
]

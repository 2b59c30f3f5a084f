"""The fields of structured records, shared by the formats that read them (JSON lines, CSV,
CloudWatch, container payloads, logfmt, MongoDB, access and W3C logs): which key holds the
stamp, the level and the message; stamps, levels and extra columns read from them; and how
sure a sniffer is for a share of matching lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import polars as pl

from logview.core.reading import level_numbers, levels
from logview.core.reading.formats import ParseContext
from logview.core.reading.parsers.json_objects import JsonObjects
from logview.core.reading.timestamps import parse_stamp_column
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS, extra_column_name

# Key names, case-insensitive, in order of preference (`messageType` is Apple's unified log's,
# as `log show --style ndjson` writes it).
TS_KEYS = ("@timestamp", "timestamp", "time", "ts", "datetime", "date", "@t", "t", "eventTime",
           "asctime")  # fmt: skip
LEVEL_KEYS = ("level", "lvl", "severity", "log.level", "loglevel", "@l", "levelname", "priority",
              "level_name", "severity_text", "severitytext", "severity_number",
              "severitynumber", "levelno", "syslog_severity", "syslog.severity",
              "pri", "messagetype", "severitylevel")  # fmt: skip
# `@mt` (Serilog's message template) comes last: only used when no rendered message exists.
MESSAGE_KEYS = ("message", "msg", "@message", "@m", "log", "text", "event", "short_message", "@mt")
MAX_EXTRA_COLUMNS = 128
# pino and bunyan write levels as numbers: 10 trace .. 60 fatal. (Read so only by `level_names`,
# for formats that read levels one value at a time; JSON lines decide per source, see
# `level_numbers`.)
NUMERIC_LEVELS = levels.NUMERIC_LEVELS
_BY_VALUE_SAMPLE = 200
# A stamp found by value must fall in these years, so that counters and ids are not taken for
# epoch seconds.
_PLAUSIBLE_YEARS = (1990, 2100)


def find_key(columns: Iterable[str], names: Sequence[str]) -> str | None:
    """Return the column matching the earliest of `names` (case-insensitive), or None."""
    by_lower: dict[str, str] = {}
    for column in columns:
        by_lower.setdefault(column.lower(), column)
    for name in names:
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    return None


def squeezed(name: str) -> str:
    """Return `name` in lower case without what is not a letter or a digit (`Time Created`
    and `time_created` are both `timecreated`)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _stamp_name_rank(name: str) -> tuple[bool, bool]:
    lowered = name.lower()
    timed = any(word in lowered for word in ("time", "date", "stamp"))
    ending = any(word in lowered for word in ("end", "finish", "stop", "close"))
    return not timed, ending


def _sampled(values: pl.Series) -> pl.Series:
    return values.drop_nulls().head(_BY_VALUE_SAMPLE)


def stamp_key_by_value(fields: pl.DataFrame, candidates: Iterable[str]) -> str | None:
    """Return the first of `candidates` whose sampled values all read as plausible stamps:
    those named as a time first, and of those a start's before an end's (Cloudflare's
    `EdgeEndTimestamp` comes before its `EdgeStartTimestamp`: a request happened when it
    started)."""
    for name in sorted(candidates, key=_stamp_name_rank):
        sample = _sampled(fields[name])
        if sample.len() == 0:
            continue
        stamps = parse_stamp_column(sample).ts
        if stamps.null_count() or stamps.len() != sample.len():
            continue
        years = stamps.dt.year()
        if years.min() >= _PLAUSIBLE_YEARS[0] and years.max() <= _PLAUSIBLE_YEARS[1]:  # type: ignore[operator]
            return name
    return None


def level_key_by_value(fields: pl.DataFrame, candidates: Iterable[str]) -> str | None:
    """Return the first of `candidates` whose sampled values are all level words.

    Digits and single letters are level aliases too, but a column of only those is more
    likely a counter or a flag: at least one value must be a word.
    """
    for name in candidates:
        sample = _sampled(fields[name])
        if sample.len() == 0 or sample.str.contains(ascii_classes(r"^\s*\d+\s*$")).any():
            continue
        if not (sample.str.len_chars() > 1).any():
            continue
        if pl.select(levels.normalise_words(pl.lit(sample))).to_series().null_count() == 0:
            return name
    return None


def level_key_of(fields: pl.DataFrame, columns: Sequence[str]) -> str | None:
    """Return the level key among `columns` (LEVEL_KEYS, in their order), preferring one whose
    values are words to one of numbers: Monolog writes `"level":200,"level_name":"INFO"`,
    OpenTelemetry `severity_number` beside `severity_text`."""
    found = [c for name in LEVEL_KEYS if (c := find_key(columns, [name])) is not None]
    for name in found:
        sample = _sampled(fields[name])
        if sample.len() and not sample.str.contains(ascii_classes(r"^\s*-?\d+\s*$")).all():
            return name
    return found[0] if found else None


def level_names(expr: pl.Expr) -> pl.Expr:
    """Return level text (words, syslog digits or pino numbers) as normalised names or null."""
    pino = (
        expr.cast(pl.String)
        .str.strip_chars()
        .replace_strict(NUMERIC_LEVELS, default=None, return_dtype=pl.String)
    )
    # (a field's own words too: MySQL's `System`, Dell's `Ok`, HPE's `Caution`)
    return pl.coalesce(levels.normalise_field(expr.cast(pl.String)), pino)


def parse_stamps(values: pl.Series, ctx: ParseContext, *, zone_known: bool = False) -> pl.Series:
    """Return stamps (text or numbers) as Datetime(us, UTC) named `ts`, null where unreadable.

    Assumptions the parser made about a missing year or zone go to `ctx.note`, unless the
    format itself says which zone its stamps are in (`zone_known`).
    """
    values = values.cast(pl.String)
    if values.len() == 0 or values.null_count() == values.len():
        return pl.Series("ts", [None] * values.len(), dtype=TS)
    result = parse_stamp_column(values, mtime=ctx.mtime, tz=ctx.tz)
    for note in result.notes:
        lowered = note.lower()
        if "year" in lowered or ("zone" in lowered and not zone_known):
            ctx.note(note)
    return result.ts.cast(TS).rename("ts")


def cap_extras(
    fields: pl.DataFrame,
    ctx: ParseContext,
    *,
    keep: Sequence[str] = (),
    limit: int | None = None,
) -> pl.DataFrame:
    """Return at most `limit` columns of `fields`: those in `keep` first, then the fullest.

    `limit` defaults to MAX_EXTRA_COLUMNS. The dropped keys are named through `ctx.warn`;
    columns keep their order.
    """
    limit = MAX_EXTRA_COLUMNS if limit is None else limit
    if fields.width <= limit:
        return fields
    nulls = fields.null_count().row(0)
    rank = sorted(
        range(fields.width),
        key=lambda i: (fields.columns[i] not in keep, nulls[i], i),
    )
    kept = sorted(rank[:limit])
    dropped = [fields.columns[i] for i in sorted(rank[limit:])]
    listed = ", ".join(dropped[:10]) + (
        f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
    )
    ctx.warn(f"only the {limit} most used fields kept as columns; dropped: {listed}")
    return fields.select([fields.columns[i] for i in kept])


def extras_frame(fields: pl.DataFrame) -> pl.DataFrame:
    """Return `fields` with names fit for the table: core names get `_`, duplicates more `_`."""
    names: list[str] = []
    for column in fields.columns:
        name = extra_column_name(column)
        while name in names:
            name += "_"
        names.append(name)
    return fields.rename(dict(zip(fields.columns, names, strict=True)))


def entries_from_objects(
    lines: pl.DataFrame,
    objects: JsonObjects,
    ctx: ParseContext,
    *,
    ts_key: str | None,
    level_key: str | None,
    message_key: str | None,
    keep: Sequence[str] = (),
    zone_known: bool = False,
    default_level: str | None = None,
) -> pl.DataFrame:
    """Return the parsed frame of one entry per line from the objects' chosen keys.

    `message` is the message key's value, or the line as written where there is none; the
    other fields become extra columns (at most MAX_EXTRA_COLUMNS). Objects without a level
    take `default_level` where the format gives one.
    """
    fields = objects.fields
    n = lines.height
    ts = parse_stamps(fields[ts_key], ctx, zone_known=zone_known) if ts_key else None
    level = None
    if level_key:
        level, note = level_numbers.levels_of(fields[level_key], level_key, fields.columns)
        if note:
            ctx.note(note)
    if default_level is not None:
        if level is None:
            level = pl.Series([None] * n, dtype=pl.String)
        is_object = objects.fields.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
        level = level.zip_with(level.is_not_null() | ~is_object, pl.Series([default_level] * n))
    message = lines["text"]
    if message_key:
        message = fields[message_key].fill_null(lines["text"])
    used = {ts_key, level_key, message_key}
    extras = cap_extras(fields.select([c for c in fields.columns if c not in used]), ctx, keep=keep)
    core = pl.DataFrame(
        [
            ts if ts is not None else pl.Series("ts", [None] * n, dtype=TS),
            (level if level is not None else pl.Series([None] * n, dtype=pl.String)).rename(
                "level"
            ),
            lines["line"].cast(pl.UInt64).rename("line"),
            message.rename("message"),
        ]
    )
    return core.hstack(extras_frame(extras))


def scaled(share: float, confidence: float, threshold: float = 0.8) -> float:
    """Return `confidence` when `share` reaches `threshold`, proportionally less below it."""
    return confidence if share >= threshold else confidence * share


def status_level(status: pl.Expr) -> pl.Expr:
    """Return the level of an HTTP status: 5xx ERROR, 4xx WARN, anything else INFO."""
    code = status.cast(pl.Int32, strict=False)
    return (
        pl.when(code >= 500)
        .then(pl.lit("ERROR"))
        .when(code >= 400)
        .then(pl.lit("WARN"))
        .otherwise(pl.lit("INFO"))
    )

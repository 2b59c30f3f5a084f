"""logfmt: lines of `key=value` pairs (`time=... level=info msg="user logged in" user=bob`)."""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading import level_numbers, zones
from logview.core.reading.formats import EARLY_LINES, Format, ParseContext, Sample
from logview.core.reading.parsers.fields import (
    LEVEL_KEYS,
    extras_frame,
    find_key,
    parse_stamps,
    scaled,
)
from logview.core.reading.parsers.headed import entries_from_matches
from logview.core.reading.stamp_search import detect_layout, read_other_stamps
from logview.core.reading.timestamps import extract_stamps_noted
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS, empty_parsed

TS_KEYS = ("time", "ts", "timestamp", "t")
MESSAGE_KEYS = ("msg", "message")
MAX_EXTRA_COLUMNS = 64
_KEY = ascii_classes(r"[A-Za-z_][\w.\-/@]*")
_VALUE = ascii_classes(r'"(?:[^"\\]|\\.)*"|\S*')
# (a syslog PRI may open the line, glued to its first key: FortiGate's raw syslog,
# `<189>date=2024-06-27 time=10:15:02 devname=...`)
_PAIR_START = r"(?:^(?:<\d{1,3}>)?|\s)"
PAIR = ascii_classes(rf"{_PAIR_START}({_KEY})=({_VALUE})")
# Sniffing: a line is logfmt when its pairs cover most of it and it has one of the well-known
# keys or at least this many pairs.
_MIN_PAIRS = 3
_MIN_COVERAGE = 0.75
_PAIR_RE = re.compile(rf"{_PAIR_START}({_KEY})=(?:{_VALUE})")


def _is_logfmt_line(line: str) -> bool:
    text = line.strip()
    if not text:
        return False
    matches = list(_PAIR_RE.finditer(text))
    covered = sum(len(m.group(0).strip()) for m in matches)
    if covered < _MIN_COVERAGE * len(text):
        return False
    keys = {m.group(1).lower() for m in matches}
    well_known = keys & {*TS_KEYS, *LEVEL_KEYS, *MESSAGE_KEYS}
    return bool(well_known) or len(matches) >= _MIN_PAIRS


_MIN_SHARE = 0.5


def sniff(sample: Sample) -> float:
    """Return 0.85 when at least 80% of the sampled lines are mostly `key=value` pairs."""
    lines = sample.lines
    if not lines or not any(_is_logfmt_line(line) for line in lines[:EARLY_LINES]):
        return 0.0
    # A loop over the sampled lines only (at most 200). Below half, the pairs are some lines'
    # figures (Klipper's `Stats 5114.2: gcodein=0 ...` among its plain lines): text.
    share = sum(_is_logfmt_line(line) for line in lines) / len(lines)
    return scaled(share, 0.85) if share >= _MIN_SHARE else 0.0


def _unquote(expr: pl.Expr) -> pl.Expr:
    """Return logfmt values without their quotes, `\\"` and `\\\\` unescaped."""
    quoted = expr.str.starts_with('"') & expr.str.ends_with('"') & (expr.str.len_chars() >= 2)
    inner = expr.str.slice(1, expr.str.len_chars() - 2).str.replace_all(r'\\(["\\])', "$1")
    return pl.when(quoted).then(inner).otherwise(expr)


def key_counts(text: pl.Series) -> pl.DataFrame:
    """Return the keys found in `text` with the number of lines holding each, most used first.

    Ties are broken by first appearance, so column order follows the file.
    """
    keys = (
        text.rename("text")
        .to_frame()
        .with_row_index("_row")
        .select("_row", key=pl.col("text").str.extract_all(PAIR))
        .explode("key")
        .drop_nulls("key")
        .with_columns(
            pl.col("key").str.extract(ascii_classes(rf"^(?:<\d{{1,3}}>)?\s*({_KEY})="), 1)
        )
        .unique(["_row", "key"], keep="first", maintain_order=True)
    )
    return (
        keys.group_by("key", maintain_order=True)
        .agg(lines=pl.len(), first=pl.col("_row").min())
        .sort(["lines", "first"], descending=[True, False])
        .select("key", "lines")
    )


def _header_stamps(text: pl.Series, ctx: ParseContext) -> pl.Series:
    """Return the stamps of pairs written after a line header of their own (a syslog-style
    `2024:03:14-09:26:53 utm-1 ulogd[4521]: id="2001" ...`): the stamp found in the lines'
    starts, where the pairs carry none (nulls when the lines have no stamp)."""
    sample = text.head(SAMPLE_LINES).drop_nulls().to_list()
    layout = detect_layout(sample) if sample else None
    if layout is None:
        return pl.Series("ts", [None] * text.len(), dtype=TS)
    ts, _end, notes = extract_stamps_noted(text, layout, mtime=ctx.mtime, tz=ctx.tz)
    for note in notes:
        ctx.note(note)
    return ts.cast(TS).rename("ts")


SAMPLE_LINES = 200  # the lines a header's stamp layout is learned from


def parse_logfmt(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per logfmt line: ts, level and message keys by name, the rest extras.

    Stamp keys: time ts timestamp t; level keys those of JSON (`fields.LEVEL_KEYS`: level lvl
    severity ... pri), numbers read by the convention the key and values tell
    (`level_numbers`); message keys: msg message (the first present of each list,
    case-insensitive). `message` is the msg value
    where a line has one, else the line as written. The other keys become extra columns, at
    most MAX_EXTRA_COLUMNS (the most used; the dropped ones are named through `ctx.warn`).
    Lines without any pair stand alone (or join the entry above when indented).
    """
    if lines.height == 0:
        return empty_parsed()
    counts = key_counts(lines["text"])
    keys = counts["key"].to_list()
    # A date and a time as two keys (`date=2024-03-14 time=09:26:53`) make the stamp together.
    split_stamp = {"date", "time"} <= set(keys)
    ts_key = None if split_stamp else find_key(keys, TS_KEYS)
    level_key = find_key([k for k in keys if k != ts_key], LEVEL_KEYS)
    message_key = find_key([k for k in keys if k not in (ts_key, level_key)], MESSAGE_KEYS)
    others = [k for k in keys if k not in (ts_key, level_key, message_key)]
    if len(others) > MAX_EXTRA_COLUMNS:
        dropped = others[MAX_EXTRA_COLUMNS:]
        listed = ", ".join(dropped[:10]) + (
            f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
        )
        ctx.warn(f"only the {MAX_EXTRA_COLUMNS} most used keys kept as columns; dropped: {listed}")
        others = others[:MAX_EXTRA_COLUMNS]
    # A loop over the distinct keys (at most MAX_EXTRA_COLUMNS + 3), each one vectorised.
    wanted = [k for k in (ts_key, level_key, message_key) if k is not None] + others
    values = lines.select(
        [
            _unquote(
                pl.col("text").str.extract(
                    ascii_classes(rf"{_PAIR_START}{re.escape(key)}=({_VALUE})"), 1
                )
            ).alias(key)
            for key in wanted
        ]
    )
    n = lines.height
    if ts_key:
        ts = parse_stamps(values[ts_key], ctx)
    elif split_stamp and {"date", "time"} <= set(values.columns):
        ts = parse_stamps(_date_and_time(values), ctx)
    else:
        ts = _header_stamps(lines["text"], ctx)
    matched = lines["text"].str.contains(PAIR)
    # Lines of another writer whose text has pairs too but no stamp key (the Kubernetes
    # components' klog lines, `I0314 09:21:19.240177 ... node="edge-gw-07"`, in k3s's log)
    # keep the stamp they start with. (Lines without pairs are `entries_from_matches`'s.)
    unread = (ts.is_null() & matched).arg_true()
    if unread.len():
        other = read_other_stamps(lines["text"].gather(unread), mtime=ctx.mtime, tz=ctx.tz)
        for note in other.notes:
            ctx.note(note)
        ts = ts.scatter(unread, other.ts.cast(ts.dtype))
    level = pl.Series([None] * n, dtype=pl.String)
    if level_key:
        level, note = level_numbers.levels_of(values[level_key], level_key, keys)
        if note:
            ctx.note(note)
    columns = pl.DataFrame([ts.rename("ts"), level.rename("level")]).hstack(
        extras_frame(values.select(others))
    )
    message = values[message_key] if message_key else None
    # A line of another writer between the pairs that starts with a stamp of its own (the
    # Kubernetes components' klog lines in k3s's log) is an entry with that stamp.
    return entries_from_matches(lines, matched, columns, message, ctx=ctx)


def _date_and_time(values: pl.DataFrame) -> pl.Series:
    """Return the stamps of records that write their date and time as two keys (`date=2024-03-14
    time=09:26:53`, firewalls' key=value logs), with the offset of a `tz=+0100` key or the
    zone a `tz` or `timezone` key names (Sophos Firewall's `timezone="CET"`), read as a zone
    after a stamp is (`zones`)."""
    parts = [pl.col("date"), pl.lit(" "), pl.col("time")]
    zone_keys = [key for key in ("tz", "timezone") if key in values.columns]
    if zone_keys:
        zone = pl.coalesce([pl.col(key) for key in zone_keys]).str.strip_chars()
        parts += [
            pl.when(zone.str.contains(r"^[+-][0-9]{2}:?[0-9]{2}$"))
            .then(zone)
            .when(zone.str.contains(rf"^(?:UTC|GMT|{zones.names_regex()}|{zones.iana_regex()})$"))
            .then(pl.lit(" ") + zone)
        ]
    stamp = pl.concat_str(parts, ignore_nulls=True)
    return values.select(pl.when(pl.col("date").is_not_null()).then(stamp)).to_series()


FORMATS: list[Format] = [Format("logfmt", "logfmt", sniff, parse_lines=parse_logfmt)]

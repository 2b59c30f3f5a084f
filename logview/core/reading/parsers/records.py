"""Records written as `Key: value` (or `Key = value`) lines, one block per event.

Tools that print events field by field write them so: PowerShell's `Get-WinEvent | Format-List`
(`TimeCreated  : 3/14/2024 9:26:53 AM`, records apart by a blank line), `wevtutil qe /f:text`
(`Event[0]:` then indented `Date: ...`, `Level: Error`, `Description:` with the text on the
lines after), Dell's `racadm lclog view` (`Timestamp       = 2024-03-14 09:26:10`, records
closed by a line of dashes; its `racadm getsel`, `Date/Time:   03/14/2024 09:20:12`). In a
terminal capture, the prompt and command above the records and the prompt after them are no
part of any record (`terminal.terminal_chrome`). A record starts at a head line (`Event[0]:`)
where the source has them, else at the key every record opens with (the first key after a
blank or a rule line, most often); rule lines (`-----`) are no part of any record. A line that
is no `Key: value` (a description's text) belongs to the record it is in.

The stamp is the value of the record's time key (the first of `Timestamp`, `TimeCreated`,
`Date`, `Time`... that most records have: a source is sniffed as records only with one), the
level that of a level key (`Level`,
`Severity`, `LevelDisplayName`, `EntryType`), read as level words; the message is the record as
written, its body from the value of a message key (`Message`, `Description`) when there is one.
The other keys that most records have are fields, named in lower case with `_` for spaces.
"""

from __future__ import annotations

import re
from collections import Counter

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.levels import normalise_words
from logview.core.reading.parsers.fields import parse_stamps, squeezed
from logview.core.reading.parsers.headed import entries_from_starts
from logview.core.reading.parsers.terminal import PROMPT_RE, terminal_chrome
from logview.core.shared.body import TEXT
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed, extra_column_name

# A field line: a short key of words (letters first), a colon or an equals sign with white
# space after it (or nothing: the value is on the lines below), the value. A record's number
# may stand before its first field (Dell EMC's uemcli: `1:    Time     = 2024-06-27 ...`).
_NUMBER = r"(?:\d{1,6}:[ \t]+)?"
KEY_VALUE = ascii_classes(
    rf"^[ \t]{{0,8}}{_NUMBER}"
    r"(?P<key>[A-Za-z][A-Za-z0-9 _.()/-]{0,38}?)[ \t]*[:=](?:[ \t]+(?P<value>\S.*?))?"
    r"[ \t]*$"
)
_KEY_VALUE = compiled(KEY_VALUE)
# A rule between records, and a record's head line (`Event[0]:`, `Record 12:`).
RULE = ascii_classes(r"^[ \t]*(?:-{5,}|={5,}|\*{5,}|_{5,})[ \t]*$")
# A record's number before its first field (uemcli's `1:    Time = ...`) is a head line too.
_NUMBERED = ascii_classes(r"^[ \t]{0,8}\d{1,6}:[ \t]+[A-Za-z]")
HEAD = ascii_classes(
    rf"^(?:[A-Za-z][A-Za-z ]{{0,30}}(?:\[\d+\]|\s#?\d+):[ \t]*$|{_NUMBERED.removeprefix('^')})"
)
_RULE, _HEAD, _NUMBERED_RE = compiled(RULE), compiled(HEAD), compiled(_NUMBERED)
# Key names (lower case, without spaces) that hold a record's time, level and message.
TIME_KEYS = ("timestamp", "timecreated", "datetime", "dateandtime", "timegenerated",
             "timewritten", "eventtime", "date", "time", "logged", "created")  # fmt: skip
LEVEL_KEYS = ("level", "severity", "leveldisplayname", "entrytype", "eventtype")
MESSAGE_KEYS = ("message", "description", "msg", "eventdata")
# Sniffing: this share of a sample's lines (blank lines, rules and heads aside) are fields,
# at least this many records show the opening key, and one key a record has names a time.
_FIELD_SHARE = 0.7
_MIN_RECORDS = 2
_MAX_FIELDS = 32


def _layout(lines: list[str]) -> tuple[str | None, str | None, bool]:
    """Return the key records open with, the key that holds their time (or None), and whether
    records start at head lines; (None, None, False) when `lines` are no such records."""
    firsts: Counter[str] = Counter()
    keys: Counter[str] = Counter()
    fields = other = heads = 0
    after_break = True
    for line in lines:
        if not line.strip() or _RULE.match(line):
            after_break = True
            continue
        if _HEAD.match(line):
            heads += 1
            after_break = True
            if not _NUMBERED_RE.match(line):
                continue
        found = _KEY_VALUE.match(line)
        if found is None:
            # (an indented line goes on a value: Format-List aligns a message's lines under it)
            other += not line[:1].isspace()
            continue
        fields += 1
        key = found["key"].strip()
        keys[key] += 1
        if after_break:
            firsts[key] += 1
            after_break = False
    if not fields or fields < _FIELD_SHARE * (fields + other) or not firsts:
        return None, None, False
    opening = firsts.most_common(1)[0][0]
    records = heads if heads >= _MIN_RECORDS else keys[opening]
    if records < _MIN_RECORDS:
        return None, None, False
    by_name = {squeezed(k): k for k in keys if keys[k] * 2 >= records}
    time_key = next((by_name[n] for n in TIME_KEYS if n in by_name), None)
    return opening, time_key, heads >= _MIN_RECORDS


def sniff(sample: Sample) -> float:
    """Return 0.75 when the sample is records of `Key: value` lines with a time key, else 0."""
    if not sample.lines:
        return 0.0
    lines = list(sample.lines)
    if PROMPT_RE.match(lines[0]):
        lines = lines[1:]  # a terminal capture: the command that printed the records
    # The first line of such a file is a field, a head or a rule (a stamped line with fields
    # after it is another writer's: Exim's rejectlog quotes a message's headers under it).
    first = lines[0] if lines else ""
    if not (_KEY_VALUE.match(first) or _HEAD.match(first) or _RULE.match(first)):
        return 0.0
    opening, time_key, _ = _layout(lines)
    return 0.75 if opening is not None and time_key is not None else 0.0


def _value_of(key: str) -> str:
    """Return the regex of `key`'s value on a line of a record's text (the first one)."""
    return ascii_classes(rf"(?m)^[ \t]*{_NUMBER}{re.escape(key)}[ \t]*[:=][ \t]*(.*?)[ \t]*$")


def _unquoted(value: pl.Expr) -> pl.Expr:
    """Return `value` without the quotes around it (YAML's `timestamp: '2024-03-09T...'`, as
    `gcloud logging read` prints records)."""
    return value.str.replace(r"^'(.*)'$", "$1").str.replace(r'^"(.*)"$', "$1")


def parse_records(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per record (see the module)."""
    lines = lines.filter(~pl.col("text").str.contains(RULE))
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    opening, time_key, headed = _layout(text.head(2000).to_list())
    parts = text.str.extract_groups(KEY_VALUE).struct.unnest()
    key = parts["key"].str.strip_chars()
    if headed:
        starts = text.str.contains(HEAD)
    elif opening is not None:
        starts = key == opening
    else:
        starts = pl.Series([True] * text.len())
    chrome = terminal_chrome(text, starts.fill_null(False), ctx)
    if chrome is not None:
        lines, text, key, parts = (x.filter(~chrome) for x in (lines, text, key, parts))
        starts = starts.filter(~chrome)
    empty = pl.Series("ts", [None] * text.len(), dtype=TS)
    columns = pl.DataFrame({"ts": empty, "level": pl.Series([None] * text.len(), dtype=pl.String)})
    entries = entries_from_starts(lines, starts.fill_null(False), columns, header_read=False)
    message = entries["message"]
    counts = key.drop_nulls().value_counts(sort=True)
    records = max(1, entries.height)
    common = [k for k, n in counts.iter_rows() if n * 2 >= records]
    by_name = {squeezed(k): k for k in common}
    level_key = next((by_name[n] for n in LEVEL_KEYS if n in by_name), None)
    message_key = next((by_name[n] for n in MESSAGE_KEYS if n in by_name), None)
    values = pl.DataFrame({"m": message})
    ts = (
        parse_stamps(
            values.select(_unquoted(pl.col("m").str.extract(_value_of(time_key), 1))).to_series(),
            ctx,
        )
        if time_key is not None
        else empty.head(entries.height)
    )
    level = pl.Series([None] * entries.height, dtype=pl.String)
    if level_key is not None:
        level = values.select(
            normalise_words(_unquoted(pl.col("m").str.extract(_value_of(level_key), 1)))
        ).to_series()
    body_at = pl.Series([None] * entries.height, dtype=pl.UInt32)
    if message_key is not None:
        at = ascii_classes(rf"(?m)^[ \t]*{re.escape(message_key)}[ \t]*[:=][ \t]*")
        found = values.select(
            (pl.col("m").str.find(at) + pl.col("m").str.extract(f"({at})", 1).str.len_chars()).cast(
                pl.UInt32
            )
        ).to_series()
        body_at = found
    used = {time_key, level_key, message_key}
    kept = [k for k in common if k not in used][:_MAX_FIELDS]
    names: list[str] = []
    fields = []
    for k in kept:
        name = extra_column_name(re.sub(r"[^a-z0-9]+", "_", k.lower()).strip("_") or "field")
        while name in names:
            name += "_"
        names.append(name)
        fields.append(_unquoted(pl.col("m").str.extract(_value_of(k), 1)).alias(name))
    extras = values.select(fields) if fields else pl.DataFrame()
    # Where a message key says where the body is, it is known: no header is learned on it.
    known = pl.when(pl.lit(body_at).is_not_null()).then(pl.lit(TEXT, dtype=pl.UInt8))
    out = entries.select("line", "message").with_columns(
        ts=ts.cast(TS), level=level, body_at=body_at, body_kind=known
    )
    return out.hstack(extras).select(
        "ts", "level", "line", "message", "body_at", "body_kind", *names
    )


FORMATS: list[Format] = [Format("records", "Key: value records", sniff, parse_lines=parse_records)]

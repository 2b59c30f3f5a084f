"""journald's export format (`journalctl -o export`, what `systemd-journal-remote` reads), and
its verbose text output (`journalctl -o verbose`).

As systemd's "Journal Export Formats" describes it: an entry is a block of fields ended by a
blank line; a field is `KEY=value` on one line, or, for a value that holds a line break or
other bytes, the key alone on a line, then the value's length as 64-bit little-endian, the
value's bytes and a line break. Each entry is read as journald's JSON output is (stamp from
`__REALTIME_TIMESTAMP` in microseconds, level from `PRIORITY`, `MESSAGE` as the message), and
its `line` is the line its block starts on.

`journalctl -o verbose` writes each entry as a line with its local time and its cursor
(`Thu 2024-03-14 10:21:07.412733 CET [s=...;i=...;b=...;m=...;t=6139b694772fd;x=...]`),
then its fields indented, `    KEY=value`. The cursor's `t=` is `__REALTIME_TIMESTAMP` in
hexadecimal microseconds: the stamp in UTC, whatever zone the line shows. Entries are read
as the export format's are.
"""

from __future__ import annotations

import json
import re
import struct

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.jsonlines import parse_journald
from logview.core.shared.table import empty_parsed

_FIRST_KEYS = (b"__CURSOR=", b"__REALTIME_TIMESTAMP=")


def sniff(sample: Sample) -> float:
    """Return 0.95 when the sample opens with an export block: `__CURSOR=` or
    `__REALTIME_TIMESTAMP=` first, `KEY=value` lines, and a `MESSAGE=` among them."""
    head = sample.head[:4096]
    if not head.startswith(_FIRST_KEYS):
        return 0.0
    block = head.split(b"\n\n", 1)[0].split(b"\n")
    if not any(line.startswith(b"MESSAGE") for line in block):
        return 0.0
    if not all(b"=" in line or line.isupper() for line in block[:-1] if line):
        return 0.0
    return 0.95


def _entries(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """Return each entry's first line number and its fields, values decoded as UTF-8 (bad
    bytes as U+FFFD). A block cut short keeps the fields read before the cut."""
    entries: list[tuple[int, dict[str, str]]] = []
    fields: dict[str, str] = {}
    line, start, at, size = 1, 1, 0, len(data)
    while at < size:
        end = data.find(b"\n", at)
        end = size if end < 0 else end
        text = data[at:end]
        if not text:  # a blank line ends the entry
            if fields:
                entries.append((start, fields))
            fields = {}
            at, line = end + 1, line + 1
            start = line
            continue
        key, equals, value = text.partition(b"=")
        if equals:
            fields[key.decode("utf-8", "replace")] = value.decode("utf-8", "replace")
            at, line = end + 1, line + 1
            continue
        # A binary field: the key, then a 64-bit little-endian length, the bytes, a line break.
        if end + 9 > size:
            break
        (length,) = struct.unpack("<Q", data[end + 1 : end + 9])
        value = data[end + 9 : end + 9 + length]
        fields[key.decode("utf-8", "replace")] = value.decode("utf-8", "replace")
        line += 1 + value.count(b"\n") + data[end + 1 : end + 9].count(b"\n")
        at = end + 9 + length + 1
    if fields:
        entries.append((start, fields))
    return entries


def parse_export(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per exported journal entry (see the module)."""
    return _read_as_journald(_entries(data), ctx)


def _read_as_journald(entries: list[tuple[int, dict[str, str]]], ctx: ParseContext) -> pl.DataFrame:
    """Return entries given as (first line, fields) read as journald's JSON output is."""
    if not entries:
        return empty_parsed()
    lines = pl.DataFrame(
        {
            "line": pl.Series([start for start, _ in entries], dtype=pl.UInt64),
            "text": [json.dumps(fields, ensure_ascii=False) for _, fields in entries],
        }
    )
    return parse_journald(lines, ctx)


_VERBOSE_HEAD = re.compile(
    r"^[A-Z][a-z]{2} \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \S+ "
    r"\[s=[0-9a-f]+;i=[0-9a-f]+;.*?\bt=(?P<t>[0-9a-f]+)\b"
)
_VERBOSE_FIELD = re.compile(r"^ {4}(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")


def sniff_verbose(sample: Sample) -> float:
    """Return 0.95 when the sample opens with a `journalctl -o verbose` entry: its head line
    with a cursor, then `    KEY=value` lines, most of the other lines fields too."""
    heads = [bool(_VERBOSE_HEAD.match(line)) for line in sample.lines]
    if not heads or not heads[0]:
        return 0.0
    fields = sum(
        1
        for line, head in zip(sample.lines, heads, strict=True)
        if not head and _VERBOSE_FIELD.match(line)
    )
    return 0.95 if fields >= 0.8 * (len(heads) - sum(heads)) else 0.0


def parse_verbose(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per `journalctl -o verbose` entry (see the module)."""
    entries: list[tuple[int, dict[str, str]]] = []
    # (Split at line feeds only: a value may hold other separators `splitlines` cuts at.)
    for number, raw in enumerate(data.decode("utf-8", errors="replace").split("\n"), 1):
        line = raw.removesuffix("\r")
        head = _VERBOSE_HEAD.match(line)
        if head is not None:
            entries.append((number, {"__REALTIME_TIMESTAMP": str(int(head.group("t"), 16))}))
            continue
        field = _VERBOSE_FIELD.match(line)
        if field is not None and entries:
            entries[-1][1].setdefault(field.group("key"), field.group("value"))
        elif line.strip() and entries:  # a value's further lines
            fields = entries[-1][1]
            last = next(reversed(fields))
            fields[last] += "\n" + line.strip()
    return _read_as_journald(entries, ctx)


FORMATS: list[Format] = [
    # Binary: a field's length is written as 8 raw bytes, so a file may hold NULs anywhere.
    Format(
        "journal-export", "journald export format", sniff, parse_document=parse_export, binary=True
    ),
    Format(
        "journal-verbose",
        "journalctl -o verbose",
        sniff_verbose,
        parse_document=parse_verbose,
    ),
]

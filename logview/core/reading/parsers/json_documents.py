"""JSON written over several lines: pretty-printed records (`jq .` output, Elasticsearch 7's
records whose `stacktrace` array runs over lines) and whole documents holding the records
(a CloudTrail file's `{"Records": [...]}`, an array of objects).

The text is read as a stream of JSON values. A value that is an object is a record, unless it
is a small wrapper (at most three keys) whose one list of objects is the records
(`{"Records": [...]}`, `{"events": [...], "nextToken": ...}`); a value that is an array of
objects holds records. Each record is then read as a JSON line is
(`jsonlines.parse_json_lines`: the same stamp, level and message keys), and its `line` is
the line it starts on. Text that is no JSON value is kept, a line at a time, as entries of
its own text.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.json_objects import sample_objects
from logview.core.reading.parsers.jsonlines import parse_records

_DECODER = json.JSONDecoder()
_SNIFF_VALUES = 50
_WHITE = " \t\r\n"


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in _WHITE:
        at += 1
    return at


def sniff(sample: Sample) -> float:
    """Return 0.9 when the head is JSON values of which one runs over several lines (or one
    document longer than the head), and most sampled lines are not JSON objects on their own
    (JSON lines are `jsonlines`' own), else 0."""
    text = sample.head.decode("utf-8", errors="replace").lstrip("\ufeff")
    at = _skip(text, 0)
    if at >= len(text) or text[at] not in "{[":
        return 0.0
    objects = sample_objects(sample.lines)
    if objects and sum(o is not None for o in objects) == len(objects):
        return 0.0
    for _ in range(_SNIFF_VALUES):
        try:
            value, end = _DECODER.raw_decode(text, at)
        except json.JSONDecodeError as err:
            # A document longer than the head ends where the head was cut.
            return 0.9 if err.pos >= len(text) - 2 and len(sample.head) >= 60_000 else 0.0
        except RecursionError:
            return 0.0
        if not isinstance(value, dict | list):
            return 0.0
        if "\n" in text[at:end]:
            return 0.9
        at = _skip(text, end)
        if at >= len(text):
            return 0.0
    return 0.0


def _records_in(value: Any) -> str | None:
    """Return the key of the list of objects that holds `value`'s records, or None when the
    object is a record itself."""
    if not isinstance(value, dict):
        return None
    lists = [k for k, v in value.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
    return lists[0] if len(lists) == 1 and len(value) <= 3 else None


def _elements(text: str, at: int) -> list[tuple[int, Any]]:
    """Return the offsets and values of the elements of the array whose `[` is at `at`."""
    out: list[tuple[int, Any]] = []
    at = _skip(text, at + 1)
    while at < len(text) and text[at] != "]":
        value, end = _DECODER.raw_decode(text, at)
        out.append((at, value))
        at = _skip(text, end)
        if at < len(text) and text[at] == ",":
            at = _skip(text, at + 1)
    return out


def _records(text: str) -> list[tuple[int, str]]:
    """Return each record's offset in `text` and its JSON (or its line of text, where the
    text holds no JSON value)."""
    records: list[tuple[int, str]] = []
    at = _skip(text, 0)
    while at < len(text):
        try:
            if text[at] not in "{[":
                raise ValueError("no JSON value starts here")
            value, end = _DECODER.raw_decode(text, at)
        except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
            stop = text.find("\n", at)
            stop = len(text) if stop < 0 else stop
            records.append((at, text[at:stop].rstrip("\r")))
            at = _skip(text, stop)
            continue
        key = _records_in(value)
        if isinstance(value, list) or key is not None:
            start = (
                at if isinstance(value, list) else text.find("[", text.find(json.dumps(key), at))
            )
            try:
                elements = _elements(text, start)
            except (ValueError, RecursionError):
                elements = [(at, value)]
            for offset, element in elements:
                records.append((offset, json.dumps(element, ensure_ascii=False)))
        else:
            records.append((at, json.dumps(value, ensure_ascii=False)))
        at = _skip(text, end)
        if at < len(text) and text[at] == ",":  # values written as a list without brackets
            at = _skip(text, at + 1)
    return records


def parse_documents(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per record (see the module)."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    return parse_records(text, _records(text), ctx)


FORMATS: list[Format] = [
    Format("json-document", "JSON over several lines", sniff, parse_document=parse_documents)
]

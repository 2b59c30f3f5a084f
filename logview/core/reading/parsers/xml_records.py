"""XML logs: one element per event.

Oracle's diagnostic repository (`log.xml`: `<msg time='...' type='WARNING' ...><txt>...</txt>
</msg>`), java.util.logging's XMLFormatter (`<record><date>...</date><level>SEVERE</level>
...`), log4j's XMLLayout (`<log4j:event timestamp="..." level="ERROR" ...>`), log4j 2's
XmlLayout (`<Event timeMillis="..." level="INFO" ...>`) and Windows events as `wevtutil qe
/f:xml` writes them (`<Event xmlns=...><System>...<Level>2</Level>...`).

The record element is the first, in document order, of the elements that open at least twice in
the head (a wrapper such as `<log>` or `<Events>` opens once). Each record is flattened:
attributes by name, each child's text by its local name (its namespace prefix dropped), a
child's attributes as `Child.attr`, and a child with a `Name` (or `name`) attribute as that name
(Windows' `<Data Name='TargetUserName'>`, log4j's `<log4j:data name=... value=...>`). A stack
trace child (`throwable`, `exception`) is added to the message, as a trace's lines are to their
entry. The record is then read as a JSON line is (`jsonlines.parse_json_lines`: the same stamp,
level and message keys), at the line it starts on; Oracle's `txt` is the message.

Two numbering schemes are read as their documentation says: Windows' `Level` (4 information,
3 warning, 2 error, 1 critical) and Oracle's, whose numeric `level` is a message's importance
(1 critical .. 16 normal), not a severity: its `type` (ERROR, INCIDENT_ERROR, WARNING,
NOTIFICATION, TRACE) is the level.
"""

from __future__ import annotations

import html
import json
import re

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.level_numbers import WINDOWS_LEVELS
from logview.core.reading.parsers.jsonlines import parse_records
from logview.core.shared.table import empty_parsed

_NAME = r"[A-Za-z_][\w:.-]*"
_ATTRIBUTE = re.compile(rf"({_NAME})\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# A tag (its attributes may hold `>` in quotes), a CDATA section, a comment or a declaration.
_TOKEN = re.compile(
    rf"<!\[CDATA\[(?P<cdata>.*?)\]\]>|<!--.*?-->|<[?!][^>]*>"
    rf"|<(?P<close>/)?(?P<name>{_NAME})(?P<attrs>(?:\s+{_NAME}\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)"
    rf"\s*(?P<empty>/)?>",
    re.DOTALL,
)
_OPENING = re.compile(rf"<({_NAME})[\s/>]")
_SNIFF_MIN_RECORDS = 2
_MESSAGE_CHILDREN = ("message", "msg", "txt", "text", "description", "renderedmessage")
_TRACE_CHILDREN = ("throwable", "exception", "stacktrace")
# Oracle ADR's message types, its level (its numeric `level` is importance, not severity).
_ADR_TYPES = {"error": "ERROR", "incident_error": "ERROR", "warning": "WARN",
              "notification": "INFO", "trace": "TRACE"}  # fmt: skip


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _document_start(text: str) -> int:
    """Return where the first element opens, after a BOM, white space, the XML declaration,
    a doctype and comments; -1 when the text does not open with markup."""
    at = 0
    while True:
        while at < len(text) and text[at] in "\ufeff \t\r\n":
            at += 1
        if text.startswith("<?", at) or text.startswith("<!", at):
            end = (
                text.find("-->", at) + 3 if text.startswith("<!--", at) else text.find(">", at) + 1
            )
            if end <= 0:
                return -1
            at = end
            continue
        return at if text.startswith("<", at) else -1


def record_element(text: str) -> str | None:
    """Return the name of the record element of an XML log's `text` (see the module), or None
    when `text` is no such log."""
    start = _document_start(text)
    if start < 0:
        return None
    counts: dict[str, int] = {}
    for found in _OPENING.finditer(text, start):
        counts[found.group(1)] = counts.get(found.group(1), 0) + 1
    if "html" in {name.lower() for name in counts}:
        return None
    for name, count in counts.items():  # in document order
        if count >= _SNIFF_MIN_RECORDS:
            return name
    return None


def sniff(sample: Sample) -> float:
    """Return 0.95 when the head is markup whose record element repeats and closes, else 0.
    (The decoded lines are looked at: Windows tools write XML in UTF-16 too.)"""
    text = "\n".join(sample.lines)
    if "<" not in text[:200]:
        return 0.0
    name = record_element(text)
    if name is None or (f"</{name}>" not in text and "/>" not in text):
        return 0.0
    return 0.95


def _flatten(chunk: str) -> dict[str, str]:
    """Return the fields of the record element that opens `chunk` (see the module)."""
    fields: dict[str, str] = {}
    # Open elements: name, attributes, own text, the text of the elements inside.
    stack: list[tuple[str, dict[str, str], list[str], list[str]]] = []

    def close() -> None:
        element, attrs, texts, inner = stack.pop()
        value = "".join(texts).strip()
        if not stack:
            return
        if any(_local(e).lower() in _TRACE_CHILDREN for e, *_ in stack):
            stack[-1][3].extend(t for t in (value, *inner) if t)  # inside a trace: its text
        elif _local(element).lower() in _TRACE_CHILDREN:
            fields.setdefault(_local(element), "\n".join(t for t in (value, *inner) if t))
        else:
            _keep(fields, element, attrs, value)

    for found in _TOKEN.finditer(chunk):
        tag = found.group("name")
        if tag is None:
            if found.group("cdata") is not None and stack:
                stack[-1][2].append(found.group("cdata"))
            continue
        if found.group("close"):
            if not stack:
                break
            close()
            if not stack:
                break
            continue
        attrs = {m.group(1): html.unescape(m.group(2) or m.group(3) or "")
                 for m in _ATTRIBUTE.finditer(found.group("attrs") or "")}  # fmt: skip
        if not stack:
            fields.update((k, v) for k, v in attrs.items() if not k.startswith("xmlns"))
        if found.group("empty"):
            if not stack:
                break  # a record of attributes alone
            stack.append((tag, attrs, [], []))
            close()
            continue
        stack.append((tag, attrs, [], []))
        _text_after(chunk, found.end(), stack)
    # A record cut short (the file's last, as it was being written): what it holds so far.
    while len(stack) > 1:
        close()
    return fields


def _text_after(
    chunk: str, at: int, stack: list[tuple[str, dict[str, str], list[str], list[str]]]
) -> None:
    """Add the text between the tag ending at `at` and the next markup to the open element."""
    end = chunk.find("<", at)
    piece = chunk[at : end if end >= 0 else len(chunk)]
    if piece.strip():
        stack[-1][2].append(html.unescape(piece))


def _keep(fields: dict[str, str], element: str, attrs: dict[str, str], value: str) -> None:
    """Keep a closed child's text and attributes among the record's fields."""
    local = _local(element)
    named = attrs.get("Name") or attrs.get("name")
    if named and (value or "value" in attrs):
        fields.setdefault(named, value or attrs["value"])
        return
    if value:
        key = local
        n = 2
        while key in fields:
            key, n = f"{local}{n}", n + 1
        fields[key] = value
    for attr, attr_value in attrs.items():
        if attr.startswith("xmlns"):
            continue
        fields.setdefault(f"{local}.{attr}", attr_value)


def _as_json(fields: dict[str, str], name: str) -> dict[str, str]:
    """Return the record's fields as a JSON line's object: its message, its trace and the two
    level schemes of the module's docstring settled."""
    lower = {key.lower(): key for key in fields}
    local = _local(name).lower()
    if local == "event" and "level" in lower and "eventid" in lower:
        level = fields[lower["level"]].strip()
        fields[lower["level"]] = WINDOWS_LEVELS.get(level, level)
    if local == "msg" and "type" in lower and fields.get(lower.get("level", ""), "").isdigit():
        kind = fields[lower["type"]].strip().lower()
        fields["importance"] = fields.pop(lower["level"])
        if kind in _ADR_TYPES:
            fields["level"] = _ADR_TYPES[kind]
    if "message" not in lower and "msg" not in lower:
        for child in _MESSAGE_CHILDREN:
            if child in lower:
                fields["message"] = fields.pop(lower[child])
                break
    message = next((k for k in fields if k.lower() in ("message", "msg")), None)
    if message is None:
        # No message written (Windows events without their rendering): the record's fields as
        # `name=value` pairs, as CSV records without a message column are shown.
        pairs = [f"{k}={v}" for k, v in fields.items() if v]
        fields["message"] = message = " ".join(pairs)
    for child in _TRACE_CHILDREN:
        if child in lower and message is not None:
            fields[message] = f"{fields[message]}\n{fields.pop(lower[child])}"
    return fields


def parse_xml(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per record element (see the module)."""
    # (Windows writes CRLF: a message's lines end in LF alone, as every reader's do.)
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    name = record_element(text)
    if name is None:
        return empty_parsed()
    starts = [m.start() for m in re.finditer(rf"<{re.escape(name)}[\s/>]", text)]
    ends = [*starts[1:], len(text)]
    records = [
        (start, json.dumps(_as_json(_flatten(text[start:end]), name), ensure_ascii=False))
        for start, end in zip(starts, ends, strict=True)
    ]
    return parse_records(text, records, ctx)


FORMATS: list[Format] = [Format("xml", "XML log records", sniff, parse_document=parse_xml)]

"""Windows event logs (.evtx), read with the `evtx` package (a Rust parser).

Windows renders an event's message from a template kept in the provider's DLLs, which are not
available offline: the message here is the event's data (EventData or UserData) written as
`Name=value` pairs joined by "; ".
"""

from __future__ import annotations

import io
import json
import warnings
from typing import Any

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.level_numbers import WINDOWS_LEVELS
from logview.core.reading.parsers.fields import parse_stamps
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import TS, empty_parsed

MAGIC = b"ElfFile\x00"
EXTRAS = ("provider", "event_id", "channel", "computer", "record_id")
_ROW_SCHEMA = {"stamp": pl.String, "level": pl.String, "message": pl.String} | {
    name: pl.String for name in EXTRAS
}


def sniff(sample: Sample) -> float:
    """Return 1.0 when the source starts with the evtx file signature, else 0."""
    return 1.0 if sample.head.startswith(MAGIC) else 0.0


def _text(value: Any) -> str | None:
    """Return an XML-ish JSON value as text: `#text` of an element, lists joined, None kept."""
    if isinstance(value, dict):
        value = value.get("#text")
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join("" if v is None else str(v) for v in value)
    return str(value)


def _attribute(element: Any, name: str) -> str | None:
    if isinstance(element, dict):
        attributes = element.get("#attributes")
        if isinstance(attributes, dict) and attributes.get(name) is not None:
            return str(attributes[name])
    return None


def _data_pairs(value: Any, name: str, pairs: list[str]) -> None:
    """Append `Name=value` for every leaf of an EventData/UserData element, in order."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "#attributes":
                continue
            _data_pairs(child, name if key == "#text" else key, pairs)
    elif isinstance(value, list):
        # Unnamed <Data> elements arrive as a list under one name.
        pairs.append(f"{name}={_text(value)}")
    elif value is not None:
        pairs.append(f"{name}={value}")


def record_row(record: dict[str, Any]) -> dict[str, str | None]:
    """Return one table row (stamp text, level name, message, extras) from an evtx JSON record.

    `record` is what `PyEvtxParser.records_json()` yields: `event_record_id`, `timestamp` and
    `data`, the event as JSON text (`{"Event": {"System": {...}, "EventData": {...}}}`).
    """
    data = record.get("data")
    event = json.loads(data) if isinstance(data, str) else (data or {})
    event = event.get("Event", event) if isinstance(event, dict) else {}
    system = event.get("System") or {}
    stamp = _attribute(system.get("TimeCreated"), "SystemTime") or record.get("timestamp")
    level = _text(system.get("Level"))
    pairs: list[str] = []
    for section in ("EventData", "UserData"):
        _data_pairs(event.get(section), section, pairs)
    provider = _attribute(system.get("Provider"), "Name")
    event_id = _text(system.get("EventID"))
    message = "; ".join(pairs) if pairs else f"{provider or 'unknown provider'} event {event_id}"
    record_id = record.get("event_record_id", _text(system.get("EventRecordID")))
    return {
        "stamp": None if stamp is None else str(stamp),
        "level": WINDOWS_LEVELS.get(level or ""),
        "message": message,
        "provider": provider,
        "event_id": event_id,
        "channel": _text(system.get("Channel")),
        "computer": _text(system.get("Computer")),
        "record_id": None if record_id is None else str(record_id),
    }


def rows_to_frame(rows: list[dict[str, str | None]], ctx: ParseContext) -> pl.DataFrame:
    """Return the parsed frame of `record_row` rows; `line` is the 1-based record number."""
    if not rows:
        return empty_parsed()
    frame = pl.DataFrame(rows, schema=_ROW_SCHEMA)
    ts = parse_stamps(frame["stamp"], ctx, zone_known=True)
    return frame.select(
        pl.lit(ts).cast(TS).alias("ts"),
        "level",
        pl.int_range(1, pl.len() + 1, dtype=pl.UInt64).alias("line"),
        "message",
        *EXTRAS,
    )


def parse_evtx(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per event record of an .evtx file (see the module docstring).

    Level from System/Level (1 FATAL, 2 ERROR, 3 WARN, 0 and 4 INFO, 5 TRACE); extras
    provider, event_id, channel, computer, record_id. A file that is not an event log raises
    LogviewError; damaged records are skipped and counted through `ctx.warn`.
    """
    from evtx import PyEvtxParser  # a compiled extension: loaded only for .evtx sources

    try:
        parser = PyEvtxParser(io.BytesIO(data), skip_errors=True)
    except (OSError, RuntimeError, ValueError) as err:
        raise LogviewError(f"cannot read {ctx.source} as a Windows event log: {err}") from err
    rows: list[dict[str, str | None]] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # The Rust parser yields records one by one: a loop over records is unavoidable.
            for record in parser.records_json():
                rows.append(record_row(record))
        except (RuntimeError, OSError) as err:
            ctx.warn(f"event log damaged: stopped after {len(rows)} records ({err})")
    damaged = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if damaged:
        ctx.warn(f"{len(damaged)} damaged event records skipped (first: {damaged[0].message})")
    return rows_to_frame(rows, ctx)


FORMATS: list[Format] = [
    Format("evtx", "Windows event log (.evtx)", sniff, parse_document=parse_evtx, binary=True),
]

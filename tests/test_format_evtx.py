"""Windows .evtx event logs.

No .evtx file can be generated here (the `evtx` package reads but does not write them, and
it ships no samples), so the record-to-row mapping is tested on records shaped like
`PyEvtxParser.records_json()` output, and the document path with a stand-in parser.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import evtx as evtx_package
import pytest
from helpers import utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.evtx import MAGIC, parse_evtx, record_row, rows_to_frame
from logview.core.reading.parsers.evtx import sniff as sniff_evtx
from logview.core.reading.registry import sniff
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import PARSED_SCHEMA

CTX = ParseContext("Security.evtx")


def event(
    record_id: int,
    *,
    level: int,
    event_id: Any = 4624,
    stamp: str = "2016-07-08T18:12:51.681640Z",
    event_data: Any = None,
    user_data: Any = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
        "System": {
            "Provider": {"#attributes": {"Name": "Microsoft-Windows-Security-Auditing",
                                         "Guid": "{54849625-5478-4994-A5BA-3E3B0328C30D}"}},
            "EventID": event_id,
            "Version": 1,
            "Level": level,
            "TimeCreated": {"#attributes": {"SystemTime": stamp}},
            "EventRecordID": record_id,
            "Channel": "Security",
            "Computer": "WIN-WFBHIBE5GXZ.example.co.uk",
            "Security": None,
        },
    }  # fmt: skip
    if event_data is not None:
        body["EventData"] = event_data
    if user_data is not None:
        body["UserData"] = user_data
    return {
        "event_record_id": record_id,
        "timestamp": stamp.replace("T", " ").replace("Z", " UTC"),
        "data": json.dumps({"Event": body}, indent=2),
    }


RECORDS = [
    event(7, level=0, event_data={"SubjectUserSid": "S-1-5-18", "LogonType": 5}),
    event(
        8,
        level=2,
        event_id={"#attributes": {"Qualifiers": 16384}, "#text": 7036},
        event_data={"Data": {"#text": ["Windows Update", "running"]}},
    ),  # fmt: skip
    event(
        9,
        level=3,
        user_data={
            "LogFileCleared": {
                "#attributes": {
                    "xmlns": "http://manifests.microsoft.com/win/2004/08/windows/eventlog"
                },
                "SubjectUserName": "admin",
                "SubjectDomainName": "CORP",
            }
        },
    ),  # fmt: skip
    event(10, level=1, stamp="2016-07-08T18:12:52Z"),
    event(11, level=5, event_data={"Binary": None, "Param": "x"}),
    event(12, level=4, event_data={"Data": "single unnamed value"}),
]


def test_record_row_maps_system_fields_and_renders_event_data_as_pairs():
    row = record_row(RECORDS[0])
    assert row == {
        "stamp": "2016-07-08T18:12:51.681640Z",
        "level": "INFO",
        "message": "SubjectUserSid=S-1-5-18; LogonType=5",
        "provider": "Microsoft-Windows-Security-Auditing",
        "event_id": "4624",
        "channel": "Security",
        "computer": "WIN-WFBHIBE5GXZ.example.co.uk",
        "record_id": "7",
    }


def test_event_id_with_qualifiers_and_unnamed_data_values():
    row = record_row(RECORDS[1])
    assert row["event_id"] == "7036"
    assert row["level"] == "ERROR"
    assert row["message"] == "Data=Windows Update, running"
    assert record_row(RECORDS[5])["message"] == "Data=single unnamed value"


def test_user_data_is_rendered_without_its_attributes():
    row = record_row(RECORDS[2])
    assert row["level"] == "WARN"
    assert row["message"] == "SubjectUserName=admin; SubjectDomainName=CORP"


def test_event_without_data_says_which_event_it_is():
    assert record_row(RECORDS[3])["message"] == "Microsoft-Windows-Security-Auditing event 4624"
    assert record_row(RECORDS[4])["message"] == "Param=x"


def test_rows_become_a_frame_with_record_numbers_and_utc_stamps():
    frame = rows_to_frame([record_row(r) for r in RECORDS], CTX)
    assert frame.columns == ["ts", "level", "line", "message", "provider", "event_id", "channel",
                             "computer", "record_id"]  # fmt: skip
    assert frame["level"].to_list() == ["INFO", "ERROR", "WARN", "FATAL", "TRACE", "INFO"]
    assert frame["line"].to_list() == [1, 2, 3, 4, 5, 6]
    assert frame["ts"][0] == utc(2016, 7, 8, 18, 12, 51, 681640)
    assert frame["ts"][3] == utc(2016, 7, 8, 18, 12, 52)
    assert frame["record_id"].to_list() == ["7", "8", "9", "10", "11", "12"]


class FakeParser:
    """Stands in for PyEvtxParser: yields the given records, then fails or warns if told."""

    def __init__(self, records: list[dict[str, Any]], *, fail: bool = False, warn: int = 0):
        self._records, self._fail, self._warn = records, fail, warn

    def records_json(self) -> Iterator[dict[str, Any]]:
        for _ in range(self._warn):
            warnings.warn("record 3: invalid chunk checksum", RuntimeWarning, stacklevel=1)
        yield from self._records
        if self._fail:
            raise RuntimeError("failed to read chunk 2: unexpected end of file")


def use_parser(monkeypatch: pytest.MonkeyPatch, parser: FakeParser) -> None:
    monkeypatch.setattr(evtx_package, "PyEvtxParser", lambda *args, **kwargs: parser)


def test_document_parser_reads_every_record(monkeypatch: pytest.MonkeyPatch):
    use_parser(monkeypatch, FakeParser(RECORDS))
    frame = parse_evtx(MAGIC + b"\x00" * 10, CTX)
    assert frame.height == len(RECORDS)
    assert frame["message"][0] == "SubjectUserSid=S-1-5-18; LogonType=5"


def test_truncated_log_keeps_the_records_read_and_warns(monkeypatch: pytest.MonkeyPatch):
    notes: list[str] = []
    use_parser(monkeypatch, FakeParser(RECORDS[:2], fail=True, warn=2))
    frame = parse_evtx(MAGIC, ParseContext("x.evtx", warn=notes.append))
    assert frame["record_id"].to_list() == ["7", "8"]
    assert any("stopped after 2 records" in note for note in notes)
    assert any(note.startswith("2 damaged event records skipped") for note in notes)


@pytest.mark.parametrize(
    "data", [b"", b"not an event log at all" * 10, MAGIC + b"\x00" * 100, MAGIC + b"\xff" * 5000]
)
def test_garbage_or_truncated_file_raises_a_clear_error(data: bytes):
    with pytest.raises(LogviewError, match="cannot read Security.evtx as a Windows event log"):
        parse_evtx(data, CTX)


def test_sniff_recognises_the_signature_only():
    assert sniff_evtx(Sample("a.evtx", MAGIC + b"\x01\x00", ())) == 1.0
    assert sniff_evtx(Sample("a.evtx", b"ElfFile", ())) == 0.0
    assert sniff_evtx(Sample("a.log", b"plain text\n", ("plain text",))) == 0.0
    detection = sniff(Sample("a.evtx", MAGIC + b"\x00" * 8, ()), binary_only=True)
    assert detection is not None and detection.format.name == "evtx"


def test_no_records_give_an_empty_frame_with_the_parsed_schema(monkeypatch: pytest.MonkeyPatch):
    use_parser(monkeypatch, FakeParser([]))
    frame = parse_evtx(MAGIC, CTX)
    assert frame.height == 0
    assert dict(frame.schema) == PARSED_SCHEMA


def test_damaged_evtx_file_is_skipped_by_ingest_with_a_reason(tmp_path):
    from logview.core.reading.ingest import ingest

    good = tmp_path / "a.log"
    good.write_text("2024-01-02 03:04:05 INFO fine\n")
    bad = tmp_path / "Security.evtx"
    bad.write_bytes(MAGIC + b"\x00" * 100)
    result = ingest([good, bad])
    assert result.table.height == 1
    skipped = [s for s in result.sources if s.name.endswith("Security.evtx")]
    assert skipped[0].format == "skipped"
    assert any("as a Windows event log" in w for w in result.warnings)

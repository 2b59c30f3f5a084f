"""CMTrace logs (Configuration Manager, Intune Management Extension), as CMTrace reads them."""

from __future__ import annotations

from helpers import lines_of, utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.cmtrace import parse_cmtrace, sniff
from logview.core.reading.registry import sniff as detect


def record(message: str, time: str, kind: int, thread: int = 1234) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="{time}" date="03-14-2024" component="CcmExec" '
        f'context="" type="{kind}" thread="{thread}" file="ccmexec.cpp:120">'
    )


TEXTS = [
    record("Service started", "05:26:53.589+240", 1),
    record("Retrying download", "05:27:20.450+240", 2),
    *record("Download failed:\nerror 0x80190194\nnext location", "10:28:00.000-60", 3).split("\n"),
    record("No bias written", "09:29:00.000", 0),
]


def test_cmtrace_is_detected():
    sample = Sample("CcmExec.log", "\r\n".join(TEXTS).encode(), tuple(TEXTS))
    assert sniff(sample) == 0.95
    found = detect(sample)
    assert found is not None and found.format.name == "cmtrace"


def test_records_give_utc_stamps_from_the_bias_levels_from_the_type_and_fields():
    notes: list[str] = []
    frame = parse_cmtrace(lines_of(TEXTS), ParseContext("CcmExec.log", note=notes.append))
    assert frame["line"].to_list() == [1, 2, 3, 6]
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 26, 53, 589000),  # local 05:26 with a bias of +240: UTC-4
        utc(2024, 3, 14, 9, 27, 20, 450000),
        utc(2024, 3, 14, 9, 28, 0),  # local 10:28 with a bias of -60: UTC+1
        utc(2024, 3, 14, 9, 29, 0),  # no bias: read as UTC, said in a note
    ]
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR", None]
    assert frame["component"].to_list() == ["CcmExec"] * 4
    assert frame["message"][2].count("\n") == 2
    assert any("without a bias" in note for note in notes)


# The older SMS Trace layout of Configuration Manager's site-server logs: the header after the
# message, at the end of the record's last line.
SMS_TRACE = [
    "Starting Sync  $$<SMS_WSUS_SYNC_MANAGER><03-14-2024 04:20:12.480+300><thread=4120 (0x1018)>",
    "Sync failed: WSUS server not configured.",
    "Source: Microsoft.UpdateServices  $$<SMS_WSUS_SYNC_MANAGER><03-14-2024 04:20:14.020+300>"
    "<thread=5288 (0x14A8)>",
    "Sync done  $$<SMS_WSUS_SYNC_MANAGER><03-14-2024 09:21:00.000><thread=5288 (0x14A8)>",
]


def test_sms_trace_records_end_at_their_header_and_take_its_bias():
    sample = Sample("wsyncmgr.log", "\r\n".join(SMS_TRACE).encode(), tuple(SMS_TRACE))
    assert sniff(sample) == 0.95
    frame = parse_cmtrace(lines_of(SMS_TRACE), ParseContext("wsyncmgr.log"))
    assert frame["line"].to_list() == [1, 2, 4]
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 20, 12, 480000),  # local 04:20 with a bias of +300: UTC-5
        utc(2024, 3, 14, 9, 20, 14, 20000),
        utc(2024, 3, 14, 9, 21),
    ]
    assert frame["component"].to_list() == ["SMS_WSUS_SYNC_MANAGER"] * 3
    assert frame["thread"].to_list()[1] == "5288 (0x14A8)"
    assert frame["message"][1].startswith("Sync failed: WSUS server not configured.\nSource:")
    assert frame["level"].to_list() == [None, None, None]

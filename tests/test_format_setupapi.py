"""Windows SetupAPI text logs: one entry per boot session line and per section."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.setupapi import parse_setupapi
from logview.core.reading.registry import sniff

# Written from Microsoft's "SetupAPI Text Logs" (log header, boot session, sections).
SETUPAPI = [
    "[Device Install Log]",
    "     OS Version = 10.0.22631",
    "     Service Pack = 0.0",
    "     Architecture = amd64",
    "",
    "[BeginLog]",
    "",
    "[Boot Session: 2024/06/27 07:58:41.500]",
    "",
    ">>>  [Device Install (Hardware initiated) - USB\\VID_0BDA&PID_8153\\000001000000]",
    ">>>  Section start 2024/06/27 08:14:52.334",
    "     utl: {Select Drivers - USB\\VID_0BDA&PID_8153\\000001000000} 08:14:52.381",
    "!!!  sto: Failed to import driver package into Driver Store. Error = 0x800B0109",
    "<<<  Section end 2024/06/27 08:14:53.120",
    "<<<  [Exit status: FAILURE(0x800B0109)]",
    "",
    ">>>  [Device Install (DiInstallDriver) - C:\\Windows\\INF\\oem42.inf]",
    ">>>  Section start 2024/06/27 15:40:09.771",
    "     ump: Creating Install Process: DrvInst.exe 15:40:09.775",
    "<<<  Section end 2024/06/27 15:40:09.844",
    "<<<  [Exit status: SUCCESS]",
]


def test_setupapi_logs_are_detected():
    sample = Sample("setupapi.dev.log", "\n".join(SETUPAPI).encode(), tuple(SETUPAPI))
    found = sniff(sample)
    assert found is not None and found.format.name == "setupapi"


def test_each_section_is_one_entry_stamped_by_its_start_and_the_log_header_is_none():
    frame = parse_setupapi(lines_of(SETUPAPI), ParseContext("setupapi.dev.log", tz="UTC"))
    assert frame["line"].to_list() == [8, 10, 17]
    assert frame["ts"].to_list() == [
        datetime(2024, 6, 27, 7, 58, 41, 500000, tzinfo=UTC),
        datetime(2024, 6, 27, 8, 14, 52, 334000, tzinfo=UTC),
        datetime(2024, 6, 27, 15, 40, 9, 771000, tzinfo=UTC),
    ]
    assert frame["message"][1].endswith("[Exit status: FAILURE(0x800B0109)]")
    # a log cut before its first section keeps its boot line
    cut = parse_setupapi(lines_of(SETUPAPI[:9]), ParseContext("setupapi.dev.log", tz="UTC"))
    assert cut["line"].to_list() == [8]

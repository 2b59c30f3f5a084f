"""Cisco ASA/FTD messages: message id and severity, whatever stamp and host lead them."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.cisco import parse_cisco
from logview.core.reading.registry import sniff

MTIME = datetime(2024, 6, 15, tzinfo=UTC).timestamp()

DEVICE = [
    "Mar 24 2022 10:29:56: %ASA-4-106023: Deny tcp src outside:203.0.113.5/51234 dst "
    'inside:10.0.0.5/22 by access-group "outside_in" [0x0, 0x0]',
    "Mar 24 2022 10:29:57: %ASA-6-302013: Built inbound TCP connection 12 for outside:"
    "203.0.113.6/40000 (203.0.113.6/40000) to inside:10.0.0.6/443 (10.0.0.6/443)",
    "Mar 24 2022 10:29:58: %ASA-2-106001: Inbound TCP connection denied from 198.51.100.7/1 "
    "to 10.0.0.7/80 flags SYN  on interface outside",
]
COLLECTED = [
    "Mar 24 10:29:56 fw01 %ASA-4-106023: Deny udp src outside:203.0.113.5/53 dst inside:10.0.0.5/53",
    "<166>Mar 24 2022 10:29:57 fw01 : %ASA-6-305011: Built dynamic TCP translation",
    "2022-03-24T10:29:58Z fw02 %FTD-7-609001: Built local-host inside:10.0.0.9",
    "Mar 24 10:30:00 fw01 %ASA-3-710003: TCP access denied by ACL from 1.2.3.4/5 to x:6/7",
]


def sample_of(texts: list[str]) -> Sample:
    return Sample("asa.log", "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str]) -> pl.DataFrame:
    return parse_cisco(lines_of(texts), ParseContext("asa.log", mtime=MTIME))


def test_asa_messages_are_detected_before_syslog():
    for texts in (DEVICE, COLLECTED):
        found = sniff(sample_of(texts))
        assert found is not None and found.format.name == "cisco-asa"


def test_device_stamps_severities_and_message_ids():
    frame = parse(DEVICE)
    assert frame["level"].to_list() == ["WARN", "INFO", "FATAL"]
    assert frame["message_id"].to_list() == ["106023", "302013", "106001"]
    assert frame["ts"][0] == datetime(2022, 3, 24, 10, 29, 56, tzinfo=UTC)
    assert "host" not in frame.columns
    entry = frame.row(0, named=True)
    assert entry["message"][entry["body_at"] :].startswith("Deny tcp src outside:")


def test_syslog_headers_give_the_host_and_year_less_stamps_a_year():
    frame = parse(COLLECTED)
    assert frame["host"].to_list() == ["fw01", "fw01", "fw02", "fw01"]
    assert frame["facility"].to_list() == ["ASA", "ASA", "FTD", "ASA"]
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 24, 10, 29, 56, tzinfo=UTC),
        datetime(2022, 3, 24, 10, 29, 57, tzinfo=UTC),
        datetime(2022, 3, 24, 10, 29, 58, tzinfo=UTC),
        datetime(2024, 3, 24, 10, 30, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == ["WARN", "INFO", "DEBUG", "ERROR"]


def test_other_lines_stand_alone():
    frame = parse([DEVICE[0], "Mar 24 2022 10:29:57: garbage", DEVICE[1], "no stamp at all"])
    # a line without a message id keeps the stamp it starts with (another writer's line)
    assert frame.height == 4 and frame["ts"][1] is not None and frame["ts"][3] is None


def test_a_relays_stamp_and_sender_before_the_devices_header():
    """rsyslog writing the device's raw message after its own ISO stamp and the sender's
    address: the relay's stamp orders the file, the device names the host."""
    texts = [
        "2024-03-14T10:21:03.518812+01:00 10.20.0.1 Mar 14 2024 09:21:03 ftd-edge01 : "
        "%FTD-6-302013: Built inbound TCP connection 418822907 for outside:203.0.113.77/51544",
        "2024-03-14T10:21:07.044930+01:00 10.20.0.1 Mar 14 2024 09:21:07 ftd-edge01 : "
        '%FTD-4-106023: Deny tcp src outside:185.220.101.34/43122 by access-group "ACL"',
    ]
    parsed = parse(texts)
    assert parsed["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 21, 3, 518812, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 21, 7, 44930, tzinfo=UTC),
    ]
    assert parsed["host"].to_list() == ["ftd-edge01", "ftd-edge01"]
    assert parsed["level"].to_list() == ["INFO", "WARN"]
    assert sniff(sample_of(texts)).format.name == "cisco-asa"


def test_kiwi_syslogs_tab_separated_columns_before_the_devices_header():
    texts = [
        "2024-03-14 09:20:01\tLocal4.Info\t10.20.0.1\tMar 14 2024 09:20:01 ASA-EDGE01 : "
        "%ASA-6-302013: Built inbound TCP connection 88123451",
        "2024-03-14 09:20:07\tLocal4.Warning\t10.20.0.1\tMar 14 2024 09:20:07 ASA-EDGE01 : "
        "%ASA-4-106023: Deny tcp src outside:192.0.2.200/61022",
    ]
    frame = parse(texts)
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 20, 1, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 20, 7, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == ["INFO", "WARN"]


def test_a_terminal_captures_prompt_and_pager_around_the_messages_are_no_entries():
    # `more disk0:/syslog/...` of a buffer the ASA saved to flash, its pager half-way
    texts = ["asa5516-br04# more disk0:/syslog/LOG-2024-06-27-081502.TXT", DEVICE[0], DEVICE[1]]
    texts += ["<--- More --->", "              ", DEVICE[2], "", "asa5516-br04#"]
    notes: list[str] = []
    frame = parse_cisco(
        lines_of(texts), ParseContext("asa.txt", mtime=MTIME, tz="UTC", note=notes.append)
    )
    assert frame["line"].to_list() == [2, 3, 6]
    assert frame["level"].to_list() == ["WARN", "INFO", "FATAL"]
    assert any("terminal session" in note for note in notes)

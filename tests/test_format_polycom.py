"""Poly (Polycom) phones' logs: detection, year-less stamps, event classes, fields, lines
without a header. Samples written from Poly's UC Software administrator guide ("Logging",
log.render.stampStyle) and its syslog bulletin's class-to-severity table."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.polycom import parse_polycom
from logview.core.reading.registry import sniff

MTIME = datetime(2024, 6, 30, 12, tzinfo=UTC).timestamp()
APP_LOG = [
    "0101000009|so   |*|00|Initial log entry. Current logging level 4",
    "0101000012|dhcpc|3|00|DHCP: Got IP 10.40.12.87 mask 255.255.255.0 gw 10.40.12.1",
    "0628070212|sntp |2|00|Time synchronized from 10.40.0.5",
    "0628070214|curl |4|00|[0x18f2c] Curl error 60: SSL certificate problem",
    "0628070247|app1 |0|00|CallStateMachine: idle -> idle (event CFG_CHANGED)",
    "0628070358|sip  |5|02|Line 1 (4087) unregistered: no response from 10.40.0.20",
    "  Failover to 10.40.0.21 in 30 s",  # a line without a header
    "0628113002|pgui |6|00|Watchdog: UI thread unresponsive for 20 s, restarting application",
]


def parse(texts: list[str]):
    return parse_polycom(lines_of(texts), ParseContext("0004f2e8b1c4-app.log", mtime=MTIME))


def test_a_phones_log_is_detected_and_other_pipe_separated_lines_are_not():
    data = "\n".join(APP_LOG).encode()
    found = sniff(Sample("0004f2e8b1c4-app.log", data, tuple(APP_LOG)))
    assert found is not None and found.format.name == "polycom"
    # An epoch and a level between bars is another writer's.
    other = ["1719479103|INFO|worker started", "1719479104|WARN|queue is 80% full"] * 3
    found = sniff(Sample("x.log", "\n".join(other).encode(), tuple(other)))
    assert found is None or found.format.name != "polycom"


def test_stamps_take_the_files_year_and_a_clock_not_yet_set_reads_january_first():
    frame = parse(APP_LOG)
    assert frame["ts"][0] == datetime(2024, 1, 1, 0, 0, 9, tzinfo=UTC)
    assert frame["ts"][2] == datetime(2024, 6, 28, 7, 2, 12, tzinfo=UTC)


def test_event_classes_are_levels_and_module_and_missed_are_fields():
    frame = parse(APP_LOG)
    assert frame["level"].to_list() == [
        None, "INFO", "INFO", "ERROR", "DEBUG", "FATAL", "FATAL"
    ]  # fmt: skip
    assert frame["module"].to_list()[:3] == ["so", "dhcpc", "sntp"]
    assert frame["missed"][5] == "02"
    entry = frame.row(3, named=True)
    assert (
        entry["message"][entry["body_at"] :] == "[0x18f2c] Curl error 60: SSL certificate problem"
    )


def test_a_line_without_a_header_joins_the_entry_above():
    frame = parse(APP_LOG)
    assert frame.height == 7
    assert frame["message"][5].endswith("\n  Failover to 10.40.0.21 in 30 s")
    assert frame["line"].to_list() == [1, 2, 3, 4, 5, 6, 8]

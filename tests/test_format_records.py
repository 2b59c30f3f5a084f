"""Records written as `Key: value` lines: Format-List output, wevtutil's text, racadm."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.records import parse_records
from logview.core.reading.registry import sniff

# PowerShell: Get-WinEvent -LogName System -MaxEvents 3 | Format-List TimeCreated, ...
FORMAT_LIST = [
    "",
    "TimeCreated      : 3/14/2024 9:31:05 AM",
    "ProviderName     : EventLog",
    "Id               : 6005",
    "LevelDisplayName : Information",
    "Message          : The Event log service was started.",
    "",
    "TimeCreated      : 3/14/2024 9:28:05 AM",
    "ProviderName     : Service Control Manager",
    "Id               : 7000",
    "LevelDisplayName : Error",
    "Message          : The Acme Backup Agent service failed to start due to the following",
    "                   error:",
    "                   The service did not respond to the start or control request.",
    "",
    "TimeCreated      : 3/14/2024 9:27:40 AM",
    "ProviderName     : Microsoft-Windows-Time-Service",
    "Id               : 134",
    "LevelDisplayName : Warning",
    "Message          : NtpClient was unable to set a manual peer.",
]
# wevtutil qe System /c:2 /rd:true /f:text
WEVTUTIL = [
    "Event[0]:",
    "  Log Name: System",
    "  Source: Service Control Manager",
    "  Date: 2024-03-14T09:28:05.1230000Z",
    "  Event ID: 7009",
    "  Task: N/A",
    "  Level: Error",
    "  Computer: WS01.corp.example",
    "  Description: ",
    "A timeout was reached (30000 milliseconds) while waiting for the service to connect.",
    "",
    "Event[1]:",
    "  Log Name: System",
    "  Source: EventLog",
    "  Date: 2024-03-14T09:26:53.5890000Z",
    "  Event ID: 6013",
    "  Task: N/A",
    "  Level: Information",
    "  Computer: WS01.corp.example",
    "  Description: ",
    "The system uptime is 12 seconds.",
]
# racadm lclog view: records closed by a rule, newest first
RACADM = [
    "SeqNumber       = 48225",
    "Message ID      = RDU0012",
    "Severity        = Critical",
    "Timestamp       = 2024-03-14 09:26:10",
    "Message         = Power supply redundancy is lost.",
    "FQDD            = System.Embedded.1",
    "-" * 80,
    "SeqNumber       = 48223",
    "Message ID      = TMP0120",
    "Severity        = Warning",
    "Timestamp       = 2024-03-14 09:24:55",
    "Message Arg   1 = System Board Inlet",
    "Message         = The system inlet temperature is greater than the upper warning threshold.",
    "FQDD            = iDRAC.Embedded.1#SystemBoardInletTemp",
    "-" * 80,
]


def sample_of(texts: list[str]) -> Sample:
    return Sample("events.txt", "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str]):
    return parse_records(lines_of(texts), ParseContext("events.txt", tz="UTC"))


@pytest.mark.parametrize("texts", [FORMAT_LIST, WEVTUTIL, RACADM])
def test_each_layout_is_detected_as_records(texts):
    found = sniff(sample_of(texts))
    assert found is not None and found.format.name == "records"


def test_format_list_records_with_a_message_over_several_lines():
    frame = parse(FORMAT_LIST)
    assert frame.height == 3
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 31, 5, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 28, 5, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 27, 40, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == ["INFO", "ERROR", "WARN"]
    error = frame.row(1, named=True)
    assert error["providername"] == "Service Control Manager" and error["id"] == "7000"
    body = error["message"][error["body_at"] :]
    assert body.startswith("The Acme Backup Agent service failed")
    assert body.endswith("start or control request.")


def test_wevtutil_text_records_start_at_their_heads():
    frame = parse(WEVTUTIL)
    assert frame["line"].to_list() == [1, 12]
    assert frame["ts"][0] == datetime(2024, 3, 14, 9, 28, 5, 123000, tzinfo=UTC)
    assert frame["level"].to_list() == ["ERROR", "INFO"]
    assert frame["event_id"].to_list() == ["7009", "6013"]
    first = frame.row(0, named=True)
    assert "A timeout was reached" in first["message"][first["body_at"] :]


def test_racadm_records_apart_by_rules_keep_their_order_and_severity():
    frame = parse(RACADM)
    assert frame.height == 2
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 26, 10, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 24, 55, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == ["FATAL", "WARN"]
    assert frame["message_id"].to_list() == ["RDU0012", "TMP0120"]
    assert not frame["message"].str.contains("-----").any()


def test_records_in_a_terminal_capture_leave_out_its_prompts():
    # iDRAC's SSH shell, `racadm getsel` (the RACADM CLI guide): the prompt and command above
    # the records, the prompt after them; Non-Critical is Dell's warning.
    texts = [
        "racadm>>racadm getsel",
        "Record:      1",
        "Date/Time:   03/14/2024 09:20:12",
        "Source:      system",
        "Severity:    Ok",
        "Description: Log cleared.",
        "-" * 79,
        "Record:      2",
        "Date/Time:   03/14/2024 09:21:40",
        "Source:      system",
        "Severity:    Non-Critical",
        "Description: Power supply redundancy is lost.",
        "-" * 79,
        "racadm>>",
    ]
    assert sniff(sample_of(texts)).format.name == "records"
    notes: list[str] = []
    frame = parse_records(lines_of(texts), ParseContext("sel.txt", tz="UTC", note=notes.append))
    assert frame["line"].to_list() == [2, 8]
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 20, 12, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 21, 40, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == ["INFO", "WARN"]  # Dell's Ok, Non-Critical
    assert any("2 lines of a terminal session" in note for note in notes)


def test_records_with_padded_keys_behind_a_two_word_prompt():
    # HPE 3PAR's `showeventlog`: keys padded before their colon, records apart by a blank line.
    texts = [
        "3par-8400-prod cli% showeventlog -min 180",
        "Time     : 2024-03-14 07:12:44 CET",
        "Severity : Degraded",
        "Type     : Disk state change",
        "Message  : pd 31 wwn 5000CCA05D8A1F20 Degraded (Too many media errors {0x0020})",
        "",
        "Time     : 2024-03-14 07:12:49 CET",
        "Severity : Informational",
        "Type     : Task started",
        "Message  : Task 18422 (type 'background_command') has started",
        "",
        "3par-8400-prod cli% ",
    ]
    assert sniff(sample_of(texts)).format.name == "records"
    frame = parse_records(lines_of(texts), ParseContext("events.txt", tz="UTC"))
    assert frame["line"].to_list() == [2, 7]
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 14, 6, 12, 44, tzinfo=UTC),
        datetime(2024, 3, 14, 6, 12, 49, tzinfo=UTC),
    ]
    assert frame["level"][1] == "INFO"


def test_numbered_records_behind_cmds_prompt():
    # Dell EMC Unity's `uemcli ... /event/alert/hist show` in cmd.exe (the Unisphere CLI
    # guide): the connection's lines, then records numbered before their first field.
    texts = [
        r"C:\Program Files\Dell EMC\Unity\Unisphere CLI>uemcli -d 10.0.0.20 /event/alert/hist show",
        "Storage system address: 10.0.0.20",
        "Storage system port: 443",
        "HTTPS connection",
        "",
        "1:    Time     = 2024-03-14 22:14:09.418",
        "      Message  = Storage pool Pool_01 has exceeded its allocation threshold.",
        "      Severity = warning",
        "",
        "2:    Time     = 2024-03-15 03:09:15.372",
        "      Message  = The replication session rep_01 is operating normally.",
        "      Severity = info",
        "",
        r"C:\Program Files\Dell EMC\Unity\Unisphere CLI>",
    ]
    assert sniff(sample_of(texts)).format.name == "records"
    frame = parse_records(lines_of(texts), ParseContext("alerts.txt", tz="UTC"))
    assert frame["line"].to_list() == [6, 10]
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 14, 22, 14, 9, 418000, tzinfo=UTC),
        datetime(2024, 3, 15, 3, 9, 15, 372000, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == ["WARN", "INFO"]
    first = frame.row(0, named=True)
    assert first["message"][first["body_at"] :].startswith("Storage pool Pool_01")


def test_a_broken_line_in_the_middle_stays_in_its_record():
    texts = RACADM[:4] + ["Timesta"] + RACADM[4:]
    frame = parse(texts)
    assert frame.height == 2
    assert "\nTimesta\n" in frame["message"][0]


@pytest.mark.parametrize(
    "texts",
    [
        # settings without a time key
        ["[server]", "host = 0.0.0.0", "port = 8080", "", "[db]", "host = db", "port = 5432"],
        # a Java log's `Caused by:` lines
        [
            "2024-03-14 09:26:53,589 ERROR [main] App: failed",
            "java.lang.IllegalStateException: boom",
            "\tat com.example.App.main(App.java:12)",
            "Caused by: java.io.IOException: gone",
            "2024-03-14 09:26:54,001 INFO  [main] App: retrying",
        ],
        # syslog
        [
            "Mar 14 09:26:53 web01 sshd[811]: Accepted publickey for deploy",
            "Mar 14 09:26:54 web01 systemd[1]: Started Session 4 of user deploy.",
        ],
    ],
)
def test_other_text_is_not_taken_for_records(texts):
    found = sniff(sample_of(texts))
    assert found is None or found.format.name != "records"


def test_ingest_reads_a_file_of_records(tmp_path):
    path = tmp_path / "system-events.txt"
    path.write_text("\n".join(FORMAT_LIST) + "\n")
    result = ingest([path], tz="UTC")
    assert result.sources[0].format == "records"
    assert result.table.height == 3


def test_format_list_records_with_messages_aligned_under_their_values(tmp_path):
    # `Get-WinEvent | Format-List | Out-File -Encoding utf8`: a BOM, then records whose
    # messages go on aligned under the value column; day-first dates (en-GB).
    texts = [
        "",
        "TimeCreated      : 14/03/2024 09:31:52",
        "Id               : 22",
        "LevelDisplayName : Information",
        "Message          : Dns query:",
        "                   RuleName: -",
        "                   UtcTime: 2024-03-14 09:31:50.871",
        "                   QueryName: login.microsoftonline.com",
        "",
        "TimeCreated      : 14/03/2024 09:29:58",
        "Id               : 255",
        "LevelDisplayName : Error",
        "Message          : Error report:",
        "                   UtcTime: 2024-03-14 09:29:58.447",
        "                   ID: DriverCommunication",
    ]
    path = tmp_path / "sysmon.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(texts).encode())
    result = ingest([path], tz="UTC")
    assert result.sources[0].format == "records"
    table = result.table.sort("line")
    assert table["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 31, 52, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 29, 58, tzinfo=UTC),
    ]
    assert [str(v) for v in table["level"]] == ["INFO", "ERROR"]


def test_quoted_values_as_yaml_writes_them():
    # `gcloud logging read` prints each entry as YAML, values in single quotes, `---` apart
    texts = [
        "insertId: 1lq8v0zf2k3mwx",
        "receiveTimestamp: '2024-03-09T02:17:45.311846512Z'",
        "severity: ERROR",
        "textPayload: 'export aborted after 3 attempts'",
        "timestamp: '2024-03-09T02:17:44.906172Z'",
        "---",
        "insertId: 1lq8v0zf2k3mww",
        "receiveTimestamp: '2024-03-09T02:15:03.001Z'",
        "severity: WARNING",
        "textPayload: 'retrying shard 42'",
        "timestamp: '2024-03-09T02:15:02.774518Z'",
    ]
    frame = parse(texts)
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 9, 2, 17, 44, 906172, tzinfo=UTC),
        datetime(2024, 3, 9, 2, 15, 2, 774518, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == ["ERROR", "WARN"]


def test_stamped_lines_with_a_messages_headers_under_them_are_no_records():
    # Exim's rejectlog: a stamped line, then the rejected message's envelope and headers
    texts = [
        "2024-03-14 09:12:03 1rkmRk-0004Zy-2B H=(mail.example) [203.0.113.5] "
        "F=<news@deals.example> rejected after DATA: Spam score 17.3",
        "Envelope-from: <news@deals.example>",
        "Envelope-to: <j.meyer@example.com>",
        "P Received: from [203.0.113.5] (helo=mail.example)",
        "I Message-ID: <20240314091201.4F2A1C0@deals.example>",
        "F From: news@deals.example",
        "  Date: Thu, 14 Mar 2024 10:12:01 +0100",
        "2024-03-14 09:14:11 H=(ylmf-pc) [45.155.205.233] rejected RCPT <x@example.com>",
        "2024-03-14 09:33:05 1rkmmH-0005Bt-0C H=static.example [88.12.44.9] rejected after DATA",
        "Envelope-from: <invoices@example.com>",
        "Envelope-to: <accounts@example.com>",
        "  Date: Thu, 14 Mar 2024 09:33:04 +0000",
    ]
    assert sniff(sample_of(texts)).format.name != "records"

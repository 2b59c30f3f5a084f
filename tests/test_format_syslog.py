"""Syslog RFC 5424 and RFC 3164 (with and without PRI, BSD and ISO stamps)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from helpers import lines_of, utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.syslog import parse_3164, parse_5424, sniff_3164, sniff_5424
from logview.core.reading.registry import sniff
from logview.core.shared.table import PARSED_SCHEMA

# 2024-06-15 00:00 UTC: year-less stamps take 2024 for the last entry.
MTIME = datetime(2024, 6, 15, tzinfo=UTC).timestamp()

PROSE = (
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "Winston Smith, his chin nuzzled into his breast, slipped quickly through the doors.",
    "The hallway smelt of boiled cabbage and old rag mats.",
)

RFC5424_LINES = [
    "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
    '[exampleSDID@32473 iut="3" eventSource="Application"] An application event log entry',
    "<34>1 2003-10-11T23:14:15.000+02:00 - su - - - 'su root' failed for lonvick",
    '<11>1 - host app 42 - [a@1 x="\\]\\""][b@2 y="z"]',
]

BSD_LINES = [
    "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown",
    "Jun 14 15:16:02 combo sshd(pam_unix)[19939]: authentication failure; rhost=1.2.3.4",
    "Jun 14 15:16:03 combo kernel: ERROR: disk sda1 failing",
    "Jun 14 15:16:04 combo su(pam_unix)[21416]: session opened for user cyrus",
    "Jun 14 15:16:05 combo logrotate: ALERT exited abnormally with [1]",
]


def sample_of(texts: list[str] | tuple[str, ...], name: str = "messages") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def ctx_with(notes: list[str]) -> ParseContext:
    return ParseContext("messages", mtime=MTIME, note=notes.append)


# --- RFC 5424 ------------------------------------------------------------------------------


def test_rfc5424_header_fields_become_extras_and_pri_gives_level():
    frame = parse_5424(lines_of(RFC5424_LINES), ctx_with([]))
    assert frame.columns == [
        "ts", "level", "line", "message", "body_at",
        "host", "program", "pid", "msgid", "structured_data", "facility",
    ]  # fmt: skip
    first = frame.row(0, named=True)
    assert first["ts"] == utc(2003, 10, 11, 22, 14, 15, 3000)
    assert first["level"] == "INFO"  # 165 % 8 = 5, notice
    assert first["facility"] == "local4"  # 165 // 8 = 20
    assert first["host"] == "mymachine.example.com"
    assert first["program"] == "evntslog"
    assert first["pid"] is None
    assert first["msgid"] == "ID47"
    assert first["structured_data"] == ('[exampleSDID@32473 iut="3" eventSource="Application"]')
    assert first["message"] == RFC5424_LINES[0]


def test_rfc5424_offset_nil_fields_and_escaped_structured_data():
    frame = parse_5424(lines_of(RFC5424_LINES), ctx_with([]))
    second, third = frame.row(1, named=True), frame.row(2, named=True)
    assert second["ts"] == utc(2003, 10, 11, 21, 14, 15)
    assert second["level"] == "FATAL"  # 34 % 8 = 2, critical
    assert second["facility"] == "auth"
    assert second["host"] is None and second["program"] == "su"
    assert third["ts"] is None  # a nil stamp
    assert third["level"] == "ERROR"  # 11 % 8 = 3
    assert third["pid"] == "42"
    assert third["structured_data"] == '[a@1 x="\\]\\""][b@2 y="z"]'


def test_rfc5424_malformed_lines_keep_their_place():
    texts = [
        RFC5424_LINES[0],
        "    continuation of the event",
        "not syslog at all",
        RFC5424_LINES[1],
    ]
    frame = parse_5424(lines_of(texts), ctx_with([]))
    assert frame["line"].to_list() == [1, 3, 4]
    assert frame["message"][0] == RFC5424_LINES[0] + "\n    continuation of the event"
    assert frame.row(1, named=True)["ts"] is None
    assert frame.row(1, named=True)["level"] is None
    assert frame["message"][1] == "not syslog at all"


def test_rfc5424_with_a_space_for_t_and_a_line_cut_in_its_structured_data():
    # Check Point's Log Exporter writes `2024-03-14 09:21:03`; a capture's last line is cut.
    texts = [
        '<134>1 2024-03-14 09:21:03 gw-hq-01 CheckPoint 26203 - [action:"Accept"; ifdir:"out"]',
        '<134>1 2024-03-14 09:34:40 gw-hq-01 CheckPoint 26203 - [action:"Drop"; ifname:"eth',
    ]
    frame = parse_5424(lines_of(texts), ctx_with([]))
    assert frame["ts"].to_list() == [utc(2024, 3, 14, 9, 21, 3), utc(2024, 3, 14, 9, 34, 40)]
    assert frame["host"].to_list() == ["gw-hq-01", "gw-hq-01"]
    assert frame["program"].to_list() == ["CheckPoint", "CheckPoint"]
    assert sniff(sample_of(texts)).format.name == "syslog5424"


def test_rfc5424_framed_by_octet_counts_and_without_structured_data():
    # A Heroku Logplex drain's body: RFC 6587's octet count before each message, and Logplex
    # writes no structured data, not even `-`
    texts = [
        "119 <134>1 2024-06-12T11:05:02.114302+00:00 host heroku api - Release v142 created",
        "71 <134>1 2024-06-12T11:05:03.781925+00:00 host heroku web.1 - Restarting",
        "95 <190>1 2024-06-12T11:05:10.602341+00:00 host app web.1 - [12] Puma starting",
    ]
    frame = parse_5424(lines_of(texts), ctx_with([]))
    assert frame["level"].to_list() == ["INFO"] * 3
    assert frame["program"].to_list() == ["heroku", "heroku", "app"]
    assert frame["ts"][0] == datetime(2024, 6, 12, 11, 5, 2, 114302, tzinfo=UTC)
    assert frame["message"][1].endswith("Restarting")
    assert sniff(sample_of(texts)).format.name == "syslog5424"


def test_rfc5424_sniff_wins_on_its_sample_and_not_on_prose():
    detection = sniff(sample_of(RFC5424_LINES))
    assert detection is not None and detection.format.name == "syslog5424"
    assert detection.confidence == 0.9
    assert sniff_5424(sample_of(PROSE)) == 0.0
    assert sniff_5424(sample_of(BSD_LINES)) == 0.0


# --- RFC 3164 ------------------------------------------------------------------------------


def test_bsd_file_form_gives_host_app_pid_and_year_from_file_date():
    notes: list[str] = []
    frame = parse_3164(lines_of(BSD_LINES), ctx_with(notes))
    assert frame.columns == ["ts", "level", "line", "message", "body_at", "host", "program", "pid"]
    assert frame["ts"][0] == utc(2024, 6, 14, 15, 16, 1)
    assert frame["host"].to_list() == ["combo"] * 5
    assert frame["program"].to_list() == ["sshd(pam_unix)", "sshd(pam_unix)", "kernel", "su(pam_unix)",
                                      "logrotate"]  # fmt: skip
    assert frame["pid"].to_list() == ["19939", "19939", None, "21416", None]
    assert frame["message"].to_list() == BSD_LINES
    assert frame["line"].to_list() == [1, 2, 3, 4, 5]
    assert any("no year" in note for note in notes)


def test_bsd_level_without_pri_comes_from_the_message_text():
    frame = parse_3164(lines_of(BSD_LINES), ctx_with([]))
    assert frame["level"].to_list() == [None, None, "ERROR", None, None]


def test_year_steps_back_across_a_december_to_january_wrap():
    texts = [
        "Dec 31 23:59:59 web cron[1]: last of the year",
        "Jan  1 00:00:01 web cron[1]: first of the year",
    ]
    frame = parse_3164(lines_of(texts), ctx_with([]))
    assert frame["ts"].to_list() == [utc(2023, 12, 31, 23, 59, 59), utc(2024, 1, 1, 0, 0, 1)]


def test_pri_gives_the_level_in_rfc3164():
    texts = ["<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8",
             "<14>Oct 11 22:14:16 mymachine su[123]: ERROR is only a word here"]  # fmt: skip
    frame = parse_3164(lines_of(texts), ctx_with([]))
    assert frame["level"].to_list() == ["FATAL", "INFO"]
    assert frame["ts"][0] == utc(2023, 10, 11, 22, 14, 15)  # Oct 2024 would be after mtime
    assert frame["host"][0] == "mymachine" and frame["pid"][0] == "123"


def test_rsyslog_iso_stamps_mixed_with_bsd_stamps_are_both_read():
    texts = [
        "Jun 14 15:16:01 combo sshd[1]: before the switch",
        "2024-06-14T15:17:05.123456+02:00 combo app[42]: high precision",
    ]
    frame = parse_3164(lines_of(texts), ctx_with([]))
    assert frame["ts"].to_list() == [
        utc(2024, 6, 14, 15, 16, 1),
        utc(2024, 6, 14, 13, 17, 5, 123456),
    ]
    assert frame["program"].to_list() == ["sshd", "app"]


def test_rfc3164_lines_without_app_keep_stamp_and_host_and_junk_stands_alone():
    texts = [
        BSD_LINES[0],
        "Jun 14 15:16:02 combo last message repeated 3 times",
        "\tindented continuation",
        "",
        "garbage without a stamp",
    ]
    frame = parse_3164(lines_of(texts), ctx_with([]))
    assert frame["line"].to_list() == [1, 2, 5]
    assert frame.row(1, named=True)["ts"] == utc(2024, 6, 14, 15, 16, 2)
    assert frame.row(1, named=True)["host"] == "combo"
    assert frame.row(1, named=True)["program"] is None
    assert frame["message"][1].endswith("3 times\n\tindented continuation")
    assert frame.row(2, named=True)["ts"] is None
    assert frame["message"][2] == "garbage without a stamp"


def test_syslog_sniff_outscores_text_only_with_the_host_app_structure():
    detection = sniff(sample_of(BSD_LINES))
    assert detection is not None and detection.format.name == "syslog"
    assert detection.confidence == 0.75
    with_pri = [f"<13>{line}" for line in BSD_LINES]
    assert sniff_3164(sample_of(with_pri)) == 0.85
    iso = [f"2024-01-02T03:04:0{i}.123456+00:00 host app[{i}]: message {i}" for i in range(5)]
    assert sniff_3164(sample_of(iso)) == 0.75
    assert sniff_3164(sample_of(PROSE)) == 0.0


def test_syslog_sniff_leaves_files_with_too_few_structured_lines_to_text():
    stamped_only = [f"Jun 14 15:16:0{i} combo no colon structure here {i}" for i in range(5)]
    mixed = BSD_LINES[:3] + stamped_only[:2]
    assert sniff_3164(sample_of(stamped_only)) == 0.0
    assert sniff_3164(sample_of(mixed)) == 0.0  # 60% structured
    detection = sniff(sample_of(stamped_only))
    assert detection is not None and detection.format.name == "text"


def test_a_cisco_message_code_where_the_tag_would_be_gives_the_severity():
    # A relay's file (RSYSLOG_FileFormat): an ASA's lines, its code right after the host.
    texts = [
        "2024-06-27T09:12:01.208114+02:00 asa-fw01 %ASA-4-106023: Deny tcp src outside:1.2.3.4",
        "2024-06-27T09:12:02.554871+02:00 asa-fw01 %ASA-6-302013: Built outbound TCP connection",
        "2024-06-27T09:12:40.114590+02:00 asa-fw01 %ASA-2-106001: Inbound TCP connection denied",
        "2024-06-27T07:12:03.441+00:00 web01 sshd[4032]: Accepted publickey for deploy",
    ]
    frame = parse_3164(lines_of(texts), ctx_with([]))
    assert frame["level"].to_list() == ["WARN", "INFO", "FATAL", None]


def test_text_log_with_level_after_iso_stamp_is_not_syslog():
    texts = [f"2024-01-02T03:04:0{i}Z INFO main: started worker {i}" for i in range(5)]
    assert sniff_3164(sample_of(texts)) == 0.0
    # (EMQX's text log: a bracketed level where a host would be)
    texts = [f"2024-06-29T09:40:1{i}.018734+02:00 [info] msg: listener_started" for i in range(5)]
    assert sniff_3164(sample_of(texts)) == 0.0


def test_empty_input_gives_an_empty_frame_with_the_parsed_schema():
    for parse in (parse_3164, parse_5424):
        frame = parse(lines_of([]), ctx_with([]))
        assert frame.height == 0
        assert dict(frame.schema) == PARSED_SCHEMA


# --- the fast path gives what RFC3164 gives ------------------------------------------------

TRICKY_BSD_LINES = [
    *BSD_LINES,
    "Jan  5 00:00:00 web-01 sshd[64855]: Accepted publickey for deploy",
    "Jan  5 00:00:01 web-01 kernel: [12.5] ERROR usb 1-1: reset",
    "Jan  5 00:00:02 web-01 app[]: empty pid",
    "Jan  5 00:00:03 web-01 app[1 2]:no space after the colon",
    "Jan  5 00:00:04 web-01 app:",
    "Jan  5 00:00:05 web-01 app[7]:",
    "Jan  5 00:00:06 web-01 last message repeated 2 times",
    "Jan  5 00:00:07 web-01",
    "Jan  5 00:00:08.123 web-01 app: with a fraction",
    "Jan 15 00:00:09 h:x app: host with a colon",
    "Jan 15 00:00:10 web-01 äpp[3]: ünïcode WARNING",
    "Jan 15 00:00:11 web-01  app: two spaces",
    "Jan 15 00:00:12 web-01 app\t: tab",
    "<13>Jan 15 00:00:13 web-01 app: with pri",
    "2024-01-15T00:00:14Z web-01 app: iso stamp",
    "Feb 30 00:00:15 web-01 app: no such day",
    "Dec 31 23:59:59 web-01 app: a year wrap before",
    "   indented continuation",
    "",
    "junk",
]


def _assert_fast_3164_equals_slow(texts, monkeypatch):
    import logview.core.reading.parsers.syslog as syslog

    ctx = ParseContext("messages", mtime=MTIME)
    fast = parse_3164(lines_of(texts), ctx)
    with monkeypatch.context() as m:
        m.setattr(syslog, "_FAST_3164", r"(?P<host>[^\s\S])(?P<app>x)(?P<pid>x)(?P<space>x)")
        slow = parse_3164(lines_of(texts), ctx)
    assert fast.schema == slow.schema
    assert fast.equals(slow), (fast, slow)


@pytest.mark.slow
def test_rfc3164_fast_path_gives_the_same_frame_as_the_regex_on_varied_lines(monkeypatch):
    _assert_fast_3164_equals_slow(TRICKY_BSD_LINES, monkeypatch)
    for line in TRICKY_BSD_LINES:
        _assert_fast_3164_equals_slow([line], monkeypatch)


def test_vmware_severity_and_pri_in_the_host_place_give_the_level():
    # ESXi 7+: `<iso stamp> <Sev>(<PRI>) <program>[<pid>]: ...`, PRI 182 = local6.info
    texts = [
        "2024-03-14T09:26:50.101Z In(182) vmkernel: cpu0:2097152)Boot Successful failed",
        "2024-03-14T09:26:51.101Z Wa(180) hostd[2099]: disk latency up",
        "2024-03-14T09:26:52.101Z Er(179) vpxa[2101]: cannot reach vCenter",
        "2024-03-14T09:26:53.101Z Db(183) hostd[2099]: tick",
    ]
    parsed = parse_3164(lines_of(texts), ctx_with([]))
    assert parsed["level"].cast(pl.String).to_list() == ["INFO", "WARN", "ERROR", "DEBUG"]
    assert parsed["host"].to_list() == [None] * 4
    assert parsed["program"].to_list() == ["vmkernel", "hostd", "vpxa", "hostd"]


def test_esxi_8_lines_marked_with_a_plus_are_one_message():
    # ESXi 8: each later line of one multi-line message repeats the stamp, with `+` after the PRI
    texts = [
        "2024-03-14T09:20:58.903Z Er(163) Hostd[2100871]: Snapshot failed",
        "2024-03-14T09:20:58.903Z Er(163)+ Hostd[2100871]: --> (vim.fault.ApplicationQuiesceFault) {",
        "2024-03-14T09:20:58.903Z Er(163)+ Hostd[2100871]: -->    faultCause = null,",
        "2024-03-14T09:20:58.903Z Er(163)+ Hostd[2100871]: --> }",
        "2024-03-14T09:21:05.002Z In(166) Hostd[2099434]: Task completed",
    ]
    parsed = parse_3164(lines_of(texts), ctx_with([]))
    assert parsed["line"].to_list() == [1, 5]
    assert parsed["level"].cast(pl.String).to_list() == ["ERROR", "INFO"]
    assert parsed["message"][0].count("\n") == 3


def test_a_klog_letter_opening_the_message_gives_its_level():
    # kubelet in the journal, short format: klog's `W0314 ...` after `kubelet[1322]: `
    texts = [
        "Mar 14 09:26:40 k8s-worker-3 kubelet[1322]: W0314 09:26:40.118532    1322 eviction.go:367]"
        " attempting to reclaim",
        "Mar 14 09:27:12 k8s-worker-3 kubelet[1322]: I0314 09:27:12.902144    1322 status.go:493]"
        " node ready",
    ]
    parsed = parse_3164(lines_of(texts), ctx_with([]))
    assert parsed["level"].cast(pl.String).to_list() == ["WARN", "INFO"]


def test_a_program_tag_right_after_the_stamp_has_no_host():
    # a daemon's own log file (Dovecot): `Mmm dd HH:MM:SS program: Level: message`
    texts = [
        "Mar 14 09:26:50 master: Info: Dovecot v2.3.21 starting up",
        "Mar 14 09:26:54 auth: Debug: passwd-file lookup",
        "Mar 14 09:27:40 imap(alice@example.com)<4211><kX3b>: Error: Mailbox INBOX: failed",
        "Mar 14 09:29:00 web01 lmtp[4301]: Fatal: master disconnected",
    ]
    parsed = parse_3164(lines_of(texts), ctx_with([]))
    assert parsed["level"].cast(pl.String).to_list() == ["INFO", "DEBUG", "ERROR", "FATAL"]
    assert parsed["host"].to_list() == [None, None, None, "web01"]
    assert parsed["program"].to_list()[:2] == ["master", "auth"]
    assert parsed["pid"].to_list()[3] == "4301"


def test_a_level_in_a_tag_without_a_host_is_read():
    # ESXi before 7: `<iso stamp> cpu<N>:<world>)<Module>: ...`, a WARNING or ALERT in the tag
    texts = [
        "2017-04-19T07:27:41.002Z cpu3:32849)WARNING: NMP: nmp_DeviceRequestFastDeviceProbe: x",
        "2017-04-19T07:27:42.002Z cpu3:32849)ALERT: NMP: path vmhba2:C0:T1:L0 is dead",
        "2017-04-19T07:27:45.118Z cpu0:32768)NetPort: 1632: disabled port 0x2000004",
    ]
    parsed = parse_3164(lines_of(texts), ctx_with([]))
    assert parsed["level"].cast(pl.String).to_list() == ["WARN", "FATAL", None]


def test_a_terminal_sessions_prompt_around_syslog_lines_is_no_entry():
    # EdgeOS `show log tail` in an SSH session
    texts = [
        "ubnt@erx-gw01:~$ show log tail 3",
        "Mar 14 09:20:04 erx-gw01 pppd[2417]: LCP terminated by peer",
        "Mar 14 09:20:07 erx-gw01 pppd[2417]: Connection terminated.",
        "ubnt@erx-gw01:~$ ",
    ]
    frame = parse_3164(
        lines_of(texts), ParseContext("session.log", mtime=utc(2024, 6, 30).timestamp())
    )
    assert frame["line"].to_list() == [2, 3]


def test_postgresql_numbered_syslog_lines_are_one_message_each():
    # PostgreSQL to syslog (its manual: syslog_sequence_numbers): `[seq-chunk]` before each
    # line; a message's DETAIL, STATEMENT and its statement's lines (tabs as `#011`) follow
    # with the same sequence number.
    texts = [
        "Mar 14 09:26:50 db1 postgres[1187]: [14-1] LOG:  checkpoint starting: time",
        'Mar 14 09:27:02 db1 postgres[28810]: [9-1] ERROR:  duplicate key value violates "pk"',
        "Mar 14 09:27:02 db1 postgres[28810]: [9-2] DETAIL:  Key (id)=(4) already exists.",
        "Mar 14 09:27:02 db1 postgres[28810]: [9-3] STATEMENT:  INSERT INTO items (id)",
        "Mar 14 09:27:02 db1 postgres[28810]: [9-4] #011VALUES ($1)",
        "Mar 14 09:29:40 db1 postgres[28851]: [9-1] FATAL:  remaining connection slots",
        "Mar 14 09:31:05 db1 postgres[28870]: [10-1] WARNING:  no transaction in progress",
    ]
    frame = parse_3164(lines_of(texts), ParseContext("postgresql.log", mtime=MTIME))
    assert frame["line"].to_list() == [1, 2, 6, 7]
    assert frame["level"].to_list() == ["INFO", "ERROR", "FATAL", "WARN"]
    error = frame.row(1, named=True)
    assert error["message"].endswith("#011VALUES ($1)")
    assert error["message"][error["body_at"] :].startswith("ERROR:  duplicate key")
    # Without numbers, each line is an entry as ever.
    plain = [t.replace("[9-2] ", "").replace("[9-3] ", "") for t in texts[:4]]
    assert parse_3164(lines_of(plain), ParseContext("p.log", mtime=MTIME)).height == 4


def test_journalctls_boot_markers_are_no_entries_in_its_syslog_layouts():
    notes: list[str] = []
    texts = [
        "2024-03-14T02:38:58+01:00 pi-nut upsd[790]: Signal 15: exiting",
        "-- Boot 7b1e0f6c2d5a4f4c9a3e2b8d11c06f52 --",
        "2024-03-14T06:47:31+01:00 pi-nut upsdrvctl[641]: Network UPS Tools 2.8.0",
    ]
    frame = parse_3164(lines_of(texts), ctx_with(notes))
    assert frame["line"].to_list() == [1, 3]
    assert not frame["message"][0].endswith("--")
    assert any("1 journalctl marker" in note for note in notes)


def test_a_traceback_journald_gave_each_line_a_header_is_one_entry():
    # `journalctl -u` over gunicorn: each line of the traceback has the same header
    head = "Jun 28 07:42:17 calc-01 gunicorn[48215]: "
    texts = [
        "Jun 28 07:42:16 calc-01 gunicorn[48215]: [2024-06-28 07:42:16 +0000] [48215] [INFO] ok",
        head + "[2024-06-28 07:42:17,093] ERROR in app: Exception on /v1/quotes [POST]",
        head + "Traceback (most recent call last):",
        head + '  File "/opt/pricing-quoter/app/quotes.py", line 118, in create_quote',
        head + '    rate = fx_rates[req["currency"]]',
        head + "           ~~~~~~~~^^^^^^^^^^^^^^^^^",
        head + "KeyError: 'XAU'",
        head + "[2024-06-28 07:42:17 +0000] [48215] [INFO] request done",
        # another process's line in the same second is its own, indented or not
        "Jun 28 07:42:17 calc-01 sudo[512]:   deploy : TTY=pts/1 ; COMMAND=/usr/bin/true",
        "Jun 28 07:42:17 calc-01 sudo[512]:   deploy : TTY=pts/1 ; COMMAND=/usr/bin/false",
    ]
    frame = parse_3164(
        lines_of(texts), ParseContext("messages", mtime=utc(2024, 6, 30).timestamp())
    )
    assert frame["line"].to_list() == [1, 2, 8, 9, 10]
    assert frame["message"][1].endswith("KeyError: 'XAU'")

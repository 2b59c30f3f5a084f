"""Stamps found where they are: after a prefix learned per source, in more layouts, with zone
names, dates from header lines, and lines of another layout starting their own entries.

Every sample line here is written from the format's documented layout, not copied from a log.
"""

import re
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from helpers import utc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logview.core.reading import stamp_forms
from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.text import describe, parse_text, sniff, text_layout
from logview.core.reading.stamp_search import detect_layout
from logview.core.reading.timestamps import (
    dates_from_header_lines,
    parse_stamp_column,
    read_line_stamps,
    stamps_from_times,
)

MTIME_2023 = datetime(2023, 12, 1, tzinfo=UTC).timestamp()


def frame(texts: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"line": pl.Series(range(1, len(texts) + 1), dtype=pl.UInt64), "text": texts}
    )


def parse(texts: list[str], **ctx) -> tuple[pl.DataFrame, list[str]]:
    notes: list[str] = []
    parsed = parse_text(frame(texts), ParseContext("app.log", note=notes.append, **ctx))
    return parsed, notes


def stamps(lines: list[str], **kwargs) -> list[datetime | None]:
    layout = detect_layout(lines)
    assert layout is not None
    return read_line_stamps(pl.Series(lines), layout, **kwargs).ts.to_list()


# --- prefixes learned from the sample ------------------------------------------------------

VHOST = [
    'lessons.example.com 192.168.0.1 - - [09/Jun/2020:10:00:00 +0000] "GET / HTTP/1.1" 200 12',
    'www.example.org 10.0.0.7 - frank [09/Jun/2020:12:30:01 +0200] "GET /a HTTP/1.1" 404 0',
    'lessons.example.com 192.168.0.9 - - [09/Jun/2020:10:00:02 +0000] "POST /b HTTP/1.1" 500 3',
]
OPENSTACK = [
    "nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi [req-1] a",
    "nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:01.250 25746 INFO nova.osapi [req-2] b",
    "nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:02.500 2931 INFO nova.compute c",
]
HPC = [
    "134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: a",
    "134682 node-12 node.status running 1077804800 1 Node is running",
    "134683 gige7 switch_module linkerror 1077804900 1 Link error on port 3",
]
PIDS = [
    "[pid 1234] 2024-01-02 03:04:05 INFO worker started",
    "[pid 98] 2024-01-02 03:04:06 WARN worker slow",
]
COMPOSE = [
    "web-1  | 2024-01-02T03:04:05.123Z INFO listening on :8080",
    "db-1   | 2024-01-02T03:04:06.000Z LOG database system is ready",
    "web-1  | 2024-01-02T03:04:07.500Z ERROR request failed",
]
GREP_H = [
    "app.log:2024-01-02 03:04:05 INFO a",
    "/var/log/other.log:2024-01-02 03:04:06 WARN b",
]
BGL_LIKE = [
    "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 RAS KERNEL INFO cache parity error corrected",
    "APPREAD 1117869872 2005.06.04 R04-M1-N4-I:J18-U11 RAS APP FATAL ciod: failed to read",
    "KERNDTLB 1117869900 2005.06.04 R04-M1-N4-I:J18-U11 RAS KERNEL FATAL data TLB error",
]


@pytest.mark.parametrize(
    ("lines", "name", "field", "expected"),
    [
        (VHOST, "clf", "prefix", [utc(2020, 6, 9, 10), utc(2020, 6, 9, 10, 30, 1)]),
        (
            OPENSTACK,
            "iso8601",
            "file",
            [utc(2017, 5, 16, 0, 0, 0, 8000), utc(2017, 5, 16, 0, 0, 1, 250000)],
        ),
        (HPC, "epoch-s", "prefix", [utc(2004, 2, 26, 14, 12, 22), utc(2004, 2, 26, 14, 13, 20)]),
        (PIDS, "iso8601", "pid", [utc(2024, 1, 2, 3, 4, 5), utc(2024, 1, 2, 3, 4, 6)]),
        (
            COMPOSE,
            "iso8601",
            "program",
            [utc(2024, 1, 2, 3, 4, 5, 123000), utc(2024, 1, 2, 3, 4, 6)],
        ),
        (GREP_H, "iso8601", "file", [utc(2024, 1, 2, 3, 4, 5), utc(2024, 1, 2, 3, 4, 6)]),
        (BGL_LIKE, "epoch-s", "prefix", [utc(2005, 6, 3, 22, 42, 50), utc(2005, 6, 4, 7, 24, 32)]),
    ],
    ids=["vhost", "openstack", "hpc", "pid", "compose", "grep", "bgl"],
)
def test_a_stamp_after_a_prefix_is_found_and_the_prefix_named_by_its_shape(
    lines, name, field, expected
):
    layout = detect_layout(lines)
    assert layout is not None and (layout.name, layout.field) == (name, field)
    assert stamps(lines)[:2] == expected


def test_prefix_text_becomes_a_field_and_the_body_starts_after_the_stamp():
    parsed, _ = parse(OPENSTACK)
    assert parsed["file"].to_list() == [
        "nova-api.log.1.2017-05-16_13:53:08",
        "nova-api.log.1.2017-05-16_13:53:08",
        "nova-compute.log.1.2017-05-16_13:55:31",
    ]
    bodies = [m[at:] for m, at in zip(parsed["message"], parsed["body_at"], strict=True)]
    assert bodies[0] == " 25746 INFO nova.osapi [req-1] a"
    assert parse(PIDS)[0]["pid"].to_list() == ["1234", "98"]
    assert parse(COMPOSE)[0]["program"].to_list() == ["web-1", "db-1", "web-1"]


def test_lines_whose_prefix_text_differs_are_read_when_the_stamp_is_where_the_others_is():
    # BGL's label is `-` on most lines and a word on alerts: one token before the stamp either way.
    parsed, _ = parse(BGL_LIKE)
    assert parsed["ts"].null_count() == 0
    assert parsed["prefix"].to_list() == ["-", "APPREAD", "KERNDTLB"]


def test_the_prefix_is_learned_from_most_lines_not_guessed_per_line():
    lines = [f"web-1  | 2024-01-02T03:04:{i:02d}Z INFO request {i}" for i in range(10)]
    # A line whose stamp sits one token further on is not read at another place of its own.
    odd = "web-1  | extra 2024-01-02T03:05:00Z INFO moved"
    layout = detect_layout([*lines, odd])
    assert layout is not None and layout.field == "program"
    parsed, _ = parse([*lines, odd])
    assert parsed.height == 10
    assert parsed["message"][9].endswith("\n" + odd)


def test_a_task_name_with_spaces_before_the_prefixs_punctuation_keeps_the_stamp_place():
    # A Cisco wireless controller's `show msglog`: the task's name, a colon, then the stamp;
    # a few tasks' names have spaces in them.
    lines = [
        "*apfMsConnTask_5: Mar 14 09:34:51.208: %APF-3-AUTHENTICATION_TRAP: failure",
        "*emWeb: Mar 14 09:32:10.554: %AAA-5-AAA_AUTH_ADMIN_USER: admin logged in",
        "*spamApTask3: Mar 14 09:30:02.941: %LWAPP-3-AP_DEL: Entry deleted for AP",
        "*CDP Main: Mar 14 09:28:36.289: #LWAPP-4-AP_DUPLEX_MISMATCH: Duplex mismatch",
        "*osapiBsnTimer: Mar 14 09:27:45.003: %RRM-4-RRM_LOGMSG: Coverage hole pre-alarm",
        "*DHCP Socket Task: Mar 14 09:25:19.776: %DHCP-4-DHCP_SERVER_NOT_RESPONDING: no reply",
        "*apfReceiveTask: Mar 14 09:21:40.018: %APF-6-USER_NAME_CREATED: Username created",
    ]
    parsed, _ = parse(lines, mtime=MTIME_2023)
    assert parsed.height == 7
    assert parsed["ts"][3] == utc(2023, 3, 14, 9, 28, 36, 289000)
    assert parsed["ts"][5] == utc(2023, 3, 14, 9, 25, 19, 776000)
    assert parsed["level"].to_list() == ["ERROR", "INFO", "ERROR", "WARN", "WARN", "WARN", "INFO"]


def test_a_number_that_is_no_date_as_an_epoch_leaves_the_written_date_after_it():
    # Check Point's .elg: a thread id (4152617856 s would be 2101) before the stamp's bracket;
    # Thunderbird's epoch (2005) before a syslog stamp stays the stamp.
    elg = [
        f"[vpnd 18342 4152617856]@cpgw-dc2[25 Jun 10:02:1{n}] IkeMgr: no IKE SA found"
        for n in range(6)
    ]
    parsed, _ = parse(elg, mtime=MTIME_2023)
    assert parsed["ts"][0] == utc(2023, 6, 25, 10, 2, 10)
    tbird = [
        f"- 113153766{n} 2005.11.09 cn142 Nov 9 12:01:0{n} cn142/cn142 crond[2916]: (root) CMD"
        for n in range(6)
    ]
    parsed, _ = parse(tbird, mtime=MTIME_2023)
    assert parsed["ts"][0].year == 2005


def test_a_date_at_one_place_in_a_few_lines_of_prose_is_not_a_layout():
    prose = [f"paragraph {i} says nothing about time at all" for i in range(20)]
    prose[3] = "we met on 2024-01-02 03:04:05 and talked"
    prose[9] = "they met on 2024-01-03 03:04:05 and talked"
    assert detect_layout(prose) is None
    assert parse(prose)[0]["ts"].null_count() == 20
    # ... nor in a few lines of `Key: value` settings: their lines could open entries.
    settings = [f"Setting{i}: value {i}" for i in range(20)]
    settings[3] = "Created: on 2024-01-02 03:04:05 by admin"
    settings[9] = "Changed: on 2024-01-03 03:04:05 by admin"
    assert detect_layout(settings) is None


def test_a_stamp_after_a_prefix_over_whole_messages_printed_under_it():
    # Cisco's `debug ccsip messages`: a sequence number, the stamp, then the SIP message's
    # start line and header fields, which open no entries, so the stamped lines are few
    sip = [
        "Via: SIP/2.0/TCP 10.20.5.11:5060;branch=z9hG4bK4a7e1b2d9c",
        "From: <sip:4021@10.20.5.11>;tag=1185842",
        "To: <sip:0296660123@10.20.1.5>",
        "Call-ID: 8c1d5e2a-27f111ef-9a3d-b1c2a4e5@10.20.5.11",
        "CSeq: 101 INVITE",
        "Max-Forwards: 70",
        "Content-Length: 0",
        "",
    ]
    lines = []
    for n in range(4):
        lines += [
            f"00451{n}: Jun 12 14:22:3{n}.456 AEST: //428761/8C1D5E2A27F1/SIP/Msg/ccsipDisplayMsg:",
            "Sent: ",
            f"SIP/2.0 {100 + 80 * n} Trying",
            *sip,
        ]
    layout = detect_layout(lines)
    assert layout is not None and layout.name == "syslog-zoned"
    assert parse(lines)[0].height == 4


def test_the_share_of_prefixed_stamps_is_taken_of_lines_that_can_start_an_entry():
    """A development server's stderr: request lines between start-up lines and a long
    traceback. The traceback's indented lines start no entry, so they do not dilute the share
    of lines whose stamp follows a client address."""
    request = '10.0.3.21 - - [14/Mar/2024 09:2{}:14] "GET /items HTTP/1.1" 200 -'
    frames = [f'  File "/srv/app/views.py", line {n}, in view' for n in range(16)]
    lines = [
        " * Serving app 'inventory'",
        "Press CTRL+C to quit",
        request.format(1),
        "Traceback (most recent call last):",
        *frames,
        "KeyError: 'quantity'",
        request.format(2),
        request.format(3),
    ]
    layout = detect_layout(lines)
    assert layout is not None and layout.name == "clf"
    # The same lines with unindented prose in place of the frames: too few stamps for a layout.
    prose = [f"paragraph {n} says nothing about time" for n in range(16)]
    assert (
        detect_layout([line if line not in frames else prose[frames.index(line)] for line in lines])
        is None
    )


def test_an_access_line_with_a_vhost_is_read_with_its_own_stamp(tmp_path):
    path = tmp_path / "vhost_access.log"
    path.write_text("\n".join(VHOST) + "\n")
    result = ingest([path])
    assert result.table["ts"].to_list() == [
        utc(2020, 6, 9, 10),
        utc(2020, 6, 9, 10, 30, 1),
        utc(2020, 6, 9, 10, 0, 2),
    ]


def test_describe_and_text_layout_keep_the_prefix():
    assert describe(Sample("x.log", b"", tuple(OPENSTACK))) == (
        "Text, ISO 8601 stamps after a file name"
    )
    layout = text_layout(pl.Series(COMPOSE))
    assert layout is not None and layout.field == "program"
    # A follower reads appended lines with the layout learned at ingest.
    appended = ["web-1  | 2024-01-02T03:09:00Z INFO later", "web-1  |     at frame"]
    parsed, _ = parse(appended, layout=layout)
    assert parsed["ts"].to_list() == [utc(2024, 1, 2, 3, 9)]
    assert parsed["program"].to_list() == ["web-1"]


def test_sniff_scores_prefixed_stamps_like_stamps_at_the_start():
    assert sniff(Sample("x.log", b"", tuple(OPENSTACK))) >= 0.5
    assert sniff(Sample("x.log", b"", ("no stamps here", "nor here"))) == 0.1


# --- more layouts -------------------------------------------------------------------------

LAYOUT_CASES = [
    # Android logcat threadtime: no year (the year rule applies).
    (
        "03-17 16:13:38.811  1702  2395 D WindowManager: msg",
        "md-dashed",
        utc(2023, 3, 17, 16, 13, 38, 811000),
    ),
    ("[10.30 16:49:06] worker: tick", "md-dotted", utc(2023, 10, 30, 16, 49, 6)),
    (
        "06-Mar-2023 18:34:17.383 SEVERE [main] org.apache.catalina.core.X msg",
        "dmy-named",
        utc(2023, 3, 6, 18, 34, 17, 383000),
    ),
    # ausearch's text format: the time, then the date
    (
        "On db02 at 09:20:07 03/14/2024 system, acting as root, started auditd",
        "time-mdy",
        utc(2024, 3, 14, 9, 20, 7),
    ),
    # FreeIPMI's ipmi-sel: strftime's `%b-%d-%Y` in a table beside the time
    ("Mar-14-2024 | 09:20:44 | PS2 Status", "mdy-named", utc(2024, 3, 14, 9, 20, 44)),
    ("161209 14:18:50 [Note] InnoDB: ready", "yymmdd-time", utc(2016, 12, 9, 14, 18, 50)),
    ("161209  9:05:01 [Warning] Aborted connection", "yymmdd-time", utc(2016, 12, 9, 9, 5, 1)),
    (
        "4961:M 30 May 12:50:13.457 * Ready to accept connections",
        "dm-spaced",
        utc(2023, 5, 30, 12, 50, 13, 457000),
    ),
    (
        "1:M 30 May 2022 12:50:13.457 # Warning: no config file",
        "dmy-spaced",
        utc(2022, 5, 30, 12, 50, 13, 457000),
    ),
    (
        "####<Mar 24, 2022 10:29:56,637 AM GMT> <Info> <Security> <host>",
        "java",
        utc(2022, 3, 24, 10, 29, 56, 637000),
    ),
    (
        "####<Mar 24, 2022 12:05:00,001 PM GMT> <Info> <Security> <host>",
        "java",
        utc(2022, 3, 24, 12, 5, 0, 1000),
    ),
    (
        "E0517 15:04:22.619632   12345 file.cc:123] message",
        "glog",
        utc(2023, 5, 17, 15, 4, 22, 619632),
    ),
    ("Mar 24 2022 10:29:56: %ASA-4-106023: Deny tcp", "syslog-year", utc(2022, 3, 24, 10, 29, 56)),
    # MikroTik RouterOS 6's `/log print`: the month's name, a slash, the day; the year when not
    # the current one
    (
        " mar/13 23:41:42 pppoe,ppp,error pppoe-out1: timeout",
        "mon-slashed",
        utc(2023, 3, 13, 23, 41, 42),
    ),
    ("jan/02/1970 00:00:12 system,info router rebooted", "mon-slashed", utc(1970, 1, 2, 0, 0, 12)),
    # glog 0.7 writes the whole year, CockroachDB two digits
    (
        "I20240314 09:26:41.228341 58812 cluster.cc:1351] Running",
        "glog-year",
        utc(2024, 3, 14, 9, 26, 41, 228341),
    ),
    (
        "I240314 09:26:53.589012 1 util/log/file_sync_buffer.go:238 ⋮ [config]",
        "glog-year",
        utc(2024, 3, 14, 9, 26, 53, 589012),
    ),
    # HPE's (H3C's) Comware: milliseconds after a colon, then the year, a `%` before it all
    (
        "%Mar 14 06:12:44:091 2024 HPE5130 IFNET/3/PHY_UPDOWN: down",
        "syslog-ms-year",
        utc(2024, 3, 14, 6, 12, 44, 91000),
    ),
    ("03/06/2023 06:34:17 PM - Process(1234.1) User(mqm)", "mdy", utc(2023, 3, 6, 18, 34, 17)),
    # Lenovo XCC's `readlog`: date and time in columns a few spaces apart
    ("03/14/2024   10:22:51   Sensor PSU2 has transitioned", "mdy", utc(2024, 3, 14, 10, 22, 51)),
    ("24.12.2023 08:15:00 Dienst gestartet", "dmy-dotted", utc(2023, 12, 24, 8, 15)),
    # Niagara's station output: the time, then the day, the month's name and the year
    (
        "INFO [06:02:11 28-Jun-24 EDT][sys.startup] booted",
        "time-dmy-named",
        utc(2024, 6, 28, 10, 2, 11),
    ),
    # OSSEC's and Wazuh's alerts: the year, then the month's name
    (
        "2024 Jun 28 09:14:22 (web-prod-03) any->syscheck",
        "year-syslog",
        utc(2024, 6, 28, 9, 14, 22),
    ),
    # Tizen's dlogutil: logcat's layout with the offset after it
    (
        "06-28 21:14:03.512+0900 I/APP_CORE( 4211): appcore-efl.c: Event: RESUME",
        "md-dashed",
        utc(2023, 6, 28, 12, 14, 3, 512000),
    ),
    # the short form of German and other European locales (a FRITZ!Box's event list)
    ("29.06.24 09:14:02 Anmeldung an der FRITZ!Box", "dmy-dotted", utc(2024, 6, 29, 9, 14, 2)),
    # signale (Node) brackets the date and the time apart
    ("[6/12/2024] [8:14:22 AM] [Global   ] info  Using MySQL", "mdy", utc(2024, 6, 12, 8, 14, 22)),
    ("2024-01-02 03:04:05.123456789 nanoseconds", "iso8601", utc(2024, 1, 2, 3, 4, 5, 123456)),
    ("@4000000063f3a7b51e8b4a44 service started", "tai64n", utc(2023, 2, 20, 17, 2, 35, 512444)),
    ("Tue Jan  2 03:04:05 PM CET 2024 backup done", "ctime", utc(2024, 1, 2, 14, 4, 5)),
    ("2024-01-02 03:04:05 PM Service started", "iso8601", utc(2024, 1, 2, 15, 4, 5)),
    ("[2024-01-02, 03:04:05 UTC] {task.py:1} INFO - run", "iso8601", utc(2024, 1, 2, 3, 4, 5)),
    (
        "Mar 14 09:26:50.101 CET: %SYS-5-RESTART: x",
        "syslog-zoned",
        utc(2023, 3, 14, 8, 26, 50, 101000),
    ),
    ("Tue, 02 Jan 2024 03:04:05 +0100 mail queued", "dmy-spaced", utc(2024, 1, 2, 2, 4, 5)),
    ("06/Mar/2023 18:34:17 worker ready", "clf", utc(2023, 3, 6, 18, 34, 17)),
    ("Mar 06, 2023 18:34:17 org.example.Main start", "java", utc(2023, 3, 6, 18, 34, 17)),
    # Kibana's default date format (a Discover export)
    ("Mar 14, 2024 @ 09:31:07.415 inv-sync-02", "java", utc(2024, 3, 14, 9, 31, 7, 415000)),
    (
        "Mon Mar 06 2023 18:34:17 GMT+0100 (CET) app start",
        "syslog-year",
        utc(2023, 3, 6, 17, 34, 17),
    ),
    ("2023-03-06 18:34:17.383+01 checkpoint", "iso8601", utc(2023, 3, 6, 17, 34, 17, 383000)),
    (
        "03/06/2023-18:34:17.383456  [**] [1:2000:1] alert [**]",
        "mdy",
        utc(2023, 3, 6, 18, 34, 17, 383456),
    ),
    (
        "03/06-18:34:17.383456  [**] [1:2000:1] alert [**]",
        "md-slashed",
        utc(2023, 3, 6, 18, 34, 17, 383456),
    ),
    ("=INFO REPORT==== 6-Mar-2023::18:34:17 ===", "dmy-named", utc(2023, 3, 6, 18, 34, 17)),
    # Bacula's messages: day and month's name, to the minute, no year
    ("14-Mar 09:20 backup-dir JobId 5678: Start Backup", "dm-named", utc(2023, 3, 14, 9, 20)),
    # PowerShell's Get-EventLog table: the month's name and the day, to the minute, no year
    (
        "48731 Mar 14 10:41 Information Service Control Manager 1073748860 Started.",
        "syslog-minute",
        utc(2023, 3, 14, 10, 41),
    ),
    ("13-04-2024 10:00:00 day first with dashes", "dmy", utc(2024, 4, 13, 10)),
    # Commvault: `MM/dd HH:mm:ss` after its pid and tid, no year
    ("7412  1c8c  03/14 09:20:40 88231 Servant [x]", "md-slashed", utc(2023, 3, 14, 9, 20, 40)),
    # Network UPS Tools' upslog: `yyyyMMdd HHmmss`
    ("20240314 092005 100 231.2 34 [OL] NA 50.0", "ymd-basic", utc(2024, 3, 14, 9, 20, 5)),
    # `zpool history`: a dot between date and time; the classic WindowsUpdate.log: a tab, and
    # milliseconds after a colon
    ("2024-03-14.09:20:44 zpool create backup2", "iso8601", utc(2024, 3, 14, 9, 20, 44)),
    (
        "2024-03-14\t09:20:33:118\t 944\t1a2c\tAU\tTriggering AU detection",
        "iso8601",
        utc(2024, 3, 14, 9, 20, 33, 118000),
    ),
    # Suricata's engine log: day first, unpadded, and ` -- ` before the time
    ("14/3/2024 -- 09:20:58 - <Notice> - This is Suricata", "dmy", utc(2024, 3, 14, 9, 20, 58)),
    # Monit: the zone first (`%Z %b %e %T`); PDT is UTC-7.
    ("[PDT Mar 14 02:20:11] info     : 'nginx' trying", "zone-syslog", utc(2023, 3, 14, 9, 20, 11)),
    ("[CET Mar  4 18:49:29] error    : 'db' failed", "zone-syslog", utc(2023, 3, 4, 17, 49, 29)),
    # Go's Gin: date and time apart by a spaced dash.
    ("[GIN] 2024/03/14 - 09:22:15 | 200 | 4.1ms | GET", "ymd-slashed", utc(2024, 3, 14, 9, 22, 15)),
    # A CLI's table of date and time columns (Moxa's `show logging event-log`)
    ("1      41      2024/03/13  22:10:04  0d0h0m10s", "ymd-slashed", utc(2024, 3, 13, 22, 10, 4)),
    # LXC's log: date and time in one run of digits, then the fraction
    (
        "lxc-start web01 20240314092653.412 INFO     conf - conf.c:run_script_argv:338 - x",
        "ymd-digits",
        utc(2024, 3, 14, 9, 26, 53, 412000),
    ),
    # Progress OpenEdge's database log: an `@` between date and time, an offset
    (
        "[2024/03/14@06:58:02.114+0100] P-23456      T-140213377820480 I BROKER  0: (333)",
        "ymd-slashed",
        utc(2024, 3, 14, 5, 58, 2, 114000),
    ),
    # Date and time columns with a spaced `-` or `|` between them.
    ("L 03/14/2024 - 09:26:53: Loading map", "mdy", utc(2024, 3, 14, 9, 26, 53)),
    ("   5 | 03/14/2024 | 09:27:48 | Power Supply", "mdy", utc(2024, 3, 14, 9, 27, 48)),
    ("2024:03:14-09:26:53 utm-1 ulogd[4521]: id=2001", "ymd-colons", utc(2024, 3, 14, 9, 26, 53)),
    # DB2: its offset from UTC in minutes after the fraction.
    (
        "2024-03-14-10.26.53.589123+060 I1E1383 LEVEL: Event",
        "ymd-dotted",
        utc(2024, 3, 14, 9, 26, 53, 589123),
    ),
]


@pytest.mark.parametrize(("line", "name", "expected"), LAYOUT_CASES)
def test_each_new_layout_is_detected_and_read(line, name, expected):
    layout = detect_layout([line, line])
    assert layout is not None and layout.name == name
    assert read_line_stamps(pl.Series([line]), layout, mtime=MTIME_2023).ts.to_list() == [expected]


def test_tai64n_is_read_as_daemontools_writes_it_and_says_so():
    # daemontools writes 2^62 + 10 + Unix seconds, then nanoseconds.
    when = utc(2024, 11, 20, 12, 19, 8, 921772)
    label = f"@{(1 << 62) + 10 + int(when.timestamp()):016x}{921772500:08x}"
    read = read_line_stamps(pl.Series([f"{label} up"]), detect_layout([f"{label} up"]))
    assert read.ts.to_list() == [when]
    assert any("daemontools" in note for note in read.notes)


def test_openldaps_hexadecimal_epochs_are_read_to_their_fraction():
    # slapd's debug output and logfile: seconds, then nanoseconds (or microseconds without
    # clock_gettime), in hexadecimal; Windows' cluster log's process and thread ids are none.
    when = utc(2024, 3, 14, 9, 26, 53, 12447)
    lines = [f"{int(when.timestamp()):x}.{12447503:08x} 0x7f3d2c9fe740 slapd starting"] * 3
    assert stamps(lines) == [when] * 3
    lines = [f"{int(when.timestamp()):x}.{12447:05x} 0x7f3d2c9fe740 conn=1001 op=0 BIND"] * 3
    assert stamps(lines) == [when] * 3
    cluster = "00000e3c.00001a48::2024/03/14-09:22:40.118 INFO  [NM] Received request"
    assert stamps([cluster] * 3) == [utc(2024, 3, 14, 9, 22, 40, 118000)] * 3


def test_epochs_are_read_in_the_middle_of_lines():
    lines = [f"job {i} done at 170000000{i}000 ms" for i in range(5)]
    assert stamps(lines)[0] == utc(2023, 11, 14, 22, 13, 20)
    audit = [
        "type=SYSCALL msg=audit(1485893834.891:1234): arch=c000003e syscall=2",
        "type=CWD msg=audit(1485893834.891:1234): cwd=/root",
    ]
    assert stamps(audit) == [utc(2017, 1, 31, 20, 17, 14, 891000)] * 2


def test_twelve_hour_clocks_read_midnight_and_noon():
    lines = ["01/02/2024 12:05:00 AM a", "01/02/2024 12:05:00 PM b", "01/02/2024 1:05:00 PM c"]
    assert stamps(lines) == [utc(2024, 1, 2, 0, 5), utc(2024, 1, 2, 12, 5), utc(2024, 1, 2, 13, 5)]


def test_day_first_is_settled_by_a_value_over_twelve():
    lines = ["03/04/2024 10:00:00 a", "25/04/2024 10:00:00 b"]
    layout = detect_layout(lines)
    assert layout is not None and layout.name == "dmy"
    read = read_line_stamps(pl.Series(lines), layout)
    assert read.ts.to_list() == [utc(2024, 4, 3, 10), utc(2024, 4, 25, 10)]
    assert not any("day and month order" in note for note in read.notes)


def test_a_later_line_settles_the_order_the_sample_left_open():
    lines = [f"03/0{i}/2024 10:00:00 a" for i in range(1, 6)] + ["13/04/2024 10:00:00 b"]
    layout = detect_layout(lines[:5])
    assert layout is not None and layout.name == "mdy"
    read = read_line_stamps(pl.Series(lines), layout)
    assert read.ts.to_list()[0] == utc(2024, 1, 3, 10)
    assert read.ts.to_list()[-1] == utc(2024, 4, 13, 10)


def test_unsettled_day_and_month_are_read_month_first_with_a_note():
    lines = ["03/04/2024 10:00:00 a", "04/05/2024 10:00:00 b"]
    read = read_line_stamps(pl.Series(lines), detect_layout(lines))
    assert read.ts.to_list() == [utc(2024, 3, 4, 10), utc(2024, 4, 5, 10)]
    assert any("read month-first" in note for note in read.notes)
    column = parse_stamp_column(pl.Series(["03/04/2024 10:00:00", "13/04/2024 11:00:00"]))
    assert (column.layout, column.ts.to_list()) == (
        "dmy",
        [utc(2024, 4, 3, 10), utc(2024, 4, 13, 11)],
    )


def test_the_file_date_settles_a_two_digit_year_first_or_last():
    written = datetime(2024, 6, 30, 12, tzinfo=UTC).timestamp()
    lines = ["24-06-29 09:13:58 INFO (MainThread) [supervisor.store] a", "24-06-29 09:14:05 b"]
    read = read_line_stamps(pl.Series(lines), detect_layout(lines), mtime=written)
    assert read.ts.to_list() == [utc(2024, 6, 29, 9, 13, 58), utc(2024, 6, 29, 9, 14, 5)]
    assert any("the file's date allows" in note for note in read.notes)
    # The same text in a file of June 2029 reads day first, as before.
    later = datetime(2029, 6, 30, tzinfo=UTC).timestamp()
    read = read_line_stamps(pl.Series(lines), detect_layout(lines), mtime=later)
    assert read.ts.to_list()[0] == utc(2029, 6, 24, 9, 13, 58)
    # Day first where that reading is the one in the file's year.
    lines = ["14-03-24 10:00:00 a", "15-03-24 10:00:00 b"]
    read = read_line_stamps(pl.Series(lines), detect_layout(lines), mtime=written)
    assert read.ts.to_list() == [utc(2024, 3, 14, 10), utc(2024, 3, 15, 10)]


def test_the_file_date_settles_an_open_day_and_month_order():
    # Month first would be June, after the file was last written in April: day first.
    lines = ["06/03/2024 10:00:00 a", "07/03/2024 10:00:00 b"]
    written = datetime(2024, 4, 20, tzinfo=UTC).timestamp()
    read = read_line_stamps(pl.Series(lines), detect_layout(lines), mtime=written)
    assert read.ts.to_list() == [utc(2024, 3, 6, 10), utc(2024, 3, 7, 10)]
    assert not any("read month-first" in note for note in read.notes)
    # Both readings in the year before the file's date: month first, with its note.
    read = read_line_stamps(pl.Series(lines), detect_layout(lines), mtime=written + 1e8)
    assert read.ts.to_list()[0] == utc(2024, 6, 3, 10)
    assert any("read month-first" in note for note in read.notes)


# --- zone names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("CEST", utc(2024, 7, 2, 1, 4, 5)),
        ("CET", utc(2024, 7, 2, 2, 4, 5)),
        ("PDT", utc(2024, 7, 2, 10, 4, 5)),
        ("PST", utc(2024, 7, 2, 11, 4, 5)),
        ("EST", utc(2024, 7, 2, 8, 4, 5)),
        ("JST", utc(2024, 7, 1, 18, 4, 5)),
        ("UTC", utc(2024, 7, 2, 3, 4, 5)),
        ("GMT", utc(2024, 7, 2, 3, 4, 5)),
    ],
)
def test_zone_abbreviations_after_a_stamp_give_its_offset(zone, expected):
    line = f"2024-07-02 03:04:05 {zone} service started"
    read = read_line_stamps(pl.Series([line]), detect_layout([line]), tz="Asia/Tokyo")
    assert read.ts.to_list() == [expected]
    assert read.header_end.to_list() == [20 + len(zone)]
    assert not any("no zone" in note for note in read.notes)


def test_zone_names_of_the_iana_database_are_read_with_their_summer_time(tmp_path):
    # PHP's error log writes its date.timezone after the stamp.
    lines = [
        "[14-Jan-2024 09:26:53 Europe/Berlin] PHP Warning:  Undefined variable $cart",
        "[14-Jul-2024 09:26:53 Europe/Berlin] PHP Fatal error:  Uncaught PDOException",
        "[14-Jul-2024 09:26:53 America/Argentina/Salta] PHP Notice:  x",
        "[14-Jul-2024 09:26:53 Europe/Atlantis] PHP Notice:  y",
    ]
    read = read_line_stamps(pl.Series(lines), detect_layout(lines))
    assert read.ts.to_list() == [
        utc(2024, 1, 14, 8, 26, 53),
        utc(2024, 7, 14, 7, 26, 53),
        utc(2024, 7, 14, 12, 26, 53),
        utc(2024, 7, 14, 9, 26, 53),  # no such zone: read as a stamp without one
    ]
    assert any("no zone" in note for note in read.notes)
    iso = ["2024-07-14 09:26:53 Europe/Berlin started", "2024-07-14 09:26:54 Europe/Berlin done"]
    read = read_line_stamps(pl.Series(iso), detect_layout(iso))
    assert read.ts.to_list() == [utc(2024, 7, 14, 7, 26, 53), utc(2024, 7, 14, 7, 26, 54)]
    assert read.header_end.to_list() == [33, 33]


def test_a_word_that_starts_like_a_zone_is_not_one():
    line = "2024-07-02 03:04:05 CETUS started"
    read = read_line_stamps(pl.Series([line]), detect_layout([line]))
    assert (read.ts.to_list(), read.header_end.to_list()) == ([utc(2024, 7, 2, 3, 4, 5)], [19])


def test_an_abbreviation_of_several_zones_is_read_with_a_stated_assumption():
    line = "2024-01-02 10:00:00 IST payment posted"
    read = read_line_stamps(pl.Series([line]), detect_layout([line]))
    assert read.ts.to_list() == [utc(2024, 1, 2, 4, 30)]
    assert any("IST" in note and "India" in note and "Irish" in note for note in read.notes)


@pytest.mark.parametrize(
    ("tz", "expected"),
    [("Europe/Dublin", utc(2024, 7, 2, 9)), ("Asia/Jerusalem", utc(2024, 7, 2, 7))],
)
def test_an_abbreviation_of_several_zones_is_read_in_the_source_zone_that_writes_it(tz, expected):
    line = "2024-07-02 10:00:00 IST payment posted"
    read = read_line_stamps(pl.Series([line]), detect_layout([line]), tz=tz)
    assert read.ts.to_list() == [expected]
    assert any(f"read in {tz}" in note for note in read.notes)


# --- dates from W3C header lines ----------------------------------------------------------

W3C = [
    "#Software: Microsoft Internet Information Services 10.0",
    "#Version: 1.0",
    "#Date: 2024-01-02 23:59:00",
    "#Fields: time cs-method cs-uri-stem sc-status",
    "23:59:58 GET /a 200",
    "23:59:59.500 GET /b 200",
    "00:00:01 GET /c 404",
    "#Date: 2024-01-05 08:00:00",
    "08:00:02 GET /d 200",
]


def test_records_take_the_date_of_the_last_date_line_before_them():
    dates = dates_from_header_lines(pl.Series(W3C))
    assert dates.dtype == pl.Date
    assert (
        dates.to_list()
        == [None, None] + [datetime(2024, 1, 2).date()] * 5 + [datetime(2024, 1, 5).date()] * 2
    )


def test_time_only_records_are_dated_and_roll_over_at_midnight():
    text = pl.Series(W3C)
    records = ~text.str.starts_with("#")
    times = text.filter(records).str.extract(r"^(\S+)", 1)
    result = stamps_from_times(times, dates_from_header_lines(text).filter(records))
    assert result.ts.to_list() == [
        utc(2024, 1, 2, 23, 59, 58),
        utc(2024, 1, 2, 23, 59, 59, 500000),
        utc(2024, 1, 3, 0, 0, 1),
        utc(2024, 1, 5, 8, 0, 2),
    ]


def test_a_record_date_field_wins_over_the_header_date():
    times = pl.Series(["10:00:00", "11:00:00", "bad"])
    header = pl.Series([datetime(2024, 1, 2).date()] * 3)
    result = stamps_from_times(
        times, header, pl.Series(["2024-02-03", None, None]), tz="Europe/Paris"
    )
    assert result.ts.to_list() == [utc(2024, 2, 3, 9), utc(2024, 1, 2, 10), None]


def test_times_before_any_date_line_are_undated_and_counted():
    result = stamps_from_times(pl.Series(["10:00:00"]), pl.Series([None], dtype=pl.Date))
    assert result.ts.to_list() == [None]
    assert any("without a date" in note for note in result.notes)


# --- a line with a stamp of another layout starts an entry --------------------------------


def test_a_second_file_of_another_layout_cat_onto_the_first_is_not_swallowed():
    first = [f"2024-01-02 03:04:0{i},000 INFO app: step {i}" for i in range(6)]
    second = [
        "Jan  2 04:00:00 host sshd[42]: accepted",
        "    indented detail of the sshd line",
        "[Tue Jan 02 04:00:01 2024] [error] [client 1.2.3.4] denied",
        "Caused by: java.io.IOException: no stamp here",
    ]
    parsed, notes = parse(first + second, mtime=MTIME_2023)
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5, 6, 7, 9]
    assert parsed["ts"].to_list()[6:] == [utc(2023, 1, 2, 4), utc(2024, 1, 2, 4, 0, 1)]
    assert parsed["level"].to_list()[7] == "ERROR"
    assert parsed["message"][6] == "\n".join(second[:2])
    assert parsed["message"][7] == "\n".join(second[2:])
    assert any("no year in stamps" in note for note in notes)


def test_a_file_of_two_layouts_cat_together_is_read_as_text_not_as_the_second_format(tmp_path):
    # Fewer than half the lines are nginx's error log: that format would read the others as
    # its continuations; plain text starts an entry at every stamp, of either layout.
    app = [f"2024-01-02 03:04:0{i}.000 INFO [main] app: step {i}" for i in range(3)]
    nginx = [f"2024/01/02 04:00:0{i} [error] 29#29: *{i} upstream timed out" for i in range(3)]
    path = tmp_path / "cat.log"
    path.write_text("\n".join([*app, "java.lang.IllegalStateException: boom", *nginx]) + "\n")
    result = ingest([path], tz="UTC")
    assert result.sources[0].format == "text"
    table = result.table.sort("line")
    assert table["line"].to_list() == [1, 2, 3, 5, 6, 7]
    assert table["ts"].null_count() == 0
    assert table["level"].cast(pl.String).to_list() == ["INFO"] * 3 + ["ERROR"] * 3


def test_indented_lines_and_bare_numbers_stay_continuations():
    lines = [
        "2024-01-02 03:04:05 ERROR failed",
        "  2024-01-02 03:04:06 quoted in a stack frame",
        "\tJan  2 04:00:00 also indented",
        "1704164646 rows affected",
        "081109 203615 numbers",
        "2024-01-02 03:04:07 INFO next",
    ]
    parsed, _ = parse(lines)
    assert parsed["line"].to_list() == [1, 6]


# Each form that starts entries, written from a datetime as its documentation shows it.
def _h12(dt: datetime) -> str:
    return f"{(dt.hour % 12) or 12}:{dt:%M:%S} {'PM' if dt.hour >= 12 else 'AM'}"


RENDER = {
    "iso8601": lambda dt: f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond // 1000:03d}Z",
    "ymd-dotted": lambda dt: f"{dt:%Y-%m-%d-%H.%M.%S.%f}",
    "ymd-slashed": lambda dt: f"{dt:%Y/%m/%d %H:%M:%S}",
    "ymd-dots": lambda dt: f"{dt:%Y.%m.%d-%H.%M.%S}:{dt.microsecond // 1000:03d}",
    "ymd-basic": lambda dt: f"{dt:%Y%m%dT%H%M%S}.{dt.microsecond // 1000:03d}Z",
    "ymd-digits": lambda dt: f"{dt:%Y%m%d%H%M%S}.{dt.microsecond // 1000:03d}",
    "ymd-colons": lambda dt: f"{dt:%Y:%m:%d-%H:%M:%S}",
    "glog-year": lambda dt: f"W{dt:%y%m%d %H:%M:%S}.{dt.microsecond:06d}",
    "md-compact": lambda dt: f"{dt:%m%d/%H%M%S}.{dt.microsecond // 1000:03d}",
    "mdy-short": lambda dt: f"{dt.month}/{dt.day}/{dt:%y %H:%M:%S}:{dt.microsecond // 1000:03d}",
    "dmy-short": lambda dt: f"{dt.day}/{dt.month}/{dt:%y %H:%M:%S}:{dt.microsecond // 1000:03d}",
    "yymmdd-slashed": lambda dt: f"{dt:%y/%m/%d %H:%M:%S}",
    "yymmdd-dashed": lambda dt: f"{dt:%y-%m-%d %H:%M:%S}",
    "ymd-compact": lambda dt: f"{dt:%Y%m%d-%H:%M:%S}:{dt.microsecond // 1000}",
    "clf": lambda dt: f"{dt:%d/%b/%Y:%H:%M:%S} +0000",
    "ctime": lambda dt: f"{dt:%a %b} {dt.day:2d} {dt:%H:%M:%S %Y}",
    "java": lambda dt: f"{dt:%b} {dt.day}, {dt.year} {_h12(dt)}",
    "syslog": lambda dt: f"{dt:%b} {dt.day:2d} {dt:%H:%M:%S}",
    "syslog-zoned": lambda dt: f"{dt:%b} {dt.day:2d} {dt:%H:%M:%S} UTC",
    "syslog-year": lambda dt: f"{dt:%b} {dt.day:2d} {dt.year} {dt:%H:%M:%S}",
    "syslog-ms-year": lambda dt: (
        f"{dt:%b} {dt.day:2d} {dt:%H:%M:%S}:{dt.microsecond // 1000:03d} {dt.year}"
    ),
    "zone-syslog": lambda dt: f"UTC {dt:%b} {dt.day:2d} {dt:%H:%M:%S}",
    "mon-slashed": lambda dt: f"{dt:%b}/{dt:%d}/{dt.year} {dt:%H:%M:%S}".lower(),
    "yymmdd-time": lambda dt: f"{dt:%y%m%d} {dt.hour:2d}:{dt:%M:%S}",
    "md-dashed": lambda dt: f"{dt:%m-%d %H:%M:%S}.{dt.microsecond // 1000:03d}",
    "md-dotted": lambda dt: f"{dt:%m.%d %H:%M:%S}",
    "dmy-named": lambda dt: f"{dt:%d-%b-%Y %H:%M:%S}.{dt.microsecond // 1000:03d}",
    "ymd-named": lambda dt: f"{dt:%Y-%b-%d %H:%M:%S}.{dt.microsecond:06d}",
    "mdy-named": lambda dt: f"{dt:%b-%d-%Y} | {dt:%H:%M:%S}",
    "time-dmy-named": lambda dt: f"{dt:%H:%M:%S} {dt:%d}-{dt:%b}-{dt:%y}",
    "year-syslog": lambda dt: f"{dt.year} {dt:%b} {dt.day:2d} {dt:%H:%M:%S}",
    "dm-named": lambda dt: f"{dt.day}-{dt:%b} {dt:%H:%M:%S}",
    "syslog-minute": lambda dt: f"{dt:%b} {dt.day:2d} {dt:%H:%M}",
    "time-mdy": lambda dt: f"{dt:%H:%M:%S %m/%d/%Y}",
    "dmy-spaced": lambda dt: f"{dt:%d %b %Y %H:%M:%S}.{dt.microsecond // 1000:03d}",
    "dm-spaced": lambda dt: f"{dt:%d %b %H:%M:%S}.{dt.microsecond // 1000:03d}",
    "glog": lambda dt: f"W{dt:%m%d %H:%M:%S.%f}",
    "mdy": lambda dt: f"{dt:%m/%d/%Y} {_h12(dt)}",
    "dmy": lambda dt: f"{dt:%d/%m/%Y %H:%M:%S}",
    "dmy-dotted": lambda dt: f"{dt:%d.%m.%Y %H:%M:%S}",
    "md-slashed": lambda dt: f"{dt:%m/%d-%H:%M:%S.%f}",
    "tai64n": lambda dt: f"@{(1 << 62) + 10 + int(dt.timestamp()):016x}{dt.microsecond * 1000:08x}",
}
STARTING = [form.name for form in stamp_forms.FORMS if form.starts_entries]


def test_every_form_that_starts_entries_has_a_renderer_here():
    assert sorted(RENDER) == sorted(STARTING)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    form=st.sampled_from(STARTING),
    when=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2098, 12, 31)),
    bracket=st.booleans(),
    words=st.text(alphabet="abc xyz=", max_size=20),
    source=st.sampled_from(
        [
            "2024-01-02 03:04:05,100 INFO [main] Service: step",
            "Jun  4 10:00:00 host app[7]: step",
            "web-1  | 2024-01-02T03:04:05Z INFO step",
        ]
    ),
)
def test_a_line_starting_with_a_stamp_of_any_layout_is_never_a_continuation(
    form, when, bracket, words, source
):
    when = when.replace(tzinfo=UTC)
    stamp = RENDER[form](when)
    line = f"[{stamp}] {words}" if bracket else f"{stamp} {words}"
    lines = [source] * 5 + [line, "\tat frame"]
    parsed, _ = parse(lines, mtime=when.timestamp())
    row = parsed.filter(pl.col("line") == 6)
    assert row.height == 1, f"{line!r} was joined to the entry above"
    read = row["ts"][0]
    assert read is not None
    if form in ("mdy", "dmy", "mdy-short", "dmy-short") and when.day <= 12:
        return  # one stamp cannot settle its day and month order
    if form in ("mdy-short", "dmy-short") and _reads_as_year_first(stamp):
        return  # `13/10/01` is as much yy/MM/dd (Spark's, Hadoop's layout), which comes first
    if form == "yymmdd-dashed" and int(stamp[:2]) <= 12:
        return  # `01-02-01` is as much MM-dd-yy: one stamp cannot settle which
    if form == "syslog-ms-year" and source.startswith("Jun") and not bracket:
        # A syslog source's own layout reads the stamp's first part (`Jan  1 00:00:00`), to
        # the second, before any other layout is tried.
        when = when.replace(microsecond=0)
    if form == "syslog-minute":
        when = when.replace(second=0)  # a stamp to the minute
    precision = {"iso8601": 1000, "ymd-compact": 1000, "md-dashed": 1000, "dmy-named": 1000,
                 "dmy-spaced": 1000, "dm-spaced": 1000, "glog": 1, "glog-year": 1, "ymd-dotted": 1,
                 "md-slashed": 1, "ymd-named": 1,
                 "ymd-dots": 1000, "ymd-basic": 1000, "ymd-digits": 1000, "md-compact": 1000, "mdy-short": 1000,
                 "dmy-short": 1000, "syslog-ms-year": 1000,
                 "tai64n": 1}.get(form)  # fmt: skip
    expected = when.replace(
        microsecond=when.microsecond // precision * precision if precision else 0
    )
    assert read == expected or (read.replace(year=expected.year) == expected), (line, read)


def _reads_as_year_first(stamp: str) -> bool:
    first, second, third = (int(part) for part in stamp.split()[0].split("/"))
    try:
        datetime(2000 + first, second, third)
    except ValueError:
        return False
    return True


def test_other_layouts_cost_nothing_when_every_line_is_stamped_or_indented(monkeypatch):
    from logview.core.reading.parsers import text_stamps as text_module

    called = []
    monkeypatch.setattr(text_module, "read_other_stamps", lambda *a, **k: called.append(1))
    lines = ["2024-01-02 03:04:05 ERROR boom", "\tat a.B(C.java:1)", "  more"] * 50
    parsed, _ = parse(lines)
    assert parsed.height == 50 and called == []


def test_detection_of_a_prefixed_source_is_quick():
    import time

    lines = [f"web-{i % 3}  | 2024-01-02T03:04:{i % 60:02d}Z INFO request {i}" for i in range(200)]
    detect_layout(lines)  # compiles the regexes once per process
    best = min(_timed(lambda: detect_layout(lines), time) for _ in range(5))
    assert best < 0.02


def _timed(call, time) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def test_yearless_other_stamps_follow_the_year_rule():
    lines = ["2023-12-31 23:59:00 INFO a", "Jan  1 00:00:05 host app: b"]
    parsed, _ = parse(lines, mtime=datetime(2024, 1, 1, 1, tzinfo=UTC).timestamp())
    assert parsed["ts"].to_list() == [utc(2023, 12, 31, 23, 59), utc(2024, 1, 1, 0, 0, 5)]
    assert timedelta(0) < parsed["ts"][1] - parsed["ts"][0]


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.sampled_from([*VHOST, *HPC, *COMPOSE, *BGL_LIKE, *(c[0] for c in LAYOUT_CASES)]),
            st.builds(
                lambda a, b: a + b,
                st.text(alphabet="[<( |:=-0123456789", max_size=12),
                st.sampled_from([c[0] for c in LAYOUT_CASES]),
            ),
        ),
        max_size=30,
    )
)
def test_any_lines_parse_without_error_and_keep_every_non_blank_line(texts):
    lines = [t.replace("\n", " ").replace("\r", " ") for t in texts]
    parsed, notes = parse(lines)
    kept = sum(m.count("\n") + 1 for m in parsed["message"])
    # (a terminal session's prompts, `$` alone, are no entries, nor is a picture drawn in
    # punctuation opening the text, and a note counts them)
    session = sum(
        int(m.group(1).replace(",", ""))
        for note in notes
        if (m := re.match(r"([\d,]+) lines? of a (?:terminal session|picture)", note))
    )
    assert kept + session >= sum(1 for t in lines if t.strip())


def test_a_level_before_the_stamp_is_the_entry_level():
    # Cassandra's layout puts the level and the thread before the stamp.
    lines = [
        "INFO  [main] 2021-07-21 12:18:15,910 CassandraDaemon.java:507 - JVM vendor/version: x",
        "WARN  [main] 2021-07-21 12:18:16,001 StartupChecks.java:136 - jemalloc not found",
        "ERROR [Native-Transport-Requests-1] 2021-07-21 12:18:17,200 Message.java:619 - failed",
    ]
    parsed, _ = parse(lines)
    assert parsed["ts"].null_count() == 0
    assert parsed["level"].to_list() == ["INFO", "WARN", "ERROR"]


def test_a_place_some_lines_share_one_token_on_is_read_too():
    # A thread name with a space moves the stamp one token on, in more than one line.
    lines = [f"INFO  [main] 2021-07-21 12:18:{i:02d},910 App.java:1 - step {i}" for i in range(20)]
    lines += [f"WARN  [pool 1] 2021-07-21 12:19:{i:02d},000 App.java:2 - slow" for i in range(3)]
    parsed, _ = parse(lines)
    assert parsed.height == 23 and parsed["ts"].null_count() == 0
    assert parsed["level"].to_list()[-1] == "WARN"


# --- times of day alone --------------------------------------------------------------------


def test_a_time_of_days_offset_is_read_and_dates_it_in_its_zone():
    # Console.app's copied messages: type, time with its offset, process, message.
    lines = [
        "default\t14:31:07.402117+0200\tlocationd\t#fence client is being notified",
        "info\t14:31:07.512904+0200\trunningboardd\tMemory Limits: active 2098",
        "error\t01:10:00.000000+0200\tTripline\t[Geofence] region store is empty",
    ]
    # (written at 23:30 UTC: 01:30 the next day where the stamps were written)
    written = datetime(2024, 6, 26, 23, 30, tzinfo=UTC).timestamp()
    parsed, _ = parse(lines, mtime=written)
    assert parsed["ts"].to_list() == [
        utc(2024, 6, 26, 12, 31, 7, 402117),
        utc(2024, 6, 26, 12, 31, 7, 512904),
        utc(2024, 6, 26, 23, 10),
    ]


def test_times_of_day_alone_take_the_file_date_and_step_back_at_midnight():
    lines = [
        "23:59:58.100 [main] INFO  c.e.App - before midnight",
        "23:59:59.900 [main] ERROR c.e.App - failed",
        "\tat c.e.App.run(App.java:1)",
        "00:00:01.000 [main] INFO  c.e.App - after midnight",
        "00:00:00.900 [pool-1] INFO  c.e.App - written a little out of order",
    ]
    written = datetime(2024, 3, 5, 1, tzinfo=UTC).timestamp()
    parsed, notes = parse(lines, mtime=written)
    assert parsed["line"].to_list() == [1, 2, 4, 5]
    assert parsed["ts"].to_list() == [
        utc(2024, 3, 4, 23, 59, 58, 100000),
        utc(2024, 3, 4, 23, 59, 59, 900000),
        utc(2024, 3, 5, 0, 0, 1),
        utc(2024, 3, 5, 0, 0, 0, 900000),
    ]
    assert any("no date in stamps: took 2024-03-05 from the file's date" in n for n in notes)


def test_a_last_time_after_the_file_was_written_is_from_the_day_before():
    written = datetime(2024, 3, 5, 0, 10, tzinfo=UTC).timestamp()
    assert stamps(["23:58:00 a", "23:59:00 b"], mtime=written) == [
        utc(2024, 3, 4, 23, 58),
        utc(2024, 3, 4, 23, 59),
    ]


def test_a_time_alone_in_a_column_is_not_a_stamp():
    assert parse_stamp_column(pl.Series(["10:00:00", "11:00:00"])).layout is None


def test_a_stamp_of_another_layout_after_the_source_prefix_starts_an_entry():
    lines = [
        "web-1  | 2024-01-02T03:04:05Z INFO started",
        "web-1  |     at frame",
        "cron-1 | Jan  2 04:00:00 host CRON[7]: job ran",
        "web-1  | 2024-01-02T03:04:07Z INFO done",
    ]
    parsed, _ = parse(lines, mtime=MTIME_2023)
    assert parsed["line"].to_list() == [1, 3, 4]
    assert parsed["ts"][1] == utc(2023, 1, 2, 4)
    assert parsed["program"].to_list() == ["web-1", "cron-1", "web-1"]


def test_plain_text_dates_time_only_records_by_their_date_lines():
    parsed, notes = parse(W3C)
    assert parsed["ts"].drop_nulls().to_list() == [
        utc(2024, 1, 2, 23, 59, 58),
        utc(2024, 1, 2, 23, 59, 59, 500000),
        utc(2024, 1, 3, 0, 0, 1),
        utc(2024, 1, 5, 8, 0, 2),
    ]
    assert not any("no date in stamps" in note for note in notes)


def test_log15s_terminal_stamp_joins_month_day_and_time_with_a_bar():
    """go-ethereum and other log15 users: `INFO [03-14|09:26:53.589] msg`, no year."""
    lines = [f"INFO [03-14|09:26:5{i}.589] Imported new chain segment number={i}" for i in range(5)]
    layout = detect_layout(lines)
    assert layout is not None and layout.name == "md-dashed"
    frame = pl.DataFrame(
        {"line": range(1, 6), "text": lines}, schema={"line": pl.UInt64, "text": pl.String}
    )
    parsed = parse_text(frame, ParseContext("geth.log", mtime=utc(2024, 6, 30).timestamp()))
    assert parsed["ts"][0] == utc(2024, 3, 14, 9, 26, 50, 589000)
    assert parsed["level"].to_list() == ["INFO"] * 5


def test_a_padded_field_that_runs_into_the_stamps_bracket_still_starts_an_entry():
    # log15 (go-ethereum) pads levels to five characters: ERROR and DEBUG touch the bracket.
    lines = [
        "INFO [03-14|09:26:59.332] HTTP server started endpoint=127.0.0.1:8545",
        "WARN [03-14|09:27:59.335] Post-merge network, but no beacon client seen",
        "ERROR[03-14|09:28:14.006] Snapshot extension registration failed peer=8f3a1c2b",
        "INFO [03-14|09:28:59.401] Looking for peers peercount=3",
        "DEBUG[03-14|09:29:00.112] Dropping unsynced node during sync",
        "INFO [03-14|09:31:30.015] Got interrupt, shutting down...",
    ]
    parsed, _ = parse(lines)
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5, 6]
    assert parsed["level"].to_list() == ["INFO", "WARN", "ERROR", "INFO", "DEBUG", "INFO"]
    assert parsed["ts"][2].replace(year=2024) == utc(2024, 3, 14, 9, 28, 14, 6000)

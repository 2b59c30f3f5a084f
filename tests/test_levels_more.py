"""Levels as real logs write them: any case at the header's place, the forms of common servers
and libraries, numbers by the convention of their source, and levels inferred from words.

Every sample line here is written after the layout its library or server documents.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_loghub_headers import SYSTEMS, loghub_dir

from logview.core.analysis.export import write_table
from logview.core.analysis.query.run import run_query
from logview.core.reading import level_numbers
from logview.core.reading.follow import append_entries
from logview.core.reading.ingest import ingest
from logview.core.reading.level_words import inferred_from_words
from logview.core.reading.levels import level_from_text, normalise
from logview.core.shared.table import LEVEL_INFERRED, time_order, time_ordered

MESSAGES = [
    "server started on port 8080",
    "user bob logged in",
    "cache warmed in 12 ms",
    "request GET /api/v1/items took 3 ms",
    "shutting down worker 3",
]


def write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def table_of(path: Path) -> pl.DataFrame:
    return time_ordered(ingest([path]).table)


def level_list(table: pl.DataFrame) -> list[str]:
    return table["level"].cast(pl.String).to_list()


def inferred(table: pl.DataFrame) -> list[bool]:
    if LEVEL_INFERRED not in table.columns:
        return [False] * table.height
    return table[LEVEL_INFERRED].fill_null(False).to_list()


def header_lines(layout, n: int = 60, seed: int = 1) -> tuple[list[str], list[str]]:
    """Return `n` lines written by `layout(i, level_word, message)` with varied levels, and the
    level each line should get."""
    rng = random.Random(seed)
    words = ["info", "debug", "warn", "error"]
    expected = {"info": "INFO", "debug": "DEBUG", "warn": "WARN", "error": "ERROR"}
    picked = [words[i % 4] if i < 8 else rng.choice(words) for i in range(n)]
    lines = [layout(i, word, MESSAGES[i % len(MESSAGES)]) for i, word in enumerate(picked)]
    return lines, [expected[w] for w in picked]


def stamp(i: int) -> str:
    return f"2024-01-02 03:{i // 60:02d}:{i % 60:02d}"


# --- 1. level words in any case, where the source keeps its levels ---------------------------

HEADER_LAYOUTS = {
    # zap's production console encoder: tab-separated, lower-case level
    "zap console": lambda i, w, m: f"2024-01-02T03:04:{i % 60:02d}.123Z\t{w}\tapp/main.go:{i}\t{m}",
    # Erlang/OTP's logger formatter: `<time> <level>: <msg>`
    "erlang logger": lambda i, w, m: f"2024-01-02T03:04:{i % 60:02d}.123456+00:00 {w}: {m}",
    # a title-case level in padded columns, then a thread
    "title case padded": lambda i, w, m: f"{stamp(i)} {w.title():<7} [worker-{i % 4}] {m}",
    "pipes": lambda i, w, m: f"{stamp(i)} | {w} | app.module | {m}",
    "logger first": lambda i, w, m: f"{stamp(i)} - app.module - {w} - {m}",
    "pid then level": lambda i, w, m: f"{stamp(i)} [{1000 + i % 7}] {w}: {m}",
    "no stamp": lambda i, w, m: f"{w}: {m}",
}


@pytest.mark.parametrize("layout", HEADER_LAYOUTS.values(), ids=HEADER_LAYOUTS.keys())
def test_level_words_in_any_case_are_levels_at_the_header_place(tmp_path, layout):
    lines, expected = header_lines(layout)
    table = table_of(write(tmp_path / "app.log", lines))
    assert level_list(table) == expected
    assert not any(inferred(table))


def test_syslog_messages_with_a_title_case_level_after_the_program(tmp_path):
    lines, expected = header_lines(
        lambda i, w, m: (
            f"Jan  2 03:04:{i % 60:02d} web-{i % 3} app[{100 + i % 5}]: {w.title()}: {m}"
        )
    )
    table = table_of(write(tmp_path / "messages", lines))
    assert level_list(table) == expected


def test_dotnet_console_abbreviations_are_levels(tmp_path):
    # Microsoft.Extensions.Logging's simple console formatter: `<abbr>: <category>[<event id>]`,
    # then the message indented on the next line.
    abbreviations = {"trce": "TRACE", "dbug": "DEBUG", "info": "INFO", "warn": "WARN",
                     "fail": "ERROR", "crit": "FATAL"}  # fmt: skip
    lines = []
    for i in range(30):
        abbr = list(abbreviations)[i % 6] if i < 12 else "info"
        lines += [f"{abbr}: Microsoft.Hosting.Lifetime[{i}]", f"      {MESSAGES[i % 5]}"]
    table = ingest([write(tmp_path / "console.log", lines)]).table.sort("line")
    headers = table.filter(~pl.col("message").str.starts_with(" "))
    assert level_list(headers) == [
        abbreviations[list(abbreviations)[i % 6] if i < 12 else "info"] for i in range(30)
    ]


def test_a_level_at_the_header_place_wins_over_an_upper_case_word_further_on(tmp_path):
    lines, expected = header_lines(HEADER_LAYOUTS["zap console"])
    lines[3] = "2024-01-02T03:04:03.123Z\tinfo\tapp/main.go:3\tupstream answered ERROR 5"
    expected[3] = "INFO"
    table = table_of(write(tmp_path / "app.log", lines))
    assert level_list(table) == expected


def test_prose_that_starts_with_a_level_word_is_no_header_level(tmp_path):
    # A tenth of the lines start with the same lower-case word: a sentence, not a level.
    lines = [
        f"{stamp(i)} error while reading /tmp/x{i}" if i % 10 == 0 else f"{stamp(i)} {m}"
        for i, m in enumerate(MESSAGES * 20)
    ]
    lines[1] = f"{stamp(1)} no error found in config"
    table = table_of(write(tmp_path / "app.log", lines))
    levels_, marks = level_list(table), inferred(table)
    assert {levels_[i] for i in range(0, 100, 10)} == {"ERROR"}
    # read from the words, so marked as a guess; never taken from the header's place
    assert all(marks[i] for i in range(0, 100, 10))
    assert levels_[1] == "NONE"
    assert set(levels_) == {"ERROR", "NONE"}


def test_a_severity_letter_after_the_stamp_is_a_level_where_most_lines_have_one(tmp_path):
    # MongoDB before 4.4: `<iso8601> <severity> <component> [<context>] <message>`
    letters = ["I", "I", "W", "E", "D", "I", "F", "I"]
    components = ["NETWORK ", "STORAGE ", "QUERY   ", "COMMAND "]
    lines = [
        f"2019-01-02T03:04:{i:02d}.123+0000 {letters[i % 8]} {components[i % 4]} [conn{i}] {m}"
        for i, m in enumerate(MESSAGES * 8)
    ]
    table = table_of(write(tmp_path / "mongod.log", lines))
    by_letter = {"I": "INFO", "W": "WARN", "E": "ERROR", "D": "DEBUG", "F": "FATAL"}
    assert level_list(table) == [by_letter[letters[i % 8]] for i in range(40)]


def test_severity_letters_in_other_places_of_the_header_are_levels(tmp_path):
    letters = ["I", "I", "W", "E", "D", "I", "I", "C"]
    by_letter = {"I": "INFO", "D": "DEBUG", "W": "WARN", "E": "ERROR", "C": "FATAL"}
    expected = [by_letter[letters[i % 8]] for i in range(40)]
    # Tornado's formatter (Jupyter's server): the letter before the stamp, in its bracket.
    tornado = [
        f"[{letters[i % 8]} 2024-03-14 09:26:{i:02d}.589 ServerApp] {m}"
        for i, m in enumerate(MESSAGES * 8)
    ]
    assert level_list(table_of(write(tmp_path / "jupyter.log", tornado))) == expected
    # Gitea: bracketed, after the caller (`[I]`); Telegraf: with a `!` right after the stamp.
    gitea = [
        f"2024/03/14 09:26:{i:02d} cmd/web.go:{i}:runWeb() [{letters[i % 8]}] {m}"
        for i, m in enumerate(MESSAGES * 8)
    ]
    assert level_list(table_of(write(tmp_path / "gitea.log", gitea))) == expected
    telegraf = [
        f"2024-03-14T09:26:{i:02d}Z {letters[i % 8]}! {m}" for i, m in enumerate(MESSAGES * 8)
    ]
    assert level_list(table_of(write(tmp_path / "telegraf.log", telegraf))) == expected


def test_cockroachdbs_glog_layout_with_a_year_reads_its_stamp_and_level(tmp_path):
    letters = ["I", "W", "E", "F"]
    lines = [
        f"{letters[i % 4]}240314 09:26:{i:02d}.589012 1 server/node.go:{i} ⋮ [n1] {m}"
        for i, m in enumerate(MESSAGES * 4)
    ]
    table = table_of(write(tmp_path / "cockroach.log", lines))
    assert level_list(table) == [{"I": "INFO", "W": "WARN", "E": "ERROR", "F": "FATAL"}[
        letters[i % 4]] for i in range(table.height)]  # fmt: skip
    assert str(table["ts"][0]) == "2024-03-14 09:26:00.589012+00:00"


def test_bracketed_severity_letters_after_the_stamp_are_levels(tmp_path):
    # a device's `[MM.dd HH:mm:ss][L] message`, and CUPS's error_log letters with N (notice)
    # and C (critical): `L [dd/MMM/yyyy:HH:mm:ss +zzzz] message`
    letters = ["I", "D", "W", "E", "I", "N", "C", "I"]
    by_letter = {"I": "INFO", "D": "DEBUG", "W": "WARN", "E": "ERROR", "N": "INFO", "C": "FATAL"}
    bracketed = [f"[03.14 09:26:{i:02d}][{letters[i % 8]}] {m}" for i, m in enumerate(MESSAGES * 8)]
    table = table_of(write(tmp_path / "device.log", bracketed))
    assert level_list(table) == [by_letter[letters[i % 8]] for i in range(40)]
    cups = [
        f"{letters[i % 8]} [14/Mar/2024:09:26:{i:02d} +0100] {m}"
        for i, m in enumerate(MESSAGES * 8)
    ]
    table = table_of(write(tmp_path / "error_log", cups))
    assert level_list(table) == [by_letter[letters[i % 8]] for i in range(40)]


def test_a_severity_letter_a_few_fields_after_the_stamp_is_a_level(tmp_path):
    # WebSphere's SystemOut.log: `[stamp] <thread id> <short name> <type> <message>`; its
    # audit events (A, IBM's WsLevel.AUDIT between INFO and WARNING) are informational, its
    # System.out lines (O) name no level.
    kinds = ["I", "A", "W", "E", "I", "O", "I", "W"]
    by_kind = {"I": "INFO", "W": "WARN", "E": "ERROR", "A": "INFO", "O": "NONE"}
    lines = ["************ Start Display Current Environment ************"]
    lines += [
        f"[3/14/24 9:26:{i:02d}:589 UTC] 0000007a WsServerImpl  {kinds[i % 8]}   {m}"
        for i, m in enumerate(MESSAGES * 8)
    ]
    table = ingest([write(tmp_path / "SystemOut.log", lines)], tz="UTC").table.sort("line")
    assert level_list(table)[1:] == [by_kind[kinds[i % 8]] for i in range(40)]


def test_one_letter_words_in_prose_are_no_severity_letters(tmp_path):
    # a lone capital at the same place on half the lines, but always the same one: prose
    lines = [f"{stamp(i)} worker {i % 4} I think {m}" for i, m in enumerate(MESSAGES * 8)]
    assert set(level_list(table_of(write(tmp_path / "app.log", lines)))) == {"NONE"}


def test_a_capital_letter_starting_a_few_messages_is_not_a_level(tmp_path):
    lines = [f"{stamp(i)} {m}" for i, m in enumerate(MESSAGES * 8)]
    lines[4] = f"{stamp(4)} A user logged in"
    lines[9] = f"{stamp(9)} I see nothing"
    assert set(level_list(table_of(write(tmp_path / "app.log", lines)))) == {"NONE"}


# --- 2. the level forms of servers and libraries ----------------------------------------------


def levels(lines: list[str], start: list[int | None] | None = None) -> list[str | None]:
    starts = None if start is None else pl.Series(start, dtype=pl.UInt32)
    return level_from_text(pl.Series(lines), starts).to_list()


def test_an_ibm_message_identifier_opening_the_message_gives_its_severity():
    # Storage Protect's dsmsched.log: the stamp, then the message id whose last letter is the
    # severity; a line without one states none
    lines = [
        "06/30/2024 01:11:26 ANS1809W Session is lost; initializing session reopen.",
        "06/30/2024 01:03:51 ANS1228E Sending of object '/u01/x' failed.",
        "06/30/2024 01:00:04 ANS1898I ***** Processed 1,000 files *****",
        "06/30/2024 01:00:04 Incremental backup of volume '/u01'",
        "06/30/2024 01:00:04 see ANS1809W in the manual",
    ]
    assert levels(lines, [20] * len(lines)) == ["WARN", "ERROR", "INFO", None, None]


def test_a_severity_letter_between_colons_right_after_the_stamp():
    # Ruckus FastIron `show logging`: `Mar 14 09:34:02:I:Security: ...`
    lines = [
        "Mar 14 09:34:02:I:Security: SSH login by netops",
        "Mar 14 09:30:55:W:System: Fan speed changed",
        "Mar 14 09:28:36:E:System: PSU 2 failed",
        "Mar 14 09:31:13:N:PoE: Power enabled on port 1/1/7.",
    ]
    assert levels(lines, [15] * len(lines)) == ["INFO", "WARN", "ERROR", "INFO"]


def test_a_level_and_its_component_opening_the_message_after_the_stamp():
    """Icinga 2's main log: `[<stamp>] severity/facility: message`; the window starts at the
    stamp's closing bracket."""
    lines = [
        "[2024-03-14 10:20:02 +0100] information/ApiListener: 'api' stopped.",
        "[2024-03-14 10:20:05 +0100] warning/ApplyRule: Apply rule 'ssh' matches no",
        "[2024-03-14 10:20:05 +0100] critical/config: Error: Object 'db' exists",
        "[2024-03-14 10:20:05 +0100] see http/Server: the guide",
        "[2024-03-14 10:20:05 +0100] the warning/ApplyRule: is quoted here",
    ]
    assert levels(lines, [26] * len(lines)) == ["INFO", "WARN", "FATAL", None, None]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Apache 2.4: `[module:level]`, trace1..trace8
        ("[Wed Oct 11 14:32:52.123456 2023] [core:notice] [pid 12:tid 34] AH00094: x", "INFO"),
        (
            "[Wed Oct 11 14:32:52.123456 2023] [proxy:trace5] [pid 12] proxy_util.c(2011): x",
            "TRACE",
        ),
        ("[Wed Oct 11 14:32:52.123456 2023] [ssl:warn] [pid 12] AH01909: x", "WARN"),
        ("[Wed Oct 11 14:32:52.123456 2023] [mpm_event:error] [pid 12] AH00485: x", "ERROR"),
        # Bareos's (and Bacula's) message types after the job: `Fatal error:` beside `Error:`
        (
            "30-Jun 01:39 bareos-dir JobId 7712: Fatal error: No Job status returned from FD.",
            "FATAL",
        ),
        ("30-Jun 01:39 bareos-dir JobId 7712: Error: Bareos bareos-dir 23.0.3 (02Apr24):", "ERROR"),
        # Oracle's ODL text: `[<stamp>] [<component>] [<message type>:<level>] [<id>] ...`
        ("[2024-06-27T13:52:06.1180-04:00] [OHS] [NOTIFICATION:16] [AH00489] [core.c] x", "INFO"),
        ("[2024-06-27T13:52:06.1180-04:00] [OHS] [INCIDENT_ERROR:1] [OH99999] [core.c] x", "ERROR"),
        ("[2024-06-27T14:05:00.0030-04:00] [OHS] [TRACE:16] [] [mod_wl_ohs.c] x", "TRACE"),
        # MySQL 8: `<stamp> <thread> [<prio>] [<err code>] [<subsystem>] <msg>`
        (
            "2023-03-06T18:34:17.383211Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld starting",
            "INFO",
        ),
        ("2023-03-06T18:34:17.400000Z 1 [Note] [MY-012345] [InnoDB] buffer pool", "INFO"),
        ("2023-03-06T18:34:17.500000Z 0 [Warning] [MY-010068] [Server] CA certificate", "WARN"),
        ("2023-03-06T18:34:17.600000Z 0 [ERROR] [MY-010119] [Server] Aborting", "ERROR"),
        # PostgreSQL's stderr log with `log_line_prefix = '%m [%p] '`
        ("2023-03-06 18:34:17.383 UTC [12345] LOG:  checkpoint starting: time", "INFO"),
        ("2023-03-06 18:34:17.383 UTC [12345] FATAL:  password authentication failed", "FATAL"),
        ("2023-03-06 18:34:17.383 UTC [12345] PANIC:  could not write to file", "FATAL"),
        ("2023-03-06 18:34:17.383 UTC [12345] WARNING:  there is no transaction", "WARN"),
        ("2023-03-06 18:34:17.383 UTC [12345] DEBUG2:  autovacuum: processing", "DEBUG"),
        # Monolog's line format (Laravel): `[<stamp>] <channel>.<LEVEL>: <message>`
        ("[2024-01-02 03:04:05] local.ERROR: Undefined variable $x", "ERROR"),
        ("[2024-01-02 03:04:05] production.EMERGENCY: Unable to create logger.", "FATAL"),
        ("[2024-01-02 03:04:05] local.ALERT: queue down", "FATAL"),
        ("[2024-01-02 03:04:05] local.NOTICE: user logged in", "INFO"),
        # java.util.logging's levels (Tomcat's OneLineFormatter)
        (
            "06-Mar-2023 18:34:17.383 SEVERE [main] org.apache.catalina.core.StandardService x",
            "ERROR",
        ),
        ("06-Mar-2023 18:34:17.383 CONFIG [main] org.apache.catalina.startup.Catalina x", "INFO"),
        ("06-Mar-2023 18:34:17.383 FINE [main] org.apache.catalina.loader.WebappLoader x", "DEBUG"),
        ("06-Mar-2023 18:34:17.383 FINER [main] org.apache.x", "TRACE"),
        ("06-Mar-2023 18:34:17.383 FINEST [main] org.apache.x", "TRACE"),
        # logcat: brief, time and threadtime formats; A is an assert
        ("A/libc( 1702): Fatal signal 6 (SIGABRT)", "FATAL"),
        ("03-17 16:13:38.811 V/WindowManager( 1702): relayout", "TRACE"),
        ("03-17 16:13:38.811  1702  2395 A libc    : Abort message", "FATAL"),
        ("03-17 16:13:38.811  1702  2395 D WindowManager: relayout", "DEBUG"),
        ("03-17 16:13:38.811  1702  2395 E AndroidRuntime: FATAL EXCEPTION: main", "ERROR"),
        # glog: `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`
        ("F0517 15:04:22.619632   12345 file.cc:123] Check failed: x", "FATAL"),
        ("W0517 15:04:22.619632   12345 file.cc:123] slow", "WARN"),
        # Supervisor: four capitals (DEBG, ERRO, TRAC, BLAT for blather)
        ("2024-03-14 09:20:02,417 DEBG 'api' stderr output:", "DEBUG"),
        ("2024-03-14 09:20:02,417 ERRO pool api event buffer overflowed", "ERROR"),
        ("2024-03-14 09:20:02,417 BLAT read event caused by <POutputDispatcher>", "TRACE"),
        # a JSON object after a transport's stamp (`kubectl logs --timestamps` of zap)
        ('2024-03-14T09:23:12.118402265Z {"level":"warn","ts":1710408192.1,"msg":"slow"}', "WARN"),
        ("2024-03-14T09:23:12.118Z battery level: low, charging", None),
        # IOS XR: a space before the message id's colon; ExtremeXOS: the component after
        # the level in angle brackets
        (
            "RP/0/RSP0/CPU0:Mar 14 09:21:46.905 UTC: ifmgr[215]: %PKT_INFRA-LINK-3-UPDOWN : x",
            "ERROR",
        ),
        ("03/14/2024 09:29:40.18 <Warn:ELRP.Report.Message> LOOP DETECTED", "WARN"),
        ("03/14/2024 09:27:12.06 <Erro:HAL.Card.Error> Slot-1: PSU-2 input power lost", "ERROR"),
        # `dmesg -x`: facility and level padded to a width before the stamp
        ("kern  :info  : 2024-03-14T10:20:12,418223+01:00 usb 2-1: new device", "INFO"),
        ("kern  :err   : 2024-03-14T10:21:40,118223+01:00 Out of memory: Killed", "ERROR"),
        ("daemon:warn  : 2024-03-14T10:21:41,000000+01:00 systemd[1]: x failed", "WARN"),
        # MikroTik RouterOS: the level among the message's topics
        ("10.0.0.1 system,error,critical login failure for user admin", "ERROR"),
        ("10.0.0.1 script,warning backup: ftp upload failed", "WARN"),
        ("10.0.0.1 system,info,account user admin logged in", "INFO"),
        ("10.0.0.1 see the docs,error codes listed", None),
        # PAN-OS: `informational` as a whole field of the CSV
        ('1,2024/03/14 09:20:37,0132,SYSTEM,general,0,,general,informational,"User"', "INFO"),
        # Cisco: `%FACILITY-SEVERITY-MNEMONIC:`, the digit a syslog severity
        ("Mar 24 2022 10:29:56: %ASA-4-106023: Deny tcp src outside:10.0.0.1/5 dst x", "WARN"),
        ("Mar 24 2022 10:29:56: %ASA-6-302013: Built outbound TCP connection 1", "INFO"),
        ("Mar 24 2022 10:29:56: %ASA-2-106001: Inbound TCP connection denied", "FATAL"),
        ("Mar 24 10:29:56 fw1 : %ASA-3-710003: TCP access denied", "ERROR"),
        ("*Mar 24 10:29:58.123: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down", "ERROR"),
        ("*Mar 24 10:29:58.123: %LINEPROTO-5-UPDOWN: Line protocol on Interface Gi0/1", "INFO"),
        # PHP's error log
        ("[02-Jan-2024 03:04:05 UTC] PHP Fatal error:  Uncaught Exception: boom", "FATAL"),
        ("[02-Jan-2024 03:04:05 UTC] PHP Parse error:  syntax error", "FATAL"),
        ("[02-Jan-2024 03:04:05 UTC] PHP Warning:  Undefined variable $x", "WARN"),
        ("[02-Jan-2024 03:04:05 UTC] PHP Deprecated:  Function x() is deprecated", "INFO"),
        # logrus's text formatter on a terminal
        ("ERRO[0002] failed to connect", "ERROR"),
        ("DEBU[0003] retrying", "DEBUG"),
        ("PANI[0004] nil map", "FATAL"),
        # Serilog's `{Level:u3}`
        ("[15:04:05 INF] Starting web host", "INFO"),
        ("[15:04:05 WRN] slow", "WARN"),
        ("2024-01-02 03:04:05.123 +00:00 [FTL] Host terminated", "FATAL"),
        ("2024-01-02 03:04:05.123 +00:00 [VRB] tick", "TRACE"),
        # a syslog severity after `severity=`
        ("ts=2024-01-02 severity=3 msg=x", "ERROR"),
        # a level word and a colon opening the message after a tag (sshd, Dovecot, Unreal)
        ("Jan  2 03:04:05 web sshd[81]: error: PAM: Authentication failure", "ERROR"),
        ("Jan  2 03:04:05 imap(bob@example.com)<42><a1>: Warning: quota at 95%", "WARN"),
        ("[2024.01.02-03.04.05:006][ 12]LogNet: Warning: connection lost", "WARN"),
        ("[2024.01.02-03.04.05:006][ 12]LogScript: Error: Divide by zero", "ERROR"),
        # a level word as a whole field of a delimited line (PostgreSQL's csvlog)
        (
            '2024-01-02 03:04:05.006 UTC,,,811,,65f2.32b,1,,2024-01-02 03:04:05 UTC,,0,LOG,00000,"x"',
            "INFO",
        ),
        ("2024-01-02 03:04:05|web|WARNING|disk almost full", "WARN"),
        # a level in parentheses (Puppet: `<stamp> <source> (<level>): <message>`)
        ("2024-03-14 10:27:04 +0100 /Stage[main]/Package[x]/ensure (err): change failed", "ERROR"),
        ("2024-03-14 10:26:53 +0100 Puppet (notice): Starting Puppet client", "INFO"),
        # syslog's facility.severity (OpenWrt's logread)
        ("Thu Mar 14 09:26:53 2024 daemon.info dnsmasq[1234]: started", "INFO"),
        ("Thu Mar 14 09:26:54 2024 kern.warn kernel: [   12.345678] eth0: link down", "WARN"),
        ("Thu Mar 14 09:26:55 2024 user.err syslog: disk full", "ERROR"),
        ("Thu Mar 14 09:26:56 2024 kern.crit kernel: thermal shutdown", "FATAL"),
        # in angle brackets (ClickHouse, NetworkManager)
        ("2024.03.14 09:26:53.601877 [ 48213 ] {} <Warning> Application: x", "WARN"),
        ("2024.03.14 09:26:53.601877 [ 48213 ] {} <Information> Application: x", "INFO"),
        ("Mar 14 09:26:50 web NetworkManager[812]: <info>  [1710408410.1] manager: start", "INFO"),
        # the X server's markers
        ("[    21.611] (WW) Falling back to old probe method for fbdev", "WARN"),
        ("[    21.733] (EE) Failed to load module", "ERROR"),
        ("[    21.502] (II) LoadModule: modesetting", "INFO"),
        # Mozilla's MOZ_LOG
        ("2024-03-14 09:26:53.590113 UTC - [Parent 4120: Main Thread]: D/nsHttp Creating", "DEBUG"),
        ("2024-03-14 09:26:54.118302 UTC - [Parent 4120: Socket Thread]: W/nsHttp x", "WARN"),
        # VERB (the GitHub Actions runner), VERBOSE1 (Chromium), CRIT
        ("[2024-03-14 09:26:55Z VERB GitHubActionsService] EstablishVssConnection", "TRACE"),
        ("[11432:11440:0314/092655.100:VERBOSE1:network_delegate.cc(31)] x", "TRACE"),
        ("2024-03-14 09:26:55 CRIT disk failure", "FATAL"),
    ],
)
def test_level_forms_of_servers_and_libraries(line, expected):
    assert levels([line]) == [expected]


@pytest.mark.parametrize(
    "line",
    [
        # a level key with a number: whose scale is unknown, so no level
        "ts=2024-01-02 level=1 msg=x",
        # a bare `LOG` or `HINT` without the colon is a word
        "2024-01-02 03:04:05 LOG rotated",
        "2024-01-02 03:04:05 see HINT below",
        "2024-01-02 03:04:05 ALERT raised by monitor",
        # a percent sign and digits that are no Cisco tag
        "2024-01-02 03:04:05 disk at 95%-4-full",
        "2024-01-02 03:04:05 PHP version 8.2 loaded",
        # a level word inside a sentence, with a colon but no tag before it
        "2024-01-02 03:04:05 the last error: none",
        # a level word inside a delimited field, not the whole of it
        "2024-01-02 03:04:05,disk,errors found,3",
    ],
)
def test_words_that_are_levels_only_in_their_form_are_not_levels_elsewhere(line):
    assert levels([line]) == [None]


def test_postgresql_detail_lines_take_the_level_of_the_message_above():
    lines = [
        '2023-03-06 18:34:18.383 UTC [12346] ERROR:  relation "foo" does not exist',
        "2023-03-06 18:34:18.383 UTC [12346] STATEMENT:  select * from foo;",
        '2023-03-06 18:34:19.383 UTC [12347] FATAL:  password authentication failed for user "bob"',
        '2023-03-06 18:34:19.383 UTC [12347] DETAIL:  Connection matched pg_hba.conf line 99: "host all all 0.0.0.0/0 md5"',
        "2023-03-06 18:34:20.383 UTC [12348] WARNING:  there is no transaction in progress",
        "2023-03-06 18:34:20.383 UTC [12348] HINT:  Use BEGIN first.",
        "2023-03-06 18:34:21.383 UTC [12349] LOG:  checkpoint starting: time",
    ]
    assert levels(lines, [23] * len(lines)) == [
        "ERROR", "ERROR", "FATAL", "FATAL", "WARN", "WARN", "INFO",
    ]  # fmt: skip


def test_a_detail_line_after_a_continuation_line_takes_the_entry_level():
    lines = [
        "2023-03-06 18:34:18.383 UTC [12346] ERROR:  syntax error at or near",
        "\tcontinued on a second line",
        "2023-03-06 18:34:18.383 UTC [12346] STATEMENT:  select 1 +",
    ]
    assert levels(lines, [23, None, 23]) == ["ERROR", None, "ERROR"]


def test_a_detail_line_under_an_entry_without_a_level_has_none():
    lines = [
        "2023-03-06 18:34:18.383 UTC [12346] ERROR:  syntax error",
        "2023-03-06 18:34:19.383 UTC [12347] connection received: host=[local]",
        "2023-03-06 18:34:19.383 UTC [12347] DETAIL:  more about it",
        "2023-03-06 18:34:19.383 UTC [12347] DETAIL:  and more",
    ]
    assert levels(lines, [23] * 4) == ["ERROR", None, None, None]


def test_a_detail_line_at_the_top_has_no_level():
    assert levels(["2023-03-06 18:34:19.383 UTC [1] HINT:  x"], [23]) == [None]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(
                ["DETAIL:  x", "LOG:  y", "INFO z", "[error] q", "E/T: w", "<3>k", "I0312 x",
                 "\tat frame", " 1 2 A t: m", "%ASA-4-1: x", "no error", "failed"]
            ),
        ),
        max_size=12,
    )
)  # fmt: skip
def test_text_levels_are_always_level_names_or_none(lines):
    found = levels(lines)
    assert set(found) <= {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", None}
    assert set(inferred_from_words(pl.Series(lines, dtype=pl.String)).to_list()) <= {
        "FATAL", "ERROR", "WARN", None,
    }  # fmt: skip


def test_postgresql_log_reads_with_its_levels_and_bodies(tmp_path):
    lines = [
        f"2023-03-06 18:34:{i:02d}.383 UTC [{12000 + i}] {label}:  {m}"
        for i, (label, m) in enumerate(
            [("LOG", "checkpoint starting: time"), ("ERROR", "relation x does not exist")] * 15
        )
    ]
    table = table_of(write(tmp_path / "postgresql.log", lines))
    assert level_list(table) == ["INFO", "ERROR"] * 15
    bodies = table.select(
        pl.col("message").str.slice(pl.col("body_at")).str.strip_chars_start()
    ).to_series()
    assert bodies[0] == "checkpoint starting: time"


def test_java_util_logging_two_line_entries_take_the_level_of_their_second_line(tmp_path):
    # SimpleFormatter's default: `%1$tb %1$td, %1$tY %1$tl:%1$tM:%1$tS %1$Tp %2$s%n%4$s: %5$s`
    words = ["INFO", "SEVERE", "WARNING", "FINE"]
    lines = []
    for i in range(12):
        lines += [
            f"Mar 06, 2023 6:34:{i:02d} PM org.apache.catalina.startup.Catalina start",
            f"{words[i % 4]}: {MESSAGES[i % 5]}",
        ]
    table = table_of(write(tmp_path / "catalina.log", lines))
    assert table.height == 12
    assert level_list(table) == [
        {"INFO": "INFO", "SEVERE": "ERROR", "WARNING": "WARN", "FINE": "DEBUG"}[words[i % 4]]
        for i in range(12)
    ]


# --- 3. numeric levels, by the convention of their source -------------------------------------


def json_table(tmp_path: Path, records: list[dict]) -> tuple[pl.DataFrame, tuple[str, ...]]:
    path = write(tmp_path / "app.json", [json.dumps(r) for r in records])
    got = ingest([path])
    return time_ordered(got.table), got.sources[0].notes


def test_pino_levels(tmp_path):
    # pino's default output
    records = [
        {"level": n, "time": 1531171074631 + i, "pid": 657, "hostname": "box", "msg": f"m{i}"}
        for i, n in enumerate([10, 20, 30, 40, 50, 60])
    ]
    table, notes = json_table(tmp_path, records)
    assert level_list(table) == ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
    assert not any("level numbers" in n for n in notes)


def test_bunyan_levels_without_a_sixty(tmp_path):
    # bunyan's record: name, hostname, pid, level, msg, time, v
    records = [
        {"name": "myapp", "hostname": "banana.local", "pid": 40161, "level": n,
         "msg": "hi", "time": f"2013-01-04T18:46:23.{i:03d}Z", "v": 0}
        for i, n in enumerate([30, 30, 40, 50])
    ]  # fmt: skip
    table, notes = json_table(tmp_path, records)
    assert level_list(table) == ["INFO", "INFO", "WARN", "ERROR"]
    assert not any("level numbers" in n for n in notes)


def test_tens_without_a_library_signature_are_read_as_pino_and_say_so(tmp_path):
    records = [{"ts": f"2024-01-02T03:04:0{i}Z", "level": n, "message": "x"} for i, n in
               enumerate([30, 40, 50])]  # fmt: skip
    table, notes = json_table(tmp_path, records)
    assert level_list(table) == ["INFO", "WARN", "ERROR"]
    assert any("bunyan/pino" in n and "`level`" in n for n in notes)


def test_python_logging_levels_by_levelno(tmp_path):
    # python-json-logger with `%(levelno)s %(name)s %(message)s`
    records = [
        {"asctime": f"2024-01-02 03:04:0{i},000", "levelno": n, "name": "app", "message": "x"}
        for i, n in enumerate([10, 20, 30, 40, 50])
    ]
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"]


def test_python_logging_numbers_under_level_beside_python_keys(tmp_path):
    records = [
        {"time": f"2024-01-02T03:04:0{i}Z", "level": n, "funcName": "run", "lineno": 12,
         "message": "x"}
        for i, n in enumerate([20, 30, 40])
    ]  # fmt: skip
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["INFO", "WARN", "ERROR"]


def test_monolog_prefers_its_level_name_to_its_number(tmp_path):
    # Monolog's JsonFormatter: message, context, level, level_name, channel, datetime, extra
    records = [
        {"message": "x", "context": {}, "level": n, "level_name": name, "channel": "app",
         "datetime": f"2024-01-02T03:04:0{i}.000000+00:00", "extra": {}}
        for i, (n, name) in enumerate([(200, "INFO"), (300, "WARNING"), (550, "ALERT")])
    ]  # fmt: skip
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["INFO", "WARN", "FATAL"]
    assert "level_name" not in table.columns  # taken as the level, not kept as a field


def test_monolog_numbers_alone(tmp_path):
    numbers = [100, 200, 250, 300, 400, 500, 550, 600]
    records = [{"datetime": f"2024-01-02T03:04:0{i}Z", "level": n, "message": "x"}
               for i, n in enumerate(numbers)]  # fmt: skip
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == [
        "DEBUG", "INFO", "INFO", "WARN", "ERROR", "FATAL", "FATAL", "FATAL",
    ]  # fmt: skip


@pytest.mark.parametrize("key", ["severity", "syslog_severity", "priority"])
def test_syslog_severities_under_their_keys(tmp_path, key):
    records = [{"time": f"2024-01-02T03:04:0{n}Z", key: n, "msg": "x"} for n in range(8)]
    table, notes = json_table(tmp_path, records)
    assert level_list(table) == [
        "FATAL", "FATAL", "FATAL", "ERROR", "WARN", "INFO", "INFO", "DEBUG",
    ]  # fmt: skip
    assert not any("level numbers" in n for n in notes)


def test_opentelemetry_severity_number_beside_its_text(tmp_path):
    records = [
        {"timestamp": f"2024-01-02T03:04:0{i}Z", "severity_number": n, "body": "x"}
        for i, n in enumerate([1, 5, 9, 13, 17, 21, 24])
    ]
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "FATAL"]
    records[0]["severity_text"] = "Information"
    table, _ = json_table(tmp_path, records[:1])
    assert level_list(table) == ["INFO"]


def test_google_cloud_severities_in_hundreds(tmp_path):
    records = [{"timestamp": f"2024-01-02T03:04:0{i}Z", "severity": n, "message": "x"}
               for i, n in enumerate([100, 200, 300, 400, 500, 800])]  # fmt: skip
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["DEBUG", "INFO", "INFO", "WARN", "ERROR", "FATAL"]


def test_an_applications_small_scale_is_not_read_as_syslog(tmp_path):
    # A PHP application writing its own 0..4 levels: 1 is no emergency.
    records = [{"time": f"2024-01-02T03:04:0{i}Z", "level": n, "message": "x"}
               for i, n in enumerate([1, 1, 2, 3, 0])]  # fmt: skip
    table, notes = json_table(tmp_path, records)
    assert level_list(table) == ["INFO", "INFO", "WARN", "ERROR", "DEBUG"]
    assert any("least severe first" in n and "no known convention" in n for n in notes)


def test_zap_numbers_below_zero(tmp_path):
    records = [{"ts": f"2024-01-02T03:04:0{i}Z", "level": n, "msg": "x"}
               for i, n in enumerate([-1, 0, 1, 2])]  # fmt: skip
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["DEBUG", "INFO", "WARN", "ERROR"]


def test_numbers_that_fit_no_convention_are_none_and_say_so(tmp_path):
    records = [{"time": f"2024-01-02T03:04:0{i}Z", "level": n, "message": "quiet"}
               for i, n in enumerate([12, 37, 1000])]  # fmt: skip
    table, notes = json_table(tmp_path, records)
    assert level_list(table) == ["NONE", "NONE", "NONE"]
    assert any("no known convention" in n and "NONE" in n for n in notes)


def test_words_and_numbers_in_one_level_field(tmp_path):
    records = [
        {"time": "2024-01-02T03:04:00Z", "level": "warn", "pid": 1, "hostname": "h", "msg": "a"},
        {"time": "2024-01-02T03:04:01Z", "level": 50, "pid": 1, "hostname": "h", "msg": "b"},
    ]
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["WARN", "ERROR"]


@pytest.mark.parametrize(
    ("key", "numbers", "others", "scale", "guessed"),
    [
        ("level", [30, 40], {"hostname", "pid", "msg"}, level_numbers.BUNYAN, False),
        ("level", [30, 40], set(), level_numbers.BUNYAN, True),
        ("levelno", [30, 40], set(), level_numbers.PYTHON, False),
        ("level", [10, 20, 60], set(), level_numbers.BUNYAN, False),
        ("level", [200, 300], {"level_name"}, level_numbers.MONOLOG, False),
        ("level", [200, 300], set(), level_numbers.MONOLOG, True),
        ("severity", [200, 400], set(), level_numbers.GCP, False),
        ("severity", [3, 6], set(), level_numbers.SYSLOG, False),
        ("PRIORITY", [3, 6], set(), level_numbers.SYSLOG, False),
        ("level", [3, 6, 7], set(), level_numbers.SYSLOG, True),
        ("level", [0, 1, 2], set(), level_numbers.APP, True),
        ("level", [1, 2, 5], set(), level_numbers.DOTNET, True),
        ("level", [-4, 0, 4, 8], set(), level_numbers.SLOG, False),
        ("level", [13, 77], set(), None, True),
    ],
)
def test_the_convention_follows_key_values_and_neighbour_keys(key, numbers, others, scale, guessed):
    found = level_numbers.convention(key, numbers, others)
    assert found.scale is scale
    assert (found.note is not None) == guessed


def test_log_is_a_level_at_the_headers_place(tmp_path):
    # PgBouncer (PostgreSQL's family): `<stamp> UTC [pid] LOG|WARNING|ERROR <message>`
    words = ["LOG", "LOG", "WARNING", "LOG", "ERROR", "LOG"]
    lines = [
        f"2024-03-14 09:26:{i:02d}.589 UTC [1234] {words[i % 6]} C-0x55d: {m}"
        for i, m in enumerate(MESSAGES * 6)
    ]
    table = table_of(write(tmp_path / "pgbouncer.log", lines))
    by_word = {"LOG": "INFO", "WARNING": "WARN", "ERROR": "ERROR"}
    assert level_list(table) == [by_word[words[i % 6]] for i in range(30)]


def test_a_key_of_level_words_is_the_level_whatever_its_name(tmp_path):
    # PostgreSQL's jsonlog: `error_severity` holds LOG, ERROR, WARNING, FATAL
    records = [
        {"timestamp": f"2024-03-14 10:26:{i:02d}.101 CET", "pid": 811, "error_severity": sev,
         "message": MESSAGES[i % 5]}
        for i, sev in enumerate(["LOG", "ERROR", "LOG", "WARNING", "FATAL"])
    ]  # fmt: skip
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["INFO", "ERROR", "INFO", "WARN", "FATAL"]


def test_journald_priorities_are_syslog_severities(tmp_path):
    records = [
        {"__REALTIME_TIMESTAMP": f"170416464500000{i}", "PRIORITY": str(p), "MESSAGE": "x",
         "_SYSTEMD_UNIT": "a.service"}
        for i, p in enumerate([3, 4, 6, 7])
    ]  # fmt: skip
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["ERROR", "WARN", "INFO", "DEBUG"]


# --- 4. levels inferred from the message's words ----------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("connection refused by 10.0.0.5:5432", "ERROR"),
        ("Failed password for root from 10.0.0.9 port 22 ssh2", "ERROR"),
        ("authentication failure; logname= uid=0", "ERROR"),
        ("open /var/lib/x: permission denied", "ERROR"),
        ("request timed out after 30 s", "ERROR"),
        ("Unhandled exception in worker", "ERROR"),
        ("Out of memory: Killed process 123 (java)", "ERROR"),
        ("could not resolve host db.example.net", "ERROR"),
        ("kernel panic - not syncing: Attempted to kill init!", "FATAL"),
        ("fatal: unable to access repository", "FATAL"),
        ("Warning: retrying the upload", "WARN"),
        ("API v1 is deprecated, use v2", "WARN"),
        # the worst word wins
        ("warning: upload failed", "ERROR"),
        # negations, counts of nothing and field names say nothing
        ("no error found", None),
        ("completed with 0 errors and 0 warnings", None),
        ("finished without error", None),
        ("backup did not fail", None),
        ("error=0 retries=2", None),
        ('{"error": null, "status": "ok"}', None),
        ("errors: 0", None),
        ("ErrorHandler registered", None),
        ("error_count metric exported", None),
        ("session opened for user root", None),
        ("", None),
    ],
)
def test_words_that_say_how_bad_an_event_was(body, expected):
    assert inferred_from_words(pl.Series([body])).to_list() == [expected]


def test_many_bodies_read_as_few_do():
    # Above a few thousand entries only those holding a word are read exactly, in steps.
    rng = random.Random(4)
    parts = ["no error found", "upload failed", "warning: retry", "fatal: x", "ok", "error=0",
             "0 errors", "timeout: 30", "did not fail", "kernel panic", "deprecated api",
             "ErrorHandler", "couldn't open", "Jun 14 host error-reporter[1]:"]  # fmt: skip
    bodies = [" ".join(rng.choice(parts) for _ in range(rng.randint(1, 3))) for _ in range(12_000)]
    whole = inferred_from_words(pl.Series(bodies)).to_list()
    pieces = [
        inferred_from_words(pl.Series(bodies[i : i + 1000])).to_list()
        for i in range(0, 12_000, 1000)
    ]
    assert whole == [level for piece in pieces for level in piece]
    assert {"FATAL", "ERROR", "WARN", None} == set(whole)


def test_a_stack_trace_under_a_message_says_it_was_an_error():
    entry = 'request handled\nTraceback (most recent call last):\n  File "app.py", line 3'
    assert inferred_from_words(pl.Series([entry])).to_list() == ["ERROR"]


def test_words_are_read_from_the_body_not_the_header():
    line = "Jun 14 15:16:01 error-reporter crashd[12]: upload done"
    body_at = pl.Series([line.index("upload")])
    assert inferred_from_words(pl.Series([line]), body_at).to_list() == [None]
    assert inferred_from_words(pl.Series([line])).to_list() == ["ERROR"]


def test_only_the_first_characters_of_a_body_are_read():
    assert inferred_from_words(pl.Series(["x" * 600 + " error"])).to_list() == [None]


SYSLOG_LINES = [
    "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0",
    "Jun 14 15:16:02 combo sshd(pam_unix)[19937]: check pass; user unknown",
    "Jun 14 15:16:03 combo kernel: Out of memory: Kill process 123 (java)",
    "Jun 14 15:16:04 combo app[3]: connection refused by peer",
    "Jun 14 15:16:05 combo app[3]: no error found",
    "Jun 14 15:16:06 combo su(pam_unix)[21]: session opened for user news by (uid=0)",
]


def test_syslog_without_priority_gets_levels_from_its_words_marked_as_inferred(tmp_path):
    table = ingest([write(tmp_path / "messages", SYSLOG_LINES * 5)]).table.sort("line")
    assert level_list(table)[:6] == ["ERROR", "NONE", "ERROR", "ERROR", "NONE", "NONE"]
    assert inferred(table)[:6] == [True, False, True, True, False, False]
    assert table.schema[LEVEL_INFERRED] == pl.Boolean


def test_an_inferred_level_never_overrides_a_real_one(tmp_path):
    lines = [
        f"2024-01-02 03:04:0{i} {level} {m}"
        for i, (level, m) in enumerate(
            [
                ("INFO", "retry after failed attempt"),
                ("DEBUG", "error counter reset"),
                ("INFO", "started"),
            ]  # fmt: skip
        )
    ] + ["plain line with an error in it"]
    table = table_of(write(tmp_path / "app.log", lines))
    # the last line is a continuation of the third entry: the entries keep their levels
    assert level_list(table) == ["INFO", "DEBUG", "INFO"]
    assert LEVEL_INFERRED not in table.columns


def test_structured_entries_without_a_level_field_infer_from_their_message(tmp_path):
    records = [
        {"time": "2024-01-02T03:04:00Z", "msg": "upload failed: connection reset"},
        {"time": "2024-01-02T03:04:01Z", "msg": "upload done"},
    ]
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["ERROR", "NONE"]
    assert inferred(table) == [True, False]


def test_queries_see_inferred_levels_and_can_tell_them_apart(tmp_path):
    levelled = write(
        tmp_path / "app.log", [f"2024-01-02 03:04:00 ERROR real error {i}" for i in range(3)]
    )
    syslog = write(tmp_path / "messages", SYSLOG_LINES)
    table = ingest([levelled, syslog]).table
    errors = run_query(table, 'filter @level = "ERROR"').frame
    assert errors.height == 6
    guessed = run_query(table, 'filter @level = "ERROR" and ispresent(level_inferred)').frame
    assert guessed.height == 3
    real = run_query(table, 'filter @level = "ERROR" and not ispresent(level_inferred)').frame
    assert real.height == 3


def test_the_inferred_mark_is_exported(tmp_path):
    table = ingest([write(tmp_path / "messages", SYSLOG_LINES)]).table
    out = io.BytesIO()
    write_table(table, out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode())))
    assert [r[LEVEL_INFERRED] for r in rows] == ["true", "", "true", "true", "", ""]


def test_appended_entries_with_inferred_levels_join_a_table_without_any(tmp_path):
    table = ingest([write(tmp_path / "app.log", ["2024-01-02 03:04:00 INFO started"])]).table
    new = ingest([write(tmp_path / "messages", SYSLOG_LINES[:1])]).table.drop("seq")
    grown, order = append_entries(table, [new], time_order(table).to_numpy())
    assert grown.schema[LEVEL_INFERRED] == pl.Boolean
    assert grown[LEVEL_INFERRED].to_list() == [None, True]


# --- the nine Loghub systems ------------------------------------------------------------------


@pytest.mark.slow
def test_loghub_inferred_levels_never_stand_where_a_real_level_is():
    root = loghub_dir()
    if root is None:
        pytest.skip("Loghub 2k samples not found: set LOGVIEW_LOGHUB to the loghub-2k folder")
    shares = {}
    for system in SYSTEMS:
        table = ingest([root / system.name / f"{system.name}_2k.log"]).table.sort("line")
        marks = pl.Series(inferred(table))
        shares[system.name] = marks.mean()
        if system.level is not None:
            truth = pl.read_csv(
                root / system.name / f"{system.name}_2k.log_structured.csv", infer_schema=False
            )
            want = truth.select(normalise(pl.col(system.level))).to_series()
            assert not (marks & want.is_not_null()).any(), system.name
            assert (table["level"].cast(pl.String) == want).fill_null(True).all(), system.name
    # syslog without priorities is no longer all NONE
    assert shares["Linux"] > 0.1 and shares["OpenSSH"] > 0.1

"""Plain text: entries from stamped lines with their continuations, or bare lines."""

from datetime import UTC, datetime

import polars as pl
import pytest

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.terminal import PROMPT_RE
from logview.core.reading.parsers.text import FORMATS, describe, parse_text, sniff
from logview.core.shared.table import PARSED_SCHEMA


def frame(texts: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"line": pl.Series(range(1, len(texts) + 1), dtype=pl.UInt64), "text": texts}
    )


def parse(texts: list[str], **ctx) -> tuple[pl.DataFrame, list[str]]:
    notes: list[str] = []
    parsed = parse_text(frame(texts), ParseContext("app.log", note=notes.append, **ctx))
    return parsed, notes


def sample(texts: list[str]) -> Sample:
    return Sample("app.log", "\n".join(texts).encode(), tuple(t for t in texts if t))


JAVA_LOG = [
    "2024-01-02 03:04:05,100 INFO  [main] Service: started",
    "2024-01-02 03:04:06,200 ERROR [main] Service: request failed",
    "java.lang.IllegalStateException: boom",
    "\tat com.example.Service.handle(Service.java:42)",
    "Caused by: java.io.IOException: no error found in retry",
    "    ... 12 more",
    "",
    "2024-01-02 03:04:07,300 WARN  [main] Service: slow",
]


def test_traceback_lines_join_the_entry_above():
    parsed, _ = parse(JAVA_LOG)
    assert parsed["line"].to_list() == [1, 2, 8]
    assert parsed["level"].to_list() == ["INFO", "ERROR", "WARN"]
    assert parsed["message"][1] == "\n".join(JAVA_LOG[1:6])
    assert parsed["ts"].to_list() == [
        datetime(2024, 1, 2, 3, 4, 5, 100000, tzinfo=UTC),
        datetime(2024, 1, 2, 3, 4, 6, 200000, tzinfo=UTC),
        datetime(2024, 1, 2, 3, 4, 7, 300000, tzinfo=UTC),
    ]


def test_output_has_exactly_the_parsed_schema():
    parsed, _ = parse(JAVA_LOG)
    # Stamped text says where each entry's body starts: after its stamp.
    assert dict(parsed.schema) == PARSED_SCHEMA | {"body_at": pl.UInt32}
    empty = parse_text(frame([]), ParseContext("empty.log"))
    assert dict(empty.schema) == PARSED_SCHEMA and empty.height == 0


def test_lines_before_the_first_stamp_form_their_own_entry():
    parsed, _ = parse(["banner line", "  more banner", *JAVA_LOG[:2]])
    assert parsed["line"].to_list() == [1, 3, 4]
    assert parsed["message"][0] == "banner line\n  more banner"
    assert parsed["ts"][0] is None


def test_each_unindented_line_before_the_first_stamp_is_an_entry_of_its_own():
    # a program's start-up lines, written before its logger prints stamps (Unreal Engine's
    # `Category: message` lines, then `[yyyy.MM.dd-HH.mm.ss:mmm][frame]Category: ...`)
    texts = [
        "LogWindows: Failed to load 'aqProf.dll' (GetLastError=126)",
        "LogInit: Display: Running engine for game: ShooterGame",
        "[2024.03.14-08.26.50:412][  0]LogConfig: Applying CVar settings",
        "[2024.03.14-08.26.55:002][ 37]LogStreaming: Warning: Failed to read file",
        "continued text of the warning",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["ts"].to_list()[2:] == [
        datetime(2024, 3, 14, 8, 26, 50, 412000, tzinfo=UTC),
        datetime(2024, 3, 14, 8, 26, 55, 2000, tzinfo=UTC),
    ]
    assert parsed["level"].to_list()[3] == "WARN"
    assert parsed["message"][3].endswith("continued text of the warning")


def test_a_banner_before_the_first_stamp_keeps_the_date_it_states():
    # Ruby's Logger opens its file with a line of its own, then `L, [stamp #pid] LEVEL -- :`
    texts = [
        "# Logfile created on 2024-03-14 09:26:53 +0000 by logger.rb/v1.6.0",
        "I, [2024-03-14T09:26:53.589012 #23817]  INFO -- : Booting",
        "W, [2024-03-14T09:26:54.001002 #23817]  WARN -- : slow start",
        "I, [2024-03-14T09:26:55.000001 #23817]  INFO -- : Ready",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["ts"][0] == datetime(2024, 3, 14, 9, 26, 53, tzinfo=UTC)
    assert parsed["level"].to_list() == [None, "INFO", "WARN", "INFO"]
    # A kernel's console line before it states its build's date, which is no stamp.
    kernel = "[    0.000000] Linux version 4.14.54-UBNT (gcc 4.8.3) #1 SMP Fri Mar 15 15:13:12 2024"
    parsed, _ = parse([kernel, *texts[1:]])
    assert parsed["line"][0] == 1 and parsed["ts"][0] is None


def test_a_banner_drawn_in_punctuation_is_one_entry_and_its_text_lines_are_their_own():
    # A framework's ASCII-art banner (Quarkus draws its name in `_/\|-`), then a line that
    # says something before the logger starts: art is one picture, words are a message.
    texts = [
        "__  ____  __  _____   ___  __ ____  ______ ",
        " --/ __ \\/ / / / _ | / _ \\/ //_/ / / / __/ ",
        "--\\___\\_\\____/_/ |_/_/|_/_/|_|\\____/___/   ",
        "Starting the service",
        "2024-03-14 09:26:53,589 INFO  [io.quarkus] (main) started in 1.842s",
        "2024-03-14 09:26:54,001 WARN  [io.agroal] (pool) connection refused",
        "===========================================",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 4, 5, 6]
    assert parsed["message"][0].count("\n") == 2
    # After the first stamp, a rule of `=` is part of the entry above, as any line is.
    assert parsed["message"][3].endswith("\n=====" + "=" * 38)


def test_bare_text_joins_punctuation_lines_to_the_line_above():
    texts = ["Result of the check", "-------------------", "all good", "}"]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 3]


def test_a_stack_trace_stamped_line_by_line_stays_with_its_entry():
    # `kubectl logs --timestamps` over a Python app's default logging format
    texts = [
        "2024-03-14T09:27:40.120330000Z ERROR:worker:job 88121 failed",
        "2024-03-14T09:27:40.120330000Z Traceback (most recent call last):",
        '2024-03-14T09:27:40.120331000Z   File "/app/worker.py", line 41, in run_job',
        "2024-03-14T09:27:40.120331000Z     send_mail(job)",
        "2024-03-14T09:27:40.120332000Z ConnectionRefusedError: [Errno 111] Connection refused",
        "2024-03-14T09:27:40.130000000Z INFO:worker:retrying job 88121",
        # a Java stack from a collector that stamps each line
        "2024-03-14T09:27:41.000000000Z SEVERE: request failed",
        "2024-03-14T09:27:41.000100000Z java.lang.IllegalStateException: boom",
        "2024-03-14T09:27:41.000200000Z \tat com.example.Service.handle(Service.java:42)",
        "2024-03-14T09:27:41.000300000Z Caused by: java.io.IOException: closed",
        # a frame whose qualified name runs past the characters looked at
        "2024-03-14T09:27:41.000400000Z \tat org.apache.cassandra.db.compaction.CompactionTask"
        ".buildCompactionCandidatesForAvailableDiskSpace(CompactionTask.java:406)",
        # the same marker much later is a message of its own
        "2024-03-14T09:29:00.000000000Z ValueError: seen again",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 6, 7, 12]
    assert parsed["level"].to_list()[:3] == ["ERROR", "INFO", "ERROR"]
    # Tomcat's own header names its month (`28-Jun-2024 ...`): its lines have a header too.
    tomcat = [
        "2024-06-28T09:26:43.217904316Z 28-Jun-2024 09:26:43.217 SEVERE [http-nio-8080-exec-7] "
        "org.apache.catalina.core.StandardWrapperValve.invoke Servlet.service() threw",
        "2024-06-28T09:26:43.217951870Z \tjava.sql.SQLTransientConnectionException: timed out",
        "2024-06-28T09:26:43.217960212Z \t\tat com.zaxxer.hikari.pool.HikariPool.get(Hikari.java:1)",
        "2024-06-28T09:31:05.402377188Z 28-Jun-2024 09:31:05.402 INFO [Thread-1] "
        "org.apache.coyote.AbstractProtocol.pause Pausing ProtocolHandler",
        "2024-06-28T09:31:05.411069245Z 28-Jun-2024 09:31:05.411 INFO [Thread-1] "
        "org.apache.catalina.core.StandardService.stopInternal Stopping service",
    ]
    assert parse(tomcat)[0]["line"].to_list() == [1, 4, 5]
    # A blank line of the message, nothing after the transport's stamp, is one of its lines.
    blank = [tomcat[0], "2024-06-28T09:26:43.217904316Z ", *tomcat[1:]]
    assert parse(blank)[0]["line"].to_list() == [1, 5, 6]


def test_a_severity_column_before_the_stamp_gives_the_level():
    # Cisco UCS's `show fault` and HPE's `hplog -v`: the severity first (after a row's number).
    ucs = [
        "Severity  Code     Last Transition Time     ID       Description",
        "--------- -------- ------------------------ -------- -----------",
        "Major     F0207    2024-06-29T06:12:55.118  5120291  Adapter link state: down",
        "Warning   F0156    2024-06-28T15:21:47.773  5118012  BIOS failed power-on self test",
        "Info      F0868    2024-06-27T19:44:11.502  5116209  Inventory pending for server 1/8",
    ]
    parsed, _ = parse(ucs)
    assert parsed["level"].to_list() == ["ERROR", "WARN", "INFO"]
    hplog = [
        "0000 Information    09:41:00 01/16/2024 Maintenance note: IML cleared",
        "0002 Caution        02:17:00 03/05/2024 System Power Supplies Not Redundant",
        "0003 Critical       02:18:00 03/05/2024 Power Supply Failure",
    ]
    parsed, _ = parse(hplog)
    assert parsed["level"].to_list() == ["INFO", "WARN", "FATAL"]


def test_logcats_buffer_markers_are_no_entries_in_plain_text_either():
    # logcat's output wrapped by an 80-column terminal no longer sniffs as logcat.
    texts = [
        "--------- beginning of system",
        "06-29 14:02:11.482  1523  1601 I ActivityManager: Start proc 8812:com.example.sh",
        "op/u0a245 for pre-top-activity {com.example.shop/com.example.shop.MainActivity}",
        "--------- beginning of main",
        "06-29 14:02:11.530  8812  8812 I com.example.shop: Late-enabling -Xcheck:jni",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [2, 5]
    assert not parsed["message"][0].endswith("beginning of main")
    assert any("buffer marker" in note for note in notes)


def test_a_terminal_sessions_prompts_and_headers_are_no_entries():
    # `show log` saved from an SSH session: the prompt, the command's header, the records,
    # a footer after them, the next prompt.
    texts = [
        "X460G2-48p.7 # show log",
        "Log messages for the last 24 hours:",
        "03/14/2024 09:33:51.29 <Info:AAA.authPass> Login passed for user netops",
        "03/14/2024 09:29:40.18 <Warn:ELRP.Report.Message> LOOP DETECTED",
        "A total of 2 log messages were displayed.",
        "X460G2-48p.8 # ",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [3, 4]
    assert parsed["level"].to_list() == ["INFO", "WARN"]
    assert parsed["message"][1].endswith("\nA total of 2 log messages were displayed.")
    assert any("3 lines of a terminal session" in note for note in notes)
    # Without a prompt before the first record, the lines before it are entries as ever.
    parsed, _ = parse(texts[1:5])
    assert parsed["line"].to_list() == [1, 2, 3]


def test_sterns_notices_of_the_containers_it_follows_are_no_entries():
    texts = [
        "+ mongo-rs0-0 › mongod",
        "+ mongo-rs0-1 › mongod",
        "mongo-rs0-0 mongod 2024-06-28T09:14:02.104Z I NETWORK [listener] connection accepted",
        "mongo-rs0-1 mongod 2024-06-28T09:14:03.872Z W COMMAND [conn18791] slow query",
        "- mongo-rs0-1 › mongod",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [3, 4]
    assert "3 kubectl or stern notice lines not read as entries" in notes


def test_what_a_program_run_at_a_shells_prompt_prints_above_its_records_is_entries():
    # Discord started from a terminal: its own lines, then Chromium's stamped ones
    texts = [
        "tb@lynx:~$ discord --ozone-platform=wayland 2>&1 | tee discord-terminal.txt",
        "Discord 0.0.58",
        "Starting app.",
        "[Modules] Modules initializing",
        "[47210:0627/213302.551830:ERROR:wayland_event_watcher.cc(47)] libwayland: warning",
        "[47246:0627/213303.882104:ERROR:gl_display.cc(520)] EGL Driver message (Critical)",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [2, 3, 4, 5, 6]
    assert parsed["ts"][0] is None
    # sudo's password prompt is the session's; a header of `name: value` lines (ngrep's)
    # is the command's, as a device's `show logging` header is
    sudo = [
        "ops@web03:~$ sudo journalctl -u nginx.service -o short-iso",
        "[sudo] password for ops: ",
        "2024-06-21T15:41:12+02:00 web03 nginx[1188]: upstream response is buffered",
        "2024-06-21T15:47:55+02:00 web03 nginx[1189]: connect() failed (111)",
    ]
    assert parse(sudo)[0]["line"].to_list() == [3, 4]
    ngrep = [
        "root@pbx-ber02:~# ngrep -d eth0 -t -q -W byline 3107 port 5060",
        "interface: eth0 (10.90.0.0/255.255.255.0)",
        "filter: ( port 5060 ) and ((ip || ip6) || (vlan && (ip || ip6)))",
        "match: 3107",
        "U 2024/06/12 07:15:44.902113 10.90.0.57:5062 -> 10.90.0.10:5060",
        "REGISTER sip:10.90.0.10:5060 SIP/2.0.",
        "U 2024/06/12 07:15:44.903480 10.90.0.10:5060 -> 10.90.0.57:5062",
        "SIP/2.0 401 Unauthorized.",
    ]
    assert parse(ngrep)[0]["line"].to_list() == [5, 7]


def test_kubectls_notice_of_the_pod_it_picked_is_no_entry():
    texts = [
        "Found 3 pods, using pod/payments-api-6f9c7d8b5-k2xqz",
        'Defaulted container "api" out of: api, istio-proxy',
        "2024-06-21T13:48:02.118734Z INFO:     10.244.3.1:48812 - GET /healthz 200",
        "2024-06-21T13:48:09.977015Z WARNING:payments.psp:PSP call timed out",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [3, 4]
    assert "2 kubectl or stern notice lines not read as entries" in notes


def test_a_consoles_output_reached_from_a_prompt_is_entries_not_a_commands_headers():
    # iDRAC's `console com2`: a crash, a reboot, the login, then the journal
    texts = [
        "racadm>>console com2",
        "Connected to Serial Device 2. To end type: ^\\",
        "[3801744.119530] watchdog: BUG: soft lockup - CPU#12 stuck for 22s!",
        "[3801744.157804] Kernel panic - not syncing: softlockup: hung tasks",
        "[   58.771034] reboot: Restarting system",
        "Initializing firmware interfaces...",
        "hv-db11 login: root",
        "Password: ",
        "[root@hv-db11 ~]# journalctl -b -1 -o short-iso -n 2",
        "2024-06-12T01:46:58+00:00 hv-db11 kernel: megaraid_sas 0000:3b:00.0: FW in FAULT state",
        "2024-06-12T01:47:01+00:00 hv-db11 kernel: megaraid_sas 0000:3b:00.0: resetting",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [2, 3, 4, 5, 6, 10, 11]
    # A command's headers above its records are still no entries.
    show = ["sw1# show logging", "Log Buffer (8192 bytes):", *texts[9:]]
    assert parse(show)[0]["line"].to_list() == [3, 4]
    # What a console printed before its login prompt (a boot without a kernel's lines) is
    # the device's; from the login on, the session's.
    boot = [
        "Booting PAN-OS sysroot1 (10.2.9-h1) ...",
        "Mounting local filesystems:                                [  OK  ]",
        "PA-3220 login: admin",
        "Password: ",
        "Last login: Thu Jun 27 04:51:09 on ttyS0",
        "admin@PA-3220> show log system direction equal backward",
        "Time                Severity Subtype Object EventID ID Description",
        *texts[9:],
    ]
    assert parse(boot)[0]["line"].to_list() == [1, 2, 8, 9]


def test_a_terminal_programs_stamped_frame_is_an_entry_and_its_session_still_is_none():
    # script(1)'s header and footer around an ssh session: stamped lines, entries with their
    # times (the offset read); the prompts after the header are still before the log's first
    # record, the session's, no entries.
    texts = [
        'Script started on 2024-06-12 10:31:18-07:00 [TERM="xterm-256color" TTY="/dev/pts/1"]',
        "cumulus@leaf07:mgmt:~$ sudo tail -n 2 /var/log/syslog",
        "2024-06-12T17:20:04.118236+00:00 leaf07 switchd[2217]: swp31: oper state down",
        "2024-06-12T17:24:50.884312+00:00 leaf07 bgpd[3125]: %ADJCHANGE: neighbor Down",
        "cumulus@leaf07:mgmt:~$ exit",
        "",
        'Script done on 2024-06-12 10:37:14-07:00 [COMMAND_EXIT_CODE="0"]',
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [1, 3, 4, 7]
    assert parsed["ts"][0] == datetime(2024, 6, 12, 17, 31, 18, tzinfo=UTC)
    assert parsed["ts"][3] == datetime(2024, 6, 12, 17, 37, 14, tzinfo=UTC)
    assert parsed["level"].to_list()[::3] == [None, None]
    assert any("2 lines of a terminal session" in note for note in notes)
    # The same where the log has no stamps of its own (a console reached over ipmitool, whose
    # notices around the session are no entries either).
    sol = [texts[0], "admin@jump02:~$ ipmitool -I lanplus -H 10.0.0.4 sol activate"]
    sol += ["[SOL Session operational.  Use ~? for help]"]
    sol += [f"[1209338.41208{i}] nvme nvme2: I/O tag 41{i} timeout, aborting" for i in range(5)]
    sol += ["[terminated ipmitool]", "admin@jump02:~$ exit", texts[-1]]
    parsed, _ = parse(sol)
    assert parsed["line"].to_list() == [1, 4, 5, 6, 7, 8, 11]
    assert parsed["ts"][-1] == datetime(2024, 6, 12, 17, 37, 14, tzinfo=UTC)
    # PuTTY's header alike; a line later in the log that quotes one is the log's.
    putty = "=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2024.06.12 10:14:52 =~=~=~=~=~=~=~=~=~=~=~="
    parsed, _ = parse([putty, "IDF4#show logging", *texts[2:4]])
    assert parsed["line"].to_list() == [1, 3, 4]
    assert parsed["ts"][0] == datetime(2024, 6, 12, 10, 14, 52, tzinfo=UTC)
    parsed, _ = parse([texts[2], "Script started on 2024-06-12 by cron", texts[3]])
    assert parsed["line"].to_list() == [1, 3]


def test_a_level_tag_padded_in_its_brackets_opens_an_entry_among_uptimes():
    # coreboot's own lines again after a kernel panic (the machine power-cycled)
    texts = [
        "[NOTE ]  coreboot-v1.1.2 x86_32 bootblock starting (log level: 7)...",
        "[INFO ]  Timestamp - end of bootblock: 112450223",
        '[    2.091774] VFS: Cannot open root device "UUID=8d1f0e3a" or unknown-block(0,0)',
        "[    2.104882] Kernel panic - not syncing: VFS: Unable to mount root fs",
        "[    2.178384] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs ]---",
        "[NOTE ]  coreboot-v1.1.2 x86_32 bootblock starting (log level: 7)...",
        "[WARN ]  SMBus: block read error on slave 0x52",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5, 6, 7]
    assert parsed["level"].gather([0, 1, 5, 6]).to_list() == ["INFO", "INFO", "INFO", "WARN"]


def test_gnu_screens_time_stamp_lines_are_entries_with_their_time():
    # `screen -L` with `logtstamp on` over a console whose lines carry uptimes alone
    texts = [
        "[   14.118224@1] init: starting service 'tvserver'...",
        "[   21.337560@0] INFO: rcu_preempt detected stalls on CPUs/tasks:",
        "-- 0:ttyUSB0 -- time-stamp -- Jun/14/24  9:06:41 --",
        "[   21.337571@0] \t3-...: (1 GPs behind) idle=7c6/140000000000000/0",
        "-- 0:ttyUSB0 -- time-stamp -- Jun/14/24 19:11:03 --",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5]
    assert parsed["ts"].to_list() == [
        None, None, datetime(2024, 6, 14, 9, 6, 41, tzinfo=UTC), None,
        datetime(2024, 6, 14, 19, 11, 3, tzinfo=UTC),
    ]  # fmt: skip
    # Read in the source's zone, as any stamp without one.
    parsed, _ = parse(texts, tz="Europe/Berlin")
    assert parsed["ts"][2] == datetime(2024, 6, 14, 7, 6, 41, tzinfo=UTC)
    # Among stamped lines too: before the first, as a banner's line; after it, a record.
    stamped = [
        texts[2],
        "Jun 14 09:07:02 erx-pop7 pppd[2211]: local  IP address 203.0.113.86",
        "Jun 14 09:07:03 erx-pop7 zebra[1432]: interface pppoe0 index 11 is now up",
        texts[4],
    ]
    parsed, _ = parse(stamped, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["ts"][3] == datetime(2024, 6, 14, 19, 11, 3, tzinfo=UTC)


def test_ciscos_clock_mark_after_a_sequence_number_still_starts_an_entry():
    # After a reload the clock is not yet authoritative: `*` before the stamp.
    texts = [
        "000212: Jun 12 10:11:20.004 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success",
        "000213: Jun 12 10:16:05.227 UTC: %SYS-5-RELOAD: Reload requested by netops",
        "Chassis 1 reloading, reason - Reload command",
        "000001: *Jun 12 10:21:44.019 UTC: %SYS-5-RESTART: System restarted --",
        "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software, Version 17.9.4a",
        "000002: .Jun 12 10:21:52.330 UTC: %LINK-3-UPDOWN: Interface Gi1/0/48, changed state",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 2, 4, 6]
    assert parsed["ts"][2] == datetime(2024, 6, 12, 10, 21, 44, 19000, tzinfo=UTC)
    assert parsed["level"].to_list() == ["INFO", "INFO", "INFO", "ERROR"]
    # Every line so marked (a buffer since the reload), to the second: still dated.
    ruijie = [f"00223{i}: *Jun 26 08:4{i}:15: %LINK-3-UPDOWN: Gi0/{i} down" for i in range(5)]
    parsed, _ = parse(ruijie, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["ts"][0] == datetime(2024, 6, 26, 8, 40, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    "prompt",
    [
        "6300-core1# show events -r -n 14",  # a host name opening with digits
        "pi@sensorpi-07:~ $ journalctl -b --no-pager -n 22",  # Raspberry Pi OS
        "[root@mgmt01 ~]# tail -n 3 /var/log/messages",  # Red Hat's
        "racadm>>racadm getsel",  # iDRAC's shell
        "(M4300-28G-PoE+) #show logging buffered",  # NETGEAR's (and Dell's) switches
        "(mc1-7210) [MDC] #show log system 25",  # ArubaOS 8's controllers (the node after)
        "[root@esx-prod-07:~] tail -n 38 /var/log/vpxa.log",  # ESXi's shell
        "# show events last 18",  # a bare root prompt (a storage array's CLI)
        "$ tail -n 3 /var/log/syslog",  # a bare user prompt
        "* core1-x460g2.4 # show log",  # ExtremeXOS, with its unsaved-changes mark
        "[admin@bigip-apm01:Active:In Sync] ~ # tail -n 18 /var/log/apm",  # F5's
        "root@truenas-bk01[~]# tail -n 23 /var/log/middlewared.log",  # FreeBSD's csh
        "PS C:\\Users\\adm-jkoch> Get-Content C:\\logs\\app.log -Tail 3",  # PowerShell's
        "PS /home/ops> Get-Content ./app.log -Tail 3",  # PowerShell on Linux
        "C:\\Program Files\\Vendor CLI>vcli -d 10.0.0.20 /event show",  # cmd.exe's
        "3par-8400-prod cli% showeventlog -min 180",  # HPE 3PAR's
        "(Cisco Controller) >show msglog",  # Cisco's wireless controllers
        "SSH@ICX7650-48ZP-core1#show logging",  # Ruckus ICX (the session's kind, an `@`)
        "sn2410-tor22 [mlag-dom1: master] # show log",  # NVIDIA Onyx (its role in brackets)
        "apc>eventlog",  # APC's network management cards
        "> show logging",  # Cisco FTD's CLISH
        "[2.4.5-RELEASE][admin@pfsense-hq01.example.com]/root: clog /var/log/openvpn.log",
        "XGS2100_RL01_SFOS 20.0.1 MR-1# tail -n 24 /log/strongswan.log",  # Sophos SFOS
        "SP nas-a300-02> system console",  # NetApp's service processor (its mode, its host)
        "% xcrun simctl spawn booted log stream --level debug",  # zsh's bare prompt
        "marta@Martas-MacBook-Pro ~ % log show --last 2h",  # zsh's default (macOS)
        "* Slot-1 DC3-X670G2-stack.7 # show log",  # ExtremeXOS on a stack (the slot first)
        "pbx-lon01*CLI> pjsip set logger host 10.60.4.31",  # Asterisk's remote console
        "$ RUST_LOG=debug,hyper=info cargo run --bin mailq",  # the environment set first
        "$ RUST_LOG=app=debug ./target/release/quarry-indexer --config q.toml",
        "(.venv) maya@x13:~/src/pkgsync$ pkgsync push -v",  # a Python environment's name
    ],
)
def test_prompts_of_many_shells_open_a_terminal_session(prompt):
    texts = [
        prompt,
        "Mar 14 09:21:01 pi-07 dhcpcd[402]: wlan0: carrier acquired",
        "Mar 14 09:21:03 pi-07 dhcpcd[402]: wlan0: leased 192.168.10.57",
        "Mar 14 09:21:06 pi-07 logger[455]: started",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [2, 3, 4]


def test_a_session_a_terminal_stamped_line_by_line_is_no_entry():
    # ts(1) over a firewall's console: the prompts, the login, the password prompt and the
    # empty lines carry the terminal's stamp too, but are the session's.
    texts = [
        "2024-06-05 01:27:40.118304 admin@PA-850-fra2-fw1> ",
        "2024-06-05 01:27:52.660951 ",
        "2024-06-05 01:27:52.661504 The system is going down for reboot NOW!",
        "2024-06-05 01:27:55.001742 INIT: Switching to runlevel: 6",
        "2024-06-05 01:33:47.455291 PA-850-fra2-fw1 login: admin",
        "2024-06-05 01:33:51.108840 Password: ",
        "2024-06-05 01:33:52.940127 Last login: Tue Jun  4 17:03:11 on ttyS0",
        "2024-06-05 01:34:20.016473 admin@PA-850-fra2-fw1> show log system direction equal backward",
        "2024-06-05 01:34:22.384106 Time                Severity   Subtype Description",
        "2024-06-05 01:34:22.384322 ===============================================",
        "2024-06-05 01:34:22.384509 2024/06/05 01:33:40 informational general  The system is ready.",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [3, 4, 7, 11]
    assert any("7 lines of a terminal session" in note for note in notes)
    # Without a prompt with nothing typed or a login, a stamped empty line is the log's (a CI
    # runner's stamp on each line of a job's output).
    ci = [texts[2], "2024-06-05 01:27:52.660951 ", texts[3]]
    assert parse(ci)[0]["line"].to_list() == [1, 2, 3]


def test_a_stamped_capture_opening_with_a_command_or_at_a_boot_loader_is_a_session():
    # SecureCRT's stamp on each line; the capture opens with the command typed at the prompt.
    texts = [
        "[2024-06-22 02:14:05.311] sw1#install add file flash:cat9k.bin activate commit",
        "[2024-06-22 02:14:06.027] install_add_activate_commit: START Sat Jun 22 02:14:06 2024",
        "[2024-06-22 02:14:07.415] Jun 22 02:14:07.412: %INSTALL-5-INSTALL_START_INFO: started",
    ]
    assert parse(texts)[0]["line"].to_list() == [2, 3]
    # minicom's banner, U-Boot's `=> ` prompts under minicom's stamps, a switch's `User:`
    # before its password prompt, Junos's `{master:0}` above its prompt.
    texts = [
        "Welcome to minicom 2.8",
        "",
        "OPTIONS: I18n",
        "Port /dev/ttyUSB0, 21:02:55",
        "Press CTRL-A Z for help on special keys",
        "[2024-06-14 21:03:14.921] ERROR: can't get kernel image!",
        "[2024-06-14 21:03:16.022] => ",
        "[2024-06-14 21:04:02.377] => setenv ipaddr 192.168.50.1",
        "[2024-06-14 21:04:09.131] Using bcmbca_xrdp_eth device",
        "[2024-06-14 21:04:31.442] User: admin",
        "[2024-06-14 21:04:33.019] Password:",
        "[2024-06-14 21:04:40.000] {master:0}",
        "[2024-06-14 21:04:47.281] Process Manager (nanny) starting /mswitch/bin/fpapps",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [6, 9, 13]
    # (a `User:` line not before a password prompt is a message)
    assert len(parse([texts[5], "[2024-06-14 21:04:31.442] User: admin", texts[8]])[0]) == 3


def test_a_consoles_login_and_a_question_answered_are_no_entries_without_stamps():
    texts = [
        "FG200F-HQ # execute restore image tftp image.out 10.20.0.15",
        "This operation will replace the current firmware version and reboot the system!",
        "Do you want to continue? (y/n)y",
        "Get image from tftp server OK.",
        "FG200F-HQ login: admin",
        "Password: ",
        "Welcome!",
        "Connection to 10.20.0.1 closed.",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [2, 4, 7]
    assert any("5 lines of a terminal session" in note for note in notes)


def test_questions_new_passwords_and_a_commands_table_heading_are_a_sessions_lines():
    # PAN-OS's CLI (its `show jobs` table), Junos's recovery, IOS XE's ROMMON, none stamped.
    texts = [
        "admin@fw-br-440> show jobs id 88",
        "Enqueued             Dequeued    ID  Type    Status Result",
        "--------------------------------------------------------------",
        "2024/06/24 07:11:06  07:11:06    88  Downld  FIN    OK",
        "admin@fw-br-440> request restart system",
        "Executing this command will disconnect the current session. Do you want to continue? (y or n) ",
        "root# set system root-authentication plain-text-password",
        "New password:",
        "Retype new password:",
        "Are you sure you want to proceed? [y] y/n [n]: y",
        "Starting system recovery ...",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [4, 11]
    assert any("9 lines of a terminal session" in note for note in notes)
    # (column names over no rule, and a rule under a line with figures, are the output's)
    texts = ["admin@fw> show jobs", "Status  Result  Type", "FIN  OK  Downld", "88  1  2", "-" * 20]
    assert parse(texts)[0]["line"].to_list() == [2, 3, 4]


def test_a_login_before_a_password_a_wall_message_and_a_confirmation_without_stamps():
    # FortiOS's config prompt (the object in parentheses), RouterOS's login and its new
    # password's prompt, EdgeOS's confirmation with its default, wall(1)'s message.
    texts = [
        "FW-STORE118 # config system admin",
        "FW-STORE118 (admin) # edit admin",
        "MikroTik Login: admin",
        "Password:",
        "new password> **********",
        "Password changed",
        "ubnt@er12:~$ reboot",
        "Proceed with reboot? [confirm][y] ",
        "",
        "Broadcast message from root@er12 (ttyS0) (Fri Jun 21 16:43:52 2024):",
        "",
        "The system is going down for reboot NOW!",
        "Welcome to EdgeOS er12 ttyS0",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [6, 10, 13]
    assert "going down for reboot" in parsed["message"][1]
    # (a `Login:` line not before a password prompt is a message)
    assert parse(["x # show", "Service Login: admin", "Done"])[0]["line"].to_list() == [2, 3]


def test_cisco_rom_monitors_prompts_are_a_sessions_lines_without_stamps():
    texts = [
        'boot: error executing "boot bootflash:packages.conf"',
        "switch: set IP_ADDRESS=10.50.0.44",
        "switch: emergency-install tftp://10.50.0.21/cat9k_iosxe.17.09.05.SPA.bin",
        "rommon 1 > confreg 0x2142",
        "You must reset or power cycle for new config to take effect",
        "rommon 2 >",
    ]
    assert parse(texts)[0]["line"].to_list() == [1, 5]


def test_the_same_prompt_twice_under_a_terminals_stamps_shows_a_session():
    # ONIE's shell in a minicom capture stamped line by line: no prompt with nothing typed,
    # but the same prompt before two commands.
    texts = [
        "[2024-06-21 13:04:31.668] ** Installer Mode Enabled **",
        "[2024-06-21 13:04:35.905] ONIE:/ # onie-discovery-stop",
        "[2024-06-21 13:04:35.921] discover: installer mode detected.",
        "[2024-06-21 13:05:02.114] ONIE:/ # onie-nos-install tftp://10.60.8.5/os10/installer.bin",
        "[2024-06-21 13:05:03.247] Info: Fetching tftp://10.60.8.5/os10/installer.bin ...",
    ]
    assert parse(texts)[0]["line"].to_list() == [1, 3, 5]
    # (once, it may be a message's; a CI job's `$ command` echoes are its lines)
    assert parse(texts[:3] + texts[4:])[0].height == 4
    ci = ["2024-06-18T09:40:59.000001Z 00O Running with gitlab-runner 17.0.0"]
    ci += [f"2024-06-18T09:41:0{i}.431870Z 00O $ make step{i}" for i in range(3)]
    assert parse(ci)[0].height == 4


def test_a_stamped_title_opening_the_file_is_an_entry_with_the_settings_under_it():
    # Moonraker's log: its start, a title between rules holding the time, then its settings.
    texts = [
        "-------------------- Log Start | Sat Jun 29 14:02:10 2024 --------------------",
        "data_path: /home/pi/printer_data",
        "verbose: False",
        "debug: False",
        "2024-06-29 14:02:10,944 [server.py:start_server()] - Starting Moonraker on port 7125",
        "2024-06-29 14:02:11,207 [database.py:__init__()] - Loading Sqlite database",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 5, 6]
    assert parsed["ts"][0] == datetime(2024, 6, 29, 14, 2, 10, tzinfo=UTC)
    assert parsed["message"][0].endswith("debug: False")
    # (a title without a stamp is the page's heading, no entry: an Axis camera's)
    parsed, _ = parse(["----- System log -----", *texts[4:]])
    assert parsed["line"].to_list() == [2, 3]


def test_a_picture_in_punctuation_opening_text_and_a_log_line_after_a_prompt():
    # PX4's console: its name drawn in ASCII art, its log lines, one printed right after the
    # `pxh> ` prompt, and commands typed there.
    texts = [
        "______  __   __    ___",
        "| ___ \\ \\ \\ / /   /   |",
        "| |_/ /  \\ V /   / /| |",
        "",
        "INFO  [px4] startup script: /bin/sh etc/init.d-posix/rcS 0",
        "pxh> INFO  [tone_alarm] home set",
        "ERROR [sensors] Accel #0 fail:  TIMEOUT!",
        "pxh> commander arm",
        "WARN  [commander] Arming denied: Resolve system health failures first",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [5, 6, 7, 9]
    assert parsed["level"].to_list() == ["INFO", "INFO", "ERROR", "WARN"]
    assert any("3 lines of a picture" in note for note in notes)


def test_a_boot_menus_prompt_is_a_sessions_line():
    texts = [
        "[Wed Jun 26 18:05:46.339 2024] Select an option. If no selection in 2 seconds then boot.",
        "[Wed Jun 26 18:05:46.344 2024] 1 - Start operational code.",
        "[Wed Jun 26 18:05:46.349 2024] Select (1, 2):",
        "[Wed Jun 26 18:05:48.360 2024] Operational Code Date: Tue Apr  9 06:41:27 2024",
        "[Wed Jun 26 18:08:02.631 2024] User:admin",
        "[Wed Jun 26 18:08:05.118 2024] Password:************",
        "[Wed Jun 26 18:08:05.640 2024] (M4300-52G) >",
    ]
    assert parse(texts)[0]["line"].to_list() == [1, 2, 4]


def test_systemds_lines_about_a_unit_after_a_stack_trace_are_entries():
    # `journalctl -u nodered -o cat`: Node-RED's lines, a crash's stack, then systemd's.
    texts = [
        "29 Jun 14:31:17 - [error] TypeError: Cannot read properties of null (reading 'write')",
        "    at SerialPortNode.emit (node:events:517:28)",
        "nodered.service: Main process exited, code=exited, status=1/FAILURE",
        "nodered.service: Scheduled restart job, restart counter is at 1.",
        "Stopped nodered.service - Node-RED graphical event wiring tool.",
        "29 Jun 14:31:38 - [info] Node-RED version: v3.1.9",
    ]
    assert parse(texts)[0]["line"].to_list() == [1, 3, 4, 5, 6]
    # On a console, systemd's pointer under a failed unit's line is that line's.
    console = [
        "[    3.902117] EXT4-fs (nvme1n1): VFS: Can't find ext4 filesystem",
        "[FAILED] Failed to mount data.mount - /data.",
        "See 'systemctl status data.mount' for details.",
        "[DEPEND] Dependency failed for local-fs.target - Local File Systems.",
    ]
    parsed, _ = parse(console)
    assert parsed["line"].to_list() == [1, 2, 4]
    assert parsed["message"][1].endswith("for details.")


def test_client_gos_trace_lines_continue_the_line_that_opens_the_trace():
    texts = [
        '[INFO] plugin/kubernetes: Trace[1427131847]: "Reflector ListAndWatch" (total time: 30s):',
        'Trace[1427131847]: ---"Objects listed" error:Get "https://10.96.0.1:443/api/v1/x": timeout',
        "Trace[1427131847]: [30.001367104s] [30.001367104s] END",
        '[INFO] 10.244.3.17:41822 - 5309 "A IN orders-db.payments.svc.cluster.local. udp 65"',
    ]
    # (CoreDNS's lines around it, none stamped: the trace's id is no epoch here)
    texts = ["[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc"] * 8 + texts
    assert parse(texts)[0]["line"].to_list() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 12]


def test_indented_lines_opening_with_the_sources_stamp_are_entries():
    # RouterOS's `/log print` indents its lines by a space; the console's own log lines (its
    # echo of today's messages) are not indented. A stack's frames are no stamps.
    texts = [
        "14:02:48 system,info,account user admin logged in from 10.20.0.17 via ssh",
        "14:02:51 system,error,critical login failure for user admin from 10.20.0.17",
        '[admin@rb4011] > /log/print where topics~"warning"',
        " 13:41:07 dhcp,warning dhcp-lan offering lease 192.168.88.14 without success",
        " 13:52:30 interface,warning ether5 excessive or late collision",
        "14:03:09 system,error,critical login failure for user admin from 10.20.0.17",
        "    at frame",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 6, 17, 15, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 2, 4, 5, 6]
    assert parsed["ts"][2] == datetime(2024, 6, 17, 13, 41, 7, tzinfo=UTC)
    # (one indented line with a stamp is a message's own line)
    parsed, _ = parse([texts[0], texts[1], texts[3], texts[5]])
    assert parsed["line"].to_list() == [1, 2, 4]


def test_a_devices_settings_block_and_column_names_above_its_table_are_no_entries():
    texts = [
        "Server name : MB3180_PumpSt3",
        "Model name  : MGate MB3180",
        "Firmware    : Ver 2.2 Build 21082616",
        "",
        "Index  Date        Time      Startup        Event",
        "1      2024/06/25  22:47:03  12d04h31m50s   Console(web) login OK, user: admin",
        "2      1970/01/01  00:00:05  0d00h00m05s    Cold start",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [6, 7]
    assert parsed["ts"].to_list() == [datetime(2024, 6, 25, 22, 47, 3, tzinfo=UTC),
                                      datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC)]  # fmt: skip
    assert any("4 lines of a table's heading" in note for note in notes)
    # Two settings lines are no block; names naming no date or time are no heading.
    texts = ["Model : MGate", "Firmware : 2.2", "", "Index  Host  Event", *texts[5:]]
    assert parse(texts)[0]["line"].to_list() == [1, 2, 4, 5, 6]


def test_settings_right_above_the_records_without_a_blank_line_are_a_header():
    # Docker Desktop's log.txt: its settings (one stating a date), a line of advice, then
    # records stamped with the time of day
    texts = [
        "Version: 3.6.0 (67351)",
        "Started on: 2021/09/14 08:41:07.512",
        "OS: Windows 10 Pro",
        "Build: 19043",
        "You can send feedback, including this log file, at https://github.com/docker/for-win",
        "[08:41:07.688][GUI               ][Info   ] Starting...",
        "[08:41:10.879][NamedPipeClient   ][Error  ] Unable to send Start",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [6, 7]
    assert parsed["ts"][0] == datetime(2021, 9, 14, 8, 41, 7, 688000, tzinfo=UTC)
    # A status block whose lines are indented under its first (Cisco ASA's `show logging`)
    # is one entry, as before; so are lines of which a quarter or more are no settings.
    asa = [
        "Syslog logging: enabled",
        "    Facility: 20",
        "    Timestamp logging: enabled",
        "    Buffer logging: level informational, 48213 messages logged",
        "Mar 14 2024 09:28:41: %ASA-6-302013: Built inbound TCP connection 884213377",
        "Mar 14 2024 09:28:42: %ASA-4-106023: Deny tcp src outside:198.51.100.77/44321",
    ]
    assert parse(asa)[0]["line"].to_list() == [1, 5, 6]
    prose = ["Version: 3.6.0", "Starting the engine", "Loading plugins", *texts[5:]]
    assert parse(prose)[0]["line"].to_list() == [1, 2, 3, 4, 5]


def test_a_record_whose_repeated_time_is_left_out_takes_the_time_above():
    # Python's rich logging handler: the stamp's width of spaces where the time repeats, then
    # the level; a message's wrapped lines are indented further, to the message's column
    texts = [
        "[06/13/24 16:41:07] INFO     Reading manifest from mirror.toml           cli.py:52",
        "                    DEBUG    Resolved 3 targets: eu-west, us-east        config.py:118",
        "[06/13/24 16:41:08] INFO     Uploading 42 packages to https://mirror-eu  sync.py:61",
        "                             (batch size 10, 4 workers)",
        "                    WARNING  PUT numpy-1.26.4.whl returned 503           sync.py:88",
        "[06/13/24 16:41:13] ERROR    Batch 2/5 failed, aborting upload           sync.py:77",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 5, 6]
    assert parsed["ts"][1] == datetime(2024, 6, 13, 16, 41, 7, tzinfo=UTC)
    assert parsed["ts"][3] == datetime(2024, 6, 13, 16, 41, 8, tzinfo=UTC)
    assert parsed["level"].to_list() == ["INFO", "DEBUG", "INFO", "WARN", "ERROR"]
    assert parsed["message"][2].endswith("(batch size 10, 4 workers)")
    # (its body after its level, as the stamped lines' is after theirs)
    assert parsed["message"][1][parsed["body_at"][1] :].startswith("Resolved 3 targets")
    # Where the stamped lines' level is not right after the stamp, an indented level word is a
    # message's line.
    other = [
        "2024-06-12 16:41:07 app[12]: INFO starting",
        "                    DEBUG dump follows",
        "2024-06-12 16:41:08 app[12]: INFO done",
    ]
    assert parse(other)[0]["line"].to_list() == [1, 3]


def test_a_console_servers_stamped_lines_are_entries_but_not_the_consoles_layout():
    # conserver's marks and attach lines around a console without stamps of its own: each
    # line of the console an entry, the marks with their times.
    texts = [
        "[-- MARK -- Wed Jun 19 01:00:00 2024]",
        "[-- jk@ops-jump02 attached -- Wed Jun 19 01:07:44 2024]",
        "The system is going down for reboot NOW!",
        "[  OK  ] Stopped target Multi-User System.",
        "reboot: Restarting system",
        "[-- MARK -- Wed Jun 19 01:15:00 2024]",
        "[root@lb2-dc1:INOPERATIVE:Disconnected] config # tail -n 4 /var/log/ltm",
        "Jun 19 01:31:07 lb2-dc1 err mcpd[7112]: 01070734:3: Configuration error",
        "[-- jk@ops-jump02 detached -- Wed Jun 19 01:41:12 2024]",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5, 6, 8, 9]
    assert parsed["ts"].to_list()[:3] == [
        datetime(2024, 6, 19, 1, 0, tzinfo=UTC), datetime(2024, 6, 19, 1, 7, 44, tzinfo=UTC), None
    ]  # fmt: skip
    assert parsed["ts"][-1] == datetime(2024, 6, 19, 1, 41, 12, tzinfo=UTC)
    # A password typed shows as stars where the terminal echoed them.
    assert parse([texts[2], "User: admin", "Password:*********", texts[4]])[0].height == 2


def test_virshs_and_proxmoxs_console_notices_are_no_entries():
    texts = [
        "[root@kvm-hv03 ~]# virsh console db02",
        "Connected to domain 'db02'",
        "Escape character is ^] (Ctrl + ])",
        "root@pve-b04:~# qm terminal 212",
        "starting serial terminal on interface serial0 (press Ctrl+O to exit)",
        "2024-06-26T03:41:07.512340+02:00 db02 kernel: postgres invoked oom-killer",
        "2024-06-26T03:41:07.512391+02:00 db02 kernel: CPU: 3 PID: 48812 Comm: postgres",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [6, 7]
    bare = [texts[1], texts[2], "db02 login: root", "Password: ", "Last login: Tue Jun 25"]
    assert parse(bare)[0]["line"].to_list() == [5]


def test_an_indented_header_opening_the_file_is_no_entry_and_twisteds_level_is_read():
    # 389 Directory Server's access log opens with its version and instance, indented
    texts = [
        "\t389-Directory/2.4.5 B2024.073.0000",
        "\tldap02.example.org:389 (/etc/dirsrv/slapd-EXAMPLE-ORG)",
        "",
        "[14/Mar/2024:10:26:50.104218733 +0100] conn=4821 fd=64 slot=64 connection from 10.1.4.22",
        '[14/Mar/2024:10:26:50.104903120 +0100] conn=4821 op=0 BIND dn="uid=svc" method=128',
    ]
    assert parse(texts)[0]["line"].to_list() == [4, 5]
    # Twisted's `[namespace#level]`
    twisted = [
        "2024-03-14T09:27:04+0000 [feedhub.poller#warn] feed answered 301",
        "2024-03-14T09:27:05+0000 [-] Site starting on 8080",
    ]
    assert parse(twisted)[0]["level"].to_list() == ["WARN", None]


def test_prompts_between_a_boot_captures_records_are_no_entries():
    # A router's boot (no prompt above its first record), then a command typed at its prompt.
    texts = [
        "*Jun 19 14:05:13.671: %PNP-3-PNP_CCO_SERVER_IP_UNRESOLVED: CCO server is unresolved",
        "Username: admin",
        "Password: ",
        "Router#show sdwan control local-properties",
        "*Jun 19 14:07:26.005: %Cisco-SDWAN-RP_0-VDAEMON-3-ERR-1000009: R0/0: connection failed",
        "*Jun 19 14:09:02.551: %Cisco-SDWAN-RP_0-VDAEMON-5-NTCE-1000001: R0/0: connection UP",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 5, 6]
    assert parsed["level"].to_list() == ["ERROR", "ERROR", "INFO"]


def test_a_shells_own_prompt_under_a_terminals_stamps_is_the_sessions():
    texts = [
        "[Tue Apr 16 15:03:03.871 2024] [ 2206.936552] FAT-fs (sda1): Volume was not unmounted.",
        "[Tue Apr 16 15:03:22.411 2024] root@hmi-panel-0231:~# rauc install /run/media/b.raucb",
        "[Tue Apr 16 15:03:22.530 2024] installing",
        "[Tue Apr 16 15:03:24.090 2024] LastError: signature verification failed",
    ]
    assert parse(texts)[0]["line"].to_list() == [1, 3, 4]
    # (an address in a message is no prompt)
    texts[1] = "[Tue Apr 16 15:03:22.411 2024] mail from root@hmi-panel-0231: queued"
    assert parse(texts)[0]["line"].to_list() == [1, 2, 3, 4]


def test_a_serial_terminals_notices_and_a_consoles_login_prompt_are_no_entries():
    # ESP-IDF's monitor (pyserial's miniterm underneath) with its own stamps on; a switch's
    # console ending at its login prompt among its syslog lines.
    texts = [
        "--- idf_monitor on /dev/ttyACM0 115200 ---",
        "--- Quit: Ctrl+] | Menu: Ctrl+T | Help: Ctrl+T followed by Ctrl+H ---",
        "2024-03-14 09:31:07 ESP-ROM:esp32s3-20210327",
        "2024-03-14 09:31:07 I (27) boot: ESP-IDF v5.1.2 2nd stage bootloader",
        "spine2 login: ",
        "2024-03-14 09:31:12 E (4539) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x2700",
        "[disconnected]",  # idevicesyslog's
        "[connected:00008110-001A2D3E0C41801E]",
        "2024-03-14 09:31:40 I (31012) app: reconnected",
        "--- exit ---",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [3, 4, 6, 9]
    assert any("6 lines of a terminal session" in note for note in notes)
    # A message's line that names a login is no prompt.
    texts = [texts[3], "Failed login: root", texts[5]]
    assert parse(texts)[0]["message"][0].endswith("Failed login: root")


def test_prompts_in_text_without_stamps_are_no_entries_but_a_hash_comment_is_one():
    texts = [
        "$ ulog_messages log_49_2024-6-28-10-41-07.ulg",  # a shell's, the command typed
        "0:02:31 INFO: [logger] Start file log (type: full)",
        "=> ping 192.168.1.1",  # U-Boot's
        "Using ethernet@ff540000 device",
        "# tftp retries exhausted",  # as likely a comment: kept
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [2, 4, 5]
    assert any("2 lines of a terminal session" in note for note in notes)


def test_a_comment_or_a_capitalised_word_after_a_hash_is_no_prompt():
    # (a bare `#` prompt is taken only with a command after it: a lower-case word)
    for line in ("# Fields: date time cs-uri", "#Version: 1.0", "$HOME is unset", "# 2 errors"):
        assert not PROMPT_RE.match(line), line
    # (a `%` alone is a figure's, as a `>` alone is a quote's: zsh's prompt has a command)
    assert not PROMPT_RE.match("%") and PROMPT_RE.match("% xcrun simctl spawn booted log")


def test_a_pagers_prompts_among_the_records_are_no_entries():
    texts = [
        "2024-03-14T09:33:41.512807+01:00 sw1 restd[3811]: Event|4601|LOG_INFO|AMM|1/1|login",
        "2024-03-14T09:31:07.220913+01:00 sw1 config[2890]: Event|6801|LOG_INFO|AMM|1/1|saved",
        "-- MORE --, next page: Space, next line: Enter, quit: Control-C",
        "2024-03-14T09:25:33.098121+01:00 sw1 fand[790]: Event|2402|LOG_ERR|AMM|1/1|fan failed",
        "--More--",
        "2024-03-14T09:24:01.730200+01:00 sw1 mstpd[2270]: Event|2007|LOG_WARN|AMM|1/1|TC",
        "---(more 53%)---",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 4, 6]
    assert parsed["message"][1].endswith("saved")
    assert parsed["level"].to_list() == ["INFO", "INFO", "ERROR", "WARN"]
    assert any("3 lines of a terminal session" in note for note in notes)
    # Prose that mentions more is no pager.
    parsed, _ = parse([texts[0], "-- more details follow below", texts[1]])
    assert parsed["line"].to_list() == [1, 3]
    assert parsed["message"][0].endswith("more details follow below")


def test_a_level_word_and_a_word_open_a_tools_own_line_among_stamped_ones():
    # `esphome logs`: the CLI's `WARNING Disconnected from API` among the device's lines
    texts = [
        "[09:41:12][I][app:102]: ESPHome version 2024.3.0",
        "WARNING Disconnected from API",
        "INFO Trying to connect to garage-door in the background",
        "[09:41:40][W][wifi:137]: WiFi connection lost",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 3, 14, 12, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["level"].to_list()[1:3] == ["WARN", "INFO"]
    # A message's line that goes on in capitals is no such line
    parsed, _ = parse(
        [texts[0], "ERROR_CODE=17", texts[3]],
        mtime=datetime(2024, 3, 14, 12, tzinfo=UTC).timestamp(),
    )
    assert parsed["line"].to_list() == [1, 3]


def test_a_written_date_after_an_id_is_the_stamp_not_the_id_as_an_epoch():
    # Papertrail's archive: a 19-digit id, then when the line was generated and received
    texts = [
        f"16942133770814300{i:02d}\t2024-03-11 08:0{i}:13 -0700\t2024-03-11 08:0{i}:13 -0700"
        f"\t7316245\tweb-03\tUser\tInfo\tpuma\tworker {i} booted"
        for i in range(5)
    ]
    parsed, _ = parse(texts)
    assert parsed["ts"][0] == datetime(2024, 3, 11, 15, 0, 13, tzinfo=UTC)


def test_an_interrupts_echo_and_tails_notices_are_no_entries():
    # `tail -qF` in a terminal: its notice that a file was truncated, then the ^C that ends it
    texts = [
        "[14-Mar-2024 11:02:15] WARNING: [pool www] server reached pm.max_children setting",
        "tail: /var/www/shop/var/log/prod.log: file truncated",
        "[14-Mar-2024 11:02:21] NOTICE: [pool www] child 31977 started",
        "tail: '/var/log/app.log' has become inaccessible: No such file or directory",
        "^C",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [1, 3]
    assert not parsed["message"][1].endswith("directory")
    assert any("3 lines of a terminal session" in note for note in notes)
    # A message that mentions tail is no notice of its own.
    parsed, _ = parse([texts[0], "tail: of the queue is 31", texts[2]])
    assert parsed["line"].to_list() == [1, 3]


def test_the_jvms_unified_logging_lines_are_entries_among_an_apps_lines():
    # a Java service's stdout: logback's lines and the JVM's `-Xlog:gc` lines between them
    texts = [
        "2024-03-14 09:28:13.271 [main] INFO  c.a.ledger.Main - Starting ledger-core 4.2.0",
        "[3.912s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 51M->9M(1024M) 6ms",
        "2024-03-14 09:28:16.380 [main] INFO  c.a.ledger.Main - started in 3109 ms",
        "[114.233s][info][gc] GC(8) Concurrent Cycle",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["ts"][1] is None and parsed["level"][1] == "INFO"
    # a gc log of such lines alone: each is an entry, without a time of day
    parsed, _ = parse([texts[1], texts[3]])
    assert parsed["line"].to_list() == [1, 2]
    assert parsed["ts"].to_list() == [None, None]


def test_bash_history_commands_take_the_epoch_line_above_them():
    # HISTTIMEFORMAT set: bash writes `#<epoch>` before each command; the first two commands
    # were written before it was set.
    texts = [
        "uptime",
        "sudo apt-get update",
        "#1710408031",
        "cd /var/log/postgresql",
        "#1710408036",
        "tail -n 200 postgresql-16-main.log | grep -i 'deadlock'",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 5]
    assert parsed["ts"].to_list() == [
        None,
        None,
        datetime(2024, 3, 14, 9, 20, 31, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 20, 36, tzinfo=UTC),
    ]


def test_a_banner_that_comes_again_starts_an_entry_again():
    rule = "=" * 60
    head = "   Date (UTC) Time     IP Address   St   Freq ppm   Skew ppm     Offset"
    row = "2024-03-14 09:2{}:14 192.0.2.123      2    -12.417      0.031 -4.882e-06"
    texts = [rule, head, rule, row.format(0), row.format(1), rule, head, rule, row.format(2)]
    parsed, _ = parse(texts)
    # the banner, two rows, the banner again (its closing rule no banner of its own), a row
    assert parsed["line"].to_list() == [1, 4, 5, 6, 9]
    assert parsed["ts"][3] is None
    # A rule alone opening the file is no banner (nor an entry: a file's decoration), and the
    # same rule in a message stays in it.
    texts = ["-" * 40, row.format(0), "-" * 40, "query result above", row.format(1)]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [2, 5]
    assert parsed["message"][0].endswith("query result above")


def test_times_alone_take_the_date_a_reports_heading_states():
    # sar's report: the date in its heading, the times on its rows (12-hour clock)
    texts = [
        "Linux 5.14.0-362.el9.x86_64 (db02.example.net) \t03/14/2024 \t_x86_64_\t(8 CPU)",
        "",
        "09:20:01 AM     CPU     %user     %nice   %system   %iowait    %steal     %idle",
        "09:22:01 AM     all      4.12      0.00      1.37      0.52      0.00     93.99",
        "09:24:01 AM     all     17.86      0.00      3.04     21.77      0.00     57.33",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 6, 30, 12, tzinfo=UTC).timestamp())
    assert parsed["ts"].to_list()[1:] == [
        datetime(2024, 3, 14, 9, 20, 1, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 22, 1, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 24, 1, tzinfo=UTC),
    ]


def test_the_exception_line_closing_a_stamped_traceback_joins_it():
    # `docker compose logs -t` of a celery worker: the exception's name is any module's
    texts = [
        "2024-03-14T09:26:53.612004518Z [2024-03-14 09:26:53,612: ERROR/ForkPoolWorker-2] Task",
        "2024-03-14T09:26:53.612035120Z Traceback (most recent call last):",
        '2024-03-14T09:26:53.612041877Z   File "/app/invoices/tasks.py", line 42, in render_pdf',
        "2024-03-14T09:26:53.612046301Z     lines = fetch_lines(invoice_id)",
        "2024-03-14T09:26:53.612058800Z psycopg2.errors.UndefinedTable: relation does not exist",
        "2024-03-14T09:26:53.612070000Z [2024-03-14 09:26:53,612: INFO/MainProcess] next",
        "2024-03-14T09:26:53.612080000Z app.cache: warmed",
    ]
    parsed, _ = parse(texts)
    # a `name: text` line right after an entry that is no traceback stays an entry of its own
    assert parsed["line"].to_list() == [1, 6, 7]


def test_a_ci_runners_lines_are_each_an_entry_where_messages_have_no_header_of_their_own():
    """A CI runner stamps each line of a job's output (Azure Pipelines, GitHub Actions): the
    lines after the stamp carry no level or stamp of their own, so an indented line written
    a moment after the one above is no stack frame of a message but a line of the job's."""
    texts = [
        "2024-03-14T09:25:30.0301947Z ##[group]dotnet test",
        "2024-03-14T09:25:41.5531012Z   Failed Orders.Tests.Totals.Applies_discount [41 ms]",
        "2024-03-14T09:25:41.5532871Z   Error Message:",
        "2024-03-14T09:25:41.5533140Z    Assert.Equal() Failure: Values differ",
        "2024-03-14T09:25:41.5533960Z   Stack Trace:",
        "2024-03-14T09:25:41.5534311Z      at Orders.Tests.Totals.Applies_discount() in /s/T.cs:42",
        "2024-03-14T09:25:42.0840115Z Failed!  - Failed:     1, Passed:   126",
        "2024-03-14T09:25:42.2120093Z ##[error]Bash exited with code '1'.",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == list(range(1, 9))


def test_aligned_headers_are_not_taken_for_indented_frames():
    texts = [f"2024-03-14 09:27:40.12{i}  INFO  step {i}" for i in range(6)]
    parsed, _ = parse(texts)
    assert parsed.height == 6
    # ... even where most lines are a stack trace's, without a stamp (Spring Boot's padding)
    trace = ["java.lang.IllegalStateException: boom"] + ["\tat com.example.A.b(A.java:1)"] * 30
    texts = [
        "2024-03-14T08:27:40.120+00:00 ERROR 48213 --- [main] c.e.App : failed", *trace,
        "2024-03-14T08:27:40.121+00:00  INFO 48213 --- [main] c.e.App : retrying",
        "2024-03-14T08:27:40.122+00:00  WARN 48213 --- [main] c.e.App : slow",
    ]  # fmt: skip
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 33, 34]


def test_another_writers_request_lines_without_a_stamp_are_entries():
    # gunicorn's error log with uvicorn's access lines (format %(message)s) between
    texts = [
        "[2024-03-14 10:27:31 +0100] [7] [ERROR] Exception in ASGI application",
        "Traceback (most recent call last):",
        '  File "/app/reports/api.py", line 88, in create_report',
        "ZeroDivisionError: division by zero",
        '10.42.0.17:40218 - "POST /v1/reports HTTP/1.1" 500',
        "[2024-03-14 10:29:05 +0100] [1] [CRITICAL] WORKER TIMEOUT (pid:7)",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 5, 6]
    assert parsed["ts"][1] is None


def test_one_date_in_a_boot_banner_does_not_swallow_the_lines_after_it():
    # an ESP32's serial console: the ROM's build date, then lines stamped since boot
    texts = [
        "ets Jun  8 2016 00:22:57",
        "rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)",
        "I (31) boot: ESP-IDF v5.1.2 2nd stage bootloader",
        "I (1234) wifi: connected",
        "W (2345) wifi: weak signal",
        "E (3456) http: connect failed",
    ]
    parsed, _ = parse(texts)
    assert parsed.height == 6


def test_two_spaces_between_date_and_time():
    # apt's history.log: `Start-Date: 2024-03-14  09:26:53`
    texts = ["Start-Date: 2024-03-14  09:26:53", "Commandline: apt-get upgrade",
             "End-Date: 2024-03-14  09:26:58"]  # fmt: skip
    parsed, _ = parse(texts, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["ts"].drop_nulls().to_list() == [
        datetime(2024, 3, 14, 9, 26, 53, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 26, 58, tzinfo=UTC),
    ]


def test_journalctl_markers_are_not_entries():
    texts = [
        "-- Boot 6e2f1c7a9b8d4e0f8a1b2c3d4e5f6a7b --",
        "Mar 14 09:26:50 web01 kernel: Linux version 6.8.0-31-generic",
        "Mar 14 09:26:53 web01 shop[812]: Traceback (most recent call last):",
        '                                   File "/srv/shop/app.py", line 12, in <module>',
        "-- Boot 0a1b2c3d4e5f60718293a4b5c6d7e8f9 --",
        "Mar 14 09:31:02 web01 kernel: Linux version 6.8.0-31-generic",
        "-- SQL comment -- in a message is no marker",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [2, 3, 6]
    assert parsed["message"][2].endswith("no marker")
    assert any("2 journalctl marker lines" in note for note in notes)


def test_seconds_since_start_mark_entries_without_being_stamps():
    # the X server's log: `[   21.484] ` then lines of its own without a mark
    texts = [
        "[    21.482] (--) Log file renamed",
        "[    21.484] ",
        "X.Org X Server 1.21.1.11",
        "X Protocol Version 11, Revision 0",
        "[    21.485] Markers: (--) probed, (**) from config file,",
        "\t(WW) warning, (EE) error, (NI) not implemented, (??) unknown.",
        "[    21.611] (WW) Falling back to old probe method for fbdev",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 5, 7]
    assert parsed["ts"].to_list() == [None] * 4
    assert parsed["level"].to_list()[3] == "WARN"


def test_defmt_lines_as_probe_rs_prints_them_are_entries_with_their_level():
    # seconds since boot and the level, each with its location under it; the tool's own
    # `(HOST)` lines; a panic's backtrace, indented, joins the line above (and counts for
    # nothing against the share of lines that open with an uptime).
    texts = [
        "(HOST) INFO  flashing program (9 pages / 36.00 KiB)",
        "0.000152 DEBUG twim0 configured: 400 kHz",
        "\u2514\u2500 sht4x::__cortex_m_rt_main @ src/bin/sht4x.rs:44",
        "3.032043 ERROR panicked at 'called `Result::unwrap()` on an `Err` value'",
        "stack backtrace:",
        *[f"   {i}: frame_{i}" for i in range(8)],
        "(HOST) ERROR the program panicked",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 4, 14]
    assert parsed["level"].to_list() == ["INFO", "DEBUG", "ERROR", "ERROR"]
    # Renode's lowest level
    renode = ["10:04:17.3051 [NOISY] i2c1: Write 0x24, 0x00.", "10:04:17.3102 [INFO] i2c1: NACK."]
    assert parse(renode)[0]["level"].to_list() == ["TRACE", "INFO"]


def test_openocds_debug_log_lines_start_entries_and_a_messages_second_line_joins():
    texts = [
        "Debug: 255 350 target.c:1650 handle_target(): halted",
        "User : 355 452 armv7m.c:356 armv7m_arch_state(): target halted due to debug-request",
        "xPSR: 0x01000000 pc: 0x08004b9c msp: 0x24080000",
        "Warn : 498 5702 armv7m.c:584 armv7m_wait_algorithm(): target not halted after algorithm",
        "Error: 499 5712 armv7m.c:591 armv7m_wait_algorithm(): timeout waiting for algorithm",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 4, 5]
    assert parsed["level"].to_list() == ["DEBUG", None, "WARN", "ERROR"]


def test_a_progress_bar_a_tool_redraws_is_no_entry_of_its_own():
    texts = [
        "-- runners.pyocd: Flashing file: build/zephyr/zephyr.hex",
        "[========================                          ]  48%",
        "FATAL ERROR: command exited with status 1",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 3]
    assert parsed["message"][0].endswith("48%")


def test_esp_idf_lines_before_the_clock_is_set_are_entries_with_their_letter():
    # ESP-IDF: `L (ms since boot) tag: ...`, then `L (HH:MM:SS.mmm) tag:` once the clock
    # runs; the boot ROM's lines before them are entries of their own.
    rom = ["ets Jun  8 2016 00:22:57", "rst:0x1 (POWERON_RESET),boot:0x13", "entry 0x4008064c"]
    ticks = [
        "I (31) boot: ESP-IDF v5.1.2 2nd stage bootloader",
        "W (642) phy_init: failed to load RF calibration data",
        "E (8801) wifi_station: Failed to connect to SSID:warehouse-iot",
    ]
    parsed, _ = parse(rom + ticks)
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5, 6]
    assert parsed["level"].to_list()[3:] == ["INFO", "WARN", "ERROR"]
    clock = [
        "I (00:00:38.912) wifi_mgr: retry to connect to the AP (6/10)",
        "I (38921) wifi:new:<6,0>, old:<1,0>",
        "W (39544) wifi:state: init -> auth (b0)",
        "W (00:00:39.618) wifi_mgr: weak signal on IoT-Floor3",
        "I (09:21:03.118) time_sync: Notification of a time synchronization event",
        "E (09:23:41.902) transport_base: poll_read select error 113",
    ]
    parsed, _ = parse(clock)
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5, 6]
    assert parsed["level"].to_list() == ["INFO", "INFO", "WARN", "WARN", "INFO", "ERROR"]
    assert parsed["ts"][1] is None and parsed["ts"][4].hour == 9


@pytest.mark.parametrize(
    "line, expected",
    [
        # ISO 8601's basic format; Zabbix's `pid:yyyyMMdd:HHmmss.SSS`
        ("20240314T092653Z job started", datetime(2024, 3, 14, 9, 26, 53, tzinfo=UTC)),
        (" 23817:20240314:092653.589 agent #0 started",
         datetime(2024, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)),
        # Chromium's `[pid:tid:MMdd/HHmmss.SSS:LEVEL:file(line)]`, no year (the file's)
        ("[11432:11440:0314/092653.589:INFO:browser.cc(162)] started",
         datetime(2024, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)),
        # two-digit years, with milliseconds after a colon (WebSphere)
        ("[3/14/24 9:26:53:589 UTC] 00000001 WsServerImpl  A   WSVR0001I: open",
         datetime(2024, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)),
        # a colon between date and time (HPE Aruba AOS-CX's debug buffer)
        ("2024-06-28:14:20:05.118342|ospfv2d|LOG_DEBUG|MSTR||OSPFv2|OSPFv2_HELLO|Sent Hello",
         datetime(2024, 6, 28, 14, 20, 5, 118342, tzinfo=UTC)),
        # glued to a session id in parentheses, on a 12-hour clock (FileZilla Server)
        ("(000412)6/13/2024 9:35:17 PM - (not logged in) (203.0.113.88)> AUTH TLS",
         datetime(2024, 6, 13, 21, 35, 17, tzinfo=UTC)),
        # (`14/03/24` is yy/MM/dd, Spark's and Hadoop's layout, as much as dd/MM/yy: in a
        # file of June 2024 it is 14 March 2024, the reading in the year before the file's date;
        # see test_stamps_anywhere for the file's date choosing)
        ("[14/03/24 09:26:53] day first", datetime(2024, 3, 14, 9, 26, 53, tzinfo=UTC)),
        # Boost.Date_Time's simple string (nrfjprog's log)
        ("[2024-Jun-11 09:14:03] [ info] Library loaded", datetime(2024, 6, 11, 9, 14, 3, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_more_stamp_layouts_read_where_lines_carry_them(line, expected):
    mtime = datetime(2024, 6, 30, tzinfo=UTC).timestamp()
    parsed, _ = parse([line] * 3, mtime=mtime)
    assert parsed["ts"].to_list() == [expected] * 3


def test_stamps_in_the_metadata_a_line_ends_with_are_its_stamps():
    # winston's `simple()` format after `timestamp()`: `level: message {metadata}`
    texts = [
        'info: listening {"service":"checkout","port":3000,"timestamp":"2024-03-14T09:26:53.589Z"}',
        'warn: cart mismatch {"service":"checkout","cartId":"c_81f3","expected":129.9,'
        '"actual":119.9,"timestamp":"2024-03-14T09:27:21.006Z"}',
        'error: payment failed {"service":"checkout","stack":"AxiosError: 502\\n    at settle '
        + "(/app/node_modules/axios/lib/core/settle.js:19:12)" * 4
        + '","timestamp":"2024-03-14T09:28:02.331Z"}',
        'verbose: retry queue size 3 {"service":"checkout","timestamp":"2024-03-14T09:28:30.000Z"}',
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["level"].to_list() == ["INFO", "WARN", "ERROR", "TRACE"]
    assert parsed["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 26, 53, 589000, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 27, 21, 6000, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 28, 2, 331000, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 28, 30, tzinfo=UTC),
    ]
    # The command at its prompt before them is the session's, and Node's report of the
    # unhandled rejection that ended the process after them is an entry of its own.
    crash = [
        "$ NODE_ENV=staging node dist/index.js",
        *texts * 3,
        "node:internal/process/promises:289",
        "            triggerUncaughtException(err, true /* fromPromise */);",
        "            ^",
        "",
        "LedgerUnavailableError: ledger returned 502",
        "    at LedgerClient.postEntry (/srv/app/dist/ledger/client.js:52:19)",
        "}",
        "",
        "Node.js v20.14.0",
    ]
    parsed, _ = parse(crash)
    assert parsed["line"].to_list() == list(range(2, 15))
    assert parsed["ts"][12] is None
    assert parsed["message"][12].endswith("Node.js v20.14.0")


def test_a_stamp_after_a_prefix_on_as_many_lines_wins_over_the_one_in_their_metadata():
    # Grafana's download of Loki's lines: its header, then `<epoch ms>\t<ISO>\t<the line>`,
    # the line structlog's JSON with its own `timestamp` at its end
    rows = [
        f'17195797{i:02d}006\t2024-06-28T13:0{i % 6}:40.006Z\t{{"event": "gc stats", "level": '
        f'"debug", "timestamp": "2024-06-28T13:0{i % 6}:40.006350Z"}}'
        for i in range(8)
    ]
    texts = ['Common labels: {"app":"cart-api"}', 'Line limit: "1000 (8 returned)"', "", *rows]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list()[-8:] == list(range(4, 12))
    assert parsed["ts"][-8] == datetime(2024, 6, 28, 13, 0, 40, 6000, tzinfo=UTC)


def test_a_stamp_opening_the_lines_wins_over_one_in_their_metadata():
    texts = [
        f'2024-03-14 09:26:5{i} INFO step {{"timestamp":"2020-01-01T00:00:00Z"}}' for i in range(5)
    ]
    parsed, _ = parse(texts)
    assert {ts.year for ts in parsed["ts"].to_list()} == {2024}


def test_python_traceback_joins_its_entry():
    texts = [
        "2024-05-01T10:00:00Z ERROR worker crashed",
        "Traceback (most recent call last):",
        '  File "w.py", line 3, in <module>',
        "ZeroDivisionError: division by zero",
        "2024-05-01T10:00:01Z INFO restarted",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 5]
    assert parsed["message"][0].count("\n") == 3


def test_text_without_stamps_has_one_entry_per_non_blank_line():
    parsed, _ = parse(["hello ERROR world", "", "second line", "no error found"])
    assert parsed["line"].to_list() == [1, 3, 4]
    assert parsed["ts"].null_count() == 3
    assert parsed["level"].to_list() == ["ERROR", None, None]


def test_text_without_stamps_keeps_indented_lines_with_the_line_above(tmp_path):
    from logview.core.reading.ingest import ingest

    # .NET's default console logger: a level and a category, the message indented below.
    texts = [
        "info: Microsoft.Hosting.Lifetime[14]",
        "      Now listening on: http://[::]:8080",
        "fail: Shop.Checkout[0]",
        "      Payment failed for order 4212",
        "      System.TimeoutException: gateway",
        "crit: Shop.Db[3]",
        "      Database unreachable",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 3, 6]
    assert parsed["message"][1] == "\n".join(texts[2:5])
    path = tmp_path / "console.log"
    path.write_text("\n".join(texts) + "\n")
    table = ingest([path]).table.sort("line")
    assert table["level"].cast(pl.String).to_list() == ["INFO", "ERROR", "FATAL"]


def test_a_line_that_opens_with_its_own_level_tag_is_an_entry_not_a_continuation():
    texts = [
        "2024-01-02 03:04:05 INFO started",
        "[WARNING]  (1) : config : missing timeouts for backend 'app'.",
        "   | While not properly invalid, ...",
        "NOTICE: listening on port 80",
        "2024-01-02 03:04:06 ERROR failed",
        "java.lang.IllegalStateException: boom",
        "DETAIL:  Key (id)=(7) already exists.",
        "error: lower case prose stays with the line above",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 4, 5]
    assert parsed["message"][1] == "\n".join(texts[1:3])
    assert parsed["ts"][1] is None and parsed["level"][1] == "WARN"
    assert parsed["message"][3] == "\n".join(texts[4:])


def test_rare_stamps_do_not_swallow_the_other_lines():
    texts = ["2024-01-02 03:04:05 a date quoted once"] + [f"prose line {i}" for i in range(40)]
    parsed, _ = parse(texts)
    assert parsed.height == 41
    assert parsed["ts"].null_count() == 41


def test_zone_and_year_assumptions_are_reported():
    mtime = datetime(2023, 3, 1, tzinfo=UTC).timestamp()
    parsed, notes = parse(["Dec 31 23:00:00 host a", "Jan  1 01:00:00 host b"], mtime=mtime)
    assert parsed["ts"].to_list() == [
        datetime(2022, 12, 31, 23, tzinfo=UTC),
        datetime(2023, 1, 1, 1, tzinfo=UTC),
    ]
    assert "no zone in stamps: read as UTC" in notes
    assert any(note.startswith("no year in stamps: took 2023") for note in notes)


def test_context_zone_applies_to_stamps_without_one():
    parsed, notes = parse(["2024-07-01 12:00:00 INFO x"], tz="America/New_York")
    assert parsed["ts"][0] == datetime(2024, 7, 1, 16, tzinfo=UTC)
    assert "no zone in stamps: read in America/New_York" in notes


@pytest.mark.parametrize(
    ("texts", "low", "high"),
    [
        (JAVA_LOG[:2] * 5, 0.69, 0.71),  # every line stamped
        (["2024-01-02 03:04:05 x"] * 6 + ["  at frame"] * 4, 0.49, 0.51),  # 60%
        (["2024-01-02 03:04:05 x"] * 5 + ["  at frame"] * 5, 0.09, 0.11),  # 50%: fallback
        (["just prose", "more prose"], 0.09, 0.11),
        ([], 0.09, 0.11),
    ],
)
def test_sniff_scores_by_share_of_stamped_lines(texts, low, high):
    assert low <= sniff(sample(texts)) <= high


def test_describe_names_the_stamp_layout():
    assert describe(sample(JAVA_LOG)) == "Text, ISO 8601 stamps"
    assert describe(sample(["Jun  4 10:00:00 host x"])) == "Text, syslog (MMM dd HH:mm:ss) stamps"
    assert describe(sample(["just prose"])) == "Plain text, no timestamps"


def test_text_format_is_registered_with_its_parser():
    (fmt,) = FORMATS
    assert (fmt.name, fmt.label) == ("text", "Plain text")
    assert fmt.parse_lines is parse_text and fmt.sniff is sniff


def test_many_lines_parse_vectorised_in_reasonable_time():
    import time

    n = 200_000
    texts = pl.format(
        "2024-03-10 10:{}:{}.{} INFO worker: request {} done",
        (pl.int_range(n) % 60).cast(pl.String).str.zfill(2),
        (pl.int_range(n) % 59).cast(pl.String).str.zfill(2),
        (pl.int_range(n) % 1000).cast(pl.String).str.zfill(3),
        pl.int_range(n).cast(pl.String),
    )
    lines = pl.select(line=pl.int_range(1, n + 1, dtype=pl.UInt64), text=texts)
    started = time.perf_counter()
    parsed = parse_text(lines, ParseContext("big.log"))
    elapsed = time.perf_counter() - started
    assert parsed.height == n and parsed["ts"].null_count() == 0
    assert elapsed < 5, f"{n} lines took {elapsed:.1f}s"  # a per-row loop would take minutes


@pytest.mark.parametrize("seed", range(6))
def test_join_continuations_matches_a_line_by_line_reading(seed, monkeypatch):
    import random

    from logview.core.reading import entries

    monkeypatch.setattr(entries, "MAX_LINES_PER_ENTRY", 4)
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    starts = [rng.random() < (0.0 if seed == 5 else 0.4) for _ in range(n)]
    texts = [f"l{i}" + ("\n" if rng.random() < 0.1 else "") for i in range(n)]
    lines = pl.DataFrame(
        {"line": list(range(1, n + 1)), "text": texts, "x": [f"v{i}" for i in range(n)]},
        schema={"line": pl.UInt64, "text": pl.String, "x": pl.String},
    )
    expected, run = [], 0
    for i, (start, text) in enumerate(zip(starts, texts, strict=True)):
        run = 0 if (start or i == 0) else run + 1
        if start or i == 0 or run % 4 == 0:
            expected.append([i + 1, text, f"v{i}"])
        else:
            expected[-1][1] += "\n" + text
    got = entries.join_continuations(lines, pl.lit(pl.Series(starts)))
    assert got.columns == lines.columns and got.schema == lines.schema
    assert got.rows() == [tuple(row) for row in expected]


def test_blank_lines_before_the_first_entry_are_no_entry():
    """A file that opens with empty lines (Bitcoin Core's debug.log starts each run with some)
    has nothing in them to show; a line with text before the first stamp stays an entry."""
    blank_first = "\n\n   \n2024-03-14T09:26:53Z Bitcoin Core version v26.0.0\n2024-03-14T09:26:54Z Using data directory /srv/btc\n"
    lines = pl.DataFrame({"line": [1, 2, 3, 4, 5], "text": blank_first.split("\n")[:5]},
                         schema={"line": pl.UInt64, "text": pl.String})  # fmt: skip
    parsed = parse_text(lines, ParseContext("debug.log"))
    assert parsed["line"].to_list() == [4, 5]
    assert parsed["ts"].null_count() == 0
    banner = lines.with_columns(text=pl.Series(["", "starting", "", *lines["text"][3:]]))
    assert parse_text(banner, ParseContext("debug.log"))["line"].to_list() == [2, 4, 5]


def test_a_switch_log_with_its_severity_letter_before_a_two_digit_year_stamp():
    # HPE/Aruba `show logging`: `S mm/dd/yy hh:mm:ss NNNNN module: message`; by its shape the
    # date is yy/MM/dd too, but only MM/dd/yy reads its values.
    texts = [
        "I 03/14/24 09:20:14 00179 mgr: SME SSH from 10.30.1.44 - MANAGER Mode",
        "W 03/14/24 09:21:05 00329 FFI: port 23-Excessive CRC/alignment errors.",
        "E 03/14/24 09:22:48 00068 chassis: Slot 1 Fan tray 2 failure",
        "I 03/14/24 09:28:40 00065 mgr: SME SSH from 10.30.1.44 - logged out",
    ]
    parsed, _ = parse(texts)
    assert parsed["ts"][0] == datetime(2024, 3, 14, 9, 20, 14, tzinfo=UTC)
    assert parsed["level"].to_list() == ["INFO", "WARN", "ERROR", "INFO"]


def test_a_bracketed_severity_letter_after_other_bracketed_fields():
    # Docker Desktop's backend log: `[stamp][component][L] message`.
    texts = [
        "[2024-03-14T09:21:03.118204300Z][com.docker.backend.exe][I] starting",
        "[2024-03-14T09:21:04.612084200Z][com.docker.backend.exe][W] memory limit not set",
        "[2024-03-14T09:21:07.901336700Z][com.docker.backend.exe][E] starting distro failed",
    ]
    parsed, _ = parse(texts)
    assert parsed["level"].to_list() == ["INFO", "WARN", "ERROR"]


def test_a_bracketed_letter_on_a_few_lines_among_a_devices_boot_lines():
    # A serial monitor stamping each line; the ESP32's Arduino core writes `[ms][L][file:line]`,
    # its ROM and the panic handler write lines without one.
    texts = [
        "09:20:58.331 > ets Jul 29 2019 12:21:46",
        "09:20:58.331 > rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)",
        "09:20:58.337 > configsip: 0, SPIWP:0xee",
        "09:20:58.342 > mode:DIO, clock div:1",
        "09:20:58.348 > entry 0x400805e4",
        "09:20:58.611 > [   117][I][main.cpp:41] setup(): booting",
        "09:21:01.844 > [  3350][W][WiFiGeneric.cpp:1062] _eventCallback(): NO_AP_FOUND",
        "09:21:05.310 > [  6816][E][MqttClient.cpp:153] connect(): failed",
        "09:21:05.316 > Guru Meditation Error: Core  1 panic'ed (LoadProhibited).",
        "09:21:05.344 > Rebooting...",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 3, 14, 9, 30, tzinfo=UTC).timestamp())
    assert parsed.height == 10
    assert parsed["level"].to_list()[5:8] == ["INFO", "WARN", "ERROR"]
    assert parsed["level"][1] is None


def test_a_python_traceback_in_bare_text_is_part_of_the_message_above():
    # uvicorn's default logging config writes no stamp: `LEVEL:    message`.
    texts = [
        "INFO:     Application startup complete.",
        "ERROR:    Exception in ASGI application",
        "Traceback (most recent call last):",
        '  File "/app/main.py", line 8, in send',
        "    await mailer.send(pdf)",
        "TimeoutError: timed out",
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "Traceback (most recent call last):",
        '  File "/app/main.py", line 9, in send',
        "    raise SendFailed()",
        "SendFailed",
        "INFO:     Shutting down",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 14]
    assert parsed["level"].to_list() == ["INFO", "ERROR", "INFO"]
    assert parsed["message"][1].endswith("\nSendFailed")


def test_a_12_hour_clock_after_a_narrow_no_break_space_keeps_its_pm():
    # NestJS's logger on Node 20 (ICU's `toLocaleString`): `9:21:03\u202fPM`.
    texts = [
        "[Nest] 1  - 03/14/2024, 9:21:03\u202fPM     LOG [NestFactory] Starting Nest application",
        "[Nest] 1  - 03/14/2024, 9:21:04\u202fPM    WARN [Orders] slow query +812ms",
    ]
    parsed, _ = parse(texts)
    assert parsed["ts"].to_list() == [
        datetime(2024, 3, 14, 21, 21, 3, tzinfo=UTC),
        datetime(2024, 3, 14, 21, 21, 4, tzinfo=UTC),
    ]
    assert parsed["level"][1] == "WARN"


def test_a_time_of_day_with_its_milliseconds_after_a_colon():
    # Windows Installer's verbose log: `MSI (c) (3C:48) [09:21:03:512]: ...`
    texts = [
        "MSI (c) (3C:48) [09:21:03:512]: Resetting cached policy values",
        "MSI (s) (A4:2C) [09:21:03:606]: Grabbed execution mutex.",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 3, 14, 9, 30, tzinfo=UTC).timestamp())
    assert parsed["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 21, 3, 512000, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 21, 3, 606000, tzinfo=UTC),
    ]


def test_dates_as_the_date_command_writes_them_with_a_12_hour_clock_and_a_zone():
    # `date` in en_US and en_AU: `Thu 14 Mar 2024 07:20:01 PM AEST`, `Thu Mar 14 19:20:01 AEST 2024`.
    for texts in (
        [
            "Thu 14 Mar 2024 07:20:01 PM AEST backup started",
            "Thu 14 Mar 2024 07:32:32 PM AEST done",
        ],
        ["Thu Mar 14 19:20:01 AEST 2024 backup started", "Thu Mar 14 19:32:32 AEST 2024 done"],
    ):
        parsed, _ = parse(texts)
        assert parsed["ts"].to_list() == [
            datetime(2024, 3, 14, 9, 20, 1, tzinfo=UTC),
            datetime(2024, 3, 14, 9, 32, 32, tzinfo=UTC),
        ]


def test_a_stamp_after_a_lines_own_level_tag():
    # A PowerShell script's log with its warning stream redirected: `WARNING: <stamp> ...`.
    texts = [
        "2024-03-14 09:20:09 INFO  Updated 37 users",
        "WARNING: 2024-03-14 09:20:10 Manager 'p.novak' not found for 'l.fischer'",
        "2024-03-14 09:20:15 ERROR Failed to update 'm.keller': Access is denied",
    ]
    parsed, _ = parse(texts)
    assert parsed["ts"][1] == datetime(2024, 3, 14, 9, 20, 10, tzinfo=UTC)
    assert parsed["level"].to_list() == ["INFO", "WARN", "ERROR"]


def test_dates_and_times_apart_by_an_underscore_a_dash_or_a_colon():
    cases = [
        # IBM Storage Scale's mmfs.log
        (
            [
                "2024-03-14_09:20:02.118+0100: [I] mmfsd ready",
                "2024-03-14_09:20:06.877+0100: [W] slow",
            ],
            datetime(2024, 3, 14, 8, 20, 2, 118000, tzinfo=UTC),
        ),
        # a Windows failover cluster's log, after its process and thread ids
        (
            [
                "00000e3c.00001a48::2024/03/14-09:22:40.118 INFO  [NM] Received request",
                "00000e3c.00002b10::2024/03/14-09:22:43.910 WARN  [CHANNEL] failure",
            ],
            datetime(2024, 3, 14, 9, 22, 40, 118000, tzinfo=UTC),
        ),
        # an access log's stamp with its month as a number
        (
            [
                '::ffff:10.20.0.15 - root@pam [14/03/2024:10:20:12 +0100] "GET /api2 HTTP/1.1" 200 9',
                '::ffff:10.20.0.15 - root@pam [14/03/2024:10:20:41 +0100] "GET /api2 HTTP/1.1" 200 9',
            ],
            datetime(2024, 3, 14, 9, 20, 12, tzinfo=UTC),
        ),
    ]
    for texts, first in cases:
        parsed, _ = parse(texts)
        assert parsed["ts"][0] == first, texts[0]
        assert parsed["ts"].null_count() == 0


def test_a_syslog_relays_facility_and_severity_in_angle_brackets():
    # NetScaler's ns.log: `<local0.info>` after the stamp
    texts = [
        "Mar 14 09:20:41 <local0.info> 10.10.1.5 03/14/2024:09:20:41 GMT ns-vpx01 : SSLVPN LOGIN",
        "Mar 14 09:21:07 <local0.err> 10.10.1.5 03/14/2024:09:21:07 GMT ns-vpx01 : MONITORDOWN",
        "Mar 14 09:21:09 <local0.warning> 10.10.1.5 03/14/2024:09:21:09 GMT ns-vpx01 : SLOW",
    ]
    parsed, _ = parse(texts)
    assert parsed["level"].to_list() == ["INFO", "ERROR", "WARN"]


def test_zephyrs_times_since_boot_start_entries_without_a_time():
    texts = [
        "*** Booting Zephyr OS build v3.5.0 ***",
        "[00:00:00.003,000] <inf> sensor_app: Starting sensor app",
        "[00:00:03.234,741] <wrn> bme280: Humidity reading out of range",
        "[00:00:04.001,220] <dbg> main: rx frame",
        "                                 a5 5a 01 10 00 3f 7e 02 |.Z...?~.",
        "[00:00:05.118,926] <err> main: Failed to fetch sample (-5)",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4, 6]
    assert parsed["ts"].null_count() == 5
    assert parsed["level"].to_list()[1:] == ["INFO", "WARN", "DEBUG", "ERROR"]
    assert any("since boot" in note for note in notes)


def test_a_command_line_prompt_in_a_terminal_capture_is_no_entry_and_no_continuation():
    # A switch's `show logging` saved from a terminal: prompts before and after the log lines
    # (the session's own lines: no entries, and no part of the record above them).
    texts = [
        "leaf3#terminal length 0",
        "Pagination disabled.",
        "leaf3#show logging last 15 minutes",
        "2024-03-14T05:20:11.402913-04:00 leaf3 Lldp: %LLDP-5-NEIGHBOR_NEW: neighbor new",
        "2024-03-14T05:22:48.006977-04:00 leaf3 Ebra: %LINK-3-UPDOWN: Ethernet12 down",
        "leaf3#exit",
        "2024-03-14T05:23:30.551120-04:00 leaf3 Mlag: %MLAG-4-INTF_INACTIVE_LOCAL: Po12 down",
        "admin@PA-3220-fw1> show log system",
        "[admin@gw-branch7] > /log print",
        "netops@jump01:~$ ssh admin@10.40.1.30",
        "  an indented line still continues",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [4, 5, 7]
    assert parsed["ts"][0] == datetime(2024, 3, 14, 9, 20, 11, 402913, tzinfo=UTC)
    assert "leaf3#exit" not in parsed["message"][1]
    assert parsed["message"][2].endswith("Po12 down\n  an indented line still continues")
    # A URL with an anchor or a comparison in a continuation line is no prompt.
    more, _ = parse([texts[3], "http://example.com/a#top", "x > 5 items", texts[4]])
    assert more["line"].to_list() == [1, 4]


def test_another_writers_times_of_day_are_dated_by_the_dated_lines_around_them():
    # A Home Assistant add-on's log: s6's lines, the add-on's own `[HH:MM:SS] INFO:` lines,
    # then its program's dated lines with the level after the program's name.
    texts = [
        "s6-rc: info: service legacy-services successfully started",
        "[09:20:55] INFO: Preparing to start...",
        "[09:20:56] INFO: Starting Zigbee2MQTT...",
        "Zigbee2MQTT:info  2024-03-14 09:20:58: Starting Zigbee2MQTT version 1.36.0",
        "Zigbee2MQTT:warn  2024-03-14 09:20:58: `permit_join` set to  `true`",
        "Zigbee2MQTT:error 2024-03-14 09:21:14: Error while starting zigbee-herdsman",
        "Zigbee2MQTT:error 2024-03-14 23:59:59: Exiting...",
        "[00:00:03] INFO: Restarting the add-on",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == list(range(1, 9))
    assert parsed["ts"].to_list()[1:] == [
        datetime(2024, 3, 14, 9, 20, 55, tzinfo=UTC),  # dated by the line below
        datetime(2024, 3, 14, 9, 20, 56, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 20, 58, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 20, 58, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 21, 14, tzinfo=UTC),
        datetime(2024, 3, 14, 23, 59, 59, tzinfo=UTC),
        datetime(2024, 3, 15, 0, 0, 3, tzinfo=UTC),  # past midnight after the line above
    ]
    assert parsed["level"].to_list()[3:7] == ["INFO", "WARN", "ERROR", "ERROR"]
    # A time of day inside a continuation (not bracketed, no level after it) stays there.
    parsed, _ = parse([texts[3], "09:21:00 retried once", texts[4]])
    assert parsed["line"].to_list() == [1, 3]
    # Logback's default layout (a thread's name before the level) before Spring Boot's lines.
    logback = ["07:42:08.331 [main] INFO o.s.t.c.AnnotationConfigContextLoaderUtils -- none"]
    logback += ["  Server Version: 24.0.9"]
    logback += [
        f"2024-06-11T07:42:1{i}.301Z  INFO 18824 --- [main] c.a.App : {i}" for i in range(4)
    ]
    parsed, _ = parse(logback)
    assert parsed["line"].to_list() == [1, 3, 4, 5, 6]
    assert parsed["ts"][0] == datetime(2024, 6, 11, 7, 42, 8, 331000, tzinfo=UTC)


def test_times_right_aligned_under_the_dated_stamps_are_todays():
    # RouterOS 6's `/log print`: earlier days' entries dated, today's a time alone, aligned
    # to end where the dated stamps end; the first past midnight is a day on.
    texts = [
        "jun/27 21:14:09 system,info,account user admin logged out from 10.7.8.5 via winbox",
        "jun/27 22:41:02 pppoe,ppp,error pppoe-out1: authentication failed",
        "jun/27 23:58:17 dhcp,info dhcp-lan assigned 10.7.20.154 to 3C:22:FB:91:0E:5D",
        "       00:02:45 firewall,info DROP-MGMT input: in:pppoe-out1 out:(unknown 0)",
        "       06:49:02 dhcp,warning dhcp-lan offering lease 10.7.20.200 without success",
        "   06:50:00 indented otherwise: a message's own line",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 6, 28, 9, 40, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5]
    assert parsed["ts"][3] == datetime(2024, 6, 28, 0, 2, 45, tzinfo=UTC)
    assert parsed["level"].to_list() == ["INFO", "ERROR", "INFO", "INFO", "WARN"]


def test_another_programs_bracketed_tag_opens_a_message_of_its_own():
    # uWSGI's emperor stamps its lines; a vassal it forks writes to the same stderr unstamped.
    texts = [
        "2024-03-14 09:20:01 - *** starting uWSGI Emperor ***",
        "[uWSGI] getting INI configuration from invoices.ini",
        "2024-03-14 09:20:02 - [emperor] vassal invoices.ini has been spawned",
        "2024-03-14 09:26:12.0 Warn: qBittorrent: Failed to connect",
        "[v4.0.2.1183] NzbDrone.Core.Download.DownloadClientUnavailableException: Failed",
        "   at NzbDrone.Core.Download.Refresh()",
    ]
    parsed, _ = parse(texts)
    # A version in brackets (Sonarr's before its exception) is no program's tag.
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["ts"][1] is None


def test_tcsh_history_commands_take_the_epoch_line_above_them():
    # tcsh's saved history: `#+<epoch>` before each command.
    texts = ["#+1710408024", "cd /usr/local/etc/nginx", "#+1710408031", "sudo nginx -t"]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 3]
    assert parsed["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 20, 24, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 20, 31, tzinfo=UTC),
    ]


def test_a_severity_letter_opening_a_bracket_of_fields_is_the_level():
    # Foreman's production.log: `[%.1l|%.3c|%.8X{request}]`.
    texts = [
        '2024-03-14T09:21:03 [I|app|3f9c2a1e] Started GET "/api/v2/hosts" for 10.20.4.11',
        "2024-03-14T09:23:17 [I|bac|] Task {label: Actions::Katello::ManifestRefresh}",
        "2024-03-14T09:26:30 [W|app|a04e6d15] Scoped order is ignored",
        "2024-03-14T09:31:09 [E|app|c51a7f03] Action failed",
    ]
    parsed, _ = parse(texts)
    assert parsed["level"].to_list() == ["INFO", "INFO", "WARN", "ERROR"]


def test_a_time_of_day_source_takes_its_dates_from_its_dated_heading_lines():
    # Informix's message log: a date-and-time heading at its start and each new day, then
    # entries stamped with a time alone.
    texts = [
        "Thu Mar 14 23:59:02 2024",
        "",
        "23:59:02  IBM Informix Dynamic Server Started.",
        "23:59:09  Performance Advisory: The value of LOGBUFF is smaller",
        "than recommended for the current logging activity.",
        "00:00:10  Checkpoint Completed:  duration was 0 seconds.",
        "Fri Mar 15 00:00:10 2024",
        "00:20:01  Checkpoint Completed:  duration was 1 seconds.",
    ]
    parsed, notes = parse(texts, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [3, 4, 6, 8]
    assert parsed["ts"].to_list() == [
        datetime(2024, 3, 14, 23, 59, 2, tzinfo=UTC),
        datetime(2024, 3, 14, 23, 59, 9, tzinfo=UTC),
        datetime(2024, 3, 15, 0, 0, 10, tzinfo=UTC),  # past midnight
        datetime(2024, 3, 15, 0, 20, 1, tzinfo=UTC),
    ]
    assert any("2 heading lines giving the date" in note for note in notes)


def test_an_indented_source_reads_its_dated_lines_and_passes_midnight_after_them():
    # MikroTik RouterOS 6's `/log print`: older entries with the month's name and the day,
    # today's with the time alone, both indented to one column.
    texts = [
        "[admin@rb4011] > /log print without-paging",
        " mar/13 23:41:42 pppoe,ppp,error pppoe-out1: timeout while connecting",
        " mar/13 23:58:31 system,error,critical login failure for user admin via ssh",
        "        06:12:03 dhcp,info dhcp-lan assigned 10.3.10.57 to 3C:22:FB:8A:41:D0",
        "        07:44:19 interface,warning ether5 excessive or late collision",
        "        09:31:55 pppoe,ppp,info pppoe-out1: terminating... - peer is not responding",
    ]
    parsed, _ = parse(texts, mtime=datetime(2024, 3, 14, 16, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [2, 3, 4, 5, 6]
    assert parsed["ts"].to_list() == [
        datetime(2024, 3, 13, 23, 41, 42, tzinfo=UTC),
        datetime(2024, 3, 13, 23, 58, 31, tzinfo=UTC),
        datetime(2024, 3, 14, 6, 12, 3, tzinfo=UTC),  # past midnight after a dated line
        datetime(2024, 3, 14, 7, 44, 19, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 31, 55, tzinfo=UTC),
    ]
    assert parsed["level"].cast(pl.String).to_list()[:2] == ["ERROR", "ERROR"]


def test_a_records_level_may_open_its_second_line():
    # ForgeRock AM's debug log: the logger, stamp, thread and transaction, then `LEVEL: msg`.
    texts = [
        "o.f.o.a.t.e.AuthTreeExecutor: 2024-03-14 09:21:03,412: Thread[exec-7]: TransactionId[a1]",
        "DEBUG: Starting tree evaluation, realm=/alpha, tree=Login",
        "c.s.i.i.p.l.LDAPv3Repo: 2024-03-14 09:21:12,881: Thread[exec-3]: TransactionId[a2]",
        "ERROR: LDAPv3Repo.authenticate: unable to bind as uid=jsmith",
        "org.forgerock.opendj.ldap.ConnectionException: Connect Error",
        "\tat org.forgerock.opendj.ldap.LdapException.newLdapException(LdapException.java:197)",
        "o.f.o.a.t.e.AuthTreeExecutor: 2024-03-14 09:21:13,002: Thread[exec-3]: TransactionId[a2]",
        "WARNING: Tree evaluation ended in failure",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 3, 7]
    assert parsed["level"].to_list() == ["DEBUG", "ERROR", "WARN"]
    # Where stamped lines have levels of their own, a level tag under one is its own message.
    parsed, _ = parse(JAVA_LOG[:2] + ["WARNING: a JVM's warning on stderr", JAVA_LOG[-1]])
    assert parsed["line"].to_list() == [1, 2, 3, 4]


def test_vmwares_levels_and_its_marked_later_lines():
    texts = [
        "2024-03-14T09:24:10.512Z In(05) vmx Log for VMware Workstation pid=14220",
        "2024-03-14T09:24:11.930Z Wa(03) vmx Hyper-V is enabled on the host",
        "2024-03-14T09:25:40.118Z Er(02) vmx Msg_Post: Error",
        "2024-03-14T09:25:40.118Z Er(02)+ vmx [msg.vhv.noHardwareSupport] VT-x is not supported.",
        "2024-03-14T09:25:40.118Z Er(02)+ vmx Continue without virtualized Intel VT-x/EPT?",
        "2024-03-14T09:25:52.406Z In(05) vmx VHV: disabled by user answer.",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 6]
    assert parsed["level"].to_list() == ["INFO", "WARN", "ERROR", "INFO"]


def test_gitlabs_appended_lines_continue_the_line_before():
    # A GitLab job log with the runner's timestamps: `+` after the stream where a line goes
    # on with the one before it.
    texts = [
        "2024-06-11T07:42:01.203641Z 00O Running with gitlab-runner 17.0.0 (44feccdf)",
        "2024-06-11T07:42:01.203868Z 00O section_start:1718091721:prepare_executor",
        '2024-06-11T07:42:01.203874Z 00O+Preparing the "kubernetes" executor',
        "2024-06-11T07:42:16.118730Z 01O $ go test -race -count=1 ./...",
        "2024-06-11T07:42:41.770416Z 01E --- FAIL: TestBucket (0.01s)",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 4, 5]
    assert parsed["message"][1].endswith("executor")


def test_a_table_of_windows_events_in_another_language_reads_its_level_column(tmp_path):
    # Get-WinEvent | Format-Table on a German host: LevelDisplayName in German.
    texts = [
        "PS C:\\Users\\adm> Get-WinEvent -LogName Microsoft-Windows-Hyper-V-VMMS-Admin",
        "",
        "   ProviderName: Microsoft-Windows-Hyper-V-VMMS",
        "",
        "TimeCreated                   Id LevelDisplayName Message",
        "-----------                   -- ---------------- -------",
        "14.03.2024 11:02:47        20417 Informationen    Die Livemigration wurde abgeschlossen.",
        "14.03.2024 10:58:33        21502 Fehler           Fehler bei der Livemigration von APP07.",
        "14.03.2024 09:57:02        14140 Warnung          Die Netzwerkkarte ist nicht verbunden.",
        "14.03.2024 09:20:01        12240 Kritisch         Der Hypervisor-Dienst wurde beendet.",
        "14.03.2024 08:02:11        14094 Informationen    Der Dienst wurde gestartet.",
        "",
        "PS C:\\Users\\adm> ",
    ]
    path = tmp_path / "vmms.txt"
    path.write_text("\n".join(texts) + "\n", encoding="utf-8")
    table = ingest([path], tz="UTC").table.sort("line")
    assert table["line"].to_list() == [7, 8, 9, 10, 11]
    assert table["level"].cast(pl.String).to_list() == ["INFO", "ERROR", "WARN", "FATAL", "INFO"]
    assert table["ts"][0] == datetime(2024, 3, 14, 11, 2, 47, tzinfo=UTC)


def test_blocks_apart_by_blank_lines_stamped_on_a_later_line_are_one_entry_each():
    # Snort's alert_full: the rule's line and classification, then the stamped packet line.
    block = [
        "[**] [1:2010935:3] ET SCAN Suspicious inbound to MSSQL port 1433 [**]",
        "[Classification: Potentially Bad Traffic] [Priority: 2]",
        "06/28-09:1{n}:22.483920 185.220.101.47:51234 -> 172.16.40.15:1433",
        "TCP TTL:112 TOS:0x0 ID:25631 IpLen:20 DgmLen:40",
        "",
    ]
    texts = [line.format(n=n) for n in range(4) for line in block]
    parsed, notes = parse(texts, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 6, 11, 16]
    assert parsed["ts"][2] == datetime(2024, 6, 28, 9, 12, 22, 483920, tzinfo=UTC)
    assert parsed["message"][0].startswith("[**] [1:2010935:3]")
    assert any("records apart by blank lines" in note for note in notes)
    # Wazuh's alerts quote the line that raised them (another layout's stamp): the block's
    # stamp is its own layout's.
    alert = [
        "** Alert 171956606{n}.28473119: - syslog,sshd,invalid_login,",
        "2024 Jun 28 09:1{n}:22 (web-prod-03) any->/var/log/auth.log",
        "Rule: 5710 (level 5) -> 'sshd: Attempt to login using a non-existent user'",
        "Jun 28 09:1{n}:21 web-prod-03 sshd[23145]: Invalid user admin from 45.148.10.92",
        "",
    ]
    texts = [line.format(n=n) for n in range(3) for line in alert]
    texts[13] = "File '/etc/passwd' modified"  # (a syscheck alert quotes no log line)
    parsed, _ = parse(texts, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 6, 11]
    assert parsed["ts"][1] == datetime(2024, 6, 28, 9, 11, 22, tzinfo=UTC)
    # A block without a stamped line is the alert above's (a blank line inside it, before
    # the changed file's attributes), and a quoted access line starts no entry.
    texts[14:14] = ["", "Attributes:", " - Size: 2476"]
    texts.insert(8, '198.51.100.23 - - [28/Jun/2024:09:11:21 +0000] "GET /.env HTTP/1.1" 404 162')
    parsed, _ = parse(texts, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 6, 12]
    assert parsed["message"][2].endswith(" - Size: 2476")
    # Entries apart by blank lines, each stamped on its first line, are read as they were.
    texts = ["2024-06-28 09:14:22 INFO a", "", "2024-06-28 09:14:23 INFO b", "detail", ""] * 2
    assert parse(texts)[0]["line"].to_list() == [1, 3, 6, 8]


def test_a_file_header_framed_by_rules_before_the_first_record_is_no_entry():
    # WebSphere's environment block, titled; Open Liberty's settings between two rules.
    websphere = [
        "************ Start Display Current Environment ************",
        "WebSphere Platform 9.0.5.18 running with process name server1 and process id 31874",
        "Java version = 1.8.0_391, Java Compiler = j9jit29",
        "************* End Display Current Environment *************",
        "[6/14/24 11:26:50:123 CEST] 00000001 ManagerAdmin  I   TRAS0017I: trace state",
        "[6/14/24 11:29:41:006 CEST] 0000005e ConnectionEve W   J2CA0206W: connection error",
    ]
    liberty = [
        "*" * 80,
        "product = Open Liberty 24.0.0.5 (wlp-1.0.89.cl240520240506-1901)",
        "java.home = /opt/java/openjdk",
        "*" * 80,
        "[6/14/24, 9:26:41:310 UTC] 00000001 com.ibm.ws.kernel.FrameworkManager A CWWKE0001I: up",
        "[6/14/24, 9:26:43:027 UTC] 00000001 com.ibm.ws.kernel.FrameworkManager I CWWKE0002I: ok",
    ]
    for texts in (websphere, liberty):
        parsed, notes = parse(texts)
        assert parsed["line"].to_list() == [5, 6]
        assert any("4 lines of a file header" in note for note in notes)
    # A banner of a program's own lines stays as it was: its lines are entries.
    banner = ["Starting server", "listening on :8080", *websphere[4:]]
    assert parse(banner)[0]["line"].to_list() == [1, 2, 3, 4]
    # A rule alone opening the file (Derby's derby.log) is no entry either.
    derby = ["-" * 64, "Thu Mar 14 09:26:53 CET 2024:", "Booting Derby version 10.14.2.0"]
    derby += ["Thu Mar 14 09:26:54 CET 2024 : Security manager installed"]
    derby += ["Thu Mar 14 17:02:11 CET 2024: Shutting down instance a816c00e"]
    parsed, notes = parse(derby)
    assert parsed["line"].to_list() == [2, 4, 5]
    assert parsed["ts"][0] == datetime(2024, 3, 14, 8, 26, 53, tzinfo=UTC)
    assert any("a rule" in note for note in notes)
    # So is a title between two rules that opens it (a camera's `----- System log -----`).
    axis = ["----- System log -----"]
    axis += ["2024-06-29T05:47:02.118+02:00 cam-1 [ INFO    ] systemd[1]: Starting rotation"]
    axis += ["2024-06-29T06:30:11.550+02:00 cam-1 [ WARNING ] httpd[1488]: Authentication failed"]
    parsed, notes = parse(axis)
    assert parsed["line"].to_list() == [2, 3]
    assert parsed["level"].to_list() == ["INFO", "WARN"]
    # (a titled rule further down, among the records, is no heading of the file)
    assert parse([axis[1], axis[0], axis[2]])[0]["line"].to_list() == [1, 3]


def test_lines_stamped_as_a_banner_line_was_are_records_further_on_too():
    # conserver's own lines (`[-- Console up -- ...]`, `[-- MARK -- ...]`) among a console's
    # stamped lines: before the first record a banner's, later records of their own; and a
    # kernel's console line among them opens an entry (without a time), as another writer's.
    texts = [
        "[-- Console up -- Thu Jun 13 22:41:09 2024]",
        "[-- MARK -- Thu Jun 13 23:00:00 2024]",
        "(XEN) [2024-06-13 23:17:45.302] d7v2 VIRIDIAN CRASH: 7e ffffffffc0000005",
        "[1873920.118272] xen-blkback: backend/vbd/7/768: prepare for reconnect",
        "[-- MARK -- Fri Jun 14 00:00:00 2024]",
        "(XEN) [2024-06-14 00:42:18.771] MCE: a correctable incident occurred on CPU 22",
        "(XEN) [2024-06-14 00:42:18.771] Bank 13: 8c000051000800c2[0000000000000000]",
        *(
            f"(XEN) [2024-06-14 01:12:54.09{i}] Watchdog timer detects CPU{i} stuck"
            for i in range(4)
        ),
        "Error: No response to keepalive - Terminating session",
        "[-- Console down -- Fri Jun 14 01:13:31 2024]",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [*range(1, 12), 13]
    assert parsed["ts"][3] is None
    assert parsed["ts"][4] == datetime(2024, 6, 14, 0, 0, tzinfo=UTC)
    assert parsed["ts"][11] == datetime(2024, 6, 14, 1, 13, 31, tzinfo=UTC)
    assert parsed["message"][10].endswith("Terminating session")


def test_cockroachdbs_marked_later_lines_continue_their_entry():
    # crdb-v2: after the entry's counter, `+` marks a later line of the same message, `|` a
    # long line's next part and `!` a stack's line; a space, a new entry.
    texts = [
        "I240314 09:26:53.121876 52 1@cli/start.go:1198 ⋮ [T1,n3] 5  node startup completed:",
        "I240314 09:26:53.121876 52 1@cli/start.go:1198 ⋮ [T1,n3] 5 +build:  CCL v23.1.17",
        "I240314 09:26:53.121876 52 1@cli/start.go:1198 ⋮ [T1,n3] 5 +nodeID: 3",
        "E240314 09:27:20.770913 4410 jobs/registry.go:1601 ⋮ [T1,n3] 8  job failed: boom",
        "E240314 09:27:20.770913 4410 jobs/registry.go:1601 ⋮ [T1,n3] 8 |  (a long line, cut)",
        "I240314 09:27:31.004882 5120 kv/kvserver/replicate_queue.go:721 ⋮ [T1,n3] 9  +1 lease",
        "F240314 09:27:44.918221 2031 storage/pebble.go:1364 ⋮ [T1,n3] 10  disk stall detected",
        "F240314 09:27:44.918221 2031 storage/pebble.go:1364 ⋮ [T1,n3] 10 !goroutine 2031 [running]:",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 4, 6, 7]
    assert parsed["level"].to_list() == ["INFO", "ERROR", "INFO", "FATAL"]


def test_a_tables_heading_above_its_rows_is_no_entry():
    # PowerShell's Format-Table output of Get-WinEvent.
    texts = [
        "",
        "TimeCreated             Id LevelDisplayName Message",
        "-----------             -- ---------------- -------",
        "3/14/2024 9:33:18 AM   507 Information      The system is exiting Modern Standby...",
        "3/14/2024 9:31:07 AM  7000 Error            The Fabrikam service failed to start...",
        "3/14/2024 9:27:03 AM    41 Critical         The system has rebooted without cleanly...",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [4, 5, 6]
    assert any("2 lines of a table's heading" in note for note in notes)


def test_ciscos_marks_before_a_time_its_clock_does_not_vouch_for():
    # A router's console after boot: `*` before the stamps until the clock is set; the banner
    # above them; the prompt the capture ends at.
    texts = [
        "System Bootstrap, Version 16.12(2r), RELEASE SOFTWARE",
        "rommon 1 > boot bootflash:isr4300-universalk9.17.09.04a.SPA.bin",
        "Press RETURN to get started!",
        "*Mar 14 09:26:41.512: %IOSXE-5-PLATFORM: R0/0: udev: usb0: has been inserted",
        "*Mar 14 09:26:44.003: %SYS-5-RESTART: System restarted --",
        "Cisco IOS Software [Cupertino], ISR Software, Version 17.9.4a",
        "*Mar 14 09:26:44.211: %LINK-3-UPDOWN: Interface Gi0/0/0, changed state to up",
        "Mar 14 09:28:10.615: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: netadmin]",
        "BR2-ISR4331#",
    ]
    parsed, notes = parse(texts, mtime=datetime(2024, 6, 30, tzinfo=UTC).timestamp())
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5, 7, 8]
    assert parsed["ts"][3] == datetime(2024, 3, 14, 9, 26, 41, 512000, tzinfo=UTC)
    assert parsed["level"].to_list()[3:] == ["INFO", "INFO", "ERROR", "INFO"]
    assert any("1 line of a terminal session" in note for note in notes)


def test_huaweis_prompt_closes_its_capture_bare():
    texts = [
        "<CE-LEAF01>display logbuffer",
        "Logging buffer configuration and contents : enabled",
        "2024-03-14 17:34:52.118+08:00 CE-LEAF01 %%01SHELL/5/CMDRECORD(s):CID=0x80cb0004;cmd",
        "2024-03-14 17:29:47.302+08:00 CE-LEAF01 %%01ARP/4/ARP_DUPLICATE_IPADDR(l):CID=0x80c6;dup",
        "<CE-LEAF01>",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [3, 4]
    assert parsed["message"][1].endswith(";dup")
    assert parsed["level"].to_list() == ["INFO", "WARN"]


def test_another_writers_report_opens_an_entry_of_its_own():
    # A Rust service's tracing lines and its panic hook's report on the same stream; a Python
    # service's logging lines and a warning from the warnings module.
    texts = [
        "2024-03-14T09:30:44.901733Z  WARN request{method=POST}: shipd::api: slow upstream",
        "thread 'tokio-runtime-worker' panicked at src/routing/planner.rs:212:38:",
        "called `Option::unwrap()` on a `None` value",
        "stack backtrace:",
        "   0: rust_begin_unwind",
        "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.",
        "2024-03-14T09:30:44.907311Z ERROR request{method=POST}: shipd::api: request failed",
        "2024-03-14T09:30:45.000000Z  INFO feed: polled",
        "/app/feedsync/parse.py:37: DeprecationWarning: datetime.datetime.utcnow() is deprecated",
        "  fetched_at = datetime.utcnow()",
        "2024-03-14T09:30:46.000000Z  INFO feed: polled",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 7, 8, 9, 11]
    assert parsed["ts"][1] is None and parsed["message"][1].endswith("verbose backtrace.")
    assert parsed["ts"][4] is None and parsed["message"][4].endswith("datetime.utcnow()")


def test_another_writers_json_records_among_text_lines_are_entries():
    # Vector: its own log on stderr, its console sink's JSON events on stdout; the last cut.
    texts = [
        "2024-03-14T09:20:00.452019Z  INFO vector::topology::running: Running healthchecks.",
        '{"host":"ingest-01","message":"settlement batch opened","timestamp":"2024-03-14T09:20:01.734520Z"}',
        '{"host":"ingest-01","message":"refund capped","timestamp":"2024-03-14T09:21:15.088Z"}',
        "2024-03-14T09:21:16.002714Z  INFO vector::topology::builder: Healthcheck passed.",
        '{"host":"ingest-01","message":"webhook ok","timestamp":"2024-03-14T09:24:02.102448Z","sou',
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5]
    assert parsed["ts"][1] == datetime(2024, 3, 14, 9, 20, 1, 734520, tzinfo=UTC)
    assert parsed["ts"][4] == datetime(2024, 3, 14, 9, 24, 2, 102448, tzinfo=UTC)
    # An object with neither a time nor a level key is data the message above printed (an
    # HTTP response's body in PHP's fatal error), cut short or not.
    fatal = [
        "[31-Mar-2024 09:12:44 UTC] PHP Fatal error:  Uncaught ClientException: `POST /v2` 422:",
        '{"errors":[{"code":"invalid_vat_id","field":"vatId"}],"request (truncated...)',
        "[31-Mar-2024 09:12:45 UTC] PHP Warning:  Cannot modify header information",
    ]
    parsed, _ = parse(fatal)
    assert parsed["line"].to_list() == [1, 3]
    assert parsed["message"][0].endswith("(truncated...)")


def test_another_layouts_stamp_in_a_bracket_after_the_sources_prefix():
    # stern's output: pod and container before each line; Envoy's access line among logback's.
    texts = [
        "checkout-7b9c6d5f4-wz8rl checkout 2024-03-14 09:20:15,771 INFO  [main] c.e.App - Started",
        "checkout-7b9c6d5f4-2xkqp checkout 2024-03-14 09:21:03,392 ERROR [exec-4] c.e.Pay - failed",
        "checkout-7b9c6d5f4-2xkqp checkout java.net.SocketTimeoutException: Read timed out",
        'checkout-7b9c6d5f4-2xkqp istio-proxy [2024-03-14T09:20:58.380Z] "POST /api HTTP/1.1" 502',
        "checkout-7b9c6d5f4-wz8rl checkout 2024-03-14 09:21:40,001 INFO  [main] c.e.App - ok",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 4, 5]
    assert parsed["ts"][2] == datetime(2024, 3, 14, 9, 20, 58, 380000, tzinfo=UTC)


def test_metros_console_badges_mark_entries():
    # React Native's dev server forwards console calls with a badge; a message's own lines
    # (a stack, a blank line, a component stack) follow it.
    texts = [
        "iOS Bundled 412ms node_modules/expo-router/entry.js (1 module)",
        " LOG  [auth] restoring session from SecureStore",
        " WARN  Possible unhandled promise rejection (id: 0):",
        "TypeError: Network request failed",
        "    at call (native)",
        " ERROR  TypeError: Cannot read property 'price' of undefined",
        "",
        "This error is located at:",
        "    in CartRow (created by CartList)",
        " INFO  [analytics] screen_view",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 6, 10]
    assert parsed["level"].to_list()[2:] == ["WARN", "ERROR", "INFO"]
    assert parsed["message"][3].endswith("(created by CartList)")


def test_ciscos_uptime_stamps_mark_entries_in_a_capture():
    texts = [
        "BR07#show logging",
        "Syslog logging: enabled (0 messages dropped)",
        "    Console logging: disabled",
        "Log Buffer (16384 bytes):",
        "000413: 6d23h: %BGP-5-ADJCHANGE: neighbor 172.31.255.1 Down Interface flap",
        "000414: 1w0d: %SYS-2-MALLOCFAIL: Memory allocation of 65536 bytes failed",
        "Pool: Processor  Free: 31744  Cause: Memory fragmentation",
        "-Traceback= 1#9f4e2a7c :7F3A000000+1C2B48",
        "000415: 1w0d: %CELLWAN-2-MODEM_DOWN: Cellular0/2/0 modem is DOWN",
    ]
    parsed, _ = parse(texts)
    # (the prompt, its command and the headers it printed are no entries, as in a stamped
    # capture)
    assert parsed["line"].to_list() == [5, 6, 9]
    assert parsed["message"][1].endswith(":7F3A000000+1C2B48")


def test_nrf_logs_lines_mark_entries_and_an_error_reports_line_joins():
    texts = [
        "<info> app: Connected, conn_handle 0x0000",
        "<warning> ble_ts: TX queue 90% full (18/20), peer slow to ack",
        "<error> app: ERROR 4 [NRF_ERROR_NO_MEM] at src/ble_ts.c:218",
        "PC at: 0x0002F1C3",
        "<error> app: End of error report",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 5]
    assert parsed["level"].to_list() == ["INFO", "WARN", "ERROR", "ERROR"]


def test_nvidia_tegra_boot_loaders_letters_are_levels():
    texts = [
        "[0000.063] I> MB1 (version: 1.4.0.1-t234)",
        "[0000.089] W> Boot chain B failed 3 consecutive attempts, selecting chain A",
        "[0005.630] E> I2C: slave not found in slaves.",
    ]
    assert parse(texts)[0]["level"].to_list() == ["INFO", "WARN", "ERROR"]


def test_a_bmcs_session_above_a_kernels_console_lines_is_no_entries():
    # script(1) around ssh to an iLO, its `vsp`: the iLO's greeting, prompt and notices are
    # the session's; the kernel's lines are the records, the frame's lines entries.
    texts = [
        'Script started on 2024-06-29 07:55:02-05:00 [COMMAND="ssh Administrator@10.12.9.64"]',
        "Administrator@10.12.9.64's password: ",
        "User:Administrator logged-in to ai04-ilo.example.net(10.12.9.64)",
        "iLO Advanced 1.58 at  Apr 17 2024",
        "</>hpiLO-> vsp",
        "Virtual Serial Port Active: COM2",
        "[    2.618804] VFS: Cannot open root device or unknown-block(0,0): error -6",
        '[    2.626177] Please append a correct "root=" boot option',
        "[    2.641903] List of all bdev filesystems:",
        "[    2.646120]  ext4",
        "[    2.650276] Kernel panic - not syncing: VFS: Unable to mount root fs",
        "</>hpiLO-> exit",
        "Connection to 10.12.9.64 closed.",
        'Script done on 2024-06-29 08:03:41-05:00 [COMMAND_EXIT_CODE="0"]',
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 7, 8, 9, 10, 11, 14]


def test_uwsgis_request_lines_among_its_dated_lines_keep_their_stamps():
    # uWSGI with `log-date`: its own lines behind ctime stamps, its request lines with the
    # stamp in their brackets, a Flask error and its traceback.
    texts = [
        "Thu Mar 14 09:26:51 2024 - spawned uWSGI worker 1 (pid: 14410, cores: 1)",
        "[pid: 14410|app: 0|req: 1/1] 10.0.3.7 () {44 vars in 812 bytes} "
        "[Thu Mar 14 09:27:02 2024] GET /api/products?page=2 => generated 18234 bytes in 41 msecs",
        "[2024-03-14 09:27:03,112] ERROR in app: Exception on /api/orders/77 [GET]",
        "Traceback (most recent call last):",
        '  File "/srv/catalog/catalog/views.py", line 88, in get_order',
        "KeyError: 77",
        "Thu Mar 14 09:31:40 2024 - worker 1 buried after 1 seconds",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 7]
    assert parsed["ts"][1] == datetime(2024, 3, 14, 9, 27, 2, tzinfo=UTC)
    assert parsed["message"][2].endswith("KeyError: 77")


def test_a_devices_start_up_lines_after_a_restart_are_entries_as_before_its_first_record():
    # ESP-IDF on a serial console: the boot ROM's lines, the log's `I (ms) tag:` lines (times
    # since boot, no wall-clock time), a panic report (its dump joins it), the ROM again
    texts = [
        "ESP-ROM:esp32s3-20210327",
        "Build:Mar 27 2021",
        "rst:0x1 (POWERON),boot:0x8 (SPI_FAST_FLASH_BOOT)",
        "I (27) boot: ESP-IDF v5.1.2 2nd stage bootloader",
        "I (335) main_task: Started on CPU0",
        "I (347) hvac_ctl: firmware 2.4.1 (a91c3e7), board rev C, 4 zones",
        "I (3108) esp_netif_handlers: sta ip: 10.12.40.57, mask: 255.255.255.0",
        "E (8421) modbus_master: send request failure error=(0x107) (ESP_ERR_TIMEOUT).",
        "W (8422) hvac_ctl: zone 3 damper not responding, retry 1/3",
        "Guru Meditation Error: Core  1 panic'ed (LoadProhibited). Exception was unhandled.",
        "",
        "Core  1 register dump:",
        "PC      : 0x42009c3e  PS      : 0x00060a30  A0      : 0x82009d5b",
        "Backtrace: 0x42009c3b:0x3fcebc60 0x42009d58:0x3fcebc90",
        "ESP-ROM:esp32s3-20210327",
        "Build:Mar 27 2021",
        "rst:0xc (RTC_SW_CPU_RST),boot:0x8 (SPI_FAST_FLASH_BOOT)",
        "I (29) boot: ESP-IDF v5.1.2 2nd stage bootloader",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 18]
    assert "Backtrace" in parsed["message"][9]
    assert parsed["message"][8].startswith("W (8422)")  # the panic is no part of the warning


def test_a_boot_capture_stamped_by_its_terminal_ends_at_the_login_prompt():
    # `tio -t`: the terminal stamps every line, the console's login prompt too
    texts = [
        "[08:47:27.402] [  OK  ] Started Journal Service.",
        "[08:47:27.640] ST OpenSTLinux - Weston - 4.0.4 stm32mp1 ttySTM0",
        "[08:47:27.641] stm32mp1 login: root",
    ]
    parsed, notes = parse(texts)
    assert parsed["line"].to_list() == [1, 2]
    assert any("terminal session" in note for note in notes)
    # A record whose message speaks of a login is no prompt.
    texts[2] = "[08:47:27.641] sshd[812]: Failed login: root"
    assert parse(texts)[0]["line"].to_list() == [1, 2, 3]


def test_unitys_stack_frames_and_file_trailer_join_the_message_they_follow():
    # Unity's Player.log: no stamps; Debug.Log's managed frames (`Class:Method (args)`), a
    # blank line and `(Filename: ... Line: N)` belong to the message above them
    texts = [
        "Initialize engine version: 2022.3.21f1 (bf09ca542b87)",
        "[SteamManager] SteamAPI initialized for app 2214850",
        "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
        "UnityEngine.Debug:Log (object)",
        "SteamManager:Awake ()",
        "",
        "(Filename: C:\\build\\Runtime/Export/Debug/Debug.bindings.h Line: 39)",
        "",
        "NullReferenceException: Object reference not set to an instance of an object",
        "  at Tidecaller.UI.InventoryPanel.OnEnable () [0x00000] in <8c1f0e2d>:0 ",
        "UnityEngine.GameObject:SetActive(Boolean)",
        "",
        "(Filename: <8c1f0e2d> Line: 0)",
        "",
        "Setting up 6 worker threads for Enlighten.",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 9, 15]
    assert parsed["message"][1].endswith("Line: 39)")
    assert "SetActive" in parsed["message"][2]
    # A message line that names a class and a method in prose is no frame.
    assert parse(["Loading scene: Main (async)", "Scene loaded"])[0].height == 2


def test_a_programs_name_and_pid_in_parentheses_open_an_entry_among_stamped_lines():
    # Node's process warnings and GLib's messages among Chromium's stamped lines (Electron)
    texts = [
        "[4118:0629/184012.345678:ERROR:gpu_memory_buffer_support_x11.cc(49)] dri3 missing",
        "[Splash] Splash.updateCountdownSeconds: undefined",
        "(node:4081) [DEP0005] DeprecationWarning: Buffer() is deprecated.",
        "(Use `discord --trace-deprecation ...` to show where the warning was created)",
        "(soffice:48211): Gtk-WARNING **: 18:22:41.123: Negative content width -2",
        "[4081:0629/184014.019233:WARNING:browser_main_loop.cc(300)] Gtk: assertion failed",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 5, 6]
    assert parsed["message"][2].endswith("was created)")
    # Without the pid it is a message's line in parentheses.
    texts[2] = "(and the deprecation is logged again below)"
    assert parse(texts)[0]["line"].to_list() == [1, 2, 5, 6]


def test_a_tables_unstamped_row_is_a_row_as_its_dated_ones_are():
    # ipmitool's `sel list`: a record logged before the BMC's clock was set has no date
    texts = [
        "   1 | 03/18/2024 | 14:02:51 | Event Logging Disabled #0xff | Log area reset | Asserted",
        "   2 |  Pre-Init  |0000000007| System Event #0xff | Timestamp Clock Sync | Asserted",
        "   3 | 03/18/2024 | 14:05:33 | System Event #0xff | Timestamp Clock Sync | Asserted",
        "   4 | 04/02/2024 | 22:47:10 | Physical Security #0xaa | Chassis intrusion | Asserted",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["ts"][1] is None
    # A line with other bars than the rows' is a continuation still.
    texts[1] = "   | wrapped | text"
    assert parse(texts)[0]["line"].to_list() == [1, 3, 4]


def test_a_record_states_the_date_beside_its_own_time_of_day():
    # OBS Studio's log: times of day only; one record prints the date and the time it is
    texts = [
        "18:22:41.123: CPU Name: AMD Ryzen 7 5800X 8-Core Processor",
        "18:22:41.124: Certificate valid until 2031-01-01, 00:00:00",
        "18:22:41.127: Current Date/Time: 2024-06-29, 18:22:41",
        "18:52:37.200: ==== Shutting down ==================================================",
    ]
    mtime = datetime(2024, 6, 29, 16, 52, 40, tzinfo=UTC).timestamp()
    parsed, _ = parse(texts, mtime=mtime, tz="UTC")
    assert [ts.date().isoformat() for ts in parsed["ts"]] == ["2024-06-29"] * 4
    # A date quoted at another time dates nothing: the file's time does (a day earlier, since
    # the last record is after it).
    texts[2] = "18:22:41.127: Browser Hardware Acceleration: true"
    parsed, _ = parse(texts, mtime=mtime, tz="UTC")
    assert parsed["ts"][0].date().isoformat() == "2024-06-28"


def test_records_of_two_lines_whose_second_opens_with_a_severity_in_capitals():
    # HPE's IML through `hpasmcli -s "show iml"`: `Event: N Added: <date>`, then the severity
    texts = [
        "Event: 1 Added: 01/17/2024 08:41",
        "INFORMATIONAL: Maintenance note: IML cleared through hpasmcli",
        "",
        "Event: 2 Added: 02/02/2024 22:19",
        "CAUTION: POST Messages - POST Error: 1792-Drive Array Reports Valid Data Found",
        "",
        "Event: 3 Added: 06/28/2024 23:14",
        "CRITICAL: Power Supply - Power Supply Failure (Power Supply 2)",
        "",
        "Event: 4 Added: 06/29/2024 09:48",
        "REPAIRED: Power Supply - Power Supply Failure (Power Supply 2)",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 4, 7, 10]
    assert parsed["level"].to_list()[:3] == ["INFO", "WARN", "FATAL"]


def test_a_devices_start_up_lines_again_under_a_terminal_programs_header():
    # PuTTY's header over an ESP32's boot, then a brownout restarts it: the boot ROM's lines
    # after the restart are entries as they were before the first record
    texts = [
        "=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2024.06.27 16:22:41 =~=~=~=~=~=~=~=~=~=~=~=",
        "ESP-ROM:esp32c3-api1-20210207",
        "Build:Feb  7 2021",
        "rst:0x1 (POWERON),boot:0xc (SPI_FAST_FLASH_BOOT)",
        *[f"I ({24 + n}) boot: step {n}" for n in range(6)],
        "I (1910) valve: opening solenoid V2 (PWM 100%)",
        "",
        "Brownout detector was triggered",
        "",
        "ESP-ROM:esp32c3-api1-20210207",
        "Build:Feb  7 2021",
        "rst:0xf (BROWN_OUT_RST),boot:0xc (SPI_FAST_FLASH_BOOT)",
        *[f"I ({24 + n}) boot: step {n}" for n in range(4)],
    ]
    parsed, _ = parse(texts)
    # (the brownout's line, no record's, joins the record above)
    assert parsed["line"].to_list() == [*range(1, 12), *range(15, 22)]
    assert "Brownout" in parsed["message"][10]


def test_a_line_opening_with_the_stamped_lines_prefix_and_no_stamp_is_an_entry():
    # FreeSWITCH: the call's uuid, then the stamp; its dialplan's `EXECUTE` lines have none
    uuid = "6d2f8e1a-3b7c-4c9e-a1f0-5e8d2c4b7a91"
    texts = [
        f"{uuid} 2024-06-12 14:03:22.431877 96.27% [NOTICE] switch_channel.c:1142 New Channel",
        f"{uuid} EXECUTE [depth=0] sofia/external/+442071838750 set(hangup_after_bridge=true)",
        f"{uuid} 2024-06-12 14:03:22.452011 96.27% [DEBUG] switch_ivr_originate.c:2270 Parsing",
        f"{uuid} 2024-06-12 14:03:22.612043 96.31% [INFO] mod_dptools.c:1743 CHANNEL_DATA:",
        "Channel-State: [CS_EXECUTE]",
        "Channel-Name: [sofia/external/+442071838750@203.0.113.40]",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["ts"][1] is None
    # `kubectl logs --prefix`: another program's line under the container's prefix is an
    # entry, a stack's line under it is not
    pod = "[pod/calico-node-7xq2l/calico-node]"
    texts = [
        f"{pod} 2024-06-28 08:02:16.911 [INFO][93] confd/resource.go 277: Target config updated",
        f"{pod} bird: Mesh_10_20_4_15: State changed to start",
        f"{pod} 2024-06-28 08:04:51.377 [WARNING][61] felix/health.go 211: Reporter not ready",
        f"{pod} \tat com.example.Health.check(Health.java:42)",
        f"{pod} Caused by: java.io.IOException: reset",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3]
    # `tkn pipelinerun logs`: the step's prefix, then logrus' `time="..."`; the key the stamp
    # is the value of is no part of the prefix, so the compiler's lines under the prefix are
    # entries too
    step = "[build-image : build-and-push]"
    texts = [
        f'{step} time="2024-06-28T10:05:12Z" level=info msg="Retrieving image manifest"',
        f'{step} time="2024-06-28T10:05:15Z" level=warning msg="Error while retrieving image"',
        f"{step} go: downloading github.com/shopspring/decimal v1.4.0",
        f"{step} error building image: exit status 1",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 3, 4]
    assert parsed["prefix"].to_list()[:2] == [step, step]


def test_asterisks_remote_console_greeting_is_the_sessions():
    texts = [
        "Connected to Asterisk 20.8.1 currently running on pbx-lon01 (pid = 1873)",
        "pbx-lon01*CLI> pjsip set logger host 10.60.4.31",
        "[Jun 12 10:21:58] WARNING[1980]: res_pjsip_outbound_registration.c:1132 Fatal '403'",
        "[Jun 12 10:22:01] <--- Received SIP request (1019 bytes) from UDP:10.60.4.31:5060 --->",
        "INVITE sip:902079460321@10.60.4.10:5060;user=phone SIP/2.0",
        "Via: SIP/2.0/UDP 10.60.4.31:5060;branch=z9hG4bK1c9e0f47a2;rport",
        "pbx-lon01*CLI> ",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [3, 4]


def test_a_level_in_brackets_before_a_quote_sign_is_no_prompt():
    # XCGLogger's app details: `[Info] > ...` (F5's prompt has a user at a host in brackets)
    assert not PROMPT_RE.match("[Info] > Home Assistant Version: 2024.6.1 Build: 2024.829")
    assert PROMPT_RE.match("[admin@bigip1:Active:In Sync] ~ # tmsh show sys log")
    texts = [
        "2024-06-28 21:10:03.118 [Info] > Home Assistant Version: 2024.6.1 PID: 1802",
        "2024-06-28 21:10:03.118 [Info] > XCGLogger Version: 7.1.5 - Level: Verbose",
        "2024-06-28 21:10:03.204 [Info] [main] [AppDelegate.swift:104] launch > Starting",
    ]
    assert parse(texts)[0]["line"].to_list() == [1, 2, 3]


def test_a_kernel_call_traces_markers_are_no_prompts():
    # `dmesg -x --time-format=iso`: `<TASK>` in a call trace is the kernel's, not VRP's
    # `<host>` prompt
    assert not PROMPT_RE.match("<TASK>")
    assert PROMPT_RE.match("<CORE-SW01>") and PROMPT_RE.match("<H3C>")
    texts = [
        "kern  :info  : 2024-06-27T06:21:49,871384+00:00 Call Trace:",
        "kern  :info  : 2024-06-27T06:21:49,871387+00:00  <TASK>",
        "kern  :info  : 2024-06-27T06:21:49,871391+00:00  __schedule+0x2b6/0x770",
    ]
    parsed, notes = parse(texts)
    assert parsed.height == 3 and not any("terminal session" in note for note in notes)


def test_dotnet_console_lines_among_serilogs_stamped_lines_are_entries():
    # ASP.NET Core with Serilog's console sink and the default console logger both on
    texts = [
        "[14:02:11 WRN] Storing keys in a directory that may not be persisted",
        "warn: Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository[60]",
        "      Storing keys in a directory that may not be persisted",
        "[14:02:11 INF] Now listening on: http://[::]:8080",
        "info: Microsoft.Hosting.Lifetime[14]",
        "      Now listening on: http://[::]:8080",
    ]
    parsed, _ = parse(texts)
    assert parsed["line"].to_list() == [1, 2, 4, 5]
    assert parsed["level"].to_list() == ["WARN", "WARN", "INFO", "INFO"]

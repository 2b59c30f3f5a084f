"""Levels: spellings normalised, and levels found in the header of a text line."""

import polars as pl
import pytest

from logview.core.reading.levels import level_from_text, normalise


def levels(lines: list[str], start: list[int | None] | None = None) -> list[str | None]:
    starts = None if start is None else pl.Series(start, dtype=pl.UInt32)
    return level_from_text(pl.Series(lines), starts).to_list()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024-01-02 03:04:05 INFO started", "INFO"),
        ("2024-01-02 03:04:05 WARNING disk", "WARN"),
        ("2024-01-02 03:04:05 ERR oops", "ERROR"),
        ("2024-01-02 03:04:05 CRITICAL down", "FATAL"),
        ("2024-01-02 03:04:05 SEVERE bad", "ERROR"),
        ("2024-01-02 03:04:05 NOTICE fyi", "INFO"),
        ("2024-01-02 03:04:05 TRACE enter", "TRACE"),
        ("[Sun Dec 04 04:47:44 2005] [error] mod_jk child", "ERROR"),
        ("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok", "INFO"),
        ("[2024-01-02] [Warn] slow", "WARN"),
        ("ts=2024-01-02 level=error msg=x", "ERROR"),
        ("ts=2024-01-02 severity=WARNING msg=x", "WARN"),
        ('ts=2024-01-02 level="debug" msg=x', "DEBUG"),
        ("<3>kernel: oops", "ERROR"),
        ("<14>Jun  4 10:00:00 host app: hello", "INFO"),
        ("E/AndroidRuntime( 1234): FATAL EXCEPTION: main", "ERROR"),
        ("W/ActivityManager: slow", "WARN"),
        ("E0312 10:00:00.123456  1234 file.cc:12] failed", "ERROR"),
        ("I0312 10:00:00.123456  1234 file.cc:12] ok", "INFO"),
        ("2015-07-29 17:41:44,747 - INFO  [QuorumPeer] - x", "INFO"),
        ("20171223-22:15:29:606|Step|1|x |WARN| y", "WARN"),
        ("a|INFO|b", "INFO"),
        ("2024-01-02 03:04:05 FATAL halt", "FATAL"),
        # syslog(3)'s priority names, as AOS-CX's event log writes them
        ("2024-03-14T09:28:40 sw pmd[1987]: Event|1807|LOG_WARN|AMM|1/1|bad optic", "WARN"),
        ("2024-03-14T09:25:33 sw fand[790]: Event|2402|LOG_ERR|AMM|1/1|fan failed", "ERROR"),
        # Cisco's small-business switches: the severity's letter in the mnemonic
        ("14-Mar-2024 09:31:12 :%LINK-W-Down:  gi1/0/14", "WARN"),
        ("14-Mar-2024 09:22:10 :%COPY-N-TRAP: The copy operation was completed", "INFO"),
        ("14-Mar-2024 09:21:31 :%SNTP-E-SERVERUNREACH: SNTP server is unreachable", "ERROR"),
    ],
)
def test_header_level_forms_are_recognised(line, expected):
    assert levels([line]) == [expected]


@pytest.mark.parametrize(
    "line",
    [
        "2024-01-02 03:04:05 no error found",
        "2024-01-02 03:04:05 warning: lower-case prose is not a level",
        "2024-01-02 03:04:05 ERROR_CODE=5 is a field name",
        "2024-01-02 03:04:05 INFORMATIONAL is not a whole level word",
        "2024-01-02 03:04:05 CATALOG_INFO is a constant's name",
        "2024-01-02 03:04:05 build %PATH-X-HOME: unknown letter",
        "Display: 1920x1080 at 60 Hz",  # Unreal's verbosity only after a `Log...:` category
        "LogSlate: Displayed 4 widgets",
        "NOTE: Picked up JDK_JAVA_OPTIONS:  --add-opens=java.base/java.lang=ALL-UNNAMED",
        "warning:",  # a level word opening the line needs its area right after the colon
        "just some text",
        "",
    ],
)
def test_prose_and_partial_words_are_not_levels(line):
    assert levels([line]) == [None]


def test_the_level_nearest_the_stamp_wins():
    assert levels(["2024-01-02 WARN retry after ERROR"]) == ["WARN"]


def test_search_starts_at_the_given_offset():
    line = "ERROR-prefix 2024-01-02 03:04:05 INFO ok"
    assert levels([line, line], start=[32, None]) == ["INFO", "ERROR"]


def test_a_level_far_into_the_message_is_not_taken():
    assert levels(["2024-01-02 03:04:05 " + "x" * 200 + " ERROR late"]) == [None]


def test_syslog_priority_is_read_only_at_the_line_start():
    assert levels(["x <3> y"]) == [None]


def test_normalise_maps_spellings_and_leaves_unknown_null():
    frame = pl.DataFrame({"v": [" Warning ", "err", "5", "bogus", None]})
    assert frame.select(normalise(pl.col("v"))).to_series().to_list() == [
        "WARN",
        "ERROR",
        "INFO",
        None,
        None,
    ]


# --- the leading-word fast path finds what the general regex finds -------------------------

_HEADERS = [
    " INFO  [main] x",
    " WARNING x",
    " WARN: x",
    " WARNINGS x",
    " ERR x",
    " ERROR",
    " SEVERE x",
    " CRITICAL x",
    " NOTICE x",
    " TRACE",
    "  DEBUG x",
    "\tFATAL x",
    "\u00a0INFO x",
    " INFOx",
    " INFO_x",
    " [error] x",
    " level=warn INFO",
    " E/Tag: x",
    " x ERROR",
    " info x",
    "",
    " " * 130 + "ERROR",
    " " * 115 + "ERROR",
    " " * 116 + "ERROR x",
    " WARN" + "x" * 200,
    " DEBUG/x: y",
    " I/Tag( 12): x",
    " - ERROR - x",
    " SEVERITY=3 INFO",
    "INFO x",
]


@pytest.mark.parametrize("stamp", ["2024-01-02T03:04:05Z", ""])
def test_leading_level_words_read_like_the_general_regex(stamp):
    from logview.core.reading import levels

    lines = [stamp + " INFO x"] * 300 + [stamp + header for header in _HEADERS]
    # Continuation lines have no start: their window is the line start, not the stamp's end.
    lines += ["\tat frame", "<3>x ERROR", "E0312 x", "[debug] 123456789012 ERROR x"]
    starts = [len(stamp)] * (len(lines) - 4) + [None] * 4
    text = pl.Series("text", lines)
    start = pl.Series("start", starts, dtype=pl.UInt32)
    for given in (start, None):
        found = level_from_text(text, given)
        offset = given.fill_null(0) if given is not None else 0
        window = (
            text.to_frame()
            .with_columns(start=offset)
            .select(pl.col("text").str.slice(pl.col("start"), levels.HEADER_WINDOW).alias("w"))
        )
        general = window.select(levels._header_level(pl.col("w"))).to_series()
        line_start = text.str.extract_groups(levels._LINE_START_LEVEL)
        priority = line_start.struct.field("priority").cast(pl.Int32, strict=False) % 8
        expected = pl.DataFrame({"p": priority, "g": line_start.struct.field("glog"), "h": general})
        expected = expected.select(
            pl.coalesce(normalise(pl.col("p").cast(pl.String)), normalise(pl.col("g")), pl.col("h"))
        ).to_series()
        assert found.to_list() == expected.to_list()
        assert found.name == "level" and found.dtype == pl.String


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Windows' trace levels as tracefmt prints them
        ("[0]0004.0220::03/14/2024-09:22:18.377 [dock] TRACE_LEVEL_WARNING retry 1", "WARN"),
        ("[0]0004.0220::03/14/2024-09:22:19.422 [dock] TRACE_LEVEL_ERROR failed", "ERROR"),
        ("[2]0004.01B4::03/14/2024-09:22:17.904 [dock] TRACE_LEVEL_INFORMATION Entry", "INFO"),
        # VMware's two letters and number
        ("2024-03-14T09:24:11.930Z Wa(03) vmx Hyper-V is enabled", "WARN"),
        ("2024-03-14T09:25:40.118Z Er(02)+ vmx Continue without VT-x?", "ERROR"),
        # Huawei's VRP and H3C's Comware: the digit is a syslog severity
        ("2024-03-14 17:29:47 CE1 %%01ARP/4/ARP_DUPLICATE_IPADDR(l):CID=0x80c6;dup", "WARN"),
        ("Mar 14 09:20:14:702 2024 SW1 %%10IFNET/3/LINK_UPDOWN: GE1/0/1 down", "ERROR"),
        # notice cut to four letters (SR Linux's `local6|NOTI`)
        ("2024-03-14T10:21:15.552004+01:00 leaf1 local6|NOTI sr_chassis_mgr: down", "INFO"),
        # the first of a bracket's fields, padded (XAPI's `[ warn||8842 HTTPS ...|module]`)
        ("Mar 14 10:04:51 xcp-2 xapi: [ warn||8842 HTTPS 10.2.0.15|xapi_vm] low memory", "WARN"),
        ("Mar 14 10:05:47 xcp-2 xenopsd: [error||38 |Async.VM.migrate|xenops] Caught", "ERROR"),
        # ArubaOS's angle-bracketed four letters
        ("Mar 14 09:11:05  authmgr[4312]: <522038> <4312> <ERRS> <mc1 10.1.1.5>  Timeout", "ERROR"),
        ("Mar 14 09:11:06  stm[2112]: <501080> <2112> <ALRT> <mc1 10.1.1.5>  AP down", "FATAL"),
        # pino's numbers in a JSON record after a transport's stamp (a CloudWatch export)
        ('2024-03-05T14:02:12.733Z {"level":40,"time":1709647332732,"msg":"reconnecting"}', "WARN"),
        ('2024-03-05T14:02:21.758Z {"level":60,"time":1709647341756,"msg":"giving up"}', "FATAL"),
        # a warning's class names it (Node's process warnings on stderr)
        ("(node:2231) MaxListenersExceededWarning: Possible EventEmitter memory leak", "WARN"),
        # Comware's `display logbuffer`: the module, the severity's digit and the digest
        ("%Mar 14 06:12:44:103 2024 HPE5130 IFNET/3/PHY_UPDOWN: Physical state down", "ERROR"),
        ("%Mar 14 09:22:07:104 2024 HP5120 IFNET/4/INTERFACE UPDOWN:", "WARN"),
        # ONTAP's EMS: node, event and severity in one bracket
        ("Thu Mar 14 07:14:26 CET [fas2552-b:disk.failmsg:error]: Disk 0b.00.7 failed", "ERROR"),
        ("Thu Mar 14 07:14:26 CET [fas-b:raid.disk.predictiveFailure:warning]: Disk 7", "WARN"),
        # Qt's message pattern, the type first in a spaced bracket (Nextcloud's desktop client)
        ("2024-06-27 09:14:02:117 [ info nextcloud.sync.engine syncengine.cpp:606 ]:\tgo", "INFO"),
        ("2024-06-27 09:14:09:402 [ warning nextcloud.sync.propagator x.cpp:42 ]:\tslow", "WARN"),
        # Barracuda's four letters for alert and emergency
        (
            "Jun 28 14:02:11 waf01 2024-06-28 10:02:11.482 -0400 waf01 WF ALER SQL_INJECTION",
            "FATAL",
        ),
        (
            "Jun 28 14:05:22 waf01 2024-06-28 10:05:22.640 -0400 waf01 WF EMER OS_CMD_INJECT",
            "FATAL",
        ),
        # Nokia SR OS: alarm severities (X.733's major and minor)
        ("2214 2024/03/14 09:19:52.37 UTC MINOR: BGP #2002 Base Peer 1: 192.0.2.14", "WARN"),
        ("2212 2024/03/14 09:19:22.79 UTC MAJOR: PORT #2004 Base Port 1/1/c2/1", "ERROR"),
        # ExtremeXOS's Debug-Summary
        ("03/14/2024 09:07:18.77 <Summ:DM.Info> Debug: EnvMon poll cycle 4512 completed", "DEBUG"),
        # Juniper ScreenOS: the severity in the message's type
        (
            "ssg550: NetScreen device_id=0185  [Root]system-warning-00518: Admin login failed",
            "WARN",
        ),
        ("ssg550: NetScreen device_id=0185  [Root]system-notification-00257(traffic): x=1", "INFO"),
        # PAN-OS's management-plane logs (`tail mp-log ikemgr.log`)
        (
            "2024-06-27 14:02:11.402 -0500 [PERR]: { 3: }: received notify NO_PROPOSAL_CHOSEN",
            "ERROR",
        ),
        ("2024-06-27 14:02:11.403 -0500 [PWRN]: { 3: }: retransmit IKE_SA_INIT request", "WARN"),
        ("2024-06-27 14:02:11.404 -0500 [PNTF]: { 3: }: ====> IKEv2 IKE SA NEGOTIATION", "INFO"),
        # Yealink's phones: the syslog severity's digit and name in angle brackets
        ("Jun 25 08:00:49 ipp [742]: ATP <4+warning> Skip file y000000000096.cfg", "WARN"),
        ("Jun 25 08:00:41 ipp [742]: DSK <6+info  > Phone boot complete", "INFO"),
        # MAVLink's STATUSTEXT dumped by mavlogdump: `severity : N`, syslog's numbers
        (
            "2024-06-28 10:41:52.11: STATUSTEXT {severity : 2, text : PreArm: Compass not "
            "calibrated, id : 0, chunk_seq : 0}",
            "FATAL",
        ),
        # Cisco IOS XE's btrace (a Catalyst 9800's wireless client trace): a notice
        (
            "2024/06/12 09:05:41.118342 {wncd_x_R0-0}{1}: [client-orch-sm] [17621]: (note): "
            "MAC: 3c22.fb12.3456  Association received.",
            "INFO",
        ),
        # Unreal Engine's Display verbosity after its category
        ("[2024.06.29-18.38.02:417][  0]LogConfig: Display: Loading Steam ini files", "INFO"),
        ("LogInit: Display: Running engine for game: Hollowpeak", "INFO"),
        # LibreOffice's SAL_LOG: the level word, then its area right after the colon
        ("warn:vcl.gtk3:48211:48211:vcl/unx/gtk3/gtkinst.cxx:1402: not yet implemented", "WARN"),
        ("info:sfx.doc:48211:48211:sfx2/source/doc/objstor.cxx:2937: Storing failed", "INFO"),
        # XCGLogger's (Home Assistant's iOS app) `[Verbose]`, below Debug
        ("2024-06-28 21:10:03.377 [Verbose] [main] [LocationManager.swift:188] x > y", "TRACE"),
        # Erlang/OTP's report headers (a crash report is logged as an error)
        ("=WARNING REPORT==== 28-Jun-2024::14:05:37.004512 ===", "WARN"),
        ("=CRASH REPORT==== 14-Mar-2024::09:27:10 ===", "ERROR"),
        ("=PROGRESS REPORT==== 14-Mar-2024::09:26:53 ===", "INFO"),
        # HPE's IML: a caution opening the message
        ("CAUTION: Main Memory - Corrected Memory Error threshold exceeded", "WARN"),
    ],
)
def test_more_level_forms_of_devices_and_tools(line, expected):
    assert levels([line]) == [expected]


def test_a_letter_after_the_stamp_where_the_lines_without_another_form_have_one():
    # MCUboot's `I: ...` lines, then Zephyr's `<inf>` lines, both behind tio's stamp.
    lines = [
        "[2024-03-14T09:55:10.482] *** Booting Zephyr OS build v3.4.99-ncs1-1 ***",
        "[2024-03-14T09:55:10.484] I: Starting bootloader",
        "[2024-03-14T09:55:10.490] I: Primary image: magic=good, swap_type=0x2",
        "[2024-03-14T09:55:10.513] I: Jumping to the first image slot",
        *[f"[2024-03-14T09:55:1{n}.804] [00:00:00.251,953] <inf> app: step {n}" for n in range(5)],
        "[2024-03-14T09:56:21.309] [00:01:10.756,608] <err> transport: MQTT CONNACK timeout",
    ]
    found = levels(lines, [25] * len(lines))
    assert found[:4] == [None, "INFO", "INFO", "INFO"]
    assert found[4:] == ["INFO"] * 5 + ["ERROR"]


def test_esp_idfs_letter_after_a_monitors_stamp_among_lines_without_one():
    # ESP-IDF's monitor with `--timestamps`: the app's lines, then a panic's and the decoded
    # addresses and the empty lines the monitor stamps too, without a letter.
    at = "2024-06-21 14:03:18 "
    esp = [f"{at}W (18640{n}) flow_meter: no pulses on GPIO5" for n in range(4)]
    esp += [f"{at}E (197311) task_wdt: CPU {n}: IDLE{n}" for n in range(6)]
    panic = [at, f"{at}abort() was called at PC 0x4203a2c7 on core 0", at, at]
    panic += [f"{at}Backtrace: 0x40375a3a:0x3fc94c60 0x4037ca71:0x3fc94c80"]
    panic += [f"{at}--- 0x4037{n}a3a: panic_abort at panic.c:47{n}" for n in range(7)]
    lines = [*esp, *panic]
    assert levels(lines, [19] * len(lines))[:10] == ["WARN"] * 4 + ["ERROR"] * 6


def test_a_letter_and_a_colon_opening_an_unstamped_line_is_its_level():
    # MCUboot's lines (no stamp) before Zephyr's stamped ones; apt's `E:` and `W:`.
    lines = [
        "*** Booting MCUboot v2.0.99-ncs1 ***",
        "I: Starting bootloader",
        "W: Failed reading sectors; BOOT_MAX_IMG_SECTORS=128",
        "[00:00:00.251,342] <inf> app: Asset tracker fw 1.4.2",
        "[00:00:05.812,521] <wrn> lte_lc: Network registration status: searching",
        "E: Unable to locate package libfoo",
        "D: image 0 size 0x3a000",
    ]
    starts = [None, None, None, 18, 18, None, None]
    assert levels(lines, starts) == [None, "INFO", "WARN", "INFO", "WARN", "ERROR", "DEBUG"]
    # Not without the space after the colon, nor another letter.
    assert levels(["E:\\data\\backup failed", "A: the answer"], [None, None]) == [None, None]


def test_a_lower_case_level_word_with_a_colon_after_the_stamps_bracket():
    # Slurm: the window starts at the stamp's closing bracket; debug2..debug5 are its levels.
    lines = [
        "[2024-05-21T07:58:47.006] debug:  sched: Running job scheduler for full queue.",
        "[2024-05-21T08:00:17.002] debug2: Testing job time limits and checkpoints",
        "[2024-05-21T07:58:44.117] error: Configured MailProg is invalid",
        *["[2024-05-21T07:58:44.131] Recovered state of 48 nodes"] * 5,
    ]
    assert levels(lines, [24] * 8)[:4] == ["DEBUG", "DEBUG", "ERROR", None]


def test_klogs_letter_after_a_transports_stamp():
    # `stern --timestamps` over ingress-nginx: the stamp, a space, then klog's header
    lines = [
        "2024-06-28T16:40:02.118105647+02:00 W0628 14:40:02.118018       7 store.go:48] stale",
        "2024-06-28T16:40:02.336290190+02:00 I0628 14:40:02.336017       7 controller.go:210] ok",
    ]
    assert levels(lines, [35, 35]) == ["WARN", "INFO"]


def test_ruckus_letters_between_colons_include_alert_and_emergency():
    lines = [
        "Mar 12 06:45:11:A:System: Stack unit 1 Fan 2 (Rear Side Right), failed",
        "Mar 14 09:31:52:I:Security: SSH login by admin from src IP 10.8.0.31",
        "Mar 14 09:29:04:N:PoE: Power enabled on port 1/1/17.",
        "Mar 14 09:22:13:E:DOT1X: Port 1/1/9 AuthFail",
        "Mar 14 08:02:17:M:System: Stack unit 1 Power supply 2 is down",
    ]
    assert levels(lines, [15] * 5) == ["FATAL", "INFO", "INFO", "ERROR", "FATAL"]


def test_websphere_event_types_that_name_no_level_count_towards_the_letters_place():
    # Open Liberty's messages.log: audit (A) and System.err (R) lines among I, W and E.
    kinds = "AAAIIAWEARR"
    lines = [
        f"[6/14/24, 9:26:4{n % 10}:310 UTC] 0000002a com.ibm.ws.kernel.FeatureManager {k} CWWK{n}"
        for n, k in enumerate(kinds)
    ]
    found = levels(lines, [26] * len(lines))
    assert [found[i] for i, k in enumerate(kinds) if k in "IWE"] == [
        "INFO",
        "INFO",
        "WARN",
        "ERROR",
    ]


def test_a_json_records_level_key_further_on_than_the_window():
    # structlog's JSON among gunicorn's lines: the keys sorted, `level` after the event's own.
    line = (
        '{"dsn": "postgresql://invoice@pg-main:5432/invoices", "min_size": 2, "max_size": 10, '
        '"event": "db_pool_ready", "logger": "invoice_api.db", "level": "warning", "x": 1}'
    )
    assert levels([line], [0]) == ["WARN"]


def test_sql_server_agents_markers_after_the_stamp():
    lines = [
        "2024-03-14 09:26:53 - ? [100] Microsoft SQLServerAgent version 16.0.4105.2",
        "2024-03-14 09:27:10 - + [396] An idle CPU condition has not been defined",
        "2024-03-14 09:31:02 - ! [298] SQLServer Error: 18456, Login failed for user",
    ]
    assert levels(lines, [19, 19, 19]) == ["INFO", "WARN", "ERROR"]


def test_icingas_level_and_component_even_where_the_component_runs_on():
    lines = [
        "[2024-03-14 09:26:55 +0100] debug/WorkQueue #2 (Daemon::Load): Spawning",
        "[2024-03-14 09:26:55 +0100] warning/ApplyRule: Apply rule 'x' matches nothing",
        "[2024-03-14 09:26:55 +0100] information/cli: Loading configuration file(s).",
    ]
    assert levels(lines, [26, 26, 26]) == ["DEBUG", "WARN", "INFO"]


def test_a_relays_facility_and_level_column_in_any_case():
    # Kiwi Syslog's tab-separated file: `Local4.Warning` in its own column.
    assert levels(["2024-03-14 09:20:07\tLocal4.Warning\t10.20.0.5\tprinter: toner low"]) == [
        "WARN"
    ]


def test_solaris_facility_and_level_at_the_end_of_its_id_bracket():
    assert levels(
        [
            "Mar 14 09:20:04 sol11-db01 genunix: [ID 540533 kern.notice] SunOS Release 5.11",
            "Mar 14 09:24:51 sol11-db01 scsi: [ID 107833 kern.warning] WARNING: /pci@0 (sd3)",
        ],
        [16, 16],
    ) == ["INFO", "WARN"]


def test_sambas_debug_level_in_its_stamps_bracket():
    # smb.conf's `syslog` option maps them: 0 an error, 1 a warning, 2 and 3 notices, more debug
    assert levels(
        [
            "[2024/03/14 08:41:06.207744,  0] ../../source3/smbd/server.c:1750(main)",
            "[2024/03/14 08:41:06.211930,  1] ../../source3/smbd/oplock.c:1427(oplock)",
            "[2024/03/14 08:41:06.254103,  3, pid=41288] ../../source3/smbd/service.c:1127(x)",
            "[2024/03/14 08:41:07.001000, 10] ../../source3/smbd/process.c:1938(process_smb)",
            "[2024/03/14 08:41:08] ERROR nothing of Samba's",
        ]
    ) == ["ERROR", "WARN", "INFO", "DEBUG", "ERROR"]


def test_a_level_key_further_on_than_the_header_window():
    # FortiGate's key=value records relayed by syslog name their level far into the line
    fields = 'date=2024-03-14 time=09:20:12 devname="FGT-DMZ01" devid="FG100FTK21004417" '
    fields += 'eventtime=1710404412004917206 tz="+0100" logid="0101037138" type="event" '
    lines = [
        f'Mar 14 09:20:12 10.10.0.1 {fields}subtype="vpn" level="notice" vd="root"',
        f'Mar 14 09:20:13 10.10.0.1 {fields}subtype="vpn" level="warning" vd="root"',
        "Mar 14 09:20:14 web-dmz-03 sshd[22845]: Invalid user oracle from 45.148.10.203",
    ]
    assert levels(lines) == ["INFO", "WARN", None]


def test_a_lower_case_letter_right_after_the_stamp_where_most_lines_have_one():
    # SAP HANA's trace files: `i`, `w`, `e` after the stamp, then the component
    head = "[36847]{-1}[-1/-1] 2024-03-14 09:26:53.4528"
    lines = [
        f"{head}70 i Basis            TraceStream.cpp(00469) : ==== Starting hdbindexserver",
        f"{head}71 i Memory           MallocProxy.cpp(01205) : Installed malloc hooks",
        f"{head}72 w Basis            Crypto.cpp(00712) : SSL key store is not configured",
        f"{head}73 e TableUpdate      TableUpdate.cpp(02210) : rollback of transaction 88812",
        f"{head}74 i Service_Startup  starter.cc(00427) : all services started",
    ]
    starts = [len(head) + 2] * len(lines)
    assert levels(lines, starts) == ["INFO", "INFO", "WARN", "ERROR", "INFO"]
    # A lone lower-case word of those letters now and then is no level.
    prose = [f"{head}7{i} e-mail queue flushed, {i} sent" for i in range(4)]
    prose.append(f"{head}79 i think the queue is empty")
    assert levels(prose, starts) == [None] * 5


def test_a_relays_file_takes_the_severity_of_the_pri_after_the_sender():
    # syslog-ng's `${R_ISODATE} ${SOURCEIP} ${RAWMSG}`: the sender's raw message, PRI first
    stamp = "2024-06-28T10:15:09.660+02:00"
    lines = [
        f"{stamp} 10.40.7.21 <86>Jun 28 10:15:03 bastion01 sshd[22817]: Accepted publickey",
        f"{stamp} 10.40.7.30 <27>Jun 28 10:15:09 web-dmz02 nginx[3301]: [emerg] bind() failed",
        f"{stamp} 10.40.7.30 <28>Jun 28 10:15:11 web-dmz02 systemd[1]: nginx.service: FAILURE",
        f"{stamp} 10.40.3.5 <191>1846: Jun 28 08:16:00.101 UTC: %SYS-7-DEBUG: trace",
    ]
    assert levels(lines, [len(stamp)] * 4) == ["INFO", "ERROR", "WARN", "DEBUG"]

"""logfmt: key=value lines."""

from __future__ import annotations

from helpers import lines_of, utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.logfmt import MAX_EXTRA_COLUMNS, parse_logfmt
from logview.core.reading.parsers.logfmt import sniff as sniff_logfmt
from logview.core.reading.registry import sniff
from logview.core.shared.table import PARSED_SCHEMA

PROSE = (
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "Winston Smith, his chin nuzzled into his breast, slipped quickly through the doors.",
)

LINES = [
    'time=2024-01-02T03:04:05Z level=info msg="user logged in" user=bob latency=12ms',
    'time=2024-01-02T03:04:06.5Z level=error msg="said \\"hi\\" to c:\\\\tmp" user="al ice" '
    "line=7 level.detail=disk",
    "time=2024-01-02T03:04:07Z level=warn user=carol path=/a=b",
]


def sample_of(texts: list[str] | tuple[str, ...], name: str = "app.log") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


CTX = ParseContext("app.log")


def test_time_level_and_msg_keys_become_core_columns_and_the_rest_extras():
    frame = parse_logfmt(lines_of(LINES), CTX)
    assert frame.columns == [
        "ts", "level", "line", "message", "user", "latency", "line_", "level.detail", "path",
    ]  # fmt: skip
    assert frame["ts"].to_list() == [
        utc(2024, 1, 2, 3, 4, 5),
        utc(2024, 1, 2, 3, 4, 6, 500000),
        utc(2024, 1, 2, 3, 4, 7),
    ]
    assert frame["level"].to_list() == ["INFO", "ERROR", "WARN"]
    assert frame["user"].to_list() == ["bob", "al ice", "carol"]
    assert frame["latency"].to_list() == ["12ms", None, None]
    assert frame["line_"].to_list() == [None, "7", None]
    assert frame["path"].to_list() == [None, None, "/a=b"]


def test_message_is_the_unescaped_msg_value_or_the_line_without_one():
    frame = parse_logfmt(lines_of(LINES), CTX)
    assert frame["message"].to_list() == ["user logged in", 'said "hi" to c:\\tmp', LINES[2]]


def test_lines_without_pairs_keep_their_place():
    texts = [LINES[0], "    at com.example.Main(Main.java:1)", "a plain line", LINES[2]]
    frame = parse_logfmt(lines_of(texts), CTX)
    assert frame["line"].to_list() == [1, 3, 4]
    assert frame["message"][0] == "user logged in\n    at com.example.Main(Main.java:1)"
    assert frame.row(1, named=True)["ts"] is None
    assert frame.row(1, named=True)["level"] is None
    assert frame["message"][1] == "a plain line"


GO_PANIC = [
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x1c3f9a4]",
    "",
    "goroutine 412 [running]:",
    "github.com/grafana/loki/clients/pkg/promtail/targets/file.(*tailer).readLines(0xc000a1e2c0)",
    "\t/src/loki/clients/pkg/promtail/targets/file/tailer.go:176 +0x3a4",
    "created by github.com/grafana/loki/clients/pkg/promtail/targets/file.newTailer",
]


def test_a_go_panic_among_the_pairs_is_one_entry_up_to_the_next_stamped_line():
    frame = parse_logfmt(lines_of([LINES[0], *GO_PANIC, LINES[2]]), CTX)
    assert frame["line"].to_list() == [1, 2, 9]
    assert frame["message"][1].startswith("panic: runtime error")
    assert frame["message"][1].endswith("targets/file.newTailer")
    assert frame["ts"][1] is None
    # Where the pairs have no stamps, the panic ends at the next line of pairs.
    plain = ["level=info msg=started", GO_PANIC[0], GO_PANIC[3], "level=info msg=restarted"]
    frame = parse_logfmt(lines_of(plain), CTX)
    assert frame["line"].to_list() == [1, 2, 4]
    assert frame["message"][1] == f"{GO_PANIC[0]}\n{GO_PANIC[3]}"


def test_alternative_key_names_are_recognised():
    texts = ['ts=1704164645 lvl=DEBUG message="x y" a=1', "ts=1704164646 lvl=WARN message=z a=2"]
    frame = parse_logfmt(lines_of(texts), CTX)
    assert frame.columns == ["ts", "level", "line", "message", "a"]
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 3, 4, 5), utc(2024, 1, 2, 3, 4, 6)]
    assert frame["level"].to_list() == ["DEBUG", "WARN"]
    assert frame["message"].to_list() == ["x y", "z"]


def test_extra_columns_are_capped_to_the_most_used_keys_with_a_warning():
    notes: list[str] = []
    common = " ".join(f"k{i}=v" for i in range(MAX_EXTRA_COLUMNS))
    texts = [f"level=info {common} rare{j}=x" for j in range(3)]
    frame = parse_logfmt(lines_of(texts), ParseContext("app.log", warn=notes.append))
    assert frame.width == 4 + MAX_EXTRA_COLUMNS
    assert "k0" in frame.columns and "rare0" not in frame.columns
    assert any("rare0" in note for note in notes)


def test_logfmt_sniff_wins_on_its_sample_and_not_on_prose():
    detection = sniff(sample_of(LINES))
    assert detection is not None and detection.format.name == "logfmt"
    assert detection.confidence == 0.85
    assert sniff_logfmt(sample_of(PROSE)) == 0.0
    three_pairs = ["a=1 b=2 c=3", "a=4 b=5 c=6"]
    assert sniff_logfmt(sample_of(three_pairs)) == 0.85


def test_text_lines_with_a_few_trailing_pairs_are_not_logfmt():
    texts = [f"2024-01-02 03:04:0{i} INFO service started on port=80{i} pid=1" for i in range(5)]
    assert sniff_logfmt(sample_of(texts)) == 0.0


def test_empty_input_gives_an_empty_frame_with_the_parsed_schema():
    frame = parse_logfmt(lines_of([]), CTX)
    assert frame.height == 0
    assert dict(frame.schema) == PARSED_SCHEMA


def test_a_date_and_a_time_written_as_two_keys_make_the_stamp_with_the_tz_offset():
    # Firewalls' key=value logs (FortiGate) write `date=` and `time=` apart, and `tz=`.
    texts = [
        'date=2024-03-14 time=09:26:53 tz="+0100" level="notice" msg="login"',
        'date=2024-03-14 time=09:27:40 tz="+0100" level="warning" msg="denied"',
        "date=2024-03-14 time=09:28:00 level=notice msg=no-zone",
    ]
    frame = parse_logfmt(lines_of(texts), ParseContext("fw.log", tz="UTC"))
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 8, 26, 53),
        utc(2024, 3, 14, 8, 27, 40),
        utc(2024, 3, 14, 9, 28),
    ]
    assert frame["level"].to_list() == ["INFO", "WARN", "INFO"]
    # Received raw, the syslog PRI glued to the first key (`<189>date=...`).
    raw = [f"<189>{text}" for text in texts]
    frame = parse_logfmt(lines_of(raw), ParseContext("udp514.log", tz="UTC"))
    assert frame["ts"][0] == utc(2024, 3, 14, 8, 26, 53)
    found = sniff(Sample("udp514.log", "\n".join(raw).encode(), tuple(raw)))
    assert found is not None and found.format.name == "logfmt"


def test_a_timezone_key_naming_a_zone_gives_the_offset_of_date_and_time():
    # Sophos Firewall writes `timezone="CET"`; a name no table knows is left out, not fatal.
    texts = [
        'date=2024-03-14 time=10:21:03 timezone="CET" log_type="Firewall" status="Allow"',
        'date=2024-03-14 time=10:21:44 timezone="Europe/Berlin" log_type="Firewall"',
        'date=2024-03-14 time=10:22:10 timezone="XYZ" log_type="Event"',
    ]
    frame = parse_logfmt(lines_of(texts), ParseContext("fw.log", tz="UTC"))
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 21, 3),
        utc(2024, 3, 14, 9, 21, 44),
        utc(2024, 3, 14, 10, 22, 10),
    ]


def test_another_writers_lines_with_pairs_but_no_stamp_key_keep_their_own_stamp():
    # k3s: its own logrus lines and the Kubernetes components' klog lines, which have pairs
    texts = [
        'time="2024-03-14T09:21:04Z" level=info msg="Running kube-apiserver"',
        'I0314 09:21:19.240177    2871 kubelet_node_status.go:73] "Attempting" node="edge-7"',
        "E0314 09:21:19.251904    2871 kubelet_node_status.go:96] Unable to register node",
        'time="2024-03-14T09:21:24Z" level=info msg="Node edge-7 registered"',
    ]
    mtime = utc(2024, 6, 30, 12).timestamp()
    frame = parse_logfmt(lines_of(texts), ParseContext("k3s.log", mtime=mtime, tz="UTC"))
    assert frame["line"].to_list() == [1, 2, 3, 4]
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 21, 4),
        utc(2024, 3, 14, 9, 21, 19, 240177),
        utc(2024, 3, 14, 9, 21, 19, 251904),
        utc(2024, 3, 14, 9, 21, 24),
    ]


def test_pairs_after_a_line_header_take_its_stamp():
    # Appliances log their pairs after a syslog-style header (Sophos UTM: a date with colons).
    texts = [
        '2024:03:14-09:26:53 utm-1 ulogd[4521]: id="2001" severity="info" name="Packet dropped"',
        '2024:03:14-09:27:04 utm-1 ulogd[4521]: id="2002" severity="info" name="Packet accepted"',
        'Mar 14 09:28:00 fw-2 kernel: id="2003" severity="warn" name="Flood"',
    ]
    frame = parse_logfmt(lines_of(texts), ParseContext("fw.log", mtime=1710460800.0))
    assert frame["ts"].to_list()[:2] == [utc(2024, 3, 14, 9, 26, 53), utc(2024, 3, 14, 9, 27, 4)]
    assert frame["level"].to_list() == ["INFO", "INFO", "WARN"]
    # Without a header stamp the pairs' own keys still decide (none here).
    plain = parse_logfmt(lines_of(['id="1" severity="info"']), CTX)
    assert plain["ts"].to_list() == [None]


def test_numeric_levels_are_read_by_the_convention_of_their_key():
    # A firewall's key=value syslog (SonicOS writes `pri=` as a syslog severity, 0..7).
    texts = [
        'id=firewall time="2024-03-14 09:20:58 UTC" pri=6 msg="Connection Opened" n=1',
        'id=firewall time="2024-03-14 09:21:40 UTC" pri=4 msg="Possible port scan" n=2',
        'id=firewall time="2024-03-14 09:22:03 UTC" pri=3 msg="Interface X1 down" n=3',
    ]
    frame = parse_logfmt(lines_of(texts), CTX)
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR"]
    assert frame["ts"][0] == utc(2024, 3, 14, 9, 20, 58)
    # pino's numbers under `level` read as pino's, with a note that it was a guess.
    notes: list[str] = []
    pino = parse_logfmt(
        lines_of(["level=30 msg=up", "level=50 msg=down"]), ParseContext("a.log", note=notes.append)
    )
    assert pino["level"].to_list() == ["INFO", "ERROR"]
    assert any("bunyan/pino" in note for note in notes)


def test_a_few_lines_of_pairs_among_plain_lines_are_no_logfmt():
    # Klipper's klippy.log: `Stats ...: key=value ...` lines every second among its messages.
    stats = (
        "Stats 5114.2: gcodein=0  mcu: mcu_awake=0.012 mcu_task_avg=0.000021"
        " mcu_task_stddev=0.000017 bytes_write=1834512 bytes_read=402177 bytes_retransmit=9"
    )
    lines = [
        stats,
        "autotune_tmc: stepper_z motor 'ldo-42sth48-2504ac' not found in motor database",
        'Internal error on command:"AUTOTUNE_TMC"',
        "Traceback (most recent call last):",
        '  File "/home/pi/klipper/klippy/gcode.py", line 212, in _process_commands',
        "ZeroDivisionError: float division by zero",
        'Transition to shutdown state: Internal error on command:"AUTOTUNE_TMC"',
        "Restarting printer",
    ]
    sample = Sample("klippy.log", "\n".join(lines).encode(), tuple(lines))
    assert sniff_logfmt(sample) == 0.0
    assert sniff(sample).format.name == "text"
    # (half the lines pairs or more: logfmt with a few plain lines)
    pairs = ('time=2024-06-29T14:02:10Z level=info msg="step" n=1',) * 4
    assert sniff_logfmt(Sample("k.log", b"", pairs + tuple(lines[1:4]))) > 0.4

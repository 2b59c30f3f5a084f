"""Android logcat: every `adb logcat -v` layout and Android Studio's saved Logcat window."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.logcat import parse_logcat
from logview.core.reading.parsers.logcat import sniff as sniff_logcat
from logview.core.reading.registry import sniff

# 2024-06-15 00:00 UTC: year-less stamps take 2024 for the last entry.
MTIME = datetime(2024, 6, 15, tzinfo=UTC).timestamp()

THREADTIME = [
    "--------- beginning of main",
    "03-17 16:13:38.811  1702  2395 D WindowManager: relayout window Token{42}",
    "03-17 16:13:38.812  1702  2395 I ActivityManager: Start proc 4242:com.example/u0a12",
    "03-17 16:13:38.900   119   119 W test    : low memory: 12 MB",
    "03-17 16:13:39.000  4242  4242 E AndroidRuntime: java.lang.IllegalStateException: boom",
    "03-17 16:13:39.000  4242  4242 E AndroidRuntime: \tat com.example.Main.run(Main.java:12)",
    "03-17 16:13:39.000  4242  4242 E AndroidRuntime: Caused by: java.io.IOException: gone",
    "03-17 16:13:39.001  4242  4242 F libc    : Fatal signal 6 (SIGABRT)",
    "03-17 16:13:39.002  4242  4242 A DEBUG   : Abort message: 'assert failed'",
    "03-17 16:13:39.003  1702  2395 V Choreographer: frame 12",
]
TIME = [
    "03-17 16:13:38.811 D/WindowManager( 1702): relayout window",
    "03-17 16:13:38.812 I/ActivityManager(  119): Start proc 4242",
    "03-17 16:13:38.900 W/test    ( 4242): low memory",
]
BRIEF = [
    "D/WindowManager( 1702): relayout window",
    "I/ActivityManager(  119): Start proc 4242",
    "E/AndroidRuntime( 4242): FATAL EXCEPTION: main",
]
LONG = [
    "--------- beginning of main",
    "[ 03-17 16:13:38.811  1702: 2395 D/WindowManager ]",
    "relayout window Token{42}",
    "",
    "[ 03-17 16:13:38.900  4242: 4242 E/AndroidRuntime ]",
    "FATAL EXCEPTION: main",
    "java.lang.IllegalStateException: boom",
    "\tat com.example.Main.run(Main.java:12)",
    "",
]
STUDIO = [
    "2024-03-17 16:13:38.811  1702-2395  WindowManager           system_process"
    "                       D  relayout window",
    "2024-03-17 16:13:38.900  4242-4242  AndroidRuntime          com.example.app"
    "                      E  FATAL EXCEPTION: main",
    "2024-03-17 16:13:38.901  4242-4242  MainActivity            com.example.app"
    "                      I  onCreate",
]


def sample_of(texts: list[str], name: str = "logcat.txt") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str], notes: list[str] | None = None) -> pl.DataFrame:
    ctx = ParseContext("logcat.txt", mtime=MTIME, note=(notes if notes is not None else []).append)
    return parse_logcat(lines_of(texts), ctx)


def body(frame: pl.DataFrame, row: int) -> str:
    entry = frame.row(row, named=True)
    return entry["message"][entry["body_at"] or 0 :]


@pytest.mark.parametrize("texts", [THREADTIME, TIME, BRIEF, LONG, STUDIO])
def test_every_layout_is_detected_as_logcat(texts):
    found = sniff(sample_of(texts))
    assert found is not None and found.format.name == "logcat"


def test_other_formats_are_not_taken_for_logcat():
    others = [
        ["2024-03-17 16:13:38.811 INFO [main] c.e.App - started", "2024-03-17 16:13:39 WARN x"],
        ["Jun 14 15:16:01 combo sshd[19939]: check pass", "Jun 14 15:16:02 combo su: ok"],
        ['{"level": "info", "msg": "x"}', '{"level": "warn", "msg": "y"}'],
        ["I/O error: disk full", "plain words here", "another sentence of prose"],
    ]
    for texts in others:
        assert sniff_logcat(sample_of(texts)) == 0.0


def test_threadtime_levels_fields_and_year_less_stamps():
    notes: list[str] = []
    frame = parse(THREADTIME, notes)
    assert frame["level"].to_list() == ["DEBUG", "INFO", "WARN", "ERROR", "ERROR", "ERROR",
                                        "FATAL", "FATAL", "TRACE"]  # fmt: skip
    first = frame.row(0, named=True)
    assert first["ts"] == datetime(2024, 3, 17, 16, 13, 38, 811000, tzinfo=UTC)
    assert (first["pid"], first["tid"], first["tag"]) == ("1702", "2395", "WindowManager")
    assert frame.row(2, named=True)["tag"] == "test"  # logcat pads tags to 8 characters
    assert any("no year" in n for n in notes)
    assert body(frame, 0) == "relayout window Token{42}"


def test_each_line_of_a_stack_trace_is_an_entry_as_logcat_writes_it():
    frame = parse(THREADTIME)
    crash = frame.filter(pl.col("tag") == "AndroidRuntime")
    assert crash["message"].str.contains("\n").not_().all()
    assert [body(crash, i) for i in range(crash.height)] == [
        "java.lang.IllegalStateException: boom",
        "\tat com.example.Main.run(Main.java:12)",
        "Caused by: java.io.IOException: gone",
    ]
    assert crash["ts"].n_unique() == 1 and crash["level"].to_list() == ["ERROR"] * 3


def test_lines_of_one_call_that_are_not_frames_stay_entries():
    texts = [
        "03-17 16:13:39.000  4242  4242 E AndroidRuntime: FATAL EXCEPTION: main",
        "03-17 16:13:39.000  4242  4242 E AndroidRuntime: Process: com.example, PID: 4242",
    ]
    assert parse(texts).height == 2


def test_buffer_markers_are_not_entries_and_a_note_says_so():
    notes: list[str] = []
    frame = parse(THREADTIME, notes)
    assert not frame["message"].str.contains("beginning of").any()
    assert frame["ts"].null_count() == 0
    assert any("buffer marker" in note for note in notes)


def test_time_and_brief_layouts_give_tag_and_pid():
    timed = parse(TIME)
    assert timed["tag"].to_list() == ["WindowManager", "ActivityManager", "test"]
    assert timed["pid"].to_list() == ["1702", "119", "4242"]
    assert timed["ts"][2] == datetime(2024, 3, 17, 16, 13, 38, 900000, tzinfo=UTC)
    brief = parse(BRIEF)
    assert brief["ts"].null_count() == 3
    assert brief["level"].to_list() == ["DEBUG", "INFO", "ERROR"]
    assert body(brief, 2) == "FATAL EXCEPTION: main"


def test_long_layout_is_one_entry_per_block_with_the_body_after_the_header():
    frame = parse(LONG)
    assert frame.height == 2
    crash = frame.row(1, named=True)
    assert crash["level"] == "ERROR" and crash["tid"] == "4242"
    assert crash["message"].endswith("\tat com.example.Main.run(Main.java:12)")
    assert body(frame, 1).startswith("FATAL EXCEPTION: main\njava.lang")
    assert body(frame, 0) == "relayout window Token{42}"


def test_studio_export_has_a_year_a_package_and_its_level_column():
    notes: list[str] = []
    frame = parse(STUDIO, notes)
    assert frame["package"].to_list() == ["system_process", "com.example.app", "com.example.app"]
    assert frame["level"].to_list() == ["DEBUG", "ERROR", "INFO"]
    assert frame["ts"][0] == datetime(2024, 3, 17, 16, 13, 38, 811000, tzinfo=UTC)
    assert not any("no year" in n for n in notes)
    assert body(frame, 1) == "FATAL EXCEPTION: main"


def test_year_uid_and_zone_modifiers():
    texts = [
        "2024-03-17 16:13:38.811 +0100  1000  1702  2395 I Tag: with zone and uid",
        "2024-03-17 16:13:38.812 +0100  1000  1702  2395 I Tag: again",
    ]
    frame = parse(texts)
    assert frame["uid"].to_list() == ["1000", "1000"]
    assert frame["ts"][0] == datetime(2024, 3, 17, 15, 13, 38, 811000, tzinfo=UTC)


def test_a_broken_line_in_the_middle_joins_the_entry_above_and_the_next_is_read():
    texts = [THREADTIME[1], "03-17 16:13:3", THREADTIME[2]]
    frame = parse(texts)
    assert frame.height == 2
    assert frame["message"][0].endswith("\n03-17 16:13:3")
    assert frame["tag"].to_list() == ["WindowManager", "ActivityManager"]


def test_ingest_reads_a_logcat_file_with_its_fields(tmp_path):
    path = tmp_path / "logcat.txt"
    path.write_text("\n".join(THREADTIME) + "\n")
    result = ingest([path])
    assert result.sources[0].format == "logcat"
    table = result.table
    assert table.height == 9
    assert table["level"].cast(pl.String).to_list().count("FATAL") == 2
    assert "tag" in table.columns


def test_a_long_hostile_line_is_sniffed_and_read_quickly():
    import time

    hostile = "03-17 16:13:38.811  1702  2395 D Tag" + " " * 60_000
    texts = [hostile, "D/Tag" + " " * 60_000, "[ 03-17 16:13:38.811  1: 2 D/x" + " " * 60_000]
    start = time.perf_counter()
    sniff_logcat(sample_of(texts))
    parse(texts)
    assert time.perf_counter() - start < 1.0


def test_a_bug_reports_section_lines_and_a_tools_status_lines():
    # A section cut out of an Android bug report, with its heading and its footer; and
    # `flutter run`'s own lines before the app's (each an entry, as in plain text).
    texts = [
        "------ RADIO LOG (logcat -b radio -v threadtime -v printable -v uid -d *:v) ------",
        "--------- beginning of radio",
        "06-28 09:12:58.106  1001  2210  2210 D RILJ    : [UNSL]< UNSOL_SIGNAL_STRENGTH",
        "06-28 09:13:21.090  1001  2210  2210 E CarrierServiceStateTracker: Unable to bind",
        "------ 0.140s was the duration of 'RADIO LOG' ------",
    ]
    frame = parse(texts)
    assert frame["line"].to_list() == [3, 4]
    texts = [
        "Performing hot restart...",
        "Restarted application in 1,482ms.",
        "I/flutter (12044): [Fleet] env=staging build=1.4.0+77",
        "D/EGL_emulation(12044): app_time_stats: avg=412.73ms",
    ]
    frame = parse(texts)
    assert frame["line"].to_list() == [1, 2, 3, 4]
    assert frame["level"].to_list() == [None, None, "INFO", "DEBUG"]


def test_epoch_layout_padded_with_spaces():
    # `adb logcat -v epoch`: seconds since 1970 right-aligned in a padded field.
    texts = [
        "--------- beginning of main",
        "         1710408041.102  8123  8123 I com.acme.shop: Late-enabling -Xcheck:jni",
        "         1710408042.004  8123  8151 W okhttp.OkHttpClient: <-- 503 Service Unavailable",
        "         1710408042.011  8123  8151 E CheckoutRepo: checkout failed",
    ]
    assert sniff(sample_of(texts)).format.name == "logcat"
    frame = parse(texts)
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR"]
    assert frame["ts"][0] == datetime(2024, 3, 14, 9, 20, 41, 102000, tzinfo=UTC)


def test_the_process_layout_reads_letter_and_pid():
    from logview.core.reading.parsers.logcat import parse_logcat

    texts = [
        "I(18342) Late-enabling -Xcheck:jni  (xample.fieldapp)",
        "W(18342) Accessing hidden method  (xample.fieldapp)",
        "E(18342) FATAL EXCEPTION: main  (AndroidRuntime)",
    ]
    frame = parse_logcat(lines_of(texts), ParseContext("logcat.txt"))
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR"]
    assert frame["pid"].to_list() == ["18342"] * 3


def test_a_serial_consoles_kernel_lines_and_prompts_among_logcats():
    # An Android board's serial console: a shell prompt, `logcat -d`, the kernel's printk
    # lines arriving on the same console.
    texts = [
        "[  612.884113] healthd: battery l=100 v=5000 t=2.6",
        "console:/ # logcat -d -v threadtime -t 4",
        "--------- beginning of main",
        "03-14 09:27:41.118   512   512 I ServiceManager: Waiting for service",
        "03-14 09:27:43.007  4121  4158 W KioskApp: MQTT connect failed, retry in 5000 ms",
        "[  640.115902] binder: 4121:4121 transaction failed 29189/-22",
        "03-14 09:27:48.402  4121  4121 E AndroidRuntime: FATAL EXCEPTION: main",
        "console:/ # ",
    ]
    frame = parse(texts)
    assert frame["line"].to_list() == [1, 4, 5, 6, 7]
    assert frame["ts"][3] is None and frame["level"][3] is None
    assert frame["level"].to_list()[1:] == ["INFO", "WARN", None, "ERROR"]


def test_the_long_layout_with_a_crash_and_thread_ids_in_hex():
    # Android 4.4's `logcat -v long`: the thread id in hex; a crash's many stack frames
    texts = ["--------- beginning of /dev/log/main"]
    texts += ["[ 03-14 09:26:41.102  1843:0x8a1 I/ActivityManager ]", "Start proc com.example", ""]
    texts += ["[ 03-14 09:26:42.241  5312:0x14c0 E/AndroidRuntime ]", "FATAL EXCEPTION: main"]
    texts += ["java.lang.NullPointerException"]
    texts += [f"\tat com.example.sync.Step{i}.run(Step{i}.java:{i})" for i in range(14)]
    texts += ["", "[ 03-14 09:26:43.790  5312:0x14c0 I/Process  ]", "Sending signal. PID: 5312"]
    assert sniff_logcat(sample_of(texts)) == 0.85
    frame = parse(texts)
    assert frame["level"].to_list() == ["INFO", "ERROR", "INFO"]
    assert frame["tid"].to_list() == ["0x8a1", "0x14c0", "0x14c0"]

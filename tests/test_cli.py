"""The command line: headless commands, exit codes, one-line errors."""

import gzip
import json
import subprocess
import sys

import polars as pl
import pytest

from logview import __version__
from logview.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "logview", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def bundle(tmp_path):
    (tmp_path / "app.log").write_text(
        "2026-03-10 14:00:01 INFO started\n2026-03-10 14:00:03 ERROR =cmd|' /C calc'!A0\n"
    )
    (tmp_path / "api.jsonl.gz").write_bytes(
        gzip.compress(
            b'{"ts": "2026-03-10T14:00:02Z", "level": "warn", "msg": "slow", "ms": 900}\n'
        )
    )
    return tmp_path


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"logview {__version__}"


@pytest.mark.slow
def test_export_writes_the_merged_table_as_csv_to_stdout(bundle):
    out = run_cli("export", str(bundle))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("ts,level,source,line,message")
    assert [line.split(",")[1] for line in lines[1:]] == ["INFO", "WARN", "ERROR"]
    assert lines[1].startswith("2026-03-10T14:00:01.000000Z,")
    assert lines[2].split(",")[4] == "slow"


def test_export_to_a_file_follows_its_extension(bundle, tmp_path):
    target = tmp_path / "out.parquet"
    assert main(["export", str(bundle / "app.log"), "-o", str(target)]) == 0
    assert pl.read_parquet(target)["level"].to_list() == ["INFO", "ERROR"]


def test_export_to_jsonl(bundle, tmp_path):
    target = tmp_path / "out.jsonl"
    assert main(["export", str(bundle), "--format", "jsonl", "-o", str(target)]) == 0
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["message"] for r in rows][1] == "slow"
    assert rows[1]["ms"] == "900"


def test_missing_input_exits_2_with_one_line(tmp_path):
    out = run_cli("export", str(tmp_path / "nope.log"))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "nope.log" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_arguments_exit_2_with_one_line():
    out = run_cli("export", "--format", "xml", "x.log")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "invalid choice" in out.stderr


def test_parquet_to_stdout_is_refused(bundle):
    out = run_cli("export", str(bundle), "--format", "parquet")
    assert out.returncode == 2
    assert "parquet needs an output file" in out.stderr


def test_sources_lists_formats_and_counts_as_json(bundle, capsys):
    assert main(["sources", str(bundle), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    by_name = {s["source"].rsplit("/", 1)[-1]: s for s in report["sources"]}
    assert by_name["app.log"]["format"] == "text"
    assert by_name["app.log"]["entries"] == 2
    assert by_name["api.jsonl.gz"]["format"] == "jsonl"
    assert report["warnings"] == []


def test_warnings_go_to_stderr_and_do_not_fail(bundle, capsys):
    (bundle / "core.bin").write_bytes(bytes(range(256)) * 10)
    assert main(["sources", str(bundle)]) == 0
    assert "core.bin: skipped: binary file" in capsys.readouterr().err


@pytest.mark.slow
def test_query_prints_stats_as_csv(bundle):
    out = run_cli(
        "query", str(bundle), "stats count(*) as n by @level | sort n desc", "--format", "csv"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["@level,n", "ERROR,1", "INFO,1", "WARN,1"]


def test_query_plain_search_in_a_time_range(bundle, capsys):
    args = ["query", str(bundle), "slow", "--start", "2026-03-10T14:00:02Z", "--format", "jsonl"]
    assert main(args) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["@message"] for r in rows] == ["slow"]
    assert main([*args[:3], "--end", "2026-03-10T14:00:02Z", "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["filter (level = 1"], "expected ')' at column"),
        (["filter @message like /(/"], "bad regex /(/"),
        (["x", "--start", "yesterday"], "--start wants an ISO 8601 time"),
    ],
)
def test_query_errors_are_one_line_and_exit_2(bundle, args, reason):
    out = run_cli("query", str(bundle), *args)
    assert out.returncode == 2
    assert reason in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_anomalies_follow_prints_an_incident_when_its_window_closes(tmp_path):
    """`anomalies --follow`: a new error pattern appended to a followed file is printed once
    the window it started in has closed, and Ctrl-C ends the command with 0."""
    import queue
    import signal
    import threading
    import time
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)

    def at(seconds: int, text: str, level: str = "INFO") -> str:
        return f"{(t0 + timedelta(seconds=seconds)):%Y-%m-%d %H:%M:%S} {level} {text}\n"

    log = tmp_path / "app.log"
    log.write_text("".join(at(s, f"heartbeat ok seq {s}") for s in range(0, 90 * 60, 10)))
    process = subprocess.Popen(
        [sys.executable, "-m", "logview", "anomalies", str(log), "--follow", "--every", "1m",
         "--interval", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in process.stdout], daemon=True).start()

    def wait_for(fragment: str) -> str:
        while True:
            got = lines.get(timeout=60)
            if fragment in got:
                return got

    try:
        assert "following 1 file" in wait_for("following")
        with open(log, "a") as file:
            file.write(at(90 * 60, "heartbeat ok seq 5400"))
            file.write(at(90 * 60 + 5, "OutOfMemoryError in worker pool 7", "ERROR"))
            file.write(at(90 * 60 + 6, "OutOfMemoryError in worker pool 3", "ERROR"))
        time.sleep(0.5)
        with open(log, "a") as file:  # the incident's window closes
            file.write(at(91 * 60 + 1, "heartbeat ok seq 5460"))
        found = wait_for("new pattern")
        assert "HIGH" in found and "OutOfMemoryError" in found
        assert f"{t0 + timedelta(minutes=90):%Y-%m-%d %H:%M}" in found
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0


def test_anomalies_follow_refuses_json(bundle):
    result = run_cli("anomalies", str(bundle), "--follow", "--json")
    assert (
        result.returncode == 2 and "--follow" in result.stderr and "Traceback" not in result.stderr
    )


def test_the_command_lines_choices_are_the_cores():
    from logview.cli import _anomalies_parser, _export_parser
    from logview.core.analysis.anomalies import WINDOWS, Priority
    from logview.core.analysis.export import FORMATS

    def choices(parser, option: str) -> list[str]:
        (action,) = [a for a in parser._actions if option in a.option_strings]
        return list(action.choices)

    anomalies = _anomalies_parser()
    assert choices(anomalies, "--min-priority") == ["LOW", "MEDIUM", "HIGH"] == list(Priority)
    assert choices(anomalies, "--every") == [f"{m}m" for m in WINDOWS]
    assert choices(_export_parser(), "--format") == list(FORMATS)


def test_commands_take_files_read_before_from_the_column_cache(bundle, capsys, monkeypatch):
    from logview.core.reading import ingest as ingest_module
    from logview.core.reading.column_cache import shared_cache

    parsed: list[str] = []
    real = ingest_module._parse_job
    monkeypatch.setattr(
        ingest_module, "_parse_job", lambda job: (parsed.append(job.name), real(job))[1]
    )
    assert main(["sources", str(bundle), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    once = len(parsed)
    assert once > 0 and shared_cache().flush(30)
    assert main(["sources", str(bundle), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first and len(parsed) == once
    assert main(["sources", str(bundle), "--json", "--no-cache"]) == 0
    assert len(parsed) == 2 * once


@pytest.mark.parametrize(
    "query",
    [
        "slow",
        'filter @level = "WARN" | stats count(*) by bin(1m)',
        "fields @timestamp, @message, ms | sort @timestamp desc | limit 2",
        "stats count(*) by @pattern",
    ],
)
def test_a_query_over_files_in_the_cache_reads_them_lazily_and_answers_the_same(
    bundle, capsys, monkeypatch, query
):
    import logview.cli as cli
    from logview.core.reading.column_cache import shared_cache

    assert main(["query", str(bundle), query, "--format", "csv", "--no-cache"]) == 0
    parsed = capsys.readouterr().out
    assert main(["sources", str(bundle)]) == 0  # keeps the files in the cache
    assert shared_cache().flush(30)
    capsys.readouterr()
    loads: list[object] = []
    monkeypatch.setattr(cli, "load_paths", lambda args: loads.append(args) or pytest.fail("parsed"))
    assert main(["query", str(bundle), query, "--format", "csv"]) == 0
    assert capsys.readouterr().out == parsed and not loads


@pytest.mark.parametrize(
    "command", [["anomalies", "--json"], ["compare", "--json"], ["patterns", "--json"]]
)
def test_a_table_mined_before_is_not_mined_again_nor_its_anomalies_looked_for(
    bundle, capsys, monkeypatch, command
):
    import logview.core.analysis.mined_parts as mined_parts
    from logview.core.analysis import anomalies as detection
    from logview.core.reading.column_cache import shared_cache

    mined: list[int] = []
    real = mined_parts.mine_entries
    monkeypatch.setattr(
        mined_parts, "mine_entries", lambda rows, progress=None: (mined.append(1), real(rows))[1]
    )
    looked: list[int] = []
    detect = detection.detect
    monkeypatch.setattr(detection, "detect", lambda *a, **k: (looked.append(1), detect(*a, **k))[1])
    name, *flags = command
    assert main([name, str(bundle), *flags]) == 0
    first = capsys.readouterr().out
    assert shared_cache().flush(30) and mined == [1]
    assert main([name, str(bundle), *flags]) == 0
    assert capsys.readouterr().out == first and mined == [1]
    assert looked == ([1] if name == "anomalies" else [])  # anomalies looked for once


def test_a_query_over_a_damaged_cache_reads_the_files_instead(bundle, capsys):
    from logview.core.reading.column_cache import shared_cache

    query = "fields @timestamp, @message | sort @timestamp desc"
    assert main(["query", str(bundle), query, "--format", "csv", "--no-cache"]) == 0
    parsed = capsys.readouterr().out
    assert main(["sources", str(bundle)]) == 0
    cache = shared_cache()
    assert cache.flush(30)
    for part in cache.folder.glob("*/*.parquet"):
        data = bytearray(part.read_bytes())
        middle = len(data) // 2
        data[middle - 40 : middle + 40] = b"\xff" * 80
        part.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["query", str(bundle), query, "--format", "csv"]) == 0
    assert capsys.readouterr().out == parsed

"""Levels as real logs write them: numbers by the convention of their source.

Every sample line here is written after the layout its library documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from logview.core import level_numbers
from logview.core.ingest import ingest
from logview.core.table import time_ordered


def write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def level_list(table: pl.DataFrame) -> list[str]:
    return table["level"].cast(pl.String).to_list()


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


def test_journald_priorities_are_syslog_severities(tmp_path):
    records = [
        {"__REALTIME_TIMESTAMP": f"170416464500000{i}", "PRIORITY": str(p), "MESSAGE": "x",
         "_SYSTEMD_UNIT": "a.service"}
        for i, p in enumerate([3, 4, 6, 7])
    ]  # fmt: skip
    table, _ = json_table(tmp_path, records)
    assert level_list(table) == ["ERROR", "WARN", "INFO", "DEBUG"]

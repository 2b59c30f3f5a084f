"""`logview --screenshot` always ends: every tab with every kind of query (entries, stats,
time series, no match, a bad query), comparing or not, an empty file and a missing one, each
run as a command with a timeout: a PNG and exit 0, or one line on stderr and exit 2, never a
hang. On a small generated log, not the demo, so that the runs stay quick."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from logview.gui.app import TABS, run

# Every case is a subprocess of the window (about 20 s in all): the whole module is slow.
pytestmark = [pytest.mark.usefixtures("isolated_settings"), pytest.mark.slow]

QUERIES = {
    "entries": "timeout",
    "stats": "stats count(*) by @level",
    "time-series": "stats count(*) by bin(1m)",
    "no-match": "no such words anywhere",
    "bad": "filter (",
}
# (name, file, extra arguments, the exit status expected)
CASES = [
    *((f"{tab}-{kind}", "app.log", ["--tab", tab, "--query", query], 2 if kind == "bad" else 0)
      for tab in TABS for kind, query in QUERIES.items()),
    ("patterns-stats-compare", "app.log",
     ["--tab", "patterns", "--query", QUERIES["stats"], "--compare", "previous-period"], 0),
    ("logs-entries-compare", "app.log",
     ["--tab", "logs", "--query", QUERIES["entries"], "--compare", "previous-period"], 0),
    ("anomalies-empty-file", "empty.log", ["--tab", "anomalies"], 0),
    ("patterns-empty-file", "empty.log", ["--tab", "patterns"], 0),
    ("logs-missing-file", "missing.log", ["--tab", "logs"], 2),
]  # fmt: skip
RUN_TIMEOUT_S = 90


def _log(minutes: int = 3) -> str:
    """Return a few minutes of an app's log, a timeout error every seventh second."""
    lines = []
    for m in range(minutes):
        for s in range(60):
            stamp = f"2026-03-10 14:{m:02d}:{s:02d}"
            if s % 7 == 0:
                lines.append(f"{stamp} ERROR upstream timeout after {s} s")
            else:
                lines.append(f"{stamp} INFO request {m * 60 + s} took {s * 3} ms")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int | None, str, Path]]:
    """Run every case as a command, a few at a time; return each one's exit status (None
    when it had to be killed), stderr and screenshot path."""
    folder = tmp_path_factory.mktemp("screenshots")
    (folder / "app.log").write_text(_log())
    (folder / "empty.log").write_text("")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
    }

    def one(case: tuple) -> tuple[str, tuple[int | None, str, Path]]:
        name, log, extra, _expected = case
        shot = folder / f"{name}.png"
        command = [sys.executable, "-m", "logview", str(folder / log), "--screenshot", str(shot),
                   "--size", "1100x700", *extra]  # fmt: skip
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=env
            )
        except subprocess.TimeoutExpired as hung:
            return name, (None, str(hung.stderr or ""), shot)
        return name, (done.returncode, done.stderr, shot)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(one, CASES))


def _errors(stderr: str) -> list[str]:
    """Return the lines logview wrote to stderr (Qt's own notices left out)."""
    return [line for line in stderr.splitlines() if line.startswith("logview:")]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_every_screenshot_run_ends_with_a_png_or_one_line(runs, case):
    name, _log_name, _extra, expected = case
    code, stderr, shot = runs[name]
    assert code is not None, f"hung: {stderr}"
    assert code == expected, stderr
    if code == 0:
        image = QImage(str(shot))
        assert (image.width(), image.height()) == (1100, 700)
        assert _errors(stderr) == []
    else:
        assert not shot.exists()
        assert len(_errors(stderr)) == 1, stderr


def test_a_bad_query_and_a_missing_file_say_why(runs):
    assert "bad query" in _errors(runs["visualization-bad"][1])[0]
    assert "missing.log" in _errors(runs["logs-missing-file"][1])[0]


def test_a_run_that_waits_too_long_ends_with_the_reason(tmp_path, qapp, capsys):
    log = tmp_path / "app.log"
    log.write_text(_log())
    shot = tmp_path / "x.png"
    assert run([str(log)], screenshot=str(shot), tab="patterns", timeout_s=0) == 2
    assert capsys.readouterr().err == "logview: timed out after 0 s waiting for loading\n"
    assert not shot.exists()


def test_the_patterns_tab_of_a_stats_query_is_captured(tmp_path, qapp):
    """The run that hung: a stats result has no patterns, so none is waited for."""
    log = tmp_path / "app.log"
    log.write_text(_log())
    shot = tmp_path / "x.png"
    code = run([str(log)], screenshot=str(shot), size=(1000, 600), tab="patterns",
               query=QUERIES["stats"], timeout_s=60)  # fmt: skip
    assert code == 0 and QImage(str(shot)).width() == 1000

"""Nothing is lost: sources are never written, saved state survives a kill mid-save, and an
unreadable state file is set aside with a warning instead of stopping the start.

The kill test forks writers from one prepared interpreter (tests/state_writer.py), so that 200
kills at random points take seconds, not the minutes 200 fresh interpreters would.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
from state_writer import expected_history, expected_rules

from logview.core.analysis.suppressions import load, store_path
from logview.gui.main_window import MainWindow
from logview.gui.settings import Settings

pytestmark = pytest.mark.usefixtures("isolated_settings")

TIMEOUT_MS = 60_000
KILLS = 200


def _fingerprint(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Return every file under `folder`: its SHA-256, size and modification time (ns)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[str(path.relative_to(folder))] = (digest, info.st_size, info.st_mtime_ns)
    return found


@pytest.fixture(scope="module")
def log_text() -> str:
    from test_anomalies import as_log_text, generate

    return as_log_text(generate(incidents=True).iter_rows())


def _bundle(folder: Path, log_text: str) -> Path:
    """Write a bundle as customers send them: a log, a rotated .gz, a tar.gz and a zip."""
    folder.mkdir()
    lines = log_text.splitlines(keepends=True)
    half = len(lines) // 2
    (folder / "app.log").write_text("".join(lines[half:]))
    (folder / "app.log.1.gz").write_bytes(gzip.compress("".join(lines[:half]).encode()))
    extra = "".join(lines[half : half + 500]).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("node2/worker.log")
        info.size = len(extra)
        tar.addfile(info, io.BytesIO(extra))
    (folder / "node2.tar.gz").write_bytes(buffer.getvalue())
    with zipfile.ZipFile(folder / "node3.zip", "w") as archive:
        archive.writestr("node3/worker.log", extra)
    return folder


@pytest.mark.slow
def test_a_full_session_leaves_every_source_byte_for_byte_and_adds_no_file(
    qtbot, tmp_path, log_text
):
    bundle = _bundle(tmp_path / "bundle", log_text)
    before = _fingerprint(bundle)
    window = MainWindow(Settings(tmp_path / "state" / "settings.ini"))
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    with qtbot.waitSignal(window.sig_anomalies_ready, timeout=TIMEOUT_MS):
        window.open_paths([str(bundle)])
    assert (
        window.investigation.ingested is not None and window.investigation.ingested.table.height > 0
    )
    for query in ("ERROR", "stats count(*) by bin(1h)", 'filter @level = "ERROR" | limit 5'):
        with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
            window.query_bar.set_text(query)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.range_bar.set_compare("previous-day")
    assert window.investigation.anomalies, "the generated incident gives anomalies to suppress"
    window.investigation.suppress(window.investigation.anomalies[0], "pattern", None, "suppressed")
    window.export_results(str(tmp_path / "export.csv"))
    window.close()
    assert _fingerprint(bundle) == before
    rules, warning = load(window.investigation.suppression_file())
    assert warning is None and len(rules) == 1
    assert window.investigation.suppression_file().is_relative_to(tmp_path / "state")


# --- killed mid-save ---------------------------------------------------------------------------


@pytest.mark.slow
def test_state_killed_at_random_points_is_always_the_old_or_the_new_version(tmp_path):
    folder = tmp_path / "state"
    folder.mkdir()
    suppressions = store_path(["/logs/a.log"], folder)
    settings = folder / "settings.ini"
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("state_writer.py")), str(suppressions), str(settings)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )  # fmt: skip
    assert server.stdin is not None and server.stdout is not None
    rng = random.Random(10)
    versions_seen = set()
    started = time.monotonic()
    try:
        assert server.stdout.readline().strip() == "ready"
        for _ in range(KILLS):
            server.stdin.write("go\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            time.sleep(rng.uniform(0, 0.03))
            os.kill(pid, signal.SIGKILL)
            server.stdin.write("reap\n")
            server.stdin.flush()
            assert server.stdout.readline().strip() == "reaped"
            if suppressions.exists():
                rules, warning = load(suppressions)
                assert warning is None
                assert rules == expected_rules(len(rules))
                versions_seen.add(len(rules))
            history = Settings(settings).value("query/history")
            assert history == expected_history(len(history))
    finally:
        server.stdin.close()
        server.wait(10)
    assert time.monotonic() - started < 60
    # Kills landed at many points, not only before the first save or after the last.
    assert len(versions_seen) > 10
    partial = list(folder.rglob("*.partial"))
    print(f"{KILLS} kills, {len(versions_seen)} versions seen, {len(partial)} temp files left")


# --- unreadable state --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "garbage",
    [os.urandom(2000), b"\x00" * 64, b"[General]\nversion=1\n\xff\xfe broken"],
    ids=["random", "zeros", "invalid-utf8"],
)
def test_an_unreadable_settings_file_is_set_aside_with_a_warning_and_the_window_starts(
    qtbot, tmp_path, garbage
):
    path = tmp_path / "settings.ini"
    path.write_bytes(garbage)
    settings = Settings(path)
    assert settings.recent_paths() == []
    assert path.with_name("settings.ini.corrupt").read_bytes() == garbage
    window = MainWindow(settings)
    qtbot.addWidget(window)
    shown = window.warnings_dock.texts()
    assert shown == [f"settings in {path} could not be read; set aside as settings.ini.corrupt"]
    settings.add_recent(["/logs/a.log"])
    settings.sync()
    assert Settings(path).recent_paths() == ["/logs/a.log"] and not Settings(path).problems


def test_an_unreadable_suppressions_file_is_set_aside_with_a_warning_when_opening(qtbot, tmp_path):
    log = tmp_path / "app.log"
    log.write_text("2024-05-06 07:08:09 INFO started\n")
    window = MainWindow(Settings(tmp_path / "state" / "settings.ini"))
    qtbot.addWidget(window)
    window.investigation.paths = [str(log)]  # the investigation whose suppressions file is broken
    target = window.investigation.suppression_file()
    target.parent.mkdir(parents=True)
    target.write_bytes(b'{"version": 1, "suppressions": [{"scope": ')
    with qtbot.waitSignal(window.sig_load_finished, timeout=TIMEOUT_MS):
        window.open_paths([str(log)])
    qtbot.waitUntil(lambda: len(window.warnings_dock.texts()) > 0, timeout=TIMEOUT_MS)
    shown = window.warnings_dock.texts()
    assert any("could not be read" in s and "set aside" in s for s in shown), shown
    assert target.with_name(target.name + ".corrupt").exists()
    assert json.loads(json.dumps(window.investigation.suppressions)) == []

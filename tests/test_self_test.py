"""`logview --self-test`: the check an installed build runs (packaging/smoke.sh runs it on the
frozen binary); here on the source tree, on a tiny bundle so it stays fast."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from logview.gui.app import self_test

pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """Return a zip of two small logs, as a customer would send them."""
    lines = [
        f"2026-03-10 14:{m:02d}:{s:02d} {'ERROR' if s % 7 == 0 else 'INFO'} "
        f"request {m * 60 + s} took {s * 3} ms"
        for m in range(3)
        for s in range(60)
    ]
    target = tmp_path / "bundle.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("app/app.log", "\n".join(lines) + "\n")
        archive.writestr("app/worker.log", "2026-03-10 14:00:30 WARN queue backed up by 12\n")
    return target


def test_self_test_loads_mines_saves_a_screenshot_and_says_so(bundle, tmp_path, qapp, capsys):
    shot = tmp_path / "shot.png"
    assert self_test([str(bundle)], screenshot=str(shot), size=(800, 500)) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith("logview self-test: ok: 181 entries, 2 sources, ")
    assert " patterns in " in out and out.rstrip().endswith(f"screenshot {shot}")
    assert (QImage(str(shot)).width(), QImage(str(shot)).height()) == (800, 500)


def test_self_test_fails_with_one_line_when_nothing_can_be_read(tmp_path, qapp, capsys):
    assert self_test([str(tmp_path / "missing.log")], screenshot=str(tmp_path / "x.png")) == 1
    err = capsys.readouterr().err
    assert err.startswith("logview self-test: FAILED: ") and "missing.log" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


def test_self_test_with_nothing_to_open_fails_at_once(qapp, capsys):
    assert self_test([], timeout_s=5) == 1
    assert capsys.readouterr().err == "logview self-test: FAILED: nothing to open\n"


def test_self_test_fails_when_the_patterns_do_not_come_in_time(bundle, tmp_path, qapp, capsys):
    assert self_test([str(bundle)], screenshot=str(tmp_path / "x.png"), timeout_s=0) == 1
    assert capsys.readouterr().err == (
        "logview self-test: FAILED: timed out after 0 s waiting for loading\n"
    )


@pytest.mark.slow
def test_the_command_line_flag_runs_the_self_test(bundle, tmp_path):
    shot = tmp_path / "cli.png"
    done = subprocess.run(
        [sys.executable, "-m", "logview", str(bundle), "--self-test", "--screenshot", str(shot)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("logview self-test: ok: 181 entries, 2 sources, ")
    assert shot.stat().st_size > 1000


def test_self_test_fails_at_once_when_mining_fails(bundle, tmp_path, qapp, capsys, monkeypatch):
    import logview.core.analysis.patterns as patterns

    def broken(table, progress=None):  # noqa: ANN001, ANN202
        raise RuntimeError("drain exploded")

    monkeypatch.setattr("logview.core.analysis.mined_parts.mine_entries", broken)
    assert patterns.mine_entries is not broken
    assert self_test([str(bundle)], screenshot=str(tmp_path / "x.png"), timeout_s=60) == 1
    err = capsys.readouterr().err
    assert err.startswith("logview self-test: FAILED: mining failed: ") and "drain exploded" in err

"""The investigation and its jobs without a window: loading, mining, anomalies and their
failures reach typed signals; the newest request wins; a stopped load says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from logview.gui.investigation import Investigation
from logview.gui.workers import LatestJob

TIMEOUT_MS = 30_000
START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def _log(path: Path, lines: int, word: str = "served") -> Path:
    stamps = (START + timedelta(seconds=i) for i in range(lines))
    path.write_text("".join(f"{t:%Y-%m-%d %H:%M:%S} INFO request {i} {word}\n"
                            for i, t in enumerate(stamps)))  # fmt: skip
    return path


def _big_log(path: Path, lines: int) -> Path:
    """A log long enough to be still loading when a test acts (written at once: one stamp)."""
    path.write_text(f"{START:%Y-%m-%d %H:%M:%S} INFO request served\n" * lines)
    return path


@pytest.fixture
def investigation(qtbot, tmp_path):
    pool = QThreadPool()
    inv = Investigation(pool, data_folder=tmp_path / "data", formats_folder=tmp_path / "formats")
    yield inv
    inv.close()
    pool.waitForDone()


def test_a_load_is_followed_by_its_patterns_and_anomalies(qtbot, investigation, tmp_path):
    log = _log(tmp_path / "app.log", 300)
    events: list[str] = []
    investigation.loaded.connect(lambda _ingested: events.append("loaded"))
    investigation.mining_started.connect(lambda n: events.append(f"mining {n}"))
    investigation.mined_ready.connect(lambda _mined: events.append("mined"))
    investigation.mined_ready.connect(lambda _mined: investigation.detect_anomalies())
    with qtbot.waitSignal(investigation.anomalies_found, timeout=TIMEOUT_MS):
        investigation.open([str(log)])
    assert events == ["loaded", "mining 300", "mined"]
    assert investigation.paths == [str(log)]
    assert investigation.ingested.table.height == 300
    assert len(investigation.mined.ids) == 300
    assert investigation.order.tolist() == list(range(300))


def test_a_missing_path_ends_in_load_failed_and_keeps_what_was_open(qtbot, investigation, tmp_path):
    log = _log(tmp_path / "app.log", 5)
    with qtbot.waitSignal(investigation.loaded, timeout=TIMEOUT_MS):
        investigation.open([str(log)])
    with qtbot.waitSignal(investigation.load_failed, timeout=TIMEOUT_MS) as failed:
        investigation.open([str(tmp_path / "gone.log")])
    assert "gone.log" in failed.args[0]
    assert investigation.paths == [str(log)] and investigation.ingested.table.height == 5


def test_a_stopped_load_ends_in_load_cancelled(qtbot, investigation, tmp_path):
    big = _big_log(tmp_path / "big.log", 400_000)
    loaded: list[object] = []
    investigation.loaded.connect(loaded.append)
    with qtbot.waitSignal(investigation.load_cancelled, timeout=TIMEOUT_MS):
        investigation.open([str(big)])
        investigation.stop_loading()
    assert loaded == [] and investigation.ingested is None and not investigation.is_loading()


def test_a_newer_open_replaces_the_load_still_running(qtbot, investigation, tmp_path):
    big = _big_log(tmp_path / "big.log", 200_000)
    small = _log(tmp_path / "small.log", 7, word="answered")
    heights: list[int] = []
    investigation.loaded.connect(lambda ingested: heights.append(ingested.table.height))
    investigation.open([str(big)])
    with qtbot.waitSignal(investigation.loaded, timeout=TIMEOUT_MS):
        investigation.open([str(small)])
    qtbot.wait(200)
    assert heights == [7] and investigation.paths == [str(small)]


def test_overrides_hold_for_the_same_paths_and_drop_for_others(qtbot, investigation, tmp_path):
    from logview.core.reading.ingest import SourceOverride

    log, other = _log(tmp_path / "app.log", 5), _log(tmp_path / "other.log", 5)
    with qtbot.waitSignal(investigation.loaded, timeout=TIMEOUT_MS):
        investigation.open([str(log)])
    name = investigation.ingested.sources[0].name
    investigation.set_override(name, SourceOverride(offset=timedelta(hours=2)))
    with qtbot.waitSignal(investigation.loaded, timeout=TIMEOUT_MS):
        investigation.open(investigation.paths)
    assert investigation.ingested.table["ts"][0] == START + timedelta(hours=2)
    with qtbot.waitSignal(investigation.loaded, timeout=TIMEOUT_MS):
        investigation.open([str(other)])
    assert investigation.overrides == {}


def test_a_failed_detection_reaches_anomalies_failed(qtbot, investigation, tmp_path, monkeypatch):
    import logview.core.analysis.anomalies

    def broken(*_args, **_kwargs):
        raise RuntimeError("window arithmetic")

    with qtbot.waitSignal(investigation.mined_ready, timeout=TIMEOUT_MS):
        investigation.open([str(_log(tmp_path / "app.log", 50))])
    monkeypatch.setattr(logview.core.analysis.anomalies, "detect", broken)
    with qtbot.waitSignal(investigation.anomalies_failed, timeout=TIMEOUT_MS) as failed:
        investigation.detect_anomalies()
    assert failed.args == ["unexpected error: RuntimeError: window arithmetic"]


def test_only_the_newest_run_reports_progress_and_partial_results(qtbot):
    def task(report, cancelled):
        report(0.5, "half")
        report.partial("early")
        return "done"

    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    job = LatestJob(pool)
    seen: list[object] = []
    for _ in range(5):
        job.start(task, seen.append, pytest.fail, partial=seen.append,
                  progress=lambda fraction, text: seen.append((fraction, text)))  # fmt: skip
    qtbot.waitUntil(lambda: not job.busy(), timeout=TIMEOUT_MS)
    pool.waitForDone()
    qtbot.wait(50)
    assert seen == [(0.5, "half"), "early", "done"]


def test_background_threads_run_below_the_ui_thread():
    """A load's threads and the query engine's pool yield to the UI thread (Linux keeps a
    priority per thread); the UI (main) thread keeps its own."""
    import os
    import sys
    import threading

    from logview.gui.workers import BACKGROUND_NICE, lower_background_threads

    if not sys.platform.startswith("linux"):
        pytest.skip("per-thread priorities are Linux's")
    main_before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    started, done = threading.Event(), threading.Event()
    tid: list[int] = []

    def idle() -> None:
        tid.append(threading.get_native_id())
        started.set()
        done.wait(10)

    thread = threading.Thread(target=idle)
    thread.start()
    started.wait(10)
    try:
        lower_background_threads()
        assert os.getpriority(os.PRIO_PROCESS, tid[0]) >= BACKGROUND_NICE
        assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main_before
    finally:
        done.set()
        thread.join()


def test_a_file_opened_again_is_read_from_the_column_cache(
    qtbot, investigation, tmp_path, isolated_cache, monkeypatch
):
    from logview.core.reading import ingest as ingest_module

    parsed: list[str] = []
    real = ingest_module._parse_job
    monkeypatch.setattr(
        ingest_module, "_parse_job", lambda job: (parsed.append(job.name), real(job))[1]
    )
    log = _log(tmp_path / "app.log", 300)
    assert investigation.cache is not None and investigation.cache.folder == isolated_cache
    with qtbot.waitSignal(investigation.loaded, timeout=TIMEOUT_MS):
        investigation.open([str(log)])
    first = investigation.ingested.table
    assert investigation.cache.flush(30)
    with qtbot.waitSignal(investigation.loaded, timeout=TIMEOUT_MS):
        investigation.open([str(log)])
    assert parsed == [str(log)]  # parsed once
    assert investigation.ingested.table.equals(first)


def test_a_window_that_remembers_nothing_keeps_no_cache(tmp_path):
    pool = QThreadPool()
    inv = Investigation(
        pool, data_folder=tmp_path / "d", formats_folder=tmp_path / "f", remember=False
    )
    assert inv.cache is None
    inv.close()


def test_a_table_opened_again_takes_its_patterns_from_the_cache(
    qtbot, investigation, tmp_path, monkeypatch
):
    import logview.core.analysis.mined_parts as mined_parts

    mined: list[int] = []
    real = mined_parts.mine_entries
    monkeypatch.setattr(
        mined_parts,
        "mine_entries",
        lambda table, progress=None: (mined.append(table.height), real(table, progress))[1],
    )
    log = _log(tmp_path / "app.log", 300)
    with qtbot.waitSignal(investigation.mined_ready, timeout=TIMEOUT_MS):
        investigation.open([str(log)])
    first = investigation.mined
    assert investigation.cache.flush(30)
    with qtbot.waitSignal(investigation.mined_ready, timeout=TIMEOUT_MS):
        investigation.open([str(log)])
    assert mined == [300]  # mined once
    assert investigation.mined.ids.equals(first.ids) and investigation.mined.by_id == first.by_id


def test_background_analysis_makes_way_for_the_view_a_user_waits_on(qtbot):
    """A job that yields waits at its checks while a foreground job runs (at most YIELD_S)."""
    import threading
    import time

    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    view_running, view_may_end = threading.Event(), threading.Event()
    checked_at: list[float] = []
    ended_at: list[float] = []

    def view(_report, _cancelled):
        view_running.set()
        view_may_end.wait(10)
        ended_at.append(time.monotonic())

    def analysis(_report, cancelled):
        view_running.wait(10)
        cancelled()  # a check: waits for the view
        checked_at.append(time.monotonic())

    foreground, background = LatestJob(pool, "foreground"), LatestJob(pool, "yields")
    foreground.start(view, lambda _r: None, pytest.fail)
    background.start(analysis, lambda _r: None, pytest.fail)
    view_running.wait(10)
    time.sleep(0.3)
    assert not checked_at  # still waiting
    view_may_end.set()
    qtbot.waitUntil(lambda: bool(checked_at), timeout=TIMEOUT_MS)
    assert checked_at[0] >= ended_at[0]
    pool.waitForDone()

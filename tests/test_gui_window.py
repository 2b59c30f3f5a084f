"""The first application window: loading in a worker, the table, sources, detail and warnings."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QThreadPool, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from logview.core.reading.ingest import ingest
from logview.core.shared.display import format_stamp
from logview.core.shared.table import time_ordered
from logview.gui.app import run
from logview.gui.log_model import LogTableModel
from logview.gui.main_window import MainWindow
from logview.gui.settings import Settings
from logview.gui.workers import Worker

pytestmark = pytest.mark.usefixtures("isolated_settings")

LOAD_TIMEOUT_MS = 30_000
START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
TRACEBACK = (
    'Traceback (most recent call last):\n  File "app.py", line 3, in main\nValueError: bad order'
)


def _stamp(seconds: float) -> str:
    return (START + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S,%f")[:-3]


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """Write a small support bundle: text with a traceback, JSON lines, a rotated .gz, a binary."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    app = [f"{_stamp(i)} INFO [main] request {i} served" for i in range(40)]
    app[10] = f"{_stamp(10)} ERROR [main] order failed\n{TRACEBACK}"
    app[20] = f"{_stamp(20)} WARN [main] slow request 20"
    (folder / "app.log").write_text("\n".join(app) + "\n")
    events = [
        json.dumps(
            {
                "time": (START + timedelta(seconds=i, milliseconds=500)).isoformat(),
                "level": "error" if i % 7 == 0 else "info",
                "msg": f"event {i}",
                "user": f"u{i % 3}",
            }
        )
        for i in range(30)
    ]
    (folder / "events.jsonl").write_text("\n".join(events) + "\n")
    old = [f"{_stamp(-3600 + i)} DEBUG [main] warm-up {i}" for i in range(25)]
    (folder / "app.log.1.gz").write_bytes(gzip.compress(("\n".join(old) + "\n").encode()))
    (folder / "core.bin").write_bytes(bytes(range(256)) * 64)
    return folder


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    win = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    return win


def _open(qtbot, window: MainWindow, paths: list[Path]):
    """Return the Ingested the window shows after opening `paths` (failing on a load failure)."""
    failures: list[str] = []
    window.sig_load_failed.connect(failures.append)
    window.open_paths([str(p) for p in paths])
    qtbot.waitUntil(lambda: not window.investigation.is_loading(), timeout=LOAD_TIMEOUT_MS)
    window.sig_load_failed.disconnect(failures.append)
    assert not failures, failures[0]
    return window.investigation.ingested


def _row_of(window: MainWindow, fragment: str) -> int:
    messages = time_ordered(window.logs.model.table())["message"].to_list()
    return next(i for i, m in enumerate(messages) if fragment in m)


def test_opened_bundle_fills_the_table_with_every_ingested_entry(qtbot, window, bundle):
    shown = _open(qtbot, window, [bundle])
    expected = ingest([bundle])
    assert shown.table.height == expected.table.height == 40 + 30 + 25
    assert window.logs.model.rowCount() == expected.table.height
    # Every column but the internal ones (`seq`, the time order, which is how rows are laid
    # out; `body_at` and `body_kind`, which say where the message cell starts) is shown.
    assert window.logs.model.columnCount() == len(expected.table.columns) - 3
    assert not window.investigation.is_loading()
    assert "95 entries from 3 sources, 1 skipped" in window.status_text()


def test_table_cells_show_the_frames_values(qtbot, window, bundle):
    result = _open(qtbot, window, [bundle])
    model, table = window.logs.model, time_ordered(result.table)
    row = _row_of(window, "event 8")
    line, message = model.column_of("line"), model.column_of("message")
    assert model.index(row, line).data() == str(table["line"][row])
    assert model.index(row, message).data() == table["message"][row]
    assert model.index(row, model.column_of("ts")).data() == format_stamp(table["ts"][row])
    assert model.index(row, model.column_of("ts")).data() == "2026-03-10 14:00:08.500"
    assert model.index(row, model.column_of("source")).data() == "events.jsonl"
    assert model.index(row, model.column_of("user")).data() == "u2"


def test_multi_line_entry_shows_its_first_line_and_a_more_lines_marker(qtbot, window, bundle):
    _open(qtbot, window, [bundle])
    row = _row_of(window, "order failed")
    text = window.logs.model.index(row, window.logs.model.column_of("message")).data()
    # The cell shows the entry's body: its stamp, level and thread have their own columns.
    assert text == "order failed \u23ce 3 more lines"
    assert window.logs.model.index(row, window.logs.model.column_of("thread")).data() == "main"
    assert window.logs.model.row_values(row)["message"].startswith(
        f"{_stamp(10)} ERROR [main] order"
    )


def test_levels_are_coloured_red_for_errors_and_amber_for_warnings(qtbot, window, bundle):
    _open(qtbot, window, [bundle])
    model, level = window.logs.model, window.logs.model.column_of("level")
    error = model.index(_row_of(window, "order failed"), level)
    warn = model.index(_row_of(window, "slow request"), level)
    assert error.data() == "ERROR"
    error_colour: QColor = error.data(Qt.ItemDataRole.ForegroundRole)
    warn_colour: QColor = warn.data(Qt.ItemDataRole.ForegroundRole)
    assert error_colour.red() > 150 and error_colour.green() < 100
    assert warn_colour.red() > warn_colour.green() > warn_colour.blue()


def test_sources_panel_lists_each_file_with_its_format_and_count(qtbot, window, bundle):
    result = _open(qtbot, window, [bundle])
    by_file = {Path(s.name).name: s for s in result.sources}
    assert set(by_file) == {"app.log", "events.jsonl", "app.log.1.gz", "core.bin"}
    for file_name, entries in (("app.log", 40), ("events.jsonl", 30), ("app.log.1.gz", 25)):
        info = by_file[file_name]
        item = window.sources_panel.source_item(info.name)
        assert item is not None, file_name
        assert item.text(0) == file_name
        assert item.text(1) == info.format_label != ""
        assert item.text(2) == str(entries)
    assert by_file["events.jsonl"].format == "jsonl"
    folder = window.sources_panel.source_item(by_file["app.log"].name).parent()
    assert folder.text(0).endswith("bundle")
    assert folder.text(2) == "95"


def test_skipped_binary_file_is_greyed_with_its_reason(qtbot, window, bundle):
    result = _open(qtbot, window, [bundle])
    (binary,) = [s for s in result.sources if s.format == "skipped"]
    item = window.sources_panel.source_item(binary.name)
    assert item.text(1).startswith("skipped: binary file")
    disabled = window.sources_panel.palette().color(
        window.sources_panel.palette().ColorGroup.Disabled,
        window.sources_panel.palette().ColorRole.Text,
    )
    assert item.foreground(0).color() == disabled


def test_warning_about_a_binary_file_shows_in_the_warnings_panel(qtbot, window, bundle):
    _open(qtbot, window, [bundle])
    texts = window.warnings_dock.texts()
    assert len(texts) == 1
    assert "core.bin" in texts[0] and "binary" in texts[0]
    assert window.status.warnings_button.text() == "\u26a0 1 warning"
    assert window.warnings_dock.isVisible()


def test_selecting_a_row_fills_the_detail_pane_and_copy_copies_it(qtbot, window, bundle):
    result = _open(qtbot, window, [bundle])
    row = _row_of(window, "order failed")
    window.logs.table_view.selectRow(row)
    message = time_ordered(result.table)["message"][row]
    assert window.logs.detail.message.toPlainText() == message
    fields = {
        window.logs.detail.fields.item(r, 0).text(): window.logs.detail.fields.item(r, 1).text()
        for r in range(window.logs.detail.fields.rowCount())
    }
    assert fields["line"] == "11"
    assert fields["level"] == "ERROR"
    assert fields["ts"] == "2026-03-10 14:00:10.000 UTC"
    assert window.logs.detail.title.text().endswith("app.log:11")
    qtbot.mouseClick(window.logs.detail.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied.endswith(message)
    assert "level: ERROR" in copied


def test_control_characters_and_bidi_overrides_are_shown_as_visible_marks(qtbot, window, tmp_path):
    log = tmp_path / "evil.log"
    log.write_text(
        f"{_stamp(0)} INFO user \x1b]8;;http://x\x07 \x1b[31mred\x1b[0m named \u202eexe.txt\n",
        encoding="utf-8",
    )
    _open(qtbot, window, [log])
    text = window.logs.model.index(0, window.logs.model.column_of("message")).data()
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    # Colours are removed as the lines are read (and noted); an escape carrying text stays,
    # as a mark.
    assert "user \u241b]8;;http://x\u2407 red named" in text
    assert "\u27e8RLO\u27e9exe.txt" in text


@pytest.mark.slow
def test_cancelling_a_big_load_says_cancelled_and_keeps_the_window(qtbot, window, bundle, tmp_path):
    _open(qtbot, window, [bundle])
    big = tmp_path / "big.log"
    line = "INFO [worker] processed a batch of records from the queue with some padding text {}\n"
    with big.open("w") as handle:
        for chunk in range(40):
            handle.write("".join(f"{_stamp(chunk)} " + line.format(i) for i in range(10_000)))
    window.open_paths([str(big)])
    assert window.investigation.is_loading() and window.status.cancel_button.isVisible()
    qtbot.waitUntil(lambda: "MB/s" in window.status_text(), timeout=LOAD_TIMEOUT_MS)
    with qtbot.waitSignal(window.sig_load_cancelled, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)
    assert "cancelled" in window.status_text().lower()
    assert not window.investigation.is_loading() and not window.status.cancel_button.isVisible()
    assert window.logs.model.rowCount() == 95  # the previous investigation stays


@pytest.mark.slow
def test_cancelling_after_the_first_source_was_previewed_shows_the_previous_investigation(
    qtbot, window, bundle, tmp_path
):
    _open(qtbot, window, [bundle])
    line = "INFO [worker] processed a batch of records from the queue with some padding text {}\n"
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    first.write_text("".join(f"{_stamp(1)} " + line.format(i) for i in range(1_000)))
    with second.open("w") as handle:
        for chunk in range(60):
            handle.write("".join(f"{_stamp(chunk)} " + line.format(i) for i in range(10_000)))
    window.open_paths([str(first), str(second)])
    qtbot.waitUntil(lambda: window.logs.model.rowCount() == 1_000, timeout=LOAD_TIMEOUT_MS)
    with qtbot.waitSignal(window.sig_load_cancelled, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "of 95 entries" in window.status.result_label.text(), timeout=LOAD_TIMEOUT_MS
    )
    assert window.logs.model.rowCount() == 95


@pytest.mark.slow
def test_a_new_open_supersedes_the_running_load(qtbot, window, bundle, tmp_path):
    big = tmp_path / "big.log"
    big.write_text("".join(f"{_stamp(i % 60)} INFO filler line {i}\n" for i in range(200_000)))
    window.open_paths([str(big)])
    result = _open(qtbot, window, [bundle / "events.jsonl"])
    assert result.table.height == 30
    # Let the superseded load end and deliver whatever it still sends.
    qtbot.waitUntil(lambda: window._pool.activeThreadCount() == 0, timeout=LOAD_TIMEOUT_MS)
    qtbot.wait(50)
    assert window.logs.model.rowCount() == 30
    assert "cancelled" not in window.status_text().lower()
    assert window.investigation.ingested is result


def test_opening_a_missing_path_reports_it_in_warnings_not_a_dialog(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.sig_load_failed, timeout=LOAD_TIMEOUT_MS) as blocker:
        window.open_paths([str(tmp_path / "nope.log")])
    assert "nope.log" in blocker.args[0]
    assert "nope.log" in window.warnings_dock.texts()[0]
    assert window.status_text().startswith("Could not open nope.log")


def test_dropping_files_on_the_window_opens_them(qtbot, window, bundle):
    mime = QMimeData()
    mime.setUrls(
        [
            QUrl.fromLocalFile(str(bundle / "app.log")),
            QUrl.fromLocalFile(str(bundle / "events.jsonl")),
        ]
    )
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.sig_load_finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        window.dropEvent(drop)
    assert blocker.args[0].table.height == 70
    assert window.logs.model.rowCount() == 70


def test_recent_paths_and_window_geometry_persist(qtbot, bundle, tmp_path):
    settings_file = tmp_path / "remember.ini"
    first = MainWindow(Settings(settings_file))
    qtbot.addWidget(first)
    first.resize(700, 500)  # inside the offscreen screen (800x600), so not clamped
    first.show()
    _open(qtbot, first, [bundle / "app.log"])
    first.close()
    again = Settings(settings_file)
    assert again.recent_paths() == [str(bundle / "app.log")]
    second = MainWindow(again)
    qtbot.addWidget(second)
    assert second.restore_layout()
    assert (second.width(), second.height()) == (700, 500)


def test_settings_of_another_version_are_dropped(tmp_path):
    path = tmp_path / "old.ini"
    path.write_text("[General]\nversion=99\nrecent\\paths=/x/old.log\n")
    assert Settings(path).recent_paths() == []


def test_row_count_is_capped_below_the_views_pixel_limit(qtbot, window, bundle):
    model = LogTableModel(ingest([bundle]).table)
    model.set_max_rows(50)
    assert model.rowCount() == 50 and model.is_capped()
    assert window.logs.model.rowCount() == 0  # untouched window, nothing open


def test_run_with_screenshot_writes_a_png_of_the_loaded_window(bundle, tmp_path, qapp):
    shot = tmp_path / "shots" / "main.png"
    shot.parent.mkdir()
    assert run([str(bundle)], screenshot=str(shot), size=(900, 600)) == 0
    image = QImage(str(shot))
    assert shot.stat().st_size > 1000
    assert (image.width(), image.height()) == (900, 600)
    assert [p.name for p in shot.parent.iterdir()] == ["main.png"]  # no temp file left
    assert not QApplication.windowIcon().pixmap(32).isNull()


def test_run_with_screenshot_exits_2_when_nothing_can_be_read(tmp_path, qapp, capsys):
    shot = tmp_path / "main.png"
    assert run([str(tmp_path / "missing.log")], screenshot=str(shot)) == 2
    err = capsys.readouterr().err
    assert err.startswith("logview: ") and "missing.log" in err and err.count("\n") == 1
    assert not shot.exists()


def test_worker_reports_an_unexpected_error_as_failed_not_lost(qtbot):
    def broken(progress, cancelled):
        progress(0.5, "half")
        raise RuntimeError("disk on fire")

    worker = Worker(broken)
    with qtbot.waitSignal(worker.signals.failed, timeout=LOAD_TIMEOUT_MS) as blocker:
        QThreadPool.globalInstance().start(worker)
    assert blocker.args == ["unexpected error: RuntimeError: disk on fire"]


def test_worker_passes_the_tasks_result_and_progress(qtbot):
    worker = Worker(lambda progress, cancelled: (progress(1.0, "done"), 42)[1])
    reports: list[tuple[float, str]] = []
    worker.signals.progress.connect(lambda fraction, text: reports.append((fraction, text)))
    with qtbot.waitSignal(worker.signals.finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        QThreadPool.globalInstance().start(worker)
    assert blocker.args == [42]
    assert reports == [(1.0, "done")]


def test_a_load_that_ends_after_the_window_closed_starts_nothing(qtbot, tmp_path):
    """The result of a load cancelled too late arrives after close: it is dropped, not shown
    on deleted widgets (seen as 'QLabel already deleted' when a view finished later)."""
    log = tmp_path / "app.log"
    log.write_text("2026-03-10 14:00:01 INFO started\n")
    win = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.open_paths([str(log)])
    assert win.investigation.is_loading()
    win._pool.waitForDone()  # no events processed meanwhile: its final signal is queued
    win.close()
    started = []
    win.views._query.start = lambda *args, **kwargs: started.append(args)  # type: ignore[method-assign]
    qtbot.wait(200)  # deliver it
    assert win.investigation.ingested is None and started == []


def test_finished_workers_are_let_go(qapp):
    """Background jobs free their workers once done. Without auto-delete, PySide's pool kept
    every runnable it started (4 KB each): a leak per view, per mining, per poll while
    following, 40 MB an hour of following."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    from logview.gui.workers import LatestJob, Worker

    def alive() -> int:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        gc.collect()
        return sum(isinstance(o, Worker) for o in gc.get_objects())

    pool = QThreadPool()
    job, results = LatestJob(pool), []
    before = alive()
    for i in range(1000):
        job.start(lambda progress, cancelled, i=i: i, results.append, pytest.fail)
        while job.busy():
            qapp.processEvents()
    assert results == list(range(1000))
    assert alive() - before < 50


def test_after_loading_the_query_bar_has_the_focus_and_headers_say_what_they_are(
    qtbot, window, bundle
):
    window.activateWindow()
    _open(qtbot, window, [bundle])
    assert window.query_bar.edit.hasFocus()
    model = window.logs.model
    tip = model.headerData(model.column_of("level"), Qt.Orientation.Horizontal, Qt.ToolTipRole)
    assert tip.startswith("level: its severity")


def test_the_start_page_stands_until_something_opens_and_comes_back_if_it_fails(
    qtbot, window, bundle, tmp_path
):
    assert window.pages.currentWidget() is window.start_page
    with qtbot.waitSignal(window.sig_load_failed, timeout=LOAD_TIMEOUT_MS):
        window.open_paths([str(tmp_path / "nope.log")])
    assert window.pages.currentWidget() is window.start_page
    assert window.status_text().startswith("Could not open nope.log")
    with qtbot.waitSignal(window.sig_load_finished, timeout=LOAD_TIMEOUT_MS):
        window.start_page.recent_chosen.emit(str(bundle))
    assert window.pages.currentWidget() is not window.start_page
    assert window.status_text().endswith(" s") and "entries from" in window.status_text()


def test_an_inspection_asked_after_the_window_closed_starts_nothing(qtbot, tmp_path):
    """A selection that changes as the window goes (the inspection follows it) asked for an
    inspection after close, whose result then reached a deleted controller."""
    log = tmp_path / "app.log"
    log.write_text(
        "".join(f"2026-03-10 14:00:{i:02d} INFO request {i} served\n" for i in range(30))
    )
    win = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.sig_patterns_ready, timeout=60_000):
        win.open_paths([str(log)])
    pattern = next(iter(win.investigation.mined.templates))
    win.close()
    started = []
    win.views._inspect.start = lambda *args, **kwargs: started.append(args)  # type: ignore[method-assign]
    assert win.views.inspect(pattern) is False and started == []


def test_the_app_collects_garbage_on_its_gui_threads_timer_only(qapp, monkeypatch):
    # Python's own collection could start inside a Qt call holding Qt's signal lock and free
    # a Qt object waiting for that lock (a deadlock seen in this suite): the app turns it off
    # and collects from its event loop instead.
    import gc

    from logview.gui import app as gui_app

    monkeypatch.setattr(gui_app, "_collector", None)
    gc.enable()
    assert gui_app._application() is qapp
    collector = gui_app._collector
    try:
        assert not gc.isenabled()
        assert collector is not None and collector.timer.isActive()
        import weakref

        class Node:
            pass

        garbage = Node()
        garbage.me = garbage  # a cycle only a collection frees
        alive = weakref.ref(garbage)
        del garbage
        assert alive() is not None  # nothing collected it by itself
        collector.threshold = (0, 0, 0)
        collector.check()  # what the timer calls
        assert alive() is None
    finally:
        if collector is not None:
            collector.timer.stop()

"""Investigations in the window: bookmarks (M, the Bookmarks dock, `@bookmarked`), notes, and
an investigation saved, closed and opened again as it was."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from logview.core.investigation import saved
from logview.core.reading.source_info import SourceOverride
from logview.gui.main_window import MainWindow
from logview.gui.settings import Settings

TIMEOUT_MS = 60_000
START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def _logs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    app, worker = folder / "app.log", folder / "worker.log"
    lines, jobs = [], []
    for i in range(240):
        t = START + timedelta(seconds=15 * i)
        level = "ERROR" if i % 17 == 0 else "INFO"
        word = "failed to charge card" if level == "ERROR" else "served request"
        lines.append(f"{t:%Y-%m-%d %H:%M:%S} {level} {word} {i} in {i % 50} ms\n")
        jobs.append(f"{t + timedelta(seconds=3):%Y-%m-%d %H:%M:%S} INFO job {i} done\n")
    app.write_text("".join(lines))
    worker.write_text("".join(jobs))
    return [app, worker]


def _window(qtbot, tmp_path: Path, name: str = "settings.ini") -> MainWindow:
    win = MainWindow(Settings(tmp_path / name))
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    return win


def _open(qtbot, win: MainWindow, paths: list[Path]) -> None:
    with qtbot.waitSignal(win.sig_anomalies_ready, timeout=TIMEOUT_MS):
        win.open_paths([str(p) for p in paths])


def _shown(qtbot, win: MainWindow, state) -> None:
    """Wait until the window shows `state`'s view with its patterns."""
    qtbot.waitUntil(
        lambda: (
            win.views.view is not None
            and win.views.view.state == state
            and win.views.view.patterns is not None
            and not win.views.busy()
        ),
        timeout=TIMEOUT_MS,
    )


def test_m_bookmarks_the_selected_entry_and_bookmarked_queries_it(qtbot, tmp_path):
    win = _window(qtbot, tmp_path)
    _open(qtbot, win, _logs(tmp_path / "logs"))
    view = win.logs.table_view
    view.setFocus()
    view.selectRow(3)
    qtbot.keyClick(view, Qt.Key.Key_M)
    row = win.logs.model.table_row(3)
    [mark] = win.investigation.bookmarks
    table = win.investigation.ingested.table
    assert (mark.source, mark.line) == (table["source"][row], table["line"][row])
    assert win.logs.model.is_bookmarked(3) and not win.logs.model.is_bookmarked(2)
    assert win.document.panel.list.topLevelItemCount() == 1
    with qtbot.waitSignal(win.sig_view_ready, timeout=TIMEOUT_MS):
        win.query_bar.set_text("filter @bookmarked")
    assert win.logs.model.view_rows().tolist() == [row]
    # M again on the same entry takes the bookmark away, and the query shows so at once.
    view.selectRow(0)
    with qtbot.waitSignal(win.sig_view_ready, timeout=TIMEOUT_MS):
        qtbot.keyClick(view, Qt.Key.Key_M)
    assert win.investigation.bookmarks == []
    assert win.logs.model.rowCount() == 0


def test_an_investigation_reopens_as_it_was_saved(qtbot, tmp_path):
    paths = _logs(tmp_path / "logs")
    first = _window(qtbot, tmp_path)
    _open(qtbot, first, paths)
    inv = first.investigation
    # Bookmark two entries, a pattern and an anomaly, with notes.
    rows = first.logs.model.view_rows()
    first.document.bookmark_rows([int(rows[10]), int(rows[100])])
    first.document.bookmark_patterns([next(iter(inv.mined.templates))])
    if inv.anomalies:
        first.document.bookmark_anomaly(inv.anomalies[0])
    marks = inv.bookmarks
    inv.set_bookmarks([marks[0].with_note("the first one <b>"), *marks[1:]], "customer says 14:05")
    # A view: a query, a range, a source left out, context lines.
    state = first.views.state.with_(
        query="charge",
        start=START + timedelta(minutes=5),
        end=START + timedelta(minutes=50),
        excluded=frozenset({str(paths[1])}),
        context=2,
    )
    first.query_bar.set_text("charge", run=False)
    first.set_state(state)
    _shown(qtbot, first, state)
    shown_rows = first.logs.model.view_rows().copy()
    assert 0 < len(shown_rows) < inv.ingested.table.height
    # worker.log is left out: none of it shows, not even as context.
    assert set(inv.ingested.table["source"].cast(str)[shown_rows]) == {str(paths[0])}
    assert not first.views.view.is_match.all()  # context lines were added
    file = tmp_path / "case.logview"
    first.document.save(str(file))
    assert json.loads(file.read_text())["view"]["query"] == "charge"
    first.close()

    second = _window(qtbot, tmp_path, "other.ini")
    with qtbot.waitSignal(second.document.restored, timeout=TIMEOUT_MS):
        second.open_paths([str(file)])
    _shown(qtbot, second, state)
    assert second.views.state == state
    assert np.array_equal(second.logs.model.view_rows(), shown_rows)
    assert [b.to_json() for b in second.investigation.bookmarks] == [
        b.to_json() for b in [marks[0].with_note("the first one <b>"), *marks[1:]]
    ]
    assert second.investigation.notes == "customer says 14:05"
    assert second.document.panel.notes.toPlainText() == "customer says 14:05"
    assert second.query_bar.text() == "charge"
    assert second.range_bar.context_size() == 2
    assert second.sources_panel.excluded() == frozenset({str(paths[1])})
    assert second.document.file == str(file.resolve())
    assert "case.logview" in second.windowTitle()
    assert str(file.resolve()) in second.settings.recent_paths()
    marked = second.investigation.bookmarked_rows
    assert len(marked) == 2


def test_overrides_travel_with_the_investigation(qtbot, tmp_path):
    paths = _logs(tmp_path / "logs")
    file = tmp_path / "case.logview"
    shifted = SourceOverride(offset=timedelta(hours=1))
    saved.write(file, saved.new([str(p) for p in paths], saved.ViewState(), file=file,
                                overrides={str(paths[1]): shifted}))  # fmt: skip
    win = _window(qtbot, tmp_path)
    with qtbot.waitSignal(win.document.restored, timeout=TIMEOUT_MS):
        win.open_paths([str(file)])
    assert win.investigation.overrides == {str(paths[1]): shifted}
    table = win.investigation.ingested.table
    worker = table.filter(table["source"].cast(str) == str(paths[1]))["ts"].min()
    assert worker == START + timedelta(hours=1, seconds=3)


def test_a_missing_source_is_listed_and_the_rest_opens(qtbot, tmp_path):
    app, worker = _logs(tmp_path / "logs")
    file = tmp_path / "case.logview"
    saved.write(file, saved.new([str(app), str(worker)], saved.ViewState(), file=file))
    worker.unlink()
    win = _window(qtbot, tmp_path)
    asked = []
    win.document.locate = lambda missing: asked.append(missing) or None  # open without it
    with qtbot.waitSignal(win.document.restored, timeout=TIMEOUT_MS):
        win.open_paths([str(file)])
    assert [c.saved.path for c in asked[0]] == [str(worker)]
    assert win.investigation.paths == [str(app)]
    assert any(f"{worker} is missing" in line for line in win.warnings_dock.texts())


def test_a_moved_source_can_be_pointed_at(qtbot, tmp_path):
    app, worker = _logs(tmp_path / "logs")
    file = tmp_path / "case.logview"
    saved.write(file, saved.new([str(app), str(worker)], saved.ViewState(), file=file))
    elsewhere = tmp_path / "archive" / "worker-old.log"
    elsewhere.parent.mkdir()
    worker.rename(elsewhere)
    win = _window(qtbot, tmp_path)
    win.document.locate = lambda missing: {missing[0].saved.path: str(elsewhere)}
    with qtbot.waitSignal(win.document.restored, timeout=TIMEOUT_MS):
        win.open_paths([str(file)])
    assert win.investigation.paths == [str(app), str(elsewhere)]
    said = f"{worker} was not there; opened {elsewhere} instead"
    assert said in win.warnings_dock.texts()


def test_a_damaged_investigation_is_said_and_nothing_changes(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: said.append(args[2]))
    file = tmp_path / "case.logview"
    file.write_text('{"kind": "logview investigation", "version": 99, "sources": []}')
    win = _window(qtbot, tmp_path)
    assert win.document.open(str(file)) is False
    assert said and "newer logview" in said[0]
    assert win.investigation.paths == [] and not win.investigation.is_loading()


def test_going_to_a_bookmark_outside_the_view_shows_it(qtbot, tmp_path):
    win = _window(qtbot, tmp_path)
    _open(qtbot, win, _logs(tmp_path / "logs"))
    rows = win.logs.model.view_rows()
    win.document.bookmark_rows([int(rows[7])])
    with qtbot.waitSignal(win.sig_view_ready, timeout=TIMEOUT_MS):
        win.query_bar.set_text("failed")
    assert int(rows[7]) not in win.logs.model.view_rows()
    [mark] = win.investigation.bookmarks
    with qtbot.waitSignal(win.sig_view_ready, timeout=TIMEOUT_MS):
        win.document.go_to(mark)
    qtbot.waitUntil(lambda: win.logs.table_view.currentIndex().isValid(), timeout=TIMEOUT_MS)
    current = win.logs.table_view.currentIndex().row()
    assert win.logs.model.table_row(current) == int(rows[7])
    assert win.query_bar.text() == ""


def test_unsaved_bookmarks_are_not_lost_without_asking(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    paths = _logs(tmp_path / "logs")
    win = _window(qtbot, tmp_path)
    _open(qtbot, win, paths)
    win.document.ask_before_close = True
    asked = []
    answer = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer)
    assert win.document.may_close()  # nothing marked: nothing to lose
    win.document.bookmark_rows([int(win.logs.model.view_rows()[0])])
    win.close()
    assert win.isVisible() and "before closing?" in asked[-1]  # cancelled: still open
    other = tmp_path / "other.log"
    other.write_text("2026-03-11 10:00:00 INFO other\n")
    win.open_paths([str(other)])
    assert "before opening other logs?" in asked[-1]
    assert not win.investigation.is_loading()  # cancelled: the investigation stays
    win.open_paths([*map(str, paths), str(other)])  # sources added: the same investigation
    assert len(asked) == 2 and win.investigation.is_loading()
    qtbot.waitUntil(lambda: not win.investigation.is_loading(), timeout=TIMEOUT_MS)
    assert len(win.investigation.bookmarks) == 1  # kept with the sources added
    file = tmp_path / "case.logview"
    answer = QMessageBox.StandardButton.Save
    monkeypatch.setattr(win.menus, "ask_save_as", lambda: win.document.save(str(file)))
    win.close()
    assert not win.isVisible() and file.exists()
    assert len(saved.read(file).bookmarks) == 1


def test_export_report_writes_what_the_window_shows(qtbot, tmp_path):
    win = _window(qtbot, tmp_path)
    _open(qtbot, win, _logs(tmp_path / "logs"))
    win.document.bookmark_rows([int(win.logs.model.view_rows()[20])])
    inv = win.investigation
    inv.set_bookmarks([inv.bookmarks[0].with_note("<script>x</script> look")], "notes <b>here</b>")
    with qtbot.waitSignal(win.sig_view_ready, timeout=TIMEOUT_MS):
        win.query_bar.set_text("charge")
    out = tmp_path / "report.html"
    with qtbot.waitSignal(win.document.report_written, timeout=TIMEOUT_MS) as written:
        win.menus.report_requested.emit(str(out))
    assert written.args[0] == [out]
    text = out.read_text()
    assert "notes &lt;b&gt;here&lt;/b&gt;" in text and "&lt;script&gt;x&lt;/script&gt; look" in text
    assert "<script" not in text
    assert "<code>charge</code>" in text
    assert win.status_text().startswith("Report written to")
    # A report that cannot be written says so, in one line.
    with qtbot.waitSignal(win.document.report_failed, timeout=TIMEOUT_MS) as failed:
        win.menus.report_requested.emit(str(tmp_path / "missing" / "report.html"))
    assert "\n" not in failed.args[0]
    assert any("could not write the report" in line for line in win.warnings_dock.texts())


def test_u_goes_to_the_next_bookmark_and_shift_u_to_the_one_before(qtbot, tmp_path):
    win = _window(qtbot, tmp_path)
    _open(qtbot, win, _logs(tmp_path / "logs"))
    model, view = win.logs.model, win.logs.table_view
    win.document.bookmark_rows([model.table_row(40), model.table_row(7)])
    view.setFocus()
    view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_U)
    assert view.currentIndex().row() == 7
    qtbot.keyClick(view, Qt.Key.Key_U)
    assert view.currentIndex().row() == 40
    assert win.logs.go_to_bookmark(1) is False  # none after the last: it stays
    assert view.currentIndex().row() == 40
    qtbot.keyClick(view, Qt.Key.Key_U, Qt.KeyboardModifier.ShiftModifier)
    assert view.currentIndex().row() == 7


def test_recent_investigations_list_the_saved_files_and_open_them(qtbot, tmp_path):
    paths = _logs(tmp_path / "logs")
    win = _window(qtbot, tmp_path)
    menus = win.menus
    menus.recent_investigations.aboutToShow.emit()
    assert [a.text() for a in menus.recent_investigations.actions()] == ["(none)"]
    _open(qtbot, win, paths)
    file = tmp_path / "case.logview"
    assert win.document.save(str(file))
    menus.recent_investigations.aboutToShow.emit()
    assert [a.text() for a in menus.recent_investigations.actions()] == [str(file.resolve())]
    menus.recent_menu.aboutToShow.emit()  # the recent list holds both, the file first
    assert [a.text() for a in menus.recent_menu.actions()][:2] == [
        str(file.resolve()), str(paths[0]),
    ]  # fmt: skip
    with qtbot.waitSignal(menus.open_investigation_requested) as asked:
        menus.recent_investigations.actions()[0].trigger()
    assert asked.args == [str(file.resolve())]


def test_an_investigation_whose_load_stopped_is_not_restored_over_the_next_logs(qtbot, tmp_path):
    big = tmp_path / "big.log"  # still loading when the reader stops it
    big.write_text(f"{START:%Y-%m-%d %H:%M:%S} INFO request served\n" * 400_000)
    file = tmp_path / "case.logview"
    state = saved.ViewState(query="charge")
    saved.write(file, saved.new([str(big)], state, file=file, notes="from the stopped one"))
    win = _window(qtbot, tmp_path)
    with qtbot.waitSignal(win.sig_load_cancelled, timeout=TIMEOUT_MS):
        win.open_paths([str(file)])
        win.cancel_loading()
    assert win.document.file is None
    restored = []
    win.document.restored.connect(restored.append)
    _open(qtbot, win, _logs(tmp_path / "logs"))
    assert restored == [] and win.investigation.notes == "" and win.views.state.query == ""

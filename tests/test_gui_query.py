"""The window's view: query bar, plain search, errors, time range, context, chips, sources,
stats results, export, copy, find, time zone, overrides and screenshots with a query."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QShortcut
from PySide6.QtWidgets import QApplication

from logview.core.analysis.query import run_query
from logview.core.reading.ingest import SourceOverride, ingest
from logview.gui.app import run
from logview.gui.main_window import MainWindow
from logview.gui.settings import Settings

pytestmark = pytest.mark.usefixtures("isolated_settings")

TIMEOUT_MS = 30_000
START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    folder.mkdir()
    app = []
    for i in range(120):
        stamp = (START + timedelta(seconds=i)).strftime("%Y-%m-%d %H:%M:%S")
        level = "ERROR" if i % 10 == 3 else "INFO"
        text = "payment timeout for order" if level == "ERROR" else "request served"
        app.append(f"{stamp} {level} [main] {text} {i}")
    (folder / "app.log").write_text("\n".join(app) + "\n")
    events = [
        json.dumps(
            {
                "time": (START + timedelta(seconds=i, milliseconds=500)).isoformat(),
                "level": "warn" if i % 5 == 0 else "info",
                "msg": f"event {i}",
                "user": f"u{i % 3}",
            }
        )
        for i in range(60)
    ]
    (folder / "events.jsonl.gz").write_bytes(gzip.compress(("\n".join(events) + "\n").encode()))
    return folder


@pytest.fixture
def window(open_window, bundle: Path) -> MainWindow:
    return open_window([bundle])


def submit(qtbot, window: MainWindow, text: str):
    """Return the view shown after running `text` from the query bar."""
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS) as ready:
        window.query_bar.set_text(text)
    return ready.args[0]


def expected_rows(bundle: Path, text: str, **kwargs) -> int:
    table = ingest([bundle]).table
    return run_query(table, text, **kwargs).rows.len()


def shown_messages(window: MainWindow) -> list[str]:
    column = window.logs.model.column_of("message")
    return [window.logs.model.display_text(r, column) for r in range(window.logs.model.rowCount())]


def test_the_loaded_window_shows_every_entry_in_time_order(window):
    assert window.logs.model.rowCount() == 180
    assert "180 of 180 entries" in window.status.result_label.text()
    column = window.logs.model.column_of("ts")
    stamps = [
        window.logs.model.display_text(r, column) for r in range(window.logs.model.rowCount())
    ]
    assert stamps == sorted(stamps)


@pytest.mark.slow
def test_typing_a_plain_search_filters_as_you_type(qtbot, window, bundle):
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        qtbot.keyClicks(window.query_bar.edit, "timeout -order")
    assert window.logs.model.rowCount() == expected_rows(bundle, "timeout -order") == 0
    window.query_bar.edit.clear()
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        qtbot.keyClicks(window.query_bar.edit, "payment timeout")
    assert window.logs.model.rowCount() == expected_rows(bundle, "payment timeout") == 12


def test_a_query_runs_on_enter_and_shows_its_rows(qtbot, window, bundle):
    text = 'filter @level = "ERROR" or user = "u1"'
    window.query_bar.edit.setText(text)
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        qtbot.keyClick(window.query_bar.edit, Qt.Key.Key_Return)
    assert window.logs.model.rowCount() == expected_rows(bundle, text) == 12 + 20
    assert window.query_bar.history()[-1] == text


def test_a_bad_query_shows_its_error_under_the_bar_and_keeps_the_rows(qtbot, window):
    before = window.logs.model.rowCount()
    with qtbot.waitSignal(window.sig_query_failed, timeout=TIMEOUT_MS) as failed:
        window.query_bar.set_text("filter (level = 1")
    assert "expected ')'" in failed.args[0]
    assert window.query_bar.error.isVisibleTo(window) and "column" in window.query_bar.error.text()
    assert window.logs.model.rowCount() == before
    submit(qtbot, window, "request")
    assert not window.query_bar.error.isVisibleTo(window)


def test_history_comes_back_with_up_and_down(qtbot, window):
    for text in ("timeout", "served"):
        submit(qtbot, window, text)
    edit = window.query_bar.edit
    edit.clear()
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.text() == "served"
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.text() == "timeout"
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.text() == "served"


def test_a_time_range_narrows_the_rows_and_presets_count_back_from_the_last_entry(
    qtbot, window, bundle
):
    start, end = START + timedelta(seconds=10), START + timedelta(seconds=20)
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.range_bar.set_range(start, end)
    assert (
        window.logs.model.rowCount() == expected_rows(bundle, "", start=start, end=end) == 10 + 10
    )
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.range_bar.preset.setCurrentIndex(1)  # the last 15 minutes: everything here
    assert window.range_bar.selected()[1] == START + timedelta(seconds=119, microseconds=1)
    assert window.logs.model.rowCount() == 180


def test_click_to_filter_adds_a_chip_in_the_query_text_and_removing_it_undoes_it(qtbot, window):
    submit(qtbot, window, "payment")
    row = 0
    column = window.logs.model.column_of("level")
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.logs.filter_on_cell(row, column, exclude=True)
    assert window.query_bar.text() == (
        'filter @message like /(?i)payment/ | filter @level != "ERROR"'
    )
    assert window.query_bar.chip_labels() == ["@level ≠ ERROR"]
    assert window.logs.model.rowCount() == 0
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.query_bar.remove_chip(0)
    assert window.query_bar.chip_labels() == []
    assert window.logs.model.rowCount() == 12


def test_context_shows_dimmed_neighbours_of_each_match(qtbot, window):
    submit(qtbot, window, "timeout")
    assert window.logs.model.rowCount() == 12
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.range_bar.context_lines.setValue(2)
        window.range_bar.context.setChecked(True)
    rows = window.logs.model.rowCount()
    assert 12 < rows <= 12 * 5
    matches = [r for r in range(rows) if not window.logs.model.is_context(r)]
    assert len(matches) == 12
    dim = window.logs.model.data(window.logs.model.index(1, 0), Qt.ItemDataRole.ForegroundRole)
    assert window.logs.model.is_context(1) and dim is not None
    assert "around them" in window.status.result_label.text()


def test_unticking_a_source_leaves_it_out_of_every_view(qtbot, window):
    item = next(
        i
        for i in window.sources_panel._leaves()
        if i.data(0, Qt.ItemDataRole.UserRole + 1).endswith("gz")
    )
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        item.setCheckState(0, Qt.CheckState.Unchecked)
    assert window.logs.model.rowCount() == 120
    assert all("event" not in m for m in shown_messages(window))


def test_stats_show_as_a_table_and_bins_as_a_chart(qtbot, window):
    submit(qtbot, window, "stats count(*) as n by @level | sort n desc")
    assert window.logs.stack.currentIndex() == 1
    frame = window.logs.result_model.frame()
    assert frame.columns == ["@level", "n"] and frame["n"].sum() == 180
    view = submit(qtbot, window, "stats count(*) by bin(1m)")
    assert view.result.time_series
    submit(qtbot, window, "request")
    assert window.logs.stack.currentIndex() == 0


def test_export_writes_the_current_rows(qtbot, window, tmp_path):
    submit(qtbot, window, "timeout")
    target = tmp_path / "out.csv"
    window.export_results(str(target))
    exported = pl.read_csv(target)
    assert exported.height == 12 and set(exported["level"]) == {"ERROR"}


def test_copy_and_find(qtbot, window):
    submit(qtbot, window, "event 4")
    window.logs.table_view.selectRow(0)
    text = window.logs.selected_rows_text()
    assert "\t" in text and "event 4" in text
    window.logs.copy_selected_rows()
    assert QApplication.clipboard().text() == text
    submit(qtbot, window, "")
    window.logs.find_edit.setText("EVENT 59")
    window.logs.find_next()
    row = window.logs.table_view.currentIndex().row()
    assert "event 59" in shown_messages(window)[row]
    assert window.logs.find_label.text() == "1 of 1"


def test_columns_can_be_hidden_and_times_shown_in_another_zone(qtbot, window):
    assert window.logs.model.column_of("user") >= 0
    window.logs.set_column_shown("user", False)
    assert window.logs.model.column_of("user") == -1
    window.logs.set_column_shown("user", True)
    assert window.logs.model.column_of("user") >= 0
    window.set_time_zone("Europe/Paris")
    column = window.logs.model.column_of("ts")
    assert window.logs.model.display_text(0, column).startswith("2026-03-10 15:00:00")
    assert window.logs.model.headerData(column, Qt.Orientation.Horizontal) == "Time (Europe/Paris)"


@pytest.mark.slow
def test_a_clock_offset_on_one_source_re_merges_the_view(qtbot, window, bundle):
    name = next(s.name for s in window.investigation.ingested.sources if s.name.endswith("app.log"))
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.set_override(name, SourceOverride(offset=timedelta(hours=1)))
    table = window.investigation.ingested.table
    shifted = table.filter(pl.col("source").cast(pl.String) == name)["ts"].min()
    assert shifted == START + timedelta(hours=1)
    column = window.logs.model.column_of("message")
    last = window.logs.model.display_text(window.logs.model.rowCount() - 1, column)
    assert "request served 119" in last


def test_screenshot_with_a_query_and_a_tab(bundle, tmp_path, qapp):
    target = tmp_path / "shot.png"
    code = run([str(bundle)], screenshot=str(target), size=(1000, 700), query="timeout",
               tab="logs")  # fmt: skip
    assert code == 0
    assert QImage(str(target)).width() == 1000


def test_screenshot_with_a_bad_query_exits_2_with_the_reason(bundle, tmp_path, qapp, capsys):
    code = run([str(bundle)], screenshot=str(tmp_path / "x.png"), query="filter (")
    assert code == 2
    assert "bad query" in capsys.readouterr().err


def test_the_first_source_read_is_shown_before_loading_ends(qtbot, tmp_path, bundle):
    win = MainWindow(Settings(tmp_path / "other.ini"))
    qtbot.addWidget(win)
    seen: list[int] = []
    shown: list[int] = []
    win.investigation.load_preview.connect(lambda frame: seen.append(frame.height))
    win.investigation.load_preview.connect(lambda _frame: shown.append(win.logs.model.rowCount()))
    with qtbot.waitSignal(win.sig_view_ready, timeout=TIMEOUT_MS):
        win.open_paths([str(bundle)])
    assert seen and seen[0] in (60, 120)  # one whole source, before the merge
    assert shown[0] == seen[0]  # and the Logs table showed it
    assert win.logs.model.rowCount() == 180


def test_dragging_on_the_timeline_selects_the_range_and_double_click_resets(qtbot, window):
    start, end = START + timedelta(seconds=30), START + timedelta(seconds=60)
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS) as ready:
        window.timeline.select_range(start, end)  # what a drag emits on release
    chosen = ready.args[0].state
    assert chosen.start <= start and chosen.end >= end  # widened to round times
    assert window.range_bar.preset.currentText() == "Custom"
    stamps = window.investigation.ingested.table["ts"].gather(window.logs.model.view_rows())
    assert stamps.min() >= chosen.start and stamps.max() < chosen.end
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.timeline.range_reset.emit()
    assert window.range_bar.preset.currentText() == "All"
    assert window.logs.model.rowCount() == 180


def test_ctrl_l_selects_the_query_text_and_esc_clears_the_selection(qtbot, window):
    submit(qtbot, window, "served")
    window.logs.table_view.selectRow(3)
    # An offscreen window is never the active one, so the keys are sent through the shortcuts.
    shortcuts = {s.key().toString(): s for s in window.findChildren(QShortcut)}
    assert {"Ctrl+L", "Ctrl+F", "F3", "Esc", "Ctrl+C"} <= set(shortcuts)
    shortcuts["Ctrl+L"].activated.emit()
    assert window.query_bar.edit.selectedText() == "served"  # focused and selected, ready to type
    shortcuts["Esc"].activated.emit()
    assert not window.logs.table_view.selectionModel().hasSelection()
    shortcuts["Ctrl+F"].activated.emit()
    assert window.logs.find_bar.isVisibleTo(window)


def test_a_hostile_archive_opens_with_a_warning_not_a_crash(qtbot, tmp_path):
    import io
    import tarfile

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in (("../../escape.log", b"2026-03-10 14:00:00 INFO out\n"),
                           ("ok/app.log", b"2026-03-10 14:00:01 INFO fine\n")):  # fmt: skip
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    win = MainWindow(Settings(tmp_path / "hostile.ini"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.sig_view_ready, timeout=TIMEOUT_MS):
        win.open_paths([str(archive)])
    warnings = win.warnings_dock.texts()
    assert any("escape.log" in w for w in warnings), warnings
    assert not (tmp_path.parent / "escape.log").exists()
    assert win.logs.model.rowCount() == 1


def test_a_field_of_the_detail_pane_filters_to_its_value(qtbot, window):
    submit(qtbot, window, "event")
    window.logs.table_view.selectRow(0)
    row = next(
        r for r in range(window.logs.detail.fields.rowCount())
        if window.logs.detail.fields.item(r, 0).text() == "user"
    )  # fmt: skip
    value = window.logs.detail.fields.item(row, 1).text()
    menu = window.logs.detail.field_menu(row)
    assert [a.text() for a in menu.actions()] == ["Filter to This Value", "Exclude This Value"]
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        menu.actions()[0].trigger()
    assert window.query_bar.chip_labels() == [f"user = {value}"]
    assert window.logs.model.rowCount() == 20


def test_going_back_to_a_view_shows_it_again_without_computing_it(qtbot, window, monkeypatch):
    import logview.gui.view_controller as view_controller

    computed: list[str] = []
    real = view_controller.compute_view
    monkeypatch.setattr(
        view_controller,
        "compute_view",
        lambda table, state, *a, **k: (computed.append(state.query), real(table, state, *a, **k))[
            1
        ],
    )
    all_rows = window.logs.model.rowCount()
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.query_bar.set_text("timeout")
    assert window.logs.model.rowCount() == 12
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.query_bar.set_text("")  # the search cleared: the view of every row, kept
    assert window.logs.model.rowCount() == all_rows
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.query_bar.set_text("timeout")
    assert window.logs.model.rowCount() == 12 and computed == ["timeout"]
    # Other data (the patterns mined again): the view is computed again.
    window.investigation.mine()
    qtbot.waitUntil(lambda: computed == ["timeout", "timeout"], timeout=TIMEOUT_MS)

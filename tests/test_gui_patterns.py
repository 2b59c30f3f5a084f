"""The Patterns tab and the inspect pane, driven on a generated bundle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from logview.core.analysis.pattern_view import summarise
from logview.core.analysis.patterns import mine_entries
from logview.core.reading.ingest import ingest
from logview.gui import shortcuts
from logview.gui.app import run
from logview.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("isolated_settings")

TIMEOUT_MS = 30_000
START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
USERS = ("ann", "bob", "cy", "dee", "eve")


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    lines = []
    for i in range(300):
        stamp = (START + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        if i % 4 == 0:
            lines.append(f"{stamp} ERROR payment declined for order {1000 + i} code {51 + i % 3}")
        elif i % 4 == 1:
            lines.append(f"{stamp} INFO user {USERS[i % 5]} logged in from 10.0.0.{i % 7}")
        else:
            lines.append(f"{stamp} DEBUG cache hit ratio {i % 10}.5 percent")
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "app.log").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture
def window(open_window, bundle: Path) -> MainWindow:
    win = open_window([bundle])
    win.tabs.setCurrentIndex(1)
    return win


def rows_of(window: MainWindow) -> dict[str, dict]:
    model = window.patterns_tab.model
    return {model.record(r)["template"]: model.record(r) for r in range(model.rowCount())}


def test_the_pattern_table_is_the_core_result(window, bundle):
    table = ingest([bundle]).table
    mined = mine_entries(table)
    expected = summarise(table, mined.ids, np.arange(table.height), mined.by_id).frame
    shown = rows_of(window)
    assert {t: r["count"] for t, r in shown.items()} == dict(
        expected.select("template", "count").iter_rows()
    )
    declined = next(r for t, r in shown.items() if "declined" in t)
    # Mined on the bodies, its tokens named by their kind.
    assert declined["template"] == "payment declined for order <num1> code <num2>"
    assert declined["count"] == 75 and declined["severity"] == "ERROR"
    assert sum(declined["spark"]) == 75
    assert "3 patterns in 300 entries" == window.patterns_tab.status.text()


def select(window: MainWindow, fragment: str) -> dict:
    tab = window.patterns_tab
    for row in range(tab.proxy.rowCount()):
        source = tab.proxy.mapToSource(tab.proxy.index(row, 0)).row()
        if fragment in tab.model.record(source)["template"]:
            tab.view.selectRow(row)
            return tab.model.record(source)
    raise AssertionError(fragment)


def test_add_to_filter_shows_the_patterns_entries_and_exclude_hides_them(qtbot, window):
    record = select(window, "declined")
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.patterns_tab.add_button.click()
    assert window.query_bar.text() == f'filter @pattern = "{record["pattern"]}"'
    assert window.tabs.currentIndex() == 0
    assert window.logs.model.rowCount() == record["count"] == 75
    window.query_bar.set_text("", run=False)
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.query_bar.run()
    window.tabs.setCurrentIndex(1)
    record = select(window, "cache hit")
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.patterns_tab.exclude_button.click()
    assert window.logs.model.rowCount() == 300 - record["count"]
    assert all("cache hit" not in t for t in rows_of(window))


def test_search_and_severity_narrow_the_pattern_table(window):
    tab = window.patterns_tab
    tab.search.setText("LOGGED")
    assert tab.proxy.rowCount() == 1
    tab.search.clear()
    tab.severity.setCurrentIndex(1)  # ERROR and worse
    assert tab.proxy.rowCount() == 1
    tab.severity.setCurrentIndex(0)
    assert tab.proxy.rowCount() == 3


def test_inspect_shows_histogram_samples_tokens_and_related(qtbot, window):
    record = select(window, "declined")
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as done:
        window.patterns_tab.inspect_button.click()
    inspection = done.args[0]
    pane = window.inspect_pane
    assert window.patterns_tab.inspecting() and pane.isVisibleTo(window)  # beside the list
    assert inspection.count == record["count"] == 75
    assert int(inspection.histogram.totals.sum()) == 75
    assert len(inspection.samples) == 12
    lines = pane.samples.toPlainText().splitlines()
    assert len(lines) == 12 and all("declined" in line for line in lines)
    # Text lines are mined on their bodies (the stamp and level are the header): <num1> is
    # the order number, <num2> the code.
    assert inspection.template.text == "payment declined for order <num1> code <num2>"
    order, code = pane.sample_highlights(0)
    assert lines[0][order[0] : order[1]].isdigit()
    assert lines[0][code[0] : code[1]] in {"51", "52", "53"}
    assert dict(inspection.tokens[1].top) == {"51": 25, "52": 25, "53": 25}
    tree = pane.tokens
    assert tree.topLevelItemCount() == 2 and tree.topLevelItem(1).childCount() == 3
    assert tree.topLevelItem(1).text(0).startswith("<num2> number")
    # Everything moves together in this bundle: the other two patterns are related in time.
    assert {r.basis for r in inspection.related} <= {"time"}
    assert pane.related.rowCount() == len(inspection.related)


def test_a_token_value_filters_to_its_entries(qtbot, window):
    select(window, "declined")
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS):
        window.patterns_tab.inspect_button.click()
    tree = window.inspect_pane.tokens
    value = tree.topLevelItem(1).child(0)  # a code
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.inspect_pane._filter_token(value, exclude=False)
    assert window.logs.model.rowCount() == int(value.text(1)) == 25
    # The filter names the token as the template does.
    assert f'filter @token.num2 = "{value.text(0)}"' in window.query_bar.text()


def test_a_sample_opens_its_entry_in_the_logs_tab(qtbot, window):
    select(window, "logged")
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS):
        window.patterns_tab.inspect_button.click()
    row = window.inspect_pane.sample_row(3)
    window.show_table_row(row)
    assert window.tabs.currentIndex() == 0
    current = window.logs.table_view.currentIndex().row()
    assert window.logs.model.table_row(current) == row


def test_screenshot_of_the_patterns_tab(bundle, tmp_path, qapp):
    target = tmp_path / "patterns.png"
    assert run([str(bundle)], screenshot=str(target), size=(1100, 700), tab="patterns") == 0
    assert QImage(str(target)).width() == 1100


def test_the_inspect_histogram_covers_the_selected_range(qtbot, window):
    start, end = START + timedelta(seconds=60), START + timedelta(seconds=180)
    with qtbot.waitSignal(window.sig_patterns_ready, timeout=TIMEOUT_MS):
        window.range_bar.set_range(start, end)
    window.tabs.setCurrentIndex(1)
    record = select(window, "declined")
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as done:
        window.patterns_tab.inspect_button.click()
    counts = done.args[0].histogram
    assert int(counts.totals.sum()) == record["count"] == 30
    first = datetime.fromtimestamp(counts.starts[0] / 1e6, UTC)
    last = datetime.fromtimestamp((counts.starts[-1] + counts.width_us) / 1e6, UTC)
    assert first <= start and last >= end and first > start - timedelta(seconds=60)


def test_the_inspection_is_inside_the_patterns_tab_and_no_dock(qtbot, window, bundle):
    from PySide6.QtWidgets import QDockWidget

    pane = window.inspect_pane
    with qtbot.waitSignal(window.sig_patterns_ready, timeout=TIMEOUT_MS):
        window.open_paths([str(bundle)])
    assert window.inspect_pane is pane and window.patterns_tab.isAncestorOf(pane)
    assert not [d for d in window.findChildren(QDockWidget) if d.objectName() == "inspect_dock"]


def test_enter_inspects_and_the_inspection_follows_the_selection(qtbot, window):
    from PySide6.QtCore import Qt

    tab = window.patterns_tab
    select(window, "declined")
    tab.view.setFocus()
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as done:
        qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert "declined" in done.args[0].template.text and tab.inspecting()
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as done:
        select(window, "logged in")  # the pane follows the selection while it is open
    assert "logged in" in done.args[0].template.text
    tab.close_inspection()
    with qtbot.assertNotEmitted(window.sig_inspected, wait=400):
        select(window, "cache hit")  # closed: a selection is only a selection


def test_the_count_under_the_table_says_what_its_filters_hide(window):
    tab = window.patterns_tab
    tab.search.setText("declined")
    assert (
        tab.status.text()
        == "1 of 3 patterns shown (the search or severity hides the rest) in 300 entries"
    )
    tab.search.clear()
    assert tab.status.text() == "3 patterns in 300 entries"


def test_times_are_short_in_the_zone_shown_and_whole_in_their_tooltip(window):
    from PySide6.QtCore import Qt

    tab = window.patterns_tab
    window.set_time_zone("Europe/Berlin")  # CET: UTC+1 in March
    first = tab.model.column_of("first")
    row = tab.model.row_of(tab.model.record(0)["pattern"])
    index = tab.model.index(row, first)
    assert index.data() == "15:00"  # the result lies within a day: the time of day alone
    assert index.data(Qt.ToolTipRole).startswith("2026-03-10 15:00:0")
    window.set_time_zone(None)
    assert tab.model.index(row, first).data() == "14:00"


def test_shares_too_small_to_round_say_so():
    from logview.core.shared.display import format_share

    assert [format_share(r) for r in (0.0, 34 / 151_416, 0.0531)] == ["0%", "<0.1%", "5.3%"]


def test_changes_read_as_people_say_them():
    from logview.core.analysis.pattern_view import change_text, format_change

    assert [format_change(p) for p in (12.4, -10.0, 0.3, -0.4, 900.0, 48_850.0)] == [
        "+12%", "\u221210%", "0%", "0%", "\u00d710", "\u00d7490"
    ]  # fmt: skip
    assert change_text({"before": 40, "count": 400, "status": "up", "change_pct": 900.0}) == (
        "40 \u2192 400  up \u00d710"
    )
    assert change_text({"before": 0, "count": 12, "status": "new", "change_pct": None}) == (
        "0 \u2192 12  new"
    )


def test_an_open_inspection_keeps_to_the_result_shown(qtbot, window):
    tab = window.patterns_tab
    select(window, "declined")
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS):
        tab.inspect_selected()
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as again:
        window.query_bar.set_text("filter @message like /order 10[0-4]/")  # fewer of them
    assert 0 < again.args[0].count < 75 and "declined" in again.args[0].template.text
    with qtbot.waitSignal(window.sig_patterns_ready, timeout=TIMEOUT_MS):
        window.query_bar.set_text("logged")  # none of them
    assert window.inspect_pane.inspection is None
    assert window.inspect_pane.title.text() == "This result has no entry of the pattern inspected."


def test_keys_switch_tabs_and_find_in_the_tab_shown(qtbot, window):
    from PySide6.QtCore import Qt

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.anomalies_tab
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 3
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.patterns_tab
    shortcuts.find_in_tab(
        window
    )  # Ctrl+F on the Patterns tab: its own search, not the hidden Logs'
    assert window.patterns_tab.search.hasFocus()
    from logview.gui import help as help_module

    described = {b.keys[0]: b.description for b in help_module.window_bindings(window)}
    assert described["Ctrl+2"] == "Show the Patterns tab" and "Ctrl+F" in described
    assert "Inspect the selected pattern (in the pattern list)" in described.values()


def test_a_patterns_context_menu_does_what_its_buttons_do(qtbot, window):
    from PySide6.QtWidgets import QApplication

    tab = window.patterns_tab
    select(window, "declined")
    menu = tab.context_menu()
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert list(actions) == ["Inspect", "Add to Filter", "Exclude", "Bookmark", "Copy Pattern Text"]
    actions["Copy Pattern Text"].trigger()
    assert QApplication.clipboard().text() == "payment declined for order <num1> code <num2>"
    with qtbot.waitSignal(tab.filter_requested) as asked:
        actions["Exclude"].trigger()
    assert asked.args[1] is True and len(asked.args[0]) == 1
    with qtbot.waitSignal(tab.bookmark_requested) as marked:
        actions["Bookmark"].trigger()
    assert marked.args[0] == asked.args[0]
    assert [b.kind for b in window.investigation.bookmarks] == ["pattern"]
    assert window.investigation.bookmarks[0].template == QApplication.clipboard().text()


def test_a_result_without_entries_says_why_the_patterns_are_empty(qtbot, window):
    with qtbot.waitSignal(window.sig_patterns_ready, timeout=TIMEOUT_MS):
        window.query_bar.set_text("no-such-words-anywhere")
    assert window.patterns_tab.model.rowCount() == 0
    assert window.patterns_tab.status.text().startswith("No entry in this result, so no pattern")


def test_a_pattern_chip_names_the_pattern_by_its_text(qtbot, window):
    select(window, "declined")
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.patterns_tab.add_button.click()
    (label,) = window.query_bar.chip_labels()
    assert label.startswith("pattern: payment declined for order")


def test_a_rare_token_value_reads_as_under_a_tenth_of_a_percent_not_zero(
    qtbot, open_window, tmp_path
):
    stamps = [(START + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(2500)]
    codes = ["200"] * 1500 + ["500"] * 999 + ["503"]
    (tmp_path / "jobs.log").write_text(
        "".join(
            f"{t} INFO job {i} ended with code {c}\n"
            for i, (t, c) in enumerate(zip(stamps, codes, strict=True))
        )
    )
    window = open_window([tmp_path / "jobs.log"])
    window.tabs.setCurrentIndex(1)
    select(window, "ended with code")
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS):
        window.patterns_tab.inspect_button.click()
    tree = window.inspect_pane.tokens
    state = next(
        tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).childCount() == 3
    )  # fmt: skip
    shares = {state.child(i).text(0): state.child(i).text(2) for i in range(3)}
    assert shares == {"200": "60.0%", "500": "40.0%", "503": "<0.1%"}

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
    assert window.inspect_dock.isVisibleTo(window)
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


def test_the_window_has_one_inspect_dock_whatever_loads_and_warnings_come(qtbot, window, bundle):
    from PySide6.QtWidgets import QDockWidget

    pane = window.inspect_pane
    with qtbot.waitSignal(window.sig_patterns_ready, timeout=TIMEOUT_MS):
        window.open_paths([str(bundle)])
    docks = [d for d in window.findChildren(QDockWidget) if d.objectName() == "inspect_dock"]
    assert len(docks) == 1 and window.inspect_pane is pane

"""Compare in the window: the Compare box, the timeline overlay, the Patterns tab's new
columns and summary, and inspecting with both periods."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_anomalies import as_log_text

from logview.gui.main_window import MainWindow
from logview.gui.settings import Settings

pytestmark = pytest.mark.usefixtures("isolated_settings")

TIMEOUT_MS = 30_000
DAY1 = datetime(2026, 3, 9, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    rng = random.Random(4)
    rows = []
    for day in (DAY1, DAY2):
        for _ in range(400):
            at = day + timedelta(seconds=rng.randrange(86_400))
            rows.append(
                (at, "INFO", f"request {rng.randrange(10**5)} served in {rng.randrange(90)} ms")
            )
        for _ in range(100):
            at = day + timedelta(seconds=rng.randrange(86_400))
            code = rng.choice(["200", "404"] if day == DAY1 else ["200", "503"])
            rows.append((at, "INFO", f"upstream answered {code} to client c{rng.randrange(50)}"))
    for _ in range(40):
        at = DAY2 + timedelta(seconds=rng.randrange(86_400))
        rows.append((at, "ERROR", f"database failover to replica r{rng.randrange(9)} started"))
    rows.sort()
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "app.log").write_text(as_log_text(rows))
    return folder


@pytest.fixture
def window(qtbot, open_window, bundle: Path) -> MainWindow:
    win = open_window([bundle], size=(1400, 900))
    with qtbot.waitSignal(win.sig_patterns_ready, timeout=TIMEOUT_MS):
        win.range_bar.set_range(DAY2, DAY2 + timedelta(days=1))
    with qtbot.waitSignal(win.sig_patterns_ready, timeout=TIMEOUT_MS) as ready:
        win.range_bar.set_compare("previous-day")
    assert ready.args[0].comparison is not None
    win.tabs.setCurrentIndex(1)
    return win


def first_record(window: MainWindow) -> dict:
    tab = window.patterns_tab
    return tab.model.record(tab.proxy.mapToSource(tab.proxy.index(0, 0)).row())


def test_compare_shows_before_and_now_in_one_cell_a_summary_and_the_overlay(window):
    tab = window.patterns_tab
    headers = [
        tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())
    ]
    assert headers == ["Pattern", "Before \u2192 now", "Severity", "Trend", "First", "Last"]
    record = first_record(window)  # new patterns first
    assert record["status"] == "new" and "failover" in record["template"]
    assert record["count"] == 40 and record["before"] == 0
    # Day 2 has 40 more entries than day 1, all of them this pattern's: it explains it all.
    assert record["explains"] > 0.5
    cell = tab.proxy.index(0, headers.index("Before \u2192 now"))
    assert cell.data() == "0 \u2192 40  new"
    tip = tab.proxy.index(0, 0).data(Qt.ToolTipRole)
    assert "before: 0; now: 40" in tip and "of the difference in entries" in tip
    assert tab.summary.isVisibleTo(window)
    assert (
        tab.summary.text().startswith("1 new pattern, 0 gone")
        and "vs previous day" in tab.summary.text()
    )
    x, y = window.timeline.overlay_data()
    assert len(x) > 1 and y.sum() == pytest.approx(500, abs=1)  # day 1's entries, moved a day on


def test_at_a_laptops_size_the_pattern_text_keeps_half_the_table(qtbot, window):
    """At 1366x768 in compare mode the Pattern column keeps at least 45% of the table's width:
    the other columns give way (the last ones first) rather than squeezing it."""
    tab = window.patterns_tab
    for size in ((1366, 768), (1280, 720)):
        window.resize(*size)
        qtbot.wait(50)
        width = tab.view.viewport().width()
        assert tab.view.columnWidth(0) >= 0.45 * width, size
        tab.open_inspection()  # the inspection beside the list takes width from it too
        qtbot.wait(50)
        width = tab.view.viewport().width()
        assert tab.view.columnWidth(0) >= 0.45 * width, size
        hidden = [tab.model.keys()[c] for c in tab._fitted.hidden()]
        assert "change" not in hidden  # what comparing is about goes last
        tab.close_inspection()


def test_inspect_with_compare_overlays_both_periods_and_shows_both_shares(qtbot, window):
    tab = window.patterns_tab
    for row in range(tab.proxy.rowCount()):
        record = tab.model.record(tab.proxy.mapToSource(tab.proxy.index(row, 0)).row())
        if "upstream" in record["template"]:
            tab.view.selectRow(row)
            break
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as done:
        tab.inspect_button.click()
    inspection = done.args[0]
    assert int(inspection.baseline.totals.sum()) == 100
    codes = window.inspect_pane.tokens.topLevelItem(0)  # the bodies' tokens: code, client
    shown = {codes.child(i).text(0): codes.child(i).text(3) for i in range(codes.childCount())}
    assert shown["503"] == "new" and shown["200"].endswith("%")
    assert not window.inspect_pane.tokens.isColumnHidden(3)


def test_inspecting_a_new_pattern_shows_nothing_before(qtbot, window):
    window.patterns_tab.view.selectRow(0)
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as done:
        window.patterns_tab.inspect_button.click()
    inspection = done.args[0]
    assert inspection.count == 40 and int(inspection.baseline.totals.sum()) == 0


def test_switching_compare_off_removes_the_columns(qtbot, window):
    with qtbot.waitSignal(window.sig_patterns_ready, timeout=TIMEOUT_MS):
        window.range_bar.set_compare(None)
    assert window.patterns_tab.model.keys() == ("pattern", "count", "share", "severity", "trend",
                                                "first", "last")  # fmt: skip
    assert not window.patterns_tab.summary.isVisibleTo(window)
    assert len(window.timeline.overlay_data()[0]) == 0


def test_compare_with_other_sources_aligned_on_their_first_entry(qtbot, tmp_path, bundle):
    lines = (bundle / "app.log").read_text().splitlines(keepends=True)
    day = f"{DAY2:%Y-%m-%d}"
    (tmp_path / "today.log").write_text("".join(x for x in lines if x.startswith(day)))
    (tmp_path / "healthy.log").write_text("".join(x for x in lines if not x.startswith(day)))
    win = MainWindow(Settings(tmp_path / "sources.ini"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.sig_patterns_ready, timeout=TIMEOUT_MS):
        win.open_paths([str(tmp_path / "today.log")])
    with qtbot.waitSignal(win.sig_patterns_ready, timeout=TIMEOUT_MS) as ready:
        win.load_baseline([str(tmp_path / "healthy.log")])
    comparison = ready.args[0].comparison
    assert comparison is not None and comparison.label == "the other sources"
    statuses = {c.template: c.status for c in comparison.patterns}
    assert statuses["database failover to replica <id> started"] == "new"
    record = first_record(win)
    assert record["status"] == "new" and record["count"] == 40
    assert record["pattern"] in win.investigation.mined.by_id  # named by this table's ids

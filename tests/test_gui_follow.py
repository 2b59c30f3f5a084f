"""Following in the window: appended entries join the view, the reader's place is kept, and a
new HIGH anomaly raises the notice once its window has closed."""

from __future__ import annotations

import gzip
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from test_anomalies import INCIDENT, as_log_text, generate

from logview.gui.main_window import MainWindow
from logview.gui.settings import Settings

pytestmark = pytest.mark.usefixtures("isolated_settings")

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def incident_day() -> pl.DataFrame:
    return generate(incidents=True)


@pytest.fixture
def window(qtbot, open_window, tmp_path: Path, incident_day: pl.DataFrame) -> MainWindow:
    log = tmp_path / "app.log"
    log.write_text(as_log_text(incident_day.filter(pl.col("ts") < INCIDENT).iter_rows()))
    win = open_window([log], until="sig_anomalies_ready")
    with qtbot.waitSignal(win.sig_anomalies_ready, timeout=TIMEOUT_MS):
        win.set_following(True)  # learns the anomalies already there
    assert win.follow.is_on() and "Following 1" in win.status.follow_button.text()
    win.log_path = log  # type: ignore[attr-defined]
    return win


def append(window: MainWindow, rows: pl.DataFrame) -> None:
    with open(window.log_path, "a") as file:  # type: ignore[attr-defined]
        file.write(as_log_text(rows.iter_rows()))


def poll(qtbot, window: MainWindow) -> None:
    """Read the file twice (the last entry waits for a quiet poll) and wait for the view."""
    for _ in range(2):
        window.follow.poll_now()
        qtbot.waitUntil(lambda: not window.follow._poll.busy(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.views.busy(), timeout=TIMEOUT_MS)


@pytest.mark.slow
def test_appended_entries_join_the_view_and_the_end_stays_in_sight(qtbot, window, incident_day):
    before = window.logs.model.rowCount()
    assert not window.notified
    window.logs.table_view.scrollToBottom()
    more = incident_day.filter(
        (pl.col("ts") >= INCIDENT) & (pl.col("ts") < INCIDENT + timedelta(minutes=1))
    )
    append(window, more)
    poll(qtbot, window)
    assert window.logs.model.rowCount() == before + more.height
    assert window.investigation.ingested.table.height == before + more.height
    last = window.logs.model.row_values(window.logs.model.rowCount() - 1)
    assert last["message"].endswith(more["message"][-1])
    bar = window.logs.table_view.verticalScrollBar()
    assert bar.value() == bar.maximum()  # scrolled to the end, it stays at the end
    assert "Following" in window.status_text()
    info = window.investigation.ingested.sources[0]
    assert info.entries == before + more.height and info.last == more["ts"].max()
    group = window.sources_panel.topLevelItem(0)
    assert group.text(2) == f"{before + more.height:,}"


@pytest.mark.slow
def test_a_reader_higher_up_keeps_the_entry_they_were_on(qtbot, window, incident_day):
    window.logs.table_view.selectRow(10)
    entry = window.logs.model.row_values(10)["message"]
    append(window, incident_day.filter(
        (pl.col("ts") >= INCIDENT) & (pl.col("ts") < INCIDENT + timedelta(seconds=30))
    ))  # fmt: skip
    poll(qtbot, window)
    current = window.logs.table_view.currentIndex().row()
    assert window.logs.model.row_values(current)["message"] == entry


@pytest.mark.slow
def test_a_new_high_anomaly_raises_the_notice_when_its_window_closes(qtbot, window, incident_day):
    incident = incident_day.filter(
        (pl.col("ts") >= INCIDENT) & (pl.col("ts") < INCIDENT + timedelta(minutes=6))
    )
    append(window, incident)
    poll(qtbot, window)
    window.investigation.mine_started = 0.0  # do not wait for the pace of mining again
    with qtbot.waitSignal(window.sig_anomalies_ready, timeout=TIMEOUT_MS):
        window.follow.poll_now()
    qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=TIMEOUT_MS)
    text = window.notice.label.text()
    assert "New HIGH anomaly" in text
    assert any("PaymentTimeoutException" in a.template for a in window.notified)
    assert all(a.end <= INCIDENT + timedelta(minutes=5) for a in window.investigation.anomalies)
    index = window.tabs.indexOf(window.anomalies_tab)
    assert window.tabs.tabText(index) == f"Anomalies ({len(window.notified)} new)"
    window.grab().save(str(Path(window.log_path).with_name("follow.png")))  # type: ignore[attr-defined]
    window._on_notice_show_clicked()
    assert window.tabs.currentWidget() is window.anomalies_tab and not window.notice.isVisible()
    assert window.tabs.tabText(index) == "Anomalies"


@pytest.mark.slow
def test_stopping_lets_the_files_go(qtbot, window):
    window.set_following(False)
    assert not window.follow.is_on() and window.status.follow_button.text() == "Follow"
    assert not window.follow_action.isChecked()


def test_an_archive_only_investigation_has_nothing_to_follow(qtbot, tmp_path):
    packed = tmp_path / "app.log.gz"
    packed.write_bytes(gzip.compress(b"2026-11-29 10:00:00 INFO hello\n"))
    win = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.sig_patterns_ready, timeout=TIMEOUT_MS):
        win.open_paths([str(packed)])
    win.follow_action.trigger()
    assert not win.follow.is_on() and not win.follow_action.isChecked()
    assert "Nothing to follow" in win.status_text()

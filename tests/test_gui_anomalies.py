"""The Anomalies tab: listed after mining, filtered, and its actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_anomalies import INCIDENT, as_log_text, generate

from logview.gui.main_window import MainWindow
from logview.gui.settings import Settings

# Whole-window tests on a generated two-day incident: all slow.
pytestmark = [pytest.mark.usefixtures("isolated_settings"), pytest.mark.slow]

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def log_text() -> str:
    table = generate(incidents=True)
    return as_log_text(table.iter_rows())


@pytest.fixture
def window(open_window, tmp_path: Path, log_text: str) -> MainWindow:
    log = tmp_path / "app.log"
    log.write_text(log_text)
    win = open_window([log], until="sig_anomalies_ready")
    win.tabs.setCurrentIndex(2)
    return win


@pytest.mark.slow
def test_the_incident_leads_the_anomaly_table_and_filters_narrow_it(window):
    tab = window.anomalies_tab
    first = tab.model.anomaly(0)
    assert first.priority == "HIGH" and abs((first.start - INCIDENT).total_seconds()) <= 300
    kinds = {tab.model.anomaly(r).kind for r in range(tab.model.rowCount())}
    assert {"new pattern", "spike", "drop", "stopped", "error surge"} <= kinds
    # The incidents' spans and the other HIGH and MEDIUM windows are shaded on the timeline.
    incidents = tab.incidents.incidents
    inside = {a.id for n in incidents for a in n.anomalies}
    others = [a for a in tab.model.all() if a.priority != "LOW" and a.id not in inside]
    marks = window.timeline.marks()
    assert incidents and len(marks) == len(incidents) + len(others)
    assert any(abs(start - INCIDENT.timestamp()) <= 300 for start, _ in marks)
    tab.kind.setCurrentText("stopped")
    assert tab.model.rowCount() >= 1
    assert all(tab.model.anomaly(r).kind == "stopped" for r in range(tab.model.rowCount()))
    tab.kind.setCurrentIndex(0)
    tab.priority.setCurrentIndex(2)
    assert all(tab.model.anomaly(r).priority == "HIGH" for r in range(tab.model.rowCount()))


@pytest.mark.slow
def test_filter_logs_to_an_anomaly_shows_its_entries_in_its_window(qtbot, window):
    tab = window.anomalies_tab
    row = next(r for r in range(tab.model.rowCount()) if tab.model.anomaly(r).kind == "new pattern")
    tab.view.selectRow(row)
    anomaly = tab.selected()
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        tab.filter_button.click()
    assert window.tabs.currentIndex() == 0
    assert window.logs.model.rowCount() == anomaly.observed
    assert window.views.state.start == anomaly.start and window.views.state.end == anomaly.end


@pytest.mark.slow
def test_inspecting_an_anomaly_keeps_the_query_compares_with_normal_and_says_so(qtbot, window):
    tab = window.anomalies_tab
    row = next(r for r in range(tab.model.rowCount()) if tab.model.anomaly(r).kind == "spike")
    tab.view.selectRow(row)
    anomaly = tab.selected()
    window.query_bar.set_text("-heartbeat", run=False)
    window.set_state(window.views.state.with_(query="-heartbeat"))
    before = window.views.state
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as done:
        tab.inspect_button.click()
    inspection = done.args[0]
    assert inspection.template.id == anomaly.pattern
    assert inspection.count == anomaly.observed
    state = window.views.state
    assert state.query == "-heartbeat"  # the reader's query is kept
    assert (state.start, state.end) == (anomaly.start, anomaly.end)
    # Compared with a time the detection took as normal (the data holds the previous day),
    # not with the minutes just before, which may be inside the incident.
    assert state.compare == "previous-day"
    assert window.range_bar.compare.currentText() == "vs previous day"
    assert inspection.baseline is not None
    said = window.patterns_tab.said.text()
    assert said.startswith("Inspecting the anomaly") and "previous day" in said
    assert window.patterns_tab.said_bar.isVisibleTo(window)
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.patterns_tab.undo_button.click()
    assert window.views.state == before and not window.patterns_tab.said_bar.isVisibleTo(window)


@pytest.mark.slow
def test_inspecting_a_token_anomaly_opens_on_its_value(qtbot, window):
    from dataclasses import replace

    tab = window.anomalies_tab
    anomalies = (tab.model.anomaly(r) for r in range(tab.model.rowCount()))
    spike = next(a for a in anomalies if a.kind == "spike" and a.pattern)
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as done:
        window.inspect_anomaly(spike)
    values = next(v for v in done.args[0].tokens if v.top)
    label, value = values.slot.label, values.top[-1][0]
    # The same anomaly as a token value's (an unusual value of that token): the pane opens on it.
    unusual = replace(spike, token=values.slot.number, token_name=label, value=value)
    window.inspect_pane.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS):
        window.inspect_anomaly(unusual)
    pane = window.inspect_pane
    assert pane.tabs.currentWidget() is pane.tokens
    assert pane.tokens.currentItem() is not None and pane.tokens.currentItem().text(0) == value


@pytest.mark.slow
def test_suppress_hides_an_anomaly_keeps_it_countable_and_remembers_it(qtbot, window, tmp_path):
    tab = window.anomalies_tab
    before = tab.model.rowCount()
    tab.view.selectRow(0)
    first = tab.selected()
    actions = {a.text(): a for a in tab.suppress_menu.actions()}
    actions["This Anomaly Forever"].trigger()
    assert tab.model.rowCount() == before - 1
    assert first not in tab.model.all()
    assert "1 suppressed" in tab.status.text()
    tab.show_hidden.setChecked(True)
    assert first in tab.model.all() and tab.model.rowCount() == before
    tab.show_hidden.setChecked(False)
    tab.view.selectRow(0)
    second = tab.selected()
    actions["Mark as Normal (learn it)"].trigger()
    assert "1 suppressed, 1 marked normal" in tab.status.text()
    stored = window.investigation.suppression_file()
    assert stored.exists() and str(stored).startswith(str(tmp_path))
    # Opening the same logs again finds the rules.
    again = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.sig_anomalies_ready, timeout=TIMEOUT_MS):
        again.open_paths(window.investigation.paths)
    hidden = {a.id for a in again.investigation.anomalies} - {
        a.id for a in again.anomalies_tab.model.all()
    }
    assert hidden == {first.id, second.id}
    # Un-suppress: shown with the suppressed ones, dimmed, then lifted, and remembered so.
    tab = again.anomalies_tab
    tab.show_hidden.setChecked(True)
    row = next(r for r in range(tab.model.rowCount()) if tab.model.anomaly(r).id == first.id)
    tab.view.selectRow(row)
    assert tab.model.data(tab.model.index(row, 6)).startswith("[suppressed]")
    assert tab.unsuppress_action.isEnabled()
    tab.unsuppress_action.trigger()
    tab.show_hidden.setChecked(False)
    assert first.id in {a.id for a in tab.model.all()}
    assert "0 suppressed, 1 marked normal" in tab.status.text()
    third = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(third)
    with qtbot.waitSignal(third.sig_anomalies_ready, timeout=TIMEOUT_MS):
        third.open_paths(window.investigation.paths)
    shown = {a.id for a in third.anomalies_tab.model.all()}
    assert first.id in shown and second.id not in shown


@pytest.mark.slow
def test_the_selected_anomaly_shows_its_counts_around_it_and_samples(window):
    tab = window.anomalies_tab
    row = next(
        r for r in range(tab.model.rowCount())
        if tab.model.anomaly(r).kind == "new pattern" and "Payment" in tab.model.anomaly(r).template
    )  # fmt: skip
    tab.view.selectRow(row)
    anomaly = tab.selected()
    text = tab.detail_samples.toPlainText()
    assert text.startswith(anomaly.description)
    assert "PaymentTimeoutException" in text.split("\n", 2)[2]
    shown = tab.detail_plot._histogram
    assert tab.detail_plot.marks() and shown is not None
    assert int(shown.totals.sum()) == sum(anomaly.counts) == 90


def test_a_token_anomaly_names_its_route_and_its_token(open_window, tmp_path):
    """An access log's first 503: one row, its pattern the route, its text the named token."""
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 3, 10, tzinfo=UTC)
    lines = []
    for minute in range(24 * 60 + 90):
        stamp = (start + timedelta(minutes=minute)).strftime("%d/%b/%Y:%H:%M:%S +0000")
        for k in range(3):
            status = 503 if minute >= 24 * 60 + 60 and k == 0 else 200
            lines.append(
                f'10.0.0.{k} - - [{stamp}] "POST /api/checkout HTTP/1.1" {status} 9 "-" "c/{k}"'
            )
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n")
    win = open_window([log], until="sig_anomalies_ready")
    model = win.anomalies_tab.model
    rows = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
        if model.anomaly(r).kind in ("new token value", "HTTP errors")
    ]
    assert len(rows) == 1
    assert rows[0][2] == "POST /api/checkout <status>"
    assert rows[0][6].startswith("<status> took the new value '503'")


@pytest.mark.slow
def test_failed_background_jobs_say_so_instead_of_waiting_forever(qtbot, window, monkeypatch):
    import logview.core.analysis.anomalies
    import logview.gui.view_controller

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("detector broke")

    monkeypatch.setattr(logview.core.analysis.anomalies, "detect", broken)
    # (The anomalies found at open are kept in the column cache: looked for again without it.)
    monkeypatch.setattr(window.investigation, "cache", None)
    with qtbot.waitSignal(window.sig_job_failed, timeout=30_000) as failed:
        window.investigation.detect_anomalies()
    assert failed.args[0] == "anomalies"
    assert "Could not look for anomalies" in window.anomalies_tab.status.text()
    assert "detector broke" in window.anomalies_tab.status.text()
    monkeypatch.setattr(logview.gui.view_controller, "inspect_view", broken)
    pattern = next(iter(window.investigation.mined.by_id))
    with qtbot.waitSignal(window.sig_job_failed, timeout=30_000) as failed:
        window.inspect_pattern(pattern)
    assert failed.args[0] == "inspect"
    assert "Could not inspect" in window.inspect_pane.title.text()


def test_an_anomalys_inspection_waits_for_its_view_only(qtbot, window):
    tab = window.anomalies_tab
    first, second = [
        a for a in (tab.model.anomaly(r) for r in range(tab.model.rowCount())) if a.pattern
    ][:2]
    with qtbot.waitSignal(window.sig_inspected, timeout=TIMEOUT_MS) as done:
        window.inspect_anomaly(first)
        window.inspect_anomaly(second)  # a quicker second click replaces the first
    assert done.args[0].template.id == second.pattern
    # An inspection whose view fails is dropped, not run on a later, unrelated view (with the
    # pane closed: an open one inspects its pattern again over every new result).
    window.patterns_tab.close_inspection()
    with qtbot.waitSignal(window.sig_query_failed, timeout=TIMEOUT_MS):
        window.inspect_anomaly(first)
        window.set_state(window.views.state.with_(query="| stats nonsense("))
    with qtbot.assertNotEmitted(window.sig_inspected, wait=1000):
        with qtbot.waitSignal(window.sig_patterns_ready, timeout=TIMEOUT_MS):
            window.set_state(window.views.state.with_(query=""))


def test_the_tab_offers_the_cores_kinds_and_every_anomaly_has_one(window):
    from logview.core.analysis.anomalies import Kind, Priority

    tab = window.anomalies_tab
    offered = [tab.kind.itemText(i) for i in range(1, tab.kind.count())]
    assert offered == [kind.value for kind in Kind]
    assert tab.priority.count() == len(Priority)
    assert {a.kind for a in window.investigation.anomalies} <= set(Kind)


@pytest.mark.slow
def test_show_entries_of_a_token_value_anomaly_filters_to_that_value(qtbot, window):
    from dataclasses import replace

    tab = window.anomalies_tab
    spike = next(a for a in tab.model.all() if a.kind == "spike" and a.pattern)
    unusual = replace(spike, token=1, token_name="<num>", value="42")
    with qtbot.waitSignal(window.sig_view_ready, timeout=TIMEOUT_MS):
        window.filter_to_anomaly(unusual)
    query = window.views.state.query
    assert f'@pattern = "{spike.pattern}"' in query and '@token.num = "42"' in query


@pytest.mark.slow
def test_the_incident_list_folds_related_anomalies_and_narrows_the_table(window):
    tab = window.anomalies_tab
    tree = tab.incidents
    everything = tab.model.rowCount()
    (incident,) = tree.incidents  # the generated log holds one incident
    assert "first sign" in incident.headline and incident.links
    top = tree.topLevelItem(1)  # under "All anomalies"
    assert top.isExpanded() and top.childCount() == len(incident.members)
    assert not top.child(0).isExpanded()  # the members' anomalies stay folded
    tree.setCurrentItem(top)  # choosing the incident lists its anomalies only
    ids = {tab.model.anomaly(r).id for r in range(tab.model.rowCount())}
    assert ids == {a.id for a in incident.anomalies}  # (here: all of them, one source)
    # Choosing a member (one source's anomalies, or the error surge across sources) lists
    # only its anomalies.
    smallest = min(range(top.childCount()), key=lambda k: top.child(k).childCount())
    tree.setCurrentItem(top.child(smallest))
    member = incident.members[smallest]
    listed = {tab.model.anomaly(r).id for r in range(tab.model.rowCount())}
    assert listed == {a.id for a in member.anomalies} and len(listed) < everything
    leaf = top.child(0).child(0)  # choosing one of them selects it in the list
    tree.setCurrentItem(leaf)
    assert tab.selected() is not None and tab.selected().id == leaf.data(0, 256)[1]
    tree.setCurrentItem(tree.topLevelItem(0))  # "All anomalies" lists them all again
    assert tab.model.rowCount() == everything

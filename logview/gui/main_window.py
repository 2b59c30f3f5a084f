"""The main window lays out and wires: the sources and warnings docks on the left, the query
and range bars, the timeline and the tabs in the middle, the inspect dock below, the menus and
the status bar. The investigation (data and its jobs), the view controller (the view state and
its computation) and the follow controller do the work; the window shows what they send."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from PySide6.QtCore import (
    QSignalBlocker,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from logview.core.analysis.anomalies import Anomaly
from logview.core.analysis.compare import BASELINES, default_range
from logview.core.analysis.export import export, format_from_path
from logview.core.analysis.inspect import Inspection
from logview.core.analysis.patterns import Mined
from logview.core.analysis.query.chips import add_filter, append, pattern_filter, token_filter
from logview.core.analysis.view import View, ViewState, filter_field, inspect_anomaly_state
from logview.core.demo import demo_path
from logview.core.investigation.saved import SUFFIX
from logview.core.reading.format_files import formats_folder
from logview.core.reading.ingest import Ingested, SourceOverride
from logview.core.shared.display import describe_paths, format_stamp, visible_text
from logview.core.shared.errors import LogviewError
from logview.gui import shortcuts
from logview.gui.anomalies_tab import AnomaliesTab
from logview.gui.chart import TimeSeriesChart
from logview.gui.follow_controller import FOLLOW_INTERVAL_MS, FollowController
from logview.gui.investigation import Investigation
from logview.gui.investigation_document import InvestigationDocument
from logview.gui.logs_tab import LogsTab
from logview.gui.menus import Menus
from logview.gui.patterns_tab import PatternsTab
from logview.gui.query_bar import QueryBar
from logview.gui.range_bar import RangeBar
from logview.gui.settings import Settings
from logview.gui.sources_panel import SourcesPanel
from logview.gui.start_page import StartPage
from logview.gui.status_bar import NoticeBar, StatusBar
from logview.gui.timeline import Timeline
from logview.gui.view_controller import ViewController
from logview.gui.warnings_dock import WarningsDock


class MainWindow(QMainWindow):
    """One investigation: the sources opened, their merged table, and what went wrong reading them."""

    sig_load_finished = Signal(object)  # Ingested
    sig_load_failed = Signal(str)
    sig_load_cancelled = Signal()
    sig_view_ready = Signal(object)  # View: a query's result is shown
    sig_patterns_ready = Signal(object)  # View: shown with the patterns of its rows
    sig_inspected = Signal(object)  # Inspection: shown in the inspect pane
    sig_anomalies_ready = Signal(object)  # list[Anomaly]: shown in the Anomalies tab
    sig_query_failed = Signal(str)
    sig_mining_failed = Signal(str)
    # A background job other than loading, mining and queries failed: (job, one line).
    sig_job_failed = Signal(str, str)

    def __init__(self, settings: Settings, *, remember: bool = True) -> None:
        """Build the window; with `remember` false (screenshots), nothing is written to settings."""
        super().__init__()
        self.settings = settings
        self._remember = remember
        self._previewing = False  # the Logs table shows a running load's first source
        # The anomaly to inspect once the view being computed is shown (its Inspect), then the
        # one whose inspection is to open on its token.
        self._inspect_when_shown: Anomaly | None = None
        self._open_on: Anomaly | None = None
        self._pool = QThreadPool(self)
        folder = Path(settings.file_name).parent  # suppressions and formats beside the settings
        self.investigation = inv = Investigation(
            self._pool, data_folder=folder, formats_folder=formats_folder(folder),
            remember=remember, parent=self,
        )  # fmt: skip
        self.status = StatusBar()
        self.status.show_loading_of(inv)  # first: the window's handlers then see it said
        inv.load_preview.connect(self._on_load_preview)
        inv.loaded.connect(self._on_loaded)
        inv.load_failed.connect(self._on_load_failed)
        inv.load_cancelled.connect(self._on_load_cancelled)
        inv.mined_ready.connect(self._on_mined)
        inv.mining_failed.connect(self.sig_mining_failed)
        inv.anomalies_failed.connect(self._on_anomalies_failed)
        inv.baseline_loaded.connect(self._on_baseline_loaded)
        inv.baseline_failed.connect(self._on_baseline_failed)
        inv.warned.connect(self._add_warnings)
        self.follow = follow = FollowController(inv, self._pool, parent=self)
        follow.changed.connect(self._show_following)
        follow.warned.connect(self._add_warnings)
        follow.grew.connect(self._on_grew)
        follow.poll_failed.connect(lambda message: self.sig_job_failed.emit("poll", message))
        follow.high_anomalies.connect(self._notify)
        self.views = views = ViewController(inv, self._pool, parent=self)
        views.shown.connect(self._on_query_finished)
        views.failed.connect(self._on_query_failed)
        views.inspected.connect(self._on_inspected)
        views.inspect_failed.connect(self._on_inspect_failed)
        self._live_anchor: tuple[int | None, int, bool] | None = None
        self.notified: list = []  # HIGH anomalies announced while following
        self._unseen = 0  # of them, not seen in the Anomalies tab yet
        self._zone: str | None = settings.value("display/tz") or None
        self._hidden_columns: set[str] = {str(c) for c in settings.value("columns/hidden")}
        self.setWindowTitle("logview")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self._build_docks()
        self._build_status_bar()
        # Until something is open, the start page stands where the view will be.
        self.start_page = StartPage(settings)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.start_page)
        self.pages.addWidget(self._build_centre())
        self.pages.widget(1).ensurePolished()  # now, not when a load's first rows arrive
        self.setCentralWidget(self.pages)
        self.query_bar.set_history([str(q) for q in settings.value("query/history")])
        self._build_menus()
        self.start_page.open_requested.connect(self.menus.open_action.trigger)
        self.start_page.open_folder_requested.connect(self.menus.folder_action.trigger)
        self.start_page.demo_requested.connect(lambda: self.open_paths([str(demo_path())]))
        self.start_page.recent_chosen.connect(lambda path: self.open_paths([path]))
        shortcuts.install(self)
        self.document = InvestigationDocument(self, self._pool)
        self._apply_time_zone(self._zone)
        self.status.show_status(
            "Open log files, folders or archives (File > Open, or drop them here)."
        )
        if settings.problems:  # a settings file set aside as unreadable
            self._add_warnings(settings.problems)

    # -- building ---------------------------------------------------------------------------
    def _build_centre(self) -> QWidget:
        self.logs = LogsTab(self._hidden_columns)
        self.logs.filter_requested.connect(self.filter_on_value)
        self.logs.hidden_columns_changed.connect(self._on_hidden_columns_changed)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.logs, "Logs")
        self.patterns_tab = PatternsTab()
        # While following, the patterns shown stay until the new ones come.
        self.patterns_tab.show_mining_of(self.investigation, quiet=lambda: self.follow.is_on())
        self.patterns_tab.filter_requested.connect(self.filter_patterns)
        self.patterns_tab.inspect_requested.connect(self.inspect_pattern)
        self.inspect_pane = pane = self.patterns_tab.inspect_pane
        pane.filter_token.connect(self._on_filter_token)
        pane.range_selected.connect(self._on_timeline_range_selected)
        pane.open_row.connect(self.show_table_row)
        pane.inspect_requested.connect(self.inspect_pattern)
        pane.filter_patterns.connect(self.filter_patterns)
        self.tabs.addTab(self.patterns_tab, "Patterns")
        self.anomalies_tab = AnomaliesTab()
        self.anomalies_tab.show_anomalies_of(self.investigation)  # then say they are shown:
        self.investigation.anomalies_found.connect(
            lambda found, *_: self.sig_anomalies_ready.emit(found)
        )
        self.anomalies_tab.window_changed.connect(self._on_anomaly_window_changed)
        self.anomalies_tab.marks_changed.connect(
            lambda marks: (
                self.tabs.currentWidget() is self.anomalies_tab and self.timeline.set_marks(marks)
            )
        )
        self.anomalies_tab.filter_requested.connect(self.filter_to_anomaly)
        self.anomalies_tab.inspect_requested.connect(self.inspect_anomaly)
        self.anomalies_tab.suppress_requested.connect(self.investigation.suppress)
        self.anomalies_tab.unsuppress_requested.connect(self.investigation.unsuppress)
        self.tabs.addTab(self.anomalies_tab, "Anomalies")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.chart = TimeSeriesChart()
        self.tabs.addTab(self.chart, "Visualization")
        self.query_bar = QueryBar()
        self.query_bar.submitted.connect(self._on_query_submitted)
        self.range_bar = RangeBar()
        self.range_bar.range_changed.connect(self._on_range_changed)
        self.range_bar.context_changed.connect(self._on_context_changed)
        self.range_bar.compare_changed.connect(self._on_compare_changed)
        self.tabs.setCornerWidget(self.range_bar.context_widget(), Qt.Corner.TopRightCorner)
        self.timeline = Timeline()
        self.timeline.range_selected.connect(self._on_timeline_range_selected)
        self.timeline.range_reset.connect(self._on_timeline_range_reset)
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        self.notice = NoticeBar()
        self.notice.show_requested.connect(self._on_notice_show_clicked)
        layout.addWidget(self.notice)
        layout.addWidget(self.query_bar)
        layout.addWidget(self.range_bar)
        layout.addWidget(self.timeline)
        layout.addWidget(self.tabs, 1)
        return centre

    def _build_docks(self) -> None:
        self.sources_panel = SourcesPanel()
        self.sources_panel.excluded_changed.connect(self._on_sources_excluded_changed)
        self.sources_panel.override_changed.connect(self._on_override_changed)
        self.sources_dock = QDockWidget("Sources", self)
        self.sources_dock.setObjectName("sources_dock")
        self.sources_dock.setWidget(self.sources_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.sources_dock)
        self.warnings_dock = WarningsDock(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.warnings_dock)
        self.splitDockWidget(self.sources_dock, self.warnings_dock, Qt.Orientation.Vertical)
        self.warnings_dock.hide()
        # Narrow: on a laptop the patterns' text needs the width (View > Sources hides it).
        self.resizeDocks([self.sources_dock], [300], Qt.Orientation.Horizontal)

    def _build_status_bar(self) -> None:
        self.status.cancel_requested.connect(self.cancel_loading)
        self.status.warnings_toggled.connect(self.warnings_dock.toggleViewAction().trigger)
        self.follow.status.connect(self.status.show_status)
        self.setStatusBar(self.status)

    def _build_menus(self) -> None:
        docks = (self.sources_dock, self.warnings_dock)
        self.menus = menus = Menus(self, self.settings, self._zone, docks)
        menus.open_requested.connect(self.open_paths)
        menus.add_requested.connect(
            lambda paths: self.open_paths([*self.investigation.paths, *paths])
        )
        menus.export_requested.connect(self._export_to)
        menus.zone_chosen.connect(self.set_time_zone)
        self.follow_action = menus.follow_action
        self.follow_action.toggled.connect(self.set_following)
        self.status.follow_button.setDefaultAction(self.follow_action)

    # -- loading ----------------------------------------------------------------------------
    def open_paths(
        self, paths: Sequence[str], *, overrides: dict | None = None, recent: bool = True
    ) -> None:
        """Start reading `paths` in the background (each source named in `overrides` read so);
        the result replaces the current investigation. An investigation file (`.logview`)
        opens as it was saved. A load already running is cancelled: the newest wins."""
        paths = [str(p) for p in paths]
        if len(paths) == 1 and paths[0].endswith(SUFFIX) and os.path.isfile(paths[0]):
            self.document.open(paths[0])
            return
        if not paths or (recent and not self.document.may_open(paths)):
            return
        self.set_following(False)
        if self._remember and recent:
            self.settings.add_recent(paths)
        self.investigation.open(paths, overrides)
        self.status.set_loading(True)
        self.status.show_status(f"Opening {describe_paths(paths)}…")

    def cancel_loading(self) -> None:
        """Ask the running load, if any, to stop; the current investigation stays."""
        if self.investigation.is_loading():
            self.investigation.stop_loading()
            self.status.show_status("Cancelling…")

    def _on_load_preview(self, frame: pl.DataFrame) -> None:
        """Show the first source read while the others load (replaced when loading ends)."""
        self.logs.set_table(frame)
        self.pages.setCurrentIndex(1)
        self._previewing = True
        self.status.show_result(f"first {frame.height:,} entries while loading…")

    def _end_preview(self) -> None:
        """Show the current investigation again where a load that did not finish showed its
        first source in the Logs table."""
        if not self._previewing:
            return
        self._previewing = False
        ingested = self.investigation.ingested
        if ingested is None:  # nothing was open before: the start page again
            self.pages.setCurrentWidget(self.start_page)
            self.logs.clear()
            self.status.show_result("")
            return
        self.logs.set_table(
            ingested.table, self.investigation.order, self.investigation.source_names
        )
        self.views.refresh()

    def _on_load_failed(self, message: str) -> None:
        self._end_preview()
        paths = describe_paths(self.investigation.loading_paths)
        self._add_warnings([f"could not open {paths}: {message}"])
        self.sig_load_failed.emit(message)

    def _on_load_cancelled(self) -> None:
        self._end_preview()
        self.sig_load_cancelled.emit()

    def _on_loaded(self, result: Ingested) -> None:
        self.pages.setCurrentIndex(1)
        self._previewing = False
        self.logs.set_table(result.table, self.investigation.order, self.investigation.source_names)
        self.sources_panel.set_sources(result.sources)
        self.sources_panel.set_user_formats(result.user_formats)
        self.warnings_dock.clear()
        warnings = list(result.warnings)
        if self.logs.model.is_capped():
            warnings.append(
                f"showing the first {self.logs.model.rowCount():,} of {result.table.height:,} entries: "
                "the table cannot scroll further"
            )
        self._add_warnings(warnings)
        self.setWindowTitle(f"{describe_paths(self.investigation.paths)} \u2013 logview")
        stamps = result.table["ts"]
        self.range_bar.set_span(stamps.min(), stamps.max())  # type: ignore[arg-type]
        excluded = self.views.state.excluded & {s.name for s in result.sources}
        state = ViewState(
            query=self.query_bar.text().strip(),
            excluded=frozenset(excluded),
            context=self.range_bar.context_size(),
        )
        # The panel shows the state; the state is set here, once, not by its signal.
        blocker = QSignalBlocker(self.sources_panel)
        self.sources_panel.set_excluded(excluded)
        blocker.unblock()
        self.set_state(state)
        self.query_bar.edit.setFocus()  # the next thing to do is to ask
        self.sig_load_finished.emit(result)

    def _add_warnings(self, warnings: Sequence[str]) -> None:
        self.status.show_warning_count(self.warnings_dock.add(warnings))
        self.warnings_dock.show_below(self, self.sources_dock)

    def status_text(self) -> str:
        """Return the status bar's message."""
        return self.status.status_text()

    # -- the view ---------------------------------------------------------------------------
    def set_state(self, state: ViewState) -> None:
        """Show what `state` selects (the view controller computes it)."""
        self.views.set_state(state)

    def _on_query_finished(self, view: View) -> None:
        self.query_bar.show_error(None)
        if view.histogram is not None:
            self.timeline.set_histogram(view.histogram)
        if view.comparison is not None:
            self.timeline.set_overlay(view.overlay, view.overlay_shift_us, view.comparison.label)
        else:
            self.timeline.set_overlay(None)
        self.timeline.set_selection(None, None)  # it is zoomed to the range: the whole width
        result = view.result
        self.query_bar.show_result_count(
            len(result.rows) if result.rows is not None else result.frame.height
        )
        anchor, self._live_anchor = self._live_anchor, None
        if view.rows is not None:
            self.logs.show_rows(view.rows, view.is_match, anchor)
        else:
            self.logs.show_frame(result.frame)
        ingested = self.investigation.ingested
        self.status.show_result(view.summary(ingested.table.height if ingested is not None else 0))
        self.chart.show_result(result)
        if view.patterns is not None:
            self.patterns_tab.set_frame(
                view.patterns.frame,
                int(view.patterns.frame["count"].sum()),
                view.comparison.summary() if view.comparison is not None else None,
            )
        elif view.rows is None:
            self.patterns_tab.set_busy("Patterns are shown for queries that return entries.")
        self.sig_view_ready.emit(view)
        if view.patterns is not None:
            if self._inspect_when_shown is not None:  # an anomaly asked: its pattern now
                self._open_on, self._inspect_when_shown = self._inspect_when_shown, None
                self.tabs.setCurrentIndex(1)
                self.patterns_tab.select(self._open_on.pattern)
                self.inspect_pattern(self._open_on.pattern)
            self.sig_patterns_ready.emit(view)

    def _on_query_failed(self, message: str) -> None:
        self._inspect_when_shown = None  # the view an anomaly's inspection waited for failed
        self.query_bar.show_error(message)
        self.sig_query_failed.emit(message)

    def _on_query_submitted(self, text: str) -> None:
        self.set_state(self.views.state.with_(query=text))

    def _on_range_changed(self, start: datetime | None, end: datetime | None) -> None:
        self.set_state(self.views.state.with_(start=start, end=end))

    def _on_timeline_range_selected(self, start: datetime, end: datetime) -> None:
        self.range_bar.set_range(start, end)

    def _on_timeline_range_reset(self) -> None:
        self.range_bar.set_range(None, None)

    def _on_compare_changed(self, against: str | None, offset: object) -> None:
        inv = self.investigation
        if against == "sources" and inv.baseline is None:
            paths, _filter = QFileDialog.getOpenFileNames(
                self, "Compare with other logs (a healthy bundle, last week's archive)",
                self.menus.start_folder(),
            )  # fmt: skip
            if not paths:
                self.range_bar.set_compare(None)
                return
            self.load_baseline(paths)
            return
        state = self.views.state.with_(compare=against, compare_offset=offset)
        if against in BASELINES and state.start is None and inv.ingested is not None:
            # Comparing everything with the day before everything says little: compare the
            # data's last day (week, hour, ...) instead, as `logview compare` does.
            span = default_range(inv.ingested.table, against)
            self.range_bar.set_range(span.start, span.end, emit=False)
            state = state.with_(start=span.start, end=span.end)
        self.set_state(state)

    def load_baseline(self, paths: Sequence[str]) -> None:
        """Read other sources to compare with (in a worker), then compare with them."""
        self.patterns_tab.set_busy(f"Reading {describe_paths(list(paths))} to compare with…")
        self.investigation.load_baseline(paths)

    def _on_baseline_loaded(self, ingested: Ingested) -> None:
        self._add_warnings([f"baseline: {w}" for w in ingested.warnings])
        self.set_state(self.views.state.with_(compare="sources", compare_offset=None))

    def _on_baseline_failed(self, message: str) -> None:
        self._add_warnings([f"baseline: {message}"])
        self.range_bar.set_compare(None)

    def _on_context_changed(self, size: int) -> None:
        self.set_state(self.views.state.with_(context=size))

    def _on_sources_excluded_changed(self, excluded: frozenset[str]) -> None:
        self.set_state(self.views.state.with_(excluded=frozenset(excluded)))

    def filter_on_value(self, column: str, value: str, exclude: bool = False) -> None:
        """Add a filter on a table column's value to the query, and run it."""
        if column == "ts":
            return
        text = add_filter(self.query_bar.text(), filter_field(column), value, exclude=exclude)
        self.query_bar.set_text(text)

    def _on_hidden_columns_changed(self, hidden: list[str]) -> None:
        self._hidden_columns = set(hidden)
        if self._remember:
            self.settings.set_value("columns/hidden", hidden)

    def focus_query(self) -> None:
        self.query_bar.edit.setFocus()
        self.query_bar.edit.selectAll()

    def set_time_zone(self, zone: str | None) -> None:
        """Show times in `zone` (IANA name; None is UTC), and remember it."""
        self._zone = zone
        if self._remember:
            self.settings.set_value("display/tz", zone or "")
        self._apply_time_zone(zone)

    def zone(self) -> str | None:
        """Return the IANA zone times are shown in (None: UTC)."""
        return self._zone

    def _apply_time_zone(self, zone: str | None) -> None:
        self.logs.set_time_zone(zone)
        self.patterns_tab.set_time_zone(zone)
        self.range_bar.set_time_zone(zone)
        self.timeline.set_time_zone(zone)
        self.chart.set_time_zone(zone)

    def export_results(self, path: str) -> None:
        """Write the current result (rows, stats or patterns) to `path` by its extension."""
        fmt = format_from_path(path) or "csv"
        ingested, view = self.investigation.ingested, self.views.view
        if view is None or ingested is None:
            return
        frame = ingested.table[view.rows] if view.rows is not None else view.result.frame
        export(frame, path, fmt)

    def _export_to(self, path: str) -> None:
        try:
            self.export_results(path)
        except (OSError, LogviewError) as err:
            QMessageBox.warning(self, "Export failed", visible_text(str(err)))
        else:
            self.status.show_status(f"Exported to {visible_text(path)}")

    def set_override(self, name: str, override: SourceOverride | None) -> None:
        """Read source `name` differently (None: as detected) and re-merge the investigation."""
        self.investigation.set_override(name, override)
        self.open_paths(self.investigation.paths)

    def _on_override_changed(self, name: str, changes: dict[str, Any] | None) -> None:
        current = self.investigation.overrides.get(name, SourceOverride())
        self.set_override(name, None if changes is None else replace(current, **changes))

    # -- patterns and anomalies ----------------------------------------------------------------
    def _on_mined(self, mined: Mined) -> None:
        self.query_bar.set_pattern_names(mined.templates)  # chips name patterns by their text
        self.views.refresh()  # the same view, now with its patterns
        self.investigation.detect_anomalies(self.follow.watch)

    def _on_anomalies_failed(self, message: str) -> None:
        self._add_warnings([f"anomaly detection failed: {message}"])
        self.sig_job_failed.emit("anomalies", message)

    def _on_anomaly_window_changed(self, minutes: int) -> None:
        self.investigation.anomaly_minutes = minutes
        self.follow.renew_watch()
        self.investigation.detect_anomalies(self.follow.watch)

    # -- following ----------------------------------------------------------------------------
    def set_following(self, on: bool) -> None:
        """Follow the investigation's plain files as they grow (tail -F), or stop: new entries
        join the table and the view, the patterns are mined again now and then, each anomaly
        window is judged as it closes, and a new HIGH anomaly raises a notice."""
        if not on:
            self.notice.hide()
        self.follow.set_on(on)

    def _show_following(self) -> None:
        with QSignalBlocker(self.follow_action):
            self.follow_action.setChecked(self.follow.live is not None)
        self.status.show_following(self.follow.live, FOLLOW_INTERVAL_MS)

    def _on_grew(self, added: int) -> None:
        """Show the table a poll grew: the same view, keeping the reader's place."""
        if self.investigation.mined is not None:  # its new rows may bring new patterns
            self.query_bar.set_pattern_names(self.investigation.mined.templates)
        ingested = self.investigation.ingested
        table = ingested.table
        self.logs.model.grow_table(table)
        self.sources_panel.update_counts(ingested.sources)
        stamps = table["ts"]
        last = stamps.max()
        self._live_anchor = self.logs.anchor()
        self.range_bar.extend_span(stamps.min(), last)  # type: ignore[arg-type]
        self.views.refresh()
        at = f" · last at {format_stamp(last, self._zone)}" if last is not None else ""
        self.status.show_status(f"Following: {added:+,} entr{'y' if added == 1 else 'ies'}{at}")

    def _notify(self, high: list[Anomaly]) -> None:
        """Announce new HIGH anomalies (that no rule hides)."""
        self.notified.extend(high)
        self._unseen += len(high)
        if self.tabs.currentWidget() is not self.anomalies_tab:
            index = self.tabs.indexOf(self.anomalies_tab)
            self.tabs.setTabText(index, f"Anomalies ({self._unseen} new)")
        self.notice.announce(high, self._zone)
        QApplication.alert(self)

    def _on_tab_changed(self, index: int) -> None:
        anomalies = self.tabs.widget(index) is self.anomalies_tab
        self.timeline.set_marks(self.anomalies_tab.marks() if anomalies else [])
        if anomalies:  # the new ones are seen
            self._unseen = 0
            self.tabs.setTabText(index, "Anomalies")

    def _on_notice_show_clicked(self) -> None:
        self.notice.hide()
        self.tabs.setCurrentWidget(self.anomalies_tab)

    def filter_to_anomaly(self, anomaly: Anomaly) -> None:
        """Show the anomaly's entries in its window in the Logs tab (its pattern, or the errors
        of an error surge)."""
        if anomaly.pattern is not None and anomaly.token_name and anomaly.value is not None:
            text = token_filter(anomaly.pattern, anomaly.token_name.strip("<>"), anomaly.value)
        elif anomaly.pattern is not None:
            text = pattern_filter([anomaly.pattern])
        else:
            text = 'filter @level in ["ERROR", "FATAL"]'
        self.query_bar.set_text(text, run=False)
        self.tabs.setCurrentIndex(0)
        self.range_bar.set_range(anomaly.start, anomaly.end, emit=False)
        self.set_state(self.views.state.with_(query=text, start=anomaly.start, end=anomaly.end))

    def inspect_anomaly(self, anomaly: Anomaly) -> None:
        """Inspect the anomaly's pattern over its window against a time its detection took as
        normal, the query kept, opening on its token; a line says what changed, with Undo."""
        if anomaly.pattern is None:
            self.filter_to_anomaly(anomaly)
            return
        ingested, before = self.investigation.ingested, self.views.state
        first = ingested.table["ts"].min() if ingested is not None else None
        shown = inspect_anomaly_state(before, anomaly.start, anomaly.end, first, self._zone)

        def show(state: ViewState) -> None:
            self.range_bar.show_compare(state.compare)
            self.range_bar.set_range(state.start, state.end, emit=False)
            self.set_state(state)

        # One pending inspection: a quicker second click replaces the first.
        self._inspect_when_shown = anomaly
        self.patterns_tab.say(shown.said, undo=lambda: show(before))
        show(shown.state)

    def filter_patterns(self, ids: list[str], exclude: bool) -> None:
        """Add a filter keeping (or hiding) these patterns' entries to the query, and run it."""
        self.query_bar.set_text(append(self.query_bar.text(), pattern_filter(ids, exclude=exclude)))
        if not exclude:
            self.tabs.setCurrentIndex(0)

    def _on_filter_token(self, pattern_id: str, name: str, value: str, exclude: bool) -> None:
        command = token_filter(pattern_id, name, value, exclude=exclude)
        self.query_bar.set_text(append(self.query_bar.text(), command))

    def inspect_pattern(self, pattern_id: str) -> None:
        """Compute (in a worker) and show the inspection of a pattern over the current rows."""
        if self.views.inspect(pattern_id):
            self.patterns_tab.open_inspection()

    def _on_inspect_failed(self, message: str) -> None:
        self.inspect_pane.show_failure(message)
        self.sig_job_failed.emit("inspect", message)

    def _on_inspected(self, inspection: Inspection) -> None:
        mined = self.investigation.mined
        if mined is None:
            return
        names = {pid: t.text for pid, t in mined.by_id.items()}
        self.inspect_pane.show_inspection(inspection, names)
        anomaly, self._open_on = self._open_on, None
        if anomaly is not None and anomaly.pattern == inspection.template.id and anomaly.token_name:
            self.inspect_pane.open_on_token(anomaly.token_name, anomaly.value)
        self.sig_inspected.emit(inspection)

    def show_table_row(self, row: int) -> None:
        """Show table row `row` selected in the Logs tab, if the current view holds it."""
        if self.logs.select_table_row(row):
            self.tabs.setCurrentIndex(0)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        event.acceptProposedAction() if _local_paths(event.mimeData().urls()) else event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.document.may_close():
            event.ignore()
            return
        self.follow.close()
        self.document.close()
        # Late results of background work are for a window that is gone: every job forgets
        # its run, so that what it still sends is ignored.
        self.investigation.close()
        self.views.close()
        # Ingest checks for cancellation between chunks, so this wait is short; leaving a
        # worker running past the window's end would emit into deleted objects.
        self._pool.waitForDone()
        if self._remember:
            self.settings.set_value("query/history", self.query_bar.history())
            self.settings.set_value("window/geometry", self.saveGeometry())
            self.settings.set_value("window/state", self.saveState())
            self.settings.sync()
        super().closeEvent(event)

    def restore_layout(self) -> bool:
        """Return whether the saved window geometry and dock layout were restored."""
        geometry = self.settings.value("window/geometry")
        if geometry.isEmpty():
            return False
        self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if not state.isEmpty():
            self.restoreState(state)
        return True


def _local_paths(urls: Sequence[Any]) -> list[str]:
    return [url.toLocalFile() for url in urls if url.isLocalFile()]

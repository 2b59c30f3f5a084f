"""The investigation as a document: saved to a `.logview` file and opened again as it was,
its bookmarks (marked from the Logs, Patterns and Anomalies tabs, listed in the Bookmarks dock)
and notes, and the report exported from it. The window builds this once; it wires itself to
the window's tabs, menus and investigation."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox

from logview.core.investigation import bookmarks, saved
from logview.core.investigation.bookmarks import Bookmark
from logview.core.shared.display import describe_paths, visible_text
from logview.core.shared.errors import LogviewError
from logview.gui.bookmarks_panel import BookmarksPanel
from logview.gui.workers import LatestJob, Report

if TYPE_CHECKING:
    from logview.core.analysis.anomalies import Anomaly
    from logview.core.analysis.view import View

MainWindow = Any  # the window (not imported: it imports this module)

MAX_MARKED_AT_ONCE = 1000  # entries one press of M bookmarks (a whole selection of millions: no)


class InvestigationDocument(QObject):
    """Saving and opening the window's investigation, its bookmarks and its report."""

    saved = Signal(str)  # the file the investigation was saved to
    restored = Signal(object)  # saved.Saved: an investigation file's view is shown again
    report_written = Signal(list)  # the files written
    report_failed = Signal(str)

    def __init__(self, window: MainWindow, pool: Any) -> None:
        super().__init__(window)
        self._window = window
        self.file: str | None = None  # the investigation file open (saved to, opened from)
        self._pending: saved.Saved | None = None  # to show once its sources are loaded
        self._notes: list[str] = []  # what to say of its sources then (moved, changed)
        self._select_when_shown: int | None = None  # a bookmarked entry's row to go to
        self._report = LatestJob(pool)
        self._kept: tuple | None = None  # what was saved or opened, to tell a change by
        self._started_other = False  # the load running starts another investigation
        # A window that remembers nothing (screenshots) closes without asking, as do windows
        # run by scripts and tests (a modal question would wait for an answer no one gives).
        self.ask_before_close = window.investigation.remember and not os.environ.get(
            "LOGVIEW_CLOSE_WITHOUT_ASKING"
        )
        # How a missing source is looked for (tests answer without a dialog): the checks of the
        # missing ones -> saved path -> new path (None: open without them; raise: cancel).
        self.locate: Callable[[list[saved.SourceCheck]], dict[str, str] | None] = self._ask_locate
        self.panel = BookmarksPanel()
        self.dock = QDockWidget("Bookmarks", window)
        self.dock.setObjectName("bookmarks_dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.sources_dock, self.dock)
        # Hidden until the first bookmark: a second tab beside Sources widens the window's
        # least width past half a 1366-px screen.
        self.dock.hide()
        self._marked = 0  # bookmarks shown last time
        window.menus.view_menu.insertAction(
            window.menus.view_menu.actions()[1], self.dock.toggleViewAction()
        )
        inv = window.investigation
        inv.bookmarks_changed.connect(self._show_bookmarks)
        inv.loaded.connect(lambda _ingested: self._show_bookmarks())
        window.logs.bookmark_requested.connect(self.bookmark_rows)
        window.patterns_tab.bookmark_requested.connect(self.bookmark_patterns)
        window.anomalies_tab.bookmark_requested.connect(self.bookmark_anomaly)
        window.sig_load_finished.connect(self._on_load_finished)
        # An investigation whose load failed or was cancelled is not restored over a later one.
        window.sig_load_failed.connect(self._forget_pending)
        window.sig_load_cancelled.connect(self._forget_pending)
        window.sig_view_ready.connect(self._on_view_ready)
        self.panel.jump_requested.connect(self.go_to)
        self.panel.remove_requested.connect(
            lambda mark: inv.set_bookmarks([b for b in inv.bookmarks if b != mark])
        )
        self.panel.note_edited.connect(self._on_note_edited)
        self.panel.notes_edited.connect(self._on_notes_edited)
        menus = window.menus
        menus.save_requested.connect(self._on_save_requested)
        menus.open_investigation_requested.connect(self.open)
        menus.report_requested.connect(self.export_report)
        menus.zone_chosen.connect(lambda _zone: self._show_bookmarks())

    # -- bookmarks ---------------------------------------------------------------------------
    def bookmark_rows(self, rows: Sequence[int]) -> None:
        """Bookmark the entries at table rows `rows`; when all are bookmarked, unmark them."""
        inv = self._window.investigation
        if inv.ingested is None or not rows:
            return
        if len(rows) > MAX_MARKED_AT_ONCE:
            inv.warned.emit(
                [f"{len(rows):,} entries selected: bookmarked the first {MAX_MARKED_AT_ONCE:,}"]
            )
            rows = list(rows)[:MAX_MARKED_AT_ONCE]
        marks = bookmarks.entries(inv.ingested.table, rows)
        have = {(b.kind, b.key) for b in inv.bookmarks}
        if all((m.kind, m.key) in have for m in marks):
            keys = {(m.kind, m.key) for m in marks}
            inv.set_bookmarks([b for b in inv.bookmarks if (b.kind, b.key) not in keys])
        else:
            inv.set_bookmarks([*inv.bookmarks, *(m for m in marks if (m.kind, m.key) not in have)])

    def bookmark_patterns(self, ids: Sequence[str]) -> None:
        """Bookmark the patterns `ids` (each marked one is unmarked)."""
        inv = self._window.investigation
        if inv.mined is None:
            return
        marks = list(inv.bookmarks)
        for pattern_id in ids:
            template = inv.mined.templates.get(pattern_id)
            if template is not None:
                marks = bookmarks.toggled(marks, bookmarks.pattern(pattern_id, template))
        inv.set_bookmarks(marks)

    def bookmark_anomaly(self, anomaly: Anomaly) -> None:
        """Bookmark `anomaly` (or unmark it)."""
        self._window.investigation.toggle_bookmark(bookmarks.anomaly(anomaly))

    def go_to(self, mark: Bookmark) -> None:
        """Show what `mark` marks: the entry in the Logs tab (the whole table shown if the
        view leaves it out), the pattern in the Patterns tab, the anomaly in its tab."""
        window, inv = self._window, self._window.investigation
        if inv.ingested is None:
            return
        if mark.kind == "entry":
            rows = bookmarks.entry_rows(inv.ingested.table, [mark])
            if not len(rows):
                inv.warned.emit([f"bookmarked entry {mark.key} is no longer in the sources"])
                return
            row = int(rows[0])
            if window.logs.select_table_row(row):
                window.tabs.setCurrentWidget(window.logs)
                return
            self._select_when_shown = row  # not in this view: show every entry, then it
            window.query_bar.set_text("", run=False)
            window.range_bar.set_range(None, None, emit=False)
            window.set_state(window.views.state.with_(query="", start=None, end=None))
        elif mark.kind == "pattern":
            templates = inv.mined.templates if inv.mined is not None else {}
            pattern_id = bookmarks.pattern_of(mark, templates)
            if pattern_id is None:
                inv.warned.emit([f"bookmarked pattern {mark.title!r} is not among the patterns"])
                return
            window.tabs.setCurrentWidget(window.patterns_tab)
            window.patterns_tab.select(pattern_id)
        else:
            window.tabs.setCurrentWidget(window.anomalies_tab)
            window.anomalies_tab.select_anomaly(mark.key)

    def _on_view_ready(self, _view: View) -> None:
        row, self._select_when_shown = self._select_when_shown, None
        if row is not None and self._window.logs.select_table_row(row):
            self._window.tabs.setCurrentWidget(self._window.logs)

    def _show_bookmarks(self) -> None:
        window, inv = self._window, self._window.investigation
        self.panel.set_bookmarks(inv.bookmarks, window.zone())
        if inv.bookmarks and not self._marked and not self.dock.isVisible():
            self.dock.show()  # the first bookmark: where they are kept
            self.dock.raise_()
        self._marked = len(inv.bookmarks)
        self.panel.set_notes(inv.notes)
        window.logs.model.set_bookmarked(inv.bookmarked_rows)
        if "@bookmarked" in window.views.state.query.lower():
            window.views.refresh()

    def _on_note_edited(self, mark: Bookmark, note: str) -> None:
        inv = self._window.investigation
        inv.set_bookmarks([b.with_note(note) if b == mark else b for b in inv.bookmarks])

    def _on_notes_edited(self, text: str) -> None:
        self._window.investigation.notes = text

    # -- the investigation file --------------------------------------------------------------
    def current(self, file: str | None = None) -> saved.Saved:
        """Return the investigation as it stands, to be saved to `file`."""
        window, inv = self._window, self._window.investigation
        self.panel.flush_notes()
        state = window.views.state
        return saved.new(
            inv.paths,
            state,
            file=file,
            overrides=dict(inv.overrides),
            baseline=tuple(inv.baseline_paths) if state.compare == "sources" else (),
            history=tuple(window.query_bar.history()),
            suppressions=tuple(inv.suppressions),
            bookmarks=tuple(inv.bookmarks),
            notes=inv.notes,
        )

    def save(self, path: str) -> bool:
        """Save the investigation to `path` (atomically); return whether it was saved."""
        window = self._window
        if not window.investigation.paths:
            window.status.show_status("Nothing to save: open some logs first.")
            return False
        try:
            saved.write(path, self.current(path))
        except LogviewError as err:
            QMessageBox.warning(window, "Save failed", visible_text(str(err)))
            return False
        self.file = str(Path(path).resolve())
        self._kept = self._work()
        if window.investigation.remember:
            window.settings.add_recent([self.file])
        self._title()
        window.status.show_status(f"Saved the investigation to {visible_text(self.file)}")
        self.saved.emit(self.file)
        return True

    def _on_save_requested(self, path: str) -> None:
        if path:
            self.save(path)
        elif self.file is not None:
            self.save(self.file)
        else:
            self._window.menus.ask_save_as()

    def open(self, path: str) -> bool:
        """Open the investigation saved at `path`: its sources are read as they were, then
        its view, bookmarks and notes are shown. A source that moved is looked for beside the
        file, or the reader points at it; the rest opens without the missing ones. Return
        whether the sources started loading."""
        window = self._window
        if not self.may_close("opening another investigation"):
            return False
        try:
            found = saved.read(path)
        except LogviewError as err:
            window.investigation.warned.emit([str(err)])
            QMessageBox.warning(window, "Cannot open the investigation", visible_text(str(err)))
            return False
        checks = saved.check(found, path)
        missing = [c for c in checks if c.status == "missing"]
        if missing:
            try:
                located = self.locate(missing) or {}
            except LookupError:  # the reader cancelled
                return False
            checks = [
                saved.check_source(c.saved, at=located[c.saved.path])
                if c.saved.path in located else c
                for c in checks
            ]  # fmt: skip
        moves = {c.saved.path: c.path for c in checks if c.path != c.saved.path}
        found = saved.relocated(found, moves)
        paths = [c.path for c in checks if c.status != "missing"]
        if not paths:
            message = f"cannot open {path}: none of its sources is where it was"
            window.investigation.warned.emit([message])
            QMessageBox.warning(window, "Cannot open the investigation", message)
            return False
        self.file = str(Path(path).resolve())
        self._pending = found
        self._notes = [c.message() for c in checks if c.status != "ok"]
        if window.investigation.remember:
            window.settings.add_recent([self.file])
        window.open_paths(paths, overrides=found.overrides, recent=False)
        return True

    def _ask_locate(self, missing: list[saved.SourceCheck]) -> dict[str, str] | None:
        """Ask the reader where the missing sources went: Locate each, open without them, or
        cancel (LookupError)."""
        window = self._window
        names = "\n".join(visible_text(c.saved.path) for c in missing)
        box = QMessageBox(window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Sources missing")
        box.setText(f"{len(missing)} of the investigation's sources are not where they were:")
        box.setInformativeText(names)
        locate = box.addButton("Locate…", QMessageBox.ButtonRole.AcceptRole)
        without = box.addButton("Open Without Them", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is without:
            return None
        if box.clickedButton() is not locate:
            raise LookupError("cancelled")
        moves = {}
        for check in missing:
            was = check.saved.path
            start = str(Path(was).parent) if Path(was).parent.exists() else os.getcwd()
            if check.saved.size is None:
                new = QFileDialog.getExistingDirectory(window, f"Where is {was}?", start)
            else:
                new, _ = QFileDialog.getOpenFileName(window, f"Where is {was}?", start)
            if new:
                moves[was] = new
        return moves

    def _on_load_finished(self, _ingested: object) -> None:
        found, self._pending = self._pending, None
        if found is None:
            if self.file is not None and self._started_other:
                self.file, self._kept = None, None  # other logs: not that investigation now
            return
        self.restore(found)
        self._kept = (found.state, found.bookmarks, found.notes)
        notes, self._notes = self._notes, []
        if notes:
            self._window.investigation.warned.emit(notes)
        self._title()
        self.restored.emit(found)

    def _forget_pending(self, *_args: object) -> None:
        if self._pending is not None:
            self._pending, self._notes, self.file = None, [], None

    def restore(self, found: saved.Saved) -> None:
        """Show `found`'s view, bookmarks, notes and suppressions over the table loaded."""
        window, inv = self._window, self._window.investigation
        state = found.state
        inv.set_bookmarks(found.bookmarks, found.notes)
        inv.set_suppressions(list(found.suppressions))
        if found.history:
            window.query_bar.set_history(list(found.history))
        window.query_bar.set_text(state.query, run=False)
        window.range_bar.set_range(state.start, state.end, emit=False)
        window.range_bar.show_context(state.context)
        with QSignalBlocker(window.sources_panel):
            window.sources_panel.set_excluded(state.excluded)
        window.range_bar.show_compare(state.compare, state.compare_offset)
        if state.compare == "sources":
            window.set_state(state.with_(compare=None))
            if found.baseline:
                window.load_baseline(found.baseline)  # compares once they are read
            return
        window.set_state(state)

    def _title(self) -> None:
        if self.file is not None:
            window = self._window
            sources = describe_paths(window.investigation.paths)
            window.setWindowTitle(f"{Path(self.file).name} ({sources}) \u2013 logview")

    def _work(self) -> tuple:
        """Return what a reader would lose by closing unsaved: the view, bookmarks, notes."""
        self.panel.flush_notes()
        inv = self._window.investigation
        return (self._window.views.state, tuple(inv.bookmarks), inv.notes)

    def may_open(self, paths: Sequence[str]) -> bool:
        """Return whether `paths` may be opened: logs that start another investigation ask
        first, as closing does (`may_close`)."""
        inv = self._window.investigation
        self._started_other = not inv.continues(paths)
        return not self._started_other or self.may_close("opening other logs")

    def may_close(self, doing: str = "closing") -> bool:
        """Return whether the window may close: with bookmarks or notes not saved (or an
        investigation file changed since), the reader is asked to save, discard or cancel."""
        inv = self._window.investigation
        work = self._work()
        if not self.ask_before_close or not inv.paths or work == self._kept:
            return True
        if self.file is None and not inv.bookmarks and not inv.notes:
            return True  # nothing that the logs themselves do not hold
        name = Path(self.file).name if self.file else "this investigation"
        answer = QMessageBox.question(
            self._window,
            "Save the investigation?",
            f"Save the bookmarks, notes and view of {name} before {doing}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Discard:
            return True
        if answer != QMessageBox.StandardButton.Save:
            return False
        if self.file is not None:
            return self.save(self.file)
        self._window.menus.ask_save_as()
        return self._work() == self._kept  # saved, unless the reader cancelled the dialog

    # -- the report --------------------------------------------------------------------------
    def export_report(self, path: str) -> None:
        """Write the report of the investigation as shown to `path` (.html or .md), in the
        background; `report_written` or `report_failed` says how it went."""
        window, inv = self._window, self._window.investigation
        if inv.ingested is None:
            window.status.show_status("Nothing to report: open some logs first.")
            return
        from logview.core.investigation.report import report_of, write_report

        self.panel.flush_notes()
        ingested, state, mined = inv.ingested, window.views.state, inv.mined
        anomalies, _suppressed, _normal = inv.split_anomalies()
        incidents, marks, notes = list(inv.incidents), list(inv.bookmarks), inv.notes
        baseline, order = inv.baseline, inv.order
        zone = window.zone() or "UTC"

        def task(_report: Report, cancelled: Callable[[], bool]) -> list[Path]:
            made = report_of(
                ingested.table, ingested.sources, state, mined=mined, anomalies=anomalies,
                incidents=incidents, bookmarks=marks, notes=notes, baseline=baseline,
                order=order, zone=zone, cancelled=cancelled,
            )  # fmt: skip
            return write_report(made, path)

        window.status.show_status(f"Writing the report to {visible_text(path)}…")
        self._report.start(task, self._on_report_written, self._on_report_failed)

    def _on_report_written(self, files: list[Path]) -> None:
        self._window.status.show_status(f"Report written to {visible_text(str(files[0]))}")
        self.report_written.emit(files)

    def _on_report_failed(self, message: str) -> None:
        self._window.investigation.warned.emit([f"could not write the report: {message}"])
        self._window.status.show_status("The report could not be written (see Warnings).")
        self.report_failed.emit(message)

    def close(self) -> None:
        self._report.cancel()

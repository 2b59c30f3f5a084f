"""What the window shows of an investigation, apart from any widget: the state the reader
chose (query, range, sources, comparison), the view computed for it and the inspection of a
pattern over that view. Both are computed in the background, newest wins; every result and
every failure is a signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from logview.core.analysis.inspect import Inspection, inspect_view
from logview.core.analysis.view import View, ViewState, compute_view
from logview.gui.investigation import Investigation
from logview.gui.workers import LatestJob, Report

RECENT_VIEWS = 3  # views kept to show again at once (each holds its rows: 4 bytes a row)


class ViewController(QObject):
    """The one writer of the view state: `set_state` computes the view it selects."""

    shown = Signal(object)  # View: the newest state's view is ready
    failed = Signal(str)  # the newest state's query failed (one line)
    inspected = Signal(object)  # Inspection of the pattern last asked for
    inspect_failed = Signal(str)

    def __init__(self, investigation: Investigation, pool: Any, parent: QObject | None = None):
        super().__init__(parent)
        self._investigation = investigation
        self.state = ViewState()
        self.view: View | None = None
        self._closed = False
        self._query = LatestJob(pool, "foreground")
        self._inspect = LatestJob(pool)
        # The last few views, by the state they show, while the data stays the same: going
        # back to one (a search cleared: every row of millions, with their patterns, took a
        # second to compute) shows it again at once.
        self._recent: dict[ViewState, View] = {}
        self._recent_of: tuple[object, ...] = ()
        self._asked = 0  # counts set_state calls: a view kept is shown only if still asked for

    def set_state(self, state: ViewState) -> None:
        """Show what `state` selects: compute its view in the background (the newest wins)."""
        self.state = state
        inv = self._investigation
        if inv.ingested is None or self._closed:
            return
        table, order, mined, baseline = inv.ingested.table, inv.order, inv.mined, inv.baseline
        marked = inv.bookmarked_rows
        data = (table, order, mined, baseline, marked)
        if len(self._recent_of) != len(data) or any(
            a is not b for a, b in zip(self._recent_of, data, strict=True)
        ):
            self._recent, self._recent_of = {}, data
        self._asked += 1
        if (kept := self._recent.get(state)) is not None:
            self._query.cancel()
            asked = self._asked
            # Shown from the event loop, as a computed view is: never inside set_state.
            QTimer.singleShot(0, lambda: self._on_view(kept) if asked == self._asked else None)
            return

        def task(_report: Report, cancelled: Callable[[], bool]) -> View:
            return compute_view(table, state, order, timeline=True, mined=mined,
                                baseline=baseline, bookmarked=marked, cancelled=cancelled)  # fmt: skip

        self._query.start(task, self._on_view, self.failed.emit)

    def forget_recent(self, query: str | None = None) -> None:
        """Forget the views kept of `query` (None: all of them), so that they are computed
        again when asked for (a benchmark timing the computation)."""
        self._recent = {
            s: v for s, v in self._recent.items() if query is not None and s.query != query
        }

    def refresh(self) -> None:
        """Compute the same state's view again (the table or its patterns changed)."""
        self.set_state(self.state)

    def busy(self) -> bool:
        return self._query.busy()

    def _on_view(self, view: View) -> None:
        self.view = view
        self._recent.pop(view.state, None)
        self._recent[view.state] = view
        while len(self._recent) > RECENT_VIEWS:
            del self._recent[next(iter(self._recent))]  # the least recently shown
        self.shown.emit(view)

    def inspect(self, pattern_id: str) -> bool:
        """Inspect pattern `pattern_id` over the view shown, in the background; return whether
        there is one to inspect (a mined pattern, over a view of rows)."""
        mined, ingested, view = self._investigation.mined, self._investigation.ingested, self.view
        if self._closed or mined is None or ingested is None or view is None or view.rows is None:
            return False  # (closed: a selection changing as the window goes starts nothing)
        if pattern_id not in mined.by_id:
            return False
        task = lambda _r, _c: inspect_view(ingested.table, mined, view, pattern_id)  # noqa: E731
        self._inspect.start(task, self._on_inspected, self.inspect_failed.emit)
        return True

    def _on_inspected(self, inspection: Inspection | None) -> None:
        if inspection is not None:
            self.inspected.emit(inspection)

    def close(self) -> None:
        """Start nothing more; what running jobs still send reaches no one."""
        self._closed = True
        self._query.cancel()
        self._inspect.cancel()

"""What the window shows of an investigation, apart from any widget: the state the reader
chose (query, range, sources, comparison), the view computed for it and the inspection of a
pattern over that view. Both are computed in the background, newest wins; every result and
every failure is a signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from logview.core.analysis.inspect import Inspection, inspect_view
from logview.core.analysis.view import View, ViewState, compute_view
from logview.gui.investigation import Investigation
from logview.gui.workers import LatestJob, Report


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
        self._query = LatestJob(pool)
        self._inspect = LatestJob(pool)

    def set_state(self, state: ViewState) -> None:
        """Show what `state` selects: compute its view in the background (the newest wins)."""
        self.state = state
        inv = self._investigation
        if inv.ingested is None or self._closed:
            return
        table, order, mined, baseline = inv.ingested.table, inv.order, inv.mined, inv.baseline

        def task(_report: Report, cancelled: Callable[[], bool]) -> View:
            return compute_view(table, state, order, timeline=True, mined=mined,
                                baseline=baseline, cancelled=cancelled)  # fmt: skip

        self._query.start(task, self._on_view, self.failed.emit)

    def refresh(self) -> None:
        """Compute the same state's view again (the table or its patterns changed)."""
        self.set_state(self.state)

    def busy(self) -> bool:
        return self._query.busy()

    def _on_view(self, view: View) -> None:
        self.view = view
        self.shown.emit(view)

    def inspect(self, pattern_id: str) -> bool:
        """Inspect pattern `pattern_id` over the view shown, in the background; return whether
        there is one to inspect (a mined pattern, over a view of rows)."""
        mined, ingested, view = self._investigation.mined, self._investigation.ingested, self.view
        if mined is None or ingested is None or view is None or view.rows is None:
            return False
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

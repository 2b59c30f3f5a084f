"""Following an investigation's files as they grow (tail -F), apart from any widget.

Every second the plain files are read on (`core.reading.follow.Live`, in a background job); new
entries join the investigation's table and get pattern ids off the UI thread; the patterns
are mined again now and then (their cost sets the pace); each anomaly window is judged as it
closes (`core.analysis.anomalies.Watch`), and a new HIGH anomaly that no rule hides is announced.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from logview.core.analysis.anomalies import Anomaly, Watch
from logview.core.analysis.patterns import Mined
from logview.core.reading.follow import Live, Polled
from logview.core.reading.ingest import Ingested
from logview.gui.investigation import Investigation
from logview.gui.workers import LatestJob, Report

# The files are read this often; the patterns are mined again at most every REMINE_S
# seconds (or four times as long as the last mining took, when that is longer).
FOLLOW_INTERVAL_MS = 1000
REMINE_S = 5.0


@dataclass(frozen=True)
class _Polled:
    """What a poll read, and the table it grew with its order and pattern ids (`grown`: the
    ids of `mined`, the patterns when the poll started, extended to the new rows)."""

    polled: Polled
    ingested: Ingested
    order: np.ndarray
    mined: Mined | None
    grown: Mined | None


class FollowController(QObject):
    """Follows the investigation's plain files while on."""

    changed = Signal()  # started or stopped
    status = Signal(str)  # one line for the status bar
    warned = Signal(list)  # lines for the warnings list
    grew = Signal(int)  # entries added to the investigation's table
    poll_failed = Signal(str)
    high_anomalies = Signal(list)  # new HIGH anomalies no rule hides

    def __init__(
        self, investigation: Investigation, pool: QThreadPool, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.investigation = investigation
        self.live: Live | None = None
        self.watch: Watch | None = None
        self._primed = False  # anomalies found before following began are not announced
        self._poll = LatestJob(pool)
        self._timer = QTimer(self)
        self._timer.setInterval(FOLLOW_INTERVAL_MS)
        self._timer.timeout.connect(self.poll_now)
        investigation.anomalies_found.connect(self._on_anomalies_found)

    def is_on(self) -> bool:
        return self.live is not None

    def set_on(self, on: bool) -> None:
        """Start or stop following; says why in `status` when it cannot start."""
        from logview.core.reading.follow import Live

        if on == self.is_on():
            self.changed.emit()
            return
        if not on:
            self._timer.stop()
            self._poll.cancel()
            live, self.live, self.watch = self.live, None, None
            live.close()  # waits for a poll still reading
            self.changed.emit()
            self.status.emit("Stopped following.")
            return
        inv = self.investigation
        if inv.ingested is None or inv.is_loading():
            self.changed.emit()
            self.status.emit("Open log files before following them.")
            return
        live = Live(inv.ingested, inv.overrides, tz=None, order=inv.order)
        if not live.followers:
            live.close()
            self.changed.emit()
            self.status.emit(
                "Nothing to follow: only plain files of line formats can be (not "
                + "; ".join(live.not_followed[:3])
                + ")"
            )
            return
        self.live = live
        self.renew_watch()
        self._timer.start()
        self.changed.emit()
        skipped = f"; {len(live.not_followed)} not followed" if live.not_followed else ""
        count = len(live.followers)
        self.status.emit(f"Following {count} file{'s' * (count != 1)}{skipped}.")
        inv.detect_anomalies(self.watch)  # learns what is there: only later ones are announced

    def renew_watch(self) -> None:
        """Judge windows of the investigation's anomaly window from now on, announcing only
        the anomalies found after the first look (after its window changed, too)."""
        if self.live is None:
            return
        from logview.core.analysis.anomalies import Watch

        minutes = self.investigation.anomaly_minutes
        self.watch, self._primed = Watch(timedelta(minutes=minutes)), False

    def poll_now(self) -> None:
        """Read the followed files now (the timer does it every second)."""
        live = self.live
        if live is None:
            return
        self._mine_again_if_due()
        if self._poll.busy():
            return
        mined = self.investigation.mined

        def task(_report: Report, _cancelled: Callable[[], bool]) -> _Polled:
            polled = live.poll()
            grown = None
            if polled.frames and mined is not None:  # ids for the new rows, off the UI thread
                grown = mined.extended(live.table.slice(len(mined.ids)))
            return _Polled(polled, live.ingested, live.order, mined, grown)

        self._poll.start(task, lambda result: self._on_polled(live, result), self._on_failed)

    def close(self) -> None:
        self.set_on(False)

    def _on_failed(self, message: str) -> None:
        """Say that reading the followed files failed; the next poll tries again."""
        self.warned.emit([f"following: could not read the new lines: {message}"])
        self.poll_failed.emit(message)

    def _on_polled(self, live: Live, result: _Polled) -> None:
        if live is not self.live:
            return
        polled = result.polled
        for event in polled.events:
            self.status.emit(event)
            if "cannot read" in event:
                self.warned.emit([event])
        if not polled.frames:
            return
        self.investigation.grow(result.ingested, result.order, result.mined, result.grown)
        self.grew.emit(sum(f.height for f in polled.frames))

    def _mine_again_if_due(self) -> None:
        """Mine the grown table again when it has new rows and the last mining is not too
        recent (its cost sets the pace); then the closed anomaly windows are judged."""
        inv = self.investigation
        if inv.ingested is None or inv.is_mining():
            return
        if time.monotonic() - inv.mine_started < max(REMINE_S, 4 * inv.mine_seconds):
            return
        if inv.mined is not None and inv.mined_height == inv.ingested.table.height:
            return
        inv.mine()

    def _on_anomalies_found(
        self, anomalies: list[Anomaly], until: datetime | None, watch: Watch | None
    ) -> None:
        if watch is None or watch is not self.watch:
            return
        new = self.watch.take(anomalies, until)
        if self._primed:
            active, _, _ = self.investigation.split_anomalies(new)
            high = [a for a in active if a.priority == "HIGH"]
            if high:
                self.high_anomalies.emit(high)
        self._primed = True

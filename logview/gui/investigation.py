"""One investigation's data and the background jobs that compute it, apart from any widget.

The window asks (`open`, `set_override`, `load_baseline`, `detect_anomalies`, `suppress`...)
and hears back through typed signals; it never runs these jobs itself. Each job is a
`LatestJob`: a newer request replaces a run still going, and a failure always reaches a
`*_failed` signal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from PySide6.QtCore import QObject, QThreadPool, Signal

from logview.core.analysis import suppressions
from logview.core.analysis.mined_parts import mine_kept
from logview.core.analysis.patterns import Mined
from logview.core.investigation.bookmarks import Bookmark, entry_rows, toggled
from logview.core.reading.column_cache import shared_cache
from logview.core.reading.ingest import Ingested, SourceOverride
from logview.core.reading.loading import Loaded, load
from logview.gui.workers import LatestJob, Report

if TYPE_CHECKING:
    from logview.core.analysis.anomalies import Anomaly, Watch
    from logview.core.analysis.incidents import Incident
    from logview.core.analysis.suppressions import Rule


class Investigation(QObject):
    """The sources opened and how each is read, their merged table and its time order, the
    patterns mined from it, the baseline to compare with, the anomalies found in it and the
    rules that hide some of them."""

    load_progress = Signal(float, str)  # fraction done, one line of text
    load_preview = Signal(object)  # pl.DataFrame: the first source read, before the merge
    loaded = Signal(object)  # Ingested: the new table replaces the old
    load_failed = Signal(str)
    load_cancelled = Signal()
    mining_started = Signal(int)  # entries being mined
    mining_progress = Signal(float, str)  # share of the mining done, what it is at
    mined_ready = Signal(object)  # Mined: the table's pattern ids and templates
    mining_failed = Signal(str)
    anomalies_started = Signal(int)  # the window's minutes (not sent for a following watch)
    anomalies_found = Signal(object, object, object)  # list[Anomaly], until, the Watch or None
    anomalies_failed = Signal(str)
    baseline_loaded = Signal(object)  # Ingested: the sources to compare with
    baseline_failed = Signal(str)
    suppressions_changed = Signal()
    bookmarks_changed = Signal()  # the bookmarks or their notes, or the notes, changed
    warned = Signal(list)  # lines for the warnings list

    def __init__(
        self,
        pool: QThreadPool,
        *,
        data_folder: Path,
        formats_folder: Path,
        remember: bool = True,
        parent: QObject | None = None,
    ) -> None:
        """`data_folder` holds the suppression rules; with `remember` false nothing is saved
        (nor kept in the column cache)."""
        super().__init__(parent)
        self.cache = shared_cache() if remember else None
        self.data_folder = data_folder
        self.formats_folder = formats_folder
        self.remember = remember
        self.paths: list[str] = []  # what the investigation is made of
        self.loading_paths: list[str] = []  # what the running (or last) load reads
        self.overrides: dict[str, SourceOverride] = {}
        self.ingested: Ingested | None = None
        self.order: np.ndarray | None = None  # the table's rows in time order
        self.source_names: list[str] | None = None  # the distinct values of its source column
        self.mined: Mined | None = None
        self.baseline: pl.DataFrame | None = None
        self.baseline_paths: list[str] = []  # what the baseline was read from
        self.anomalies: list[Anomaly] = []
        self.incidents: list[Incident] = []  # groups of related anomalies (`find_incidents`)
        self.suppressions: list[Rule] = []
        self.bookmarks: list[Bookmark] = []
        self.bookmarked_rows = np.empty(0, dtype=np.uint32)  # the table rows of entry bookmarks
        self.notes = ""  # the reader's notes on the investigation
        self.anomaly_minutes = 5
        self.load_seconds = 0.0  # how long the last load took
        self.mine_started = 0.0  # monotonic time the last mining started
        self.mine_seconds = 0.0  # how long the last mining took
        self.mined_height = 0  # table rows when the last mining started
        self._load_started = 0.0
        self._load = LatestJob(pool)
        self._baseline = LatestJob(pool)
        self._mine = LatestJob(pool)
        self._anomaly = LatestJob(pool, "yields")

    # -- loading -----------------------------------------------------------------------------
    def open(
        self, paths: Sequence[str], overrides: dict[str, SourceOverride] | None = None
    ) -> None:
        """Read `paths` in the background (each source named in `overrides` read so); the
        result replaces the table. A load still running is cancelled: the newest request
        wins. Other paths drop the overrides."""
        paths = [str(p) for p in paths]
        if overrides is not None:
            self.overrides = dict(overrides)
        elif paths != self.paths:
            self.overrides = {}
        self.loading_paths = paths
        self._load_started = time.monotonic()
        overrides, folder, cache = self.overrides, self.formats_folder, self.cache

        def task(report: Report, cancelled: Callable[[], bool]) -> Loaded:
            return load(paths, overrides, report=report, preview=report.partial,
                        cancelled=cancelled, formats_folder=folder, cache=cache)  # fmt: skip

        self._load.start(
            task,
            self._on_loaded,
            self.load_failed.emit,
            partial=self.load_preview.emit,
            progress=self.load_progress.emit,
            cancelled=self.load_cancelled.emit,
        )

    def set_override(self, name: str, override: SourceOverride | None) -> None:
        """Read source `name` differently (None: as detected) from the next `open` of the
        same paths on."""
        overrides = dict(self.overrides)
        if override is None:
            overrides.pop(name, None)
        else:
            overrides[name] = override
        self.overrides = overrides

    def stop_loading(self) -> None:
        """Ask the running load, if any, to stop; it ends in `load_cancelled`."""
        self._load.stop()

    def is_loading(self) -> bool:
        return self._load.busy()

    def _on_loaded(self, loaded: Loaded) -> None:
        """Make the table read the investigation's, then mine its patterns."""
        self.load_seconds = time.monotonic() - self._load_started
        self.ingested, self.order = loaded.ingested, loaded.order
        self.source_names = loaded.source_names
        if not self.continues(self.loading_paths):  # another investigation: no bookmarks
            self.bookmarks, self.notes = [], ""
        self.paths = list(self.loading_paths)
        self.bookmarked_rows = entry_rows(self.ingested.table, self.bookmarks)
        self.mined = None
        self.loaded.emit(loaded.ingested)
        self._load_suppressions()  # after `loaded`: the window starts a new warnings list
        self.mine()

    def continues(self, paths: Sequence[str]) -> bool:
        """Return whether opening `paths` goes on with this investigation (shares a source
        with it: sources added, one left out, read differently) rather than starting another."""
        return bool(set(self.paths) & {str(p) for p in paths})

    def grow(
        self, ingested: Ingested, order: np.ndarray, mined: Mined | None, grown: Mined | None
    ) -> None:
        """Take the table a poll grew; `grown` is `mined` extended to its new rows (off the UI
        thread), used if no newer mining replaced `mined` meanwhile."""
        self.ingested, self.order = ingested, order
        if self.mined is None:
            return
        if self.mined is mined and grown is not None:
            self.mined = grown
        self.mined = self._caught_up(self.mined)

    # -- patterns and anomalies ----------------------------------------------------------------
    def mine(self) -> None:
        """Mine the patterns of the whole table in the background, telling `mining_progress`
        how far it is (seconds on millions of entries); then look for anomalies."""
        if self.ingested is None:
            return
        table, cache, key = self.ingested.table, self.cache, self.ingested.cache_key
        self.mine_started = time.monotonic()
        self.mined_height = table.height
        self.mining_started.emit(table.height)

        self._mine.start(
            lambda report, _c: mine_kept(table, cache, key, progress=report),
            self._on_mined,
            self.mining_failed.emit,
            progress=self.mining_progress.emit,
        )

    def is_mining(self) -> bool:
        return self._mine.busy()

    def _on_mined(self, mined: Mined) -> None:
        self.mine_seconds = time.monotonic() - self.mine_started
        self.mined = self._caught_up(mined)  # the table may have grown while mining
        self.mined_ready.emit(self.mined)

    def _caught_up(self, mined: Mined) -> Mined:
        """Return `mined` with pattern ids for the table's rows added since it was mined."""
        table = self.ingested.table if self.ingested is not None else None
        if table is None or len(mined.ids) >= table.height:
            return mined
        return mined.extended(table.slice(len(mined.ids)))

    def detect_anomalies(self, watch: Watch | None = None) -> None:
        """Look for anomalies in the mined table, in `anomaly_minutes` windows; with a
        following `watch`, only in the windows closed since it last looked."""
        if self.mined is None or self.ingested is None:
            return
        table, mined, minutes = self.ingested.table, self.mined, self.anomaly_minutes
        cache, key = self.cache, self.ingested.cache_key
        if watch is None:
            self.anomalies_started.emit(minutes)

        def task(report: object, cancelled: Callable[[], bool]) -> tuple[list, Any, list]:
            from logview.core.analysis.incidents import find_incidents
            from logview.core.analysis.kept_anomalies import detect_kept

            until = None
            if watch is not None:
                found, until = watch.detect(table["ts"], table["level"], mined.ids, mined.by_id,
                                            table, cancelled=cancelled)  # fmt: skip
            else:
                found = detect_kept(table, mined, timedelta(minutes=minutes), cache, key,
                                    cancelled=cancelled)  # fmt: skip
            every = watch.every if watch is not None else timedelta(minutes=minutes)
            return found, until, find_incidents(found, table, mined.ids, every)

        self._anomaly.start(
            task, lambda result: self._on_found(*result, watch), self.anomalies_failed.emit
        )

    def _on_found(
        self, anomalies: list, until: datetime | None, incidents: list, watch: Watch | None
    ) -> None:
        self.anomalies, self.incidents = anomalies, incidents
        self.anomalies_found.emit(anomalies, until, watch)

    # -- suppressions ------------------------------------------------------------------------
    def suppression_file(self) -> Path:
        return suppressions.store_path(self.paths, self.data_folder)

    def split_anomalies(
        self, anomalies: list[Anomaly] | None = None
    ) -> tuple[list[Anomaly], list[Anomaly], list[Anomaly]]:
        """Return the anomalies (all found, by default) as active, suppressed and normal."""
        return suppressions.split(
            self.anomalies if anomalies is None else anomalies, self.suppressions
        )

    def suppress(self, anomaly: Anomaly, scope: str, until: object, state: str) -> None:
        """Hide an anomaly (or its pattern, or its token value) for a while or for good, or
        mark it normal; the rules are saved with the investigation at once."""
        self.set_suppressions(
            [*self.suppressions, suppressions.rule_for(anomaly, scope, until, state)]
        )

    def unsuppress(self, anomaly: Anomaly) -> None:
        """Show a suppressed (or marked normal) anomaly again: the rules hiding it go."""
        self.set_suppressions(suppressions.lift(self.suppressions, anomaly))

    def set_suppressions(self, rules: list[Rule]) -> None:
        """Use `rules` (an investigation's own), saved for these sources at once."""
        self.suppressions = rules
        if self.remember:
            try:
                suppressions.save(self.suppression_file(), self.suppressions)
            except OSError as err:
                self.warned.emit([f"could not save suppressions: {err}"])
        self.suppressions_changed.emit()

    def _load_suppressions(self) -> None:
        self.suppressions, warning = suppressions.load(self.suppression_file())
        if warning:
            self.warned.emit([warning])

    # -- bookmarks ---------------------------------------------------------------------------
    def set_bookmarks(self, marks: Sequence[Bookmark], notes: str | None = None) -> None:
        """Keep `marks` as the bookmarks (and `notes`, when given, as the notes)."""
        self.bookmarks = list(marks)
        if notes is not None:
            self.notes = notes
        table = self.ingested.table if self.ingested is not None else None
        if table is not None:
            self.bookmarked_rows = entry_rows(table, self.bookmarks)
        self.bookmarks_changed.emit()

    def toggle_bookmark(self, mark: Bookmark) -> None:
        """Bookmark what `mark` marks, or remove its bookmark if it has one."""
        self.set_bookmarks(toggled(self.bookmarks, mark))

    # -- the baseline ------------------------------------------------------------------------
    def load_baseline(self, paths: Sequence[str]) -> None:
        """Read other sources to compare with, in the background."""
        paths = list(paths)
        self.baseline_paths = paths
        cache = self.cache
        task = lambda _r, cancelled: load(paths, {}, cancelled=cancelled, cache=cache)  # noqa: E731
        self._baseline.start(task, self._on_baseline, self.baseline_failed.emit)

    def _on_baseline(self, loaded: Loaded) -> None:
        self.baseline = loaded.ingested.table
        self.baseline_loaded.emit(loaded.ingested)

    def close(self) -> None:
        """Stop every job; nothing they still send reaches anyone."""
        for job in (self._load, self._baseline, self._mine, self._anomaly):
            job.cancel()

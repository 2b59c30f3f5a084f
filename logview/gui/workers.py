"""Long work off the UI thread: a worker that runs a core call in a thread pool and reports
through signals.

The core call knows nothing of Qt and the worker knows nothing of the algorithm: a task is any
callable `task(progress, cancelled)`, where `progress(fraction, text)` reports and `cancelled()`
says whether to stop. Tasks adapting core functions to that shape live at the end of this file.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from logview.core.display import progress_text
from logview.core.errors import Cancelled, LogviewError
from logview.core.format_files import load as load_user_formats
from logview.core.ingest import Progress, SourceOverride, ingest

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float, str], None]
Task = Callable[[ProgressCallback, Callable[[], bool]], Any]

# Progress signals are queued to the UI thread; more than ~20 a second only costs repaints.
PROGRESS_INTERVAL_S = 0.05


class WorkerSignals(QObject):
    """The signals of a Worker (a QRunnable is not a QObject, so it cannot emit by itself)."""

    progress = Signal(float, str)  # fraction done in [0, 1], one line of text
    partial = Signal(object)  # an early part of the result (the first rows read)
    finished = Signal(object)  # the task's result
    failed = Signal(str)  # one line for people
    cancelled = Signal()


class Worker:
    """Runs one task in a thread pool (`pool.start(worker)`: a worker is a callable) and emits
    exactly one of finished, failed or cancelled.

    Not a QRunnable subclass: PySide 6.11 keeps the Python side of every QRunnable subclass
    it started, auto-delete or not (990 of 1,000 after 1,000 jobs), a leak per view, mining
    and poll. A plain callable is wrapped in a runnable Qt deletes once it has run, and the
    owner keeps this object (and so `signals`, which carries the queued final signal) until
    that signal arrives.
    """

    def __init__(self, task: Task) -> None:
        self.signals = WorkerSignals()
        self._task = task
        self._stop = threading.Event()
        self._last_progress = 0.0

    def cancel(self) -> None:
        """Ask the task to stop at its next check; it then emits `cancelled`."""
        self._stop.set()

    def __call__(self) -> None:
        self.run()

    def run(self) -> None:
        try:
            result = self._task(self._report, self._stop.is_set)
        except Cancelled:
            self._emit("cancelled")
        except LogviewError as err:
            self._emit("failed", str(err))
        except Exception as err:  # noqa: BLE001 - a worker must report every failure, not die
            log.exception("worker task failed")
            self._emit("failed", f"unexpected error: {type(err).__name__}: {err}")
        else:
            if self._stop.is_set():
                self._emit("cancelled")
            else:
                self._emit("finished", result)
        finally:
            # The task holds its inputs (often a whole table); a worker that ran must not keep
            # them, however long its owner keeps the worker.
            self._task = None  # type: ignore[assignment]

    def _emit(self, name: str, *args: Any) -> None:
        """Send a final signal, unless its owner is gone: a window closed (its signals object
        deleted) while the task ran, or the app quitting, has no one left to tell."""
        try:
            getattr(self.signals, name).emit(*args)
        except RuntimeError:  # "Signal source has been deleted"
            log.info("worker finished after its owner was deleted")

    def _report(self, fraction: float, text: str) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_progress < PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        self._emit("progress", min(max(fraction, 0.0), 1.0), text)


def ingest_task(
    paths: Sequence[str],
    overrides: Mapping[str, SourceOverride] | None = None,
    tz: str | None = None,
    preview: Callable[[Any], None] | None = None,
    formats_folder: Path | None = None,
) -> Task:
    """Return a task that ingests `paths` and reports bytes, entries and speed as progress;
    the user's formats are read (from `formats_folder` and beside `paths`) in the task."""

    def task(progress: ProgressCallback, cancelled: Callable[[], bool]) -> Any:
        started = time.monotonic()

        def report(p: Progress) -> None:
            fraction = p.bytes_done / p.bytes_total if p.bytes_total else 0.0
            text = progress_text(p.bytes_done, p.bytes_total, p.entries, time.monotonic() - started)
            progress(fraction, text)

        return ingest(
            list(paths),
            overrides=overrides,
            tz=tz,
            progress=report,
            cancelled=cancelled,
            preview=preview,
            user_formats=load_user_formats(paths, formats_folder),
        )

    return task


class LatestJob:
    """One kind of background work of which only the newest run counts (a query, mining the
    patterns, an inspection): starting a run cancels the one before, and only the newest
    run's result or failure reaches its callback."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool
        self._current: Worker | None = None
        self._running: set[Worker] = set()  # kept alive until their last signal arrives

    def start(
        self,
        task: Task,
        finished: Callable[[Any], None],
        failed: Callable[[str], None],
        partial: Callable[[Any], None] | None = None,
    ) -> Worker:
        """Run `task` in the pool in place of any run still going; return its worker. Its
        result goes to `finished`, its failure (one line) to `failed`: no job fails silently."""
        self.cancel()
        worker = Worker(task)
        worker.signals.finished.connect(lambda result: self._end(worker, finished, result))
        worker.signals.failed.connect(lambda message: self._end(worker, failed, message))
        worker.signals.cancelled.connect(lambda: self._end(worker, None, None))
        if partial is not None:
            worker.signals.partial.connect(
                lambda value: partial(value) if worker is self._current else None
            )
        self._current = worker
        self._running.add(worker)
        self._pool.start(worker)
        return worker

    def cancel(self) -> None:
        """Stop the current run, if any; its result will be ignored."""
        if self._current is not None:
            self._current.cancel()
            self._current = None

    def busy(self) -> bool:
        return self._current is not None

    def _end(self, worker: Worker, callback: Callable[[Any], None] | None, value: Any) -> None:
        self._running.discard(worker)
        # The connections hold lambdas that hold the worker: a cycle through Qt that Python's
        # collector cannot see. Deleting the signals object ends the connections, and the cycle.
        worker.signals.deleteLater()
        if worker is not self._current:
            return
        self._current = None
        if callback is not None:
            callback(value)

"""Long work off the UI thread: one job model for every kind of background work.

A task is any callable `task(report, cancelled)` that knows nothing of Qt: `report(fraction,
text)` says how far it is, `report.partial(value)` hands over an early part of its result (the
first rows read), and `cancelled()` says whether to stop. A `Worker` runs one task in a thread
pool and emits exactly one final signal: finished, failed (one line for people) or cancelled.
A `LatestJob` is one kind of work of which only the newest run counts (loading, a query,
mining, an inspection, a poll); every kind has a failure callback, so no job fails silently.
The tasks are closures over core calls, written where each job is started.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from logview.core.shared.errors import Cancelled, LogviewError

log = logging.getLogger(__name__)


class _Foreground:
    """The views the user is waiting for, being computed now. Background analysis (anomalies)
    waits at its checks while one is: on two cores a search otherwise shares them with it, and
    took 0.55 s where it takes 0.38 s alone (5M entries). A wait is at most YIELD_S, so a
    user typing without a pause slows the analysis, never stops it."""

    def __init__(self) -> None:
        self._running = 0
        self._changed = threading.Condition()

    def __enter__(self) -> None:
        with self._changed:
            self._running += 1

    def __exit__(self, *_exc: object) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify_all()

    def wait(self, timeout: float) -> None:
        """Return once no foreground job runs, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._running == 0, timeout)


FOREGROUND = _Foreground()
YIELD_S = 2.0


class Report:
    """What a task reports with: call it with (fraction done, one line of text); `partial`
    sends an early part of the result. Progress is sent at most ~20 times a second."""

    def __init__(self, worker: Worker) -> None:
        self._worker = worker
        self._last = 0.0

    def __call__(self, fraction: float, text: str) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < PROGRESS_INTERVAL_S:
            return
        self._last = now
        self._worker._emit("progress", min(max(fraction, 0.0), 1.0), text)

    def partial(self, value: Any) -> None:
        self._worker._emit("partial", value)


Task = Callable[[Report, Callable[[], bool]], Any]

# Progress signals are queued to the UI thread; more than ~20 a second only costs repaints.
PROGRESS_INTERVAL_S = 0.05

# The nice value background threads run at: below the UI thread (0), as a desktop's background
# work should. On two cores a load's parsing and the query engine's pool threads otherwise
# take both, and the UI thread's every paint takes twice as long (measured: a table repaint
# 11 ms idle, 22 ms median during a load at equal priority, 14 ms with them at +5).
BACKGROUND_NICE = 5


def lower_background_threads() -> None:
    """Run every thread of the process but the UI (main) thread at `BACKGROUND_NICE`: the
    pool's workers and the threads the query engine started, whoever started them. Linux
    keeps a priority per thread (/proc/self/task lists them); elsewhere this does nothing.
    A thread already lower (the app started with `nice`) is left as it is."""
    ui = threading.main_thread().native_id
    try:
        threads = [int(tid) for tid in os.listdir("/proc/self/task")]
    except OSError:
        return
    for tid in threads:
        if tid == ui:
            continue
        try:
            if os.getpriority(os.PRIO_PROCESS, tid) < BACKGROUND_NICE:
                os.setpriority(os.PRIO_PROCESS, tid, BACKGROUND_NICE)
        except OSError:  # the thread has ended, or the system does not allow it
            continue


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

    def __init__(self, task: Task, kind: str = "") -> None:
        self.signals = WorkerSignals()
        self._task = task
        self._stop = threading.Event()
        self._kind = kind  # "foreground", "yields" (waits for the foreground at its checks), ""

    def cancel(self) -> None:
        """Ask the task to stop at its next check; it then emits `cancelled`."""
        self._stop.set()

    def __call__(self) -> None:
        self.run()

    def _check(self) -> bool:
        """Return whether the task should stop: asked between its steps."""
        if self._kind == "yields":
            FOREGROUND.wait(YIELD_S)
        return self._stop.is_set()

    def run(self) -> None:
        lower_background_threads()
        try:
            if self._kind == "foreground":
                with FOREGROUND:
                    result = self._task(Report(self), self._stop.is_set)
            else:
                result = self._task(Report(self), self._check)
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


class LatestJob:
    """One kind of background work of which only the newest run counts (loading, a query,
    mining the patterns, an inspection): starting a run cancels the one before, and only the
    newest run's progress, partial results and end reach its callbacks."""

    def __init__(self, pool: Any, kind: str = "") -> None:
        """`kind`: "foreground" for the work a user waits on (the view), which background
        work of kind "yields" (anomalies) makes way for at its checks; "" for neither."""
        self._pool = pool
        self._kind = kind
        self._current: Worker | None = None
        self._running: set[Worker] = set()  # kept alive until their last signal arrives

    def start(
        self,
        task: Task,
        finished: Callable[[Any], None],
        failed: Callable[[str], None],
        *,
        partial: Callable[[Any], None] | None = None,
        progress: Callable[[float, str], None] | None = None,
        cancelled: Callable[[], None] | None = None,
    ) -> Worker:
        """Run `task` in the pool in place of any run still going; return its worker. Its
        result goes to `finished`, its failure (one line) to `failed`: no job fails silently.
        A run stopped by `stop` ends in `cancelled`; one replaced by a newer run ends unheard."""
        self.cancel()
        worker = Worker(task, self._kind)
        signals = worker.signals
        signals.finished.connect(lambda result: self._end(worker, finished, result))
        signals.failed.connect(lambda message: self._end(worker, failed, message))
        signals.cancelled.connect(
            lambda: self._end(worker, cancelled and (lambda _none: cancelled()), None)
        )
        if partial is not None:
            signals.partial.connect(
                lambda value: partial(value) if worker is self._current else None
            )
        if progress is not None:
            signals.progress.connect(
                lambda fraction, text: progress(fraction, text) if worker is self._current else None
            )
        self._current = worker
        self._running.add(worker)
        self._pool.start(worker)
        return worker

    def cancel(self) -> None:
        """Stop the current run, if any, and forget it: nothing of it reaches the callbacks."""
        if self._current is not None:
            self._current.cancel()
            self._current = None

    def stop(self) -> None:
        """Ask the current run, if any, to stop; it stays current, so its end (`cancelled`, or
        `finished` if it was done) still reaches the callbacks."""
        if self._current is not None:
            self._current.cancel()

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

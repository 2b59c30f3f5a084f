"""The GUI entry point: the application object, the main window, the screenshot mode and the
self-test of installed builds."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from logview.core.analysis.view import View, shows_what_was_asked
from logview.core.shared.atomic import write_atomic
from logview.gui.main_window import MainWindow
from logview.gui.settings import Settings

# After loading, let the view lay out and paint before grabbing it.
SCREENSHOT_SETTLE_MS = 150
# A screenshot run that is still waiting after this long says so and exits, rather than
# hang a script that runs it: the demo is shown in seconds, a large bundle in a minute or two.
SCREENSHOT_TIMEOUT_S = 300.0
# The demo loads and mines in about 10 s on a laptop; a frozen build on a slow machine gets
# ample room before the self-test calls it a failure.
SELF_TEST_TIMEOUT_S = 120.0


def app_icon() -> QIcon:
    """Return the application icon (shipped inside the package so frozen builds find it)."""
    return QIcon(str(resources.files("logview").joinpath("resources/logview.svg")))


TABS = ("logs", "patterns", "anomalies", "visualization")


def run(
    paths: Sequence[str],
    *,
    screenshot: str | None = None,
    size: tuple[int, int] = (1400, 900),
    tab: str = "logs",
    query: str | None = None,
    compare: str | None = None,
    follow: bool = False,
    timeout_s: float = SCREENSHOT_TIMEOUT_S,
) -> int:
    """Return the exit status after showing the window on `paths` until the user quits.

    `query` is run once loading ends; `tab` is shown; with `follow`, the files are followed
    once loaded. With `screenshot`, wait for loading and what the tab shows (the query's
    result; the patterns, and the comparison with `compare`, where the result has entries;
    the anomalies), save the window to that PNG and exit: 0 when it was saved, 2 with a
    one-line reason on stderr when loading, the query or the tab's work failed, or after
    `timeout_s` without it.
    """
    app = _application()
    window = MainWindow(Settings(), remember=screenshot is None)
    if screenshot is not None or not window.restore_layout():
        window.resize(*size)
    status = {"code": 0}
    window.show()
    window.tabs.setCurrentIndex(TABS.index(tab))
    if query:
        window.query_bar.set_text(query, run=False)
    if compare:
        # Compare once the patterns are mined; the screenshot waits for that view.
        def start_comparing(_view: object) -> None:
            window.sig_patterns_ready.disconnect(start_comparing)
            window.range_bar.set_compare(compare)

        window.sig_patterns_ready.connect(start_comparing)
    if follow:

        def start_following(_result: object) -> None:
            window.sig_load_finished.disconnect(start_following)
            window.set_following(True)

        window.sig_load_finished.connect(start_following)
    if screenshot is not None:
        capture = _capture_when_ready(
            app, window, screenshot, status, tab=tab, comparing=bool(compare), timeout_s=timeout_s
        )
    if screenshot is None:
        # Open once the window is laid out and painted: its first polish would otherwise share
        # the UI thread with the load's start, and the window would appear later.
        QTimer.singleShot(0, lambda: window.open_paths(list(paths)))
    else:
        window.open_paths(list(paths))
        if not window.investigation.is_loading():
            capture()  # nothing to load: capture the empty window
    code = app.exec()
    cache = window.investigation.cache
    window.close()
    window.deleteLater()
    if cache is not None:
        # What the last open parsed is being kept: a write cut short is only a temp folder
        # (removed later), but the next open would parse those files again.
        cache.flush(CACHE_FLUSH_S)
    return status["code"] if screenshot is not None else code


# The GUI thread's garbage collector, once the application exists (see `_application`).
_collector: GarbageCollector | None = None

# How long quitting waits for the column cache's writes at most.
CACHE_FLUSH_S = 60.0


def _application() -> QApplication:
    """Return the application object, created and named on first use, with Python's garbage
    collected on its GUI thread only (`GarbageCollector`)."""
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "logview"])
    assert isinstance(app, QApplication)
    global _collector
    if _collector is None:
        # Python collects garbage wherever an allocation tips its count: inside a Qt call that
        # holds Qt's signal lock (a disconnection asking PySide for a Python override), freeing
        # a Qt object left in a cycle (a closed plot's menu), whose destructor then waits for
        # that lock forever; or on a worker thread, freeing Qt objects off the GUI thread.
        # pyqtgraph's collector turns the automatic collection off and collects on a timer of
        # the GUI thread's event loop, outside any Qt call.
        _collector = GarbageCollector(interval=1.0)
    app.setApplicationName("logview")
    app.setOrganizationName("logview")
    app.setApplicationDisplayName("logview")
    app.setWindowIcon(app_icon())
    return app


def self_test(
    paths: Sequence[str],
    *,
    screenshot: str | None = None,
    size: tuple[int, int] = (1400, 900),
    timeout_s: float = SELF_TEST_TIMEOUT_S,
) -> int:
    """Return 0 once the window has shown `paths` with rows and mined patterns, else 1.

    Checks that an installed build works end to end (Qt plugins, polars, drain3, package
    data): load, wait for the table and the patterns, save a screenshot (to `screenshot`, or
    a temp file that is kept so it can be looked at), print one line of figures on stdout and
    quit. A failure, or `timeout_s` without patterns, prints one line with the reason on
    stderr. Nothing is written to the user's settings.
    """
    app = _application()
    window = MainWindow(Settings(), remember=False)
    window.resize(*size)
    started = time.monotonic()
    status = {"code": 1, "ended": 0, "stage": "loading"}

    def end(code: int, line: str) -> None:
        if status["ended"]:
            return  # a late signal after the end: the event loop it would stop is not ours
        status["ended"] = 1
        status["code"] = code
        print(f"logview self-test: {line}", file=sys.stdout if code == 0 else sys.stderr)
        app.exit(code)

    def on_loaded(_result: object) -> None:
        status["stage"] = "mining patterns"

    def on_patterns(view: object) -> None:
        if status["stage"] == "the screenshot":
            return  # a later view of the same patterns: the screenshot is under way
        ingested, mined = window.investigation.ingested, window.investigation.mined
        if (
            ingested is None
            or ingested.table.height == 0
            or view.rows is None
            or not len(view.rows)
        ):
            end(1, "FAILED: the table has no rows")
        elif mined is None or not mined.by_id:
            end(1, "FAILED: no patterns were mined")
        else:
            status["stage"] = "the screenshot"
            QTimer.singleShot(SCREENSHOT_SETTLE_MS, save)

    def save() -> None:
        app.processEvents()
        image = window.grab()
        if image.isNull():
            end(1, "FAILED: could not render the window")
            return
        if screenshot is None:
            handle, name = tempfile.mkstemp(prefix="logview-self-test-", suffix=".png")
            os.close(handle)
            target = Path(name)
        else:
            target = Path(screenshot)
        try:
            data = _png_bytes(image)
            write_atomic(target, lambda out: out.write(data))
        except OSError as err:
            end(1, f"FAILED: cannot write {target}: {err.strerror or err}")
            return
        ingested, mined = window.investigation.ingested, window.investigation.mined
        read = sum(1 for s in ingested.sources if s.format != "skipped")
        end(
            0,
            f"ok: {ingested.table.height:,} entries, {read} source{'s' if read != 1 else ''}, "
            f"{len(mined.by_id):,} patterns in {time.monotonic() - started:.1f} s; "
            f"screenshot {target}",
        )

    window.sig_load_finished.connect(on_loaded)
    window.sig_patterns_ready.connect(on_patterns)
    window.sig_load_failed.connect(lambda message: end(1, f"FAILED: {message}"))
    window.sig_load_cancelled.connect(lambda: end(1, "FAILED: loading was cancelled"))
    window.sig_query_failed.connect(lambda message: end(1, f"FAILED: the view failed: {message}"))
    window.sig_mining_failed.connect(lambda message: end(1, f"FAILED: mining failed: {message}"))
    QTimer.singleShot(
        round(timeout_s * 1000),
        lambda: end(1, f"FAILED: timed out after {timeout_s:g} s waiting for {status['stage']}"),
    )
    window.show()
    window.open_paths(list(paths))
    if window.investigation.is_loading():
        app.exec()
    else:  # no event loop to stop yet: end here
        end(1, "FAILED: nothing to open")
    window.close()
    window.deleteLater()
    return status["code"]


def _capture_when_ready(
    app: QApplication,
    window: MainWindow,
    target: str,
    status: dict[str, int],
    *,
    tab: str,
    comparing: bool,
    timeout_s: float,
) -> Callable[[], None]:
    """Return a function that saves `window` to `target` soon and quits, and call it once
    `tab` shows what it waits for (`_shows_what_was_asked`).

    A failed or cancelled load, a failed query, a failure of the tab's own work (mining,
    anomaly detection) or `timeout_s` without a capture quits with status 2 and a one-line
    reason on stderr instead: every run ends.
    """

    def save() -> None:
        app.processEvents()
        image = window.grab()
        if image.isNull():
            fail("could not render the window")
            return

        try:
            data = _png_bytes(image)
            write_atomic(Path(target), lambda handle: handle.write(data))
        except OSError as err:
            fail(f"cannot write {target}: {err.strerror or err}")
            return
        if status.get("ended"):
            return
        status["ended"] = 1
        status["code"] = 0
        app.exit(0)

    def fail(reason: str) -> None:
        if status.get("ended"):
            return  # a late signal after the end: the event loop it would stop is not ours
        status["ended"] = 1
        print(f"logview: {reason}", file=sys.stderr)
        status["code"] = 2
        app.exit(2)

    def capture() -> None:
        if not status.get("capturing"):
            status["capturing"] = 1
            QTimer.singleShot(SCREENSHOT_SETTLE_MS, save)

    def fail_unless_captured(reason: str) -> None:
        if not status.get("capturing"):  # a job the screenshot no longer waits for
            fail(reason)

    def timed_out() -> None:
        waiting = "loading" if window.investigation.is_loading() else _WAITING_FOR[tab]
        fail_unless_captured(f"timed out after {timeout_s:g} s waiting for {waiting}")

    def on_view(view: View) -> None:
        if shows_what_was_asked(view, tab, comparing):
            capture()

    def on_job_failed(job: str, message: str) -> None:
        if job == "anomalies":
            fail_unless_captured(f"anomaly detection failed: {message}")

    def on_mining_failed(message: str) -> None:
        fail_unless_captured(f"mining failed: {message}")

    # Each tab's screenshot waits for that tab's work; a failure of that work ends it.
    if tab == "anomalies":
        window.sig_anomalies_ready.connect(lambda _found: capture())
        window.sig_job_failed.connect(on_job_failed)
    else:
        window.sig_view_ready.connect(on_view)
    if tab in ("patterns", "anomalies") or comparing:
        window.sig_mining_failed.connect(on_mining_failed)
    window.sig_query_failed.connect(lambda message: fail(f"bad query: {message}"))
    window.sig_load_failed.connect(lambda message: fail(message))
    window.sig_load_cancelled.connect(lambda: fail("loading was cancelled"))
    # A child of the window: it goes with it, never firing into a later run's event loop.
    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.timeout.connect(timed_out)
    timer.start(round(timeout_s * 1000))
    return capture


# What a screenshot of each tab waits for, as its timeout names it.
_WAITING_FOR = {
    "logs": "the query's result",
    "patterns": "the patterns",
    "anomalies": "the anomalies",
    "visualization": "the query's result",
}


def _png_bytes(image: QPixmap) -> bytes:
    """Return a pixmap encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("PNG encoding failed")
    buffer.close()
    return bytes(data.data())

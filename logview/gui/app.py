"""The GUI entry point: the application object, the main window, and the screenshot mode."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from logview.core.atomic import write_atomic
from logview.gui.main_window import MainWindow
from logview.gui.settings import Settings

# After loading, let the view lay out and paint before grabbing it.
SCREENSHOT_SETTLE_MS = 150


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
) -> int:
    """Return the exit status after showing the window on `paths` until the user quits.

    `query` is run once loading ends; `tab` is shown. With `screenshot`, wait for loading and
    the query to end, save the window to that PNG and exit: 0 when both succeeded, 2 (with a
    one-line reason on stderr) when either failed.
    """
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "logview"])
    assert isinstance(app, QApplication)
    app.setApplicationName("logview")
    app.setOrganizationName("logview")
    app.setApplicationDisplayName("logview")
    app.setWindowIcon(app_icon())
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
    window._wait_for_compare = bool(compare)  # type: ignore[attr-defined]
    if screenshot is not None:
        capture = _capture_when_loaded(app, window, screenshot, status)
    window.open_paths(list(paths))
    if screenshot is not None and not window.is_loading():
        capture()  # nothing to load: capture the empty window
    code = app.exec()
    window.close()
    window.deleteLater()
    return status["code"] if screenshot is not None else code


def _capture_when_loaded(
    app: QApplication, window: MainWindow, target: str, status: dict[str, int]
) -> Callable[[], None]:
    """Return a function that saves `window` to `target` soon and quits, and call it on loading.

    A failed or cancelled load quits with status 2 and a one-line reason on stderr instead.
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
            _make_readable(Path(target))
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

    def maybe_capture(view: object) -> None:
        comparing = bool(window.range_bar.compare.currentIndex())
        if not getattr(window, "_wait_for_compare", False) or comparing and view.comparison:
            capture()

    # Each tab's screenshot waits for that tab's work: patterns mined, anomalies found.
    if window.tabs.currentIndex() == 2:
        window.sig_anomalies_ready.connect(lambda _found: capture())
    else:
        ready = (
            window.sig_patterns_ready if window.tabs.currentIndex() == 1 else window.sig_view_ready
        )
        ready.connect(maybe_capture)
    window.sig_query_failed.connect(lambda message: fail(f"bad query: {message}"))
    window.sig_load_failed.connect(lambda message: fail(message))
    window.sig_load_cancelled.connect(lambda: fail("loading was cancelled"))
    return capture


def _make_readable(path: Path) -> None:
    """Give a written file the permissions a new file gets (the temp file behind it was 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


def _png_bytes(image: QPixmap) -> bytes:
    """Return a pixmap encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("PNG encoding failed")
    buffer.close()
    return bytes(data.data())

"""Reopening an investigation: the demo opened as logs, against the same demo opened from a
saved investigation (a query, a range, a source left out, bookmarks and notes) to its restored
view shown with its patterns, both in the real window offscreen, in the same run.

    python benchmarks/investigation.py [--repeat 5]

Each open runs in a fresh window of the same process after one warm-up open (the column cache
holds the demo, as it does on a reader's second day). Prints the median of each, their
difference (what restoring the investigation costs beyond the load) and ratio. Target: the
investigation reopens in under 2 s plus the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from PySide6.QtWidgets import QApplication  # noqa: E402

from logview.core.demo import demo_path  # noqa: E402
from logview.gui.main_window import MainWindow  # noqa: E402
from logview.gui.settings import Settings  # noqa: E402

TARGET_S = 2.0
TIMEOUT_S = 300.0


def _wait(app: QApplication, done, what: str) -> None:
    started = time.monotonic()
    while not done():
        if time.monotonic() - started > TIMEOUT_S:
            raise SystemExit(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.002)


def _window(folder: str) -> MainWindow:
    win = MainWindow(Settings(os.path.join(folder, "settings.ini")))
    win.document.ask_before_close = False
    win.resize(1366, 768)
    win.show()
    return win


def _shown(win: MainWindow, state) -> bool:
    view = win.views.view
    return (
        view is not None and view.state == state and view.patterns is not None
        and not win.views.busy()
    )  # fmt: skip


def open_logs(app: QApplication, folder: str, paths: list[str]) -> tuple[float, MainWindow]:
    """Return the seconds from opening `paths` to their view shown with its patterns."""
    win = _window(folder)
    ready = []
    win.sig_patterns_ready.connect(ready.append)
    started = time.monotonic()
    win.open_paths(paths)
    _wait(app, lambda: ready and _shown(win, win.views.state), "the logs' patterns")
    return time.monotonic() - started, win


def open_investigation(app: QApplication, folder: str, file: str, state) -> float:
    """Return the seconds from opening the investigation `file` to `state`'s view shown."""
    win = _window(folder)
    started = time.monotonic()
    win.open_paths([file])
    _wait(app, lambda: _shown(win, state), "the investigation's view")
    seconds = time.monotonic() - started
    win.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp(prefix="logview-bench-")
    paths = [str(demo_path())]
    _seconds, win = open_logs(app, folder, paths)  # warm-up: the cache now holds the demo
    inv = win.investigation
    rows = win.logs.model.view_rows()
    win.document.bookmark_rows([int(rows[i]) for i in (10, 5000, 90000)])
    win.document.bookmark_patterns(list(inv.mined.templates)[:3])
    inv.set_bookmarks(inv.bookmarks, "checkout failures since the afternoon")
    first = inv.ingested.table["ts"].min()
    state = win.views.state.with_(
        query="payment -healthz",
        start=first + timedelta(hours=12),
        end=first + timedelta(hours=40),
        excluded=frozenset(inv.source_names[:1]),
    )
    win.set_state(state)
    _wait(app, lambda: _shown(win, state), "the view to save")
    file = os.path.join(folder, "demo.logview")
    if not win.document.save(file):
        raise SystemExit("could not save the investigation")
    entries = inv.ingested.table.height
    win.close()
    plain, restored = [], []
    for _ in range(args.repeat):
        seconds, other = open_logs(app, folder, paths)
        other.close()
        plain.append(seconds)
        restored.append(open_investigation(app, folder, file, state))
    plain_s, restored_s = statistics.median(plain), statistics.median(restored)
    extra = restored_s - plain_s
    print(f"demo: {entries:,} entries, {len(inv.bookmarks)} bookmarks, {args.repeat} runs each")
    print(f"open the logs to their patterns (baseline): median {plain_s:.2f} s "
          f"({', '.join(f'{s:.2f}' for s in plain)})")  # fmt: skip
    print(f"open the investigation to its view:         median {restored_s:.2f} s "
          f"({', '.join(f'{s:.2f}' for s in restored)})")  # fmt: skip
    verdict = "PASS" if extra < TARGET_S else "FAIL"
    print(f"restoring costs {extra:+.2f} s beyond the load ({restored_s / plain_s:.2f}x); "
          f"target < {TARGET_S:.0f} s: {verdict}")  # fmt: skip
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())

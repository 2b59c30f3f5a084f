"""The window under load: the event loop's longest stall and query latency with millions of rows.

    python benchmarks/gui.py [--lines 5000000] [--repeat 5]

Opens the real main window offscreen on the generated bundle of benchmarks/bundle.py
(--lines lines; cached in benchmarks/.data/). A QTimer firing every 5 ms measures how late it
fires: the lateness is how long the UI thread was busy, so the longest one in each phase is
that phase's worst stall. The window is shown and left to settle first (its first layout,
polish and paint, reported on their own: the window is not on screen yet, and a user opens a
file from a window that is), then the phases:
- loading: from open to the first view shown (ingest runs in a worker);
- filtering: plain searches and queries typed into the query bar, each until its view shows;
  the time from submit to the updated table is reported as the median over --repeat runs
  (each computed: the views the window keeps to go back to are forgotten first), and the
  search cleared again after each (every row, shown again from the view kept);
- scrolling: page-downs through the table, jumps to the end (Ctrl+End) and back, with paints.
Targets: no stall over 100 ms; a plain search updates the table within 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

# logview first: its allocator settings must be made before polars loads.
import logview as _logview  # noqa: E402, F401, I001
from bundle import make_bundle  # noqa: E402
from PySide6.QtCore import QElapsedTimer, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from logview.gui.main_window import MainWindow  # noqa: E402
from logview.gui.settings import Settings  # noqa: E402

STALL_TARGET_MS = 100
SEARCH_TARGET_S = 0.5
PROBE_MS = 5


class StallProbe:
    """Records how late a 5 ms timer fires on the UI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)
        self.worst = 0.0
        self.last = 0

    def start(self) -> None:
        self.worst = 0.0
        self.clock.start()
        self.last = self.clock.elapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self.last - PROBE_MS)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        return self.worst


def wait_for(app: QApplication, condition, timeout_s: float = 600) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not finish in time")
        app.processEvents()
        time.sleep(0.001)


def settle(app: QApplication, timeout_s: float = 5) -> None:
    """Process events until two rounds in a row find (nearly) nothing to do."""
    deadline, quiet = time.monotonic() + timeout_s, 0
    while quiet < 2 and time.monotonic() < deadline:
        started = time.perf_counter()
        app.processEvents()
        quiet = quiet + 1 if time.perf_counter() - started < 0.002 else 0
        time.sleep(0.01)


def run_view(app: QApplication, window: MainWindow, action) -> float:  # noqa: ANN001
    """Return seconds from `action` (which submits) until the window shows the new view."""
    views: list[object] = []
    window.sig_view_ready.connect(views.append)
    window.sig_query_failed.connect(views.append)
    start = time.perf_counter()
    action()
    wait_for(app, lambda: views)
    seconds = time.perf_counter() - start
    window.sig_view_ready.disconnect(views.append)
    window.sig_query_failed.disconnect(views.append)
    if isinstance(views[0], str):
        raise RuntimeError(f"query failed: {views[0]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    files = make_bundle(lines=args.lines)
    folder = files[0].parent.parent
    app = QApplication.instance() or QApplication([])
    settings = Settings(Path(os.environ.get("TMPDIR", "/tmp")) / "logview-bench-gui.ini")
    window = MainWindow(settings, remember=False)
    window.resize(1500, 950)
    started = time.perf_counter()
    window.show()
    settle(app)
    show_ms = (time.perf_counter() - started) * 1000
    probe = StallProbe()

    probe.start()
    started = time.perf_counter()
    run_view(app, window, lambda: window.open_paths([str(folder)]))
    load_s = time.perf_counter() - started
    load_stall = probe.stop()
    rows = window.investigation.ingested.table.height if window.investigation.ingested else 0
    # The table is mined in the background; once it is, every view also counts its patterns.
    # Queries are timed with that in, as a user working with the Patterns tab sees them.
    probe.start()
    started = time.perf_counter()
    mined: list[object] = []
    window.sig_patterns_ready.connect(mined.append)
    wait_for(app, lambda: mined)
    mine_s = time.perf_counter() - started
    mine_stall = probe.stop()

    searches = {
        "plain search: timeout": "timeout",
        "plain search: -order payment": "payment -order",
        "query: filter @level = ERROR": 'filter @level = "ERROR"',
        "query: stats count(*) by bin(5m)": "stats count(*) by bin(5m)",
    }
    latencies: dict[str, float] = {}
    probe.start()
    back: list[float] = []
    for label, text in searches.items():
        times = []
        for _ in range(args.repeat):
            # Each run computes its view: the window's views of it kept to go back to are
            # forgotten (the view of every row stays: clearing the search shows it again).
            window.views.forget_recent(text)
            times.append(run_view(app, window, lambda t=text: window.query_bar.set_text(t)))
            back.append(run_view(app, window, lambda: window.query_bar.set_text("")))
        latencies[label] = statistics.median(times)
    filter_stall = probe.stop()

    probe.start()
    view = window.logs.table_view
    view.setFocus()
    scroll_started = time.perf_counter()
    for _ in range(3):
        for _page in range(40):
            QTest.keyClick(view, Qt.Key.Key_PageDown)
            app.processEvents()
        QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        app.processEvents()
        view.viewport().repaint()
        QTest.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        app.processEvents()
        view.viewport().repaint()
    scroll_s = time.perf_counter() - scroll_started
    scroll_stall = probe.stop()
    window.close()

    print(
        f"window: {rows:,} entries loaded in {load_s:.1f} s, patterns mined {mine_s:.1f} s later; "
        f"{args.repeat} runs a query, median"
    )
    print(f"(the window's first layout, polish and paint, before opening: {show_ms:.0f} ms)")
    print()
    print(f"{'phase':<36}{'longest stall ms':>18}")
    for phase, stall in (
        ("loading", load_stall),
        ("mining patterns", mine_stall),
        ("filtering", filter_stall),
        ("scrolling", scroll_stall),
    ):
        print(f"{phase:<36}{stall:>18.0f}")
    print(f"(scrolling: 120 page-downs and 6 jumps end/home in {scroll_s:.2f} s)")
    print()
    print(f"{'submit -> table updated':<36}{'seconds':>18}")
    for label, seconds in latencies.items():
        print(f"{label:<36}{seconds:>18.3f}")
    print(f"{'search cleared (the view kept)':<36}{statistics.median(back):>18.3f}")
    print()
    worst = max(load_stall, mine_stall, filter_stall, scroll_stall)
    verdict = "PASS" if worst <= STALL_TARGET_MS else "FAIL"
    print(f"target no stall over {STALL_TARGET_MS} ms: longest {worst:.0f} ms  {verdict}")
    plain = max(v for k, v in latencies.items() if k.startswith("plain"))
    verdict = "PASS" if plain <= SEARCH_TARGET_S else "FAIL"
    print(f"target plain search within {SEARCH_TARGET_S} s: slowest {plain:.3f} s  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

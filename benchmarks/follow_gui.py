"""Following a busy file in the real window: no entry lost and the UI never stalls.

    python benchmarks/follow_gui.py [--lines 200000] [--rate 2000] [--seconds 30]

Writes a plain-text log of --lines lines, opens it in the window (offscreen), turns Follow on
once the patterns are mined, and appends --rate lines a second from another thread for
--seconds. A 5 ms QTimer probes the event loop. Prints the rows shown against the lines
written, the longest gap between probes and its 99th percentile, and the memory change.
Targets: every line shown, no stall over 100 ms (as benchmarks/gui.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from logview.gui.main_window import MainWindow  # noqa: E402
from logview.gui.settings import Settings  # noqa: E402

T0 = datetime(2026, 11, 29, tzinfo=UTC)
TARGET_STALL_MS = 100


def _lines(start: int, count: int) -> str:
    out = []
    for i in range(start, start + count):
        at = T0 + timedelta(milliseconds=20 * i)
        level = "ERROR" if i % 997 == 0 else "INFO"
        out.append(f"{at:%Y-%m-%d %H:%M:%S}.{at.microsecond // 1000:03d} {level} [w{i % 8}] "
                   f"request {i} served in {i % 97} ms\n")  # fmt: skip
    return "".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--rate", type=int, default=2_000)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="logview-bench-"))
    log = folder / "app.log"
    log.write_text(_lines(0, args.lines))
    app = QApplication([])
    window = MainWindow(Settings(folder / "settings.ini"), remember=False)
    window.resize(1400, 900)
    window.show()
    written, stop = [args.lines], threading.Event()
    gaps: list[float] = []
    last = [time.perf_counter()]
    state: dict[str, float] = {}
    outcome = {"code": 1}

    def write() -> None:
        batch = max(1, args.rate // 10)
        while not stop.is_set():
            with open(log, "a") as file:
                file.write(_lines(written[0], batch))
            written[0] += batch
            time.sleep(0.1)

    samples: list[float] = []

    def probe() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        if len(gaps) % 2000 == 0:  # about every 10 s
            samples.append(psutil.Process().memory_info().rss / 2**20)

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(probe)

    def start(_view: object) -> None:
        if state:
            return
        window.set_following(True)
        state["rss"] = psutil.Process().memory_info().rss
        threading.Thread(target=write, daemon=True).start()
        last[0] = time.perf_counter()
        timer.start()
        QTimer.singleShot(args.seconds * 1000, finish)

    def finish() -> None:
        stop.set()
        timer.stop()
        QTimer.singleShot(3000, report)  # the last lines: a poll, then the quiet poll

    def report() -> None:
        rows = (
            window.investigation.ingested.table.height
            if window.investigation.ingested is not None
            else 0
        )
        grown = (psutil.Process().memory_info().rss - state["rss"]) / 2**20
        ordered = sorted(gaps)
        longest = ordered[-1] * 1000
        p99 = ordered[int(len(ordered) * 0.99)] * 1000
        print(f"followed {args.seconds} s at {args.rate:,} lines/s onto {args.lines:,} lines")
        print(f"rows shown {rows:,} of {written[0]:,} written")
        print(f"event loop: longest stall {longest:.0f} ms, 99th percentile {p99:.0f} ms")
        print(f"memory while following: {grown:+.0f} MiB (about every 10 s: "
              f"{', '.join(f'{m:.0f}' for m in samples)} MiB)")  # fmt: skip
        ok = rows == written[0] and longest <= TARGET_STALL_MS
        print(f"targets: every line shown, no stall over {TARGET_STALL_MS} ms: "
              f"{'PASS' if ok else 'FAIL'}")  # fmt: skip
        outcome["code"] = 0 if ok else 1
        app.quit()

    window.sig_patterns_ready.connect(start)
    window.open_paths([str(log)])
    app.exec()
    window.set_following(False)
    return outcome["code"]


if __name__ == "__main__":
    sys.exit(main())

"""The README's screenshots: the real window on the demo bundle, one command per state.

    python benchmarks/screens.py [--out resources]

Each state runs `logview --demo --screenshot OUT.png` (offscreen) with its query and tab, the
way a user would open it, and fails loudly if a run exits non-zero.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A laptop's screen, the size support engineers read logs at (issue 19).
SIZE = "1366x768"
STATES: tuple[tuple[str, str, str], ...] = (
    # (file, tab, query); a file named *compare* also compares with the previous day
    ("screenshot-main.png", "logs", ""),
    ("screenshot-compare.png", "patterns", ""),
    ("screenshot-errors.png", "logs", 'filter @level in ["ERROR", "FATAL"]'),
    ("screenshot-stats.png", "logs", "stats count(*) as n by @logStream | sort n desc"),
    ("screenshot-patterns.png", "patterns", 'filter @level in ["ERROR", "WARN"]'),
    ("screenshot-anomalies.png", "anomalies", ""),
    (
        "screenshot-visualization.png",
        "visualization",
        'filter @level in ["ERROR", "WARN"] | stats count(*) by bin(10m), @level',
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources")
    args = parser.parse_args(argv)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for name, tab, query in STATES:
        target = args.out / name
        command = [sys.executable, "-m", "logview", "--demo", "--screenshot", str(target)]
        command += ["--size", SIZE, "--tab", tab] + (["--query", query] if query else [])
        if "compare" in name:
            command += ["--compare", "previous-day"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            print(f"{name}: failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            return 1
        print(f"{target}")
    inspect(args.out / "screenshot-inspect.png")
    return 0


def inspect(target: Path) -> None:
    """Save the window with the inspect pane open on the incident's top error pattern."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    import logview  # noqa: F401 - allocator settings before polars
    from logview.core.demo import demo_path
    from logview.gui.main_window import MainWindow
    from logview.gui.settings import Settings

    app = QApplication.instance() or QApplication([])
    window = MainWindow(Settings(Path(os.environ.get("TMPDIR", "/tmp")) / "screens.ini"),
                        remember=False)  # fmt: skip
    window.resize(*(int(v) for v in SIZE.split("x")))
    window.show()
    seen: list[object] = []
    window.sig_patterns_ready.connect(seen.append)
    window.query_bar.set_text('filter @level = "ERROR"', run=False)
    window.open_paths([str(demo_path())])
    _wait(app, lambda: seen)
    window.tabs.setCurrentIndex(1)
    window.patterns_tab.view.selectRow(0)
    done: list[object] = []
    window.sig_inspected.connect(done.append)
    window.patterns_tab.inspect_button.click()
    _wait(app, lambda: done)
    window.inspect_pane.tabs.setCurrentIndex(1)  # log samples, variable parts highlighted
    _wait(app, lambda: True)
    window.grab().save(str(target))
    print(target)
    window.close()


def _wait(app, condition) -> None:  # noqa: ANN001
    import time

    deadline = time.monotonic() + 120
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    raise SystemExit(main())

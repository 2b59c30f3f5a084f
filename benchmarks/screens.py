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
SIZE = "1500x950"
STATES: tuple[tuple[str, str, str], ...] = (
    # (file, tab, query)
    ("screenshot-main.png", "logs", ""),
    ("screenshot-errors.png", "logs", 'filter @level in ["ERROR", "FATAL"]'),
    ("screenshot-stats.png", "logs", "stats count(*) as n by @logStream | sort n desc"),
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
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            print(f"{name}: failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            return 1
        print(f"{target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

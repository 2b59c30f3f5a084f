"""Run each fuzz target for N minutes in its own process and report executions, coverage and
crashes. Not part of CI (it needs `pip install atheris`, and takes N x 5 minutes).

Usage: python fuzz/run.py [--minutes 2] [--targets sniff,archive] [--out fuzz/out]

The seed corpus is generated first if absent (fuzz/make_corpus.py); each target grows its own
copy in OUT/corpus/<target>/, and a crash leaves its input as OUT/crashes/<target>-crash-*
(replay it with `python fuzz/targets.py TARGET OUT/crashes/<file>`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = ("sniff", "ingest_file", "archive", "query", "patterns")


def run_target(target: str, minutes: float, out: Path) -> dict[str, object]:
    """Fuzz one target; return its executions, coverage, corpus size and crash (if any)."""
    corpus = out / "corpus" / target
    if not corpus.exists():
        shutil.copytree(out / "seeds" / target, corpus)
    crashes = out / "crashes"
    crashes.mkdir(parents=True, exist_ok=True)
    log = out / f"{target}.log"
    started = time.monotonic()
    with log.open("w") as handle:
        done = subprocess.run(
            [
                sys.executable, str(HERE / "targets.py"), target,
                f"-max_total_time={round(minutes * 60)}", "-timeout=20", "-rss_limit_mb=3072",
                "-max_len=65536", "-print_final_stats=1",
                f"-artifact_prefix={crashes}/{target}-", str(corpus),
            ],
            stdout=handle, stderr=subprocess.STDOUT, check=False,
        )  # fmt: skip
    text = log.read_text(errors="replace")
    execs = re.findall(r"stat::number_of_executed_units: (\d+)", text)
    cov = re.findall(r" cov: (\d+) ft: (\d+)", text)
    crash = None
    if done.returncode != 0:
        reason = re.findall(
            r"(=== Uncaught Python exception: ===\n.*?)(?:\n==\d+==|\Z)", text, re.S
        )
        crash = (reason[-1] if reason else text[-1500:]).strip()
    return {
        "target": target,
        "seconds": time.monotonic() - started,
        "execs": int(execs[-1]) if execs else 0,
        "cov": int(cov[-1][0]) if cov else 0,
        "features": int(cov[-1][1]) if cov else 0,
        "corpus": len(list(corpus.iterdir())),
        "crash": crash,
        "log": str(log),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="per target")
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    if not (args.out / "seeds").exists():
        subprocess.run(
            [sys.executable, str(HERE / "make_corpus.py"), "--out", str(args.out / "seeds")],
            check=True,
        )
    results = []
    for target in args.targets.split(","):
        result = run_target(target, args.minutes, args.out)
        results.append(result)
        status = "CRASH" if result["crash"] else "ok"
        print(
            f"{target:12} {result['execs']:>9,} execs in {result['seconds']:5.0f} s "
            f"({result['execs'] / max(result['seconds'], 1):7.0f}/s)  cov {result['cov']:>5} "
            f"ft {result['features']:>6}  corpus {result['corpus']:>5}  {status}",
            flush=True,
        )
        if result["crash"]:
            print("   " + str(result["crash"]).replace("\n", "\n   "), flush=True)
    return 1 if any(r["crash"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

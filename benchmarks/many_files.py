"""Per-file overhead: a bundle of many small files against the same lines in one file.

    python benchmarks/many_files.py [--files 500] [--lines 200] [--repeat 3]

Support bundles often hold hundreds of small logs, so what ingest spends per source (format
sniffing, layout detection, setting up a parse) matters as much as lines per second. This
writes N files of M plain-text lines each and one file holding all N*M lines, ingests both
(median of --repeat runs, in this process), and prints the seconds, the ratio many/one and
the cost of a file beyond its lines. Target: at most 2 ms a file (500 files in one more second
than their lines alone).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from logview.core.ingest import ingest  # noqa: E402

TARGET_MS_PER_FILE = 2.0


def _line(i: int) -> str:
    return (
        f"2026-03-10 14:{i % 60:02d}:{i % 60:02d}.123 INFO [main] request {i} done in {i % 97} ms\n"
    )


def _median_seconds(paths: list[Path], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        ingest(paths)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="logview-bench-") as tmp:
        many, one = Path(tmp, "many"), Path(tmp, "one.log")
        many.mkdir()
        body = [_line(i) for i in range(args.lines)]
        for n in range(args.files):
            (many / f"svc{n:04d}.log").write_text("".join(body))
        one.write_text("".join(body) * args.files)
        one_s = _median_seconds([one], args.repeat)
        many_s = _median_seconds([many], args.repeat)
    total = args.files * args.lines
    per_file_ms = (many_s - one_s) / args.files * 1000
    print(
        f"{total:,} lines: one file {one_s:.2f} s, {args.files} files {many_s:.2f} s "
        f"(ratio many/one {many_s / one_s:.1f}x)"
    )
    verdict = "PASS" if per_file_ms <= TARGET_MS_PER_FILE else "FAIL"
    print(
        f"target <= {TARGET_MS_PER_FILE:.0f} ms a file beyond its lines: {per_file_ms:.1f} ms  {verdict}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

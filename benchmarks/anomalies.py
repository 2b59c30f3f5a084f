"""Anomaly detection time: two days of entries walked in evaluation windows.

    python benchmarks/anomalies.py [--entries 2000000] [--patterns 300] [--every 5] [--repeat 3]

Generates (seeded, in memory) --entries entries over two days from --patterns patterns with
Poisson rates following a daily rhythm (no incident injected), then times `detect()` on their
stamps, levels and pattern ids (mining is the pattern engine's benchmark). Prints the median
time and the anomalies found in this steady data. Target: under 10 s for 2M entries at
5-minute windows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

import logview as _logview  # noqa: E402, F401, I001
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from logview.core.analysis.anomalies import detect  # noqa: E402
from logview.core.analysis.pattern_templates import Template  # noqa: E402

TARGET_S = 10.0
START = datetime(2026, 3, 9, tzinfo=UTC)


def generate(entries: int, patterns: int, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, patterns + 1) ** 1.1  # a few common patterns, a long tail
    weights /= weights.sum()
    seconds = 2 * 86_400
    # Times with a daily rhythm: accept a uniform draw with probability of the rate then.
    draws = rng.uniform(0, seconds, entries * 2)
    rate = 1 + 0.8 * np.sin((draws / 3600 % 24 - 8) / 24 * 2 * np.pi)
    kept = np.sort(draws[rng.uniform(0, 1.8, draws.size) < rate][:entries])
    ids = rng.choice(patterns, kept.size, p=weights)
    levels = np.where(ids % 17 == 0, "ERROR", np.where(ids % 5 == 0, "WARN", "INFO"))
    start_us = int(START.timestamp() * 1e6)
    return pl.DataFrame(
        {
            "ts": pl.Series((kept * 1e6).astype(np.int64) + start_us).cast(
                pl.Datetime("us", "UTC")
            ),
            "level": levels,
            "id": pl.Series([f"p{i:05d}" for i in range(patterns)]).gather(ids),
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2_000_000)
    parser.add_argument("--patterns", type=int, default=300)
    parser.add_argument("--every", type=int, default=5, help="window in minutes")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    frame = generate(args.entries, args.patterns)
    templates = {f"p{i:05d}": Template(f"p{i:05d}", f"pattern {i}", (f"pattern {i}",), ())
                 for i in range(args.patterns)}  # fmt: skip
    times, found = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        found = detect(frame["ts"], frame["level"], frame["id"], templates,
                       every=timedelta(minutes=args.every))  # fmt: skip
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    print(f"{frame.height:,} entries, {args.patterns} patterns, two days, {args.every}-minute "
          f"windows: detect() median {seconds:.2f} s over {args.repeat} runs")  # fmt: skip
    kinds: dict[str, int] = {}
    for anomaly in found:
        kinds[anomaly.kind] = kinds.get(anomaly.kind, 0) + 1
    print(f"anomalies in this steady data (no incident injected): {len(found)} {kinds}")
    limit = TARGET_S * frame.height / 2_000_000
    verdict = "PASS" if seconds < limit else "FAIL"
    print(f"target detection under {limit:.1f} s: {seconds:.2f} s  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

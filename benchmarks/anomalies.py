"""Anomaly detection time: two days of entries walked in evaluation windows, then a sparse
span of years.

    python benchmarks/anomalies.py [--entries 2000000] [--patterns 300] [--every 5] [--repeat 3]
                                   [--loghub DIR]

Dense: generates (seeded, in memory) --entries entries over two days from --patterns patterns
with Poisson rates following a daily rhythm (no incident injected), then times `detect()` on
their stamps, levels and pattern ids (mining is the pattern engine's benchmark). Prints the
median time and the anomalies found in this steady data. Target: under 10 s for 2M entries at
5-minute windows.

Sparse: four Loghub system logs (Apache, HDFS, Linux, OpenSSH `X_2k.log` under --loghub,
by default `shared/data/loghub-2k` beside the repository; skipped with a note where missing)
that together span 21 years with 8,000 entries, loaded and mined as a user opens them, then
`detect()` timed on them with their messages and sources. Prints the entries, the span, the
windows kept against those a dense matrix would need, the anomalies found, and the time
per entry against the dense case's of the same run. Target: under 5 s.
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
from logview.core.analysis.patterns import mine_entries  # noqa: E402
from logview.core.analysis.windows import Windows  # noqa: E402
from logview.core.reading.loading import load  # noqa: E402

TARGET_S = 10.0
SPARSE_TARGET_S = 5.0
LOGHUB = Path(__file__).resolve().parents[2] / "shared" / "data" / "loghub-2k"
SYSTEMS = ("Apache", "HDFS", "Linux", "OpenSSH")
YEAR_S = 365.25 * 86_400
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
    parser.add_argument("--loghub", type=Path, default=LOGHUB,
                        help="the Loghub 2k folder (Apache/Apache_2k.log, ...)")  # fmt: skip
    args = parser.parse_args(argv)
    dense_per_entry = dense(args)
    print()
    sparse(args, dense_per_entry)
    return 0


def dense(args: argparse.Namespace) -> float:
    """Time the dense case; return its seconds per entry."""
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
    print(f"anomalies in this steady data (no incident injected): {len(found)} {_kinds(found)}")
    limit = TARGET_S * frame.height / 2_000_000
    verdict = "PASS" if seconds < limit else "FAIL"
    print(f"target detection under {limit:.1f} s: {seconds:.2f} s  {verdict}")
    return seconds / frame.height


def sparse(args: argparse.Namespace, dense_per_entry: float) -> None:
    """Time the sparse case: four Loghub systems spanning 21 years, as a user opens them."""
    paths = [args.loghub / name / f"{name}_2k.log" for name in SYSTEMS]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"sparse case skipped: {', '.join(str(p) for p in missing)} not found "
              f"(give the Loghub 2k folder with --loghub)")  # fmt: skip
        return
    table = load([str(p) for p in paths], {}).ingested.table
    mined = mine_entries(table)
    every = timedelta(minutes=args.every)
    times, found = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        found = detect(table["ts"], table["level"], mined.ids, mined.by_id, every=every,
                       messages=table, sources=table["source"])  # fmt: skip
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    stamps = table["ts"].drop_nulls()
    years = (stamps.max() - stamps.min()).total_seconds() / YEAR_S  # type: ignore[operator]
    width = int(every.total_seconds() * 1_000_000)
    windows, _ = Windows.of(stamps.dt.epoch("us").to_numpy(), width)
    needed = int(windows.absolute[-1]) + 1
    print(f"{table.height:,} entries from {len(paths)} Loghub systems ({', '.join(SYSTEMS)}) "
          f"spanning {years:.1f} years, {args.every}-minute windows: detect() median "
          f"{seconds:.2f} s over {args.repeat} runs")  # fmt: skip
    print(f"windows kept: {len(windows):,} of the {needed:,} a dense matrix would need "
          f"({len(windows) / needed:.4%})")  # fmt: skip
    print(f"anomalies found: {len(found)} {_kinds(found)}")
    verdict = "PASS" if seconds < SPARSE_TARGET_S else "FAIL"
    print(f"target under {SPARSE_TARGET_S:.0f} s: {seconds:.2f} s  {verdict}")
    per_entry = seconds / table.height
    print(f"time per entry against the dense case's in this run: {per_entry * 1e6:.1f} us / "
          f"{dense_per_entry * 1e6:.2f} us = {per_entry / dense_per_entry:.1f}x (this case also "
          f"judges the messages' tokens and the sources)")  # fmt: skip


def _kinds(found: list) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for anomaly in found:
        kinds[str(anomaly.kind)] = kinds.get(str(anomaly.kind), 0) + 1
    return kinds


if __name__ == "__main__":
    raise SystemExit(main())

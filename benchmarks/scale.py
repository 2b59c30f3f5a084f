"""Opening a large bundle, and opening it again: the column cache against parsing, and lnav.

    python benchmarks/scale.py [--lines 10000000] [--repeat 3]

On the generated bundle of benchmarks/bundle.py (--lines lines; its log files, cached in
benchmarks/.data/), each run in a fresh process, timed with its own peak resident memory
(wait4's rusage of that child):
- parse: `ingest` with no cache (what every open cost before the cache), then its patterns
  mined (`mine_entries`);
- first open: `ingest` with an empty cache, to the table; then its patterns, mined and kept
  (`mine_kept`, as the window does); then until the cache is written;
- reopen: `ingest` with that cache, then its patterns read back (`mine_kept`);
- lnav: `lnav -n` indexing the same files (benchmarks/ingest.py's headless pass);
- with --window, the window (offscreen, as a user opens it: the cache on) to its table, its
  patterns and its anomalies shown, first with an empty cache and then again.
Prints medians over --repeat runs, peak memory over the uncompressed input, the cache's
size, and the ratios to lnav and to parsing. Targets (issue 21): reopen to a full table and
its patterns in under 2 s at 10M lines; the first open no slower than lnav.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bundle import make_bundle, manifest  # noqa: E402
from ingest import run_lnav  # noqa: E402

REOPEN_TARGET_S = 2.0


def child(mode: str, cache_dir: str, paths: list[str]) -> int:
    """One open in this process; print seconds (to the table, and until the cache is
    written), entries and cache bytes as JSON."""
    from logview.core.analysis.mined_parts import mine_kept
    from logview.core.reading.column_cache import ColumnCache
    from logview.core.reading.ingest import ingest

    cache = None if mode == "parse" else ColumnCache(Path(cache_dir))
    started = time.perf_counter()
    result = ingest(paths, cache=cache)
    table_s = time.perf_counter() - started
    mined = mine_kept(result.table, cache, result.cache_key)
    patterns_s = time.perf_counter() - started
    if cache is not None:
        cache.flush()
    print(json.dumps({
        "seconds": table_s,
        "patterns": patterns_s,
        "pattern_count": len(mined.by_id),
        "written": time.perf_counter() - started,
        "entries": result.table.height,
        "warnings": len(result.warnings),
        "cache_bytes": cache.size() if cache is not None else 0,
    }))  # fmt: skip
    return 0


def window_child(cache_dir: str, paths: list[str]) -> int:
    """Open `paths` in the window with the cache in `cache_dir`; print the seconds to its
    table, patterns and anomalies as JSON."""
    os.environ["LOGVIEW_CACHE_DIR"] = cache_dir
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from logview.gui.main_window import MainWindow
    from logview.gui.settings import Settings

    app = QApplication.instance() or QApplication([])
    window = MainWindow(Settings(Path(cache_dir).parent / "scale-window.ini"), remember=True)
    window.resize(1366, 768)
    window.show()
    marks: dict[str, float] = {}
    started = time.perf_counter()
    inv = window.investigation
    inv.loaded.connect(lambda *_: marks.setdefault("seconds", time.perf_counter() - started))
    inv.mined_ready.connect(lambda *_: marks.setdefault("patterns", time.perf_counter() - started))
    inv.anomalies_found.connect(
        lambda *_: marks.setdefault("anomalies", time.perf_counter() - started)
    )
    window.open_paths(paths)
    while "anomalies" not in marks:
        if time.perf_counter() - started > 1800:
            raise TimeoutError("the window did not show its anomalies in 30 minutes")
        app.processEvents()
        time.sleep(0.005)
    marks["entries"] = inv.ingested.table.height if inv.ingested else 0
    if inv.cache is not None:
        inv.cache.flush()
    window.close()
    print(json.dumps(marks))
    return 0


def run_child(mode: str, cache_dir: Path, paths: list[Path]) -> dict:
    """Run `child` in a fresh process; return its report with its peak memory."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, __file__, "--child", mode, str(cache_dir), *map(str, paths)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{mode} failed: {(stderr.strip().splitlines() or ['?'])[-1]}")
    report = json.loads(stdout.strip().splitlines()[-1])
    report["peak"] = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--window", action="store_true", help="the window too, to anomalies")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, cache_dir, *paths = args.child
        if mode == "window":
            return window_child(cache_dir, paths)
        return child(mode, cache_dir, paths)

    files = make_bundle(lines=args.lines)
    facts = manifest(files)
    size = sum(int(f["bytes"]) for f in facts.values())
    expected = sum(int(f["entries"]) for f in facts.values())
    runs: dict[str, list[dict]] = {"parse": [], "first open": [], "reopen": []}
    windows: dict[str, list[dict]] = {"window, first open": [], "window, reopen": []}
    lnav_runs = []
    lnav = shutil.which("lnav")
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="logview-scale-cache-") as cache_dir:
            runs["parse"].append(run_child("parse", Path(cache_dir), files))
            runs["first open"].append(run_child("cache", Path(cache_dir), files))
            runs["reopen"].append(run_child("cache", Path(cache_dir), files))
        if args.window:
            with tempfile.TemporaryDirectory(prefix="logview-scale-window-") as folder:
                cache_dir = Path(folder) / "cache"
                for name in windows:
                    windows[name].append(run_child("window", cache_dir, files))
        if lnav:
            lnav_runs.append(run_lnav(lnav, files))
    entries = {r["entries"] for rs in (*runs.values(), *windows.values()) for r in rs}
    if entries != {expected}:  # every run read the whole bundle, entry for entry
        raise RuntimeError(f"the runs read {sorted(entries)} entries, the bundle has {expected:,}")
    print(
        f"{args.lines:,} lines, {size / 2**20:,.0f} MiB uncompressed, {entries.pop():,} entries; "
        f"median of {args.repeat}, each run in a fresh process"
    )
    print()
    counts = {r["pattern_count"] for rs in runs.values() for r in rs if "pattern_count" in r}
    if len(counts) != 1:  # the patterns read back are the ones mined
        raise RuntimeError(f"the runs found different patterns: {sorted(counts)}")
    print(f"{'':<28}{'table s':>10}{'+patterns s':>13}{'peak MiB':>10}{'peak/input':>12}")
    medians, with_patterns = {}, {}
    for name, rs in runs.items():
        seconds = statistics.median(r["seconds"] for r in rs)
        patterns = statistics.median(r["patterns"] for r in rs)
        peak = statistics.median(r["peak"] for r in rs)
        medians[name], with_patterns[name] = seconds, patterns
        print(
            f"{name:<28}{seconds:>10.2f}{patterns:>13.2f}"
            f"{peak / 2**20:>10,.0f}{peak / size:>11.2f}x"
        )
    for name, rs in windows.items():
        if rs:
            table, patterns, shown, peak = (
                statistics.median(r[k] for r in rs)
                for k in ("seconds", "patterns", "anomalies", "peak")
            )
            print(
                f"{name:<28}{table:>10.2f}{patterns:>13.2f}"
                f"{peak / 2**20:>10,.0f}{peak / size:>11.2f}x   anomalies shown {shown:.2f} s"
            )
    written = statistics.median(r["written"] for r in runs["first open"])
    print(f"{'  (first open, cache written)':<28}{written:>10.2f}")
    if lnav_runs:
        seconds = statistics.median(r.seconds for r in lnav_runs)
        peak = statistics.median(r.peak_bytes for r in lnav_runs)
        medians["lnav"] = seconds
        print(f"{'lnav -n':<28}{seconds:>10.2f}{'':>13}{peak / 2**20:>10,.0f}{peak / size:>11.2f}x")
    cache_bytes = statistics.median(r["cache_bytes"] for r in runs["first open"])
    print(f"cache: {cache_bytes / 2**20:,.0f} MiB ({cache_bytes / size:.2f}x the input)")
    print()
    print(f"reopen / parse: {medians['reopen'] / medians['parse']:.2f}x the time")
    if "lnav" in medians:
        print(f"first open / lnav: {medians['first open'] / medians['lnav']:.2f}x the time")
        print(f"reopen / lnav: {medians['reopen'] / medians['lnav']:.2f}x the time")
    reopen = with_patterns["reopen"]
    verdict = "PASS" if reopen <= REOPEN_TARGET_S else "FAIL"
    print(
        f"target reopen to a full table and its patterns within {REOPEN_TARGET_S} s: "
        f"{reopen:.2f} s  {verdict}"
    )
    if "lnav" in medians:
        verdict = "PASS" if medians["first open"] <= medians["lnav"] else "FAIL"
        print(
            f"target first open no slower than lnav: {medians['first open']:.2f} s vs {medians['lnav']:.2f} s  {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

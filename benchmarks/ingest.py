"""Ingest speed and memory: logview's ingest() against lnav on the same generated bundle.

    python benchmarks/ingest.py [--lines 2000000] [--repeat 3] [--seed 1]

Generates (or reuses) the bundle of benchmarks/bundle.py, then runs logview's `ingest()` on
it `--repeat` times, each in a fresh Python process so that peak memory is honest: the child
measures its resident size after its imports and its peak after ingest, and the difference is
ingest's own peak. Then, if lnav is installed, the same files go through
`lnav -n -c ';SELECT count(*) FROM all_logs'` (headless: lnav indexes every file, runs the
query and exits), with a temporary HOME holding a format for the bundle's JSON lines, which
lnav does not know otherwise. lnav's entry count is checked against the bundle's manifest, so
a run where lnav skipped lines says so. Prints median seconds, lines/s, peak memory, and the
targets beside them:
- logview's throughput at least 2x lnav's;
- ingest's own peak memory under 2.5x the bundle's uncompressed bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

# logview first, as in the app: its allocator settings must be made before polars loads
# (logview/_allocators.py), and bundle imports polars.
import logview as _logview  # noqa: E402, F401, I001
from bundle import DATA, make_bundle, manifest  # noqa: E402

THROUGHPUT_TARGET = 2.0  # logview lines/s over lnav lines/s, at least
MEMORY_TARGET = 2.5  # ingest's own peak over uncompressed bytes, below

LNAV_JSON_FORMAT = {
    "$schema": "https://lnav.org/schemas/format-v1.schema.json",
    "bench_json_log": {
        "title": "logview benchmark JSON lines",
        "description": "The JSON lines written by benchmarks/bundle.py.",
        "json": True,
        "file-pattern": "\\.jsonl",
        "timestamp-field": "ts",
        "level-field": "level",
        "body-field": "msg",
        "value": {
            "logger": {"kind": "string"},
            "order_id": {"kind": "string", "identifier": True},
            "latency_ms": {"kind": "integer"},
        },
    },
}


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_bytes: int  # the tool's own peak resident memory
    entries: int
    detail: str = ""


def _peak_rss_bytes() -> int:
    """Return this process's peak resident size so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _rss_bytes() -> int:
    """Return this process's current resident size (the peak so far where /proc is missing)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return _peak_rss_bytes()


def child(paths: list[str]) -> int:
    """Ingest `paths` once and print seconds, own peak memory and entries as JSON."""
    import polars  # noqa: F401 - imported before the baseline so it does not count as ingest's

    from logview.core.reading.ingest import ingest

    baseline = _rss_bytes()
    start = time.perf_counter()
    result = ingest(paths)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_bytes": _peak_rss_bytes() - baseline,
                "entries": result.table.height,
                "warnings": list(result.warnings),
                "formats": {s.name: s.format for s in result.sources},
            }
        )
    )
    return 0


def run_logview(paths: list[Path]) -> Run:
    """Return one ingest measured in a fresh process."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, __file__, "--child", *map(str, paths)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"logview ingest failed: {last}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    formats = sorted({f"{Path(name).name}={fmt}" for name, fmt in out["formats"].items()})
    detail = f"formats: {', '.join(formats)}"
    if out["warnings"]:
        detail += f"; {len(out['warnings'])} warnings, first: {out['warnings'][0]}"
    return Run(out["seconds"], out["peak_bytes"], out["entries"], detail)


def run_lnav(lnav: str, paths: list[Path]) -> Run:
    """Return one headless lnav pass over `paths`, timed, with its peak memory and entry count."""
    with tempfile.TemporaryDirectory(prefix="lnav-home-") as home:
        formats = Path(home, ".lnav", "formats", "installed")
        formats.mkdir(parents=True)
        (formats / "bench_json_log.json").write_text(json.dumps(LNAV_JSON_FORMAT))
        command = [
            lnav, "-n",
            "-c", ";SELECT filepath, format FROM lnav_file", "-c", ":write-json-to -",
            "-c", ";SELECT count(*) AS entries FROM all_logs", "-c", ":write-json-to -",
            *map(str, paths),
        ]  # fmt: skip
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            process = subprocess.Popen(
                command, stdout=out, stderr=err, env={**os.environ, "HOME": home}
            )
            # wait4 gives this child's own rusage (RUSAGE_CHILDREN would be the largest of all
            # children so far, the logview runs included); output goes to files meanwhile.
            _pid, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise RuntimeError(f"lnav failed ({process.returncode}): {stderr.strip()[:200]}")
    files, counts = _json_documents(stdout)
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    detail = ", ".join(sorted(f"{Path(f['filepath']).name}={f['format']}" for f in files))
    return Run(seconds, peak, int(counts[0]["entries"]), f"formats: {detail}")


def _json_documents(text: str) -> list:
    """Return the JSON documents printed one after another (lnav's :write-json-to output)."""
    decoder = json.JSONDecoder()
    documents, index = [], 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        document, index = decoder.raw_decode(text, index)
        documents.append(document)
    return documents


def _lnav_version(lnav: str) -> str:
    done = subprocess.run([lnav, "-V"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "lnav"


def _median(runs: list[Run]) -> Run:
    """Return the run with the median time, with the largest peak of all runs."""
    by_time = sorted(runs, key=lambda r: r.seconds)
    middle = by_time[len(by_time) // 2]
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.peak_bytes for r in runs),
        middle.entries,
        middle.detail,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)

    paths = make_bundle(DATA, args.lines, args.seed)
    files = manifest(paths)
    lines = sum(int(f["lines"]) for f in files.values())
    entries = sum(int(f["entries"]) for f in files.values())
    raw = sum(int(f["bytes"]) for f in files.values())
    gzipped = sum(1 for p in paths if p.suffix == ".gz")
    print(
        f"bundle: {len(paths)} files ({gzipped} gzipped), {lines:,} lines, {entries:,} entries, "
        f"{raw / 2**20:,.1f} MiB uncompressed; {paths[0].parents[1]}"
    )
    print(f"each tool runs {args.repeat}x; median time, largest peak")

    rows: list[tuple[str, Run]] = []
    logview: Run | None = None
    try:
        logview = _median([run_logview(paths) for _ in range(args.repeat)])
        rows.append(("logview ingest()", logview))
    except RuntimeError as err:
        print(f"logview: not measured: {err}")

    lnav_path = shutil.which("lnav")
    lnav: Run | None = None
    if lnav_path is None:
        print("lnav: not installed; logview's figures only")
    else:
        lnav = _median([run_lnav(lnav_path, paths) for _ in range(args.repeat)])
        rows.append((_lnav_version(lnav_path), lnav))

    print()
    print(f"{'tool':<18}{'seconds':>9}{'lines/s':>13}{'peak MiB':>10}{'entries':>12}")
    for name, run in rows:
        print(
            f"{name:<18}{run.seconds:>9.2f}{lines / run.seconds:>13,.0f}"
            f"{run.peak_bytes / 2**20:>10.1f}{run.entries:>12,}"
        )
    print()
    for name, run in rows:
        check = "all entries" if run.entries == entries else f"expected {entries:,} entries"
        print(f"{name}: {check}; {run.detail}")
    if logview and lnav:
        ratio = lnav.seconds / logview.seconds
        verdict = "PASS" if ratio >= THROUGHPUT_TARGET else "FAIL"
        print(
            f"target throughput logview/lnav >= {THROUGHPUT_TARGET:.1f}x: {ratio:.2f}x  {verdict}"
        )
    if logview:
        share = logview.peak_bytes / raw
        verdict = "PASS" if share < MEMORY_TARGET else "FAIL"
        print(
            f"target ingest peak < {MEMORY_TARGET:.1f}x uncompressed bytes: "
            f"{logview.peak_bytes / 2**20:,.0f} MiB = {share:.2f}x  {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The heavy stages on Dask workers against the local engine, on the generated bundle.

    python benchmarks/cluster.py [--lines 10000000] [--workers 2] [--repeat 1]

On benchmarks/bundle.py's bundle (--lines lines), each run in a fresh process:
- local: `ingest` (no cache) and `mine_entries`, the table and its patterns in one process;
- local+cache: the same with a column cache written (what a first open here leaves, and what
  the cluster leaves in its shared cache);
- cluster: `core.cluster.engine.run` on a Dask LocalCluster of --workers processes (started
  in the run and counted in it), with an empty shared cache: each file parsed into the cache
  and its entries shaped on a worker, the table read back from the cache here, the shapes
  mined here.
Prints the medians, the cluster's per-stage times, the bytes of shapes sent to the client
(per million lines: only shapes come home, not rows, so this is what grows with machines),
and checks that both runs give the same pattern ids and templates. Target (issue 23): on this
2-core machine, local:2 no slower than the local engine at 10M lines.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bundle import make_bundle  # noqa: E402


def child(mode: str, folder: str, workers: int, out: str) -> None:
    """Run one measured pass in this (fresh) process and write its figures to `out`."""
    import hashlib

    from logview.core.analysis.patterns import mine_entries
    from logview.core.cluster import engine
    from logview.core.reading.ingest import ingest

    started = time.monotonic()
    stages: list[tuple[str, float]] = []
    sent = 0
    if mode == "local":
        ingested = ingest([folder])
        stages.append(("parse (here)", time.monotonic() - started))
        begun = time.monotonic()
        mined = mine_entries(ingested.table)
        stages.append(("mine (here)", time.monotonic() - begun))
    elif mode == "local+cache":
        from logview.core.analysis.mined_parts import mine_kept
        from logview.core.reading.column_cache import ColumnCache

        with tempfile.TemporaryDirectory(prefix="logview-cluster-bench-") as folder_:
            cache = ColumnCache(Path(folder_))
            ingested = ingest([folder], cache=cache)
            stages.append(("parse (here)", time.monotonic() - started))
            begun = time.monotonic()
            mined = mine_kept(ingested.table, cache, ingested.cache_key)
            stages.append(("mine (here)", time.monotonic() - begun))
            begun = time.monotonic()
            cache.flush()
            stages.append(("finish writing the cache", time.monotonic() - begun))
    else:
        with tempfile.TemporaryDirectory(prefix="logview-cluster-bench-") as cache:
            begun = time.monotonic()
            backend = engine.DaskBackend(local=workers)
            stages.append(("start the cluster", time.monotonic() - begun))
            try:
                done = engine.run([folder], backend, cache)
            finally:
                backend.close()
            stages += list(done.stages)
            ingested, mined, sent = done.ingested, done.mined, done.bytes_to_client
    seconds = time.monotonic() - started
    digest = hashlib.blake2b(digest_size=16)
    digest.update(mined.ids.cast(str).str.join("\n").item().encode())
    digest.update("\n".join(sorted(t.text for t in mined.by_id.values())).encode())
    Path(out).write_text(json.dumps({
        "seconds": seconds, "stages": stages, "entries": ingested.table.height,
        "patterns": len(mined.by_id), "sent": sent, "digest": digest.hexdigest(),
    }))  # fmt: skip


def measure(mode: str, folder: Path, workers: int) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, __file__, "--child", mode, "--folder", str(folder),
             "--workers", str(workers), "--out", out.name],
            check=True,
        )  # fmt: skip
        return json.loads(Path(out.name).read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", choices=("local", "local+cache", "cluster"))
    parser.add_argument("--folder")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.workers, args.out)
        return 0
    folder = make_bundle(lines=args.lines)[0].parent.parent
    runs: dict[str, list[dict]] = {"local": [], "local+cache": [], "cluster": []}
    for _ in range(args.repeat):
        for mode in runs:  # alternated, so that the machine's noise falls on both
            runs[mode].append(measure(mode, folder, args.workers))
    local, cluster = runs["local"], runs["cluster"]
    entries = local[0]["entries"]
    same = {r["digest"] for r in local + cluster}
    print(f"{folder.name}: {entries:,} entries, {local[0]['patterns']} patterns, "
          f"{args.repeat} run(s) each, local:{args.workers} against the local engine")  # fmt: skip
    for mode, done in runs.items():
        median = statistics.median(r["seconds"] for r in done)
        stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in done[0]["stages"])
        print(f"{mode:8} median {median:6.2f} s  ({stages})")
    sent = statistics.median(r["sent"] for r in cluster)
    print(f"shapes sent to the client: {sent:,.0f} bytes, "
          f"{sent / (entries / 1e6):,.0f} bytes per million lines")  # fmt: skip
    print(f"same pattern ids and templates in every run: {'yes' if len(same) == 1 else 'NO'}")
    cluster_s = statistics.median(r["seconds"] for r in cluster)
    ratio = cluster_s / statistics.median(r["seconds"] for r in local)
    kept = cluster_s / statistics.median(r["seconds"] for r in runs["local+cache"])
    verdict = "PASS" if ratio <= 1.0 and len(same) == 1 else "FAIL"
    print(f"local:{args.workers} / the local engine writing the same cache: {kept:.2f}x")
    print(f"local:{args.workers} / local engine: {ratio:.2f}x; target <= 1.0x: {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())

"""The report of a large table: its time and its size, against the view it reports on.

    python benchmarks/report.py [--lines 2100000] [--repeat 3]

On the generated bundle of benchmarks/bundle.py (--lines lines over two days, cached in
benchmarks/.data/), read with `ingest` (2.06M entries for 2.1M lines: stack traces join), mined
(`mine_entries`) and looked at for anomalies (`detect_kept`) and incidents once, untimed,
as the window has them when File > Export Report is chosen. Then, each --repeat times:
- the baseline: `compute_view` of the reported state (the second day against the previous
  day, its timeline and patterns): the part of a report no report can skip;
- the report: `report_of` (which runs that same `compute_view`, then gathers the anomalies,
  incidents and the most bookmarked entries a report holds (TOP_BOOKMARKS, spread over the
  table) with their context) and `write_report` to HTML and
  to Markdown with its PNG.
Prints the medians, the report's ratio to the baseline of the same run, the files' sizes,
and PASS/FAIL against the targets (issue 22): a report in under 5 s, under 5 MB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from bundle import make_bundle  # noqa: E402

import logview as _logview  # noqa: E402, F401, I001
from logview.core.analysis.incidents import find_incidents  # noqa: E402
from logview.core.analysis.kept_anomalies import detect_kept  # noqa: E402
from logview.core.analysis.patterns import mine_entries  # noqa: E402
from logview.core.analysis.view import ViewState, compute_view  # noqa: E402
from logview.core.investigation import bookmarks  # noqa: E402
from logview.core.investigation.report import report_of, write_report  # noqa: E402
from logview.core.investigation.report_rows import TOP_BOOKMARKS  # noqa: E402
from logview.core.reading.ingest import ingest  # noqa: E402
from logview.core.shared.table import time_order  # noqa: E402

TARGET_S = 5.0
TARGET_BYTES = 5_000_000
EVERY = timedelta(minutes=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    paths = [str(p) for p in make_bundle(lines=args.lines)]
    started = time.perf_counter()
    loaded = ingest(paths)
    table = loaded.table
    order = time_order(table).to_numpy()
    print(f"{table.height:,} entries from {len(loaded.sources)} sources read in "
          f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    started = time.perf_counter()
    mined = mine_entries(table)
    found = detect_kept(table, mined, EVERY, None, None)
    incidents = find_incidents(found, table, mined.ids, EVERY)
    print(f"{len(mined.by_id):,} patterns, {len(found)} anomalies, {len(incidents)} incidents "
          f"found in {time.perf_counter() - started:.1f} s (untimed below)", flush=True)  # fmt: skip
    last = table["ts"].max()
    state = ViewState(start=last - timedelta(days=1), end=last, compare="previous-day")
    rows = table.select("source", "line").gather_every(table.height // TOP_BOOKMARKS + 1)
    marks = [
        bookmarks.entry(str(s), int(n), title="marked").with_note("why this line matters")
        for s, n in rows.iter_rows()
    ]
    view_s, report_s, sizes = [], [], {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeat):
            started = time.perf_counter()
            compute_view(table, state, order, timeline=True, mined=mined)
            view_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            report = report_of(
                table, loaded.sources, state, mined=mined, anomalies=found, incidents=incidents,
                bookmarks=marks, notes="Benchmark run.", order=order,
            )  # fmt: skip
            written = write_report(report, Path(folder, "report.html"))
            written += write_report(report, Path(folder, "report.md"))
            report_s.append(time.perf_counter() - started)
        sizes = {p.name: p.stat().st_size for p in written}
    view, made = statistics.median(view_s), statistics.median(report_s)
    print(f"baseline compute_view (previous day)   median {view:6.2f} s")
    print(f"report_of + HTML + Markdown and PNG    median {made:6.2f} s   "
          f"ratio {made / view:.2f}x the view")  # fmt: skip
    for name, size in sizes.items():
        print(f"  {name:<16} {size / 1e6:8.3f} MB")
    patterns = f"{len(report.patterns)} of {report.patterns_cut.total:,} patterns"
    print(f"  holds {patterns}, {len(report.anomalies)} anomalies, "
          f"{len(report.incidents)} incidents, {len(report.bookmarks)} bookmarks")  # fmt: skip
    fast, small = made < TARGET_S, max(sizes.values()) < TARGET_BYTES
    print(f"{'PASS' if fast else 'FAIL'}: report in {made:.2f} s (target < {TARGET_S:.0f} s)")
    print(f"{'PASS' if small else 'FAIL'}: largest file {max(sizes.values()) / 1e6:.2f} MB "
          f"(target < {TARGET_BYTES / 1e6:.0f} MB)")  # fmt: skip
    return 0 if fast and small else 1


if __name__ == "__main__":
    sys.exit(main())

"""Following a growing file: the cost of one poll against reading the file again.

    python benchmarks/follow.py [--lines 2000000] [--batch 1000] [--polls 20]

Writes a plain-text log of --lines lines and ingests it, then appends --batch lines before
each of --polls polls of `core.reading.follow.Live` (reading, parsing and joining them to the table
with its time order). Prints the median poll, the median of ingesting the whole grown file
again (the baseline: what a user without tail mode would do), and their ratio, plus the
same poll when the batch is stamped earlier than the table's end (the time order sorted
again). Target: a poll of 1,000 lines into 2M rows at least 20x cheaper than re-reading.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import logview  # noqa: E402, F401  (the allocators, as the app sets them)
from logview.core.reading.follow import Live  # noqa: E402
from logview.core.reading.ingest import ingest  # noqa: E402

T0 = datetime(2026, 3, 10, tzinfo=UTC)
TARGET_RATIO = 20.0


def _lines(start: int, count: int, *, shift: timedelta = timedelta(0)) -> str:
    out = []
    for i in range(start, start + count):
        at = T0 + timedelta(milliseconds=40 * i) + shift
        out.append(f"{at:%Y-%m-%d %H:%M:%S}.{at.microsecond // 1000:03d} INFO [worker-{i % 8}] "
                   f"request {i} served in {i % 97} ms\n")  # fmt: skip
    return "".join(out)


def _polls(live: Live, log: Path, start: int, batch: int, polls: int, shift: timedelta) -> list:
    times = []
    for n in range(polls):
        with open(log, "a") as file:
            file.write(_lines(start + n * batch, batch, shift=shift))
        began = time.perf_counter()
        polled = live.poll()
        times.append(time.perf_counter() - began)
        assert polled.frames, "a poll found nothing"
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--polls", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="logview-bench-") as tmp:
        log = Path(tmp, "app.log")
        with open(log, "w") as file:
            for start in range(0, args.lines, 100_000):
                file.write(_lines(start, min(100_000, args.lines - start)))
        live = Live(ingest([log]))
        in_order = _polls(live, log, args.lines, args.batch, args.polls, timedelta(0))
        # A batch an hour in the past (a lagging clock): the whole order is sorted again.
        late = _polls(
            live, log, args.lines + args.batch * args.polls, args.batch, 3, -timedelta(hours=1)
        )
        rereads = []
        for _ in range(3):
            began = time.perf_counter()
            again = ingest([log])
            rereads.append(time.perf_counter() - began)
        live.poll()
        rows = live.table.height
        assert rows == again.table.height, (rows, again.table.height)
    poll = statistics.median(in_order)
    reread = statistics.median(rereads)
    ratio = reread / poll
    print(f"{args.lines:,} lines + {args.polls} polls of {args.batch:,} ({rows:,} rows at the end)")
    print(f"poll (in order)       median {poll * 1000:8.1f} ms")
    print(f"poll (stamped earlier) median {statistics.median(late) * 1000:7.1f} ms")
    print(f"re-reading the file   median {reread * 1000:8.1f} ms")
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"ratio re-read / poll: {ratio:.1f}x (target >= {TARGET_RATIO:g}x)  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Per-file overhead: a bundle of many small files against the same lines in one file.

    python benchmarks/many_files.py [--files 500] [--lines 200] [--repeat 3]

Support bundles often hold hundreds of small logs, so what ingest spends per source (format
sniffing, layout detection, setting up a parse) matters as much as lines per second. This
writes N files of M plain-text lines each and one file holding all N*M lines, ingests both
(median of --repeat runs, in this process), and prints the seconds, the ratio many/one and
the cost of a file beyond its lines. Target: at most 2 ms a file (500 files in one more second
than their lines alone).

It also times format detection alone, as ingest runs it on a source's first bytes (the binary
formats, then every text format on the decoded sample), on the plain text files above and on
heads of other kinds (JSON lines, syslog, an access log, logfmt, a PostgreSQL log): the median
per source against the target of 10 ms a source.
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

from logview.core.reading import registry  # noqa: E402
from logview.core.reading.formats import Sample  # noqa: E402
from logview.core.reading.ingest import ingest  # noqa: E402
from logview.core.reading.lines import detect_encoding, sample_lines  # noqa: E402
from logview.core.reading.parsers import text as plain_text  # noqa: E402

TARGET_MS_PER_FILE = 2.0
TARGET_SNIFF_MS = 10.0

# Heads of other kinds, each line formatted with its number, for the sniffing figure.
_OTHER_KINDS = {
    "json": '{{"time":"2026-03-10T14:00:{s:02d}Z","level":"info","msg":"request {i} done"}}',
    "syslog": "Mar 10 14:00:{s:02d} web-1 nginx[{i}]: request {i} done",
    "access": '10.0.0.{s} - - [10/Mar/2026:14:00:{s:02d} +0000] "GET /a/{i} HTTP/1.1" 200 {i}',
    "logfmt": 'ts=2026-03-10T14:00:{s:02d}Z level=info msg="request {i} done"',
    "postgres": "2026-03-10 14:00:{s:02d}.123 UTC [{i}] LOG:  checkpoint {i} starting",
}


def _line(i: int) -> str:
    return (
        f"2026-03-10 14:{i % 60:02d}:{i % 60:02d}.123 INFO [main] request {i} done in {i % 97} ms\n"
    )


def _median_seconds(paths: list[Path], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        # Every source is a new sample: nothing remembered from the same head sniffed before.
        plain_text._stamped_share.cache_clear()
        start = time.perf_counter()
        ingest(paths)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _sniff_ms(name: str, head: bytes, repeat: int) -> float:
    """Return the median milliseconds of detecting the format of a source whose first bytes
    are `head`, as ingest does."""
    times = []
    for _ in range(repeat):
        # Every source is a new sample: nothing remembered from the same head sniffed before.
        plain_text._stamped_share.cache_clear()
        start = time.perf_counter()
        registry.sniff(Sample(name, head, ()), binary_only=True)
        encoding = detect_encoding(head)
        registry.sniff(Sample(name, head, sample_lines(head, encoding)))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _sniff_report(plain_head: bytes, lines: int, repeat: int) -> None:
    heads = {"plain text": plain_head}
    for kind, line in _OTHER_KINDS.items():
        text = "".join(line.format(i=i, s=i % 60) + "\n" for i in range(lines))
        heads[kind] = text.encode()
    costs = {kind: _sniff_ms(f"x.{kind}", head, repeat * 20) for kind, head in heads.items()}
    worst = max(costs.values())
    verdict = "PASS" if worst <= TARGET_SNIFF_MS else "FAIL"
    figures = ", ".join(f"{kind} {ms:.1f}" for kind, ms in costs.items())
    print(f"format detection, ms a source (median): {figures}")
    print(f"target < {TARGET_SNIFF_MS:.0f} ms a source: worst {worst:.1f} ms  {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="logview-bench-") as tmp:
        many, one = Path(tmp, "many"), Path(tmp, "one.log")
        many.mkdir()
        body = "".join(_line(i) for i in range(args.lines))
        # Each file its own text (a service name), as in a real bundle: identical files would
        # let anything remembered from one sample serve the next.
        texts = [body.replace(" request ", f" svc{n} request ") for n in range(args.files)]
        for n, text in enumerate(texts):
            (many / f"svc{n:04d}.log").write_text(text)
        one.write_text("".join(texts))
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
    _sniff_report(body.encode(), args.lines, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Generate the fuzz seed corpus (at least 300 files) into fuzz/out/seeds/<target>/.

Seeds come from the project's own generators and samples, never downloaded: the hostile
archive corpus (tests/hostile_corpus.py, files under 256 KiB), the demo bundle
(logview.core.demo), slices of the Loghub 2k samples when /work/shared/data/loghub-2k (or
$LOGHUB_2K) is there, the same slices compressed and archived, and the queries of
logview/resources/query.md.

Usage: python fuzz/make_corpus.py [--out fuzz/out/seeds]
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import lzma
import os
import re
import sys
import tarfile
import tempfile
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile_corpus  # noqa: E402

LOGHUB = Path(os.environ.get("LOGHUB_2K", "/work/shared/data/loghub-2k"))
MAX_SEED = 256 * 1024
EXTRA_QUERIES = [
    "ERROR",
    '"connection reset"',
    "/time(out|d out)/i",
    "-DEBUG error",
    "fields @timestamp, @message | sort @timestamp desc | limit 20",
    'filter @level in ["ERROR", "FATAL"] | stats count(*) by bin(5m)',
    "stats count(*) as n, avg(took) by source | sort n desc",
    "parse @message /took (?<ms>\\d+) ms/ | filter ms > 100",
    'parse @message "* took * ms" as what, ms | stats max(ms) by what',
    "filter @message like /^GET / and status >= 500",
    "dedup @pattern | display @pattern, @message",
    'filter @pattern = "abc" | limit 1',
    "stats count(*) by bin(1h), @level",
    "filter ispresent(status) and not status =~ /^2/",
    "fields strlen(@message) as n | sort n desc | limit 3",
]


def _slices(text: bytes, lines: int, count: int) -> list[bytes]:
    rows = text.splitlines(keepends=True)
    step = max(1, len(rows) // count)
    return [b"".join(rows[i : i + lines]) for i in range(0, len(rows), step)][:count]


def _text_seeds() -> list[tuple[str, bytes]]:
    seeds: list[tuple[str, bytes]] = []
    if LOGHUB.is_dir():
        for log in sorted(LOGHUB.glob("*/*_2k.log")):
            for index, part in enumerate(_slices(log.read_bytes(), 60, 12)):
                seeds.append((f"loghub-{log.parent.name}-{index}.log", part))
    from logview.core.demo import write_demo_bundle

    with tempfile.TemporaryDirectory() as folder:
        bundle = write_demo_bundle(Path(folder) / "demo")
        for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
            data = path.read_bytes()
            if path.suffix in (".gz", ".zip", ".evtx") or data[:2] == b"\x1f\x8b":
                seeds.append((f"demo-{path.name}", data[:MAX_SEED]))
                continue
            for index, part in enumerate(_slices(data, 40, 4)):
                seeds.append((f"demo-{path.stem}-{index}{path.suffix}", part))
    return seeds


def _archives(text_seeds: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    seeds: list[tuple[str, bytes]] = []
    with tempfile.TemporaryDirectory() as folder:
        for case in hostile_corpus.CASES:
            if case.name in ("device-given-directly", "folder-link-loop-and-escape"):
                continue
            for path in hostile_corpus.build(case, Path(folder) / case.name):
                if path.is_file() and path.stat().st_size <= MAX_SEED:
                    seeds.append((f"hostile-{case.name}-{path.name}", path.read_bytes()))
    packers = {
        "gz": lambda b: gzip.compress(b, mtime=0),
        "bz2": bz2.compress,
        "xz": lzma.compress,
        "zst": lambda b: zstandard.ZstdCompressor().compress(b),
    }
    for index, (name, data) in enumerate(text_seeds[::3]):
        kind = list(packers)[index % 4]
        seeds.append((f"{name}.{kind}", packers[kind](data)))
        if index % 2:
            seeds.append((f"{name}.zip", hostile_corpus.zip_bytes({name: data})))
        else:
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
                info = tarfile.TarInfo(f"logs/{name}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            seeds.append((f"{name}.tar.gz", buffer.getvalue()))
    return seeds


def _queries() -> list[tuple[str, bytes]]:
    doc = (ROOT / "logview" / "resources" / "query.md").read_text(encoding="utf-8")
    found = re.findall(r"`([^`\n]{3,200})`", doc)
    blocks = re.findall(r"```[a-z]*\n(.*?)```", doc, flags=re.S)
    texts = [
        *found,
        *(line for b in blocks for line in b.splitlines() if line.strip()),
        *EXTRA_QUERIES,
    ]
    unique = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
    return [(f"query-{i:03d}.txt", t.encode()) for i, t in enumerate(unique)]


def make(out: Path) -> dict[str, int]:
    """Write the seeds of every target under `out`; return the count per target."""
    text = _text_seeds()
    sets = {
        "sniff": text,
        "ingest_file": text + _archives(text)[:40],
        "archive": _archives(text),
        "query": _queries(),
        "patterns": text,
    }
    counts = {}
    for target, seeds in sets.items():
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in seeds:
            (folder / re.sub(r"[^\w.-]", "_", name)).write_bytes(data)
        counts[target] = len(list(folder.iterdir()))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz" / "out" / "seeds")
    args = parser.parse_args()
    counts = make(args.out)
    for target, count in counts.items():
        print(f"{target:12} {count:5} seeds")
    print(f"{'all':12} {sum(counts.values()):5} seeds in {args.out}")


if __name__ == "__main__":
    main()

"""atheris fuzz targets: format sniffing, ingest of a file, archive reading, the query language,
the pattern engine. Not run in CI; see fuzz/run.py and fuzz/README.md.

Usage: python fuzz/targets.py TARGET [libFuzzer options] [CORPUS_DIR ...]

A target lets through only the errors logview promises (LogviewError and its QueryError); any
other exception is a crash for libFuzzer to report, with the input saved as a crash file.
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["logview"]):
    import logview  # noqa: F401 - first: it sets the allocators up before polars loads
    from logview.core.analysis.patterns import mine_messages
    from logview.core.analysis.query import run_query
    from logview.core.reading import registry
    from logview.core.reading.formats import Sample
    from logview.core.reading.ingest import ingest
    from logview.core.reading.lines import HEAD_BYTES, binary_reason, detect_encoding, sample_lines
    from logview.core.reading.sources import Limits, SourceWalker
    from logview.core.shared.errors import LogviewError

import polars as pl  # noqa: E402

# Small limits keep one input fast: a bomb trips in about a megabyte.
LIMITS = Limits(max_total_bytes=64 << 20, ratio_grace_bytes=1 << 20, max_members=2000)
_FOLDER = tempfile.mkdtemp(prefix="logview-fuzz-")
_TABLE = pl.DataFrame(
    {
        "ts": pl.Series(
            [1_700_000_000_000_000 + i * 1_000_000 for i in range(6)],
            dtype=pl.Datetime("us", "UTC"),
        ),
        "level": ["INFO", "ERROR", "WARN", "INFO", "DEBUG", None],
        "source": ["a.log", "a.log", "b.log", "b.log", "c.log", "c.log"],
        "line": pl.Series(range(1, 7), dtype=pl.UInt64),
        "message": [
            "GET /api/users/17 200 12ms",
            "connection reset by peer 10.0.0.7",
            'user="bob" action=login status=ok',
            "request 42 took 317 ms",
            "cache miss for sku-998",
            "",
        ],
        "seq": pl.Series(range(6), dtype=pl.UInt32),
        "status": ["200", None, "ok", None, None, "500"],
    }
)


def _file(data: bytes, name: str = "input.log") -> str:
    path = os.path.join(_FOLDER, name)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def sniff(data: bytes) -> None:
    """Binary check, encoding and format sniffing on the head of a source."""
    head = data[:HEAD_BYTES]
    registry.sniff(Sample("input.log", head, ()), binary_only=True)
    if binary_reason(head):
        return
    encoding = detect_encoding(head)
    registry.sniff(Sample("input.log", head, sample_lines(head, encoding)))


def ingest_file(data: bytes) -> None:
    """The whole ingest of one file: walk, sniff, parse, merge."""
    try:
        ingest([_file(data)], limits=LIMITS)
    except LogviewError:
        pass


def archive(data: bytes) -> None:
    """The walker over any bytes taken as a (compressed) archive, every member read whole."""
    walker = SourceWalker([_file(data, "input.bin")], LIMITS)
    for member in walker:
        try:
            while member.stream.read(1 << 20):
                pass
        except LogviewError:
            pass


def query(data: bytes) -> None:
    """The query language: lexer, parser, compiler and run, on a small table."""
    text = data.decode("utf-8", errors="replace")
    try:
        run_query(_TABLE, text)
    except LogviewError:
        pass


def patterns(data: bytes) -> None:
    """The pattern engine on the input's lines."""
    lines = data.decode("utf-8", errors="replace").split("\n")[:500]
    mined = mine_messages(pl.Series(lines, dtype=pl.String))
    assert mined.ids.len() == len(lines)


TARGETS = {f.__name__: f for f in (sniff, ingest_file, archive, query, patterns)}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options] [CORPUS]")
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

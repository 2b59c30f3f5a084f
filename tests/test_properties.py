"""Properties that hold for any input: about 2,000 generated examples per run (hypothesis).

Each test states its example count; together they come to EXAMPLES. The pattern engine's time
per line is a sanity cap (generous, on batches), not a benchmark: benchmarks/patterns.py
measures speed.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import os
import re
import tempfile
import time
from itertools import count
from pathlib import Path

import polars as pl
import pytest
import zstandard
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from logview.core.analysis.export import write_table
from logview.core.analysis.patterns import mine_messages
from logview.core.analysis.query import QueryError, run_query
from logview.core.reading.levels import level_from_text
from logview.core.reading.lines import (
    ANSI,
    NUL_REMOVED,
    Encoding,
    LineReader,
    binary_reason,
    detect_encoding,
    shown,
)
from logview.core.reading.member_names import clean_member_name, escaped
from logview.core.reading.sources import Limits, SourceWalker
from logview.core.reading.stamp_search import detect_layout
from logview.core.reading.timestamps import extract_stamps
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import LEVELS

COUNTS = {
    "line_rows": 300,
    "lossless": 250,
    "decode_any": 150,
    "timestamps": 200,
    "levels": 150,
    "names": 300,
    "walker": 200,
    "export": 200,
    "patterns": 150,
    "queries": 150,
}
EXAMPLES = sum(COUNTS.values())  # 2,050


def examples(name: str):
    """Return the settings for a property: its example count, no deadline (polars warms up)."""
    return settings(
        max_examples=COUNTS[name],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Lines made of the characters logs are made of, and of the ones that break readers.
LOG_CHARS = st.sampled_from(
    list("abcXYZ019 :-_/.[]{}=\"',;|<>()@#\t") + ["\r", "\x00", "\x1b", "\u00e9", "\u2028", "\f"]
)
LINE = st.text(LOG_CHARS, max_size=80) | st.text(max_size=40)
CHUNK = st.integers(1, 64)


def _read_lines(data: bytes, chunk: int, encoding: str = "utf-8") -> LineReader:
    # Slices of a few chunks: lines are split at many slice boundaries too.
    reader = LineReader(Encoding(encoding), chunk_bytes=chunk, slice_bytes=3 * chunk)
    reader.frame = reader.read(io.BytesIO(data))  # type: ignore[attr-defined]
    return reader


# --- line splitting and decoding ---------------------------------------------------------------


@pytest.mark.slow
@examples("line_rows")
@given(
    data=st.binary(max_size=400) | st.lists(LINE).map(lambda ls: "\n".join(ls).encode()),
    chunk=CHUNK,
)
def test_rows_equal_the_newline_count_plus_an_unended_last_line(data, chunk):
    frame = _read_lines(data, chunk).frame
    assert frame.height == data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    assert frame["line"].to_list() == list(range(1, frame.height + 1))


@pytest.mark.slow
@example(lines=["\ufeff"], chunk=1, ended=False)
@example(lines=["a \x1b[31mred\x1b[0m", "\ufeff\x1b]0;t\x07b"], chunk=3, ended=True)
@examples("lossless")
@given(
    lines=st.lists(st.text(max_size=60).map(lambda t: t.replace("\n", "").replace("\r", ""))),
    chunk=CHUNK,
    ended=st.booleans(),
)
def test_valid_utf8_text_comes_back_exactly(lines, chunk, ended):
    text = "\n".join(lines) + ("\n" if ended else "")
    rows = _read_lines(text.encode(), chunk).frame["text"].to_list()
    expected = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    # NUL characters are never a log's text (see LineReader._split): removed, and said so;
    # so are terminal control sequences, and a byte-order mark opening a line (a file cat'ed
    # onto another), with a note.
    # Backspaces (and a cursor moved back) are read as a terminal shows them.
    expected = [
        _as_shown(re.sub(ANSI, "", _CURSOR_BACK.sub(_back, line.replace("\x00", "")))).lstrip(
            "\ufeff"
        )
        for line in expected
    ]
    assert rows == (expected if text else [])
    reader = _read_lines(text.encode(), chunk)
    assert reader.problems == ([NUL_REMOVED] if "\x00" in text else [])


@examples("decode_any")
@given(data=st.binary(max_size=600), chunk=CHUNK)
def test_any_bytes_decode_without_raising_in_the_encoding_detected(data, chunk):
    binary_reason(data)
    encoding = detect_encoding(data)
    reader = LineReader(encoding, chunk_bytes=chunk)
    frame = reader.read(io.BytesIO(data[encoding.bom :]))
    assert frame["text"].null_count() == 0


# --- timestamps and levels ---------------------------------------------------------------------

STAMPS = st.sampled_from(
    [
        "2024-05-06 07:08:09,123",
        "2024-05-06T07:08:09.123456Z",
        "2024-02-30T25:61:61+14:00",
        "May  6 07:08:09",
        "06/May/2024:07:08:09 +0200",
        "1715000000",
        "1715000000123",
        "Mon May  6 07:08:09 2024",
        "9999-99-99 99:99:99",
        "",
    ]
)


@pytest.mark.slow
@examples("timestamps")
@given(
    lines=st.lists(
        st.tuples(STAMPS, LINE).map(lambda p: f"{p[0]} {p[1]}"), min_size=1, max_size=20
    ),
    zone=st.sampled_from([None, "UTC", "Europe/Berlin", "America/St_Johns"]),
)
def test_timestamp_detection_and_reading_never_raise(lines, zone):
    layout = detect_layout(lines)
    if layout is None:
        return
    ts, header_end = extract_stamps(pl.Series(lines, dtype=pl.String), layout, tz=zone)
    assert ts.len() == header_end.len() == len(lines)
    assert header_end.filter(ts.is_not_null()).null_count() == 0  # a stamp read has its end


@pytest.mark.slow
@examples("levels")
@given(
    lines=st.lists(
        LINE | st.sampled_from(["<3>x", "E0312 x", "[error] x", "level=warn", "E/Tag: x"]),
        max_size=30,
    )
)
def test_level_detection_never_raises_and_gives_known_levels(lines):
    found = level_from_text(pl.Series(lines, dtype=pl.String))
    assert found.len() == len(lines)
    assert set(found.drop_nulls().to_list()) <= set(LEVELS)


# --- member names ------------------------------------------------------------------------------

NAME_PARTS = st.sampled_from(
    ["..", ".", "", "a", "logs", "CON", "aux.txt", "C:", "x\ny", "\\", "/", "é", "a b"]
)


@pytest.mark.slow
@examples("names")
@given(name=st.lists(NAME_PARTS, max_size=8).map("/".join) | st.text(max_size=30))
def test_a_cleaned_member_name_is_relative_inside_and_clean_again(name):
    clean = clean_member_name(name)
    if clean.path is None:
        assert clean.refusal
        assert "\n" not in escaped(name) and "\r" not in escaped(name)
        return
    parts = clean.path.split("/") if clean.path else []
    assert ".." not in parts and "" not in parts and "." not in parts
    assert not clean.path.startswith("/") and "\\" not in clean.path
    assert clean_member_name(clean.path).path == clean.path


# --- bounded decompression ---------------------------------------------------------------------

_WRAP = {
    "raw": lambda b: b,
    "gz": lambda b: gzip.compress(b, mtime=0),
    "bz2": bz2.compress,
    "xz": lzma.compress,
    "zst": lambda b: zstandard.ZstdCompressor().compress(b),
}
SMALL = Limits(max_total_bytes=4 << 20, ratio_grace_bytes=64 << 10, max_ratio=50, max_members=50)
_FOLDER = Path(tempfile.mkdtemp(prefix="logview-properties-"))
_NAMES = count()


@pytest.fixture(scope="module", autouse=True)
def _cleanup_folder():
    yield
    for path in _FOLDER.iterdir():
        path.unlink()
    _FOLDER.rmdir()


@pytest.mark.slow
@examples("walker")
@given(
    payload=st.binary(max_size=300)
    | st.sampled_from([b"PK\x03\x04", b"ustar", b"\x1f\x8b"]).flatmap(
        lambda m: st.binary(max_size=200).map(lambda b: m + b)
    ),
    wrap=st.lists(st.sampled_from(sorted(_WRAP)), max_size=3),
    cut=st.none() | st.floats(0, 1),
    flips=st.lists(st.integers(0, 10_000), max_size=3),
)
def test_any_compressed_or_damaged_bytes_end_in_data_or_a_warning_within_the_limits(
    payload, wrap, cut, flips
):
    data = payload
    for kind in wrap:
        data = _WRAP[kind](data)
    data = bytearray(data[: round(len(data) * cut)] if cut is not None else data)
    for flip in flips:
        if data:
            data[flip % len(data)] ^= 0x5A
    path = _FOLDER / f"{next(_NAMES)}.bin"
    path.write_bytes(bytes(data))
    walker = SourceWalker([path], SMALL)
    total = 0
    for member in walker:
        try:
            while chunk := member.stream.read(64 << 10):
                total += len(chunk)
        except LogviewError:
            pass
    assert total <= SMALL.max_total_bytes
    path.unlink()


# --- export ------------------------------------------------------------------------------------


@pytest.mark.slow
@examples("export")
@given(
    cells=st.lists(
        st.tuples(st.text(max_size=30), st.text(max_size=10) | st.none()), min_size=1, max_size=10
    )
)
def test_csv_cells_read_back_as_written_with_formulas_quoted_and_jsonl_exactly(cells):
    frame = pl.DataFrame(
        {"message": [c[0] for c in cells], "user": [c[1] for c in cells]},
        schema={"message": pl.String, "user": pl.String},
    )
    out = io.BytesIO()
    write_table(frame, out, "csv")
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
    assert rows[0] == ["message", "user"]
    assert len(rows) == len(cells) + 1

    def shown(value: str | None) -> str:
        if value is None:
            return ""
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    assert [tuple(r) for r in rows[1:]] == [(shown(m), shown(u)) for m, u in cells]
    out = io.BytesIO()
    write_table(frame, out, "jsonl")
    back = [json.loads(line) for line in out.getvalue().decode("utf-8").split("\n") if line]
    assert [(r["message"], r["user"]) for r in back] == cells


# --- the pattern engine and the query language -----------------------------------------------

MESSAGES = st.lists(
    LINE
    | st.sampled_from(
        ["GET /a/1 200 12ms", "user 42 logged in from 10.0.0.1", "<*> <*>", "x" * 3000]
    ),
    min_size=1,
    max_size=40,
)


@pytest.mark.slow
@examples("patterns")
@given(messages=MESSAGES)
def test_mining_never_raises_gives_every_message_an_id_and_keeps_a_time_cap(messages):
    mine_messages(pl.Series(["warm up"]))
    started = time.perf_counter()
    mined = mine_messages(pl.Series(messages, dtype=pl.String))
    elapsed = time.perf_counter() - started
    assert mined.ids.len() == len(messages) and mined.ids.null_count() == 0
    assert set(mined.ids.to_list()) <= set(mined.by_id)
    # A sanity cap, far above the real cost (about 0.1 ms a line): 50 ms a line on the batch.
    assert elapsed <= 0.25 + 0.05 * len(messages)


QUERY_WORDS = st.sampled_from(
    ["fields", "filter", "stats", "count(*)", "by", "bin(5m)", "sort", "limit", "parse", "dedup",
     "@message", "@timestamp", "like", "/a+/", "/(/", "=~", "|", "(", ")", '"x"', "and", "not",
     "in", "[1,2]", "5", "-", "*", "@pattern", "as", "desc", "/(?<u>\\S+)/", "display"]
)  # fmt: skip
_TABLE = pl.DataFrame(
    {
        "ts": pl.Series([None, None], dtype=pl.Datetime("us", "UTC")),
        "level": pl.Series(["INFO", "ERROR"]),
        "source": ["a.log", "b.log"],
        "line": pl.Series([1, 1], dtype=pl.UInt64),
        "message": ["user 1 logged in", "GET /x 500"],
        "seq": pl.Series([0, 1], dtype=pl.UInt32),
    }
)


@examples("queries")
@given(words=st.lists(QUERY_WORDS | LINE, max_size=10))
def test_any_query_text_gives_a_result_or_a_query_error(words):
    text = " ".join(words)
    try:
        run_query(_TABLE, text)
    except QueryError as err:
        assert str(err) and "\n" not in str(err).strip()


def test_the_properties_come_to_about_two_thousand_examples():
    assert 1800 <= EXAMPLES <= 2200
    assert os.environ.get("HYPOTHESIS_PROFILE", "") in ("", "default")


_CURSOR_BACK = re.compile(r"\x1b\[(\d*)D")


def _back(found: re.Match[str]) -> str:
    return "\x08" * int(found[1] or 1)


def _as_shown(line: str) -> str:
    return shown(line) if "\x08" in line or "\r" in line else line

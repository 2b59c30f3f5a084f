"""Bugs the hostile-input suite found, each held to its fix (see tests/hostile_corpus.py)."""

from __future__ import annotations

import gzip
import io
import threading
import time

import polars as pl
import pytest
from hostile_corpus import (
    LOG,
    MiB,
    bomb_bz2,
    bomb_xz,
    bomb_zstd,
    tar_end,
    tar_header,
    tar_member,
    zip_bytes,
    zip_of_many,
)

from logview.core.analysis.query import QueryError, run_query
from logview.core.reading.ingest import ingest
from logview.core.reading.lines import Encoding, LineReader
from logview.core.reading.member_names import clean_member_name
from logview.core.reading.sources import Limits, SourceWalker
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import empty_table

DEFAULT_LIMITS = Limits()


def _with_size_field(header: bytes, field: bytes) -> bytes:
    """Return a tar header with its 12-byte size field replaced and its checksum redone."""
    patched = bytearray(header)
    patched[124:136] = field
    patched[148:156] = b" " * 8
    patched[148:156] = b"%06o\x00 " % sum(patched)
    return bytes(patched)


def _walk_within(
    paths, seconds: float, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Return what a walk yields, failing if it has not ended after `seconds` (it would hang)."""
    out: dict[str, object] = {}

    def run() -> None:
        walker = SourceWalker([str(p) for p in paths], limits)
        out["seen"] = [(m.name, m.stream.read()) for m in walker]
        out["warnings"] = walker.warnings

    thread = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the walk did not end within {seconds} s"
    assert time.monotonic() - started < seconds
    return out["seen"], out["warnings"]  # type: ignore[return-value]


@pytest.mark.parametrize("kind", [b"0", b"Z"], ids=["regular", "unknown-type"])
def test_tar_member_declaring_2_to_the_62_bytes_ends_as_truncated_not_a_hang(tmp_path, kind):
    # tarfile skipped the declared size in 10 KiB reads even past the end: 4.5e14 reads.
    size = b"\x80" + (1 << 62).to_bytes(11, "big")  # GNU base-256 size field
    header = _with_size_field(tar_header(b"huge.log", 0, kind), size)
    path = tmp_path / "huge.tar"
    path.write_bytes(header + LOG)
    seen, warnings = _walk_within([path], 5)
    if kind == b"0":
        assert seen == [(f"{path}/huge.log", LOG)]
        assert warnings == [f"{path}/huge.log: truncated: read {len(LOG):,} bytes before the end"]
    else:
        assert seen == []
        assert warnings == [
            f"{path}/huge.log: skipped: not a regular file",
            f"{path}: truncated: read {len(header) + len(LOG):,} bytes before the end",
        ]


def test_tar_member_declaring_8_gib_ends_quickly(tmp_path):
    path = tmp_path / "huge.tar"
    path.write_bytes(tar_header(b"a.log", (8 << 30) - 1) + LOG + tar_end())
    started = time.monotonic()
    seen, warnings = _walk_within([path], 5)
    assert time.monotonic() - started < 0.5  # was 1.3 s of empty 10 KiB reads
    assert len(seen) == 1 and seen[0][1].startswith(LOG)
    assert len(warnings) == 1 and "truncated" in warnings[0]


def test_zip_whose_end_record_understates_its_entries_is_refused_before_loading(tmp_path):
    # zipfile reads the directory by its size and never looks at the count: a zip of 200,000
    # entries declaring 3,392 (200,000 mod 65,536) took 35 s and 430 MiB before the cap tripped.
    path = tmp_path / "lies.zip"
    path.write_bytes(zip_of_many(200, declared=3))
    seen, warnings = _walk_within([path], 5, Limits(max_members=100))
    assert seen == []
    assert warnings == [
        f"{path}: stopped: declares 200 members, past the limit of 100 archive members in all"
    ]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["bz2", "xz", "zst"])
def test_bomb_is_stopped_soon_after_the_grace_whatever_its_compression(tmp_path, kind):
    # Decompressors were fed 64 KiB (zstd 128 KiB) at a time, all of it counted as taken: a
    # bomb of any ratio produced 64-128 MiB (1-2M rows, 300-390 MiB of memory) before it tripped.
    bomb = {"bz2": bomb_bz2, "xz": bomb_xz, "zst": bomb_zstd}[kind](512 * MiB)
    path = tmp_path / f"bomb.log.{kind}"
    path.write_bytes(bomb)
    walker = SourceWalker([str(path)])
    for member in walker:
        read = 0
        with pytest.raises(LogviewError, match="over 1000:1"):
            while chunk := member.stream.read(MiB):
                read += len(chunk)
        assert read <= Limits().ratio_grace_bytes + MiB


def test_an_archive_of_many_refused_members_lists_a_hundred_and_counts_the_rest(tmp_path):
    # 10^5 hard links made 10^5 warning lines, each an item in the window's warnings list.
    links = b"".join(tar_header(b"l%05d" % i, 0, b"1", b"../../etc/passwd") for i in range(250))
    path = tmp_path / "links.tar"
    path.write_bytes(links + tar_member(b"ok.log", LOG) + tar_end())
    seen, warnings = _walk_within([path], 5)
    assert seen == [(f"{path}/ok.log", LOG)]
    assert len(warnings) == 101
    assert warnings[0] == f"{path}/l00000: skipped: hard link to ../../etc/passwd"
    assert warnings[-1] == f"{path}: skipped 150 more members, not listed"


@pytest.mark.parametrize("start", [b"x^ marks the spot", b"x\x01 odd", b"x\x9c\xab odd"])
def test_a_text_file_starting_like_compressed_data_is_read_as_text(tmp_path, start):
    # polars' read_lines decompressed bytes that start like zlib, gzip or zstd: "x^..." raised
    # OSError out of ingest, "x\x01..." gave no rows at all.
    path = tmp_path / "odd.log"
    path.write_bytes(start + b"\n2024-05-06 07:08:09 INFO ok\n")
    found = ingest([path])
    first, second = found.table["message"].to_list()  # in whatever encoding was detected
    assert first.startswith("x") and first.endswith(start[-3:].decode("latin-1"))
    assert second == "2024-05-06 07:08:09 INFO ok"


def test_compressed_bytes_at_a_chunk_start_stay_text_and_are_never_inflated():
    # A chunk of lines that is a gzip stream was inflated by polars, with no limit on its size.
    hidden = gzip.compress(b"inflated\n" * 1000, mtime=0)
    data = b"first\n" + hidden + b"\nlast\n"
    reader = LineReader(Encoding("utf-8"), chunk_bytes=6)  # "first\n" ends the first chunk
    frame = reader.read(io.BytesIO(data))
    assert frame.height == data.count(b"\n")
    assert "inflated" not in "".join(frame["text"].to_list())
    assert frame["text"][0] == "first" and frame["text"][-1] == "last"


def test_a_drive_letter_behind_a_dot_segment_is_refused():
    # "./C:/Windows/x.log" was cleaned to "C:/Windows/x.log" after the drive check.
    assert clean_member_name("./C:/Windows/x.log").refusal == "member path has a drive letter"
    assert clean_member_name("././c:x.log").refusal == "member path has a drive letter"
    assert clean_member_name("logs/C:x.log").path == "logs/C:x.log"  # not at the start


@pytest.mark.parametrize("odd", ["x\ry", '"x\ry'], ids=["lone-cr", "open-quote"])
def test_a_csv_that_cannot_be_read_costs_its_format_not_its_lines(tmp_path, odd):
    # Found by fuzzing: the CSV sniffer let csv.Error out of ingest ("new-line character seen
    # in unquoted field" for a lone carriage return inside a sampled line); and a CSV polars
    # refused (an open quote) was skipped whole, its lines lost, instead of read as text.
    path = tmp_path / "odd.log"
    path.write_text(f"time,level,message\n2024-05-06 07:08:09,INFO,{odd}\n", encoding="utf-8")
    found = ingest([path])
    assert found.table.height >= 1
    assert "".join(found.table["message"].to_list()).count("x") == 1
    assert all("\n" not in warning for warning in found.warnings)  # one line each


@pytest.mark.parametrize(
    "text", ["status \u00b95 0| 0 sort x", "limit \u0663", "filter x > \u2460", "\u00b2"]
)
def test_a_unicode_digit_in_a_query_gives_a_result_or_an_error_for_people(text):
    # Found by fuzzing: str.isdigit() took "¹" for a number's start and an assert failed.
    table = empty_table().with_columns(pl.lit(0, pl.UInt32).alias("seq"))
    try:
        run_query(table, text)
    except QueryError as err:
        assert str(err)


def test_a_hostile_member_name_is_cut_short_in_its_warning(tmp_path):
    # A pax header's bad records made a 2 KiB name of escaped NULs, all of it in the warning.
    name = b"bad\x01" + b"\x00" * 300
    path = tmp_path / "long.tar"
    path.write_bytes(_pax_named(name) + tar_member(b"ok.log", LOG) + tar_end())
    _, warnings = _walk_within([path], 5)
    assert len(warnings) == 1 and "member name has control characters" in warnings[0]
    assert len(warnings[0]) < len(str(path)) + 300


def _pax_named(name: bytes) -> bytes:
    body = b" path=" + name + b"\n"
    length = len(body) + 1
    while len(str(length)) + len(body) != length:  # the length counts its own digits
        length += 1
    record = str(length).encode() + body
    return (
        tar_header(b"././@PaxHeader", len(record), b"x")
        + record
        + bytes(-len(record) % 512)
        + (tar_header(b"placeholder", len(LOG)) + LOG + bytes(-len(LOG) % 512))
    )


def test_a_zip_member_with_an_empty_name_is_passed_over(tmp_path):
    # Found by fuzzing: zipfile's ZipInfo.is_dir() indexes the last character of the name.
    path = tmp_path / "empty-name.zip"
    path.write_bytes(zip_bytes({"": LOG, "ok.log": LOG}))
    seen, warnings = _walk_within([path], 5)
    assert seen == [(f"{path}/ok.log", LOG)] and warnings == []


@pytest.mark.parametrize("text", ["filter " + "(" * 400 + "x", "filter " + "not " * 1200 + "x"])
def test_a_query_nested_hundreds_deep_is_an_error_for_people(text):
    # Found by fuzzing: the recursive-descent parser raised RecursionError.
    with pytest.raises(QueryError, match="nested too deeply"):
        run_query(empty_table().with_columns(pl.lit(0, pl.UInt32).alias("seq")), text)

"""Sizes that break readers: lines of 1 MiB and 64 MiB, a 1 GiB file of zero bytes, and regexes
known for catastrophic backtracking typed as queries against a 1 MiB line.

Each input is read by ingest in an interpreter of its own (tests/hostile_driver.py), so the
peak resident memory measured is that input's: it must stay under 500 MiB. The regexes run
through the query language on polars' engine (Rust's regex: linear time, no backtracking);
backreferences and look-arounds are refused with the reason. The 1 s per query is a cap far
above the few milliseconds each takes, not a benchmark.
"""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest
from test_hostile_archives import run_driver

from logview.core.analysis.query import QueryError, run_query

MiB = 1 << 20
PEAK_MIB = 500.0
STAMPED = b"2024-05-06 07:08:09 INFO after the long line\n"


def _long_line(folder: Path, size: int) -> Path:
    path = folder / f"line-{size // MiB}mib.log"
    with path.open("wb") as out:
        out.write(b"2024-05-06 07:08:08 ERROR ")
        block = b"abcdefgh" * (MiB // 8)
        for _ in range(size // MiB):
            out.write(block)
        out.write(b"\n" + STAMPED)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("size", [MiB, 64 * MiB], ids=["1MiB", "64MiB"])
def test_a_long_line_is_read_in_bounded_memory_and_the_next_line_survives(tmp_path, size):
    path = _long_line(tmp_path, size)
    result = run_driver([str(path)], tmp_path / "temp", timeout=60)
    assert result["crash"] is None and result["error"] is None
    assert result["rows"] == 2
    assert result["peak_mib"] < PEAK_MIB
    if size > 4 * MiB:  # lines are cut at MAX_LINE_BYTES with a marker
        assert result["warnings"] == []  # the cut is visible in the entry itself
    print(f"{size // MiB} MiB line: {result['seconds']:.2f} s, peak {result['peak_mib']:.0f} MiB")


def test_a_gibibyte_of_zero_bytes_is_skipped_as_binary_quickly_in_bounded_memory(tmp_path):
    path = tmp_path / "zeros.log"
    with path.open("wb") as out:
        out.truncate(1 << 30)  # sparse: no GiB written to the disk
    result = run_driver([str(path)], tmp_path / "temp", timeout=30)
    assert result["crash"] is None
    assert any("skipped: binary file" in w for w in result["warnings"])
    assert result["seconds"] < 5
    assert result["peak_mib"] < PEAK_MIB
    print(f"1 GiB of zeros: {result['seconds']:.2f} s, peak {result['peak_mib']:.0f} MiB")


# Classic catastrophic-backtracking regexes (OWASP's ReDoS list, Stack Exchange's outage, the
# email and domain checks), and two that only a backtracking engine could run.
REDOS = [
    r"(a+)+$",
    r"(a|aa)+$",
    r"(.*a){20}",
    r"^(([a-z])+.)+[A-Z]([a-z])+$",
    r"(a|a)*b",
    r"(\w+\s?)+$",
    r"^(\d+)*$",
    r"(x+x+)+y",
    r"([a-zA-Z]+)*$",
    r"(a*)*b",
    r"^(a+)+b",
    r"(.*){1,32000}[bc]",
    r"^([a-z0-9]+([\-\.]{1}[a-z0-9]+)*\.[a-z]{2,6})$",
    r"^(\w+)(\.\w+)*@(\w+)(\.\w+)*$",
    r"((ab)*)+c",
    r"(.*,){12}X",
    r"^(\s*a\s*)*$",
    r"(\d+\.?)+[a-z]",
    r"(a+)+\1",
    r"(?=a)+a",
]
REFUSED = {
    r"(a+)+\1": "backreferences are not supported",
    r"(?=a)+a": "look-around",
    r"(.*){1,32000}[bc]": "size limit",
}


@pytest.fixture(scope="module")
def one_mib_line() -> pl.DataFrame:
    message = "a" * MiB + "!"
    return pl.DataFrame(
        {
            "ts": pl.Series([None], dtype=pl.Datetime("us", "UTC")),
            "level": ["INFO"],
            "source": ["s.log"],
            "line": pl.Series([1], dtype=pl.UInt64),
            "message": [message],
            "seq": pl.Series([0], dtype=pl.UInt32),
        }
    )


@pytest.mark.parametrize("regex", REDOS)
@pytest.mark.parametrize("form", ["/{}/", "filter @message like /{}/"], ids=["search", "filter"])
def test_a_redos_regex_typed_as_a_query_ends_within_a_second(one_mib_line, regex, form):
    text = form.format(regex)
    started = time.perf_counter()
    try:
        result = run_query(one_mib_line, text)
        refusal = None
    except QueryError as err:
        refusal = str(err)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0
    if regex in REFUSED:
        assert refusal is not None and REFUSED[regex] in refusal
        assert refusal.startswith(f"bad regex /{regex}/")
    else:
        assert refusal is None, refusal
        assert result.frame.height <= 1


def test_twenty_redos_regexes():
    assert len(REDOS) == len(set(REDOS)) == 20

"""Levels: spellings normalised, and levels found in the header of a text line."""

import polars as pl
import pytest

from logview.core.levels import level_from_text, normalise


def levels(lines: list[str], start: list[int | None] | None = None) -> list[str | None]:
    starts = None if start is None else pl.Series(start, dtype=pl.UInt32)
    return level_from_text(pl.Series(lines), starts).to_list()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024-01-02 03:04:05 INFO started", "INFO"),
        ("2024-01-02 03:04:05 WARNING disk", "WARN"),
        ("2024-01-02 03:04:05 ERR oops", "ERROR"),
        ("2024-01-02 03:04:05 CRITICAL down", "FATAL"),
        ("2024-01-02 03:04:05 SEVERE bad", "ERROR"),
        ("2024-01-02 03:04:05 NOTICE fyi", "INFO"),
        ("2024-01-02 03:04:05 TRACE enter", "TRACE"),
        ("[Sun Dec 04 04:47:44 2005] [error] mod_jk child", "ERROR"),
        ("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok", "INFO"),
        ("[2024-01-02] [Warn] slow", "WARN"),
        ("ts=2024-01-02 level=error msg=x", "ERROR"),
        ("ts=2024-01-02 severity=WARNING msg=x", "WARN"),
        ('ts=2024-01-02 level="debug" msg=x', "DEBUG"),
        ("<3>kernel: oops", "ERROR"),
        ("<14>Jun  4 10:00:00 host app: hello", "INFO"),
        ("E/AndroidRuntime( 1234): FATAL EXCEPTION: main", "ERROR"),
        ("W/ActivityManager: slow", "WARN"),
        ("E0312 10:00:00.123456  1234 file.cc:12] failed", "ERROR"),
        ("I0312 10:00:00.123456  1234 file.cc:12] ok", "INFO"),
        ("2015-07-29 17:41:44,747 - INFO  [QuorumPeer] - x", "INFO"),
        ("20171223-22:15:29:606|Step|1|x |WARN| y", "WARN"),
        ("a|INFO|b", "INFO"),
        ("2024-01-02 03:04:05 FATAL halt", "FATAL"),
    ],
)
def test_header_level_forms_are_recognised(line, expected):
    assert levels([line]) == [expected]


@pytest.mark.parametrize(
    "line",
    [
        "2024-01-02 03:04:05 no error found",
        "2024-01-02 03:04:05 warning: lower-case prose is not a level",
        "2024-01-02 03:04:05 ERROR_CODE=5 is a field name",
        "2024-01-02 03:04:05 INFORMATIONAL is not a whole level word",
        "just some text",
        "",
    ],
)
def test_prose_and_partial_words_are_not_levels(line):
    assert levels([line]) == [None]


def test_the_level_nearest_the_stamp_wins():
    assert levels(["2024-01-02 WARN retry after ERROR"]) == ["WARN"]


def test_search_starts_at_the_given_offset():
    line = "ERROR-prefix 2024-01-02 03:04:05 INFO ok"
    assert levels([line, line], start=[32, None]) == ["INFO", "ERROR"]


def test_a_level_far_into_the_message_is_not_taken():
    assert levels(["2024-01-02 03:04:05 " + "x" * 200 + " ERROR late"]) == [None]


def test_syslog_priority_is_read_only_at_the_line_start():
    assert levels(["x <3> y"]) == [None]


def test_normalise_maps_spellings_and_leaves_unknown_null():
    frame = pl.DataFrame({"v": [" Warning ", "err", "5", "bogus", None]})
    assert frame.select(normalise(pl.col("v"))).to_series().to_list() == [
        "WARN",
        "ERROR",
        "INFO",
        None,
        None,
    ]

"""Timestamps: layouts of stamp columns and of line prefixes, years and zones."""

from datetime import UTC, datetime

import polars as pl
import pytest
from helpers import utc

from logview.core.reading.stamp_search import detect_layout
from logview.core.reading.timestamps import (
    extract_stamps,
    extract_stamps_noted,
    parse_stamp_column,
)
from logview.core.shared.errors import LogviewError
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS

MTIME_2023 = datetime(2023, 6, 15, tzinfo=UTC).timestamp()


def read(values: list, **kw):
    return parse_stamp_column(pl.Series("t", values), **kw)


# --- whole columns -------------------------------------------------------------------------


def test_iso_column_with_mixed_zones_and_fractions_is_converted_to_utc():
    result = read(
        [
            "2024-01-02T03:04:05Z",
            "2024-01-02 03:04:05.5+02:00",
            "2024-01-02T03:04:05,123456789 +0200",
            "2024-01-02T03:04:05.1-0130",
            "2024-01-02 03:04:05 UTC",
        ]
    )
    assert result.layout == "iso8601"
    assert result.ts.dtype == TS
    assert result.ts.to_list() == [
        utc(2024, 1, 2, 3, 4, 5),
        utc(2024, 1, 2, 1, 4, 5, 500000),
        utc(2024, 1, 2, 1, 4, 5, 123456),
        utc(2024, 1, 2, 4, 34, 5, 100000),
        utc(2024, 1, 2, 3, 4, 5),
    ]
    assert result.notes == ()


def test_stamps_without_zone_are_read_as_utc_and_say_so():
    result = read(["2024-01-02 03:04:05"])
    assert result.ts.to_list() == [utc(2024, 1, 2, 3, 4, 5)]
    assert result.notes == ("no zone in stamps: read as UTC",)


def test_stamps_without_zone_are_read_in_the_given_zone():
    result = read(
        ["2024-01-15 12:00:00", "2024-07-15 12:00:00", "2024-07-15 12:00:00Z"], tz="Europe/Paris"
    )
    assert result.ts.to_list() == [
        utc(2024, 1, 15, 11),
        utc(2024, 7, 15, 10),
        utc(2024, 7, 15, 12),
    ]
    assert "no zone in stamps: read in Europe/Paris" in result.notes


def test_unknown_zone_is_refused_with_a_readable_error():
    with pytest.raises(LogviewError, match="unknown time zone 'Mars/Olympus'"):
        read(["2024-01-02 03:04:05"], tz="Mars/Olympus")


@pytest.mark.parametrize(
    ("value", "layout", "expected"),
    [
        ("1700000000", "epoch-s", utc(2023, 11, 14, 22, 13, 20)),
        ("1700000000.25", "epoch-s", utc(2023, 11, 14, 22, 13, 20, 250000)),
        ("1700000000123", "epoch-ms", utc(2023, 11, 14, 22, 13, 20, 123000)),
        ("1700000000123456", "epoch-us", utc(2023, 11, 14, 22, 13, 20, 123456)),
        ("1700000000123456789", "epoch-ns", utc(2023, 11, 14, 22, 13, 20, 123456)),
    ],
)
def test_epoch_numbers_as_text_are_read_by_their_digit_count(value, layout, expected):
    result = read([value, None])
    assert result.layout == layout
    assert result.ts.to_list() == [expected, None]


def test_epoch_outside_2000_to_2100_is_not_a_date():
    result = read(["1000000000", "4200000000"])  # 2001 is plausible, 2103 is not
    assert result.layout == "epoch-s"
    assert result.ts.to_list() == [utc(2001, 9, 9, 1, 46, 40), None]
    assert read(["0123456789"]).ts.to_list() == [None]  # 1973


def test_integer_column_is_read_as_epoch():
    result = parse_stamp_column(pl.Series("t", [1700000000123, 1700000001123]))
    assert result.layout == "epoch-ms"
    assert result.ts[1] == utc(2023, 11, 14, 22, 13, 21, 123000)


@pytest.mark.parametrize(
    ("value", "layout", "expected"),
    [
        ("2015-10-18 18:01:47,978", "iso8601", utc(2015, 10, 18, 18, 1, 47, 978000)),
        ("10/Oct/2000:13:55:36 -0700", "clf", utc(2000, 10, 10, 20, 55, 36)),
        ("10/Oct/2000:13:55:36", "clf", utc(2000, 10, 10, 13, 55, 36)),
        ("Sun Dec 04 04:47:44 2005", "ctime", utc(2005, 12, 4, 4, 47, 44)),
        ("Jan 5, 2024 1:02:03 PM", "java", utc(2024, 1, 5, 13, 2, 3)),
        ("Jan 5, 2024 12:02:03 AM", "java", utc(2024, 1, 5, 0, 2, 3)),
        ("081109 203615", "yymmdd-compact", utc(2008, 11, 9, 20, 36, 15)),
        ("17/06/09 20:10:40", "yymmdd-slashed", utc(2017, 6, 9, 20, 10, 40)),
        ("2024/01/02 03:04:05", "ymd-slashed", utc(2024, 1, 2, 3, 4, 5)),
        ("20171223-22:15:29:606", "ymd-compact", utc(2017, 12, 23, 22, 15, 29, 606000)),
        # a fraction after a colon, of any length (SSSD's debug_microseconds, Acronis's)
        ("2024-06-29 19:40:17:118213", "iso8601", utc(2024, 6, 29, 19, 40, 17, 118213)),
        ("28Jun2024 0:00:03", "dmy-named", utc(2024, 6, 28, 0, 0, 3)),
        ("2005-06-03-15.42.50.675872", "ymd-dotted", utc(2005, 6, 3, 15, 42, 50, 675872)),
    ],
)
def test_each_layout_reads_its_own_stamps(value, layout, expected):
    result = read([value])
    assert (result.layout, result.ts.to_list()) == (layout, [expected])


def test_impossible_dates_are_null_and_counted():
    result = read(["2023-02-29 00:00:00", "2024-02-29 00:00:00", "2024-13-01 00:00:00"])
    assert result.ts.to_list() == [None, utc(2024, 2, 29), None]
    assert "2 of 3 stamps unreadable as ISO 8601" in result.notes


def test_layout_is_the_one_reading_most_values():
    result = read(["Jun  4 10:00:00", "2024-01-02 03:04:05", "2024-01-03 03:04:05", "junk"])
    assert result.layout == "iso8601"
    assert result.ts.to_list()[1:3] == [utc(2024, 1, 2, 3, 4, 5), utc(2024, 1, 3, 3, 4, 5)]
    assert result.ts[0] is None


def test_column_of_no_stamps_has_no_layout():
    result = read(["hello", None, "world"])
    assert result.layout is None
    assert result.ts.null_count() == 3
    assert result.ts.dtype == TS


# --- the year rule -------------------------------------------------------------------------


def test_yearless_stamps_take_the_file_year_for_the_last_entry_and_step_back_at_wraps():
    values = ["Nov 30 10:00:00", "Dec 31 23:59:59", "Jan  1 00:00:01", None, "Jun  4 08:00:00"]
    result = read(values, mtime=MTIME_2023)
    assert result.layout == "syslog"
    assert result.ts.to_list() == [
        utc(2022, 11, 30, 10),
        utc(2022, 12, 31, 23, 59, 59),
        utc(2023, 1, 1, 0, 0, 1),
        None,
        utc(2023, 6, 4, 8),
    ]
    assert any("took 2023 from the file's date" in note for note in result.notes)


def test_a_clock_set_back_by_less_than_half_a_year_is_no_year_wrap():
    """A router without a clock starts at Jan 2 after a reboot, until NTP sets it: those lines
    are out of order, and the lines before them stay in the file's year."""
    values = ["Mar 14 09:24:52", "Jan  2 00:00:09", "Jan  2 00:00:22", "Mar 14 09:26:31"]
    result = read(values, mtime=MTIME_2023)
    assert [ts.year for ts in result.ts.to_list()] == [2023, 2023, 2023, 2023]
    # Going back by over half a year is a wrap: from Aug to Feb, the next year is nearer.
    result = read(["Aug 20 10:00:00", "Feb  1 10:00:00"], mtime=MTIME_2023)
    assert [ts.year for ts in result.ts.to_list()] == [2022, 2023]


def test_yearless_stamps_without_file_date_take_the_current_year_and_say_so():
    result = read(["Jan  1 08:00:00"])
    assert result.ts[0].year == datetime.now(UTC).year
    assert any("file date unknown" in note for note in result.notes)


def test_yearless_last_stamp_after_the_file_date_belongs_to_the_year_before():
    written_jan_5_2024 = datetime(2024, 1, 5, 12, tzinfo=UTC).timestamp()
    result = read(["Dec 30 10:00:00", "Dec 31 23:00:00"], mtime=written_jan_5_2024)
    assert result.ts.to_list() == [utc(2023, 12, 30, 10), utc(2023, 12, 31, 23)]


def test_yearless_last_stamp_a_day_after_the_file_date_is_clock_skew_not_last_year():
    written_jun_4_2024 = datetime(2024, 6, 4, 23, tzinfo=UTC).timestamp()
    result = read(["Jun  5 00:30:00"], mtime=written_jun_4_2024)
    assert result.ts.to_list() == [utc(2024, 6, 5, 0, 30)]


# --- stamps at the start of lines ----------------------------------------------------------

LINE_CASES = [
    ("2024-01-02T03:04:05.123Z app started", "iso8601", utc(2024, 1, 2, 3, 4, 5, 123000), 24),
    ("2024-01-02 03:04:05 +0200 app", "iso8601", utc(2024, 1, 2, 1, 4, 5), 25),
    ("[2024-01-02 03:04:05] INFO x", "iso8601", utc(2024, 1, 2, 3, 4, 5), 20),
    ("2015-10-18 18:01:47,978 INFO [main] x", "iso8601", utc(2015, 10, 18, 18, 1, 47, 978000), 23),
    ("Jun  4 10:00:00 host sshd[1]: x", "syslog", utc(2023, 6, 4, 10), 15),
    ("<34>Oct 11 22:14:15 mymachine su: x", "syslog", utc(2022, 10, 11, 22, 14, 15), 19),
    ("[Sun Dec 04 04:47:44 2005] [error] x", "ctime", utc(2005, 12, 4, 4, 47, 44), 25),
    # Three tokens before the stamp: an access log line (the access parser reads these first).
    (
        '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0"',
        "clf",
        utc(2000, 10, 10, 20, 55, 36),
        39,
    ),
    ("081109 203615 148 INFO dfs.DataNode: x", "yymmdd-compact", utc(2008, 11, 9, 20, 36, 15), 13),
    ("17/06/09 20:10:40 INFO spark: x", "yymmdd-slashed", utc(2017, 6, 9, 20, 10, 40), 17),
    ("2024/01/02 03:04:05 x", "ymd-slashed", utc(2024, 1, 2, 3, 4, 5), 19),
    # zerolog's console writer with a 12-hour clock to the minute (Portainer)
    ("2024/06/21 01:05PM WRN snapshot.go:229 > x", "ymd-slashed", utc(2024, 6, 21, 13, 5), 18),
    # Skype for Business's UccApi log: a `|` glued between the date and the time
    ("06/12/2024|09:31:05.117 2F1C:3A08 INFO  :: x", "mdy", utc(2024, 6, 12, 9, 31, 5, 117000), 23),
    # a semicolon-separated file's date and time columns (Citrix Profile Management)
    (
        "2024-06-28;08:01:09.127;INFORMATION;;;;2340;x",
        "iso8601",
        utc(2024, 6, 28, 8, 1, 9, 127000),
        23,
    ),
    ("20171223-22:15:29:606|Step|1|x", "ymd-compact", utc(2017, 12, 23, 22, 15, 29, 606000), 21),
    ("2005-06-03-15.42.50.675872 R02 RAS", "ymd-dotted", utc(2005, 6, 3, 15, 42, 50, 675872), 26),
    ("- 1117838570 2005.06.03 R02-M1 x", "epoch-s", utc(2005, 6, 3, 22, 42, 50), 12),
    ("APPREAD 1117869872 2005.06.04 x", "epoch-s", utc(2005, 6, 4, 7, 24, 32), 18),
    ("1700000000123 tick", "epoch-ms", utc(2023, 11, 14, 22, 13, 20, 123000), 13),
    ("10/Oct/2000:13:55:36 GET /", "clf", utc(2000, 10, 10, 13, 55, 36), 20),
    ("Jan 5, 2024 1:02:03 PM org.Foo main", "java", utc(2024, 1, 5, 13, 2, 3), 22),
]


@pytest.mark.parametrize(("line", "layout", "expected", "end"), LINE_CASES)
def test_line_stamp_layouts_are_detected_and_read(line, layout, expected, end):
    found = detect_layout([line, line])
    assert found is not None and found.name == layout
    ts, header_end = extract_stamps(pl.Series([line, "  continuation"]), found, mtime=MTIME_2023)
    assert ts.to_list() == [expected, None]
    assert header_end.to_list() == [end, None]
    assert header_end.dtype == pl.UInt32


def test_detection_picks_the_layout_of_most_lines():
    lines = ["2024-01-02 03:04:05 a", "Jun  4 10:00:00 b", "2024-01-02 03:04:06 c", "x"]
    found = detect_layout(lines)
    assert found is not None and found.name == "iso8601" and found.prefix == ""


def test_detection_finds_nothing_in_plain_prose():
    assert detect_layout(["hello world", "no stamps here", ""]) is None
    assert detect_layout([]) is None


def test_layout_pattern_group_one_is_the_stamp_text():
    found = detect_layout(["<13>Jun  4 10:00:00 host x"])
    assert found is not None
    stamp = pl.Series(["<13>Jun  4 10:00:00 host x"]).str.extract(found.pattern, 1)
    assert stamp.to_list() == ["Jun  4 10:00:00"]


def test_yearless_line_stamps_wrap_back_a_year_and_note_it():
    lines = pl.Series(["Dec 31 23:59:00 a", "  at frame", "Jan  1 00:01:00 b", "Feb  2 00:00:00 c"])
    layout = detect_layout(lines.to_list())
    ts, _, notes = extract_stamps_noted(lines, layout, mtime=MTIME_2023)
    assert ts.to_list() == [utc(2022, 12, 31, 23, 59), None, utc(2023, 1, 1, 0, 1), utc(2023, 2, 2)]
    assert any("no year in stamps: took 2023" in note for note in notes)
    assert "no zone in stamps: read as UTC" in notes


def test_a_longer_number_is_not_read_as_an_epoch_prefix():
    assert detect_layout(["12345678901234 not a stamp", "12345678901234 x"]) is None


def test_unpadded_times_and_colon_milliseconds_are_read():
    result = read(["20171223-22:16:0:11", "20171223-22:16:1:150"])
    assert result.layout == "ymd-compact"
    assert result.ts.to_list() == [
        utc(2017, 12, 23, 22, 16, 0, 11000),
        utc(2017, 12, 23, 22, 16, 1, 150000),
    ]


# --- the fixed-shape fast path reads exactly what the general regex reads -----------------

_FAST_STAMPS = [
    "2024-01-02T03:04:05.378Z",
    "2024-01-02 03:04:05,123",
    "2024-01-02 03:04:05",
    "2024-01-02T03:04:05+02:00",
    "2024-01-02T03:04:05.123456789-0130",
    "2024/01/02 03:04:05.5",
]
# Variants of a stamp's text, some of them unreadable or read differently by the general regex.
_STAMP_VARIANTS = [
    lambda s: s,
    lambda s: s.replace("03:04:05", "23:59:60"),  # leap second: read as :59
    lambda s: s.replace("01-02", "02-30").replace("01/02", "02/30"),  # no such day
    lambda s: s.replace("01-02", "02-29").replace("01/02", "02/29"),  # leap day 2024
    lambda s: s.replace("2024", "0000"),  # year 0
    lambda s: s.replace("03:04", "24:04"),
    lambda s: s.replace("03:04:05", "3:04:05"),
    lambda s: s.replace("05", "٠٥"),  # other digits
    lambda s: s.replace("T", " ") if "T" in s else s.replace(" ", "T", 1),
    lambda s: s[:-1],
    lambda s: s + "0",
]
_FOLLOWERS = [
    "",
    " ",
    " msg",
    " - INFO - x",
    " UTC x",
    " UTCx",
    " GMT",
    " GMX",
    " CEST x",
    " CET",
    " CETUS",
    " CE",
    " PDT]",
    " IST x",
    " INFO x",
    " +0100 x",
    " +01",
    "+01:00",
    "-0500",
    "- x",
    "Z",
    "Zx",
    ".5",
    ".",
    ",x",
    "x",
    "٣",
    "]",
    " \u00a0x",
    "_",
    ":",
]


def _fast_and_slow_lines(prefix: str) -> list[str]:
    lines = [
        prefix + variant(stamp) + follower
        for stamp in _FAST_STAMPS
        for variant in _STAMP_VARIANTS
        for follower in _FOLLOWERS
    ]
    return lines + ["\tat frame", "", "Caused by: x"]


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["", "["])
@pytest.mark.parametrize("tz", [None, "Europe/Paris"])
@pytest.mark.parametrize("stamp", _FAST_STAMPS)
def test_fixed_shape_lines_read_like_the_general_regex(prefix, tz, stamp):
    from logview.core.reading import timestamps

    # Mostly `stamp` (so that its shape is chosen), then every variant of every stamp.
    lines = [prefix + stamp + " a"] * 400 + _fast_and_slow_lines(prefix)
    text = pl.Series("text", lines)
    layout = detect_layout(lines[:50])
    assert layout is not None and layout.prefix == ("" if not prefix else r"\[")
    fast_ts, fast_end, fast_notes = extract_stamps_noted(text, layout, tz=tz)
    slow_ts, slow_end, slow_notes = timestamps._read(text, layout, mtime=None, tz=tz)
    assert timestamps._fixed_for(text, layout, whole=False) is not None
    assert fast_ts.to_list() == slow_ts.to_list()
    assert fast_end.to_list() == slow_end.to_list()
    assert fast_ts.dtype == slow_ts.dtype and fast_end.dtype == slow_end.dtype
    assert fast_notes == slow_notes


@pytest.mark.parametrize("tz", [None, "UTC", "America/New_York"])
@pytest.mark.parametrize("stamp", _FAST_STAMPS)
def test_fixed_shape_columns_read_like_the_general_regex(tz, stamp):
    from logview.core.reading import timestamps

    values = [stamp] * 400 + [
        variant(s) + follower
        for s in _FAST_STAMPS
        for variant in _STAMP_VARIANTS
        for follower in ["", " ", "  ", "Z", " UTC", "+01:00", "x"]
    ]
    values = values + [" " + stamp, stamp + "\t", None, "", "   "]
    column = pl.Series("t", values)
    result = parse_stamp_column(column, tz=tz)
    layout = timestamps.Layout(result.layout, "", "", "")
    slow_ts, _, slow_notes = timestamps._read(column, layout, mtime=None, tz=tz, whole=True)
    assert result.ts.to_list() == slow_ts.to_list()
    assert result.ts.dtype == TS
    assert set(result.notes) - set(slow_notes) == {
        note for note in result.notes if "unreadable" in note
    }


# --- pruning the candidates is exact ---------------------------------------------------------

PRUNE_SAMPLES = {
    "iso": [f"2024-01-02 03:04:{i % 60:02d},123 INFO x" for i in range(200)],
    "banner then syslog": ["=" * 30] * 25
    + [f"Jun  4 10:00:{i % 60:02d} h app: m" for i in range(100)],
    "few lines": ["[Sun Dec 04 04:47:44 2005] [notice] x", "plain"],
    "mixed minority": [f"2024-01-02T03:04:{i % 60:02d}Z a" for i in range(150)]
    + [f"1117838570 b {i}" for i in range(50)],
    "stack traces": [
        line
        for i in range(60)
        for line in (f"2024-01-02 03:04:{i % 60:02d} ERROR boom", "\tat a.B(C.java:1)")
    ],
    "no stamps": ["hello world"] * 40,
    "late stamps": ["plain text"] * 30 + [f"081109 2036{i % 60:02d} 148 INFO x" for i in range(30)],
}


@pytest.mark.parametrize("name", sorted(PRUNE_SAMPLES))
def test_pruned_layout_choice_equals_scoring_every_candidate(name):
    from logview.core.reading import stamp_forms
    from logview.core.reading import timestamps as ts_module

    lines = pl.Series("v", PRUNE_SAMPLES[name])
    prefixes = ("", r"\[", ascii_classes(r"<\d{1,3}>\s?"), ascii_classes(r"\S{1,24} +\[?"))
    candidates = [ts_module.layout_of(f.name, p) for p in prefixes for f in stamp_forms.FORMS]
    assert ts_module._best(lines, candidates) == ts_module._score(lines, candidates)

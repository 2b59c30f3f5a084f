"""glog and klog lines: level letter, month and day (or the full date), thread, file:line."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.glog import parse_glog
from logview.core.reading.parsers.glog import sniff as sniff_glog
from logview.core.reading.registry import sniff

MTIME = datetime(2024, 6, 15, tzinfo=UTC).timestamp()

GLOG = [
    "Log file created at: 2024/05/17 15:04:22",
    "Running on machine: worker-3",
    "Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg",
    "I0517 15:04:22.619632   12345 server.cc:123] Listening on port 8080",
    "W0517 15:04:23.000001   12346 pool.cc:45] Pool 80% full",
    "E0517 15:04:24.500000   12345 handler.cc:9] Request failed: deadline exceeded",
    "goroutine 1 [running]:",
    "  main.main()",
    "F0517 15:04:25.000000   12345 main.cc:77] Check failed: ok",
]
KLOG_WITH_YEAR = [
    "I20240517 15:04:22.619632    1 controller.go:220] Starting controller",
    "E20240517 15:04:23.000000    1 reflector.go:138] Failed to watch *v1.Pod",
]


def sample_of(texts: list[str]) -> Sample:
    return Sample("app.INFO", "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str]) -> pl.DataFrame:
    return parse_glog(lines_of(texts), ParseContext("app.INFO", mtime=MTIME))


def test_glog_and_klog_are_detected():
    for texts in (GLOG, KLOG_WITH_YEAR):
        found = sniff(sample_of(texts))
        assert found is not None and found.format.name == "glog"


def test_words_with_a_capital_and_digits_are_not_glog():
    assert sniff_glog(sample_of(["I0517 is a part number", "E12 road closed"])) == 0.0


def test_levels_fields_and_stamps():
    notes: list[str] = []
    frame = parse_glog(lines_of(GLOG), ParseContext("app.INFO", mtime=MTIME, note=notes.append))
    assert frame.height == 4  # the file's header lines are its metadata, no entry
    assert "3 glog file header lines not read as entries" in notes
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR", "FATAL"]
    assert frame["ts"][0] == datetime(2024, 5, 17, 15, 4, 22, 619632, tzinfo=UTC)
    entry = frame.row(2, named=True)
    assert (entry["thread"], entry["file"], entry["file_line"]) == ("12345", "handler.cc", "9")
    assert entry["message"][entry["body_at"] :].startswith("Request failed: deadline exceeded\n")
    assert entry["message"].endswith("  main.main()")


def test_an_application_fingerprint_in_the_file_header_is_no_entry():
    # glog's header names the application's fingerprint where one was set (Kudu sets it)
    texts = [*GLOG[:2], "Application fingerprint: version 1.17.0 build type RELEASE", *GLOG[2:]]
    assert sniff(sample_of(texts)).format.name == "glog"
    assert parse(texts).height == 4


def test_the_year_when_written_is_used():
    frame = parse(KLOG_WITH_YEAR)
    assert frame["ts"][1] == datetime(2024, 5, 17, 15, 4, 23, tzinfo=UTC)
    assert frame["file"].to_list() == ["controller.go", "reflector.go"]


def test_a_broken_line_in_the_middle_joins_the_entry_above():
    frame = parse([GLOG[3], "W0517 15:0", GLOG[5]])
    assert frame.height == 2 and frame["level"].to_list() == ["INFO", "ERROR"]
    assert frame["message"][0].endswith("\nW0517 15:0")


def test_another_writers_lines_in_the_output_keep_their_own_stamps():
    # ingress-nginx: klog lines, nginx's access lines and an nginx error line in one output
    texts = [
        'I0314 09:26:50.102011       7 main.go:205] "Creating API client"',
        '10.0.0.5 - - [14/Mar/2024:09:26:53 +0000] "GET / HTTP/2.0" 200 5120 "-" "curl/8.5.0"',
        "2024/03/14 09:27:40 [error] 31#31: *18211 upstream timed out (110: Operation timed out)",
        'E0314 09:29:00.000001       7 queue.go:131] "requeuing"',
        "  a continuation line stays with the entry above",
    ]
    frame = parse(texts)
    assert frame["line"].to_list() == [1, 2, 3, 4]
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 26, 50, 102011, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 26, 53, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 27, 40, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 29, 0, 1, tzinfo=UTC),
    ]


def test_the_file_headers_date_gives_the_year_and_a_new_year_after_it():
    texts = [
        "Log file created at: 2023/12/31 23:59:58",
        "Running on machine: worker-3",
        "I1231 23:59:59.000000   12345 server.cc:123] last of the year",
        "I0101 00:00:01.000000   12345 server.cc:124] first of the next",
    ]
    # The file's date says 2024 (today's), its header 2023.
    frame = parse(texts)
    assert frame["ts"].to_list() == [
        datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2024, 1, 1, 0, 0, 1, tzinfo=UTC),
    ]


def test_a_z_after_the_time_says_the_stamps_are_utc():
    # glog's UTC option, as Nutanix's services write their logs (their file header says so)
    texts = [
        "I20240629 07:55:12.418233Z 14901 stargate.cc:2711] Health: 0 slow ops, 0 hung ops",
        "W20240629 07:58:41.002871Z 14935 disk_manager.cc:1874] Disk 37 op latency 1843 ms",
    ]
    assert sniff(sample_of(texts)).format.name == "glog"
    frame = parse_glog(lines_of(texts), ParseContext("stargate.INFO", tz="Europe/Berlin"))
    assert frame["ts"][0] == datetime(2024, 6, 29, 7, 55, 12, 418233, tzinfo=UTC)
    assert frame["level"].to_list() == ["INFO", "WARN"]

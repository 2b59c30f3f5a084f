"""Every format's sniffer and parser on long hostile lines: seconds, never minutes."""

from __future__ import annotations

import time

import pytest
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.registry import all_formats

N = 60_000
# Starts of lines of the formats here, each followed by a long run that keeps a backtracking
# regex busy when it can (spaces, brackets, quotes, colons, digits).
STARTS = (
    "03-17 16:13:38.811  1702  2395 D Tag", "D/Tag", "[ 03-17 16:13:38.811  1: 2 D/x",
    "06-Mar-2023 18:34:17.383 INFO [", "INFO  [", "2023-03-06 18:34:17.383 UTC [1] ",
    "161209 14:18:50 ", "# Time: ", "web-1", "4961:M 30 May 12:50:13.457 * ", "E0517 ",
    "type=SYSCALL msg=audit(", "Mar 24 2022 10:29:56: ", "####<", "<", "[pid: 1|app: 0|req: ",
    "03/06/2023 06:34:17 PM - Process(", "@4000000063f3a7b5", '{"t":{"$date":"', "#Fields: ",
)  # fmt: skip
RUNS = (" " * N, "[" * N, '"' * N, ":" * N, "1" * N, "a " * (N // 2), "<> " * (N // 3))


@pytest.mark.parametrize("run", RUNS, ids=["spaces", "brackets", "quotes", "colons", "digits",
                                           "words", "angles"])  # fmt: skip
@pytest.mark.slow
def test_sniffing_and_parsing_long_hostile_lines_takes_seconds(run):
    texts = [start + run for start in STARTS]
    sample = Sample("hostile.log", "\n".join(texts).encode()[: 64 * 1024], tuple(texts))
    for fmt in all_formats():
        if fmt.binary:
            continue
        start = time.perf_counter()
        fmt.sniff(sample)
        if fmt.parse_lines is not None:
            fmt.parse_lines(lines_of(texts), ParseContext("hostile.log"))
        assert time.perf_counter() - start < 2.0, fmt.name

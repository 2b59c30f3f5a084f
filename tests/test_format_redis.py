"""Redis server logs: pid, role, stamps with and without a year, level marks."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.redis import parse_redis
from logview.core.reading.parsers.redis import sniff as sniff_redis
from logview.core.reading.registry import sniff

# 2024-06-15 00:00 UTC: year-less stamps take 2024 for the last entry.
MTIME = datetime(2024, 6, 15, tzinfo=UTC).timestamp()

REDIS_7 = [
    "1:C 30 May 2023 12:50:13.457 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
    "1:C 30 May 2023 12:50:13.457 # Warning: no config file specified, using the default",
    "1:M 30 May 2023 12:50:13.458 * monotonic clock: POSIX clock_gettime",
    "1:M 30 May 2023 12:50:13.460 . DB 0: 12 keys (0 volatile) in 16 slots HT.",
    "1:M 30 May 2023 12:50:13.461 - Accepted 172.17.0.1:51234",
    "1:S 30 May 2023 12:50:14.000 * Connecting to MASTER 10.0.0.1:6379",
    "26:X 30 May 2023 12:50:15.000 # +sdown master mymaster 10.0.0.1 6379",
]
REDIS_3 = [
    "4961:M 30 May 12:50:13.457 * Server started, Redis version 3.2.12",
    "                _._",
    "           _.-``__ ''-._",
    "4961:M 30 May 12:50:13.458 * Ready to accept connections",
]
REDIS_2 = ["[4961] 30 May 12:50:13.457 * Server started, Redis version 2.8.4"] * 2


def sample_of(texts: list[str]) -> Sample:
    return Sample("redis.log", "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str]) -> pl.DataFrame:
    return parse_redis(lines_of(texts), ParseContext("redis.log", mtime=MTIME))


def test_each_release_layout_is_detected():
    for texts in (REDIS_7, REDIS_3, REDIS_2):
        found = sniff(sample_of(texts))
        assert found is not None and found.format.name == "redis"


def test_syslog_and_text_lines_are_not_redis():
    assert sniff_redis(sample_of(["May 30 12:50:13 host redis[1]: Ready"] * 3)) == 0.0


def test_level_marks_roles_and_stamps_with_a_year():
    frame = parse(REDIS_7)
    assert frame["level"].to_list() == ["WARN", "WARN", "INFO", "DEBUG", "DEBUG", "INFO", "WARN"]
    assert frame["role"].to_list() == ["child", "child", "master", "master", "master",
                                       "replica", "sentinel"]  # fmt: skip
    assert frame["pid"][6] == "26"
    assert frame["ts"][0] == datetime(2023, 5, 30, 12, 50, 13, 457000, tzinfo=UTC)
    entry = frame.row(2, named=True)
    assert entry["message"][entry["body_at"] :] == "monotonic clock: POSIX clock_gettime"


def test_year_less_stamps_and_the_logo_joining_the_line_above():
    frame = parse(REDIS_3)
    assert frame.height == 2
    assert frame["ts"][0] == datetime(2024, 5, 30, 12, 50, 13, 457000, tzinfo=UTC)
    assert frame["message"][0].endswith("_.-``__ ''-._")


def test_redis_2_has_a_bracketed_pid_and_no_role():
    frame = parse(REDIS_2)
    assert frame["pid"].to_list() == ["4961", "4961"]
    assert "role" not in frame.columns


def test_a_broken_line_in_the_middle_joins_the_entry_above():
    frame = parse([REDIS_7[2], "1:M 30 Ma", REDIS_7[3]])
    assert frame.height == 2 and frame["level"].to_list() == ["INFO", "DEBUG"]


def test_a_crash_report_is_read_as_redis_with_its_banner_an_entry():
    # Redis 7.2's bug report (its source, debug.c): the banner, then stamped lines, then the
    # stack and registers unstamped, many lines of them.
    texts = [
        "48211:M 14 Mar 2024 09:26:41.118 * 10000 changes in 60 seconds. Saving...",
        "48211:M 14 Mar 2024 09:26:41.121 * Background saving started by pid 51877",
        "51877:C 14 Mar 2024 09:26:44.902 * DB saved on disk",
        "48211:M 14 Mar 2024 09:26:45.010 * Background saving terminated with success",
        "48211:M 14 Mar 2024 09:27:01.774 # Client id=1882 addr=10.20.4.17:51234 fd=12",
        "",
        "=== REDIS BUG REPORT START: Cut & paste starting from here ===",
        "48211:M 14 Mar 2024 09:27:03.512 # Redis 7.2.4 crashed by signal: 11, si_code: 1",
        "",
        "------ STACK TRACE ------",
        "EIP:",
        "/usr/bin/redis-server *:6379(listpackGet+0x24)[0x5586b3f1c2a4]",
        "Backtrace:",
        "/lib/x86_64-linux-gnu/libc.so.6(+0x42520)[0x7f0c2a242520]",
        "/usr/bin/redis-server *:6379(ziplistFind+0x6a)[0x5586b3f2013a]",
        "------ REGISTERS ------",
        "RAX:0000000000000000 RBX:00007f0c29c1e0a0",
        "RCX:0000000000000018 RDX:0000000000000000",
    ]
    sample = Sample("redis.log", "\n".join(texts).encode(), tuple(t for t in texts if t))
    assert sniff(sample).format.name == "redis"
    frame = parse(texts)
    assert frame["line"].to_list() == [1, 2, 3, 4, 5, 7, 8]
    assert frame["ts"][5] is None
    assert frame["level"].to_list()[4:] == ["WARN", None, "WARN"]
    assert frame["message"][6].endswith("RDX:0000000000000000")


def test_a_line_from_a_signal_handler_is_an_entry_stamped_by_its_epoch():
    frame = parse(
        [
            "1:M 27 Jun 2024 09:04:11.316 * Background saving terminated with success",
            "1:signal-handler (1719479103) Received SIGTERM scheduling shutdown...",
            "1:M 27 Jun 2024 09:05:03.187 # User requested shutdown...",
        ]
    )
    assert frame["line"].to_list() == [1, 2, 3]
    entry = frame.row(1, named=True)
    assert entry["ts"] == datetime(2024, 6, 27, 9, 5, 3, tzinfo=UTC)
    assert (entry["pid"], entry["level"]) == ("1", None)
    assert entry["message"][entry["body_at"] :] == "Received SIGTERM scheduling shutdown..."


def test_putty_s_header_over_docker_logs_is_an_entry_with_its_time():
    # A PuTTY session log of `docker logs` of Redis: PuTTY's header stamps the session's start.
    texts = [
        "=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2024.06.21 10:38:50 =~=~=~=~=~=~=~=~=~=~=~=",
        "deploy@app-docker02:~$ docker logs cache-redis",
        "1:C 21 Jun 2024 09:12:03.415 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
        "1:M 21 Jun 2024 09:12:03.417 * Server initialized",
    ]
    frame = parse_redis(lines_of(texts), ParseContext("redis.log", tz="UTC"))
    assert frame["line"].to_list() == [1, 3, 4]
    assert frame["ts"][0] == datetime(2024, 6, 21, 10, 38, 50, tzinfo=UTC)

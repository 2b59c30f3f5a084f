"""Tomcat's catalina.out (java.util.logging, one-line and two-line) and Cassandra's layout."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.java import (
    parse_level_first,
    parse_tomcat,
    sniff_level_first,
    sniff_tomcat,
)
from logview.core.reading.registry import sniff

CATALINA = [
    "NOTE: Picked up JDK_JAVA_OPTIONS:  --add-opens=java.base/java.lang=ALL-UNNAMED",
    "06-Mar-2023 18:34:17.383 INFO [main] org.apache.catalina.core.StandardService.startInternal"
    " Starting service [Catalina]",
    "06-Mar-2023 18:34:17.390 WARNING [main] org.apache.catalina.startup.HostConfig.deployWAR"
    " Unable to deploy [/opt/app.war]",
    "06-Mar-2023 18:34:18.001 SEVERE [http-nio-8080-exec-1] org.apache.catalina.core."
    "StandardWrapperValve.invoke Servlet.service() for servlet [dispatcher] threw exception",
    "java.lang.NullPointerException: order is null",
    "\tat com.example.OrderController.get(OrderController.java:42)",
    "\tat java.base/java.lang.Thread.run(Thread.java:833)",
    "Caused by: java.lang.IllegalStateException: no session",
    "\t... 12 more",
    "06-Mar-2023 18:34:18.200 FINE [main] org.apache.Foo.bar debug detail",
]
SIMPLE = [
    "Mar 06, 2023 6:34:17 PM org.apache.catalina.startup.Catalina start",
    "INFO: Server startup in 1234 ms",
    "Mar 06, 2023 6:34:18 PM org.apache.coyote.AbstractProtocol pause",
    "SEVERE: Failed to pause end point",
    "java.net.BindException: Address already in use",
    "\tat sun.nio.ch.Net.bind0(Native Method)",
    "Mar 07, 2023 12:05:00 AM org.apache.Foo run",
    "WARNUNG: Speicher knapp",
]
CASSANDRA = [
    "INFO  [main] 2021-07-21 12:18:15,910 CassandraDaemon.java:507 - JVM vendor/version: "
    "OpenJDK 64-Bit Server VM/1.8.0_292",
    "WARN  [main] 2021-07-21 12:18:16,001 StartupChecks.java:311 - Maximum number of memory "
    "map areas per process (vm.max_map_count) 65530 is too low",
    "ERROR [CompactionExecutor:1] 2021-07-21 12:18:17,120 CassandraDaemon.java:244 - Exception"
    " in thread Thread[CompactionExecutor:1,1,main]",
    "java.lang.RuntimeException: disk full",
    "\tat org.apache.cassandra.db.Compaction.run(Compaction.java:88)",
    "DEBUG [MessagingService-Incoming-/10.0.0.2] 2021-07-21 12:18:18,000 Message.java:12 - hi",
]


def sample_of(texts: list[str], name: str = "catalina.out") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def ctx() -> ParseContext:
    return ParseContext("catalina.out")


def body(frame: pl.DataFrame, row: int) -> str:
    entry = frame.row(row, named=True)
    return entry["message"][entry["body_at"] or 0 :]


@pytest.mark.parametrize(
    ("texts", "name"), [(CATALINA, "tomcat"), (SIMPLE, "tomcat"), (CASSANDRA, "level-first")]
)
def test_each_layout_is_detected(texts, name):
    found = sniff(sample_of(texts))
    assert found is not None and found.format.name == name


def test_plain_level_lines_without_stamps_are_not_tomcat():
    texts = ["INFO: started", "WARNING: low disk", "SEVERE: gone", "INFO: stopped"]
    assert sniff_tomcat(sample_of(texts)) == 0.0
    assert sniff_level_first(sample_of(texts)) == 0.0


def test_a_text_log_with_the_level_after_the_stamp_is_not_level_first():
    texts = ["2021-07-21 12:18:15,910 INFO [main] Foo - started"] * 3
    found = sniff(sample_of(texts))
    assert found is not None and found.format.name == "text"


def test_one_line_records_with_their_stack_traces():
    frame = parse_tomcat(lines_of(CATALINA), ctx())
    assert frame.height == 5  # the JVM's NOTE, then four records
    assert frame["level"].to_list() == [None, "INFO", "WARN", "ERROR", "DEBUG"]
    crash = frame.row(3, named=True)
    assert crash["ts"] == datetime(2023, 3, 6, 18, 34, 18, 1000, tzinfo=UTC)
    assert crash["thread"] == "http-nio-8080-exec-1"
    assert crash["logger"] == "org.apache.catalina.core.StandardWrapperValve"
    assert crash["method"] == "invoke"
    assert crash["message"].count("\n") == 5 and crash["message"].endswith("\t... 12 more")
    assert body(frame, 3).startswith("Servlet.service() for servlet [dispatcher]")
    assert body(frame, 1) == "Starting service [Catalina]"


def test_the_jvms_own_report_of_an_uncaught_exception_is_an_entry_of_its_own():
    # The JVM's default handler writes to stderr, which catalina.out holds too: its report is
    # no part of the record above it, and its trace goes with it.
    texts = [
        *CATALINA[1:3],
        'Exception in thread "http-nio-8080-exec-41" java.lang.OutOfMemoryError: Java heap space',
        "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
        CATALINA[-1],
    ]
    frame = parse_tomcat(lines_of(texts), ctx())
    assert frame["line"].to_list() == [1, 2, 3, 5]
    assert frame["ts"][2] is None
    assert frame["message"][2].endswith("(Arrays.java:3537)")


def test_two_line_simple_formatter_records_are_one_entry_each():
    frame = parse_tomcat(lines_of(SIMPLE), ctx())
    assert frame.height == 3
    assert frame["level"].to_list() == ["INFO", "ERROR", "WARN"]
    assert frame["ts"].to_list() == [
        datetime(2023, 3, 6, 18, 34, 17, tzinfo=UTC),
        datetime(2023, 3, 6, 18, 34, 18, tzinfo=UTC),
        datetime(2023, 3, 7, 0, 5, tzinfo=UTC),
    ]
    assert frame["logger"][0] == "org.apache.catalina.startup.Catalina"
    assert frame["method"][0] == "start"
    assert body(frame, 0) == "Server startup in 1234 ms"
    assert body(frame, 1).startswith("Failed to pause end point\njava.net.BindException")


def test_a_broken_line_in_the_middle_joins_the_record_above():
    texts = [CATALINA[1], "06-Mar-2023 18:3", CATALINA[2]]
    frame = parse_tomcat(lines_of(texts), ctx())
    assert frame.height == 2 and frame["message"][0].endswith("\n06-Mar-2023 18:3")


def test_cassandra_level_thread_stamp_file_and_line():
    frame = parse_level_first(lines_of(CASSANDRA), ctx())
    assert frame.height == 4
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR", "DEBUG"]
    assert frame["ts"][0] == datetime(2021, 7, 21, 12, 18, 15, 910000, tzinfo=UTC)
    assert frame["thread"].to_list()[2:] == [
        "CompactionExecutor:1",
        "MessagingService-Incoming-/10.0.0.2",
    ]
    assert (frame["file"][0], frame["file_line"][0]) == ("CassandraDaemon.java", "507")
    assert body(frame, 0).startswith("JVM vendor/version")
    assert frame["message"][2].endswith("(Compaction.java:88)")


def test_ingest_reads_catalina_out_with_fields(tmp_path):
    path = tmp_path / "catalina.out"
    path.write_text("\n".join(CATALINA) + "\n")
    result = ingest([path])
    assert result.sources[0].format == "tomcat"
    assert result.table.height == 5
    assert "logger" in result.table.columns


def test_ingest_learns_no_header_on_the_messages(tmp_path):
    from logview.core.shared.body import body_lines

    path = tmp_path / "catalina.out"
    path.write_text("\n".join(CATALINA) + "\n")
    bodies = body_lines(ingest([path]).table).to_list()
    assert bodies[1:3] == ["Starting service [Catalina]", "Unable to deploy [/opt/app.war]"]


def test_a_logger_before_the_dash_is_a_field():
    texts = ["DEBUG [main] 2021-07-21 12:18:15,910 com.example.Foo - cache warmed"] * 2
    frame = parse_level_first(lines_of(texts), ctx())
    assert frame["logger"].to_list() == ["com.example.Foo"] * 2
    assert body(frame, 0) == "cache warmed"


def test_a_broken_cassandra_line_joins_the_line_above():
    frame = parse_level_first(lines_of([CASSANDRA[0], "WARN  [ma", CASSANDRA[1]]), ctx())
    assert frame.height == 2 and frame["level"].to_list() == ["INFO", "WARN"]


def test_log4js_padded_level_opens_a_level_first_line():
    # log4j 1.x's `%5p` pads INFO and WARN with a space on the left (Cassandra 2.x)
    texts = [
        " INFO [ScheduledTasks:1] 2024-03-14 09:31:02,114 GCInspector.java (line 116) GC for "
        "ConcurrentMarkSweep: 5218 ms for 1 collections",
        " WARN [ScheduledTasks:1] 2024-03-14 09:31:02,131 MessagingService.java (line 875) 312 "
        "MUTATION messages dropped in last 5000ms",
        "ERROR [ReadStage:41] 2024-03-14 09:31:04,002 CassandraDaemon.java (line 258) Exception",
        "java.lang.OutOfMemoryError: Java heap space",
        "\tat org.apache.cassandra.db.ReadCommand.run(ReadCommand.java:71)",
    ]
    assert sniff(Sample("system.log", b"", tuple(texts))).format.name == "level-first"
    frame = parse_level_first(lines_of(texts), ctx())
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR"]
    assert frame["ts"][0] == datetime(2024, 3, 14, 9, 31, 2, 114000, tzinfo=UTC)
    assert frame["message"][2].endswith("(ReadCommand.java:71)")

"""Several files in one under `==> name <==` headers (`tail`/`head` of several files)."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers import lines_of

from logview.core.reading.formats import Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.sections import split_sections
from logview.core.reading.registry import sniff

# `tail -f /var/log/nginx/error.log /var/log/app/app.log`: a header each time it turns.
TAIL_F = [
    "==> /var/log/nginx/error.log <==",
    "2024/03/14 09:20:03 [warn] 811#811: *1 an upstream response is buffered",
    "2024/03/14 09:20:04 [error] 811#811: *2 connect() failed (111: Connection refused)",
    "",
    "==> /var/log/app/app.log <==",
    '[2024-03-14T09:20:12.402143+00:00] app.INFO: order placed {"id":42} []',
    '[2024-03-14T09:21:40.000000+00:00] app.ERROR: payment failed {"id":42} []',
    "",
    "==> /var/log/nginx/error.log <==",
    "2024/03/14 09:22:00 [error] 811#811: *3 upstream timed out",
]


def sample_of(texts: list[str]) -> Sample:
    return Sample("tail.txt", "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def test_tail_output_is_detected():
    found = sniff(sample_of(TAIL_F))
    assert found is not None and found.format.name == "sections"


def test_a_log_mentioning_an_arrow_is_not_sections():
    texts = ["2024-03-14 09:20:03 INFO moving ==> done <== here", "2024-03-14 09:20:04 INFO ok"]
    found = sniff(sample_of(texts))
    assert found is None or found.format.name != "sections"


def test_each_file_is_a_part_with_all_its_sections_and_no_headers():
    parts = split_sections(lines_of(TAIL_F))
    assert [name for name, _ in parts] == ["var/log/nginx/error.log", "var/log/app/app.log"]
    nginx = parts[0][1]
    assert nginx["line"].to_list() == [2, 3, 4, 10]
    assert not nginx["text"].str.contains("==>").any()


def test_ingest_reads_each_file_in_its_own_format(tmp_path):
    path = tmp_path / "tail.txt"
    path.write_text("\n".join(TAIL_F) + "\n")
    result = ingest([path], tz="UTC")
    by_name = {s.name.split("tail.txt/", 1)[1]: s.format for s in result.sources}
    assert by_name["var/log/nginx/error.log"] == "http-error"
    assert by_name["var/log/app/app.log"] == "text"
    table = result.table.sort("ts")
    assert table.height == 5
    assert table["ts"][0] == datetime(2024, 3, 14, 9, 20, 3, tzinfo=UTC)
    assert table["level"].cast(str).to_list() == ["WARN", "ERROR", "INFO", "ERROR", "ERROR"]


def test_read_whole_the_sections_keep_their_file_as_a_field():
    from logview.core.reading.formats import ParseContext
    from logview.core.reading.parsers.sections import parse_sections

    frame = parse_sections(lines_of(TAIL_F), ParseContext("tail.txt", tz="UTC"))
    assert frame.height == 5
    assert frame["file"].to_list()[0] == "/var/log/nginx/error.log"
    assert frame["file"].to_list()[2] == "/var/log/app/app.log"


# `yarn logs -applicationId ...`: each container's logs, each log under its LogType header.
YARN = [
    "Container: container_e07_1718352211841_0042_01_000001 on worker-03.example.net_45454",
    "LogAggregationType: AGGREGATED",
    "=" * 60,
    "LogType:syslog",
    "LogLastModifiedTime:Fri Jun 14 09:21:44 +0000 2024",
    "LogLength:48213",
    "LogContents:",
    "2024-06-14 09:12:03,978 INFO [main] MRAppMaster: Created MRAppMaster",
    "2024-06-14 09:12:04,377 WARN [main] NativeCodeLoader: Unable to load native-hadoop",
    "End of LogType:syslog",
    "*" * 60,
    "",
    "LogType:stderr",
    "LogLastModifiedTime:Fri Jun 14 09:21:44 +0000 2024",
    "LogLength:57",
    "LogContents:",
    "log4j:WARN No appenders could be found for logger (org.apache.hadoop.conf).",
    "End of LogType:stderr",
]


def test_yarn_logs_are_one_part_per_container_log_without_their_headers():
    found = sniff(sample_of(YARN))
    assert found is not None and found.format.name == "sections"
    parts = split_sections(lines_of(YARN))
    assert [name for name, _ in parts] == [
        "container_e07_1718352211841_0042_01_000001/syslog",
        "container_e07_1718352211841_0042_01_000001/stderr",
    ]
    assert parts[0][1]["line"].to_list() == [8, 9, 12]  # (the blank line after, as tail's)
    assert parts[1][1]["line"].to_list() == [17]

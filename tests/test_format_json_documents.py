"""JSON over several lines: pretty-printed records and documents holding records, written after
`jq`'s default output, AWS CloudTrail's documented log file and Elasticsearch 7's JSON log."""

from __future__ import annotations

import json

from helpers import utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.json_documents import parse_documents, sniff
from logview.core.reading.registry import sniff as detect

CLOUDTRAIL = json.dumps(
    {
        "Records": [
            {"eventTime": "2024-03-14T09:26:53Z", "eventName": "ConsoleLogin"},
            {"eventTime": "2024-03-14T09:27:40Z", "eventName": "RunInstances",
             "errorCode": "Client.UnauthorizedOperation"},
        ]
    },
    indent=2,
)  # fmt: skip
PRETTY = "\n".join(
    json.dumps({"time": f"2024-03-14T09:26:5{i}Z", "level": lvl, "msg": f"step {i}"}, indent=2)
    for i, lvl in enumerate(["info", "warn", "error"])
)
ELASTIC = "\n".join(
    [
        '{"type": "server", "timestamp": "2024-03-14T10:26:50,101+01:00", "level": "INFO", '
        '"message": "started" }',
        '{"type": "server", "timestamp": "2024-03-14T10:27:40,120+01:00", "level": "ERROR", '
        '"message": "fatal error in thread", ',
        '"stacktrace": ["java.lang.OutOfMemoryError: Java heap space",',
        '"at java.lang.Thread.run(Thread.java:1583) [?:?]"] }',
        '{"type": "server", "timestamp": "2024-03-14T10:31:07,004+01:00", "level": "INFO", '
        '"message": "stopped" }',
    ]
)


def sample(text: str, name: str = "x.json") -> Sample:
    return Sample(name, text.encode(), tuple(t for t in text.splitlines() if t.strip()))


def parse(text: str):
    return parse_documents(text.encode(), ParseContext("x.json"))


def test_documents_and_multi_line_records_are_detected_and_json_lines_are_not():
    for text in (CLOUDTRAIL, PRETTY, ELASTIC):
        assert sniff(sample(text)) == 0.9
        found = detect(sample(text))
        assert found is not None and found.format.name == "json-document"
    one_per_line = "\n".join(json.dumps({"msg": f"m{i}"}) for i in range(5))
    assert sniff(sample(one_per_line)) == 0.0
    assert sniff(sample("plain text\n{ not json")) == 0.0


def test_a_document_holding_records_gives_one_entry_per_record_at_its_line():
    frame = parse(CLOUDTRAIL)
    assert frame["ts"].to_list() == [utc(2024, 3, 14, 9, 26, 53), utc(2024, 3, 14, 9, 27, 40)]
    assert frame["line"].to_list() == [3, 7]
    assert frame["eventName"].to_list() == ["ConsoleLogin", "RunInstances"]


def test_pretty_printed_records_each_are_an_entry():
    frame = parse(PRETTY)
    assert frame.height == 3
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR"]
    assert frame["message"].to_list() == ["step 0", "step 1", "step 2"]
    assert frame["line"].to_list() == [1, 6, 11]


def test_a_record_running_over_lines_is_one_entry():
    frame = parse(ELASTIC)
    assert frame["line"].to_list() == [1, 2, 5]
    assert frame["level"].to_list() == ["INFO", "ERROR", "INFO"]
    assert frame["ts"][1] == utc(2024, 3, 14, 9, 27, 40, 120000)


def test_text_that_is_no_json_is_kept_a_line_at_a_time(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(PRETTY + "\nnot json at all\n" + json.dumps({"msg": "last"}, indent=2) + "\n")
    table = ingest([path]).table.sort("line")
    assert table["message"].to_list() == ["step 0", "step 1", "step 2", "not json at all", "last"]


def test_hostile_nesting_and_broken_values_read_as_text_quickly(tmp_path):
    import time

    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "\n" + '{"a": 1,\n' * 20_000 + '{"msg": "end"}\n')
    started = time.perf_counter()
    result = ingest([path])
    assert time.perf_counter() - started < 30
    assert result.table.height >= 1

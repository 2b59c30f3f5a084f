"""MongoDB's structured JSON log (4.4+) and its older text layout."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.mongodb import parse_json, parse_text
from logview.core.reading.registry import sniff

JSON = [
    '{"t":{"$date":"2023-03-06T18:34:17.383+00:00"},"s":"I","c":"NETWORK","id":22943,'
    '"ctx":"listener","msg":"Connection accepted","attr":{"remote":"127.0.0.1:55000",'
    '"connectionCount":1}}',
    '{"t":{"$date":"2023-03-06T19:34:18.000+01:00"},"s":"W","c":"CONTROL","id":22120,'
    '"ctx":"initandlisten","msg":"Access control is not enabled for the database",'
    '"tags":["startupWarnings"]}',
    '{"t":{"$date":"2023-03-06T18:34:19.000+00:00"},"s":"E","c":"STORAGE","id":22435,'
    '"ctx":"conn12","msg":"WiredTiger error","attr":{"error":2,"message":"No such file"}}',
    '{"t":{"$date":"2023-03-06T18:34:20.000+00:00"},"s":"D2","c":"QUERY","id":1,'
    '"ctx":"conn12","msg":"Planner"}',
    '{"t":{"$date":"2023-03-06T18:34:21.000+00:00"},"s":"F","c":"-","id":23091,'
    '"ctx":"conn12","msg":"Fatal assertion","attr":{"msgid":28595}}',
]
LEGACY = [
    "2019-03-06T18:34:17.383+0000 I NETWORK  [listener] connection accepted from "
    "127.0.0.1:55000 #1 (1 connection now open)",
    "2019-03-06T18:34:18.000+0000 W CONTROL  [initandlisten] ** WARNING: Access control is "
    "not enabled",
    "2019-03-06T18:34:19.000+0000 E STORAGE  [conn1] WiredTiger error (2) No such file",
    "2019-03-06T18:34:20.000+0000 D1 QUERY    [conn1] Running query",
    "2019-03-06T18:34:21.000+0000 I -        [conn1] end connection",
]


def sample_of(texts: list[str], name: str = "mongod.log") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def test_json_records_are_mongodb_not_plain_json_lines():
    found = sniff(sample_of(JSON))
    assert found is not None and found.format.name == "mongodb"
    plain = ['{"t": "2023-03-06T18:34:17Z", "s": "I", "msg": "x"}'] * 3
    found = sniff(sample_of(plain))
    assert found is not None and found.format.name == "jsonl"


def test_legacy_text_is_detected():
    found = sniff(sample_of(LEGACY))
    assert found is not None and found.format.name == "mongodb-text"


def test_stamp_severity_component_thread_and_message():
    frame = parse_json(lines_of(JSON), ParseContext("mongod.log"))
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR", "DEBUG", "FATAL"]
    assert frame["ts"][1] == datetime(2023, 3, 6, 18, 34, 18, tzinfo=UTC)
    assert frame["message"][0] == "Connection accepted"
    assert frame["component"].to_list()[:3] == ["NETWORK", "CONTROL", "STORAGE"]
    assert frame["thread"][2] == "conn12"
    assert frame["id"][0] == "22943"
    assert frame["attr.remote"][0] == "127.0.0.1:55000"
    assert "s" not in frame.columns and "c" not in frame.columns


def test_a_line_that_is_not_json_in_the_middle_is_an_entry_of_its_own():
    frame = parse_json(lines_of([JSON[0], "mongod: got signal 15", JSON[1]]), ParseContext("m"))
    assert frame["message"].to_list() == [
        "Connection accepted",
        "mongod: got signal 15",
        "Access control is not enabled for the database",
    ]
    assert frame["ts"][1] is None


def test_legacy_lines_give_the_same_fields_and_body():
    frame = parse_text(lines_of(LEGACY), ParseContext("mongod.log"))
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR", "DEBUG", "INFO"]
    assert frame["component"].to_list() == ["NETWORK", "CONTROL", "STORAGE", "QUERY", "-"]
    assert frame["thread"][2] == "conn1"
    assert frame["ts"][0] == datetime(2019, 3, 6, 18, 34, 17, 383000, tzinfo=UTC)
    entry = frame.row(0, named=True)
    assert entry["message"][entry["body_at"] :].startswith("connection accepted from")


def test_ingest_mines_the_message_field(tmp_path):
    path = tmp_path / "mongod.log"
    path.write_text("\n".join(JSON) + "\n")
    result = ingest([path])
    assert result.sources[0].format == "mongodb"
    assert result.table["message"][0] == "Connection accepted"

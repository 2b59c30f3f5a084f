"""CloudWatch Logs exports and `aws logs` output; sniffing across all JSON-family formats."""

from __future__ import annotations

import csv
import io
import json

import pytest
from helpers import lines_of, utc

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers import cloudwatch, container, jsonlines
from logview.core.reading.parsers.cloudwatch import (
    parse_insights_csv,
    parse_insights_json,
    parse_log_events,
    parse_s3_export,
    sniff_s3_export,
)
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import PARSED_SCHEMA

CTX = ParseContext("export")


def sample_of(data: bytes, name: str) -> Sample:
    text = data.decode()
    return Sample(name, data, tuple(t for t in text.split("\n") if t.strip()))


def insights_csv(
    rows: list[list[str]], header=("@timestamp", "@message", "@logStream", "@log")
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


CSV_EXPORT = insights_csv(
    [
        [
            "2024-01-02 03:04:05.123",
            "START RequestId: 1\n",
            "2024/01/02/[$LATEST]ab",
            "123:/aws/lambda/f",
        ],
        ["2024-01-02 03:04:06.000", "Traceback:\n  File x\nValueError", "s2", "123:/aws/lambda/f"],
        [
            "2024-01-02 03:04:07.500",
            '{"level": "error", "msg": "json inside"}',
            "s2",
            "123:/aws/lambda/f",
        ],
    ]
)
INSIGHTS_JSON = json.dumps(
    [
        {"@timestamp": "2024-01-02 03:04:05.123", "@message": "first\n", "@logStream": "s1"},
        {"@timestamp": "2024-01-02 03:04:06.000", "@message": '{"a": 1}', "duration": 12.5},
    ],
    indent=2,
).encode()
QUERY_RESULTS = json.dumps(
    {
        "results": [
            [
                {"field": "@timestamp", "value": "2024-01-02 03:04:05.123"},
                {"field": "@message", "value": "hello"},
                {"field": "@ptr", "value": "CmAK"},
            ],
            [
                {"field": "@timestamp", "value": "2024-01-02 03:04:06.000"},
                {"field": "@message", "value": "bye"},
            ],
        ],
        "statistics": {"recordsMatched": 2.0},
        "status": "Complete",
    },
    indent=4,
).encode()
FILTER_EVENTS = json.dumps(
    {
        "events": [
            {
                "logStreamName": "2024/01/02/[$LATEST]ab",
                "timestamp": 1704164645123,
                "message": "START RequestId: 1\n",
                "ingestionTime": 1704164646000,
                "eventId": "3791",
            },
            {
                "logStreamName": "2024/01/02/[$LATEST]ab",
                "timestamp": 1704164646000,
                "message": '{"level":"ERROR","msg":"boom"}',
                "ingestionTime": 1704164647000,
                "eventId": "3792",
            },
        ],
        "searchedLogStreams": [],
        "nextToken": "abc",
    },
    indent=4,
).encode()
GET_EVENTS = json.dumps(
    {
        "events": [{"timestamp": 1704164645123, "message": "one", "ingestionTime": 1704164646000}],
        "nextForwardToken": "f/1",
        "nextBackwardToken": "b/1",
    }
).encode()
S3_LINES = [
    "2024-01-02T03:04:05.123Z START RequestId: 1 Version: $LATEST",
    "2024-01-02T03:04:06.000Z Traceback (most recent call last):",
    '  File "handler.py", line 3',
    '2024-01-02T03:04:07.000Z {"level": "info"}',
]


# --- Logs Insights CSV ---------------------------------------------------------------------


def test_insights_csv_gives_utc_stamps_messages_and_at_columns_as_extras():
    frame = parse_insights_csv(CSV_EXPORT, CTX)
    assert frame.columns == ["ts", "level", "line", "message", "@logStream", "@log"]
    assert frame["ts"].to_list() == [
        utc(2024, 1, 2, 3, 4, 5, 123000),
        utc(2024, 1, 2, 3, 4, 6),
        utc(2024, 1, 2, 3, 4, 7, 500000),
    ]
    assert frame["message"].to_list() == [
        "START RequestId: 1",
        "Traceback:\n  File x\nValueError",
        '{"level": "error", "msg": "json inside"}',
    ]
    assert frame["@logStream"].to_list() == ["2024/01/02/[$LATEST]ab", "s2", "s2"]
    assert frame["level"].to_list() == [None, None, None]


def test_insights_csv_line_is_the_physical_line_where_the_record_starts():
    # Record 1 spans lines 2-3 (its message ends in a newline), record 2 lines 4-6.
    assert parse_insights_csv(CSV_EXPORT, CTX)["line"].to_list() == [2, 4, 7]


def test_insights_csv_takes_the_level_from_a_level_column():
    data = insights_csv(
        [["2024-01-02 03:04:05.000", "m1", "warning"], ["2024-01-02 03:04:06.000", "m2", "ERROR"]],
        header=("@timestamp", "@message", "level"),
    )
    frame = parse_insights_csv(data, CTX)
    assert frame["level"].to_list() == ["WARN", "ERROR"]
    assert "level" not in frame.columns[4:]


def test_insights_csv_of_a_header_only_is_an_empty_frame():
    for data in (b"", b"@timestamp,@message\n"):
        frame = parse_insights_csv(data, CTX)
        assert frame.height == 0 and dict(frame.schema) == PARSED_SCHEMA


# --- Logs Insights JSON --------------------------------------------------------------------


def test_insights_json_array_gives_one_entry_per_result():
    frame = parse_insights_json(INSIGHTS_JSON, CTX)
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 3, 4, 5, 123000), utc(2024, 1, 2, 3, 4, 6)]
    assert frame["message"].to_list() == ["first", '{"a": 1}']
    assert frame["line"].to_list() == [1, 2]
    assert frame["@logStream"].to_list() == ["s1", None]
    assert frame["duration"].to_list() == [None, "12.5"]


def test_get_query_results_rows_of_fields_become_entries():
    frame = parse_insights_json(QUERY_RESULTS, CTX)
    assert frame["message"].to_list() == ["hello", "bye"]
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 3, 4, 5, 123000), utc(2024, 1, 2, 3, 4, 6)]
    assert frame["@ptr"].to_list() == ["CmAK", None]


def test_results_without_a_message_field_read_as_key_value_text():
    data = json.dumps(
        [{"@timestamp": "2024-01-02 03:04:05.000", "status": "500", "count": 3}]
    ).encode()
    frame = parse_insights_json(data, CTX)
    assert frame["message"].to_list() == ["status=500 count=3"]


def test_insights_json_of_an_empty_array_is_an_empty_frame():
    frame = parse_insights_json(b"[]", CTX)
    assert frame.height == 0 and dict(frame.schema) == PARSED_SCHEMA


def test_broken_json_document_is_refused_with_its_position():
    with pytest.raises(LogviewError, match="line 3"):
        parse_insights_json(b'[\n{"@timestamp": "x",\n "@message": }]', CTX)


# --- aws logs filter-log-events / get-log-events -------------------------------------------


def test_filter_log_events_output_gives_ms_stamps_and_stream_extras():
    frame = parse_log_events(FILTER_EVENTS, CTX)
    assert frame.columns == [
        "ts",
        "level",
        "line",
        "message",
        "logStreamName",
        "ingestionTime",
        "eventId",
    ]
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 3, 4, 5, 123000), utc(2024, 1, 2, 3, 4, 6)]
    assert frame["message"].to_list() == ["START RequestId: 1", '{"level":"ERROR","msg":"boom"}']
    assert frame["eventId"].to_list() == ["3791", "3792"]
    assert frame["ingestionTime"].to_list() == ["1704164646000", "1704164647000"]


def test_get_log_events_output_and_concatenated_pages_are_read():
    frame = parse_log_events(GET_EVENTS + b"\n" + FILTER_EVENTS, CTX)
    assert frame["message"].to_list() == [
        "one",
        "START RequestId: 1",
        '{"level":"ERROR","msg":"boom"}',
    ]
    assert frame["line"].to_list() == [1, 2, 3]
    assert frame["logStreamName"][0] is None


def test_document_without_events_is_refused():
    with pytest.raises(LogviewError, match="events"):
        parse_log_events(b'{"logGroups": []}', CTX)


# --- S3 export -----------------------------------------------------------------------------


def test_s3_export_lines_give_stamp_and_message_with_continuations_joined():
    frame = parse_s3_export(lines_of(S3_LINES), CTX)
    assert frame["ts"].to_list() == [
        utc(2024, 1, 2, 3, 4, 5, 123000),
        utc(2024, 1, 2, 3, 4, 6),
        utc(2024, 1, 2, 3, 4, 7),
    ]
    assert frame["message"].to_list() == [
        "START RequestId: 1 Version: $LATEST",
        'Traceback (most recent call last):\n  File "handler.py", line 3',
        '{"level": "info"}',
    ]
    assert frame["line"].to_list() == [1, 2, 4]


def test_s3_export_lines_before_the_first_stamp_are_an_entry_of_their_own():
    frame = parse_s3_export(lines_of(["preamble", *S3_LINES[:1]]), CTX)
    assert frame["message"].to_list() == ["preamble", "START RequestId: 1 Version: $LATEST"]
    assert frame["ts"][0] is None


def test_s3_export_is_only_claimed_for_export_object_names():
    data = "\n".join(S3_LINES).encode()
    assert sniff_s3_export(sample_of(data, "exportedlogs/abc/stream/000000.gz")) == 0.9
    assert sniff_s3_export(sample_of(data, "000123")) == 0.9
    assert sniff_s3_export(sample_of(data, "app.log")) == 0
    assert sniff_s3_export(sample_of(data, "x/1000000.gz")) == 0
    plain = b"2024-01-02 03:04:05 INFO started\nmore text\n"
    assert sniff_s3_export(sample_of(plain, "stream/000000.gz")) == 0


def test_s3_export_of_nothing_is_an_empty_frame():
    frame = parse_s3_export(lines_of([]), CTX)
    assert frame.height == 0 and dict(frame.schema) == PARSED_SCHEMA


# --- sniffing across the JSON family -------------------------------------------------------

JOURNAL = "\n".join(
    json.dumps({"__REALTIME_TIMESTAMP": "1704164645123456", "PRIORITY": "6", "MESSAGE": f"m{i}"})
    for i in range(5)
).encode()
DOCKER = "\n".join(
    json.dumps({"log": f"m{i}\n", "stream": "stdout", "time": "2024-01-02T03:04:05.1Z"})
    for i in range(5)
).encode()
SAMPLES = {
    "jsonl": (
        b'{"time": "2024-01-02T03:04:05Z", "level": "info", "msg": "a"}\n{"msg": "b"}\n',
        "app.log",
    ),
    "journald": (JOURNAL, "journal.json"),
    "docker": (DOCKER, "abc-json.log"),
    "cri": (b"2024-01-02T03:04:05.1Z stdout F a\n2024-01-02T03:04:05.2Z stdout P b\n", "pod.log"),
    "cloudwatch-csv": (CSV_EXPORT, "logs-insights-results.csv"),
    "cloudwatch-json": (INSIGHTS_JSON, "logs-insights-results.json"),
    "cloudwatch-json/results": (QUERY_RESULTS, "results.json"),
    "aws-logs-json": (FILTER_EVENTS, "events.json"),
    "aws-logs-json/get": (GET_EVENTS, "events.json"),
    "cloudwatch-s3": ("\n".join(S3_LINES).encode(), "stream/000000.gz"),
}
MINE: list[Format] = [*cloudwatch.FORMATS, *container.FORMATS, *jsonlines.FORMATS]


@pytest.mark.parametrize("kind", SAMPLES)
def test_each_format_wins_on_its_own_sample(kind):
    data, name = SAMPLES[kind]
    scores = {fmt.name: fmt.sniff(sample_of(data, name)) for fmt in MINE}
    expected = kind.split("/")[0]
    best = max(scores.values())
    assert scores[expected] == best > 0.8
    assert [n for n, s in scores.items() if s == best] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-02 03:04:05,123 INFO [main] started\n2024-01-02 03:04:06,000 ERROR failed\n",
        "Jan  2 03:04:05 host sshd[12]: Accepted key\n",
        'level=info msg="hello world" ts=2024-01-02T03:04:05Z\n',
        "plain words\nwith no structure\n",
    ],
)
def test_plain_text_scores_zero_for_every_json_family_format(text):
    sample = sample_of(text.encode(), "000000.gz")
    assert {fmt.name: fmt.sniff(sample) for fmt in MINE} == dict.fromkeys(
        [fmt.name for fmt in MINE], 0.0
    )

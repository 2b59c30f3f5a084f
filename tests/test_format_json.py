"""JSON lines and journald JSON: sniffing and parsing."""

from __future__ import annotations

import json
import random

import polars as pl
import pytest
from helpers import lines_of, utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers import fields, json_objects, jsonlines
from logview.core.reading.parsers.jsonlines import (
    parse_journald,
    parse_json_lines,
    sniff_journald,
    sniff_json_lines,
)
from logview.core.shared.table import PARSED_SCHEMA


def sample_of(texts: list[str], name: str = "app.log") -> Sample:
    body = "\n".join(texts).encode()
    return Sample(name, body, tuple(t for t in texts if t.strip()))


def parse(
    texts: list[str], warnings: list[str] | None = None, notes: list[str] | None = None
) -> pl.DataFrame:
    warn = warnings.append if warnings is not None else (lambda message: None)
    note = notes.append if notes is not None else (lambda message: None)
    return parse_json_lines(lines_of(texts), ParseContext("app.log", warn=warn, note=note))


def test_json_lines_give_ts_level_message_and_extras_by_key_name():
    frame = parse(
        [
            '{"time": "2024-01-02T03:04:05.123Z", "level": "warning", "msg": "disk low", "host": "a"}',
            '{"time": "2024-01-02T03:04:06Z", "level": "ERROR", "msg": "disk full", "host": "b"}',
        ]
    )
    assert frame.columns == ["ts", "level", "line", "message", "host"]
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 3, 4, 5, 123000), utc(2024, 1, 2, 3, 4, 6)]
    assert frame["level"].to_list() == ["WARN", "ERROR"]
    assert frame["line"].to_list() == [1, 2]
    assert frame["message"].to_list() == ["disk low", "disk full"]
    assert frame["host"].to_list() == ["a", "b"]
    assert frame.schema["ts"] == PARSED_SCHEMA["ts"]
    assert frame.schema["line"] == pl.UInt64


def test_key_priority_prefers_at_timestamp_and_message_over_later_names():
    frame = parse(
        [
            '{"ts": "2020-01-01T00:00:00Z", "@timestamp": "2024-05-06T07:08:09Z", '
            '"text": "other", "Message": "chosen", "severity": "info", "LEVEL": "error"}'
        ]  # fmt: skip
    )
    assert frame["ts"].to_list() == [utc(2024, 5, 6, 7, 8, 9)]
    assert frame["message"].to_list() == ["chosen"]
    assert frame["level"].to_list() == ["ERROR"]  # "level" (any case) ranks above "severity"
    assert set(frame.columns) >= {"ts_", "text", "severity"}


def test_text_lines_between_json_lines_are_read_as_plain_text_in_place():
    frame = parse(
        [
            '{"ts": "2024-01-02T03:04:05Z", "msg": "failed"}',
            "java.lang.IllegalStateException: boom",
            "\tat com.example.Main.run(Main.java:10)",
            '{"ts": "2024-01-02T03:04:06Z", "msg": "recovered"}',
            "started worker 2",
            '{"ts": "2024-01-02T03:04:07Z", "msg": "ok"}',
            # a Go runtime panic on stderr: its goroutine heads and frames are one entry
            "panic: assignment to entry in nil map",
            "",
            "goroutine 87 [running]:",
            "github.com/acme/shop/promo.(*Cache).Put(...)",
            "\t/src/promo/cache.go:52",
            "main.main()",
            "\t/src/main.go:12 +0x2f4",
            "created by github.com/acme/shop/promo.NewRefresher in goroutine 1",
            "\t/src/promo/refresher.go:39 +0x1a5",
            # a plain line right after a record starts an entry, whatever it is
            '{"ts": "2024-01-02T03:04:08Z", "msg": "restarted"}',
            "\tindented, yet after a record",
        ]
    )
    assert frame["line"].to_list() == [1, 2, 4, 5, 6, 7, 16, 17]
    assert frame["message"][1] == (
        "java.lang.IllegalStateException: boom\n\tat com.example.Main.run(Main.java:10)"
    )
    assert frame["message"][3] == "started worker 2"
    assert frame["message"][5].startswith("panic: assignment")
    assert frame["message"][5].endswith("refresher.go:39 +0x1a5")
    assert frame["ts"].to_list()[1] is None and frame["ts"].to_list()[5] is None
    assert frame["message"][7] == "\tindented, yet after a record"


def test_malformed_json_lines_are_kept_as_text_and_the_rest_parsed():
    texts = [
        '{"ts": "2024-01-02T03:04:05Z", "msg": "one", "n": "1"}',
        '{"ts": "2024-01-02T03:04:06Z", "msg": "cut',
        '{"ts": "2024-01-02T03:04:07Z", "msg": "two"} trailing',
        '{"ts": "2024-01-02T03:04:08Z", "msg": "three", "n": "3"}',
    ]
    frame = parse(texts)
    assert frame["message"].to_list() == ["one", texts[1], texts[2], "three"]
    # The lines that are no object are read as plain text reads them: their stamps kept.
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 3, 4, s) for s in (5, 6, 7, 8)]
    assert frame["n"].to_list() == ["1", None, None, "3"]


def test_mixed_value_types_for_one_key_become_their_json_text():
    frame = parse(
        [
            '{"msg": "a", "v": 1}',
            '{"msg": "b", "v": "text"}',
            '{"msg": "c", "v": true}',
            '{"msg": "d", "v": 2.5}',
            '{"msg": "e", "v": null}',
            '{"msg": "f", "v": [1, "x"]}',
            '{"msg": "g"}',
        ]
    )
    assert frame["v"].to_list() == ["1", "text", "true", "2.5", None, '[1, "x"]', None]
    assert frame.schema["v"] == pl.String


def test_nested_objects_are_flattened_into_dotted_columns():
    frame = parse(
        [
            '{"msg": "a", "req": {"id": 7, "path": "/x", "user": {"name": "ann"}}}',
            '{"msg": "b", "req": {"id": 8}}',
        ]
    )
    assert frame["req.id"].to_list() == ["7", "8"]
    assert frame["req.path"].to_list() == ["/x", None]
    assert frame["req.user.name"].to_list() == ["ann", None]
    assert "req" not in frame.columns


def test_dotted_key_and_nested_key_of_the_same_path_share_a_column():
    frame = parse(['{"msg": "a", "log.origin": "x.py"}', '{"msg": "b", "log": {"origin": "y.py"}}'])
    assert frame["log.origin"].to_list() == ["x.py", "y.py"]


def test_key_that_is_an_object_in_some_lines_and_a_list_in_others_is_json_text():
    # Enough lines that the schema is learned piece by piece (polars refuses the whole).
    texts = [
        json.dumps({"msg": f"m{i}", "req": {"id": i}, "ctx": {"user": "u"}}) for i in range(600)
    ]
    texts[450] = json.dumps({"msg": "odd", "req": [1, 2], "ctx": {"user": "v"}})
    frame = parse(texts)
    assert frame.height == 600
    assert frame["req"][0] == '{"id": 0}'
    assert frame["req"][450] == "[1, 2]"
    assert frame["message"][450] == "odd"
    assert frame["ctx.user"][450] == "v"  # other nested keys are still flattened
    assert "req.id" not in frame.columns


def test_key_that_is_an_object_and_a_number_is_json_text():
    frame = parse(['{"msg": "a", "e": {"z": 1}}', '{"msg": "b", "e": 5}'])
    assert frame["e"].to_list() == ['{"z": 1}', "5"]


def test_keys_named_like_core_columns_get_a_trailing_underscore():
    frame = parse(['{"msg": "a", "source": "x", "line": 42, "message_id": "q"}'])
    assert frame["source_"].to_list() == ["x"]
    assert frame["line_"].to_list() == ["42"]
    assert frame["line"].to_list() == [1]
    assert frame["message_id"].to_list() == ["q"]


def test_object_without_message_key_keeps_the_whole_line_as_message():
    text = '{"ts": "2024-01-02T03:04:05Z", "user": "ann", "action": "login"}'
    frame = parse([text])
    assert frame["message"].to_list() == [text]
    assert frame["user"].to_list() == ["ann"]


def test_escaped_newlines_in_a_message_become_real_newlines():
    frame = parse(['{"msg": "Traceback:\\n  File \\"x.py\\"\\n\\tboom"}'])
    assert frame["message"].to_list() == ['Traceback:\n  File "x.py"\n\tboom']


def test_stamp_and_level_keys_are_found_by_value_when_no_name_matches():
    frame = parse(
        [
            '{"when": "2024-03-04 05:06:07+01:00", "sev": "warning", "code": "3", "body": "x"}',
            '{"when": "2024-03-04 05:06:08+01:00", "sev": "info", "code": "4", "body": "y"}',
        ]
    )
    assert frame["ts"].to_list() == [utc(2024, 3, 4, 4, 6, 7), utc(2024, 3, 4, 4, 6, 8)]
    assert frame["level"].to_list() == ["WARN", "INFO"]
    assert "when" not in frame.columns and "sev" not in frame.columns
    assert frame["code"].to_list() == ["3", "4"]  # digits alone are not taken for levels


def test_small_counters_are_not_taken_for_epoch_stamps():
    frame = parse(['{"count": 5, "body": "x"}', '{"count": 6, "body": "y"}'])
    assert frame["ts"].to_list() == [None, None]
    assert frame["count"].to_list() == ["5", "6"]


def test_epoch_millisecond_numbers_and_numeric_levels_are_read():
    frame = parse(
        [
            '{"time": 1704164645123, "level": 30, "msg": "pino info"}',
            '{"time": 1704164646000, "level": 50, "msg": "pino error"}',
            '{"time": 1704164647000, "level": "60", "msg": "pino fatal"}',
        ]
    )
    assert frame["ts"].to_list() == [
        utc(2024, 1, 2, 3, 4, 5, 123000),
        utc(2024, 1, 2, 3, 4, 6),
        utc(2024, 1, 2, 3, 4, 7),
    ]
    # Numeric levels follow one convention per source (tests/test_levels_more.py).
    assert frame["level"].to_list() == ["INFO", "ERROR", "FATAL"]


def test_stamps_without_zone_are_read_as_utc_and_say_so():
    notes: list[str] = []
    frame = parse(['{"asctime": "2024-01-02 03:04:05,250", "msg": "x"}'], notes=notes)
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 3, 4, 5, 250000)]
    assert any("zone" in n for n in notes)


def test_more_than_128_fields_keep_the_most_used_and_warn_about_the_rest(monkeypatch):
    monkeypatch.setattr(fields, "MAX_EXTRA_COLUMNS", 3)
    warnings: list[str] = []
    frame = parse(
        [
            '{"msg": "a", "k1": "1", "k2": "1", "k3": "1", "k4": "1"}',
            '{"msg": "b", "k1": "2", "k2": "2", "k4": "2", "k5": "2"}',
            '{"msg": "c", "k2": "3", "k4": "3"}',
        ],
        warnings,
    )
    assert frame.columns == ["ts", "level", "line", "message", "k1", "k2", "k4"]
    assert len(warnings) == 1 and "k3, k5" in warnings[0]


def test_cap_is_128_columns_by_default():
    record = {"msg": "x", **{f"k{i:03d}": str(i) for i in range(200)}}
    sparse = {"msg": "y", **{f"k{i:03d}": str(i) for i in range(150, 200)}}
    warnings: list[str] = []
    frame = parse([json.dumps(record), json.dumps(sparse)], warnings)
    assert frame.width == 4 + 128
    kept = set(frame.columns)
    assert {f"k{i}" for i in range(150, 200)} <= kept  # the fields in both lines
    assert len(kept & {f"k{i:03d}" for i in range(150)}) == 78
    assert "and 62 more" in warnings[0]


def test_extra_columns_follow_the_order_keys_are_written_in():
    frame = parse(
        ['{"zeta": 1, "msg": "a", "alpha": {"y": 1, "x": 2}, "mid": 3}', '{"new": 1, "zeta": 2}']
    )
    assert frame.columns[4:] == ["zeta", "alpha.y", "alpha.x", "mid", "new"]


def test_empty_input_gives_an_empty_frame_with_the_parsed_schema():
    frame = parse([])
    assert frame.height == 0
    assert dict(frame.schema) == PARSED_SCHEMA


def test_lines_of_empty_objects_are_entries_with_their_text():
    frame = parse(["{}", "{ }"])
    assert frame["message"].to_list() == ["{}", "{ }"]
    assert frame["line"].to_list() == [1, 2]


def test_only_text_lines_are_all_kept_as_messages():
    frame = parse(["hello", "world"])
    assert frame["message"].to_list() == ["hello", "world"]
    assert frame["ts"].null_count() == 2


def test_json_lines_sniff_scores_by_share_of_object_lines():
    objects = [f'{{"msg": "m{i}"}}' for i in range(10)]
    assert sniff_json_lines(sample_of(objects)) == 0.85
    assert sniff_json_lines(sample_of(objects[:8] + ["text", "more text"])) == 0.85
    half = sniff_json_lines(sample_of(objects[:5] + ["text"] * 5))
    assert 0 < half < 0.5
    assert sniff_json_lines(sample_of(["2024-01-02 03:04:05 INFO started", "plain"])) == 0
    assert sniff_json_lines(sample_of(['["a", "b"]', '"text"', "{not json"])) == 0


# --- journald ------------------------------------------------------------------------------


def journal_record(i: int, **fields: object) -> str:
    record = {
        "__CURSOR": f"s=abc;i={i}",
        "__REALTIME_TIMESTAMP": str(1704164645123456 + i * 1_000_000),
        "__MONOTONIC_TIMESTAMP": str(1000 + i),
        "PRIORITY": "6",
        "_SYSTEMD_UNIT": "nginx.service",
        "SYSLOG_IDENTIFIER": "nginx",
        "_PID": "321",
        "_HOSTNAME": "web1",
        "MESSAGE": f"started {i}",
    }
    record.update(fields)
    return json.dumps(record)


def test_journald_records_give_stamp_priority_message_and_unit():
    lines = lines_of([journal_record(0), journal_record(1, PRIORITY="3", MESSAGE="failed")])
    frame = parse_journald(lines, ParseContext("journal.json"))
    assert frame["ts"].to_list() == [
        utc(2024, 1, 2, 3, 4, 5, 123456),
        utc(2024, 1, 2, 3, 4, 6, 123456),
    ]
    assert frame["level"].to_list() == ["INFO", "ERROR"]
    assert frame["message"].to_list() == ["started 0", "failed"]
    # under syslog's names, so that a click on a program narrows syslog sources alike
    assert frame["unit"].to_list() == ["nginx.service"] * 2
    assert frame["program"].to_list() == ["nginx"] * 2
    assert frame["pid"].to_list() == ["321"] * 2
    assert frame["host"].to_list() == ["web1"] * 2
    assert "__CURSOR" in frame.columns
    assert "PRIORITY" not in frame.columns and "MESSAGE" not in frame.columns


def test_journald_message_given_as_byte_array_is_decoded():
    data = list("tab\there é".encode()) + [0xFF]
    lines = lines_of([journal_record(0, MESSAGE=data), journal_record(1)])
    frame = parse_journald(lines, ParseContext("journal.json"))
    assert frame["message"].to_list() == ["tab\there é\ufffd", "started 1"]


def test_journald_sniff_wins_over_json_lines_only_with_its_keys():
    journal = sample_of([journal_record(i) for i in range(5)])
    assert sniff_journald(journal) == 0.95
    assert sniff_json_lines(journal) == 0.85
    assert sniff_journald(sample_of(['{"msg": "x"}'] * 5)) == 0


def test_journald_of_nothing_is_an_empty_frame():
    frame = parse_journald(lines_of([]), ParseContext("journal.json"))
    assert frame.height == 0
    assert dict(frame.schema) == PARSED_SCHEMA


def test_message_whose_values_look_like_levels_is_not_taken_for_the_level():
    frame = parse(['{"msg": "error", "kind": "warning"}', '{"msg": "info", "kind": "debug"}'])
    assert frame["message"].to_list() == ["error", "info"]
    assert frame["level"].to_list() == ["WARN", "DEBUG"]


# --- the schema learnt from a sample ---------------------------------------------------------

# Lines where the first ones do not show every key or type: the sampled schema must either be
# proven right for every line or give way to the schema of every line, with the same result.
SCHEMA_CASES = {
    "key first written late": ['{"a":1}', '{"a":2}', '{"a":3,"b":"x"}'],
    "nested key first written late": ['{"a":{"x":1}}', '{"a":{"x":2}}', '{"a":{"x":3,"y":4}}'],
    "keys with null values": ['{"a":1,"b":2}', '{"a":1,"b":2}', '{"a":1,"b":null,"c":null}'],
    "value then object": ['{"a":1}', '{"a":1}', '{"a":{"b":1}}'],
    "object then value": ['{"a":{"b":1}}', '{"a":{"b":1}}', '{"a":1}'],
    "value then list": ['{"a":1}', '{"a":2}', '{"a":[1,2]}'],
    "list then text": ['{"a":[1]}', '{"a":[2]}', '{"a":"x"}'],
    "list then object": ['{"a":[1]}', '{"a":[1]}', '{"a":{"b":1}}'],
    "colons in text": [
        '{"a":"x:y"}',
        '{"a":"p\\":q"}',
        '{"a":"\\u003a","b":1}',
        '{"c\\u003a":"z"}',
    ],
    "space before colon": ['{"a" : 1}', '{"a" : 2}', '{"a" : 3 , "b" :4}'],
    "repeated key": ['{"a":1}', '{"a":1}', '{"a":1,"a":"x:y"}'],
    "empty object then fields": ['{"a":{}}', '{"a":{}}', '{"a":{"b":1}}'],
    "fields then empty object": ['{"a":{"b":1}}', '{"a":{"b":1}}', '{"a":{}}'],
    "null then object": ['{"a":null}', '{"a":null}', '{"a":{"b":null}}'],
    "malformed and text lines": ['{"a":1}', '{"a":1}', '{"a":', "banner", '  {"a":3}  '],
    "line ends of CRLF files": ['{"a":1,"b":"x:y"}\r', '{"a":1}\r', '{"a":2,"c":3}\r'],
    "trailing spaces": ['{"a":1}  ', '{"a":1}\u00a0', '{"a":2}\t'],
    "dotted key and nested key": ['{"a":{"b":1}}', '{"a":{"b":1}}', '{"a.b":2}'],
    "numbers and lists": [
        '{"a":1.50,"b":1e3}',
        '{"a":-0,"b":true}',
        '{"a":null,"b":[1,{"c":"d:e"}]}',
    ],
    "escaped key names": ['{"\\u0061":1}', '{"a":2}', '{"\\u0062":3}'],
    "text starting with a brace": ['{"a":"{x}"}', '{"a":"{y:z}"}', '{"a":"{"}'],
    "list of objects then value": ['{"a":[{"b":1}]}', '{"a":[{"b":2}]}', '{"a":[1]}', '{"a":"s"}'],
    "not objects": ['{"a":1}', "[1,2]", '"x"', '{"a":2}'],
    "two objects on a line": ['{"a":1}', '{"a":1}{"b":2}'],
    "keys written after the order sample": ['{"a":1}'] * 25 + ['{"z":1,"y":2}', '{"x":{"q":1}}'],
    "list and value besides an object and null": [
        '{"n":[1],"c":{}}',
        '{"n":[2],"c":null}',
        '{"n":3,"c":{"a":null}}',
        '{"n":[4],"c":{}}',
    ],
}


def _objects_both_ways(texts: list[str], monkeypatch, sample: int):
    series = pl.Series("text", texts, dtype=pl.String)
    with monkeypatch.context() as m:
        m.setattr(json_objects, "_SCHEMA_SAMPLE", sample)
        sampled = json_objects.read_json_objects(series)
    with monkeypatch.context() as m:
        m.setattr(json_objects, "_read_with_sampled_schema", lambda rows: None)
        every = json_objects.read_json_objects(series)
    return sampled, every


def _assert_same_objects(a: json_objects.JsonObjects, b: json_objects.JsonObjects) -> None:
    assert a.is_object.to_list() == b.is_object.to_list()
    assert a.top_level == b.top_level
    assert a.fields.columns == b.fields.columns
    assert a.fields.to_dicts() == b.fields.to_dicts()


@pytest.mark.slow
def test_sampled_schema_reads_what_the_schema_of_every_line_reads(monkeypatch):
    for name, texts in SCHEMA_CASES.items():
        for sample in (1, 2, 1000):
            sampled, every = _objects_both_ways(texts, monkeypatch, sample)
            try:
                _assert_same_objects(sampled, every)
            except AssertionError as error:
                raise AssertionError(f"{name}, sample of {sample}: {error}") from error


@pytest.mark.slow
def test_sampled_schema_reads_what_the_schema_of_every_line_reads_on_random_lines(monkeypatch):
    rng = random.Random(7)
    keys = ["a", "b", "c", "msg", "ts", "x.y", "n"]

    def value(depth: int = 0) -> object:
        r = rng.random()
        if r < 0.2:
            return None
        if r < 0.4:
            return rng.choice(["p:q", "{x", "plain", 'a"b:', "é:", "", "[1]", "C:\\u003b"])
        if r < 0.55:
            return rng.choice([1, 1.5, 1e20, -3, True])
        if r < 0.7 and depth < 2:
            return {rng.choice(keys): value(depth + 1) for _ in range(rng.randint(0, 3))}
        if r < 0.8:
            return [value(depth + 1) for _ in range(rng.randint(0, 2))]
        return "text:with:colons"

    for trial in range(150):
        base = {k: value() for k in rng.sample(keys, 3)}
        texts = []
        for _ in range(rng.randint(1, 40)):
            record = dict(base) if trial % 2 else {k: value() for k in rng.sample(keys, 2)}
            if rng.random() < 0.2:
                record[rng.choice(keys)] = value()
            separators = (",", ":") if rng.random() < 0.7 else (", ", " : ")
            text = json.dumps(record, separators=separators, ensure_ascii=rng.random() < 0.5)
            texts.append(text if rng.random() > 0.03 else "not json")
        for sample in (1, 3):
            sampled, every = _objects_both_ways(texts, monkeypatch, sample)
            try:
                _assert_same_objects(sampled, every)
            except AssertionError as error:
                raise AssertionError(f"{texts!r}, sample of {sample}: {error}") from error


def test_lines_of_one_shape_learn_their_schema_from_a_sample(monkeypatch):
    inferred: list[int] = []
    infer = json_objects._polars_schema

    def counting(rows: pl.Series) -> dict[str, pl.DataType]:
        inferred.append(rows.len())
        return infer(rows)

    monkeypatch.setattr(json_objects, "_polars_schema", counting)
    texts = [
        json.dumps({"ts": f"2024-01-02T03:04:{i % 60:02d}Z", "level": "info", "msg": f"a:{i}",
                    "req": {"id": i, "path": "/x:y"}, "tags": ["a", "b"]})
        for i in range(5000)
    ]  # fmt: skip
    # A line the sample (the first 1000 and every 5th after them) does not hold.
    texts.insert(
        4998, '{"ts": "2024-01-02T03:05:00Z", "msg": "late", "extra": "e", "req": {"new": 1}}'
    )
    frame = parse(texts)
    assert max(inferred) < 2100  # the sample and the one line it could not prove
    assert frame.height == 5001
    assert frame["extra"].to_list()[4997:5000] == [None, "e", None]
    assert frame["req.new"].to_list()[4998] == "1"
    assert frame["req.id"].to_list()[:2] == ["0", "1"]
    assert frame["tags"][0] == '["a", "b"]'


def test_keys_first_written_after_the_first_objects_follow_in_the_order_they_appear():
    frame = parse(
        ['{"msg": "a", "b": 1}'] * 25
        + ['{"msg": "b", "zeta": 1, "mid": {"y": 1}}', '{"alpha": 2, "zeta": 3}', '{"never": null}']
    )
    assert frame.columns[4:] == ["b", "zeta", "mid.y", "alpha", "never"]


def test_serilog_compact_events_without_a_level_are_information():
    # CLEF (Serilog's compact JSON) leaves `@l` out when the level is Information.
    texts = [
        '{"@t":"2024-03-14T09:26:53.589Z","@mt":"Now listening on: {address}","address":"x"}',
        '{"@t":"2024-03-14T09:26:54.002Z","@mt":"Loaded {Count}","@l":"Debug","Count":3}',
        '{"@t":"2024-03-14T09:26:55.000Z","@mt":"Failed","@l":"Error"}',
        "not an event",
    ]
    frame = jsonlines.parse_json_lines(lines_of(texts), ParseContext("app.clef"))
    assert frame["level"].to_list() == ["INFO", "DEBUG", "ERROR", None]
    assert frame["ts"][0] == utc(2024, 3, 14, 9, 26, 53, 589000)


def test_kubernetes_components_json_levels_and_stamps_in_epoch_milliseconds():
    """klog's JSON format: `ts` in epoch milliseconds with a fraction, no level key; an info
    record carries its verbosity `v`, an error record `err` and no `v`."""
    frame = parse(
        [
            '{"ts":1710408063512.3372,"caller":"app/cm.go:189","msg":"Starting","v":0}',
            '{"ts":1710408063981.1,"caller":"app/cm.go:202","msg":"Failed","err":"x refused"}',
        ]
    )
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 21, 3, 512337),
        utc(2024, 3, 14, 9, 21, 3, 981100),
    ]
    assert frame["level"].to_list() == ["INFO", "ERROR"]
    assert "_klog_level" not in frame.columns


def test_a_level_field_may_hold_mysqls_system():
    # MySQL 8's JSON error log: `prio` is its own scale; `label` names the level.
    frame = parse(
        [
            '{"prio":0,"subsystem":"Server","msg":"starting","time":"2024-03-14T09:20:41Z",'
            '"label":"System"}',
            '{"prio":2,"subsystem":"Server","msg":"CA certificate","time":"2024-03-14T09:20:42Z",'
            '"label":"Warning"}',
            '{"prio":1,"subsystem":"InnoDB","msg":"cannot open","time":"2024-03-14T09:20:43Z",'
            '"label":"Error"}',
        ]
    )
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR"]


def test_apples_message_type_is_a_level_key():
    # `log show --style ndjson`
    frame = parse(
        [
            '{"timestamp":"2024-03-14 10:28:03.118204+0100","messageType":"Info","eventMessage":"a"}',
            '{"timestamp":"2024-03-14 10:28:03.220000+0100","messageType":"Error","eventMessage":"b"}',
            '{"timestamp":"2024-03-14 10:28:03.330000+0100","messageType":"Default","eventMessage":"c"}',
        ]
    )
    assert frame["level"].to_list() == ["INFO", "ERROR", None]


def test_of_two_stamp_keys_without_a_known_name_the_start_is_the_entrys_time():
    # Cloudflare Logpush's HTTP requests: nanosecond epochs, the end's key written first.
    frame = parse(
        [
            '{"ClientIP":"84.128.17.203","EdgeEndTimestamp":1710408012431000000,'
            '"EdgeResponseStatus":200,"EdgeStartTimestamp":1710408012402000000}',
            '{"ClientIP":"84.128.17.204","EdgeEndTimestamp":1710408015207000000,'
            '"EdgeResponseStatus":503,"EdgeStartTimestamp":1710408014988000000}',
        ]
    )
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 20, 12, 402000),
        utc(2024, 3, 14, 9, 20, 14, 988000),
    ]


def test_a_crash_between_records_is_one_entry_and_another_writers_line_keeps_its_stamp():
    # A Go service logging JSON with slog; net/http's ErrorLog writes through the `log`
    # package; then the runtime's panic. And pino's JSON, a Node crash, the last line cut.
    frame = parse(
        [
            '{"time":"2024-03-14T09:29:02.118Z","level":"INFO","msg":"starting"}',
            "2024/03/14 09:29:17 http: TLS handshake error from 10.244.1.1:38816: EOF",
            '{"time":"2024-03-14T09:31:02.140Z","level":"ERROR","msg":"quota refresh failed"}',
            "panic: runtime error: invalid memory address or nil pointer dereference",
            "[signal SIGSEGV: segmentation violation code=0x1 addr=0x30 pc=0x9c4f2e]",
            "",
            "goroutine 211 [running]:",
            "github.com/acme/ratelimit/internal/quota.(*Refresher).apply(0xc0001e4000, 0x0)",
            "\t/src/internal/quota/refresher.go:138 +0x2e",
            '{"time":"2024-03-14T09:31:05.000Z","level":"INFO","msg":"restarted","req":{"id":1,"url":"/hea',
        ]
    )
    assert frame["line"].to_list() == [1, 2, 3, 4, 10]
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 29, 2, 118000),
        utc(2024, 3, 14, 9, 29, 17),
        utc(2024, 3, 14, 9, 31, 2, 140000),
        None,
        utc(2024, 3, 14, 9, 31, 5),  # the record cut short keeps its stamp and level
    ]
    assert frame["level"][4] == "INFO"
    assert frame["message"][3].endswith("refresher.go:138 +0x2e")


def test_kibanas_older_json_log_names_its_level_as_the_first_tag():
    frame = parse(
        [
            '{"type":"log","@timestamp":"2024-06-28T16:01:58+02:00","tags":["info","plugins"],'
            '"pid":1187,"message":"Plugin is disabled."}',
            '{"type":"log","@timestamp":"2024-06-28T16:02:03+02:00","tags":["warning","config"],'
            '"pid":1187,"message":"Setting is deprecated."}',
            '{"type":"error","@timestamp":"2024-06-28T16:03:00+02:00","tags":["connection"],'
            '"pid":1187,"level":"error","message":"Request timeout"}',
            '{"type":"response","@timestamp":"2024-06-28T16:04:00+02:00","tags":[],'
            '"pid":1187,"message":"GET /api/status 200"}',
        ]
    )
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR", None]


def test_the_crash_a_panic_record_announces_is_part_of_it():
    # zap's Panic: the record at level panic, then Go's panic with the same message and the
    # goroutines' stacks (etcd). After a record of a lower level the crash stays an entry of
    # its own (the test above).
    frame = parse(
        [
            '{"level":"info","ts":"2024-03-14T09:26:41.118Z","msg":"became follower"}',
            '{"level":"panic","ts":"2024-03-14T09:26:42.035Z","msg":"tocommit(1843) is out of range"}',
            "panic: tocommit(1843) is out of range",
            "",
            "goroutine 174 [running]:",
            "go.etcd.io/etcd/raft/v3.(*raftLog).commitTo(0xc0001ba000, 0x1c2335)",
            "\tgo.etcd.io/etcd/raft/v3@v3.5.12/log.go:237 +0x135",
            '{"level":"info","ts":"2024-03-14T09:26:50.001Z","msg":"restarted"}',
            "started again",
        ]
    )
    assert frame["line"].to_list() == [1, 2, 8, 9]
    assert frame["level"].to_list()[:3] == ["INFO", "FATAL", "INFO"]
    assert frame["ts"][1] == utc(2024, 3, 14, 9, 26, 42, 35000)
    assert frame["message"][1].startswith("tocommit(1843) is out of range\npanic: tocommit")
    assert frame["message"][1].endswith("log.go:237 +0x135")
    assert frame["message"][3] == "started again"


def test_a_banner_before_the_first_record_stays_a_line_an_entry():
    frame = parse(
        [
            "==> Vault server configuration:",
            "             Api Address: https://vault-0:8200",
            "",
            "==> Vault server started! Log data will stream in below:",
            '{"@timestamp":"2024-03-14T09:20:12.000Z","@level":"info","@message":"core: ready"}',
        ]
    )
    assert frame["line"].to_list() == [1, 4, 5]


def test_a_record_cut_short_after_a_spaced_separator_keeps_its_stamp():
    # python-json-logger writes `, ` between fields; the file ends mid-key.
    frame = parse(
        [
            '{"asctime": "2024-03-14T10:28:04+0100", "levelname": "INFO", "message": "done"}',
            '{"asctime": "2024-03-14T10:30:20+0100", "levelname": "INFO", "message": "retry", "backo',
        ]
    )
    assert frame["ts"].to_list() == [utc(2024, 3, 14, 9, 28, 4), utc(2024, 3, 14, 9, 30, 20)]
    assert frame["level"].to_list() == ["INFO", "INFO"]

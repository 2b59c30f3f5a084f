"""Docker json-file and Kubernetes CRI container logs: sniffing and parsing."""

from __future__ import annotations

import json

from helpers import lines_of, utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.container import parse_cri, parse_docker, sniff_cri, sniff_docker
from logview.core.reading.parsers.jsonlines import sniff_json_lines
from logview.core.shared.table import PARSED_SCHEMA


def sample_of(texts: list[str], name: str = "container.log") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def docker(log: str, stream: str = "stdout", second: int = 5, **more: object) -> str:
    return json.dumps(
        {"log": log, "stream": stream, "time": f"2024-01-02T03:04:{second:02d}.123456789Z", **more}
    )


CTX = ParseContext("container.log")


# --- Docker --------------------------------------------------------------------------------


def test_docker_records_give_stamp_text_without_newline_and_stream():
    frame = parse_docker(lines_of([docker("started\n"), docker("oops\r\n", "stderr", 6)]), CTX)
    assert frame.columns == ["ts", "level", "line", "message", "stream"]
    assert frame["ts"].to_list() == [
        utc(2024, 1, 2, 3, 4, 5, 123456),
        utc(2024, 1, 2, 3, 4, 6, 123456),
    ]
    assert frame["message"].to_list() == ["started", "oops"]
    assert frame["stream"].to_list() == ["stdout", "stderr"]
    assert frame["line"].to_list() == [1, 2]
    assert frame["level"].to_list() == [None, None]


def test_docker_partial_records_are_joined_into_one_entry():
    frame = parse_docker(
        lines_of(
            [
                docker("a" * 16384, second=1),
                docker("b" * 16384, second=1),
                docker("c-end\n", second=1),
                docker("next\n", second=2),
            ]
        ),
        CTX,
    )
    assert frame["message"].to_list() == ["a" * 16384 + "b" * 16384 + "c-end", "next"]
    assert frame["line"].to_list() == [1, 4]
    assert frame["ts"].to_list() == [
        utc(2024, 1, 2, 3, 4, 1, 123456),
        utc(2024, 1, 2, 3, 4, 2, 123456),
    ]


def test_docker_partials_join_within_their_stream_when_streams_interleave():
    frame = parse_docker(
        lines_of(
            [
                docker("out-part1 ", "stdout", 1),
                docker("err line\n", "stderr", 2),
                docker("out-part2\n", "stdout", 3),
                docker("err-part1 ", "stderr", 4),
            ]
        ),
        CTX,
    )
    assert frame["message"].to_list() == ["out-part1 out-part2", "err line", "err-part1 "]
    assert frame["stream"].to_list() == ["stdout", "stderr", "stderr"]
    assert frame["line"].to_list() == [1, 2, 4]


def test_docker_stack_trace_lines_join_the_record_they_follow():
    records = [
        docker("ERROR handler failed\n"),
        docker("java.lang.IllegalStateException: closed\n"),
        docker("\tat A.b(A.java:1)\n"),
        docker("Caused by: java.io.IOException: reset\n"),
        docker("\t... 12 more\n"),
        docker("next message\n"),
    ]
    frame = parse_docker(lines_of(records), CTX)
    assert frame["line"].to_list() == [1, 6]
    assert frame["message"][0].splitlines()[1:3] == [
        "java.lang.IllegalStateException: closed",
        "\tat A.b(A.java:1)",
    ]
    # A frame's look a second later, or in the other stream, is a record of its own; an
    # indented line after no stack's marker line is a message's.
    apart = [docker("ERROR failed\n"), docker("\tat A.b(A.java:1)\n", second=6)]
    assert parse_docker(lines_of(apart), CTX).height == 2
    other = [docker("ERROR failed\n"), docker("\tat A.b(A.java:1)\n", "stderr")]
    assert parse_docker(lines_of(other), CTX).height == 2
    indented = [docker("Listening on:\n"), docker("  http://0.0.0.0:8080\n")]
    assert parse_docker(lines_of(indented), CTX).height == 2


def test_docker_lines_that_are_not_records_stay_entries_in_place():
    frame = parse_docker(lines_of([docker("one\n"), "garbage {", docker("two\n")]), CTX)
    assert frame["message"].to_list() == ["one", "garbage {", "two"]
    assert frame["stream"].to_list() == ["stdout", None, "stdout"]
    assert frame["ts"][1] is None


def test_docker_attrs_become_dotted_extras():
    frame = parse_docker(lines_of([docker("x\n", attrs={"tag": "web", "source": "s"})]), CTX)
    assert frame["attrs.tag"].to_list() == ["web"]
    assert frame["attrs.source"].to_list() == ["s"]


def test_docker_empty_input_gives_an_empty_frame():
    frame = parse_docker(lines_of([]), CTX)
    assert frame.height == 0 and dict(frame.schema) == PARSED_SCHEMA


def test_docker_sniff_wins_over_json_lines_on_its_records():
    sample = sample_of([docker(f"line {i}\n") for i in range(10)])
    assert sniff_docker(sample) == 0.97
    assert sniff_json_lines(sample) < sniff_docker(sample)
    assert sniff_docker(sample_of(['{"log": "x", "time": "t"}'] * 5)) == 0  # no stream
    assert sniff_docker(sample_of(["plain text", "more"])) == 0


# --- CRI -----------------------------------------------------------------------------------


def test_cri_records_give_stamp_stream_and_message():
    frame = parse_cri(
        lines_of(
            [
                "2024-01-02T03:04:05.123456789Z stdout F GET /health 200",
                "2024-01-02T03:04:06+02:00 stderr F  leading space kept",
            ]
        ),
        CTX,
    )
    assert frame.columns == ["ts", "level", "line", "message", "stream"]
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 3, 4, 5, 123456), utc(2024, 1, 2, 1, 4, 6)]
    assert frame["message"].to_list() == ["GET /health 200", " leading space kept"]
    assert frame["stream"].to_list() == ["stdout", "stderr"]


def test_cri_stack_trace_lines_join_the_record_they_follow():
    # a Spring Boot application's exception, one CRI record per line, microseconds apart
    at = "2024-06-27T09:18:40.2104"
    frame = parse_cri(
        lines_of(
            [
                f"{at}00+02:00 stdout F 2024-06-27T07:18:40.210Z ERROR 1 --- [main] Handler : failed",
                f"{at}56+02:00 stdout F org.springframework.dao.DataAccessException: no Redis",
                f"{at}61+02:00 stdout F \tat com.example.Repo.load(Repo.java:57)",
                f"{at}75+02:00 stdout F Caused by: java.net.UnknownHostException: redis",
                f"{at}81+02:00 stdout F \t... 118 common frames omitted",
                "2024-06-27T09:18:44.902Z stdout F 2024-06-27T07:18:44.902Z  WARN 1 --- retrying",
            ]
        ),
        CTX,
    )
    assert frame["line"].to_list() == [1, 6]
    assert frame["message"][0].endswith("\n\t... 118 common frames omitted")


def test_cri_partial_records_join_into_the_following_full_record_of_their_stream():
    frame = parse_cri(
        lines_of(
            [
                "2024-01-02T03:04:05Z stdout P first half, ",
                "2024-01-02T03:04:05Z stderr F an error",
                "2024-01-02T03:04:05Z stdout P middle, ",
                "2024-01-02T03:04:06Z stdout F last half",
                "2024-01-02T03:04:07Z stdout F",
            ]
        ),
        CTX,
    )
    assert frame["message"].to_list() == ["first half, middle, last half", "an error", ""]
    assert frame["line"].to_list() == [1, 2, 5]
    assert frame["ts"][0] == utc(2024, 1, 2, 3, 4, 5)


def test_cri_lines_that_are_not_records_stay_entries_in_place():
    frame = parse_cri(
        lines_of(["2024-01-02T03:04:05Z stdout F a", "not cri", "2024-01-02T03:04:06Z stdout F b"]),
        CTX,
    )
    assert frame["message"].to_list() == ["a", "not cri", "b"]
    assert frame["ts"][1] is None and frame["stream"][1] is None


def test_cri_empty_input_gives_an_empty_frame():
    frame = parse_cri(lines_of([]), CTX)
    assert frame.height == 0 and dict(frame.schema) == PARSED_SCHEMA


def test_cri_sniff_scores_cri_lines_only():
    sample = sample_of([f"2024-01-02T03:04:0{i}.5Z stdout F line {i}" for i in range(10)])
    assert sniff_cri(sample) == 0.95
    assert sniff_cri(sample_of(["2024-01-02T03:04:05Z INFO started", "plain"])) == 0
    assert sniff_cri(sample_of([docker("x\n")])) == 0
    assert sniff_docker(sample) == 0


def test_json_logged_by_the_application_is_read_inside_cri_and_docker_records():
    cri = [
        '2024-03-14T09:26:53.589Z stdout F {"level":"info","msg":"listening","port":8080}',
        '2024-03-14T09:27:40.120Z stdout P {"level":"error","msg":"payment',
        '2024-03-14T09:27:40.121Z stdout F  failed","order":4212}',
        "2024-03-14T09:27:41.000Z stderr F W0314 09:27:41.000000 1 client.go:88] slow dns",
    ]
    frame = parse_cri(lines_of(cri), CTX)
    assert frame["level"].to_list() == ["INFO", "ERROR", None]
    assert frame["message"].to_list()[:2] == ["listening", "payment failed"]
    assert frame["ts"][1] == utc(2024, 3, 14, 9, 27, 40, 120000)  # the container's stamp
    assert (frame["port"][0], frame["order"][1]) == ("8080", "4212")
    assert frame["message"][2].startswith("W0314")
    records = [docker('{"level":"warn","msg":"slow"}\n'), docker("plain text\n", second=6)]
    frame = parse_docker(lines_of(records * 2), CTX)
    assert frame["level"].to_list() == ["WARN", None] * 2
    assert frame["message"].to_list() == ["slow", "plain text"] * 2

"""Ingest: paths in, one time-ordered table out, with every source accounted for."""

import gzip
import hashlib
import json
import os
import subprocess
import sys
import tarfile
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from logview.core.reading.ingest import SourceOverride, ingest
from logview.core.shared.errors import Cancelled, LogviewError
from logview.core.shared.table import LEVEL, TS, time_ordered


def write(path, text: str | bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def stamp(minute: int, second: int = 0) -> str:
    return f"2026-03-10 14:{minute:02d}:{second:02d}.000"


def test_table_has_the_shared_schema(tmp_path):
    write(tmp_path / "a.log", f"{stamp(1)} INFO started\n")
    table = time_ordered(ingest([tmp_path / "a.log"]).table)
    assert table.schema["ts"] == TS
    assert table.schema["level"] == LEVEL
    assert table.schema["source"] == pl.Categorical()
    assert table.schema["line"] == pl.UInt64
    assert table.schema["message"] == pl.String
    assert table.columns[:5] == ["ts", "level", "source", "line", "message"]


def test_two_sources_merge_in_time_order_and_equal_stamps_keep_read_order(tmp_path):
    write(tmp_path / "a.log", f"{stamp(1)} INFO a1\n{stamp(3)} INFO a3\n{stamp(5)} INFO a5\n")
    write(tmp_path / "b.log", f"{stamp(2)} WARN b2\n{stamp(3)} ERROR b3\n{stamp(4)} INFO b4\n")
    table = time_ordered(ingest([tmp_path / "a.log", tmp_path / "b.log"]).table)
    words = table["message"].str.split(" ").list.last().to_list()
    assert words == ["a1", "b2", "a3", "b3", "b4", "a5"]
    assert table["level"].to_list() == ["INFO", "WARN", "INFO", "ERROR", "INFO", "INFO"]
    assert table["line"].to_list() == [1, 1, 2, 2, 3, 3]


def test_rotated_set_merges_in_time_order(tmp_path):
    write(tmp_path / "app.log", f"{stamp(30)} INFO newest\n")
    write(tmp_path / "app.log.1", f"{stamp(20)} INFO middle\n")
    write(tmp_path / "app.log.2.gz", gzip.compress(f"{stamp(10)} INFO oldest\n".encode()))
    result = ingest([tmp_path])
    assert time_ordered(result.table)["message"].str.split(" ").list.last().to_list() == [
        "oldest",
        "middle",
        "newest",
    ]
    assert sorted(s.name.rsplit("/", 1)[-1] for s in result.sources) == [
        "app.log",
        "app.log.1",
        "app.log.2.gz",
    ]


def test_stack_trace_lines_join_their_entry(tmp_path):
    text = (
        f"{stamp(1)} ERROR payment failed\n"
        "java.lang.IllegalStateException: pool exhausted\n"
        "\tat com.example.Pool.get(Pool.java:42)\n"
        "Caused by: java.net.SocketTimeoutException\n"
        f"{stamp(2)} INFO recovered\n"
    )
    table = time_ordered(ingest([write(tmp_path / "app.log", text)]).table)
    assert table.height == 2
    assert table["line"].to_list() == [1, 5]
    assert table["message"][0].count("\n") == 3
    assert table["message"][0].endswith("Caused by: java.net.SocketTimeoutException")


def test_entry_without_stamp_keeps_its_place(tmp_path):
    write(tmp_path / "a.log", f"{stamp(1)} INFO a1\n{stamp(9)} INFO a9\n")
    write(
        tmp_path / "b.jsonl",
        '{"ts": "2026-03-10T14:05:00Z", "msg": "b5"}\nnot json at all\n'
        '{"ts": "2026-03-10T14:07:00Z", "msg": "b7"}\n',
    )
    table = time_ordered(ingest([tmp_path / "a.log", tmp_path / "b.jsonl"]).table)
    messages = table["message"].to_list()
    assert messages.index("not json at all") == messages.index("b5") + 1
    assert messages.index("b7") == messages.index("not json at all") + 1
    assert table.filter(pl.col("message") == "not json at all")["ts"].to_list() == [None]


def test_source_without_any_stamp_is_kept_whole(tmp_path):
    write(tmp_path / "notes.txt", "just\nsome\nwords\n")
    table = time_ordered(ingest([tmp_path / "notes.txt"]).table)
    assert table["message"].to_list() == ["just", "some", "words"]
    assert table["ts"].null_count() == 3


def test_clock_offset_override_moves_a_source_and_the_merge_follows(tmp_path):
    a = write(tmp_path / "a.log", f"{stamp(10)} INFO a\n")
    b = write(tmp_path / "b.log", f"{stamp(5)} INFO b\n")
    plain = time_ordered(ingest([a, b]).table)["message"].to_list()
    assert [m[-1] for m in plain] == ["b", "a"]
    name = ingest([b]).sources[0].name
    moved = time_ordered(
        ingest([a, b], overrides={name: SourceOverride(offset=timedelta(minutes=10))}).table
    )
    assert [m[-1] for m in moved["message"].to_list()] == ["a", "b"]
    assert moved["ts"][1] == datetime(2026, 3, 10, 14, 15, tzinfo=UTC)


def test_zone_override_reads_zone_less_stamps_in_that_zone(tmp_path):
    path = write(tmp_path / "a.log", f"{stamp(0)} INFO local time\n")
    name = ingest([path]).sources[0].name
    table = ingest([path], overrides={name: SourceOverride(tz="Europe/Paris")}).table
    assert table["ts"][0] == datetime(2026, 3, 10, 13, 0, tzinfo=UTC)


def test_default_zone_applies_to_every_source(tmp_path):
    path = write(tmp_path / "a.log", f"{stamp(0)} INFO local time\n")
    assert time_ordered(ingest([path], tz="America/New_York").table)["ts"][0] == datetime(
        2026, 3, 10, 18, 0, tzinfo=UTC
    )


def test_format_override_replaces_detection(tmp_path):
    path = write(tmp_path / "a.jsonl", '{"time": "2026-03-10T14:00:00Z", "msg": "hello"}\n')
    assert ingest([path]).sources[0].format == "jsonl"
    name = ingest([path]).sources[0].name
    forced = ingest([path], overrides={name: SourceOverride(format="text")})
    assert forced.sources[0].format == "text"
    assert forced.table["message"][0].startswith('{"time"')


def test_unknown_format_override_is_a_clear_warning_and_the_format_is_detected(tmp_path):
    # A user format named in an override can be gone (its file deleted or broken) by the
    # next load: that costs the override, never the load.
    path = write(tmp_path / "a.log", "x\n")
    result = ingest([path], overrides={str(path): SourceOverride(format="nope")})
    assert any("unknown format 'nope'" in w and "detected instead" in w for w in result.warnings)
    assert result.sources[0].format == "text"


def test_binary_file_is_skipped_with_a_warning_and_listed(tmp_path):
    write(tmp_path / "core.dump", bytes(range(256)) * 64)
    write(tmp_path / "a.log", f"{stamp(1)} INFO fine\n")
    result = ingest([tmp_path])
    assert time_ordered(result.table).height == 1
    skipped = [s for s in result.sources if s.format == "skipped"]
    assert [s.name.rsplit("/", 1)[-1] for s in skipped] == ["core.dump"]
    assert any("core.dump: skipped: binary" in w for w in result.warnings)


def test_empty_file_is_fine(tmp_path):
    result = ingest([write(tmp_path / "empty.log", b"")])
    assert time_ordered(result.table).height == 0
    assert result.sources[0].entries == 0
    assert result.warnings == ()


def test_invalid_utf8_is_replaced_and_warned(tmp_path):
    result = ingest(
        [
            write(
                tmp_path / "a.log",
                f"{stamp(1)} INFO caf\xe9 ok\n".encode("latin-1")
                + "2026-03-10 14:02:00 INFO naïve\n".encode(),
            )
        ]
    )
    assert time_ordered(result.table).height == 2
    assert (
        "\ufffd" in time_ordered(result.table)["message"][0]
        or "é" in time_ordered(result.table)["message"][0]
    )


def test_fifty_megabyte_line_is_cut_not_fatal(tmp_path):
    path = write(
        tmp_path / "huge.log",
        f"{stamp(1)} INFO ".encode()
        + b"x" * (50 * 1024 * 1024)
        + f"\n{stamp(2)} INFO after\n".encode(),
    )
    table = time_ordered(ingest([path]).table)
    assert table.height == 2
    assert len(table["message"][0]) < 5 * 1024 * 1024
    assert "truncated by logview" in table["message"][0]
    assert table["message"][1].endswith("after")


def test_truncated_gzip_yields_what_was_read_and_a_warning(tmp_path):
    body = "".join(f"{stamp(i // 60, i % 60)} INFO line {i}\n" for i in range(3000)).encode()
    packed = gzip.compress(body)
    path = write(tmp_path / "cut.log.gz", packed[: len(packed) // 2])
    result = ingest([path])
    assert 0 < time_ordered(result.table).height < 3000
    assert any("truncated" in w for w in result.warnings)


def test_archive_members_are_named_inside_their_archive(tmp_path):
    member = tmp_path / "src" / "app.log"
    write(member, f"{stamp(1)} INFO in archive\n")
    bundle = tmp_path / "bundle.tgz"
    with tarfile.open(bundle, "w:gz") as tar:
        tar.add(member, arcname="var/log/app.log")
    result = ingest([bundle])
    assert time_ordered(result.table)["source"].cast(pl.String).to_list() == [
        f"{bundle}/var/log/app.log"
    ]
    assert result.sources[0].path == str(bundle)


def test_missing_path_alone_is_an_error_but_beside_a_good_one_a_warning(tmp_path):
    good = write(tmp_path / "a.log", f"{stamp(1)} INFO ok\n")
    with pytest.raises(LogviewError, match="missing.log"):
        ingest([tmp_path / "missing.log"])
    result = ingest([good, tmp_path / "missing.log"])
    assert time_ordered(result.table).height == 1
    assert any("missing.log" in w for w in result.warnings)


def test_sources_are_not_modified(tmp_path):
    paths = [
        write(tmp_path / "a.log", f"{stamp(1)} INFO a\n"),
        write(tmp_path / "b.log.gz", gzip.compress(f"{stamp(2)} INFO b\n".encode())),
    ]
    before = [(hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns) for p in paths]
    ingest([tmp_path])
    after = [(hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns) for p in paths]
    assert before == after
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.log", "b.log.gz"]


def test_progress_reaches_the_total_and_cancel_stops(tmp_path):
    body = "".join(f"{stamp(i % 60)} INFO line {i}\n" for i in range(20000))
    write(tmp_path / "a.log", body)
    write(tmp_path / "b.log", body)
    seen = []
    ingest([tmp_path], progress=seen.append)
    assert seen[-1].bytes_done == seen[-1].bytes_total > 0
    assert seen[-1].entries == 40000
    with pytest.raises(Cancelled):
        ingest([tmp_path], cancelled=lambda: True)


def test_source_info_describes_each_source(tmp_path):
    write(tmp_path / "a.log", f"{stamp(1)} INFO a\n{stamp(7)} ERROR b\n")
    write(
        tmp_path / "b.jsonl",
        json.dumps({"time": "2026-03-10T15:00:00Z", "level": "warn", "msg": "x"}) + "\n",
    )
    infos = {s.name.rsplit("/", 1)[-1]: s for s in ingest([tmp_path]).sources}
    assert infos["a.log"].format == "text"
    assert infos["a.log"].entries == 2
    assert infos["a.log"].first == datetime(2026, 3, 10, 14, 1, tzinfo=UTC)
    assert infos["a.log"].last == datetime(2026, 3, 10, 14, 7, tzinfo=UTC)
    assert infos["b.jsonl"].format == "jsonl"
    assert infos["b.jsonl"].format_label == "JSON lines"


def test_structured_entries_without_a_level_field_take_it_from_their_text(tmp_path):
    export = (
        "@timestamp,@message,@logStream,@log\n"
        '2026-03-10 14:00:01.000,"[ERROR]\t2026-03-10T14:00:01Z\tabc\tpayment declined",s1,1:/aws/lambda/auth\n'
        '2026-03-10 14:00:02.000,"START RequestId: abc Version: $LATEST",s1,1:/aws/lambda/auth\n'
    )
    table = time_ordered(ingest([write(tmp_path / "insights.csv", export)]).table)
    assert table["level"].to_list() == ["ERROR", "NONE"]


def test_many_equal_stamps_across_sources_keep_source_then_line_order(tmp_path):
    same = stamp(1)
    write(tmp_path / "a.log", "".join(f"{same} INFO a{i}\n" for i in range(500)))
    write(
        tmp_path / "b.log",
        f"{stamp(0)} INFO b-early\n" + "".join(f"{same} INFO b{i}\n" for i in range(500)),
    )
    table = time_ordered(ingest([tmp_path / "a.log", tmp_path / "b.log"]).table)
    words = table["message"].str.split(" ").list.last().to_list()
    assert words == ["b-early", *[f"a{i}" for i in range(500)], *[f"b{i}" for i in range(500)]]


def test_sources_stay_together_and_seq_is_the_time_order(tmp_path):
    write(tmp_path / "a.log", f"{stamp(1)} INFO a1\n{stamp(3)} INFO a3\n")
    write(tmp_path / "b.log", f"{stamp(2)} INFO b2\n{stamp(4)} INFO b4\n")
    table = ingest([tmp_path / "a.log", tmp_path / "b.log"]).table
    assert table["message"].str.slice(-2).to_list() == ["a1", "a3", "b2", "b4"]
    assert table["seq"].to_list() == [0, 2, 1, 3]


@pytest.mark.slow
def test_sparse_fields_of_one_source_cost_nothing_on_the_others(tmp_path):
    """100 fields of a 10-line JSON source beside a 1M-line text source: a materialised merge
    would hold 100 columns x 16 bytes x 1M rows (1.6 GB) of nulls; kept apart, nearly nothing
    (the peak is then the text source's own parsing, about 0.5 GB today)."""
    json_lines = "".join(
        '{"ts": "2026-03-10T14:00:00Z", "msg": "m", '
        + ", ".join(f'"k{k}": "v"' for k in range(100))
        + "}\n"
        for _ in range(10)
    )
    write(tmp_path / "few.jsonl", json_lines)
    write(tmp_path / "many.log", "".join(f"{stamp(i % 60)} INFO {i}\n" for i in range(1_000_000)))
    code = (
        "import resource, sys\n"
        "from logview.core.reading.ingest import ingest\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "table = ingest([sys.argv[1]]).table\n"
        "assert len(table.columns) == 6 + 2 + 100, table.columns\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert int(out.stdout) < 1000, f"ingest peaked at {out.stdout.strip()} MiB"


def test_progress_ends_at_the_merge_with_every_source_counted_and_keeps_its_first_fields(tmp_path):
    from logview.core.reading.ingest import MERGING, READING, Progress

    write(tmp_path / "a.log", "".join(f"{stamp(i)} INFO a {i}\n" for i in range(30)))
    write(tmp_path / "b.bin", b"\x00\x01\x02" * 100)  # skipped, and still a source done
    seen = []
    ingest([tmp_path], progress=seen.append)
    assert seen[0].stage == READING and seen[-1].stage == MERGING
    assert (seen[-1].sources_done, seen[-1].sources, seen[-1].entries) == (2, 2, 30)
    # Callers that build one from its first four fields still can.
    assert Progress(1, 2, 3, "x").stage == READING

"""Following growing files: appended lines, held entries, rotation, truncation, rewriting."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logview.core.reading.follow import Live, why_not_followed
from logview.core.reading.ingest import ingest
from logview.core.shared.table import time_ordered

T0 = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def stamp(i: int) -> str:
    return (T0 + timedelta(seconds=i)).strftime("%Y-%m-%d %H:%M:%S")


def line(i: int, text: str = "request served") -> str:
    return f"{stamp(i)} INFO [web] {text} id={i}\n"


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8", newline="") as file:
        file.write(text)


def messages(live: Live) -> list[str]:
    return time_ordered(live.table)["message"].to_list()


def start(*paths: Path) -> Live:
    return Live(ingest([str(p) for p in paths]))


def test_appended_lines_become_entries_in_time_order(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0) + line(1))
    live = start(log)
    assert live.table.height == 2 and len(live.followers) == 1
    append(log, line(2) + line(3))
    polled = live.poll()
    # The last entry read waits for the next one (or for a quiet poll): a stack trace may follow.
    assert [f.height for f in polled.frames] == [1]
    assert live.table.height == 3
    assert live.poll().frames and live.table.height == 4  # quiet: the held entry goes
    assert messages(live) == [line(i).rstrip("\n") for i in range(4)]
    assert time_ordered(live.table)["line"].to_list() == [1, 2, 3, 4]
    assert live.ingested.sources[0].entries == 4
    assert live.ingested.sources[0].last == T0 + timedelta(seconds=3)
    assert live.poll().frames == []


def test_a_partial_last_line_waits_for_its_newline(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    whole = line(1)
    append(log, whole[:10])
    assert live.poll().frames == [] and live.poll().frames == []
    append(log, whole[10:])
    live.poll()
    live.poll()
    assert messages(live) == [line(0).rstrip("\n"), whole.rstrip("\n")]


def test_a_stack_trace_written_in_pieces_stays_one_entry(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    append(log, f"{stamp(1)} ERROR [web] boom\njava.lang.IllegalStateException: x\n")
    live.poll()  # grew: the error entry is held
    append(log, "\tat a.b.C.run(C.java:1)\n\tat a.b.D.run(D.java:2)\n" + line(2))
    live.poll()  # the next entry started: the error goes, whole
    live.poll()  # quiet: the last entry goes
    got = messages(live)
    assert len(got) == 3
    assert got[1].splitlines() == [
        f"{stamp(1)} ERROR [web] boom",
        "java.lang.IllegalStateException: x",
        "\tat a.b.C.run(C.java:1)",
        "\tat a.b.D.run(D.java:2)",
    ]
    assert time_ordered(live.table)["level"].to_list() == ["INFO", "ERROR", "INFO"]
    assert time_ordered(live.table)["line"].to_list() == [1, 2, 6]


def test_rotation_reads_the_rest_of_the_old_file_then_the_new_one(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    with open(log, "a") as writer:  # the writer keeps its handle across the rename
        writer.write(line(1))
        writer.flush()
        live.poll()
        os.rename(log, tmp_path / "app.log.1")
        writer.write(line(2))  # written after the rename, before the writer reopens
    log.write_text(line(3) + line(4))
    polled = live.poll()
    assert any("rotated" in e for e in polled.events)
    live.poll()
    assert messages(live) == [line(i).rstrip("\n") for i in range(5)]
    # The new file's lines are numbered from 1 again.
    assert time_ordered(live.table)["line"].to_list() == [1, 2, 3, 1, 2]


def test_truncation_reads_the_file_again_from_its_start(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0) + line(1) + line(2))
    live = start(log)
    with open(log, "r+") as file:  # logrotate's copytruncate
        file.truncate(0)
    append(log, line(3))
    polled = live.poll()
    assert any("truncated" in e for e in polled.events)
    live.poll()
    assert messages(live) == [line(i).rstrip("\n") for i in range(4)]


def test_a_rewritten_file_is_read_again_even_when_it_grew(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0, "a"))
    live = start(log)
    # Truncated and written past the old size between two polls: only the first line tells.
    with open(log, "r+") as file:
        file.truncate(0)
    append(log, line(5, "b") + line(6, "c"))
    polled = live.poll()
    assert any("rewritten" in e for e in polled.events)
    live.poll()
    assert messages(live) == [
        line(0, "a").rstrip("\n"),
        *[line(i, t).rstrip("\n") for i, t in ((5, "b"), (6, "c"))],
    ]


def test_a_file_replaced_between_reading_and_following_is_read_again(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    os.rename(log, tmp_path / "old.log")
    log.write_text(line(1))
    assert any("replaced" in e for e in live.poll().events)
    live.poll()
    assert messages(live) == [line(0).rstrip("\n"), line(1).rstrip("\n")]


def test_json_lines_follow_with_their_fields(tmp_path: Path) -> None:
    log = tmp_path / "svc.jsonl"

    def record(i: int, level: str) -> str:
        ts = (T0 + timedelta(seconds=i)).isoformat()
        return json.dumps({"ts": ts, "level": level, "msg": f"event {i}", "user": f"u{i}"}) + "\n"

    log.write_text(record(0, "info") + record(1, "info"))
    live = start(log)
    append(log, record(2, "error"))
    live.poll()
    live.poll()
    rows = time_ordered(live.table)
    assert rows["message"].to_list() == ["event 0", "event 1", "event 2"]
    assert rows["level"].to_list() == ["INFO", "INFO", "ERROR"]
    assert rows["user"].to_list() == ["u0", "u1", "u2"]


def test_new_fields_of_appended_entries_become_columns(tmp_path: Path) -> None:
    log = tmp_path / "svc.jsonl"
    log.write_text(json.dumps({"ts": T0.isoformat(), "msg": "a"}) + "\n")
    live = start(log)
    append(
        log,
        json.dumps({"ts": (T0 + timedelta(seconds=1)).isoformat(), "msg": "b", "k": "v"}) + "\n",
    )
    live.poll()
    live.poll()
    rows = time_ordered(live.table)
    assert rows["k"].to_list() == [None, "v"]


def test_out_of_order_appends_keep_the_time_order(tmp_path: Path) -> None:
    fast, slow = tmp_path / "fast.log", tmp_path / "slow.log"
    fast.write_text(line(10, "fast"))
    slow.write_text(line(0, "slow"))
    live = start(fast, slow)
    # The slow server's clock lags: its new entry is older than what the table holds.
    append(slow, line(5, "slow") + line(6, "slow"))
    append(fast, line(20, "fast"))
    live.poll()
    live.poll()
    rows = time_ordered(live.table)
    stamps = rows["ts"].to_list()
    assert stamps == sorted(stamps)
    assert sorted(rows["seq"].to_list()) == list(range(5))
    assert [m.split()[-1] for m in rows["message"].to_list()] == [
        "id=0",
        "id=5",
        "id=6",
        "id=10",
        "id=20",
    ]
    # The order the window uses is the table sorted by seq.
    assert live.order.tolist() == live.table["seq"].arg_sort().to_list()
    # `seq` is rewritten at the chunk boundaries of the messages (not merged into one chunk,
    # which would make polars copy the whole table on the next select).
    assert live.table["seq"].chunk_lengths() == live.table["message"].chunk_lengths()


def test_an_over_long_line_is_cut_and_its_rest_skipped(tmp_path: Path, monkeypatch) -> None:
    import logview.core.reading.follow as follow

    monkeypatch.setattr(follow, "MAX_LINE_BYTES", 1000)
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    append(log, stamp(1) + " INFO " + "x" * 3000)
    live.poll()
    append(log, "y" * 3000 + "\n" + line(2))
    live.poll()
    live.poll()
    got = messages(live)
    assert len(got) == 3
    assert "truncated by logview" in got[1] and "yyy" not in got[1]
    assert got[2] == line(2).rstrip("\n")


def test_sources_that_cannot_be_followed_say_why(tmp_path: Path) -> None:
    plain = tmp_path / "app.log"
    plain.write_text(line(0))
    packed = tmp_path / "old.log.gz"
    packed.write_bytes(gzip.compress(line(1).encode()))
    csv = tmp_path / "export.csv"
    csv.write_text("timestamp,message\n2026-11-29T10:00:00Z,hello\n2026-11-29T10:00:01Z,again\n")
    live = Live(ingest([str(plain), str(packed), str(csv)]))
    assert [f.name for f in live.followers] == [str(plain)]
    reasons = {i.name: why_not_followed(i) for i in live.ingested.sources}
    assert reasons[str(plain)] is None
    assert "compressed" in reasons[str(packed)]
    assert "document" in reasons[str(csv)]


def test_following_never_writes_to_the_files(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    append(log, line(1))
    before = (hashlib.sha256(log.read_bytes()).hexdigest(), log.stat().st_mtime_ns)
    for _ in range(3):
        live.poll()
    assert (hashlib.sha256(log.read_bytes()).hexdigest(), log.stat().st_mtime_ns) == before
    live.close()


def test_a_deleted_file_is_read_to_its_end_and_waited_for(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    append(log, line(1))
    live.poll()
    log.unlink()
    assert live.poll().events == []  # gone: the open handle had everything; wait quietly
    log.write_text(line(2))
    polled = live.poll()
    assert any("rotated" in e for e in polled.events)
    live.poll()
    assert messages(live) == [line(i).rstrip("\n") for i in range(3)]


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=12),
    rotate_at=st.sets(st.integers(min_value=0, max_value=11), max_size=3),
    traces=st.sets(st.integers(min_value=0, max_value=29), max_size=5),
)
def test_any_way_of_writing_loses_and_repeats_nothing(
    tmp_path_factory: pytest.TempPathFactory, cuts: list[int], rotate_at: set[int], traces: set[int]
) -> None:
    """Lines written in arbitrary byte pieces, with rotations between pieces, come out once
    each and in order; a stack trace is never split from its entry unless a poll fell quiet
    inside it (and even then nothing is lost)."""
    folder = tmp_path_factory.mktemp("follow")
    log = folder / "app.log"
    entries = [
        line(i) + ("\tat x.Y.z(Y.java:1)\n\tat x.Y.w(Y.java:2)\n" if i in traces else "")
        for i in range(1, 31)
    ]
    text = "".join(entries)
    log.write_text(line(0))
    live = start(log)
    positions = sorted({min(c, len(text)) for c in cuts} | {len(text)})
    done, rotations = 0, 0
    for step, end in enumerate(positions):
        append(log, text[done:end])
        done = end
        live.poll()
        # A writer rotates between lines (a stack trace may still be split).
        if step in rotate_at and 0 < done < len(text) and text[done - 1] == "\n":
            live.poll()  # reads up to here; then the file is moved away
            rotations += 1
            os.rename(log, folder / f"app.log.{rotations}")
            log.write_text("")
    live.poll()
    live.poll()
    got = "\n".join(messages(live)) + "\n"
    assert got.replace("\n", "") == (line(0) + text).replace("\n", "")
    assert live.table.height >= 31
    stamps = time_ordered(live.table)["ts"].drop_nulls().to_list()
    assert stamps == sorted(stamps) and len(stamps) == 31


@pytest.mark.slow
def test_appends_keep_a_bounded_number_of_chunks(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    for i in range(1, 120):
        append(log, line(i))
        live.poll()
    live.poll()
    assert live.table.height == 120
    assert live.table["message"].n_chunks() < 40
    assert pl.Series(messages(live)).str.extract(r"id=(\d+)").cast(int).to_list() == list(
        range(120)
    )


def test_following_works_without_pread(tmp_path: Path, monkeypatch) -> None:
    """Windows has no os.pread: the follower seeks and reads instead."""
    monkeypatch.delattr(os, "pread")
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    append(log, line(1) + line(2))
    live.poll()
    live.poll()
    assert messages(live) == [line(i).rstrip("\n") for i in range(3)]


def test_following_without_keeping_the_file_open(tmp_path: Path, monkeypatch) -> None:
    """As on Windows (a held file cannot be rotated there): reopened by path at each poll;
    appends, a truncation and a new file still read right."""
    import logview.core.reading.follow as follow

    monkeypatch.setattr(follow, "KEEP_OPEN", False)
    log = tmp_path / "app.log"
    log.write_text(line(0))
    live = start(log)
    append(log, line(1))
    live.poll()
    live.poll()
    assert live.followers[0]._fd is None
    with open(log, "r+") as file:
        file.truncate(0)
    append(log, line(2))
    assert any("truncated" in e for e in live.poll().events)
    live.poll()
    os.rename(log, tmp_path / "app.log.1")
    log.write_text(line(3))
    assert any("replaced" in e for e in live.poll().events)
    live.poll()
    assert messages(live) == [line(i).rstrip("\n") for i in range(4)]


def test_appended_lines_are_split_with_the_header_learned_at_ingest(tmp_path: Path) -> None:
    """A few appended lines are not enough to learn a header from: they take the file's."""
    from logview.core.analysis.patterns import mine_entries
    from logview.core.shared.body import body_lines

    log = tmp_path / "app.log"
    log.write_text("".join(line(i) for i in range(30)))
    live = start(log)
    mined = mine_entries(live.table)
    append(log, line(30, "cache cleared") + line(31))
    live.poll()
    live.poll()
    table = time_ordered(live.table)
    assert body_lines(table).tail(2).to_list() == ["cache cleared id=30", "request served id=31"]
    assert table["thread"].tail(2).to_list() == ["web", "web"]
    grown = mined.extended(live.table.slice(len(mined.ids)))
    assert grown.ids[-1] == mined.ids[0]  # the same pattern as the lines read at first

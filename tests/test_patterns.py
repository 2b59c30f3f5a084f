"""The pattern engine: masking, grouping, determinism, tokens, related patterns, the CLI."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from test_loghub_headers import grouping_accuracy, labelled

from logview.cli import main
from logview.core.analysis.masking import first_line, kind_of, mask
from logview.core.analysis.patterns import PATTERN, mine, mine_messages, slot_of_line
from logview.core.analysis.related import related_patterns, trace_field
from logview.core.shared.table import TS

START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def shapes(*messages: str) -> list[str]:
    frame = pl.DataFrame({"m": list(messages)})
    return frame.select(mask(first_line(pl.col("m")))).to_series().to_list()


def table(messages: list[str], levels: list[str] | None = None, step: float = 1.0) -> pl.DataFrame:
    n = len(messages)
    return pl.DataFrame(
        {
            "ts": [START + timedelta(seconds=i * step) for i in range(n)],
            "level": levels or ["INFO"] * n,
            "message": messages,
        },
        schema={"ts": TS, "level": pl.String, "message": pl.String},
    )


def generated(seed: int = 7) -> tuple[list[str], list[str]]:
    """Return messages of three templates and the true template of each."""
    rng = random.Random(seed)
    messages, truth = [], []
    for _ in range(300):
        kind = rng.randrange(3)
        if kind == 0:
            ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            messages.append(f"Accepted connection from {ip}:{rng.randrange(1024, 65535)}")
        elif kind == 1:
            user = rng.choice(["alice", "bob", "carol", "dave", "erin", "frank"])
            messages.append(f"User {user} logged in after {rng.randrange(1, 900)} ms")
        else:
            messages.append(f"Disk /dev/sd{rng.choice('abc')} at {rng.randrange(50, 100)}% used")
        truth.append(str(kind))
    return messages, truth


def test_masks_replace_values_inside_words_and_keep_the_words():
    assert shapes(
        "Connection from 10.0.0.1:443 closed after 12ms",
        "id 3fa85f64-5717-4562-b3fc-2c963f66afa6 at 0x7ffe12ab for ord-18574",
        "GET /api/users/123/orders answered 200\n  at second line",
        "2026-01-05T02:11:44.847Z  INFO\tnode12 ready, see https://x.org/a?b=1",
    ) == [
        "Connection from <*> closed after <*>",
        "id <*> at <*> for ord-<*>",
        "GET <*> answered <*>",
        "<*> INFO node12 ready, see <*>",
    ]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["10.0.0.1", "192.168.1.20:8080"], "ip"),
        (["3fa85f64-5717-4562-b3fc-2c963f66afa6"], "uuid"),
        (["2026-01-05T02:11:44.847Z", "10/Oct/2000:13:55:36"], "timestamp"),
        (["/var/log/app.log", "/api/users/1"], "path"),
        (["0x7ffe12ab", "deadbeef01"], "hex"),
        (["12ms", "3.5"], "number"),
        (["alice", "10.0.0.1"], "text"),
        ([], "text"),
    ],
)
def test_the_kind_of_a_token_is_read_from_its_values(values, kind):
    assert kind_of(values) == kind


def test_three_templates_give_three_patterns_with_their_counts():
    messages, truth = generated()
    mined = mine_messages(pl.Series(messages))
    grouped = pl.DataFrame({"p": mined.ids, "t": truth})
    assert grouped.group_by("p").agg(pl.col("t").n_unique())["t"].max() == 1
    assert grouped["p"].n_unique() == 3
    texts = set(mined.templates.values())
    assert "Accepted connection from <ip>" in texts
    assert "User <text> logged in after <num> ms" in texts


def test_the_same_messages_in_another_order_give_the_same_ids_and_templates():
    messages, _ = generated()
    shuffled = messages[:]
    random.Random(1).shuffle(shuffled)
    a = mine_messages(pl.Series(messages))
    b = mine_messages(pl.Series(shuffled))
    assert a.templates == b.templates
    by_message_a = dict(zip(messages, a.ids.to_list(), strict=True))
    by_message_b = dict(zip(shuffled, b.ids.to_list(), strict=True))
    assert by_message_a == by_message_b


def test_token_values_are_counted_per_slot_and_filter_the_rows():
    messages, _ = generated()
    frame = table(messages)
    found = mine(frame)
    login = next(p for p in found.patterns if p.template.startswith("User <text>"))
    users = dict(login.tokens[0].top)
    expected = pl.Series([m.split()[1] for m in messages if m.startswith("User")]).value_counts()
    assert users == dict(expected.iter_rows())
    assert login.tokens[0].distinct == len(users)
    low, median, high = login.tokens[1].numeric
    assert 1 <= low <= median <= high < 900
    # A token value is a filter on the table: the pattern id and the slot's value.
    with_ids = frame.with_columns(found.ids)
    value, count = login.tokens[0].top[0]
    picked = with_ids.filter(
        (pl.col(PATTERN) == login.id)
        & (slot_of_line(first_line(pl.col("message")), login.tokens[0].slot) == value)
    )
    assert picked.height == count


def test_pattern_carries_span_severity_ratio_and_samples_spread_in_time():
    messages = [f"Job {i} failed" for i in range(100)] + [f"Job {i} done" for i in range(50)]
    levels = ["ERROR"] * 90 + ["WARN"] * 10 + ["INFO"] * 50
    found = mine(table(messages, levels))
    failed = next(p for p in found.patterns if p.template == "Job <num> failed")
    assert (failed.count, failed.severity) == (100, "ERROR")
    assert failed.ratio == pytest.approx(100 / 150)
    assert failed.first == START and failed.last == START + timedelta(seconds=99)
    assert len(failed.samples) == 5
    assert failed.samples[0] == 0 and max(failed.samples) >= 80  # spread, not the first five


def test_an_enumeration_is_not_a_variable():
    messages = ["cupsd startup succeeded"] * 6 + ["cupsd shutdown succeeded"] * 6
    mined = mine_messages(pl.Series(messages))
    assert sorted(mined.templates.values()) == [
        "cupsd shutdown succeeded",
        "cupsd startup succeeded",
    ]


@pytest.mark.parametrize(
    "messages",
    [
        [],
        ["only one line"],
        ["same"] * 50,
        [f"word{i} unique{i * 7} text{i % 3}" for i in range(200)],
        ["x" * 200_000 + " tail", "y" * 5],
        ["Über 3 Grüße für Jürgen", "日本語のログ 42 件", "emoji 🚀 12", "", None],
    ],
    ids=["empty", "one", "all-equal", "all-distinct", "very-long", "non-ascii"],
)
def test_degenerate_input_gives_one_pattern_per_row_and_never_raises(messages):
    frame = table([m for m in messages])
    found = mine(frame)
    assert found.ids.len() == frame.height
    assert sum(p.count for p in found.patterns) == frame.height
    if messages == ["same"] * 50:
        assert [p.template for p in found.patterns] == ["same"]


def test_related_patterns_move_together_in_time():
    rng = random.Random(3)
    messages, stamps = [], []
    for minute in range(120):
        burst = minute % 20 < 3
        for _ in range(30 if burst else 2):
            messages.append(f"timeout calling payments after {rng.randrange(100, 900)} ms")
            stamps.append(minute)
        for _ in range(30 if burst else 2):
            messages.append(f"retrying order {rng.randrange(10_000)}")
            stamps.append(minute)
        for _ in range(5):
            messages.append(f"heartbeat seq {rng.randrange(10_000)}")
            stamps.append(minute)
    ts = pl.Series([START + timedelta(minutes=m) for m in stamps], dtype=TS)
    mined = mine_messages(pl.Series(messages))
    related = related_patterns(ts, mined.ids)
    by_text = {t: pid for pid, t in mined.templates.items()}
    timeout = by_text["timeout calling payments after <num> ms"]
    top = related[timeout][0]
    assert top.id == by_text["retrying order <num>"]
    assert top.score > 0.9 and top.basis == "time"
    assert by_text["heartbeat seq <num>"] not in {r.id for r in related[timeout]}


def test_related_patterns_share_request_ids_where_a_field_carries_them():
    assert trace_field(["ts", "message", "Request-Id"]) == "Request-Id"
    assert trace_field(["ts", "message", "user"]) is None
    messages, traces = [], []
    for request in range(40):
        messages += [f"GET /orders/{request} started", f"payment declined for {request}"]
        traces += [f"req-{request}"] * 2
        if request % 4 == 0:
            messages.append(f"cache miss key {request}")
            traces.append(f"req-{request}")
    mined = mine_messages(pl.Series(messages))
    ts = pl.Series([START] * len(messages), dtype=TS)  # one instant: no time score at all
    related = related_patterns(ts, mined.ids, traces=pl.Series(traces))
    by_text = {t: pid for pid, t in mined.templates.items()}
    started = by_text["GET <path> started"]
    declined = by_text["payment declined for <num>"]
    cache = by_text["cache miss key <num>"]
    assert [(r.id, r.score, r.basis) for r in related[started]] == [(declined, 1.0, "trace")]
    # Every cache miss happened in a request that also started and declined: share 1.
    assert {(r.id, r.score) for r in related[cache]} == {(started, 1.0), (declined, 1.0)}


@pytest.mark.parametrize(("system", "threshold"), [("OpenSSH", 0.98), ("Zookeeper", 0.97)])
def test_grouping_accuracy_on_loghub_does_not_regress(system, threshold):
    _, truth = labelled(system)
    mined = mine_messages(truth["Content"])
    assert grouping_accuracy(mined.ids, truth["EventId"]) >= threshold


def test_patterns_command_prints_json_and_writes_assignments(tmp_path, capsys):
    messages, _ = generated()
    log = tmp_path / "app.log"
    log.write_text(
        "".join(f"2026-03-10T14:00:{i % 60:02d}Z INFO {m}\n" for i, m in enumerate(messages))
    )
    out = tmp_path / "assign.csv"
    assert main(["patterns", str(log), "--json", "--assignments", str(out), "--top", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["entries"] == 300
    assert len(report["patterns"]) == 2
    first = report["patterns"][0]
    assert {"id", "template", "count", "tokens", "samples", "related"} <= first.keys()
    assignments = pl.read_csv(out)
    assert assignments.columns == ["source", "line", "pattern"]
    assert assignments.height == 300
    assert assignments.filter(pl.col("pattern") == first["id"]).height == first["count"]


def test_patterns_command_mines_only_what_the_query_returns(tmp_path, capsys):
    lines = [f"2026-03-10T14:00:{i:02d}Z ERROR disk {i} full" for i in range(20)]
    lines += [f"2026-03-10T14:01:{i:02d}Z INFO user {i} logged in" for i in range(30)]
    log = tmp_path / "app.log"
    log.write_text("\n".join(lines) + "\n")
    args = ["patterns", str(log), "--json", "--query", 'filter @level = "ERROR"']
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["entries"] == 20
    assert [p["count"] for p in report["patterns"]] == [20]
    assert main(["patterns", str(log), "--query", "stats count(*)"]) == 2
    assert "must return rows" in capsys.readouterr().err


def test_rows_appended_later_take_the_mined_patterns_or_one_of_their_own() -> None:
    """A followed file's new rows are given pattern ids before the table is mined again."""
    mined = mine_messages(
        pl.Series(["user 1 logged in", "user 2 logged in", "disk full on /dev/sda1"])
    )
    grown = mined.extended(
        pl.Series(["user 9 logged in", "cache miss for key 5", "cache miss for key 7"])
    )
    assert grown.ids.len() == 6 and grown.ids.head(3).to_list() == mined.ids.to_list()
    assert grown.ids[3] == mined.ids[0]
    assert grown.ids[4] == grown.ids[5] and grown.ids[4] not in mined.by_id
    assert grown.templates[grown.ids[4]] == "cache miss for key <num>"
    assert mined.extended(pl.Series([], dtype=pl.String)) is mined


def test_a_slot_is_read_from_the_line_split_on_spaces():
    from logview.core.analysis.pattern_templates import Slot

    lines = pl.DataFrame({"m": ["took 12ms for a b  c", "took 7ms", "took", ""]})

    def read(slot: Slot) -> list[str | None]:
        return lines.select(slot_of_line(pl.col("m"), slot)).to_series().to_list()

    assert read(Slot(1, 1, "", "ms")) == ["12", "7", None, None]
    # A tail runs to the end of the line, spaces (doubled ones too) kept; none on a short line.
    assert read(Slot(2, 3, "", "", rest=True)) == ["a b  c", None, None, None]
    assert read(Slot(2, 1, "", "", rest=True)) == ["12ms for a b  c", "7ms", None, None]


def test_mining_a_slice_at_a_time_finds_what_one_pass_finds(tmp_path):
    """The shapes are read a slice of the table at a time (only the distinct shapes and a key
    per entry outlive a slice); any slicing gives the same patterns, ids and names."""
    from logview.core.analysis import patterns
    from logview.core.analysis.shapes import read_shapes
    from logview.core.reading.ingest import ingest

    access = "".join(
        f"10.0.0.{i % 9} - - [10/Mar/2026:14:{i // 60 % 60:02d}:{i % 60:02d} +0000] "
        f'"GET /orders/{1000 + i} HTTP/1.1" {(200, 404, 503)[i % 3]} {i * 7} "-" "curl/8"\n'
        for i in range(300)
    )
    (tmp_path / "access.log").write_text(access)
    (tmp_path / "app.log").write_text(
        "".join(
            f"2026-03-10 14:{i // 60 % 60:02d}:{i % 60:02d} INFO user {USERS[i % 3]} "
            f"logged in from 10.0.{i % 4}.{i % 7} after {i % 11} ms\n"
            for i in range(250)
        )
    )
    table = ingest([str(tmp_path)]).table

    def mined(slice_rows: int) -> patterns.Mined:
        shapes = read_shapes(table, patterns.NAMING_ROWS, lambda *_: None, slice_rows=slice_rows)
        return patterns._mine_shapes(shapes)

    whole = mined(10**9)
    assert len(whole.by_id) >= 3
    for slice_rows in (1, 7, 100, 333):
        sliced = mined(slice_rows)
        assert sliced.ids.equals(whole.ids) and sliced.by_id == whole.by_id
        assert sliced.shapes.sort("shape").equals(whole.shapes.sort("shape"))


USERS = ("ann", "bob", "cy")

"""PostgreSQL's stderr log: any log_line_prefix, severities, detail lines and continuations."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.postgres import parse_postgres
from logview.core.reading.parsers.postgres import sniff as sniff_postgres
from logview.core.reading.registry import sniff

DEFAULT = [
    "2023-03-06 18:34:17.383 UTC [12345] LOG:  checkpoint starting: time",
    "2023-03-06 18:34:18.001 UTC [4242] ERROR:  duplicate key value violates unique "
    'constraint "orders_pkey"',
    "2023-03-06 18:34:18.001 UTC [4242] DETAIL:  Key (id)=(7) already exists.",
    "2023-03-06 18:34:18.001 UTC [4242] STATEMENT:  INSERT INTO orders (id, sku)",
    "\tVALUES (7, 'ABC');",
    "2023-03-06 18:34:18.100 UTC [4243] DETAIL:  orphan detail of another process",
    "2023-03-06 18:34:19.000 UTC [12345] LOG:  checkpoint complete: wrote 3 buffers",
    '2023-03-06 18:34:20.000 UTC [4244] FATAL:  password authentication failed for user "bob"',
    "2023-03-06 18:34:21.000 UTC [4245] WARNING:  there is no transaction in progress",
    "2023-03-06 18:34:22.000 UTC [4246] DEBUG2:  autovacuum: processing database",
]
DEBIAN = [
    "2023-03-06 18:34:17.383 CET [12345] postgres@shop LOG:  statement: SELECT 1",
    '2023-03-06 18:34:18.000 CET [12346] app@shop ERROR:  relation "x" does not exist at '
    "character 15",
]
RDS = [
    "2023-03-06 18:34:17 UTC:10.0.0.5(5432):app@shop:[12345]:LOG:  connection authorized",
    "2023-03-06 18:34:18 UTC:10.0.0.5(5433):app@shop:[12346]:ERROR:  canceling statement",
]
PGBADGER = [
    "2023-03-06 18:34:17 UTC [12345]: [1-1] user=app,db=shop,app=psql,client=10.0.0.5 LOG:  "
    "duration: 2001.123 ms  statement: SELECT pg_sleep(2)",
    "2023-03-06 18:34:18 UTC [12346]: [1-1] user=app,db=shop,app=[unknown],client=[local] "
    "LOG:  connection received",
]
BARE = ["LOG:  database system is ready to accept connections", "LOG:  autovacuum launcher started"]


def sample_of(texts: list[str], name: str = "postgresql.log") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str]) -> pl.DataFrame:
    return parse_postgres(lines_of(texts), ParseContext("postgresql.log"))


def body(frame: pl.DataFrame, row: int) -> str:
    entry = frame.row(row, named=True)
    return entry["message"][entry["body_at"] or 0 :]


@pytest.mark.parametrize("texts", [DEFAULT, DEBIAN, RDS, PGBADGER, BARE])
def test_each_prefix_is_detected(texts):
    found = sniff(sample_of(texts))
    assert found is not None and found.format.name == "postgres"


def test_a_text_log_with_one_space_after_its_level_is_not_postgres():
    texts = ["2023-03-06 18:34:17.383 [main] ERROR: failed", "2023-03-06 18:34:18 LOG: x"]
    assert sniff_postgres(sample_of(texts)) == 0.0


def test_uvicorns_padded_levels_under_an_s6_stamp_are_not_postgres():
    # s6-log's `T` stamp, then uvicorn's `LEVEL:` padded to one width: only WARNING's happens
    # to leave PostgreSQL's two spaces.
    texts = [
        "2024-03-14 09:27:03.412038117  INFO:     Started server process [231]",
        "2024-03-14 09:27:03.413012544  INFO:     Waiting for application startup.",
        "2024-03-14 09:28:47.640112007  WARNING:  Invalid HTTP request received.",
        "2024-03-14 09:29:02.287550121  ERROR:    Exception in ASGI application",
    ]
    assert sniff_postgres(sample_of(texts)) == 0.0


def test_detail_and_statement_lines_are_entries_with_the_level_of_their_message():
    frame = parse(DEFAULT)
    assert frame.height == 9
    error, detail, statement = (frame.row(i, named=True) for i in (1, 2, 3))
    assert error["level"] == "ERROR" and error["pid"] == "4242"
    assert body(frame, 1).startswith("duplicate key value")
    assert body(frame, 2) == "Key (id)=(7) already exists."
    # The statement's later line, without a prefix, is part of it.
    assert statement["message"].endswith(
        "STATEMENT:  INSERT INTO orders (id, sku)\n\tVALUES (7, 'ABC');"
    )
    assert detail["level"] == statement["level"] == "ERROR"
    assert detail["ts"] == error["ts"] and detail["pid"] == "4242"
    # A detail line of another process does not take the error's level.
    orphan = frame.row(4, named=True)
    assert orphan["pid"] == "4243" and orphan["level"] is None


def test_severities_and_stamps():
    frame = parse(DEFAULT)
    assert frame["level"].to_list() == [
        "INFO", "ERROR", "ERROR", "ERROR", None, "INFO", "FATAL", "WARN", "DEBUG"
    ]  # fmt: skip
    assert frame["ts"][0] == datetime(2023, 3, 6, 18, 34, 17, 383000, tzinfo=UTC)
    assert body(frame, 0) == "checkpoint starting: time"


def test_zone_abbreviations_are_read_as_their_offset():
    frame = parse(DEBIAN)
    assert frame["ts"][0] == datetime(2023, 3, 6, 17, 34, 17, 383000, tzinfo=UTC)
    assert (frame["user"][0], frame["database"][0]) == ("postgres", "shop")
    assert body(frame, 1).startswith('relation "x" does not exist')


def test_rds_and_pgbadger_prefixes_give_their_fields():
    rds = parse(RDS)
    assert rds["pid"].to_list() == ["12345", "12346"]
    assert (rds["user"][0], rds["database"][0]) == ("app", "shop")
    assert rds["level"].to_list() == ["INFO", "ERROR"]
    badger = parse(PGBADGER)
    assert badger["application"].to_list() == ["psql", "[unknown]"]
    assert badger["client"].to_list() == ["10.0.0.5", "[local]"]
    assert badger["user"][0] == "app" and badger["database"][0] == "shop"
    assert body(badger, 0).startswith("duration: 2001.123 ms")


def test_bare_lines_have_levels_and_no_time():
    frame = parse(BARE)
    assert frame["level"].to_list() == ["INFO", "INFO"]
    assert frame["ts"].null_count() == 2


def test_a_broken_line_joins_the_entry_above(tmp_path):
    texts = [DEFAULT[0], "2023-03-06 18:3", DEFAULT[6]]
    frame = parse(texts)
    assert frame.height == 2
    path = tmp_path / "postgresql-Mon.log"
    path.write_text("\n".join(DEFAULT) + "\n")
    result = ingest([path])
    assert result.sources[0].format == "postgres" and result.table.height == 9


def test_a_zone_abbreviation_of_several_zones_is_read_as_stated_in_a_note():
    # The rule every stamp reader follows (zones.offsets_for): CST is read as US Central with a
    # note, or in the source's zone when that zone writes it.
    texts = ["2023-03-06 18:34:17.383 CST [1] LOG:  checkpoint starting: time"]
    notes: list[str] = []
    frame = parse_postgres(lines_of(texts), ParseContext("pg.log", note=notes.append))
    assert frame["ts"][0] == datetime(2023, 3, 7, 0, 34, 17, 383000, tzinfo=UTC)
    assert any("CST" in note and "China" in note for note in notes)
    frame = parse_postgres(lines_of(texts), ParseContext("pg.log", tz="Asia/Shanghai"))
    assert frame["ts"][0] == datetime(2023, 3, 6, 10, 34, 17, 383000, tzinfo=UTC)

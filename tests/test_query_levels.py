"""`@level` compared with text reads the text as a level's name: any case, and the spellings
people write (`warning`, `err`, `critical`); every other field is compared exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from logview.core.analysis.query import run_query
from logview.core.shared.table import LEVEL

LEVELS = ["INFO", "ERROR", "WARN", "FATAL", "DEBUG", "ERROR", "NONE", "TRACE", "WARN", "INFO"]
USERS = ["alice", "ALICE", "Alice", "bob", "alice", None, "bob", "BOB", "carol", "alice"]
TABLE = pl.DataFrame(
    {
        "ts": [datetime(2026, 3, 10, 14, tzinfo=UTC) + timedelta(seconds=i) for i in range(10)],
        "level": LEVELS,
        "message": [f"entry {i}" for i in range(10)],
        "user": USERS,
    },
    schema_overrides={"level": LEVEL},
)


def rows(text: str) -> list[int]:
    return run_query(TABLE, text).rows.to_list()


def where(keep) -> list[int]:
    return [i for i, level in enumerate(LEVELS) if keep(level)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('filter @level = "error"', where(lambda v: v == "ERROR")),
        ('filter @level = "Error"', where(lambda v: v == "ERROR")),
        ('filter @level = "err"', where(lambda v: v == "ERROR")),
        ('filter @level = "warning"', where(lambda v: v == "WARN")),
        ('filter @level = "critical"', where(lambda v: v == "FATAL")),
        ('filter @level = "fatal"', where(lambda v: v == "FATAL")),
        ('filter @level = "none"', where(lambda v: v == "NONE")),
        ('filter @LEVEL = "debug"', where(lambda v: v == "DEBUG")),
        ('filter "error" = @level', where(lambda v: v == "ERROR")),
        ('filter @level != "info"', where(lambda v: v != "INFO")),
        ('filter @level in ["error", "warn"]', where(lambda v: v in ("ERROR", "WARN"))),
        ('filter @level not in ["Warning", "trace"]', where(lambda v: v not in ("WARN", "TRACE"))),
    ],
)
def test_a_level_compared_with_text_matches_it_in_any_case_and_common_spelling(query, expected):
    assert expected  # or the fixture lacks the level
    assert rows(query) == expected


def test_the_upper_case_forms_give_the_same_rows():
    assert rows('filter @level = "error"') == rows('filter @level = "ERROR"')
    assert rows('filter @level in ["error", "warn"]') == rows('filter @level in ["ERROR", "WARN"]')
    assert rows('filter @level != "info"') == rows('filter @level != "INFO"')
    assert rows('filter @level = "bogus"') == []  # no level: matches nothing, as before


def test_other_fields_are_compared_exactly():
    assert rows('filter user = "alice"') == [i for i, u in enumerate(USERS) if u == "alice"]
    assert rows('filter user = "ALICE"') == [1]
    assert rows('filter user in ["bob", "error"]') == [3, 6]
    # A field made by the query keeps its own values: `lvl` is not `@level`.
    assert rows('fields tolower(@level) as lvl | filter lvl = "ERROR"') == []
    assert rows('fields tolower(@level) as lvl | filter lvl = "error"') == [1, 5]


def test_a_level_in_stats_groups_and_a_comparison_after_stats_read_the_same_way():
    result = run_query(TABLE, 'filter @level in ["err", "warning"] | stats count(*) as n by @level')
    assert dict(zip(result.frame["@level"], result.frame["n"], strict=True)) == {
        "WARN": 2,
        "ERROR": 2,
    }
    after = run_query(TABLE, 'stats count(*) as n by @level | filter @level = "error"')
    assert after.frame["n"].to_list() == [2]

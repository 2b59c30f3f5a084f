"""`suggest`: a search that reads as a query with a misspelt first command gets that query
back; a real word search gets nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from logview.core.analysis.query import is_plain_search, run_query, suggest
from logview.core.analysis.query.parser import COMMANDS
from logview.core.analysis.query.suggestions import edit_distance, near_commands

MESSAGES = [
    "Timeout acquiring connection from pool after 30000 ms",
    "request served in 12 ms",
    "db timeout on orders",
    "request served in 9 ms",
]
TABLE = pl.DataFrame(
    {
        "ts": [datetime(2026, 3, 10, 14, tzinfo=UTC) + timedelta(seconds=i) for i in range(4)],
        "level": ["ERROR", "INFO", "WARN", "INFO"],
        "message": MESSAGES,
    }
)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ('fitler @level = "ERROR"', 'filter @level = "ERROR"'),
        ('Fitler @level = "ERROR"', 'filter @level = "ERROR"'),
        ('FLITER @level = "ERROR"', 'filter @level = "ERROR"'),
        ("filtr @message like /timeout/i", "filter @message like /timeout/i"),
        ("filer ispresent(user)", "filter ispresent(user)"),
        ("stat count(*) by @logStream", "stats count(*) by @logStream"),
        ("sats count(*) as n by bin(5m)", "stats count(*) as n by bin(5m)"),
        ("fileds @timestamp, @message", "fields @timestamp, @message"),
        ("dispaly @message", "display @message"),
        ("sotr @timestamp desc", "sort @timestamp desc"),
        ("limt 20", "limit 20"),
        ('prase @message "user * in" as user', 'parse @message "user * in" as user'),
        ("dedpu @logStream", "dedup @logStream"),
        ("patern @message", "pattern @message"),
        ('  fitler @level = "ERROR"  ', 'filter @level = "ERROR"'),
    ],
)
def test_a_misspelt_command_gets_the_query_it_was_meant_to_be(typed, meant):
    assert is_plain_search(typed)  # what runs now: a word search
    assert suggest(typed) == meant
    assert not is_plain_search(meant)


@pytest.mark.parametrize(
    "typed",
    [
        "timeout db",  # words
        "timeout",
        "",
        "status 503",  # "stats" is one edit away, but `stats 503` is no query
        "port timeout",  # "sort" is one edit away: `sort timeout` parses but is only words
        "port 8080",
        "debug user=1",  # "dedup" is two edits away: not on a comparison
        "fitler timeout",  # no condition, just a word after it
        'fitler "connection refused"',  # a phrase is not a condition
        "so @level = 1",  # too short to guess
        "fitlering @level = 1",  # three edits
        'filter @level = "ERROR"',  # a query already
        "fitler @level = 1 | stats count(*)",  # not a search: it fails with its error
        "fitler-@level = 1",  # the first word is not a word of its own
    ],
)
def test_a_real_search_or_a_query_gets_no_suggestion(typed):
    assert suggest(typed) is None


def test_the_misspelt_query_finds_nothing_and_the_suggestion_finds_the_errors():
    typed = 'fitler @level = "ERROR"'
    assert run_query(TABLE, typed).rows.to_list() == []
    assert run_query(TABLE, suggest(typed)).rows.to_list() == [0]


def test_the_nearest_command_wins_then_the_longest_common_start():
    assert near_commands("stat") == ["stats", "sort"]
    assert near_commands("filed")[0] == "filter"  # two edits from both, "fil" in common
    assert set(near_commands("xyzzy")) == set()
    assert edit_distance("fitler", "filter") == 1  # a swap is one edit
    assert edit_distance("stat", "stats") == 1
    assert edit_distance("", "sort") == 4


def test_every_command_of_the_parser_is_offered():
    """The suggestion knows the parser's commands, not a copy of them."""
    for command in COMMANDS:
        typo = command[0] + command[2] + command[1] + command[3:]  # two letters swapped
        assert command in near_commands(typo)

"""Click-to-filter chips: written into the query text and read back from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from logview.core.analysis.query import run_query
from logview.core.analysis.query.chips import add_filter, chips, remove_chip, search_as_filter

TABLE = pl.DataFrame(
    {
        "ts": [datetime(2026, 3, 10, 14, tzinfo=UTC) + timedelta(seconds=i) for i in range(6)],
        "message": [
            "Timeout calling a/b",
            "ok",
            'said "hi"',
            "timeout again",
            "DEBUG timeout",
            "1+1=2",
        ],
        "status": ["500", "200", "500", "503", None, "200"],
        "odd name": ["x", "y", "x", "x", "y", "x"],
    }
)


def rows(text: str) -> list[int]:
    return run_query(TABLE, text).rows.to_list()


def test_a_click_adds_a_filter_command_that_reads_back_as_a_chip():
    text = add_filter("", "status", "500")
    assert text == 'filter status = "500"'
    assert rows(text) == [0, 2]
    text = add_filter(text, "odd name", 'a "quoted" x', exclude=True)
    assert text == 'filter status = "500" | filter `odd name` != "a \\"quoted\\" x"'
    found = chips(text)
    assert [(c.field, c.value, c.exclude) for c in found] == [
        ("status", "500", False),
        ("odd name", 'a "quoted" x', True),
    ]
    assert rows(text) == [0, 2]


def test_removing_a_chip_removes_its_command():
    text = add_filter(add_filter("filter ispresent(status)", "status", "500"), "odd name", "x")
    first, second = chips(text)
    assert remove_chip(text, first) == 'filter ispresent(status) | filter `odd name` = "x"'
    assert remove_chip(text, second) == 'filter ispresent(status) | filter status = "500"'
    only = add_filter("", "status", "200")
    assert remove_chip(only, chips(only)[0]) == ""


@pytest.mark.parametrize(
    "search",
    ["timeout", "timeout -debug", '"calling a/b"', "/[Tt]ime/", "/TIME/i -again", "1+1=2"],
)
def test_a_plain_search_becomes_the_same_filter_when_a_chip_is_added(search):
    assert rows(search_as_filter(search)) == rows(search)
    text = add_filter(search, "status", "500")
    assert rows(text) == [r for r in rows(search) if TABLE["status"][r] == "500"]


def test_pattern_and_token_filters_select_the_rows_the_engine_assigns():
    from logview.core.analysis.patterns import mine
    from logview.core.analysis.query.chips import append, pattern_filter, token_filter

    users = ["ann", "ann", "bob", "cy", "ann", "dee"]  # four names: a variable, not an enum
    messages = [f"user {u} logged in from 10.0.0.{i}" for i, u in enumerate(users)]
    messages += ["disk full", "disk  full  again"]
    table = pl.DataFrame(
        {
            "ts": [datetime(2026, 3, 10, 14, tzinfo=UTC) + timedelta(seconds=i) for i in range(8)],
            "level": ["INFO"] * 8,
            "message": messages,
        }
    )
    found = mine(table)
    login = next(p for p in found.patterns if p.template.startswith("user"))
    ids = found.ids
    text = append("", pattern_filter([login.id]))
    assert run_query(table, text, patterns=ids).rows.to_list() == [0, 1, 2, 3, 4, 5]
    slot = found.templates[login.id].slots[0]
    templates = found.templates
    text = append("", token_filter(login.id, slot.name, "ann"))
    assert text == f'filter @pattern = "{login.id}" | filter @token.{slot.name} = "ann"'
    assert [c.field for c in chips(text)] == ["@pattern", f"@token.{slot.name}"]
    got = run_query(table, text, patterns=ids, templates=templates)
    assert got.rows.to_list() == [0, 1, 4]
    text = append("logged", token_filter(login.id, slot.name, "ann", exclude=True))
    assert run_query(table, text, patterns=ids, templates=templates).rows.to_list() == [2, 3, 5]
    # Without the patterns given, a query naming a token mines the rows itself.
    assert run_query(table, f'filter @token.{slot.name} = "ann"').rows.to_list() == [0, 1, 4]
    others = [p.id for p in found.patterns if p.id != login.id]
    text = append("", pattern_filter(others, exclude=True))
    assert run_query(table, text, patterns=ids).rows.to_list() == [0, 1, 2, 3, 4, 5]

"""Click-to-filter chips: written into the query text and read back from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from logview.core.analysis.patterns import mine
from logview.core.analysis.query import run_query
from logview.core.analysis.query.chips import (
    add_filter,
    append,
    chips,
    elide,
    pattern_filter,
    remove_chip,
    search_as_filter,
    token_filter,
)

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


# ---------------------------------------------------------------------------------------------
# What a chip says: the pattern's template, the token's name, in words people read.

TIMEOUT = "Timeout acquiring connection from pool after <duration> (pool=main, waiters=<waiters>)"
ORDER = "order ord-<hex>: payment failed for user <id>"
GET = "GET /api/orders/<id> <status>"
NAMES = {"p05856c6a53": TIMEOUT, "pd6edfbe5e8": ORDER, "p847001c330": GET}


def described(text: str, names=NAMES) -> list[tuple[str, str]]:
    return [chip.describe(names) for chip in chips(text)]


def test_a_pattern_chip_shows_its_template_cut_at_a_word_and_the_whole_in_its_tooltip():

    text = append("", pattern_filter(["p05856c6a53"]))
    [(label, tooltip)] = described(text)
    assert label == "pattern: Timeout acquiring connection from pool…"
    assert TIMEOUT in tooltip.splitlines()
    [(label, tooltip)] = described(append("", pattern_filter(["p05856c6a53"], exclude=True)))
    assert label == "not pattern: Timeout acquiring connection from pool…"
    assert "but this one" in tooltip and TIMEOUT in tooltip


def test_a_template_is_shown_exactly_as_written_when_it_fits():

    [(label, _)] = described(pattern_filter(["p1"]), {"p1": "order ord-<hex>: payment failed"})
    assert label == "pattern: order ord-<hex>: payment failed"


def test_without_its_template_a_pattern_chip_shows_the_id_as_before():

    assert described(pattern_filter(["p1f7a8acdbf"]), {}) == [
        ("@pattern = p1f7a8acdbf", "Entries of this pattern:\np1f7a8acdbf")
    ]
    assert [c.label for c in chips(pattern_filter(["p1f7a8acdbf"], exclude=True))] == [
        "@pattern ≠ p1f7a8acdbf"
    ]


def test_several_patterns_are_counted_and_each_template_is_in_the_tooltip():

    ids = ["p05856c6a53", "pd6edfbe5e8", "pnotmined00"]
    kept = pattern_filter(ids)
    [chip] = chips(kept)
    assert (chip.field, chip.values, chip.exclude, chip.listed) == (
        "@pattern",
        tuple(ids),
        False,
        True,
    )
    [(label, tooltip)] = described(kept)
    assert label == "3 patterns"
    assert tooltip.splitlines() == [
        "Entries of these 3 patterns:",
        f"• {TIMEOUT}",
        f"• {ORDER}",
        "• pnotmined00",
    ]
    [(label, tooltip)] = described(pattern_filter(ids, exclude=True))
    assert label == "not 3 patterns"
    assert tooltip.startswith("Entries of none of these 3 patterns:")


def test_a_token_chip_reads_by_the_tokens_name_and_its_exclusion_as_not_equal():

    text = append("", token_filter("p847001c330", "status", "503"))
    assert [label for label, _ in described(text)] == [
        "pattern: GET /api/orders/<id> <status>",
        "status = 503",
    ]
    excluded = append("timeout", token_filter("p847001c330", "status", "503", exclude=True))
    [chip] = chips(excluded)
    assert (chip.field, chip.value, chip.exclude, chip.within) == (
        "@token.status",
        "503",
        True,
        "p847001c330",
    )
    [(label, tooltip)] = described(excluded)
    assert label == "status ≠ 503"
    assert tooltip == f"Hides the entries of this pattern whose <status> is 503:\n{GET}"
    assert remove_chip(excluded, chip) == search_as_filter("timeout")


def test_a_list_of_other_values_is_a_chip_too():
    text = 'filter @level in ["ERROR", "FATAL"] | filter status not in ["200", "304"]'
    assert described(text) == [
        ("@level in ERROR, FATAL", "Entries whose @level is one of: ERROR, FATAL"),
        ("status not in 200, 304", "Entries whose status is none of: 200, 304"),
    ]


def test_a_long_value_is_cut_with_an_ellipsis_never_a_dot_or_a_space():

    value = "Connection reset by peer. Retrying in 5 s. Giving up after 3 tries."
    [(label, tooltip)] = described(add_filter("", "reason", value))
    assert label == "reason = Connection reset by peer. Retrying in…"
    assert value in tooltip
    assert elide("a" * 60).endswith("a…") and len(elide("a" * 60)) == 40
    assert elide("Loaded order ord-<hex> with <num1> lines in <num2> ms") == (
        "Loaded order ord-<hex> with <num1>…"
    )
    assert elide("x" * 33 + " <duration>") == "x" * 33 + "…"  # never inside a <slot>
    for text in ("Done. " * 10, "a, b, c, d, e, f, g, h, i, j, k, l, m, n, o"):
        cut = elide(text)
        assert cut.endswith("…") and cut[-2] not in ". ,", cut


def test_a_chip_shows_log_text_made_visible():
    [(label, tooltip)] = described(add_filter("", "user", "a\x1b[31mb\u202ec"))
    assert label == "user = a␛[31mb⟨RLO⟩c"
    assert "\x1b" not in tooltip and "\u202e" not in tooltip


def test_a_token_named_with_a_dash_is_written_in_backticks_and_read_back():

    text = token_filter("p1", "x-request-id", "abc")
    assert text == 'filter @pattern = "p1" | filter `@token.x-request-id` = "abc"'
    assert [c.describe({})[0] for c in chips(text)] == ["@pattern = p1", "x-request-id = abc"]
    table = pl.DataFrame(
        {
            "ts": [datetime(2026, 3, 10, 14, tzinfo=UTC) + timedelta(seconds=i) for i in range(6)],
            "level": ["INFO"] * 6,
            "message": [
                f"call done x-request-id: {v} ok"
                for v in ("abc", "7f3a92", "c0ffee", "abc", "beef01", "d00d42")
            ],
        }
    )
    found = mine(table)
    [template] = found.templates.values()
    assert template.text == "call done x-request-id: <x-request-id> ok"
    # What a click on the token's value writes runs (the engine mines the rows itself here).
    got = run_query(table, token_filter(found.patterns[0].id, "x-request-id", "abc"))
    assert got.rows.to_list() == [0, 3]

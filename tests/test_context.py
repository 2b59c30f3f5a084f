"""Context rows around matches, in time order, across sources kept apart in the table."""

import numpy as np
import polars as pl

from logview.core.analysis.context import with_context


def test_neighbours_in_time_order_are_added_and_marked():
    # Two sources kept apart; time order interleaves them: seq gives each row's place.
    table = pl.DataFrame(
        {"message": ["a0", "a1", "a2", "b0", "b1", "b2"], "seq": [0, 2, 4, 1, 3, 5]},
        schema={"message": pl.String, "seq": pl.UInt32},
    )
    rows, is_match = with_context(table, np.array([1]), 1)  # a1 is third in time
    assert table["message"].gather(rows).to_list() == ["b0", "a1", "b1"]
    assert is_match.tolist() == [False, True, False]
    rows, is_match = with_context(table, np.array([0, 5]), 2)
    assert table["message"].gather(rows).to_list() == ["a0", "b0", "a1", "b1", "a2", "b2"]
    assert is_match.tolist() == [True, False, False, False, False, True]


def test_no_context_gives_the_matches_in_time_order():
    table = pl.DataFrame({"seq": [2, 0, 1]}, schema={"seq": pl.UInt32})
    rows, is_match = with_context(table, np.array([0, 1]), 0)
    assert rows.tolist() == [1, 0] and is_match.all()


def test_rows_left_out_give_no_context():
    # b's source is left out of the view: a1's neighbours are a0 and a2, not b0 and b1.
    table = pl.DataFrame(
        {"message": ["a0", "a1", "a2", "b0", "b1", "b2"], "seq": [0, 2, 4, 1, 3, 5]},
        schema={"message": pl.String, "seq": pl.UInt32},
    )
    eligible = np.array([True, True, True, False, False, False])
    rows, is_match = with_context(table, np.array([1]), 1, eligible=eligible)
    assert table["message"].gather(rows).to_list() == ["a0", "a1", "a2"]
    assert is_match.tolist() == [False, True, False]


def test_a_view_leaving_a_source_out_shows_none_of_it_as_context():
    from datetime import UTC, datetime, timedelta

    from logview.core.analysis.view import ViewState, compute_view

    t0 = datetime(2026, 3, 10, tzinfo=UTC)
    table = pl.DataFrame(
        {
            "ts": [t0 + timedelta(seconds=s) for s in (0, 2, 4, 1, 3, 5)],
            "source": ["a.log"] * 3 + ["b.log"] * 3,
            "message": ["start", "boom", "end", "b0", "b1", "b2"],
            "seq": [0, 2, 4, 1, 3, 5],
        },
        schema_overrides={"source": pl.Categorical(), "seq": pl.UInt32},
    )
    state = ViewState(query="boom", context=1, excluded=frozenset({"b.log"}))
    view = compute_view(table, state, None)
    assert table["message"].gather(view.rows).to_list() == ["start", "boom", "end"]

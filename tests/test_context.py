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

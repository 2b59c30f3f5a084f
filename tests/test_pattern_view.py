"""Patterns of a result: counted from the table's ids over the rows a query returned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

from logview.core.analysis.pattern_view import pattern_rows, samples, summarise, token_values
from logview.core.analysis.patterns import mine
from logview.core.shared.table import TS

START = datetime(2026, 3, 10, 14, tzinfo=UTC)


def table() -> pl.DataFrame:
    messages, levels = [], []
    for i in range(300):
        if i % 3 == 0:
            messages.append(f"payment declined for order {i} code {['51', '05'][i % 2]}")
            levels.append("WARN" if i % 2 else "ERROR")
        else:
            messages.append(f"request {i} served in {i % 50} ms")
            levels.append("INFO")
    return pl.DataFrame(
        {
            "ts": [START + timedelta(seconds=i) for i in range(300)],
            "level": levels,
            "message": messages,
        },
        schema={"ts": TS, "level": pl.String, "message": pl.String},
    )


def test_counts_spans_and_sparklines_of_the_rows_given():
    frame = table()
    found = mine(frame)
    rows = np.arange(0, 150)  # the first half, as a query over a range would return
    view = summarise(frame, found.ids, rows, found.templates, buckets=10)
    got = {r["template"]: r for r in view.frame.iter_rows(named=True)}
    declined = got["payment declined for order <num1> code <num2>"]
    assert declined["count"] == 50 and abs(declined["ratio"] - 50 / 150) < 1e-12
    assert declined["first"] == START and declined["last"] == START + timedelta(seconds=147)
    assert sum(declined["spark"]) == 50 and len(declined["spark"]) >= 10
    assert got["request <num1> served in <num2> ms"]["severity"] == "INFO"
    assert view.frame["count"].sum() == 150


def test_rows_tokens_and_samples_of_one_pattern():
    frame = table()
    found = mine(frame)
    pid = next(p.id for p in found.patterns if p.template.startswith("payment"))
    rows = pattern_rows(found.ids, np.arange(300), pid)
    assert rows.tolist() == list(range(0, 300, 3))
    values = token_values(frame, rows[:20], found.templates[pid])
    codes = dict(values[1].top)
    assert codes == {"51": 10, "05": 10}
    assert values[0].numeric == (0.0, 28.5, 57.0)
    picked = samples(frame, rows, 5)
    assert picked[0] == 0 and picked[-1] == 297 and len(picked) == 5


def test_no_rows_give_an_empty_table():
    frame = table()
    found = mine(frame)
    view = summarise(frame, found.ids, np.array([], dtype=np.int64), found.templates)
    assert view.frame.height == 0 and "spark" in view.frame.columns

"""The bars of a stats result without bin(), shaped without Qt: groups the highest first,
the rest left out with a note (never summed), two group fields as colours, a one-row result's
values as bars."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from logview.core.analysis.chart_series import (
    MAX_COLOURS,
    MAX_GROUPS,
    NONE,
    BarChart,
    BarSeries,
    bar_chart,
    bar_slots,
)
from logview.core.analysis.query import run_query

T0 = datetime(2026, 3, 9, tzinfo=UTC)
LEVEL = pl.Enum(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE"])


def heights(chart: BarChart) -> dict[str, list[float]]:
    return {s.name: s.values.tolist() for s in chart.series}


def test_a_count_by_one_field_draws_a_bar_per_value_the_highest_first():
    frame = pl.DataFrame({"@level": ["ERROR", "INFO", "WARN"], "count(*)": [7, 120, 30]})
    chart = bar_chart(frame)
    assert chart.groups == ("INFO", "WARN", "ERROR")
    assert heights(chart) == {"count(*)": [120.0, 30.0, 7.0]}
    assert (chart.axis, chart.value, chart.legend, chart.notes) == ("@level", "count(*)", "", ())


def test_equal_values_keep_the_results_order_and_missing_ones_come_last():
    frame = pl.DataFrame(
        {
            "host": ["a", "b", None, "d", "e"],
            "avg(ms)": [2.0, 5.0, 5.0, None, float("nan")],
        }
    )
    chart = bar_chart(frame)
    assert chart.groups == ("b", NONE, "a", "d", "e")
    assert chart.series[0].values[:3].tolist() == [5.0, 5.0, 2.0]
    assert np.isnan(chart.series[0].values[3:]).all()


def test_groups_beyond_the_limit_are_left_out_with_a_note_not_summed():
    n = MAX_GROUPS + 12
    frame = pl.DataFrame(
        {"path": [f"/p{i}" for i in range(n)], "avg(ms)": [float(i) for i in range(n)]}
    )
    chart = bar_chart(frame)
    assert len(chart.groups) == MAX_GROUPS and chart.groups[0] == f"/p{n - 1}"
    assert "other" not in chart.groups
    assert chart.notes == (
        f"{n} values of path: the {MAX_GROUPS} with the highest avg(ms) are shown",
    )


def test_several_values_by_one_field_stand_side_by_side():
    frame = pl.DataFrame({"host": ["a", "b"], "count(*)": [3, 9], "avg(ms)": [1.5, 0.5]})
    chart = bar_chart(frame)
    assert chart.groups == ("b", "a")
    assert heights(chart) == {"count(*)": [9.0, 3.0], "avg(ms)": [0.5, 1.5]}
    assert chart.value == "" and chart.legend == ""


def test_two_group_fields_group_by_the_first_and_colour_by_the_second():
    frame = pl.DataFrame(
        {
            "host": ["web1", "web1", "web2", "web2", "db"],
            "@level": ["ERROR", "INFO", "INFO", "WARN", "INFO"],
            "count(*)": [4, 50, 70, 8, 5],
            "avg(ms)": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    chart = bar_chart(frame)
    assert chart.groups == ("web2", "web1", "db")  # by total: 78, 54, 5
    assert [s.name for s in chart.series] == ["INFO", "WARN", "ERROR"]
    got = heights(chart)
    assert got["INFO"] == [70.0, 50.0, 5.0]
    assert got["ERROR"][1] == 4.0 and np.isnan(got["ERROR"][0])  # web2 has no ERROR: no bar
    assert (chart.axis, chart.value, chart.legend) == ("host", "count(*)", "@level")
    assert chart.notes == ("only count(*) is drawn: the colours show @level",)


def test_many_colours_are_cut_and_fewer_groups_drawn_when_each_holds_many_bars():
    rows = [(f"h{h:02}", f"s{s:02}", 100 * h + s) for h in range(40) for s in range(12)]
    frame = pl.DataFrame(rows, schema=["host", "status", "n"], orient="row")
    chart = bar_chart(frame)
    assert len(chart.series) == MAX_COLOURS
    assert [s.name for s in chart.series][:2] == ["s11", "s10"]
    assert len(chart.groups) < MAX_GROUPS and chart.groups[0] == "h39"
    assert chart.notes == (
        f"40 values of host: the {len(chart.groups)} with the highest n are shown",
        f"12 values of status: the {MAX_COLOURS} with the highest n are shown",
    )


def test_a_one_row_result_shows_each_value_as_a_bar():
    frame = pl.DataFrame({"count(*)": [151], "avg(ms)": [163.9], "max(ms)": [None]})
    chart = bar_chart(frame.with_columns(pl.col("max(ms)").cast(pl.Float64)))
    assert chart.groups == ("count(*)", "avg(ms)", "max(ms)")
    assert len(chart.series) == 1 and chart.series[0].name == ""
    assert chart.series[0].values[:2].tolist() == [151.0, 163.9]
    assert np.isnan(chart.series[0].values[2])


def test_rows_without_a_group_field_are_numbered_in_their_order():
    chart = bar_chart(pl.DataFrame({"n": [5, 9, 1]}))
    assert chart.groups == ("1", "2", "3") and heights(chart) == {"n": [5.0, 9.0, 1.0]}


@pytest.mark.parametrize(
    "frame",
    [
        pl.DataFrame({"@level": ["INFO"], "count(*)": [3]}).clear(),
        pl.DataFrame({"@level": ["INFO"], "host": ["a"]}),
    ],
    ids=["no-rows", "no-numbers"],
)
def test_nothing_to_draw_is_none(frame):
    assert bar_chart(frame) is None


def test_each_group_holds_its_own_bars_centred():
    chart = BarChart(
        ("a", "b"),
        (BarSeries("x", np.array([1.0, np.nan])), BarSeries("y", np.array([2.0, 3.0]))),
        "g",
        "n",
        "s",
    )
    (x, y), width = bar_slots(chart, band=0.8)
    assert width == pytest.approx(0.4)
    assert x[0] == pytest.approx(-0.2) and np.isnan(x[1])
    assert y.tolist() == pytest.approx([0.2, 1.0])  # b's one bar stands in its middle


def test_a_stats_query_without_bin_gives_bars_of_its_result():
    levels = ["INFO"] * 6 + ["ERROR"] * 2 + ["WARN"] * 3
    table = pl.DataFrame(
        {
            "ts": [T0 + timedelta(seconds=i) for i in range(len(levels))],
            "level": pl.Series(levels, dtype=LEVEL),
            "message": [f"m{i}" for i in range(len(levels))],
            "host": ["a", "b", "a"] * 3 + ["a", "c"],
            "ms": [str(10 * i) for i in range(len(levels))],
        }
    )
    result = run_query(table, "stats count(*) by @level")
    assert not result.time_series
    chart = bar_chart(result.frame)
    assert chart.groups == ("INFO", "WARN", "ERROR") and heights(chart) == {"count(*)": [6, 3, 2]}
    averages = bar_chart(run_query(table, "stats avg(ms) by host").frame)
    assert averages.groups == ("c", "a", "b") and averages.value == "avg(ms)"
    assert averages.series[0].values.tolist() == pytest.approx([100.0, 330 / 7, 40.0])

"""The Visualization tab's bars: a stats result without bin() drawn by group, level colours
in light and dark palettes, labels elided or slanted and whole in the tooltip, the values on
hover, and what was left out in a note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolTip

from logview.core.analysis.chart_series import MAX_GROUPS
from logview.core.analysis.query import QueryResult
from logview.gui.chart import HINT, VALUE_LABELS, TimeSeriesChart
from logview.gui.theme import LEVEL_COLOURS, SERIES_COLOURS
from logview.gui.timeline import plain_tooltip

T0 = datetime(2026, 3, 9, tzinfo=UTC)


def stats(frame: pl.DataFrame, *, time_series: bool = False) -> QueryResult:
    return QueryResult("stats", frame, None, time_series)


@pytest.fixture
def chart(qtbot):
    widget = TimeSeriesChart()
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    return widget


def levels() -> pl.DataFrame:
    return pl.DataFrame({"@level": ["ERROR", "INFO", "WARN"], "count(*)": [7, 120, 30]})


def brushes(chart: TimeSeriesChart) -> list[list[str]]:
    return [[b.color().name() for b in item.opts["brushes"]] for item in chart.bar_plot.items]


def test_a_stats_result_by_a_field_shows_bars_in_the_level_colours(chart):
    chart.show_result(stats(levels()))
    assert chart._stack.currentWidget() is chart.bar_plot
    assert chart.bars().groups == ("INFO", "WARN", "ERROR")
    assert chart.bar_plot.axis.labels == ("INFO", "WARN", "ERROR")
    assert len(chart.bar_plot.items) == 1
    assert brushes(chart)[0][1:] == [LEVEL_COLOURS["WARN"][0], LEVEL_COLOURS["ERROR"][0]]
    assert chart.bar_plot.plot_item.getAxis("left").labelText == "count(*)"
    assert chart.series() == [] and chart.curves == []


def test_a_dark_palette_gives_the_dark_colours(chart):
    chart.show_result(stats(levels()))
    palette = chart.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#181818"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e0e0e0"))
    chart.setPalette(palette)
    assert brushes(chart)[0][2] == LEVEL_COLOURS["ERROR"][1]
    assert chart.bar_plot.value_labels[0].color.name() == "#e0e0e0"


def test_other_groups_take_the_series_colours_and_two_fields_a_legend(chart):
    frame = pl.DataFrame(
        {"host": ["a", "a", "b"], "kind": ["<b>x</b>", "y", "y"], "count(*)": [5, 3, 4]}
    )
    chart.show_result(stats(frame))
    assert [names[0] for names in brushes(chart)] == list(SERIES_COLOURS[:2])
    labels = [label.text for _sample, label in chart.bar_plot.legend.items]
    assert labels == ["y", "&lt;b&gt;x&lt;/b&gt;"]  # the legend draws HTML: names escaped
    assert chart.bar_plot.plot_item.getAxis("left").labelText == "count(*) by kind"
    assert chart.bar_plot.text_at(0) == "a\ncount(*) by kind:\ny: 3\n<b>x</b>: 5"
    assert chart.bar_plot.text_at(1) == "b\ncount(*) by kind:\ny: 4\n<b>x</b>: –"


def test_lines_rows_and_nothing_leave_the_bars(chart):
    chart.show_result(stats(levels()))
    bins = pl.DataFrame({"bin(5m)": [T0, T0 + timedelta(minutes=5)], "n": [1, 2]})
    chart.show_result(stats(bins, time_series=True))
    assert chart._stack.currentWidget() is chart.plot and len(chart.curves) == 1
    assert chart.bars() is None and chart.bar_plot.items == []
    chart.show_result(QueryResult("rows", pl.DataFrame(), pl.Series([0]), False))
    assert chart._stack.currentWidget() is chart.hint and chart.hint.text() == HINT
    chart.show_result(None)
    assert chart.hint.text() == HINT


def test_a_stats_result_without_rows_or_numbers_says_so(chart):
    chart.show_result(stats(levels().clear()))
    assert chart.hint.text() == "The query returned no rows to chart."
    chart.show_result(stats(pl.DataFrame({"@level": ["INFO"], "host": ["a"]})))
    assert chart.hint.text() == "The result has no numeric column to chart."


def test_short_labels_lie_level_and_long_ones_slant_elided_but_whole_in_the_tooltip(chart, qtbot):
    chart.show()
    qtbot.waitExposed(chart)
    chart.show_result(stats(levels()))
    chart.bar_plot.plot.grab()  # lays out and paints the axis
    assert not chart.bar_plot.axis.slanted
    assert chart.bar_plot.axis.shown_label(0) == "INFO"
    long = "/api/products/search?q=" + "x" * 200
    frame = pl.DataFrame({"path": [long, "/healthz"], "count(*)": [9, 3]})
    chart.show_result(stats(frame))
    chart.bar_plot.plot.grab()
    axis = chart.bar_plot.axis
    assert axis.slanted
    shown = axis.shown_label(0)
    assert "…" in shown and shown.startswith("/api/") and len(shown) < len(long)
    assert axis.shown_label(1) == "/healthz"
    assert chart.bar_plot.text_at(0) == f"{long}\ncount(*): 9"


def test_hovering_a_group_shows_its_label_and_value(chart, qtbot):
    chart.show()
    qtbot.waitExposed(chart)
    chart.show_result(stats(levels()))
    box = chart.bar_plot.view_box
    (_, _), (y_low, y_high) = box.viewRange()
    scene = box.mapViewToScene(QPointF(1.1, (y_low + y_high) / 2))
    QTest.mouseMove(chart.bar_plot.plot.viewport(), chart.bar_plot.plot.mapFromScene(scene))
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert QToolTip.text() == plain_tooltip("WARN\ncount(*): 30")
    assert chart.bar_plot.highlight.isVisible()
    assert chart.bar_plot.highlight.getRegion() == (0.5, 1.5)


def test_what_was_left_out_is_noted_under_the_bars(chart):
    n = MAX_GROUPS + 5
    frame = pl.DataFrame({"host": [f"h{i}" for i in range(n)], "count(*)": list(range(n))})
    chart.show_result(stats(frame))
    note = chart.bar_plot.note
    assert not note.isHidden()
    assert (
        note.text() == f"{n} values of host: the {MAX_GROUPS} with the highest count(*) are shown."
    )
    assert chart.bar_plot.value_labels == []  # too many bars to write their values
    chart.show_result(stats(levels()))
    assert note.isHidden()


def test_a_one_row_result_shows_its_values_as_bars_with_their_numbers(chart):
    frame = pl.DataFrame({"count(*)": [151416], "avg(ms)": [163.88]})
    chart.show_result(stats(frame))
    assert chart.bar_plot.axis.labels == ("count(*)", "avg(ms)")
    assert [label.textItem.toPlainText() for label in chart.bar_plot.value_labels] == [
        "151,416",
        "163.9",
    ]
    assert len(chart.bar_plot.value_labels) <= VALUE_LABELS
    assert chart.bar_plot.text_at(1) == "avg(ms)\n163.9"

"""The timeline (stacked level bars and a selectable range) and the chart of stats results."""

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from PySide6 import QtGui
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPalette, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from logview.core.analysis.chart_series import OTHER, chart_series
from logview.core.analysis.histogram import histogram
from logview.core.shared.table import LEVELS, SCHEMA
from logview.gui.chart import HINT, TimeSeriesChart
from logview.gui.timeline import STACK_ORDER, Timeline, plain_tooltip

T0 = datetime(2026, 3, 9, tzinfo=UTC)


def two_days(seed: int = 5) -> pl.DataFrame:
    """Return two days of entries, mostly INFO, with an ERROR spike on the second afternoon."""
    rng = np.random.default_rng(seed)
    minutes = rng.integers(0, 2 * 24 * 60, 4_000)
    levels = rng.choice(
        ["INFO", "DEBUG", "WARN", "NONE", "TRACE"], 4_000, p=[0.7, 0.15, 0.08, 0.05, 0.02]
    )
    spike = rng.integers(38 * 60 + 5, 38 * 60 + 40, 300)
    stamps = [T0 + timedelta(minutes=int(m), seconds=7) for m in [*minutes, *spike]]
    kinds = [*levels, *(["ERROR"] * 290 + ["FATAL"] * 10)]
    n = len(stamps)
    return pl.DataFrame(
        {
            "ts": stamps,
            "level": kinds,
            "source": ["app.log"] * n,
            "line": range(1, n + 1),
            "message": ["m"] * n,
            "seq": range(n),
        },
        schema=SCHEMA,
    )


@pytest.fixture
def timeline(qtbot):
    widget = Timeline()
    qtbot.addWidget(widget)
    widget.resize(900, 110)
    widget.set_histogram(histogram(two_days()))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def viewport_point(timeline: Timeline, moment: datetime, height: float = 0.5) -> QPoint:
    """Return the viewport pixel over `moment`, `height` of the way down the plot area."""
    box = timeline.view_box
    (_, _), (y_low, y_high) = box.viewRange()
    scene = box.mapViewToScene(QPointF(moment.timestamp(), y_high - (y_high - y_low) * height))
    return timeline.plot.mapFromScene(scene)


def test_bars_are_the_counts_stacked_with_errors_on_top(timeline):
    h = histogram(two_days())
    bottom = np.zeros(h.starts.size)
    for level in STACK_ORDER:
        opts = timeline.bars[level].opts
        assert np.array_equal(opts["height"], h.counts[level])
        assert np.array_equal(opts["y0"], bottom)
        bottom += h.counts[level]
    assert STACK_ORDER[-2:] == ("ERROR", "FATAL")
    assert set(STACK_ORDER) == set(LEVELS)
    assert timeline.bars["ERROR"].opts["height"].max() > 100  # the spike


def test_bars_start_on_the_buckets(timeline):
    h = histogram(two_days())
    x0 = timeline.bars["INFO"].opts["x0"]
    width = timeline.bars["INFO"].opts["width"]
    assert np.all(x0 >= h.starts / 1e6)
    assert np.all(x0 + width <= (h.starts + h.width_us) / 1e6)


def test_the_view_shows_exactly_the_histogram_range(timeline):
    h = histogram(two_days())
    (x_low, x_high), _ = timeline.view_box.viewRange()
    assert x_low == pytest.approx(h.starts[0] / 1e6)
    assert x_high == pytest.approx((h.starts[-1] + h.width_us) / 1e6)


def test_select_range_emits_the_range_as_utc_datetimes(timeline, qtbot):
    start, end = T0 + timedelta(hours=38), T0 + timedelta(hours=39)
    with qtbot.waitSignal(timeline.range_selected) as signal:
        timeline.select_range(start, end)
    assert signal.args == [start, end]
    assert all(
        moment.tzinfo is not None and moment.utcoffset() == timedelta(0) for moment in signal.args
    )
    assert timeline.selection() == (start, end)


def test_a_mouse_drag_on_the_plot_selects_a_range_rounded_to_round_times(timeline, qtbot):
    viewport = timeline.plot.viewport()
    start, end = T0 + timedelta(hours=37, minutes=52), T0 + timedelta(hours=40, minutes=11)
    with qtbot.waitSignal(timeline.range_selected) as signal:
        QTest.mousePress(
            viewport,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            viewport_point(timeline, start),
        )
        for step in range(1, 6):
            moment = start + (end - start) * step / 5
            QTest.mouseMove(viewport, viewport_point(timeline, moment))
        QTest.mouseRelease(
            viewport,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            viewport_point(timeline, end),
        )
    got_start, got_end = signal.args
    assert got_start.tzinfo is not None and got_start.utcoffset() == timedelta(0)
    # Snapped outwards to 5 minutes (a 600th of two days, rounded to a nice width).
    assert got_start == T0 + timedelta(hours=37, minutes=50)
    assert got_end == T0 + timedelta(hours=40, minutes=15)
    assert timeline.selection() == (got_start, got_end)


def test_a_drag_from_right_to_left_selects_the_same_range(timeline, qtbot):
    viewport = timeline.plot.viewport()
    right, left = T0 + timedelta(hours=12, minutes=31), T0 + timedelta(hours=10, minutes=2)
    with qtbot.waitSignal(timeline.range_selected) as signal:
        QTest.mousePress(
            viewport,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            viewport_point(timeline, right),
        )
        QTest.mouseMove(viewport, viewport_point(timeline, right - timedelta(hours=1)))
        QTest.mouseMove(viewport, viewport_point(timeline, left))
        QTest.mouseRelease(
            viewport,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            viewport_point(timeline, left),
        )
    got_start, got_end = signal.args
    assert got_start < got_end
    assert got_start <= left < got_start + timedelta(minutes=5)
    assert got_end - timedelta(minutes=5) < right <= got_end


def test_dragging_the_region_moves_the_selection(timeline, qtbot):
    timeline.set_selection(T0 + timedelta(hours=10), T0 + timedelta(hours=12))
    viewport = timeline.plot.viewport()
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with qtbot.waitSignal(timeline.range_selected) as signal:
        QTest.mousePress(viewport, left, none, viewport_point(timeline, T0 + timedelta(hours=11)))
        for minutes in range(20, 121, 20):
            moment = T0 + timedelta(hours=11, minutes=minutes)
            QTest.mouseMove(viewport, viewport_point(timeline, moment))
        QTest.mouseRelease(viewport, left, none, viewport_point(timeline, T0 + timedelta(hours=13)))
    start, end = signal.args
    assert abs(start - (T0 + timedelta(hours=12))) <= timedelta(minutes=5)
    assert abs((end - start) - timedelta(hours=2)) <= timedelta(minutes=10)
    assert start.minute % 5 == 0 and end.minute % 5 == 0


def test_a_double_click_resets_the_range(timeline, qtbot):
    # What Qt delivers for a double click: press, release, double-click, release. (QTest's
    # mouseDClick leaves out the first release, which pyqtgraph then reads as one click.)
    viewport = timeline.plot.viewport()
    point = viewport_point(timeline, T0 + timedelta(hours=20))
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with qtbot.waitSignal(timeline.range_reset), qtbot.assertNotEmitted(timeline.range_selected):
        QTest.mouseClick(viewport, left, none, point)
        double = QMouseEvent(
            QEvent.Type.MouseButtonDblClick,
            QPointF(point),
            QPointF(viewport.mapToGlobal(point)),
            left,
            left,
            none,
        )
        QApplication.sendEvent(viewport, double)
        QTest.mouseRelease(viewport, left, none, point)


def test_a_single_click_neither_selects_nor_resets(timeline, qtbot):
    viewport = timeline.plot.viewport()
    point = viewport_point(timeline, T0 + timedelta(hours=20))
    with (
        qtbot.assertNotEmitted(timeline.range_reset),
        qtbot.assertNotEmitted(timeline.range_selected),
    ):
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        qtbot.wait(20)


def test_hovering_a_bar_shows_its_tooltip(timeline, qtbot):
    h = histogram(two_days())
    spike = int(np.argmax(h.counts["ERROR"]))
    moment = datetime.fromtimestamp((h.starts[spike] + h.width_us / 2) / 1e6, UTC)
    QTest.mouseMove(timeline.plot.viewport(), viewport_point(timeline, moment, height=0.8))
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    shown = QToolTip.text()
    assert f"ERROR: {h.counts['ERROR'][spike]:,}" in shown
    assert shown == plain_tooltip(timeline.text_at(moment.timestamp()))


def test_set_selection_shows_the_region_without_emitting(timeline, qtbot):
    start, end = T0 + timedelta(hours=3), T0 + timedelta(hours=5)
    with qtbot.assertNotEmitted(timeline.range_selected):
        timeline.set_selection(start, end)
    assert timeline.region.isVisible()
    assert timeline.selection() == (start, end)
    timeline.set_selection(None, None)
    assert not timeline.region.isVisible()
    assert timeline.selection() is None


def test_a_missing_bound_of_the_selection_is_the_edge_of_the_data(timeline):
    h = histogram(two_days())
    timeline.set_selection(T0 + timedelta(hours=30), None)
    assert timeline.selection()[1].timestamp() == pytest.approx((h.starts[-1] + h.width_us) / 1e6)


def test_the_wheel_does_not_zoom(timeline):
    before = timeline.view_box.viewRange()
    viewport = timeline.plot.viewport()
    point = QPointF(viewport_point(timeline, T0 + timedelta(hours=24)))
    for delta in (120, -240):
        event = QWheelEvent(
            point,
            QPointF(viewport.mapToGlobal(point.toPoint())),
            QPoint(0, 0),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(viewport, event)
    assert timeline.view_box.viewRange() == before


def test_the_tooltip_is_plain_text_with_the_bucket_and_its_counts(timeline):
    h = histogram(two_days())
    spike = int(np.argmax(h.counts["ERROR"]))
    middle = (h.starts[spike] + h.width_us / 2) / 1e6
    text = timeline.text_at(middle)
    start = datetime.fromtimestamp(h.starts[spike] / 1e6, UTC)
    end = start + timedelta(microseconds=h.width_us)
    assert text.splitlines()[0] == f"{start:%Y-%m-%d %H:%M} – {end:%H:%M} UTC"
    assert f"ERROR: {h.counts['ERROR'][spike]:,}" in text
    assert f"{int(sum(c[spike] for c in h.counts.values())):,} entries" in text
    assert "<" not in text
    assert not QtGui.Qt.mightBeRichText(text)
    assert timeline.text_at(h.starts[0] / 1e6 - 3600) is None


def test_the_time_zone_labels_the_axis_and_the_tooltip(timeline):
    # 2026-03-10 14:00 UTC is 10:00 in New York (daylight time since March 8).
    moment = datetime(2026, 3, 10, 14, tzinfo=UTC).timestamp()
    assert timeline.axis.tickStrings([moment], 1.0, 3600) == ["14:00"]
    timeline.set_time_zone("America/New_York")
    assert timeline.axis.tickStrings([moment], 1.0, 3600) == ["10:00"]
    assert "EDT" in timeline.text_at(moment).splitlines()[0]
    timeline.set_time_zone(None)
    assert "UTC" in timeline.text_at(moment).splitlines()[0]


def test_axis_ticks_fall_on_round_local_times():
    widget = Timeline()
    widget.set_time_zone("Asia/Kolkata")  # UTC+05:30: round local hours are not round UTC hours
    low = datetime(2026, 3, 9, tzinfo=UTC).timestamp()
    (step, ticks), *_ = widget.axis.tickValues(low, low + 86_400, 900)
    assert step >= 3600
    for tick in ticks:
        local = datetime.fromtimestamp(tick, UTC).astimezone(widget.axis._zone)
        assert local.minute == 0 and local.second == 0 and local.hour % (step // 3600) == 0


def test_a_histogram_without_buckets_shows_a_hint(qtbot):
    widget = Timeline()
    qtbot.addWidget(widget)
    widget.set_histogram(histogram(two_days().clear()))
    assert widget._stack.currentWidget() is widget.hint
    assert widget.text_at(T0.timestamp()) is None


def test_a_dark_palette_gives_the_dark_level_colours(timeline):
    assert timeline.bars["ERROR"].opts["brush"].color().name() == "#d32f2f"
    palette = timeline.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#181818"))
    timeline.setPalette(palette)
    assert timeline.bars["ERROR"].opts["brush"].color().name() == "#ff5c5c"


# -- the chart ----------------------------------------------------------------------------


def bins(n: int) -> list[datetime]:
    return [T0 + timedelta(minutes=5 * i) for i in range(n)]


def test_an_ungrouped_result_draws_one_line_per_numeric_column(qtbot):
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    frame = pl.DataFrame({"bin(5m)": bins(6), "count(*)": [1, 2, 3, 4, 5, 6], "avg(ms)": [1.5] * 6})
    chart.show_frame(frame)
    assert [s.name for s in chart.series()] == ["count(*)", "avg(ms)"]
    assert len(chart.curves) == 2
    assert chart.series()[0].y.tolist() == [1, 2, 3, 4, 5, 6]
    assert chart._stack.currentWidget() is chart.plot


def test_a_grouped_result_draws_the_ten_largest_groups_and_the_rest_as_other(qtbot):
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    rows = [(t, f"host{g:02}", (g + 1) * 10) for t in bins(4) for g in range(13)]
    frame = pl.DataFrame(rows, schema=["bin(5m)", "host", "count(*)"], orient="row")
    chart.show_frame(frame)
    names = [s.name for s in chart.series()]
    assert names == [f"host{g:02}" for g in range(12, 2, -1)] + [OTHER]
    assert chart.series()[-1].y.tolist() == [10 + 20 + 30] * 4
    assert len(chart.curves) == 11


def test_several_values_and_groups_name_each_line_by_both():
    frame = pl.DataFrame(
        {
            "level": ["INFO", "ERROR"] * 2,
            "bin(1m)": [T0, T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=1)],
            "n": [5, 1, 6, 2],
            "avg(ms)": [1.0, 9.0, 2.0, 8.0],
        }
    )
    names = [s.name for s in chart_series(frame)]
    assert names == ["INFO · n", "ERROR · n", "INFO · avg(ms)", "ERROR · avg(ms)"]


def test_a_missing_bin_is_zero_for_counts_and_a_gap_for_averages():
    frame = pl.DataFrame(
        {
            "bin(5m)": [bins(4)[i] for i in (0, 1, 3)],
            "count(*)": [3, 4, 5],
            "avg(ms)": [1.0, 2.0, 3.0],
        }
    )
    counts, averages = chart_series(frame)
    assert counts.y.tolist() == [3, 4, 0, 5]
    assert np.isnan(averages.y[2]) and averages.y[3] == 3.0
    assert np.diff(counts.x).tolist() == [300.0] * 3


def test_a_group_absent_from_a_bin_counts_zero_there():
    frame = pl.DataFrame(
        {
            "bin(5m)": [bins(2)[0], bins(2)[0], bins(2)[1]],
            "level": ["INFO", "ERROR", "INFO"],
            "n": [4, 2, 5],
        }
    )
    series = {s.name: s.y.tolist() for s in chart_series(frame)}
    assert series == {"INFO": [4, 5], "ERROR": [2, 0]}


@pytest.mark.parametrize(
    "frame",
    [None, pl.DataFrame({"level": ["INFO"], "count(*)": [3]})],
    ids=["none", "no-datetime-column"],
)
def test_nothing_to_chart_shows_the_hint(qtbot, frame):
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    chart.show_frame(pl.DataFrame({"bin(5m)": bins(2), "n": [1, 2]}))
    chart.show_frame(frame)
    assert chart._stack.currentWidget() is chart.hint
    assert chart.hint.text() == HINT
    assert chart.hint.textFormat() == Qt.TextFormat.PlainText
    assert chart.series() == [] and chart.curves == []


def test_the_chart_tooltip_lists_every_line_at_the_nearest_bin(qtbot):
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    frame = pl.DataFrame({"bin(5m)": bins(3), "level": ["<b>x</b>"] * 3, "n": [1, 20, 300]})
    chart.show_frame(frame)
    text = chart.text_at(bins(3)[1].timestamp() + 100)
    assert text.splitlines() == ["2026-03-09 00:05:00 UTC", "<b>x</b>: 20"]


def test_hovering_the_chart_shows_the_values_at_the_nearest_bin(qtbot):
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.show_frame(pl.DataFrame({"bin(5m)": bins(5), "count(*)": [1, 2, 30, 4, 5]}))
    chart.show()
    qtbot.waitExposed(chart)
    (_, _), (y_low, y_high) = chart.view_box.viewRange()
    scene = chart.view_box.mapViewToScene(
        QPointF(bins(5)[2].timestamp() + 20, (y_low + y_high) / 2)
    )
    QTest.mouseMove(chart.plot.viewport(), chart.plot.mapFromScene(scene))
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert QToolTip.text() == plain_tooltip("2026-03-09 00:10:00 UTC\ncount(*): 30")
    assert chart.cursor.isVisible() and chart.cursor.value() == bins(5)[2].timestamp()


def test_a_result_without_rows_or_numbers_says_so(qtbot):
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    chart.show_frame(pl.DataFrame({"bin(5m)": bins(2), "n": [1, 2]}).clear())
    assert chart.hint.text() == "The query returned no rows to chart."
    chart.show_frame(pl.DataFrame({"bin(5m)": bins(2), "level": ["INFO", "WARN"]}))
    assert chart.hint.text() == "The result has no numeric column to chart."


def test_other_stays_a_gap_where_its_groups_have_no_value():
    rows = [(bins(1)[0], f"g{g:02}", float(g), None) for g in range(12)]
    frame = pl.DataFrame(rows, schema=["bin(5m)", "g", "n", "avg(ms)"], orient="row")
    frame = frame.with_columns(pl.col("avg(ms)").cast(pl.Float64))
    other = [s for s in chart_series(frame) if s.is_other]
    assert [s.name for s in other] == ["other · n", "other · avg(ms)"]
    assert other[0].y.tolist() == [0.0 + 1.0]
    assert np.isnan(other[1].y[0])

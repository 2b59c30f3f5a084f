"""The range bar's way back: every range reported is remembered, Back returns to the one
before (a drag on the timeline zooms in; Back zooms out), new data forgets them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from logview.gui.range_bar import RangeBar

FIRST = datetime(2026, 3, 9, tzinfo=UTC)
LAST = FIRST + timedelta(days=2)


def test_back_returns_to_the_ranges_before_in_turn(qtbot):
    bar = RangeBar()
    qtbot.addWidget(bar)
    bar.set_span(FIRST, LAST)
    reported: list[tuple] = []
    bar.range_changed.connect(lambda start, end: reported.append((start, end)))
    assert not bar.back_button.isEnabled()
    day = (FIRST + timedelta(days=1), FIRST + timedelta(days=2))
    hour = (day[0] + timedelta(hours=14), day[0] + timedelta(hours=15))
    bar.set_range(*day)
    bar.set_range(*hour)
    assert bar.selected() == hour and bar.back_button.isEnabled()
    bar.back_button.click()
    assert bar.selected() == day and reported[-1] == day
    bar.back_button.click()
    assert bar.selected() == (None, None) and reported[-1] == (None, None)
    assert not bar.back_button.isEnabled()
    bar.set_range(*hour)
    bar.set_span(FIRST, LAST + timedelta(days=1))  # other data: nothing to go back to
    assert not bar.back_button.isEnabled()


def test_the_compare_box_shows_its_whole_label_where_there_is_room(qtbot):
    bar = RangeBar()
    qtbot.addWidget(bar)
    bar.resize(1000, 30)  # the bar's width in a 1366-pixel window
    bar.show()
    bar.compare.setCurrentIndex(1)  # "vs previous period"
    metrics = bar.compare.fontMetrics()
    assert bar.compare.width() >= metrics.horizontalAdvance("vs previous period")


def test_with_no_data_the_dates_are_blank(qtbot):
    bar = RangeBar()
    qtbot.addWidget(bar)
    assert bar.start.text().strip() == "" and not bar.start.isEnabled()
    bar.set_span(FIRST, LAST)
    assert bar.start.text() == "2026-03-09 00:00:00" and bar.start.isEnabled()

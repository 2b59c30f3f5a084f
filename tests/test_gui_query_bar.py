"""The query bar on its own: chips that read by the patterns' templates, and the hint that
offers the query a misspelt command was meant to be."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from logview.core.analysis.query.chips import add_filter, append, pattern_filter, token_filter
from logview.gui.query_bar import QueryBar

TIMEOUT = "Timeout acquiring connection from pool after <duration> (pool=main, waiters=<waiters>)"
GET = "GET /api/orders/<id> <status>"
NAMES = {"p05856c6a53": TIMEOUT, "p847001c330": GET, "pd6edfbe5e8": "order ord-<hex>: failed"}


@pytest.fixture
def bar(qtbot) -> QueryBar:
    widget = QueryBar()
    qtbot.addWidget(widget)
    widget.resize(900, 120)
    widget.show()
    return widget


def chip_buttons(bar: QueryBar) -> list[QToolButton]:
    # A layout shows a new child when the event loop turns; the buttons of chips shown before
    # are hidden at once and deleted later.
    QApplication.processEvents()
    return [b for b in bar.chip_area.findChildren(QToolButton) if b.isVisibleTo(bar)]


def test_chips_read_by_the_templates_once_the_bar_has_them(bar):
    text = append("", token_filter("p847001c330", "status", "503"))
    text = append(text, pattern_filter(["p05856c6a53"], exclude=True))
    text = append(text, pattern_filter(list(NAMES)))
    text = append(text, token_filter("p847001c330", "status", "504", exclude=True))
    bar.set_text(text, run=False)
    assert bar.chip_labels() == [
        "@pattern = p847001c330",
        "status = 503",
        "@pattern ≠ p05856c6a53",
        "3 patterns",
        "status ≠ 504",
    ]
    bar.set_pattern_names(NAMES)
    assert bar.chip_labels() == [
        f"pattern: {GET}",
        "status = 503",
        "not pattern: Timeout acquiring connection from pool…",
        "3 patterns",
        "status ≠ 504",
    ]
    assert [b.text() for b in chip_buttons(bar)] == [f"{label}  ✕" for label in bar.chip_labels()]
    tips = bar.chip_tooltips()
    assert TIMEOUT in tips[2]
    assert all(f"• {template}" in tips[3] for template in NAMES.values())
    assert GET in tips[4] and "<status> is 504" in tips[4]
    # Shown as text, not as markup: a template's <slot> would otherwise vanish.
    assert "&lt;duration&gt;" in chip_buttons(bar)[2].toolTip()


def test_a_chip_shows_an_ampersand_and_a_click_removes_its_command(qtbot, bar):
    text = add_filter("", "url", "/a?x=1&y=2")
    bar.set_text(add_filter(text, "@level", "ERROR", exclude=True), run=False)
    first, second = chip_buttons(bar)
    assert first.text() == "url = /a?x=1&&y=2  ✕"  # "&&" draws one "&", not a shortcut key
    assert bar.chip_labels() == ["url = /a?x=1&y=2", "@level ≠ ERROR"]
    with qtbot.waitSignal(bar.submitted) as ran:
        qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert ran.args == ['filter @level != "ERROR"']
    assert bar.chip_labels() == ["@level ≠ ERROR"]


def test_many_chips_wrap_onto_lines_instead_of_widening_the_bar(bar):
    text = ""
    for i in range(8):
        text = add_filter(text, f"field_{i}", "a value long enough to take some room")
    bar.set_text(text, run=False)
    assert len(chip_buttons(bar)) == 8
    assert bar.minimumSizeHint().width() < 600
    one_line = chip_buttons(bar)[0].sizeHint().height()
    assert bar.chip_area.heightForWidth(900) > 2 * one_line


def test_a_search_that_found_nothing_offers_the_query_it_was_meant_to_be(qtbot, bar):
    with qtbot.waitSignal(bar.submitted):
        bar.set_text('fitler @level = "ERROR"')
    bar.show_result_count(0)
    assert bar.hint.isVisibleTo(bar)
    assert bar.suggestion() == 'filter @level = "ERROR"'
    assert "No entry has these words. Did you mean:" in bar.hint_label.text()
    assert "filter @level = &quot;ERROR&quot;" in bar.hint_label.text()
    with qtbot.waitSignal(bar.submitted) as ran:
        qtbot.mouseClick(bar.hint_button, Qt.MouseButton.LeftButton)
    assert ran.args == ['filter @level = "ERROR"']
    assert bar.text() == 'filter @level = "ERROR"'
    assert not bar.hint.isVisibleTo(bar)
    bar.show_result_count(0)  # the right query found nothing either: nothing to offer
    assert not bar.hint.isVisibleTo(bar)


def test_the_hint_goes_with_another_count_or_a_new_text(qtbot, bar):
    bar.set_text('fitler @level = "ERROR"')
    bar.show_result_count(0)
    assert bar.hint.isVisibleTo(bar)
    bar.show_result_count(4)
    assert not bar.hint.isVisibleTo(bar)
    bar.show_result_count(0)
    assert bar.hint.isVisibleTo(bar)
    qtbot.keyClicks(bar.edit, " x")
    assert not bar.hint.isVisibleTo(bar)
    bar.show_result_count(0)  # the count of the text before the keys: not this one's
    assert not bar.hint.isVisibleTo(bar)
    bar.set_text("timeout db")
    bar.show_result_count(0)  # a real search that found nothing: no hint
    assert not bar.hint.isVisibleTo(bar)
    assert bar.suggestion() is None


def test_a_long_suggestion_never_widens_the_bar(bar):
    condition = " or ".join(f'@message like "word number {i}"' for i in range(30))
    bar.set_text(f"fitler {condition}", run=False)
    bar.show_result_count(0)
    assert bar.suggestion() == f"filter {condition}"
    assert bar.minimumSizeHint().width() < 600


def test_a_count_that_arrives_after_browsing_the_history_is_not_the_texts(qtbot, bar):
    bar.set_text('fitler @level = "ERROR"')
    bar.set_text("timeout db")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Up)
    assert bar.text() == "timeout db"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Up)
    assert bar.text() == 'fitler @level = "ERROR"'
    bar.show_result_count(0)  # the count of "timeout db", which ran last
    assert not bar.hint.isVisibleTo(bar)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    bar.show_result_count(0)
    assert bar.suggestion() == 'filter @level = "ERROR"'

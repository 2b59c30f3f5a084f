"""Tables on laptop screens: the text column keeps its share of the width and the other
columns give way in the order of their worth; sort arrows point the way desktops draw them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QProxyStyle,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QTreeView,
)


class FittedColumns(QObject):
    """Keeps a view's `text` column at least `share` of its width (or `least` pixels, if more):
    the other columns, given as (column, width) from the most worth showing to the least, are
    shown while they leave it that room and hidden from the first one that does not, again
    whenever the view is resized or its columns change."""

    def __init__(
        self,
        view: QTableView | QTreeView,
        text: int,
        others: Sequence[tuple[int, int]],
        *,
        share: float = 0.5,
        least: int = 160,
    ) -> None:
        super().__init__(view)
        self._view = view
        self.text = text
        self.others = list(others)
        self.share = share
        self.least = least
        header = self._header()
        header.setSectionResizeMode(text, QHeaderView.ResizeMode.Stretch)
        view.viewport().installEventFilter(self)

    def set_columns(self, others: Sequence[tuple[int, int]]) -> None:
        """Fit another set of columns (the table's columns changed)."""
        self.others = list(others)
        self.fit()

    def fit(self) -> None:
        view, header = self._view, self._header()
        width = view.viewport().width()
        room = width - max(self.least, int(width * self.share))
        shown = True
        for column, size in self.others:
            shown = shown and size <= room
            view.setColumnHidden(column, not shown)
            if shown:
                room -= size
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
                header.resizeSection(column, size)
        header.setSectionResizeMode(self.text, QHeaderView.ResizeMode.Stretch)

    def hidden(self) -> list[int]:
        """Return the columns hidden for want of room."""
        return [c for c, _ in self.others if self._view.isColumnHidden(c)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _header(self) -> QHeaderView:
        view = self._view
        return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


class _DesktopSortArrows(QProxyStyle):
    """Qt draws an up arrow over a column sorted biggest first; Windows and macOS draw a
    down arrow there (and up for smallest first): this style draws them so."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: ANN001, N802
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(
            option, QStyleOptionHeader
        ):
            flipped = QStyleOptionHeader(option)
            up, down = (
                QStyleOptionHeader.SortIndicator.SortUp,
                QStyleOptionHeader.SortIndicator.SortDown,
            )
            if option.sortIndicator == up:
                flipped.sortIndicator = down
            elif option.sortIndicator == down:
                flipped.sortIndicator = up
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


def use_desktop_sort_arrows(view: QAbstractItemView) -> None:
    """Draw `view`'s header sort arrow as desktop file managers do (down: biggest first)."""
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    style = _DesktopSortArrows(header.style().name())
    style.setParent(header)
    header.setStyle(style)

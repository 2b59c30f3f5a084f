"""The time range: presets relative to the end of the data, absolute start and end, and the
context toggle (entries around each match)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QWidget,
)

PRESETS: tuple[tuple[str, timedelta | None], ...] = (
    ("All", None),
    ("Last 15 min", timedelta(minutes=15)),
    ("Last hour", timedelta(hours=1)),
    ("Last 6 hours", timedelta(hours=6)),
    ("Last day", timedelta(days=1)),
    ("Custom", None),
)
CUSTOM = len(PRESETS) - 1
COMPARE_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("Compare: off", None),
    ("vs previous period", "previous-period"),
    ("vs previous hour", "previous-hour"),
    ("vs previous day", "previous-day"),
    ("vs previous week", "previous-week"),
    ("vs previous month", "previous-month"),
    ("vs custom offset…", "offset"),
    ("vs other sources…", "sources"),
)


def _qt(moment: datetime, zone: QTimeZone) -> QDateTime:
    stamp = QDateTime.fromMSecsSinceEpoch(int(moment.timestamp() * 1000), QTimeZone.utc())
    return stamp.toTimeZone(zone)


def _py(moment: QDateTime) -> datetime:
    return datetime.fromtimestamp(moment.toMSecsSinceEpoch() / 1000, UTC)


class RangeBar(QWidget):
    """Presets (relative to the data's last entry, not the wall clock), start, end, context."""

    range_changed = Signal(object, object)  # start, end: aware UTC datetimes or None (all)
    context_changed = Signal(int)  # entries shown around each match (0: off)
    compare_changed = Signal(object, object)  # baseline ("previous-day", "offset", None), offset

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._first: datetime | None = None
        self._last: datetime | None = None
        self._zone = QTimeZone.utc()
        self._quiet = False
        self.preset = QComboBox()
        for label, _ in PRESETS:
            self.preset.addItem(label)
        self.preset.setToolTip("Time range, relative to the last entry of the data")
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.start = QDateTimeEdit()
        self.end = QDateTimeEdit()
        for edit, tip in ((self.start, "From (inclusive)"), (self.end, "To (exclusive)")):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
            edit.setSpecialValueText(" ")  # shown at the minimum: before any data is open
            edit.setCalendarPopup(True)
            edit.setToolTip(tip)
            edit.editingFinished.connect(self._on_edited)
        self.zone_label = QLabel("UTC")
        self.compare = QComboBox()
        self.compare.setToolTip("Compare the range with an earlier one")
        for label, _ in COMPARE_CHOICES:
            self.compare.addItem(label)
        self.compare.currentIndexChanged.connect(self._on_compare_changed)
        for box in (self.preset, self.compare):
            # Small in a narrow window; in a laptop's width they grow to their whole label (a
            # cut one, "vs previous", says less than nothing).
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(4)
            box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.preset.setMaximumWidth(
            self.preset.fontMetrics().horizontalAdvance("Last 6 hours") + 40
        )
        self.compare.setMaximumWidth(
            self.compare.fontMetrics().horizontalAdvance("vs other sources…") + 44
        )
        # The ranges chosen before, to go back to (a drag on the timeline zooms in: Back out).
        self._history: list[tuple[int, datetime | None, datetime | None]] = []
        self._now: tuple[int, datetime | None, datetime | None] = (0, None, None)
        self.back_button = QToolButton()
        self.back_button.setText("\u25c0")
        self.back_button.setAutoRaise(True)
        self.back_button.setToolTip("Back to the range shown before (Alt+Left)")
        self.back_button.setShortcut(QKeySequence("Alt+Left"))
        self.back_button.clicked.connect(self.back)
        self.back_button.setEnabled(False)
        self._offset: timedelta | None = None
        self.context = QCheckBox("Context")
        self.context.setToolTip("Show entries before and after each match, dimmed (like grep -C)")
        self.context_lines = QSpinBox()
        self.context_lines.setRange(1, 50)
        self.context_lines.setValue(3)
        self.context_lines.setToolTip("Entries shown before and after each match")
        self.context.toggled.connect(self._on_context)
        self.context_lines.valueChanged.connect(self._on_context)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preset, 1)
        layout.addWidget(self.start)
        layout.addWidget(QLabel("–"))
        layout.addWidget(self.end)
        layout.addWidget(self.zone_label)
        layout.addWidget(self.back_button)
        layout.addWidget(self.compare, 1)
        layout.addStretch(1)
        self.set_span(None, None)

    def set_time_zone(self, zone: str | None) -> None:
        """Show times in `zone` (an IANA name; None is UTC)."""
        self._zone = QTimeZone(zone.encode()) if zone else QTimeZone.utc()
        if not self._zone.isValid():
            self._zone = QTimeZone.utc()
        self.zone_label.setText(zone or "UTC")
        for edit in (self.start, self.end):
            edit.setTimeZone(self._zone)

    def set_span(self, first: datetime | None, last: datetime | None) -> None:
        """Set the data's first and last stamp (presets count back from `last`); show All."""
        self._quiet = True
        self.preset.setCurrentIndex(0)
        self._quiet = False
        self._history.clear()  # other data: the ranges of the last are not its own
        self._now = (0, None, None)
        self.back_button.setEnabled(False)
        self.extend_span(first, last)  # All: shows the whole span and reports nothing

    def extend_span(self, first: datetime | None, last: datetime | None) -> None:
        """Take the span of data that grew (followed files). All stays all; a preset such as
        the last 15 minutes slides with the end (and reports its new range); a custom range
        stays where it is."""
        self._first, self._last = first, last
        for edit in (self.start, self.end):
            edit.setEnabled(first is not None)
            if first is None:  # no data, no dates: a blank, not the year 2000
                edit.setDateTime(edit.minimumDateTime())
        index = self.preset.currentIndex()
        if index == CUSTOM:
            return
        self._quiet = True
        start, end = self.selected()
        self._show(start or first, end or (last + timedelta(microseconds=1) if last else None))
        self._quiet = False
        if index != 0:
            self.range_changed.emit(start, end)

    def set_range(self, start: datetime | None, end: datetime | None, *, emit: bool = True) -> None:
        """Select [start, end) (a drag on the timeline); None, None selects all."""
        self._quiet = True
        self.preset.setCurrentIndex(0 if start is None and end is None else CUSTOM)
        self._show(
            start or self._first, end or (self._last and self._last + timedelta(microseconds=1))
        )
        self._quiet = False
        self._remember()
        if emit:
            self.range_changed.emit(start, end)

    def back(self) -> None:
        """Select the range shown before the current one (and report it)."""
        if not self._history:
            return
        index, start, end = self._history.pop()
        self._now = (index, start, end)
        self.back_button.setEnabled(bool(self._history))
        self._quiet = True
        self.preset.setCurrentIndex(index)
        self._show(
            start or self._first, end or (self._last and self._last + timedelta(microseconds=1))
        )
        self._quiet = False
        self.range_changed.emit(*self.selected())

    def _remember(self) -> None:
        """Keep the range left behind, to go back to; called as a new one is reported."""
        now = (self.preset.currentIndex(), *self.selected())
        if now != self._now:
            self._history.append(self._now)
            del self._history[:-50]
            self._now = now
        self.back_button.setEnabled(bool(self._history))

    def selected(self) -> tuple[datetime | None, datetime | None]:
        """Return the selected range (None, None when all)."""
        index = self.preset.currentIndex()
        if index == 0 or self._last is None:
            return None, None
        if index == CUSTOM:
            return _py(self.start.dateTime()), _py(self.end.dateTime())
        span = PRESETS[index][1]
        assert span is not None
        end = self._last + timedelta(microseconds=1)
        return end - span, end

    def set_compare(self, against: str | None, offset: timedelta | None = None) -> None:
        """Choose the baseline (as the Compare box does) and report it."""
        self._offset = offset
        index = next(i for i, (_, key) in enumerate(COMPARE_CHOICES) if key == against)
        if index == self.compare.currentIndex():
            self.compare_changed.emit(against, offset)
        else:
            self.compare.setCurrentIndex(index)

    def show_compare(self, against: str | None, offset: timedelta | None = None) -> None:
        """Show `against` (and its `offset`) in the Compare box without reporting it (the
        caller set it)."""
        if offset is not None:
            self._offset = offset
        index = next(i for i, (_, key) in enumerate(COMPARE_CHOICES) if key == against)
        self.compare.blockSignals(True)
        self.compare.setCurrentIndex(index)
        self.compare.blockSignals(False)

    def _on_compare_changed(self, index: int) -> None:
        against = COMPARE_CHOICES[index][1]
        if against == "offset" and self._offset is None:
            from PySide6.QtWidgets import QInputDialog

            from logview.core.analysis.compare import parse_duration
            from logview.core.shared.errors import LogviewError

            text, ok = QInputDialog.getText(self, "Compare", "Earlier by (3h, 2d, 1w):")
            try:
                self._offset = parse_duration(text) if ok else None
            except LogviewError:
                self._offset = None
            if self._offset is None:
                self.compare.setCurrentIndex(0)
                return
        self.compare_changed.emit(against, self._offset if against == "offset" else None)

    def context_widget(self) -> QWidget:
        """Return the context toggle and its size, for the window to place (beside the tabs)."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 4, 0)
        row.addWidget(self.context)
        row.addWidget(self.context_lines)
        return box

    def context_size(self) -> int:
        return self.context_lines.value() if self.context.isChecked() else 0

    def show_context(self, size: int) -> None:
        """Show `size` lines of context (0: none) without reporting it (the caller set it)."""
        for widget in (self.context, self.context_lines):
            widget.blockSignals(True)
        self.context.setChecked(size > 0)
        if size > 0:
            self.context_lines.setValue(size)
        for widget in (self.context, self.context_lines):
            widget.blockSignals(False)

    def _show(self, start: datetime | None, end: datetime | None) -> None:
        if start is not None:
            self.start.setDateTime(_qt(start, self._zone))
        if end is not None:
            self.end.setDateTime(_qt(end, self._zone))

    def _on_preset_changed(self, index: int) -> None:
        if self._quiet:
            return
        start, end = self.selected()
        if index != CUSTOM:
            self._quiet = True
            self._show(
                start or self._first, end or (self._last and self._last + timedelta(microseconds=1))
            )
            self._quiet = False
        self._remember()
        self.range_changed.emit(start, end)

    def _on_edited(self) -> None:
        if self._quiet or self._last is None:
            return
        self._quiet = True
        self.preset.setCurrentIndex(CUSTOM)
        self._quiet = False
        self._remember()
        self.range_changed.emit(*self.selected())

    def _on_context(self, *_args: object) -> None:
        self.context_lines.setEnabled(self.context.isChecked())
        self.context_changed.emit(self.context_size())

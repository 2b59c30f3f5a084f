"""The window's colours, in one place: levels (light and dark palettes), the timeline's INFO
fill, anomaly priorities, comparison statuses and the chart's series."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# Level colours (light palette, dark palette): red shades for ERROR/FATAL, amber WARN, grey
# below INFO; INFO is drawn in the text colour.
LEVEL_COLOURS = {
    "FATAL": ("#9c0d0d", "#ff7b7b"),
    "ERROR": ("#d32f2f", "#ff5c5c"),
    "WARN": ("#a86400", "#ffb74d"),
    "DEBUG": ("#7a7a7a", "#9a9a9a"),
    "TRACE": ("#9a9a9a", "#7f7f7f"),
    "NONE": ("#b0b0b0", "#6a6a6a"),  # no level in the source: dim, not absent
}
# The timeline's bars need an INFO fill that lets the reds stand out.
INFO_BAR_COLOURS = ("#8fb0d6", "#4d6f96")
# Text shown for what is not the point of a view (context rows, suppressed anomalies).
DIMMED = "#9a9a9a"
# Anomaly priorities take the colours of the levels they stand beside.
PRIORITY_COLOURS = {
    "HIGH": LEVEL_COLOURS["ERROR"],
    "MEDIUM": LEVEL_COLOURS["WARN"],
    "LOW": LEVEL_COLOURS["DEBUG"],
}
# A pattern's change in a comparison (light palette, dark palette).
STATUS_COLOURS = {
    "new": ("#1565c0", "#7ab4ff"),
    "up": ("#c62828", "#ff6e6e"),
    "down": ("#2e7d32", "#7bd88f"),
    "gone": ("#6d4c41", "#c8a99c"),
}
# A bookmarked entry: its gutter mark, and the tint of its row (light palette, dark palette).
BOOKMARK_COLOURS = ("#1e6fd9", "#6aa8ff")
BOOKMARK_TINTS = ("#e3eefc", "#1f2f47")
# Chart lines: Tableau 10, distinct on light and dark backgrounds; "other" is grey.
SERIES_COLOURS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
OTHER_SERIES_COLOUR = "#8c8c8c"


def is_dark(palette: QPalette) -> bool:
    """Return whether a palette draws light text on a dark background."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def themed(colours: tuple[str, str]) -> QColor:
    """Return the colour of a (light, dark) pair for the application's palette."""
    return QColor(colours[is_dark(QApplication.palette())])

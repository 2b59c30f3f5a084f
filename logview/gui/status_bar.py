"""The window's two message strips: the status bar (what happened last, the result's size,
the warnings count, a load's progress with Cancel, following's state) and the notice bar that
announces a new HIGH anomaly while following."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStatusBar,
    QToolButton,
    QWidget,
)

from logview.core.analysis.anomalies import Anomaly
from logview.core.reading.follow import Live
from logview.core.reading.loading import summary as load_summary
from logview.core.shared.display import describe_paths, format_stamp, visible_text
from logview.gui.investigation import Investigation

# The progress bar's steps: a tenth of a percent.
PROGRESS_STEPS = 1000


class StatusBar(QStatusBar):
    """The last message on the left (while loading, with the stage the load is at: the bytes
    and entries read, the source parsed...); on the right, following, the result's size, the
    warnings button, and while loading a progress bar and a Cancel button."""

    cancel_requested = Signal()
    warnings_toggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._message = ""
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        # A long message is cut at the window's edge; it must not widen the window.
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.addWidget(self.status_label, 1)
        self.warnings_button = QToolButton()
        self.warnings_button.setAutoRaise(True)
        self.warnings_button.setToolTip("Show or hide the warnings")
        self.warnings_button.clicked.connect(self.warnings_toggled)
        self.warnings_button.hide()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setFixedWidth(180)
        self.progress_bar.setTextVisible(False)
        self.result_label = QLabel()
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.follow_button = QToolButton()
        self.follow_button.setAutoRaise(True)
        for widget in (
            self.follow_button,
            self.result_label,
            self.warnings_button,
            self.progress_bar,
            self.cancel_button,
        ):
            self.addPermanentWidget(widget)
        self.set_loading(False)

    def show_status(self, text: str) -> None:
        self._message = text
        self.status_label.setText(visible_text(text))

    def status_text(self) -> str:
        return self.status_label.text()

    def show_result(self, text: str) -> None:
        self.result_label.setText(text)

    def set_loading(self, loading: bool) -> None:
        """Show (or hide) the progress bar and the Cancel button, from nothing done."""
        self.progress_bar.setVisible(loading)
        self.cancel_button.setVisible(loading)
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setValue(0)

    def show_progress(self, fraction: float, text: str) -> None:
        """Show how far a load is: the bar, and `text` after the status message (where there
        is room for it, however narrow the window).

        A load reports the share of its bytes read (`loading.load`); at 1.0 and still going,
        it is parsing, merging or sorting, which have no measure (one large source's parse can
        be most of a load): the bar turns busy, and `text` says which stage it is at."""
        busy = fraction >= 1.0
        # QProgressBar.setValue (and setRange, through it) repaints at once whenever 1% more
        # is done: the whole window's dirty region, in the middle of whatever handler reports
        # progress. With updates off it does not; turning them on again schedules an update.
        self.progress_bar.setUpdatesEnabled(False)
        self.progress_bar.setRange(0, 0 if busy else PROGRESS_STEPS)
        if not busy:
            self.progress_bar.setValue(round(fraction * PROGRESS_STEPS))
        self.progress_bar.setUpdatesEnabled(True)
        self.status_label.setText(visible_text(f"{self._message} {text}"))

    def show_loading_of(self, investigation: Investigation) -> None:
        """Show the investigation's loads: the progress while one runs (Cancel beside it), then
        what it read, why it failed or that it was cancelled."""

        def ended(text: str) -> None:
            self.set_loading(False)
            self.show_status(text)

        investigation.load_progress.connect(self.show_progress)
        investigation.loaded.connect(
            lambda ingested: ended(load_summary(ingested, investigation.load_seconds))
        )
        investigation.load_failed.connect(
            lambda message: ended(
                f"Could not open {describe_paths(investigation.loading_paths)}: {message}"
            )
        )
        investigation.load_cancelled.connect(lambda: ended("Loading cancelled."))

    def show_following(self, live: Live | None, interval_ms: int) -> None:
        """Show on the Follow button what is followed (None: nothing; its action's tooltip)."""
        button = self.follow_button
        if live is None:
            button.setText("Follow")
            action = button.defaultAction()
            button.setToolTip(action.toolTip() if action is not None else "")
            return
        button.setText(f"\u25cf Following {len(live.followers)}")
        lines = [f"Following (every {interval_ms / 1000:g} s):"]
        lines += [f"  {f.name}" for f in live.followers]
        if live.not_followed:
            lines += ["Not followed:", *[f"  {reason}" for reason in live.not_followed]]
        button.setToolTip(visible_text("\n".join(lines)))

    def show_warning_count(self, count: int) -> None:
        self.warnings_button.setText(f"\u26a0 {count} warning{'s' if count != 1 else ''}")
        self.warnings_button.setVisible(count > 0)


class NoticeBar(QFrame):
    """A red strip above the query bar with one line, Show and a close button (hidden until)."""

    show_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setStyleSheet(
            "#notice { background: #fdecea; border: 1px solid #d32f2f; border-radius: 3px; }"
            "#notice QLabel { color: #7f1d1d; }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 2, 2)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        show = QPushButton("Show")
        show.clicked.connect(self.show_requested)
        close = QToolButton()
        close.setAutoRaise(True)
        close.setText("\u2715")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        row.addWidget(self.label, 1)
        row.addWidget(show)
        row.addWidget(close)
        self.hide()

    def announce(self, high: Sequence[Anomaly], zone: str | None) -> None:
        """Show the first of new HIGH anomalies (times in `zone`), how many more, its details
        in the tooltip."""
        first = high[0]
        more = f" (and {len(high) - 1} more)" if len(high) > 1 else ""
        when = format_stamp(first.start, zone)
        text = f"New HIGH anomaly at {when}: {first.kind}, {first.template}{more}"
        self.label.setText(visible_text(text))
        self.label.setToolTip(visible_text(first.description))
        self.show()

"""The window's keyboard shortcuts that belong to no one widget: moving between the tabs, the
query bar, finding in the tab shown. Each says what it does (`whatsThis`), which the Keyboard
Shortcuts dialog lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut

MainWindow = Any  # the window (not imported: it imports this module)


def install(window: MainWindow) -> None:
    """Give `window` its shortcuts."""
    tabs = window.tabs
    by_number = [(f"Ctrl+{i + 1}", lambda i=i: tabs.setCurrentIndex(i),
                  f"Show the {tabs.tabText(i)} tab") for i in range(tabs.count())]  # fmt: skip
    for keys, slot, what in (
        ("Ctrl+L", window.focus_query, "Go to the query bar"),
        ("Ctrl+F", lambda: find_in_tab(window), "Find in the tab shown (log entries, or patterns)"),
        ("F3", window.logs.find_next, "Find the next log entry that matches"),
        ("Esc", window.logs.escape, "Close the log table's find bar"),
        ("Ctrl+Tab", lambda: _step(window, 1), "Show the next tab"),
        ("Ctrl+Shift+Tab", lambda: _step(window, -1), "Show the tab before"),
        *by_number,
    ):
        QShortcut(QKeySequence(keys), window, slot).setWhatsThis(what)


def find_in_tab(window: MainWindow) -> None:
    """Find in the tab shown: the Patterns tab's search, else the Logs tab's find bar."""
    if window.tabs.currentWidget() is window.patterns_tab:
        window.patterns_tab.search.setFocus()
        window.patterns_tab.search.selectAll()
    else:
        window.tabs.setCurrentWidget(window.logs)
        window.logs.show_find()


def _step(window: MainWindow, step: int) -> None:
    tabs = window.tabs
    tabs.setCurrentIndex((tabs.currentIndex() + step) % tabs.count())

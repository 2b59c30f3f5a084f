"""Qt bindings that drop references to None or to the booleans kill the process after a while
(PySide6 6.12.0 lost two references to None on every paint of a view over a Python model):
painting and asking a model for data must leave their reference counts where they were."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import numpy as np
import polars as pl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from logview.gui.log_model import MESSAGE_PARTS_ROLE, LogTableModel, MessageDelegate

PAINTS = 300


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_painting_the_log_table_keeps_none_and_bools_alive(qtbot):
    n = 500
    table = pl.DataFrame(
        {
            "ts": [datetime(2026, 3, 10, tzinfo=UTC)] * n,
            "level": ["INFO", "ERROR"] * (n // 2),
            "source": ["app.log"] * n,
            "line": list(range(n)),
            "message": ["one line", "first\nsecond"] * (n // 2),
            "user": [None, "bob"] * (n // 2),
        },
        schema_overrides={"line": pl.UInt64, "source": pl.Categorical},
    )
    model = LogTableModel(table)
    model.set_rows(np.arange(n), np.array([i % 3 != 0 for i in range(n)]))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegateForColumn(model.column_of("message"), MessageDelegate(view))
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().repaint()  # first paint: caches fill
    before = _counts()
    for _ in range(PAINTS):
        view.viewport().repaint()
        model.index(0, 0).data(Qt.ItemDataRole.FontRole)  # None, asked from Python
        model.index(1, model.column_of("message")).data(MESSAGE_PARTS_ROLE)
    after = _counts()
    # A few references may come and go with caches; a leak loses one or more per paint.
    assert all(a >= b - PAINTS // 10 for a, b in zip(after, before, strict=True)), (before, after)

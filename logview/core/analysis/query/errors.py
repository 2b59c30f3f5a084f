"""The one error a query can raise."""

from __future__ import annotations

from logview.core.shared.errors import LogviewError


class QueryError(LogviewError):
    """A query that cannot be read or run: one line, with the column where it went wrong."""

    def __init__(self, message: str, column: int | None = None):
        self.reason = message
        self.column = column
        super().__init__(f"{message} at column {column}" if column else message)

"""Small builders the tests share (imported as `helpers`: pytest puts tests/ on the path)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl


def lines_of(texts: list[str]) -> pl.DataFrame:
    """Return `texts` as the frame of lines a parser reads (`line` from 1, `text`)."""
    return pl.DataFrame(
        {"line": pl.Series(range(1, len(texts) + 1), dtype=pl.UInt64), "text": texts},
        schema={"line": pl.UInt64, "text": pl.String},
    )


def utc(*parts: int) -> datetime:
    """Return a UTC datetime from year, month, day, ... ."""
    return datetime(*parts, tzinfo=UTC)

"""The table out: CSV, JSON lines or Parquet, written atomically, safe to open in a spreadsheet."""

from __future__ import annotations

import os
from typing import BinaryIO, Literal

import polars as pl

from logview.core.shared.atomic import write_atomic
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import INTERNAL_COLUMNS, time_ordered

ExportFormat = Literal["csv", "jsonl", "parquet"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "jsonl", "parquet")
ISO_UTC = "%Y-%m-%dT%H:%M:%S%.6fZ"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = r"^[=+\-@\t\r]"


def escape_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Return `frame` with every text cell that a spreadsheet would run as a formula quoted.

    The cell gains a leading apostrophe, which spreadsheets show as text and never evaluate
    (OWASP's advice for CSV injection).
    """
    text_columns = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_START))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text_columns
    )


def _portable(frame: pl.DataFrame, *, stamps_as_text: bool) -> pl.DataFrame:
    """Return `frame` with enum and categorical columns as text, and stamps as ISO text if asked."""
    columns = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.Enum | pl.Categorical):
            col = col.cast(pl.String)
        elif isinstance(dtype, pl.Datetime) and stamps_as_text:
            col = col.dt.convert_time_zone("UTC").dt.strftime(ISO_UTC)
        columns.append(col)
    return frame.select(columns)


def write_table(frame: pl.DataFrame, handle: BinaryIO, fmt: ExportFormat) -> None:
    """Write `frame` (the table or a subset) to an open binary handle, in time order."""
    frame = time_ordered(frame)
    # The time order and the body offsets are this session's bookkeeping, meaningless outside.
    frame = frame.drop(INTERNAL_COLUMNS, strict=False)
    if fmt == "csv":
        escape_formulas(_portable(frame, stamps_as_text=True)).write_csv(handle)
    elif fmt == "jsonl":
        _portable(frame, stamps_as_text=True).write_ndjson(handle)
    elif fmt == "parquet":
        _portable(frame, stamps_as_text=False).write_parquet(handle)
    else:
        raise LogviewError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")


def export(frame: pl.DataFrame, path: str | os.PathLike[str], fmt: ExportFormat) -> None:
    """Write `frame` to `path` atomically (the old file or the complete new one, never half)."""
    try:
        write_atomic(path, lambda handle: write_table(frame, handle, fmt))
    except OSError as err:
        raise LogviewError(f"cannot write {os.fspath(path)}: {err.strerror or err}") from err


def format_from_path(path: str) -> ExportFormat | None:
    """Return the export format a file name asks for by its extension, or None."""
    lower = path.lower()
    for ext, fmt in (
        (".csv", "csv"),
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".parquet", "parquet"),
    ):
        if lower.endswith(ext):
            return fmt  # type: ignore[return-value]
    return None

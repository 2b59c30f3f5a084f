"""Export: spreadsheet-safe CSV, ISO stamps, atomic writes."""

import io
import json
from datetime import UTC, datetime

import polars as pl
import pytest

from logview.core.analysis import export as ex
from logview.core.shared.table import LEVEL, TS


def table() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "ts": [datetime(2026, 3, 10, 14, 5, 1, 123456, tzinfo=UTC), None],
            "level": ["ERROR", "NONE"],
            "source": ["a.log", "b.log"],
            "line": [1, 7],
            "message": ['=HYPERLINK("http://evil")', 'plain, with "quotes"\nand a newline'],
            "user": ["@admin", "-1+2"],
        },
        schema_overrides={"ts": TS, "level": LEVEL, "source": pl.Categorical(), "line": pl.UInt64},
    )


def test_csv_cells_that_start_a_formula_are_quoted():
    out = io.BytesIO()
    ex.write_table(table(), out, "csv")
    back = pl.read_csv(io.BytesIO(out.getvalue()), infer_schema=False)
    assert back["message"].to_list() == [
        '\'=HYPERLINK("http://evil")',
        'plain, with "quotes"\nand a newline',
    ]
    assert back["user"].to_list() == ["'@admin", "'-1+2"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_escaped(start):
    frame = pl.DataFrame({"message": [f"{start}cmd", f"x{start}"]})
    assert ex.escape_formulas(frame)["message"].to_list() == [f"'{start}cmd", f"x{start}"]


def test_csv_stamps_are_iso_utc_and_nulls_stay_empty():
    out = io.BytesIO()
    ex.write_table(table(), out, "csv")
    back = pl.read_csv(io.BytesIO(out.getvalue()), infer_schema=False)
    assert back["ts"].to_list() == ["2026-03-10T14:05:01.123456Z", None]
    assert back["level"].to_list() == ["ERROR", "NONE"]


def test_jsonl_round_trips_text_exactly():
    out = io.BytesIO()
    ex.write_table(table(), out, "jsonl")
    rows = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    assert rows[1]["message"] == 'plain, with "quotes"\nand a newline'
    assert rows[0]["ts"] == "2026-03-10T14:05:01.123456Z"
    assert rows[0]["user"] == "@admin"  # JSON is not a spreadsheet: no escaping


def test_parquet_keeps_types(tmp_path):
    path = tmp_path / "out.parquet"
    ex.export(table(), path, "parquet")
    back = pl.read_parquet(path)
    assert back["ts"].dtype == TS
    assert back["line"].to_list() == [1, 7]


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_text("old contents")

    def explode(frame, handle, fmt):
        handle.write(b"half a fi")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ex, "write_table", explode)
    with pytest.raises(RuntimeError):
        ex.export(table(), path, "csv")
    assert path.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_unwritable_target_is_a_one_line_error(tmp_path):
    with pytest.raises(ex.LogviewError, match="cannot write"):
        ex.export(table(), tmp_path / "missing-dir" / "out.csv", "csv")


def test_format_follows_the_extension():
    assert ex.format_from_path("x.CSV") == "csv"
    assert ex.format_from_path("x.ndjson") == "jsonl"
    assert ex.format_from_path("x.parquet") == "parquet"
    assert ex.format_from_path("x.txt") is None

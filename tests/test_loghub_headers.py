"""Headers of real logs (Loghub 2k samples): stamps and levels match the hand-made structure.

Each system's `X_2k.log_structured.csv` gives, per raw line, the header fields (the columns
differ per system). Every raw line there is one entry, so the parsed rows line up with them.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from logview.core.reading.formats import ParseContext
from logview.core.reading.levels import normalise
from logview.core.reading.parsers.text import parse_text

HERE = Path(__file__).resolve()


def loghub_dir() -> Path | None:
    candidates = [
        os.environ.get("LOGVIEW_LOGHUB"),
        HERE.parents[2] / "shared/data/loghub-2k",
        HERE.parents[1].parent / "shared/data/loghub-2k",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "Apache").is_dir():
            return Path(candidate)
    return None


def labelled(system: str) -> tuple[Path, pl.DataFrame]:
    """Return a Loghub system's folder and its structured CSV (the truth), or skip the test."""
    root = loghub_dir()
    if root is None:
        pytest.skip("Loghub 2k samples not found: set LOGVIEW_LOGHUB to the loghub-2k folder")
    truth = pl.read_csv(root / system / f"{system}_2k.log_structured.csv", infer_schema=False)
    return root / system, truth


def grouping_accuracy(predicted: pl.Series, truth: pl.Series) -> float:
    """Return the share of rows whose predicted group is exactly their true group (Loghub's
    grouping accuracy): the rows sharing its id are the rows sharing its true event."""
    frame = pl.DataFrame({"p": predicted, "t": truth})
    same = pl.len().over("p") == pl.len().over("t")
    return frame.select((same & (pl.len().over("p") == pl.len().over("p", "t"))).mean()).item()


@dataclass(frozen=True)
class System:
    name: str
    stamp: pl.Expr  # the expected stamp text from the structured columns
    layout: str  # strptime layout of `stamp`; "epoch" for epoch seconds
    level: str | None = None  # the structured column holding the level, if any
    yearless: bool = False  # syslog stamps: compare month, day and time only


SYSTEMS = [
    System("Apache", pl.col("Time"), "%a %b %d %H:%M:%S %Y", "Level"),
    System("BGL", pl.col("Timestamp"), "epoch", "Level"),
    System("HDFS", pl.col("Date") + " " + pl.col("Time"), "%y%m%d %H%M%S", "Level"),
    System("Hadoop", pl.col("Date") + " " + pl.col("Time"), "%Y-%m-%d %H:%M:%S,%3f", "Level"),
    # HealthApp writes milliseconds unpadded after a colon ("22:15:35:11" is 11 ms).
    System("HealthApp", pl.col("Time"), "%Y%m%d-%H:%M:%S:ms"),
    System(
        "Linux",
        pl.col("Month") + " " + pl.col("Date") + " " + pl.col("Time"),
        "%b %d %H:%M:%S",
        yearless=True,
    ),
    System(
        "OpenSSH",
        pl.col("Date") + " " + pl.col("Day") + " " + pl.col("Time"),
        "%b %d %H:%M:%S",
        yearless=True,
    ),
    System("Spark", pl.col("Date") + " " + pl.col("Time"), "%y/%m/%d %H:%M:%S", "Level"),
    System("Zookeeper", pl.col("Date") + " " + pl.col("Time"), "%Y-%m-%d %H:%M:%S,%3f", "Level"),
]


def expected_stamps(structured: pl.DataFrame, system: System) -> pl.Series:
    stamp = system.stamp.str.strip_chars()
    if system.layout == "epoch":
        value = (stamp.cast(pl.Int64) * 1_000_000).cast(pl.Datetime("us", "UTC"))
    elif system.layout.endswith(":ms"):
        whole = stamp.str.replace(r":\d+$", "").str.strptime(pl.Datetime("us"), system.layout[:-3])
        millis = stamp.str.extract(r":(\d+)$").cast(pl.Int64)
        value = (whole + pl.duration(milliseconds=millis)).dt.replace_time_zone("UTC")
    elif system.yearless:
        # Any leap year, so that Feb 29 parses; only month, day and time are compared.
        value = ("2000 " + stamp).str.strptime(pl.Datetime("us"), "%Y " + system.layout)
    else:
        value = stamp.str.strptime(pl.Datetime("us"), system.layout).dt.replace_time_zone("UTC")
    return structured.select(value.alias("expected")).to_series()


@pytest.mark.parametrize("system", SYSTEMS, ids=[s.name for s in SYSTEMS])
def test_loghub_stamps_and_levels_match_the_structured_headers(system: System):
    root = loghub_dir()
    if root is None:
        pytest.skip("Loghub 2k samples not found: set LOGVIEW_LOGHUB to the loghub-2k folder")
    folder = root / system.name
    raw = (folder / f"{system.name}_2k.log").read_text(encoding="utf-8", errors="replace")
    texts = raw.split("\n")
    if texts[-1] == "":
        texts.pop()
    lines = pl.DataFrame(
        {"line": pl.Series(range(1, len(texts) + 1), dtype=pl.UInt64), "text": texts}
    )
    structured = pl.read_csv(folder / f"{system.name}_2k.log_structured.csv", infer_schema=False)
    assert structured.height == len(texts) == 2000

    parsed = parse_text(lines, ParseContext(system.name))

    assert parsed["line"].to_list() == list(range(1, 2001)), "each raw line is one entry"
    expected = expected_stamps(structured, system)
    got = parsed["ts"]
    if system.yearless:
        got = got.dt.strftime("%m-%d %H:%M:%S")
        expected = expected.dt.strftime("%m-%d %H:%M:%S")
    wrong = (got != expected) | got.is_null()
    assert wrong.sum() == 0, (
        f"{wrong.sum()} stamps differ, first: "
        f"{lines['text'].filter(wrong).head(3).to_list()} -> {got.filter(wrong).head(3).to_list()}"
    )
    if system.level is not None:
        want = structured.select(normalise(pl.col(system.level))).to_series()
        has = want.is_not_null()
        assert has.sum() > 0
        wrong = (parsed["level"] != want).fill_null(True) & has
        assert wrong.sum() == 0, (
            f"{wrong.sum()} levels differ, first: {lines['text'].filter(wrong).head(3).to_list()}"
        )

"""Read right: does logview read real-world log samples as a person would? (and lnav, beside it)

    python benchmarks/read_right.py [--lnav] [--show] [NAME ...]

A stand-in for the held-out check "70 real log samples; logview must read >= 63 right". The
samples in benchmarks/read_right/ were written by hand from each format's public documentation
(vendor manuals, man pages, official docs), not from logview's parsers or tests; what each one
contains is in benchmarks/read_right/expected.toml (entries; stamp and level of the first, last
and some other entries, in file order; a few fields), with the reasons for contestable choices.

Each sample is copied to a temporary folder, given the modification time stated for it (logview
takes a missing year or date from it), and read with `ingest([path], tz="UTC")`. A sample is
read right when the number of entries, every stated stamp and every stated level match. Prints
one line per sample, `ok` or what differs, then `N of M read right` (target: 63 of 70, i.e. 90%),
with two more totals: where a level logview inferred from the message's words (and marks so)
meets an expected NONE, and on entries, stamps and levels alone, without the field checks.
--corpus DIR scores another folder of samples with its own expected.toml (a fresh batch).

--lnav also reads every sample with lnav (headless: `lnav -n -c ';SELECT ... FROM all_logs'`,
TZ=UTC, a temporary HOME, the same mtime) and scores it with the same checks, except fields;
lnav gives lines without a level the level "info", so a second score lets that count as NONE.
lnav shows stamps to the millisecond, so its stamps are compared to at most 3 decimals; its rows
come in its view order (time order), which differs from file order only where a file goes back
in time. --show prints logview's first rows of every failing sample.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT)]

# logview first, as in the app: its allocator settings must be made before polars loads.
import logview as _logview  # noqa: E402, F401, I001
import polars as pl  # noqa: E402
from logview.core.reading.ingest import ingest  # noqa: E402
from logview.core.shared.table import LEVEL_INFERRED  # noqa: E402

CORPUS = HERE / "read_right"
TARGET = 0.9  # 63 of 70
LNAV_LEVELS = {"critical": "FATAL", "warning": "WARN", "notice": "INFO", "stats": "INFO"}
LNAV_LEVELS |= {"unknown": "NONE", "invalid": "NONE"}
LNAV_LEVELS |= {f"debug{n}": "DEBUG" for n in range(2, 6)}


@dataclass
class Reading:
    """One tool's reading of a sample, in file order."""

    stamps: list[datetime | None]
    levels: list[str]
    fields: pl.DataFrame | None  # logview's table, for the field checks
    format: str
    # Which levels logview inferred from the message's words (marked so in the table) where
    # the format states none.
    inferred: list[bool] | None = None


def read_logview(path: Path) -> Reading:
    result = ingest([path], tz="UTC")
    table = result.table.sort("line", maintain_order=True)
    formats = ",".join(sorted({s.format for s in result.sources})) or "-"
    inferred = (
        table[LEVEL_INFERRED].fill_null(False).to_list()
        if LEVEL_INFERRED in table.columns
        else [False] * table.height
    )
    return Reading(
        table["ts"].to_list(), [str(v) for v in table["level"]], table, formats, inferred
    )


def read_lnav(path: Path, home: Path) -> Reading:
    query = ";SELECT log_time, log_level, log_format FROM all_logs ORDER BY log_line"
    env = dict(os.environ, HOME=str(home), TZ="UTC")
    cmd = ["lnav", "-n", "-c", query, "-c", ":write-csv-to -", str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    stamps = [datetime.fromisoformat(r["log_time"]) if r["log_time"] else None for r in rows]
    levels = [LNAV_LEVELS.get(r["log_level"], r["log_level"].upper()) for r in rows]
    formats = ",".join(sorted({r["log_format"] for r in rows})) or "-"
    return Reading(stamps, levels, None, formats)


def stamp_text(stamp: datetime | None, digits: int) -> str:
    """`stamp` as ISO text in UTC with `digits` decimals (truncated), or 'none'."""
    if stamp is None:
        return "none"
    text = stamp.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if digits < 0:
        return text[:16] + "Z"  # to the minute
    return (text[: 20 + digits] if digits else text[:19]) + "Z"


def decimals(expected: str) -> int:
    """The decimals of the seconds `expected` shows; -1 where it shows no seconds (a stamp
    checked to the minute)."""
    if re.fullmatch(r"[\d-]+T\d{2}:\d{2}(?:Z|[+-]\d{2}:?\d{2})?", expected):
        return -1
    return len(expected[20:-1]) if "." in expected else 0


def check(
    spec: dict, reading: Reading, max_digits: int = 6, none: str = "NONE", guesses: bool = False
) -> list[str]:
    """What differs between `spec` and `reading` (empty when the sample was read right).

    `none` is the level that stands for "no level" in `reading` (lnav says "info"). With
    `guesses`, a level inferred from the message's words (and marked as such) meets an
    expected NONE: the format states no level, and logview says it states none.
    """
    problems = []
    count = len(reading.levels)
    if count != spec["entries"]:
        problems.append(f"entries {count} (expected {spec['entries']})")
    places = [("first", 0, spec.get("first", {})), ("last", count - 1, spec.get("last", {}))]
    places += [(f"[{at['i']}]", at["i"], at) for at in spec.get("at", [])]
    for name, i, want in places:
        if not 0 <= i < count:
            problems.append(f"{name}: no such entry")
            continue
        if "ts" in want:
            digits = min(decimals(want["ts"]), max_digits) if want["ts"] != "none" else 0
            got = stamp_text(reading.stamps[i], digits)
            expected = want["ts"] if want["ts"] == "none" else stamp_text(iso(want["ts"]), digits)
            if got != expected:
                problems.append(f"{name} stamp {got} (expected {expected})")
        guessed = guesses and reading.inferred is not None and reading.inferred[i]
        if (
            "level" in want
            and reading.levels[i]
            not in (
                want["level"],
                none * (want["level"] == "NONE"),
            )
            and not (guessed and want["level"] == "NONE")
        ):
            problems.append(f"{name} level {reading.levels[i]} (expected {want['level']})")
    if reading.fields is not None and count:
        for column, value in spec.get("fields", {}).items():
            got = reading.fields[column][0] if column in reading.fields.columns else None
            if str(got) != value:
                problems.append(f"field {column} {got!r} (expected {value!r})")
    return problems


def iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def staged(name: str, spec: dict, defaults: dict, folder: Path, corpus: Path = CORPUS) -> Path:
    """A copy of sample `name` of `corpus` in `folder` with the modification time the spec
    states."""
    path = folder / name
    shutil.copyfile(corpus / name, path)
    mtime = iso(spec.get("mtime", defaults["mtime"])).timestamp()
    os.utime(path, (mtime, mtime))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="only these samples")
    parser.add_argument("--lnav", action="store_true", help="also score lnav on the same files")
    parser.add_argument("--show", action="store_true", help="print logview's rows of failures")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS,
        help="a folder of samples with its own expected.toml (a fresh batch, scored first)",
    )
    args = parser.parse_args()
    if args.lnav and not shutil.which("lnav"):
        sys.exit("lnav is not installed (apt-get install -y lnav)")

    expected = tomllib.loads((args.corpus / "expected.toml").read_text())
    samples = {n: s for n, s in expected["samples"].items() if not args.names or n in args.names}
    right = right_with_guesses = right_without_fields = lnav_right = lnav_lenient = 0
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp, "home")
        home.mkdir()
        for name, spec in samples.items():
            folder = Path(tmp, "s", name)
            folder.mkdir(parents=True)
            path = staged(name, spec, expected["defaults"], folder, args.corpus)
            reading = read_logview(path)
            problems = check(spec, reading)
            right += not problems
            right_with_guesses += not check(spec, reading, guesses=True)
            right_without_fields += not check({**spec, "fields": {}}, reading)
            verdict = "ok" if not problems else "; ".join(problems)
            line = f"{name:28} {reading.format:18} {verdict}"
            if args.lnav:
                lnav = read_lnav(path, home)
                lnav_problems = check(spec, lnav, max_digits=3)
                lnav_right += not lnav_problems
                lnav_lenient += not check(spec, lnav, max_digits=3, none="INFO")
                line += f"  | lnav {'ok' if not lnav_problems else 'differs'}"
            print(line, flush=True)
            if problems and args.show:
                print(reading.fields.select("line", "ts", "level", "message").head(8))
    total = len(samples)
    print(f"\nlogview: {right} of {total} read right ({right / total:.0%}; target {TARGET:.0%})")
    print(
        f"         {right_with_guesses} if a level inferred from the message's words (marked as"
        " inferred) counts as no stated level"
    )
    print(
        f"         {right_without_fields} on entries, stamps and levels alone (the held-out"
        " check's criteria; the field checks left out)"
    )
    if args.lnav:
        print(
            f"lnav:    {lnav_right} of {total} read right ({lnav_right / total:.0%}); {lnav_lenient}"
            " if its default level 'info' counts as no level"
        )


if __name__ == "__main__":
    main()

"""`logview formats`: list the built-in formats and the user's own, or try one on a file."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from logview.cli_parser import Parser
from logview.core.shared.errors import LogviewError


def _formats_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="logview formats",
        description="Your own log formats (docs/formats.md): list them, or try one on a file.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="list|test")
    listing = commands.add_parser(
        "list",
        help="the built-in formats and yours, with the file each of yours came from",
        description="List the built-in formats and your own: those in your config folder and "
        "those beside PATHs (.logview-formats/*.toml, *.logview-format.toml).",
    )
    listing.add_argument("paths", nargs="*", metavar="PATH", help="logs whose formats to add")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    trying = commands.add_parser(
        "test",
        help="how FILE reads with FORMAT, line by line, and where it stops matching",
        description="Show how FILE reads with your FORMAT (its name, or a .toml file): stamp, "
        "level, fields and body of the first lines, then the first lines it does not read and "
        "why. Exit 0 when it reads entries with stamps, 2 when the format or file is bad.",
    )
    trying.add_argument("format", metavar="FORMAT", help="a format name or a format file")
    trying.add_argument("file", metavar="FILE", help="a log file (compressed is fine)")
    trying.add_argument(
        "--lines", type=int, default=20, metavar="N", help="lines shown (default 20)"
    )
    for sub in (listing, trying):
        sub.error = parser.error  # type: ignore[method-assign]
    return parser


def run(argv: Sequence[str]) -> int:
    """Run `logview formats` with `argv` (after the word `formats`); return the exit status."""
    from logview.core.reading.format_files import find_reader, formats_folder, load
    from logview.core.reading.registry import all_formats

    args = _formats_parser().parse_args(argv)
    if args.command == "test":
        return _formats_test(
            find_reader(args.format, [args.file], formats_folder()), args.file, args.lines
        )
    found = load(args.paths, formats_folder())
    for problem in found.problems:
        print(f"logview: warning: {problem}", file=sys.stderr)
    rows = [
        {"name": f.name, "label": f.label, "from": f.origin or "built-in", "files": list(f.globs)}
        for f in (*found.formats, *all_formats())
    ]
    if args.json:
        json.dump({"formats": rows, "problems": list(found.problems)}, sys.stdout, indent=2)
        print()
        return 0
    width = max(len(r["name"]) for r in rows)
    label_width = max(len(r["label"]) for r in rows)
    for r in rows:
        globs = f"  (files: {', '.join(r['files'])})" if r["files"] else ""
        print(f"{r['name']:<{width}}  {r['label']:<{label_width}}  {r['from']}{globs}")
    return 0


def _formats_test(reader: Any, file: str, shown: int) -> int:
    from logview.core.reading.format_trial import ENTRY, trial
    from logview.core.shared.display import visible_text

    if shown < 0:
        raise LogviewError("--lines wants 0 or more")
    spec = reader.spec
    result = trial(reader, file, shown=shown)
    print(f"format {spec.name} ({spec.label}) from {spec.path}")

    def count(n: int, one: str, many: str) -> str:
        return f"{n:,} {one if n == 1 else many}"

    print(
        f"{file}: {count(result.lines, 'line', 'lines')}: "
        f"{count(result.entries, 'entry', 'entries')} ({result.stamped:,} with a stamp read), "
        f"{count(result.joined, 'line joined', 'lines joined')} the entry above, "
        f"{result.unread:,} not read"
    )
    for note in result.notes:
        print(f"note: {visible_text(note)}")

    def show(reading: Any) -> None:
        head = f"{reading.line:>6}  "
        if reading.status == ENTRY:
            stamp = f"{reading.ts:%Y-%m-%d %H:%M:%S.%f} UTC"
            level = reading.level or (f"? {reading.level_text!r}" if reading.level_text else "-")
            fields = "  ".join(f"{k}={visible_text(v)}" for k, v in reading.fields)
            print(f"{head}{stamp}  {level:<5}  {fields}".rstrip())
            print(f"{'':8}body: {visible_text(reading.body)[:160]}")
        else:
            print(f"{head}{reading.status}: {visible_text(reading.text)[:120]}")
        if reading.reason:
            print(f"{'':8}why: {visible_text(reading.reason)}")

    if result.shown:
        print()
        for reading in result.shown:
            show(reading)
    failures = [
        f for f in result.failures if f.line > (result.shown[-1].line if result.shown else 0)
    ]
    if result.failures:
        print()
        kind = "lines the format does not read"
        print(f"The first {kind}:" if failures else f"The first {kind} are among those above.")
        for reading in failures:
            show(reading)
    if result.stamped == 0:
        first = result.failures[0] if result.failures else None
        why = f": line {first.line}: {first.reason or first.status}" if first else ""
        what = "no entry" if result.entries == 0 else "no stamp"
        raise LogviewError(f"format {spec.name!r} reads {what} in {file}{why}")
    return 0

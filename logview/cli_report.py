"""`logview report`: what an investigation found, as one HTML file or Markdown with its charts,
to hand to a ticket: the window's File > Export Report without the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from logview.cli_parser import PERIODS, Parser, add_no_cache, add_range, command_cache, parse_time
from logview.core.shared.errors import LogviewError


def _report_parser() -> argparse.ArgumentParser:
    from logview.core.analysis.anomalies import WINDOWS

    parser = Parser(
        prog="logview report",
        description="Write a report of PATHs (or of a saved investigation): the sources, the "
        "query and range, the timeline against the baseline, the top patterns, incidents and "
        "anomalies, the bookmarks with their notes. HTML is one self-contained file; Markdown "
        "gets its chart as a PNG in a folder beside it.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files, folders or archives")
    parser.add_argument(
        "--out", required=True, metavar="FILE", help="the report to write: report.html or report.md"
    )
    parser.add_argument(
        "--investigation", metavar="FILE",
        help="a saved investigation (.logview): its sources, view, bookmarks and notes; the "
        "options given here win over its own",
    )  # fmt: skip
    parser.add_argument("--query", metavar="Q", help="the query (or plain search) of the report")
    add_range(parser)
    parser.add_argument(
        "--compare", choices=PERIODS, help="compare the range with an earlier period"
    )
    parser.add_argument(
        "--every", default="5m", choices=[f"{m}m" for m in WINDOWS],
        help="anomaly window (default 5m)",
    )  # fmt: skip
    parser.add_argument(
        "--tz", metavar="ZONE", help="time zone for stamps that carry none (default UTC)"
    )
    parser.add_argument(
        "--display-tz", metavar="ZONE",
        help="the time zone the report shows times in (default: --tz, else UTC)",
    )  # fmt: skip
    add_no_cache(parser)
    return parser


def run(argv: Sequence[str]) -> int:
    """Run `logview report` with `argv` (after the word `report`); return the exit status."""
    from datetime import timedelta

    from logview.core.analysis.compare import default_range
    from logview.core.analysis.incidents import find_incidents
    from logview.core.analysis.kept_anomalies import detect_kept
    from logview.core.analysis.mined_parts import mine_kept
    from logview.core.analysis.suppressions import split
    from logview.core.analysis.view import ViewState
    from logview.core.investigation.report import report_of, report_target, write_report

    args = _report_parser().parse_args(argv)
    report_target(args.out)  # a bad name or folder is told before the work
    saved = _saved(args.investigation) if args.investigation else None
    paths = list(args.paths) or (_found_paths(saved, args.investigation) if saved else [])
    if not paths and saved is not None:
        raise LogviewError(f"none of the sources of {args.investigation} is there any more")
    if not paths:
        raise LogviewError("give the PATHs to report on, or --investigation FILE")
    state = saved.state if saved is not None else ViewState()
    if args.query is not None:
        state = state.with_(query=args.query)
    if args.start or args.end:
        state = state.with_(
            start=parse_time(args.start, "--start"), end=parse_time(args.end, "--end")
        )
    if args.compare:
        state = state.with_(compare=args.compare, compare_offset=None)
    zone = args.display_tz or args.tz or "UTC"
    cache = command_cache(args)
    overrides = saved.overrides if saved is not None and not args.paths else {}
    loaded = _ingest(paths, args.tz, cache, overrides)
    table = loaded.table
    if state.compare and state.compare != "sources" and (state.start is None or state.end is None):
        # As `logview compare` and the window do: the data's last period against the one before.
        fallback = default_range(table, state.compare)
        state = state.with_(start=state.start or fallback.start, end=state.end or fallback.end)
    baseline = None
    if state.compare == "sources":
        if saved is None or not saved.baseline:
            raise LogviewError("the investigation compares with other sources but names none")
        baseline = _ingest(list(saved.baseline), args.tz, cache, {}).table
    every = timedelta(minutes=int(args.every[:-1]))
    mined = mine_kept(table, cache, loaded.cache_key)
    found = detect_kept(table, mined, every, cache, loaded.cache_key)
    if saved is not None and saved.suppressions:
        found, _, _ = split(found, list(saved.suppressions))  # what the reader hid stays hidden
    report = report_of(
        table, loaded.sources, state, mined=mined, anomalies=found,
        incidents=find_incidents(found, table, mined.ids, every),
        bookmarks=saved.bookmarks if saved is not None else (),
        notes=saved.notes if saved is not None else "", baseline=baseline, zone=zone,
    )  # fmt: skip
    for path in write_report(report, args.out):
        print(path)
    return 0


def _saved(path: str):
    from logview.core.investigation.saved import read

    return read(path)


def _found_paths(saved, file: str) -> list[str]:
    """Return where the investigation's sources are now (beside the file, when moved with
    it), telling on stderr which changed or are missing."""
    from logview.core.investigation.saved import check

    checks = check(saved, file)
    for c in checks:
        if c.status != "ok":
            print(f"logview: warning: {c.message()}", file=sys.stderr)
    return [c.path for c in checks if c.status != "missing"]


def _ingest(paths: list[str], tz: str | None, cache, overrides):
    from logview.core.reading.format_files import formats_folder, load
    from logview.core.reading.ingest import ingest

    result = ingest(
        paths, overrides=overrides, tz=tz, user_formats=load(paths, formats_folder()), cache=cache
    )
    for warning in result.warnings:
        print(f"logview: warning: {warning}", file=sys.stderr)
    return result

"""The command line: the GUI launcher and the headless commands, all on logview.core."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from logview import __version__
from logview.cli_cluster import add_cluster, loaded_and_mined
from logview.cli_parser import (
    PERIODS,
    Parser,
    add_no_cache,
    add_range,
    command_cache,
    load_paths,
    parse_time,
)
from logview.core.shared.errors import LogviewError

# The earlier periods a range compares with (logview.core.analysis.compare's names, imported there
# lazily; kept here so that --help works without loading polars).
COMMANDS = (
    "export", "sources", "patterns", "query", "compare", "anomalies", "report", "formats",
)  # fmt: skip


def _gui_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="logview",
        description="Open log files, folders and archives in the logview window. "
        f"Headless commands: {', '.join(COMMANDS)} (see 'logview COMMAND --help').",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="files, folders or archives, or an investigation saved from the window (.logview)",
    )  # fmt: skip
    parser.add_argument("--demo", action="store_true", help="open the built-in demo bundle")
    parser.add_argument("--screenshot", metavar="OUT.png", help="save the window to a PNG and exit")
    parser.add_argument("--size", default="1400x900", metavar="WxH", help="window size")
    parser.add_argument(
        "--tab", choices=("logs", "patterns", "anomalies", "visualization"), default="logs",
        help="the tab shown",
    )  # fmt: skip
    parser.add_argument("--query", metavar="Q", help="run this query once loaded")
    parser.add_argument(
        "--compare",
        choices=PERIODS,
        help="compare with an earlier period once loaded",
    )
    parser.add_argument(
        "--follow", action="store_true",
        help="follow the files as they grow (tail -F) once loaded",
    )  # fmt: skip
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open PATHs (default the demo), wait for the table and the patterns, save the "
        "window (to --screenshot, else a temp file), print one line and exit: 0 if it worked",
    )
    parser.add_argument("--version", action="version", version=f"logview {__version__}")
    return parser


def _add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or archives")
    parser.add_argument(
        "--tz", metavar="ZONE", help="time zone for stamps that carry none (default UTC)"
    )
    add_no_cache(parser)


def _export_parser() -> argparse.ArgumentParser:
    from logview.core.analysis.export import FORMATS as EXPORT_FORMATS

    parser = Parser(prog="logview export", description="Write the merged table of PATHs.")
    _add_input(parser)
    parser.add_argument("--format", choices=EXPORT_FORMATS, help="default: from -o, else csv")
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="file to write (default: standard output)"
    )
    return parser


def _sources_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="logview sources",
        description="List the sources found in PATHs with their detected format, entries and span.",
    )
    _add_input(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _patterns_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="logview patterns",
        description="Mine the recurring patterns of the messages in PATHs.",
    )
    _add_input(parser)
    parser.add_argument("--json", action="store_true", help="print the full pattern list as JSON")
    parser.add_argument(
        "--assignments", metavar="OUT.csv", help="write source,line,pattern for every entry"
    )
    parser.add_argument("--top", type=int, metavar="N", help="only the N most frequent patterns")
    parser.add_argument(
        "--query", metavar="Q", help="mine only the rows a query (or plain search) returns"
    )
    add_range(parser)
    add_cluster(parser)
    return parser


def _query_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="logview query",
        description="Run a Logs Insights query (or a plain search) over PATHs; the language is "
        "in the window's Help > Query Reference (logview/resources/query.md).",
    )
    parser.add_argument(
        "items",
        nargs="+",
        metavar="PATH ... QUERY",
        help="files, folders or archives, then the query",
    )
    parser.add_argument(
        "--tz", metavar="ZONE", help="time zone for stamps that carry none (default UTC)"
    )
    add_no_cache(parser)
    add_range(parser)
    parser.add_argument(
        "--format", choices=("table", "csv", "jsonl"), default="table", help="default: table"
    )
    return parser


def _query(argv: Sequence[str]) -> int:
    import polars as pl

    from logview.core.analysis.export import write_table
    from logview.core.analysis.query import QueryError, run_query
    from logview.core.analysis.query.run import QUERY_FAILED

    args = _query_parser().parse_args(argv)
    if len(args.items) < 2:
        raise LogviewError("give at least one PATH and then the QUERY")
    *paths, text = args.items
    args.paths = paths
    start, end = parse_time(args.start, "--start"), parse_time(args.end, "--end")
    result = None
    if (scanned := _scan(args)) is not None:
        try:
            result = run_query(scanned, text, start=start, end=end)
        except QueryError as err:
            if not str(err).startswith(QUERY_FAILED):
                raise  # the query's own fault: parsing the files would not help
            # A kept part that does not read: the files are read (and checked) instead.
        except (pl.exceptions.PolarsError, OSError):
            pass  # (a part removed meanwhile, or damaged where the query first reads it)
    if result is None:
        result = run_query(load_paths(args).table, text, start=start, end=end)
    if args.format == "table":
        with pl.Config(
            tbl_rows=50, tbl_cols=20, fmt_str_lengths=120, tbl_hide_dataframe_shape=True
        ):
            print(result.frame)
        print(f"{result.frame.height} {'row' if result.frame.height == 1 else 'rows'}")
    else:
        write_table(result.frame, sys.stdout.buffer, args.format)
        sys.stdout.flush()
    return 0


def _compare_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="logview compare",
        description="Compare a time range of PATHs with an earlier period or other sources: "
        "new patterns first, then the biggest significant changes.",
    )
    _add_input(parser)
    against = parser.add_mutually_exclusive_group()
    against.add_argument(
        "--against",
        choices=PERIODS,
        help="the earlier period (default: previous-period)",
    )
    against.add_argument(
        "--offset", metavar="DURATION", help="a custom baseline: 3h, 2d, 90m earlier"
    )
    against.add_argument(
        "--baseline", nargs="+", metavar="PATH", help="other sources, aligned on their first entry"
    )
    add_range(parser)
    parser.add_argument("--explain", action="store_true", help="rank by share of the difference")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_cluster(parser)
    return parser


def _compare(argv: Sequence[str]) -> int:
    from datetime import timedelta

    from logview.core.analysis.compare import Range, default_range, explain, parse_duration
    from logview.core.analysis.pattern_view import format_change
    from logview.core.analysis.view import ViewState, compute_view
    from logview.core.reading.format_files import formats_folder, load
    from logview.core.reading.ingest import ingest

    args = _compare_parser().parse_args(argv)
    start, end = parse_time(args.start, "--start"), parse_time(args.end, "--end")
    loaded, mined = loaded_and_mined(args)
    table = loaded.table
    against = args.against or ("offset" if args.offset else "previous-period")
    if start is None or end is None:
        fallback = default_range(table, against if not args.baseline else "previous-period")
        if args.baseline and not args.start and not args.end:
            stamps = table["ts"].drop_nulls()
            fallback = Range(stamps.min(), stamps.max() + timedelta(microseconds=1))
        start, end = start or fallback.start, end or fallback.end
    baseline = None
    if args.baseline:
        other = ingest(
            args.baseline,
            tz=args.tz,
            user_formats=load(args.baseline, formats_folder()),
            cache=command_cache(args),
        )
        for warning in other.warnings:
            print(f"logview: warning: {warning}", file=sys.stderr)
        baseline = other.table
        state = ViewState(start=start, end=end, compare="sources")
    else:
        offset = parse_duration(args.offset) if args.offset else None
        state = ViewState(start=start, end=end, compare=against, compare_offset=offset)
    # The window's computation (`compute_view`: the whole table mined, its patterns counted
    # over both ranges), so that the command and the window cannot disagree.
    result = compute_view(
        table,
        state,
        None,
        mined=mined,
        baseline=baseline,
    ).comparison
    assert result is not None  # a state that compares gives a comparison
    now, then = result.now, result.then
    if args.json:
        json.dump(
            {
                "now": [now.start.isoformat(), now.end.isoformat()],
                "then": [then.start.isoformat(), then.end.isoformat()],
                "summary": result.summary(),
                "patterns": [
                    {
                        "id": c.id, "template": c.template, "status": c.status, "now": c.now,
                        "then": c.then, "change_pct": c.change_pct, "p_value": c.p_value,
                        "severity": c.severity,
                    }
                    for c in result.patterns
                ],
                "explain": [
                    {"id": e.change.id, "share": round(e.share, 4)} for e in explain(result)
                ],
            },
            sys.stdout,
            indent=2,
        )  # fmt: skip
        print()
        return 0
    print(f"{now.start:%Y-%m-%d %H:%M} – {now.end:%Y-%m-%d %H:%M} vs "
          f"{then.start:%Y-%m-%d %H:%M} – {then.end:%Y-%m-%d %H:%M}: {result.summary()}")  # fmt: skip
    if args.explain:
        print(f"{'share':>7} {'now':>8} {'then':>8}  template")
        for e in explain(result):
            print(f"{e.share:>+7.1%} {e.change.now:>8} {e.change.then:>8}  {e.change.template}")
        return 0
    if result.warning is not None:  # the summary said it: every pattern would read as new
        return 0
    print(f"{'status':<7} {'now':>8} {'then':>8} {'change':>8}  template")
    for c in result.patterns:
        if c.status == "steady":
            continue
        change = format_change(c.change_pct) if c.change_pct is not None else "new"
        print(f"{c.status:<7} {c.now:>8} {c.then:>8} {change:>8}  {c.template}")
    steady = result.counts()["steady"]
    print(f"({steady} steady pattern{'s' * (steady != 1)} not listed)")
    return 0


def _anomalies_parser() -> argparse.ArgumentParser:
    from logview.core.analysis.anomalies import WINDOWS, Priority

    parser = Parser(
        prog="logview anomalies",
        description="Find anomalies in PATHs: each window judged against what came before it.",
    )
    _add_input(parser)
    parser.add_argument(
        "--every", default="5m", choices=[f"{m}m" for m in WINDOWS],
        help="evaluation window (default 5m)",
    )  # fmt: skip
    parser.add_argument(
        "--min-priority", choices=[p.value for p in Priority], default="LOW",
        help="leave out anomalies below this priority",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--follow", action="store_true",
        help="then follow the files as they grow: each window is judged when it closes and "
        "new anomalies are printed as they are found (Ctrl-C stops)",
    )  # fmt: skip
    parser.add_argument(
        "--interval", type=float, default=1.0, metavar="SECONDS",
        help="with --follow, seconds between reads of the files (default 1)",
    )  # fmt: skip
    add_cluster(parser)
    return parser


def _anomalies(argv: Sequence[str]) -> int:
    from datetime import timedelta

    from logview.core.analysis.anomalies import Priority
    from logview.core.analysis.incidents import find_incidents, phrase
    from logview.core.analysis.kept_anomalies import detect_kept

    args = _anomalies_parser().parse_args(argv)
    if args.follow and args.json:
        raise LogviewError("--follow prints lines as anomalies are found; leave out --json")
    if args.interval <= 0:
        raise LogviewError("--interval must be more than 0 seconds")
    every = timedelta(minutes=int(args.every[:-1]))
    least = Priority(args.min_priority).rank

    def wanted(found: list) -> list:
        return [a for a in found if Priority(a.priority).rank >= least]

    if args.follow:
        if args.cluster:
            raise LogviewError("--follow reads the files here as they grow; leave out --cluster")
        return _follow_anomalies(load_paths(args), args, every, wanted)
    loaded, mined = loaded_and_mined(args)
    table = loaded.table
    cache = None if args.cluster else command_cache(args)
    found = wanted(detect_kept(table, mined, every, cache, loaded.cache_key))
    incidents = find_incidents(found, table, mined.ids, every)
    if args.json:
        json.dump({"anomalies": [_anomaly_json(a) for a in found],
                   "incidents": [_incident_json(n) for n in incidents]},
                  sys.stdout, indent=2)  # fmt: skip
        print()
        return 0
    print(f"{len(incidents)} incident{'' if len(incidents) == 1 else 's'}, "
          f"{len(found)} anomal{'y' if len(found) == 1 else 'ies'} ({args.every} windows)")  # fmt: skip
    for n in incidents:
        print(f"{n.priority:<6} incident     {n.headline}\n{'':21}linked by: {'; '.join(n.links)}")
        for m in n.members:
            print(f"{'':21}{m.name}: {len(m.anomalies)} "
                  f"({', '.join(phrase(a) for a in m.anomalies[:3])}{', …' if len(m.anomalies) > 3 else ''})")  # fmt: skip
    for a in found:
        _print_anomaly(a)
    return 0


def _anomaly_json(a: Any) -> dict[str, Any]:
    return {
        "id": a.id, "kind": a.kind, "priority": a.priority,
        "start": a.start.isoformat(), "end": a.end.isoformat(),
        "pattern": a.pattern, "template": a.template, "observed": a.observed,
        "expected": a.expected, "peak": a.peak, "score": a.score, "description": a.description,
        "baseline": a.baseline, "source": a.source,
        "token": a.token_name, "value": a.value, "counts": list(a.counts),
        "counts_start": a.counts_start.isoformat() if a.counts_start else None,
        "samples": list(a.samples),
    }  # fmt: skip


def _incident_json(n: Any) -> dict[str, Any]:
    return {
        "id": n.id, "priority": n.priority, "start": n.start.isoformat(),
        "end": n.end.isoformat(), "headline": n.headline, "first_sign": n.first_sign,
        "links": list(n.links),
        "members": [{"source": m.source, "anomalies": [a.id for a in m.anomalies]}
                    for m in n.members],
    }  # fmt: skip


def _print_anomaly(a: Any) -> None:
    print(f"{a.priority:<6} {a.kind:<12} {a.start:%Y-%m-%d %H:%M}-{a.end:%H:%M}  "
          f"{a.template}\n{'':21}{a.description}\n{'':21}compared with {a.baseline}",
          flush=True)  # fmt: skip


def _follow_anomalies(loaded: Any, args: argparse.Namespace, every: Any, wanted: Any) -> int:
    """Report the closed windows' anomalies, then follow the files: each time a window closes,
    print the anomalies not reported before. Runs until interrupted."""
    import time

    from logview.core.analysis.anomalies import Watch
    from logview.core.analysis.patterns import mine_entries
    from logview.core.reading.follow import Live

    live = Live(loaded, tz=args.tz)
    for reason in live.not_followed:
        print(f"logview: not followed: {reason}", file=sys.stderr)
    if not live.followers:
        raise LogviewError("none of these sources can be followed (plain text files only)")
    watch = Watch(every)

    def judge() -> list:
        table = live.table
        mined = mine_entries(table)
        found, new = watch.judge(table["ts"], table["level"], mined.ids, mined.by_id, table)
        return wanted(new)

    found = judge()
    until = f" up to {watch.judged_until:%Y-%m-%d %H:%M}" if watch.judged_until else ""
    print(f"{len(found)} anomal{'y' if len(found) == 1 else 'ies'} ({args.every} windows{until}); "
          f"following {len(live.followers)} file{'s' * (len(live.followers) != 1)}", flush=True)  # fmt: skip
    for a in found:
        _print_anomaly(a)
    try:
        while True:
            time.sleep(args.interval)
            polled = live.poll()
            for event in polled.events:
                print(f"logview: {event}", file=sys.stderr, flush=True)
            if polled.frames and watch.due(live.table["ts"]):
                for a in judge():
                    _print_anomaly(a)
    except KeyboardInterrupt:
        return 0
    finally:
        live.close()


def _scan(args: argparse.Namespace):
    """Return the table of args.paths as a lazy scan of the column cache, when every file is
    in it (a query then reads only what it asks for); else None."""
    from logview.core.reading.column_cache import scan_files
    from logview.core.reading.format_files import formats_folder, load
    from logview.core.reading.sources import Limits

    cache = command_cache(args)
    if cache is None:
        return None
    user_formats = load(args.paths, formats_folder())
    if user_formats.problems:
        return None  # parsed, so that the problems are told as they always are
    return scan_files(cache, args.paths, {}, args.tz, Limits(), user_formats.digest)


def _export(argv: Sequence[str]) -> int:
    from logview.core.analysis.export import export, format_from_path, write_table

    args = _export_parser().parse_args(argv)
    fmt = args.format or (format_from_path(args.output) if args.output else None) or "csv"
    if fmt == "parquet" and not args.output:
        raise LogviewError("parquet needs an output file: add -o OUT.parquet")
    result = load_paths(args)
    if args.output:
        export(result.table, args.output, fmt)
    else:
        write_table(result.table, sys.stdout.buffer, fmt)
        sys.stdout.flush()
    return 0


def _sources(argv: Sequence[str]) -> int:
    args = _sources_parser().parse_args(argv)
    result = load_paths(args)
    rows = [
        {
            "source": s.name,
            "format": s.format,
            "label": s.format_label,
            "confidence": round(s.confidence, 2),
            "entries": s.entries,
            "first": s.first.isoformat() if s.first else None,
            "last": s.last.isoformat() if s.last else None,
            "encoding": s.encoding,
            "notes": list(s.notes),
        }
        for s in result.sources
    ]
    if args.json:
        json.dump({"sources": rows, "warnings": list(result.warnings)}, sys.stdout, indent=2)
        print()
        return 0
    width = max([len("source"), *(len(r["source"]) for r in rows)])
    print(f"{'source':<{width}}  {'format':<18} {'entries':>9}  first -> last")
    for r in rows:
        span = f"{r['first'] or '-'} -> {r['last'] or '-'}"
        print(f"{r['source']:<{width}}  {r['format']:<18} {r['entries']:>9}  {span}")
        for note in r["notes"]:
            print(f"{'':<{width}}    note: {note}")
    return 0


def _patterns(argv: Sequence[str]) -> int:
    import polars as pl

    from logview.core.analysis.patterns import PATTERN, mine
    from logview.core.analysis.related import related_patterns, trace_field
    from logview.core.shared.atomic import write_atomic

    args = _patterns_parser().parse_args(argv)
    if args.top is not None and args.top < 1:
        raise LogviewError("--top wants a positive number")
    start, end = parse_time(args.start, "--start"), parse_time(args.end, "--end")
    loaded, mined = loaded_and_mined(args)
    table = loaded.table
    rows = None
    if args.query or start or end:
        from logview.core.analysis.query import run_query

        result = run_query(table, args.query or "", start=start, end=end)
        if result.rows is None:
            raise LogviewError("--query must return rows (not stats or patterns)")
        rows = result.rows
    # Token values and samples are in the JSON only: the table of patterns goes without them.
    # The whole table is mined and its patterns counted over the query's rows, as the window
    # does, so that both show the same patterns for the same query.
    details = {} if args.json else {"top_values": 0, "samples": 0}
    found = mine(table, rows=rows, mined=mined, **details)
    shown = found.patterns[: args.top] if args.top else found.patterns
    chosen = table if rows is None else table[rows]
    if args.assignments:
        assigned = chosen.select(pl.col("source").cast(pl.String), "line", found.ids.alias(PATTERN))
        write_atomic(args.assignments, lambda out: assigned.write_csv(out))
    if args.json:
        trace = trace_field(chosen.columns)
        related = related_patterns(chosen["ts"], found.ids, traces=chosen[trace] if trace else None)
        json.dump(
            {
                "entries": chosen.height,
                "patterns": [_pattern_json(p, table, related.get(p.id, ())) for p in shown],
            },
            sys.stdout,
            indent=2,
        )
        print()
        return 0
    print(f"{len(found.patterns):,} patterns in {chosen.height:,} entries")
    print(f"{'count':>9} {'ratio':>6}  {'severity':<8} {'id':<12} template")
    for p in shown:
        print(f"{p.count:>9} {p.ratio:>6.1%}  {p.severity:<8} {p.id:<12} {p.template}")
    return 0


def _pattern_json(pattern, table, related) -> dict:
    stamp = lambda t: t.isoformat() if t else None  # noqa: E731
    return {
        "id": pattern.id,
        "template": pattern.template,
        "count": pattern.count,
        "ratio": round(pattern.ratio, 6),
        "severity": pattern.severity,
        "first": stamp(pattern.first),
        "last": stamp(pattern.last),
        "tokens": [
            {
                "token": t.slot.label,
                "name": t.slot.name,
                "kind": t.kind,
                "distinct": t.distinct,
                "top": [{"value": v, "count": c} for v, c in t.top],
                "numeric": dict(zip(("min", "median", "max"), t.numeric, strict=True))
                if t.numeric
                else None,
            }
            for t in pattern.tokens
        ],
        "samples": [
            {
                "source": str(table["source"][row]),
                "line": table["line"][row],
                "ts": stamp(table["ts"][row]),
                "message": table["message"][row],
            }
            for row in pattern.samples
        ],
        "related": [
            {"id": r.id, "score": r.score, "basis": r.basis, "count": r.count} for r in related
        ],
    }


def _gui(argv: Sequence[str]) -> int:
    args = _gui_parser().parse_args(argv)
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise LogviewError(
            f"--size wants WIDTHxHEIGHT, e.g. 1600x1000, not {args.size!r}"
        ) from None
    paths = list(args.paths)
    if args.demo or not paths:
        from logview.core.demo import demo_path

        paths.append(str(demo_path()))
    if args.self_test:
        from logview.gui.app import self_test

        return self_test(paths, screenshot=args.screenshot, size=(width, height))
    from logview.gui.app import run

    return run(
        paths,
        screenshot=args.screenshot,
        size=(width, height),
        tab=args.tab,
        query=args.query,
        compare=args.compare,
        follow=args.follow,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status (0 ok, 2 bad arguments or input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "export":
            return _export(argv[1:])
        if argv and argv[0] == "sources":
            return _sources(argv[1:])
        if argv and argv[0] == "patterns":
            return _patterns(argv[1:])
        if argv and argv[0] == "query":
            return _query(argv[1:])
        if argv and argv[0] == "compare":
            return _compare(argv[1:])
        if argv and argv[0] == "anomalies":
            return _anomalies(argv[1:])
        if argv and argv[0] == "report":
            from logview import cli_report

            return cli_report.run(argv[1:])
        if argv and argv[0] == "formats":
            from logview import cli_formats

            return cli_formats.run(argv[1:])
        return _gui(argv)
    except LogviewError as err:
        print(f"logview: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours.
        sys.stderr.close()
        return 0

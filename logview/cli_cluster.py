"""`--cluster` for `logview patterns`, `compare` and `anomalies`: the table and its patterns
from Dask workers (or a process pool here) instead of this process (`core.cluster`); the
commands then write their results as they always do."""

from __future__ import annotations

import argparse
import sys
import tempfile
from typing import Any

from logview.cli_parser import command_cache, load_paths
from logview.core.shared.errors import LogviewError


def add_cluster(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cluster", metavar="SCHEDULER",
        help="parse the files and mask their entries on Dask workers: a scheduler's address "
        "(tcp://host:8786), local:N for N worker processes here (needs logview[cluster]), or "
        "processes:N for a plain process pool; only the distinct shapes come back to be mined",
    )  # fmt: skip
    parser.add_argument(
        "--cache", metavar="DIR",
        help="with --cluster: the column cache, on storage the workers and this machine share "
        "(default: your cache folder, for local:N and processes:N)",
    )  # fmt: skip


def loaded_and_mined(args: argparse.Namespace) -> tuple[Any, Any]:
    """Return the table of args.paths and its patterns: here (`mine_kept`), or with
    `--cluster` from the workers, each stage told on stderr."""
    if not getattr(args, "cluster", None):
        from logview.core.analysis.mined_parts import mine_kept

        loaded = load_paths(args)
        return loaded, mine_kept(loaded.table, command_cache(args), loaded.cache_key)
    from logview.core.cluster import engine
    from logview.core.reading.column_cache import default_folder
    from logview.core.reading.format_files import formats_folder, load

    remote = not args.cluster.startswith(("local:", "processes:")) and args.cluster != "inline"
    if args.cache is None and remote:
        raise LogviewError(
            "--cluster with a scheduler needs --cache DIR on storage its workers share"
        )
    temporary = None
    if args.cache is not None:
        folder = args.cache
    elif getattr(args, "no_cache", False):  # the cache carries the columns: a passing one
        temporary = tempfile.TemporaryDirectory(prefix="logview-cluster-")
        folder = temporary.name
    else:
        folder = str(default_folder())
    user_formats = load(args.paths, formats_folder())
    backend = engine.backend_for(args.cluster)
    try:
        say = lambda line: print(f"logview: {backend.name}: {line}", file=sys.stderr)  # noqa: E731
        done = engine.run(
            args.paths, backend, folder, tz=args.tz, user_formats=user_formats, report=say
        )
    finally:
        backend.close()
        if temporary is not None:
            temporary.cleanup()
    for warning in done.ingested.warnings:
        print(f"logview: warning: {warning}", file=sys.stderr)
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in done.stages)
    print(f"logview: {backend.name}: {done.partitions} partitions on {len(done.workers)} "
          f"workers; {stages}; {done.bytes_to_client:,} bytes of shapes to this machine",
          file=sys.stderr)  # fmt: skip
    return done.ingested, done.mined

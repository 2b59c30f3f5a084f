"""The command line's argument parser (its errors are one line and exit 2) and the options and
helpers the commands share: the range, the column cache, the comparison periods."""

from __future__ import annotations

import argparse
from typing import NoReturn

from logview.core.shared.errors import LogviewError

PERIODS = ("previous-period", "previous-hour", "previous-day", "previous-week", "previous-month")


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def add_no_cache(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every file, neither reading nor keeping parsed columns in the cache",
    )


def add_range(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", metavar="T", help="from this time on (ISO 8601, UTC if no zone)")
    parser.add_argument("--end", metavar="T", help="before this time (ISO 8601)")


def parse_time(text: str | None, flag: str):
    from datetime import UTC, datetime

    if text is None:
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise LogviewError(f"{flag} wants an ISO 8601 time such as 2026-03-10T14:05:00Z") from None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def command_cache(args: argparse.Namespace):
    """Return the column cache for a command (None with --no-cache); the command waits for
    its writes as it exits."""
    import atexit

    from logview.core.reading.column_cache import shared_cache

    cache = None if getattr(args, "no_cache", False) else shared_cache()
    if cache is not None:
        atexit.register(cache.flush, CACHE_FLUSH_S)
    return cache


CACHE_FLUSH_S = 600.0


def load_paths(args: argparse.Namespace):
    """Return the table of args.paths (read with the user's formats, through the command's
    column cache), its warnings printed to stderr."""
    import sys

    from logview.core.reading.format_files import formats_folder, load
    from logview.core.reading.ingest import ingest

    user_formats = load(args.paths, formats_folder())
    result = ingest(args.paths, tz=args.tz, user_formats=user_formats, cache=command_cache(args))
    for warning in result.warnings:
        print(f"logview: warning: {warning}", file=sys.stderr)
    return result

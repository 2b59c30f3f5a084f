"""docker compose output: `web-1  | 2024-01-02T03:04:05.123Z INFO started`, the services'
lines interleaved, each behind its name padded to the longest name and a `|`. Procfile
runners (foreman, honcho, overmind) write the same with the time first: `09:20:02 web.1    |
[2024-03-14 09:20:02 +0000] [12] [INFO] Starting gunicorn`, and their own lines as `system`.

Such a file is several sources in one: ingest splits it (`split_services`) into one source
per service, named `<file>/<service>` (`compose.log/web-1`), each holding its lines without the
prefix and read by the format its own lines have (JSON lines, plain text, logfmt, ...), with
the line numbers of the file. Lines without a prefix (compose's own `Attaching to web-1,
db-1`, `web-1 exited with code 0`, its progress lines ` Container web-1  Created`) are the
source `<file>/compose`, each line an entry. Colour codes around the
prefix (output captured from a terminal) are skipped. Where the prefix has a time, a
process whose lines carry no stamp of their own keeps it in front of them (its only stamp);
the others' lines are read without it (their own stamps have the date and zone).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import polars as pl

from logview.core.reading import levels
from logview.core.reading.formats import (
    EARLY_LINES,
    Format,
    ParseContext,
    Sample,
)
from logview.core.reading.parsers.terminal import PROMPT, chrome_note
from logview.core.reading.stamp_search import detect_layout_counted
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import empty_parsed

_COLOUR = r"(?:\x1b\[[0-9;]*m)*"
# The service's name, its padding, the bar and one space; colour codes anywhere around them.
# (PM2's `pm2 logs` writes the process's id and a bar before its name: `3|notify-g | `.)
PREFIX = ascii_classes(
    rf"^{_COLOUR}(?P<time>\d{{2}}:\d{{2}}:\d{{2}} )?{_COLOUR}(?P<service>(?:\d{{1,4}}\|)?[A-Za-z0-9][\w.\-]*)"
    rf"{_COLOUR}(?P<pad> +){_COLOUR}\|{_COLOUR}(?: |$)"
)
_PREFIX_RE = re.compile(PREFIX, re.ASCII)
# The source of the lines that carry no service prefix.
OWN_LINES = "compose"
_SNIFF_SHARE = 0.6


def sniff(sample: Sample) -> float:
    """Return 0.9 when 60% of the sampled lines have a service prefix, most of them with
    their bar in one column (compose pads names to one width), no "service" is a level word
    (a `INFO  | message` layout is a text log's) and most are no numbers, else 0."""
    if not sample.lines or not any("|" in line for line in sample.lines[:EARLY_LINES]):
        return 0.0
    matches = [m for m in (_PREFIX_RE.match(line) for line in sample.lines) if m]
    if len(matches) < _SNIFF_SHARE * len(sample.lines):
        return 0.0
    services = {m["service"] for m in matches}
    # (Numbers are a table's row ids, `231 | Mar-14-2024 | ...` under an `ID  | Date` row.)
    numbered = sum(s.isdigit() for s in services)
    if any(levels.ALIASES.get(s.lower()) for s in services) or numbered > len(services) / 2:
        return 0.0
    bars = Counter(len(m["service"]) + len(m["pad"]) for m in matches)
    if bars.most_common(1)[0][1] < _SNIFF_SHARE * len(matches):
        return 0.0
    return 0.9


def _prefixes(lines: pl.DataFrame) -> pl.DataFrame:
    """Return each line's service (null without a prefix) and its text after the prefix."""
    text = lines["text"]
    prefix = text.str.extract(f"({PREFIX.removeprefix('^').join(('^(?:', ')'))})", 1)
    return pl.DataFrame(
        {
            "service": text.str.extract(PREFIX, 2),
            "time": text.str.extract(PREFIX, 1),
            "rest": text.str.slice(prefix.str.len_chars().fill_null(0)),
        }
    )


def split_services(
    lines: pl.DataFrame, note: Callable[[str], None] | None = None
) -> list[tuple[str, pl.DataFrame]]:
    """Return one (service, lines) pair per service, in the order the services first write,
    each service's lines without their prefix (`line` as in the file); the lines without a
    prefix under OWN_LINES. In a terminal capture (a prompt among the lines before the first
    service's), those lines, the prompt, the command and compose's progress, are the
    session's, no entries (`note` says how many), as `terminal.terminal_chrome` has it."""
    if lines.height == 0:
        return []
    parts = _prefixes(lines).with_columns(line=lines["line"])
    prefixed = parts["service"].is_not_null()
    first = int(prefixed.arg_max() or 0) if prefixed.any() else 0
    if first and lines["text"].head(first).str.contains(PROMPT).any():
        parts = parts.slice(first)
        if note is not None:
            note(chrome_note(first))
    services = parts["service"].fill_null(OWN_LINES)
    names = services.unique(maintain_order=True).to_list()
    frame = parts.with_columns(service=services)
    out = []
    for name in names:  # a loop over the distinct services (a handful)
        own = frame.filter(pl.col("service") == name)
        text = pl.col("rest")
        if name == OWN_LINES:
            # compose v2 indents its progress lines (` Container shop-db-1  Created`): each is
            # a message of its own, not the line above's continuation.
            text = text.str.strip_chars_start(" ")
        if own["time"].null_count() < own.height and not _stamped(own["rest"]):
            text = pl.concat_str([pl.col("time").fill_null(""), text])
        out.append((name, own.select("line", text.alias("text"))))
    return out


def _stamped(rest: pl.Series) -> bool:
    """Return whether most of a process's lines (a sample) carry a stamp of their own."""
    sample = [line for line in rest.head(200).to_list() if line and line.strip()]
    _, count = detect_layout_counted(sample)
    return bool(sample) and count >= _SNIFF_SHARE * len(sample)


def parse_compose(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per line, read as plain text after its prefix, with a `service` field.

    Ingest does not call this (it splits the file into its services, see the module); it
    reads a compose file where one source is wanted whole.
    """
    from logview.core.reading.parsers.text import parse_text_with

    if lines.height == 0:
        return empty_parsed()
    parts = _prefixes(lines)
    return parse_text_with(
        lines.select("line", text=parts["rest"]), "service", parts["service"], ctx
    )


FORMATS: list[Format] = [
    Format(
        "compose",
        "docker compose output",
        sniff,
        parse_lines=parse_compose,
        split_lines=split_services,
    )
]

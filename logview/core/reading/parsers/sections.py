"""Several files in one: `tail` and `head` of several files (`tail -n 100 /var/log/*.log`,
`tail -f a.log b.log`) write each file's lines under a header `==> name <==`; `yarn logs`
writes each container's logs under `Container: <id> on <host>` and each log under
`LogType:<name>` ... `LogContents:`, closed by `End of LogType:<name>` (the section is
`<container>/<name>`; those lines and the rules around them are headers too).

Such a file is several sources in one: ingest splits it (`split_sections`) into one source per
file named in the headers (`out.txt/error.log`), each holding that file's lines, read by the
format its own lines have, with the line numbers of the whole file. `tail -f` writes a header
again each time it turns to another file: all the sections of one name are one source. The
headers, and the blank line `tail` writes before each, are no entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.headed import sample_text
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import empty_parsed

HEADER = ascii_classes(r"^==> (?P<name>.+) <==$")
_HEADER_RE = re.compile(HEADER, re.ASCII)
# `yarn logs -applicationId ...` (Hadoop's aggregated logs)
_CONTAINER = ascii_classes(r"^Container: (\S+)")
_LOG_TYPE = ascii_classes(r"^LogType: ?(\S+)\s*$")
_YARN_HEADER = ascii_classes(
    r"^(?:Container: \S+|LogAggregationType: |LogType: ?\S+\s*$|LogLastModifiedTime: ?"
    r"|LogLength: ?\d|LogContents:\s*$|End of LogType: ?\S+|[=*]{20,}\s*$)"
)
# The part holding lines before the first header (none where the output is `tail`'s).
BEFORE = "before"


def sniff(sample: Sample) -> float:
    """Return 0.95 when the sample shows headers of two files, or opens with one (`tail` of
    one file names it too with `-v`), else 0."""
    text = sample_text(sample)
    if "LogType:" in text and "LogContents:" in text:
        return 0.95 if any(line.startswith("LogContents:") for line in sample.lines) else 0.0
    if "==> " not in text:
        return 0.0
    names = {m["name"] for m in (_HEADER_RE.match(line) for line in sample.lines) if m}
    if len(names) >= 2 or (names and _HEADER_RE.match(sample.lines[0])):
        return 0.95
    return 0.0


def _named(lines: pl.DataFrame) -> pl.DataFrame:
    """Return `lines` with the name of the section each line is in (`section`, null before the
    first header) and whether the line is a header."""
    text = lines["text"]
    if not text.str.contains(_LOG_TYPE).any():
        name = text.str.extract(HEADER, 1)
        return lines.with_columns(section=name.forward_fill(), header=name.is_not_null())
    container = text.str.extract(_CONTAINER, 1).forward_fill().fill_null("")
    log_type = text.str.extract(_LOG_TYPE, 1)
    name = pl.select(
        pl.when(log_type.is_not_null()).then(
            pl.when(container != "").then(container + "/" + log_type).otherwise(log_type)
        )
    ).to_series()
    return lines.with_columns(
        section=name.forward_fill(), header=text.str.contains(_YARN_HEADER).fill_null(False)
    )


def split_sections(
    lines: pl.DataFrame, note: Callable[[str], None] | None = None
) -> list[tuple[str, pl.DataFrame]]:
    """Return one (name, lines) pair per file named in the headers, in the order they first
    show, without the headers; lines before the first header under BEFORE."""
    if lines.height == 0:
        return []
    frame = _named(lines).filter(~pl.col("header"))
    frame = frame.with_columns(pl.col("section").fill_null(BEFORE))
    out = []
    for name in frame["section"].unique(maintain_order=True).to_list():  # a few files
        own = frame.filter(pl.col("section") == name).select("line", "text")
        if own["text"].str.strip_chars().str.len_chars().sum() == 0:
            continue  # only the blank lines `tail` writes before a header
        out.append((_part_name(name), own))
    return out


def _part_name(name: str) -> str:
    """Return the part's name: the file as the header names it, without a leading `/` (the
    part's name follows the source's and a `/`)."""
    return name.strip().lstrip("/") or BEFORE


def parse_sections(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return the entries of all sections as plain text, with a `file` field.

    Ingest does not call this (it splits the file into its sections, see the module); it reads
    such a file where one source is wanted whole.
    """
    from logview.core.reading.parsers.text import parse_text_with

    if lines.height == 0:
        return empty_parsed()
    frame = _named(lines).filter(~pl.col("header"))
    return parse_text_with(frame.select("line", "text"), "file", frame["section"], ctx)


FORMATS: list[Format] = [
    Format(
        "sections",
        "Several files under ==> name <== headers (or yarn logs' LogType: headers)",
        sniff,
        parse_lines=parse_sections,
        split_lines=split_sections,
    )
]

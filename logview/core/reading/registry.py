"""The registry of formats: every built-in format in the order sniffing tries them, looking
one up by name, and detection (the best-scoring format for a sample of a source).

The contract the parsers implement (`Format`, `ParseContext`, `Sample`) and the helpers
their sniffers share live in `formats`; the parsers import that, and this module imports the
parsers: no circle.
"""

from __future__ import annotations

from collections.abc import Sequence

from logview.core.reading.formats import Detection, Format, Sample, matches_name
from logview.core.shared.errors import LogviewError


def all_formats() -> list[Format]:
    """Return every known format, most specific first."""
    from logview.core.reading.parsers import (  # here: the parsers import the contract
        access,
        auditd,
        cisco,
        cloudwatch,
        cmtrace,
        compose,
        container,
        csvfile,
        daemontools,
        eclipse,
        evtx,
        glog,
        ibmmq,
        java,
        journal_export,
        json_documents,
        jsonlines,
        logcat,
        logfmt,
        macos,
        mongodb,
        mysql,
        polycom,
        postgres,
        records,
        redis,
        sections,
        setupapi,
        syslog,
        text,
        uwsgi,
        w3c,
        weblogic,
        xml_records,
    )

    formats: list[Format] = []
    for module in (
        evtx,
        cloudwatch,
        cmtrace,
        container,
        compose,
        sections,
        w3c,
        mongodb,
        journal_export,
        jsonlines,
        json_documents,
        xml_records,
        csvfile,
        cisco,
        syslog,
        access,
        logcat,
        macos,
        java,
        mysql,
        postgres,
        redis,
        polycom,
        eclipse,
        glog,
        daemontools,
        auditd,
        weblogic,
        uwsgi,
        ibmmq,
        setupapi,
        records,
        logfmt,
        text,
    ):
        formats.extend(module.FORMATS)
    return formats


def by_name(name: str, extra: Sequence[Format] = ()) -> Format:
    """Return the format called `name` among the built-in ones and `extra` (the user's), or
    raise LogviewError listing the known names."""
    formats = [*extra, *all_formats()]
    for fmt in formats:
        if fmt.name == name:
            return fmt
    known = ", ".join(f.name for f in formats)
    raise LogviewError(f"unknown format {name!r} (known: {known})")


def sniff(
    sample: Sample, *, binary_only: bool = False, extra: Sequence[Format] = ()
) -> Detection | None:
    """Return the best-scoring format for `sample`, or None when nothing scores above zero.

    `extra` formats (the user's) are tried before the built-in ones, so they win a tie; a
    format one of whose globs matches the source's name wins outright (confidence 1). With
    `binary_only`, only formats that read raw bytes are tried (before text decoding).
    """
    return _best(sample, [f for f in (*extra, *all_formats()) if binary_only == f.binary])


def sniff_lines(sample: Sample, extra: Sequence[Format] = ()) -> Detection | None:
    """Return the best-scoring format for `sample` among those that read lines and split
    nothing: what the lines of one part of a split source are read with."""
    candidates = [f for f in (*extra, *all_formats()) if f.parse_lines and not f.split_lines]
    return _best(sample, candidates)


def _best(sample: Sample, candidates: list[Format]) -> Detection | None:
    for fmt in candidates:
        if fmt.globs and matches_name(fmt.globs, sample.name):
            return Detection(fmt, 1.0)
    best: Detection | None = None
    for fmt in candidates:
        score = fmt.sniff(sample)
        if score > 0 and (best is None or score > best.confidence):
            best = Detection(fmt, score)
    return best

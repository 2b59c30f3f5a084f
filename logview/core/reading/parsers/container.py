"""Container logs: Docker's json-file driver and the Kubernetes CRI log format.

Both split one long line of application output into several records (Docker at 16 KiB,
CRI with a `P` tag) and both interleave stdout and stderr, so partial records are joined
per stream: a record continues the previous record *of its stream* when that one was not
complete. Multi-line application output arrives as one complete record per line and stays
one entry per line, but for a stack trace's lines, a moment after the message above in the
same stream (see `frames`): they join it.
"""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading.entries import join_continuations
from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.fields import cap_extras, extras_frame, parse_stamps, scaled
from logview.core.reading.parsers.frames import (
    FRAME_GAP_US,
    FRAME_LOOK,
    frame_regex,
    stack_frames,
)
from logview.core.reading.parsers.json_objects import object_share, read_json_objects
from logview.core.reading.parsers.jsonlines import parse_json_lines
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import empty_parsed

# Internal column names of the record frame; extras travel as _x0, _x1, ... and are renamed
# back at the end, so a field can never collide with them.
_LINE, _TEXT, _STAMP, _STREAM, _DONE = "_line", "_text", "_stamp", "_stream", "_done"


def join_partial_records(records: pl.DataFrame) -> pl.DataFrame:
    """Return one row per entry from records with `_line _text _stamp _stream _done` (+ extras).

    A record whose previous record in the same `_stream` was not `_done` continues that
    record's entry: texts are concatenated as is, the other columns come from the first
    record. Records with a null stream are always entries of their own.
    """
    if records.height == 0:
        return records
    previous_done = pl.col(_DONE).shift(1).over(_STREAM).fill_null(True)
    starts = previous_done | pl.col(_STREAM).is_null()
    marked = records.with_columns(_start=starts).with_columns(
        _entry=pl.col("_start").cum_sum().over(_STREAM)
    )
    alone = pl.col("_start") & (pl.col(_DONE) | pl.col(_STREAM).is_null())
    singles = marked.filter(alone).drop("_start", "_entry")
    if singles.height == records.height:
        return singles
    # Only the entries made of several records go through the (slower) group-by.
    others = [c for c in records.columns if c not in (_TEXT, _STREAM)]
    joined = (
        marked.filter(~alone)
        .group_by(_STREAM, "_entry", maintain_order=True)
        .agg(*[pl.col(c).first() for c in others], pl.col(_TEXT).str.join(""))
        .select(records.columns)
        .sort(_LINE)
    )
    return singles.merge_sorted(joined, key=_LINE)


def _strip_newline(expr: pl.Expr) -> pl.Expr:
    return expr.str.strip_suffix("\n").str.strip_suffix("\r")


def _entries(joined: pl.DataFrame, extra_names: list[str], ctx: ParseContext) -> pl.DataFrame:
    """Return the parsed frame from joined records (`_x<i>` columns named by `extra_names`)."""
    core = joined.select(
        parse_stamps(joined[_STAMP], ctx, zone_known=True),
        pl.lit(None, dtype=pl.String).alias("level"),
        pl.col(_LINE).cast(pl.UInt64).alias("line"),
        pl.col(_TEXT).alias("message"),
    )
    extras = joined.select([f"_x{i}" for i in range(len(extra_names))])
    extras.columns = extra_names
    frame = _json_payloads(core.hstack(extras_frame(cap_extras(extras, ctx))), ctx)
    return _stacks_joined(frame, joined[_STREAM])


def _stacks_joined(frame: pl.DataFrame, stream: pl.Series) -> pl.DataFrame:
    """Return `frame` with the records that are a stack trace's lines (a marker line, an
    exception's name, then the frames indented after it), each a moment after the record
    above in the same stream, joined to the entry they follow."""
    close = (
        (stream == stream.shift(1))
        & frame["ts"].diff().dt.total_microseconds().is_between(0, FRAME_GAP_US)
    ).fill_null(False)
    if not close.any():
        return frame
    after = frame["message"].str.slice(0, FRAME_LOOK)
    frames = stack_frames(after, close, frame_regex(1), marked_first=True)
    if not frames.any():
        return frame
    joined = join_continuations(frame.rename({"message": "text"}), pl.lit(~frames))
    return joined.rename({"text": "message"})


def _json_payloads(frame: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return `frame` with the messages that are JSON objects read as JSON lines are (level,
    message, fields), when most of its messages are: a container's application logging JSON
    to its standard output. The container's stamp stays the entry's."""
    objects = frame["message"].str.strip_chars_start().str.starts_with("{")
    if frame.height == 0 or objects.sum() * 2 < frame.height:
        return frame
    lines = pl.DataFrame({"line": frame["line"], "text": frame["message"]})
    payload = parse_json_lines(lines, ctx, runs=False)
    read = objects & (
        (payload["message"] != frame["message"]).fill_null(False) | payload["level"].is_not_null()
    )
    if not read.any():
        return frame
    fields = payload.select(c for c in payload.columns if c not in (*frame.columns, "ts"))
    return frame.with_columns(
        level=pl.when(read).then(payload["level"]).otherwise(frame["level"]),
        message=pl.when(read).then(payload["message"]).otherwise(frame["message"]),
    ).hstack(fields.select(pl.when(read).then(pl.col(c)).alias(c) for c in fields.columns))


# --- Docker json-file ----------------------------------------------------------------------


def sniff_docker(sample: Sample) -> float:
    """Return 0.97 when the sampled lines are JSON objects with `log`, `stream` and `time`."""
    return scaled(object_share(sample, lambda o: {"log", "stream", "time"} <= o.keys()), 0.97)


def parse_docker(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per completed Docker record: partial 16 KiB records are joined.

    `message` is the `log` text without its final newline; `stream` and any other fields
    (`attrs.*`) become extras. Lines that are not Docker records are entries of their own.
    """
    if lines.height == 0:
        return empty_parsed()
    objects = read_json_objects(lines["text"])
    fields = objects.fields
    n = lines.height
    nulls = pl.Series([None] * n, dtype=pl.String)
    log = fields["log"] if "log" in fields.columns else nulls
    stream = fields["stream"] if "stream" in fields.columns else nulls
    extra_names = [c for c in fields.columns if c not in ("log", "time")]
    records = pl.DataFrame(
        {
            _LINE: lines["line"],
            _TEXT: log.fill_null(lines["text"]),
            _STAMP: fields["time"] if "time" in fields.columns else nulls,
            # Lines that are not records get a null stream, which makes them entries alone.
            _STREAM: pl.select(pl.when(log.is_not_null()).then(stream.fill_null(""))).to_series(),
            _DONE: log.str.ends_with("\n").fill_null(True),
            **{f"_x{i}": fields[c] for i, c in enumerate(extra_names)},
        }
    )
    joined = join_partial_records(records).with_columns(_strip_newline(pl.col(_TEXT)))
    return _entries(joined, extra_names, ctx)


# --- Kubernetes CRI ------------------------------------------------------------------------

# `<RFC 3339 stamp> <stream> <tag>[:<more tags>] <message>`; the message may be empty.
CRI_LINE = ascii_classes(r"^(\d{4}-\d{2}-\d{2}T\S+) (stdout|stderr) ([FP])(?::\S*)?(?: (.*))?$")
_CRI_RE = re.compile(CRI_LINE)


def sniff_cri(sample: Sample) -> float:
    """Return 0.95 when at least 80% of the sampled lines are CRI records, less with fewer."""
    if not sample.lines:
        return 0.0
    share = sum(1 for line in sample.lines if _CRI_RE.match(line)) / len(sample.lines)
    return scaled(share, 0.95)


def parse_cri(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per CRI record, with `P` (partial) records joined into the next `F`.

    `stream` is an extra column; lines that are not CRI records are entries of their own.
    """
    if lines.height == 0:
        return empty_parsed()
    parts = lines["text"].str.extract_groups(CRI_LINE).struct.unnest()
    matched = parts["1"].is_not_null()
    records = pl.DataFrame(
        {
            _LINE: lines["line"],
            _TEXT: pl.select(
                pl.when(matched).then(parts["4"].fill_null("")).otherwise(lines["text"])
            ).to_series(),
            _STAMP: parts["1"],
            _STREAM: parts["2"],
            _DONE: (parts["3"] != "P").fill_null(True),
            "_x0": parts["2"],
        }
    )
    return _entries(join_partial_records(records), ["stream"], ctx)


FORMATS: list[Format] = [
    Format("docker", "Docker json-file", sniff_docker, parse_lines=parse_docker),
    Format("cri", "Kubernetes CRI", sniff_cri, parse_lines=parse_cri),
]

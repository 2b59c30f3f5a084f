"""AWS CloudWatch Logs: Logs Insights exports (CSV, JSON), `aws logs` JSON output, S3 exports.

Messages keep their text as written (a message that is itself JSON stays JSON text), less one
trailing newline, which Lambda and most agents append to every event.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import polars as pl

from logview.core.reading.entries import join_continuations
from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.fields import (
    LEVEL_KEYS,
    cap_extras,
    extras_frame,
    find_key,
    level_names,
    parse_stamps,
)
from logview.core.shared.errors import LogviewError
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS, empty_parsed


def _strip_newline(expr: pl.Expr) -> pl.Expr:
    return expr.str.strip_suffix("\n").str.strip_suffix("\r")


def _entries(
    fields: pl.DataFrame,
    line: pl.Series,
    ctx: ParseContext,
    *,
    ts_key: str,
    message_key: str,
    level_key: str | None = None,
) -> pl.DataFrame:
    """Return the parsed frame from String `fields`: chosen keys as core columns, rest extras.

    Without a message field (a query that selected other fields), `message` is the other
    fields as `key=value` pairs, so that the entry still reads as text.
    """
    n = line.len()
    no_text = pl.Series([None] * n, dtype=pl.String)
    used = {ts_key, message_key, level_key}
    others = [c for c in fields.columns if c not in used]
    if ts_key in fields.columns:
        # CloudWatch stamps are UTC whether or not they say so.
        ts = parse_stamps(fields[ts_key], ctx, zone_known=True)
    else:
        ts = pl.Series("ts", [None] * n, dtype=TS)
    if message_key in fields.columns:
        message = fields.select(_strip_newline(pl.col(message_key))).to_series()
    elif others:
        pairs = [pl.lit(f"{c}=") + pl.col(c) for c in others]
        message = fields.select(pl.concat_str(pairs, separator=" ", ignore_nulls=True)).to_series()
    else:
        message = no_text
    level = fields.select(level_names(pl.col(level_key))).to_series() if level_key else no_text
    core = pl.DataFrame(
        [ts, level.rename("level"), line.cast(pl.UInt64).rename("line"), message.rename("message")]
    )
    return core.hstack(extras_frame(cap_extras(fields.select(others), ctx)))


# --- Logs Insights CSV ---------------------------------------------------------------------


def _csv_header(sample: Sample) -> list[str]:
    if not sample.lines:
        return []
    try:
        return next(csv.reader([sample.lines[0]]))
    except (csv.Error, StopIteration):
        return []


def sniff_insights_csv(sample: Sample) -> float:
    """Return 0.97 when the first line is a CSV header naming `@timestamp` and `@message`."""
    header = _csv_header(sample)
    return 0.97 if "@timestamp" in header and "@message" in header else 0.0


def parse_insights_csv(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per CSV record of a Logs Insights export.

    `line` is the physical line where the record starts: 2 for the first record, then one
    more per record plus the newlines inside its quoted cells (blank lines between records,
    which polars skips, are not counted).
    """
    if not data.strip():
        return empty_parsed()
    fields = pl.read_csv(io.BytesIO(data), infer_schema=False)
    if fields.height == 0:
        return empty_parsed()
    newlines = pl.sum_horizontal(
        [pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in fields.columns]
    )
    line = fields.select(
        (2 + (newlines + 1).cum_sum().shift(1, fill_value=0)).cast(pl.UInt64)
    ).to_series()
    level_key = find_key(
        [c for c in fields.columns if c not in ("@timestamp", "@message")], LEVEL_KEYS
    )
    return _entries(
        fields, line, ctx, ts_key="@timestamp", message_key="@message", level_key=level_key
    )


# --- JSON documents: Logs Insights JSON export, get-query-results, aws logs *-log-events ---


_SPACE = re.compile(r"\s*")


def load_documents(data: bytes) -> list[Any]:
    """Return the JSON documents in `data`: usually one, several when pages were concatenated."""
    text = data.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    position = _SPACE.match(text).end()  # type: ignore[union-attr]
    while position < len(text):  # one round per document, not per record
        try:
            document, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as err:
            raise LogviewError(
                f"not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
            ) from err
        documents.append(document)
        position = _SPACE.match(text, end).end()  # type: ignore[union-attr]
    return documents


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def records_frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    """Return `records` as a frame of String columns (nested values as JSON text).

    A loop over records: CloudWatch caps what these documents hold (10,000 Insights results,
    10,000 events or 1 MB per page), and the records are Python objects already.
    """
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    return pl.DataFrame(
        {name: [_as_text(record.get(name)) for record in records] for name in names},
        schema=dict.fromkeys(names, pl.String),
    )


def _query_result_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    rows = document.get("results") or []
    return [
        {
            cell["field"]: cell.get("value")
            for cell in row
            if isinstance(cell, dict) and "field" in cell
        }
        for row in rows
        if isinstance(row, list)
    ]


def _insights_records(documents: list[Any]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for document in documents:
        if isinstance(document, list):
            # A value that is not an object still is a result: keep it as the message.
            records.extend(
                item if isinstance(item, dict) else {"@message": _as_text(item)}
                for item in document
            )
        elif isinstance(document, dict) and "results" in document:
            records.extend(_query_result_rows(document))
        elif isinstance(document, dict):
            records.append(document)
    return records


def _record_entries(
    records: list[dict[str, Any]], ctx: ParseContext, *, ts_key: str, message_key: str
) -> pl.DataFrame:
    if not records:
        return empty_parsed()
    fields = records_frame(records)
    line = pl.int_range(1, len(records) + 1, dtype=pl.UInt64, eager=True)
    level_key = find_key([c for c in fields.columns if c not in (ts_key, message_key)], LEVEL_KEYS)
    return _entries(fields, line, ctx, ts_key=ts_key, message_key=message_key, level_key=level_key)


_INSIGHTS_ARRAY = re.compile(rb"^\s*\[\s*\{")
_QUERY_RESULTS = re.compile(rb'^\s*\{\s*"results"\s*:\s*\[\s*(\[\s*(\{\s*"field"\s*:|\])|\])')
_EVENTS = re.compile(rb'^\s*\{\s*"events"\s*:\s*\[')


def sniff_insights_json(sample: Sample) -> float:
    """Return 0.97 for a JSON array of `@timestamp`/`@message` objects or get-query-results."""
    head = sample.head
    if _INSIGHTS_ARRAY.match(head) and b'"@timestamp"' in head and b'"@message"' in head:
        return 0.97
    if _QUERY_RESULTS.match(head):
        return 0.97
    return 0.0


def parse_insights_json(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per Logs Insights result; `line` is the result's number."""
    records = _insights_records(load_documents(data))
    return _record_entries(records, ctx, ts_key="@timestamp", message_key="@message")


def sniff_log_events(sample: Sample) -> float:
    """Return 0.97 for `aws logs filter-log-events` or `get-log-events` JSON output."""
    head = sample.head
    if not _EVENTS.match(head):
        return 0.0
    if b'"nextForwardToken"' in head or b'"searchedLogStreams"' in head:
        return 0.97
    event_keys = (b'"timestamp"', b'"message"', b'"ingestionTime"')
    return 0.97 if all(key in head for key in event_keys) else 0.0


def parse_log_events(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per event (stamp in ms); `line` is the event's number."""
    records: list[dict[str, Any]] = []
    for document in load_documents(data):
        if not isinstance(document, dict) or not isinstance(document.get("events"), list):
            raise LogviewError('not aws logs output: no "events" list at the top')
        records.extend(e for e in document["events"] if isinstance(e, dict))
    return _record_entries(records, ctx, ts_key="timestamp", message_key="message")


# --- S3 export lines -----------------------------------------------------------------------

S3_LINE = ascii_classes(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) ")
_S3_LINE_RE = re.compile(S3_LINE)
# CloudWatch names the objects of an export 000000.gz, 000001.gz, ... under the stream's folder.
_S3_NAME = re.compile(r"(^|[/\\])\d{6}(\.gz)?$")


def sniff_s3_export(sample: Sample) -> float:
    """Return 0.9 for an export object (`000000.gz`) whose lines start with an ISO `...Z ` stamp.

    At least 90% of the sampled lines that are not indented must, and the first one must.
    """
    if not sample.lines or not _S3_NAME.search(sample.name):
        return 0.0
    # Indented lines (stack frames) belong to the event above: they are not counted.
    heads = [line for line in sample.lines if not line[:1].isspace()]
    share = sum(1 for line in heads if _S3_LINE_RE.match(line)) / len(heads) if heads else 0.0
    return 0.9 if share >= 0.9 and _S3_LINE_RE.match(sample.lines[0]) else 0.0


def parse_s3_export(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per stamped line, with the unstamped lines below it joined in."""
    if lines.height == 0:
        return empty_parsed()
    entries = join_continuations(lines.select("line", "text"), pl.col("text").str.contains(S3_LINE))
    parts = entries["text"].str.extract_groups(r"(?s)" + S3_LINE + r"(.*)$").struct.unnest()
    stamped = parts["1"].is_not_null()
    return pl.DataFrame(
        [
            parse_stamps(parts["1"], ctx, zone_known=True),
            pl.Series("level", [None] * entries.height, dtype=pl.String),
            entries["line"].cast(pl.UInt64),
            pl.select(pl.when(stamped).then(parts["2"]).otherwise(entries["text"]))
            .to_series()
            .rename("message"),
        ]
    )


FORMATS: list[Format] = [
    Format("cloudwatch-csv", "CloudWatch Insights CSV", sniff_insights_csv,
           parse_document=parse_insights_csv),
    Format("cloudwatch-json", "CloudWatch Insights JSON", sniff_insights_json,
           parse_document=parse_insights_json),
    Format("aws-logs-json", "aws logs JSON", sniff_log_events, parse_document=parse_log_events),
    Format("cloudwatch-s3", "CloudWatch S3 export", sniff_s3_export, parse_lines=parse_s3_export),
]  # fmt: skip

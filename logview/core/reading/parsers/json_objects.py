"""JSON objects read from lines, shared by the JSON formats (JSON lines, journald, container
payloads, MongoDB, JSON documents).

Lines are parsed by polars' NDJSON reader, not by Python, with every leaf read as text, so
numbers, booleans and lists arrive as their JSON text. Nested objects become dotted columns
(`req.id`). The schema (keys, and which values are objects) is learnt from a sample of the lines;
a cheap check on every line then proves that it holds no key the sample lacked (see
`_unproven`), and only the lines it cannot prove are read once more to learn their keys. Where
that fails, the schema is learnt from every line.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from logview.core.reading.formats import Sample
from logview.core.shared.regex import ascii_classes

# Below this many lines, a schema conflict is resolved by Python's json module rather than by
# splitting the lines further.
_SMALL_CHUNK = 256
# Lines read with Python's json module to learn the order of the keys as written.
_ORDER_SAMPLE = 20
# Lines (the first ones, and as many spread over the rest) whose schema is taken as the guess
# to read every line with, and the share of them the check may leave unproven before the
# guess is given up for a schema learnt from every line.
_SCHEMA_SAMPLE = 1000
_MAX_UNPROVEN = 0.5


@dataclass(frozen=True)
class JsonObjects:
    """Lines read as JSON objects: which lines were objects, and their fields as text columns."""

    is_object: pl.Series  # Boolean, one per line
    fields: pl.DataFrame  # one row per line (all null where not an object); dotted key paths
    top_level: frozenset[str]  # fields that are top-level keys (not inside a nested object)


def read_json_objects(texts: pl.Series) -> JsonObjects:
    """Return the JSON objects among `texts` (one line each) with their fields flattened.

    Lines that are not a JSON object (a banner, a stack trace printed between JSON lines, a
    malformed line) get is_object false and null fields. Every field is a String column.
    """
    n = texts.len()
    candidate = texts.str.starts_with("{").fill_null(False)
    if n and candidate.all():
        # Every line starts an object: stripping can only remove trailing whitespace, which
        # the reader skips (or refuses, and then the lines are stripped below).
        rows = texts
    else:
        stripped = texts.str.strip_chars()
        candidate = stripped.str.starts_with("{").fill_null(False)
        rows = stripped.filter(candidate)
    parsed = _read_with_sampled_schema(rows)
    if parsed is None:
        if rows is texts:
            rows = texts.str.strip_chars()
        parsed, rows, candidate = _read_with_full_schema(rows, candidate)
    top_level = frozenset(c for c, t in parsed.schema.items() if not isinstance(t, pl.Struct))
    flat = _in_written_order(flatten_structs(parsed), rows)
    if rows.len() == n:
        return JsonObjects(candidate, flat, top_level)
    positions = candidate.arg_true()
    aligned = [
        pl.repeat(None, n, dtype=pl.String, eager=True).rename(c).scatter(positions, flat[c])
        for c in flat.columns
    ]
    return JsonObjects(candidate, pl.DataFrame(aligned), top_level)


def _read_with_full_schema(
    rows: pl.Series, candidate: pl.Series
) -> tuple[pl.DataFrame, pl.Series, pl.Series]:
    """Return (fields, rows read, candidate) with the schema learnt from every row.

    Rows that are not valid JSON are dropped from `rows` and from `candidate`.
    """
    try:
        return _read_rows(rows, _string_schema(_polars_schema(rows))), rows, candidate
    except pl.exceptions.PolarsError:
        pass
    # A malformed line or a key that is an object in one line and not in another: find the
    # valid lines (slower, so only now) and learn the schema piece by piece.
    valid_rows = rows.str.json_path_match("$").is_not_null()
    candidate = candidate.scatter(candidate.arg_true(), valid_rows)
    rows = rows.filter(valid_rows)
    try:
        parsed = _read_rows(rows, _string_schema(_polars_schema(rows)))
    except pl.exceptions.SchemaError:
        parsed = _read_rows(rows, _string_schema(_schema_in_pieces(rows)))
    return parsed, rows, candidate


def _read_with_sampled_schema(rows: pl.Series) -> pl.DataFrame | None:
    """Return `rows` read with the schema of a sample, or None where that is not proven right.

    The result is the frame a schema learnt from every row would read: `_unproven` finds the
    rows that may hold a key the schema lacks, or an object where it has a leaf, and only
    those rows are added to the sample the schema is learnt from. None when the sample
    itself is mostly unproven (keys with null values, say), or when a read fails (malformed
    lines, a key that is an object in some rows only): the caller then learns the schema
    from every row.
    """
    n = rows.len()
    if n == 0:
        return None
    sample = rows.head(_SCHEMA_SAMPLE)
    if n > _SCHEMA_SAMPLE:
        spread = rows.gather_every(max(1, n // _SCHEMA_SAMPLE), offset=_SCHEMA_SAMPLE)
        sample = pl.concat([sample, spread])
    try:
        schema = _string_schema(_polars_schema(sample))
        if not schema or _unproven(sample, _read_rows(sample, schema)).mean() > _MAX_UNPROVEN:  # type: ignore[operator]
            return None
        parsed = _read_rows(rows, schema)
        unproven = _unproven(rows, parsed)
        if unproven.any():
            wider = _string_schema(_polars_schema(pl.concat([sample, rows.filter(unproven)])))
            if wider != schema:
                parsed = _read_rows(rows, wider)
    except pl.exceptions.PolarsError:
        return None
    return parsed


def _unproven(rows: pl.Series, parsed: pl.DataFrame) -> pl.Series:
    """Return, per row, whether it may hold a key or an object that `parsed`'s schema lacks.

    False proves that the row holds only keys of the schema, with an object wherever the
    schema has one and a leaf (text, number, list, null) wherever it has a leaf. The proof
    counts colons: outside strings, JSON has one after each key and nowhere else, and a
    string's colons survive reading, so a row whose colons are all accounted for by the keys
    read with a value and by the colons in those values has no other key. An object read
    into a leaf comes back as its JSON text, which starts with `{`. Rows are left unproven
    (never wrongly proven) by keys with a null value, repeated keys, a string that merely
    starts with `{`, and a colon written as `\\u003a`, which reading would add.
    """
    counted: list[pl.Expr] = []
    objects: list[pl.Expr] = []
    for name, dtype in parsed.schema.items():
        _colon_terms(pl.col(name), name, dtype, counted, objects)
    text = pl.lit(rows)
    written = text.str.count_matches(":", literal=True)
    escaped = text.str.contains("\\u003", literal=True)  # `\\u003a`, and a few more
    return parsed.select(
        (pl.sum_horizontal(counted) != written) | pl.any_horizontal(objects) | escaped
    ).to_series()


def _colon_terms(
    expr: pl.Expr, key: str, dtype: pl.DataType, counted: list[pl.Expr], objects: list[pl.Expr]
) -> None:
    """Add the colons `key` accounts for to `counted`, and its objects read as text to `objects`."""
    present = expr.is_not_null()
    if isinstance(dtype, pl.Struct):
        counted.append(pl.when(present).then(1 + key.count(":")).otherwise(0))
        for field in dtype.fields:
            _colon_terms(expr.struct.field(field.name), field.name, field.dtype, counted, objects)
        return
    inner = expr.str.count_matches(":", literal=True) + (1 + key.count(":"))
    counted.append(pl.when(present).then(inner).otherwise(0))
    objects.append(expr.str.starts_with("{").fill_null(False))


def _in_written_order(fields: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """Return `fields` with the columns in the order their keys are first written in `rows`.

    polars' schema inference does not keep the order of the keys in the file. The first
    objects give the order of their keys; a key first written later follows, in the order of
    the row that first gives it a value; keys that never have one come last, by name.
    """
    order: dict[str, None] = {}
    for row in rows.head(_ORDER_SAMPLE).str.strip_chars():  # a few lines only
        _add_key_paths(row, order)
    late = [c for c in fields.columns if c not in order]
    if late:
        first = fields.select(pl.col(late).is_not_null().arg_true().first()).row(0)
        # One line per distinct first row of a late key: at most one per column.
        for index in sorted({i for i in first if i is not None}):
            _add_key_paths(rows[index].strip(), order)
    rank = {path: i for i, path in enumerate(order)}
    ranked = sorted(fields.columns, key=lambda c: (c not in rank, rank.get(c, 0), c))
    return fields.select(ranked)


def _add_key_paths(row: str, order: dict[str, None]) -> None:
    try:
        value = json.loads(row)
    except ValueError:
        return
    if isinstance(value, dict):
        _key_paths(value, "", order)


def _key_paths(obj: dict[str, Any], prefix: str, order: dict[str, None]) -> None:
    for key, value in obj.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            _key_paths(value, f"{path}.", order)
        else:
            order.setdefault(path)


def _as_ndjson(rows: pl.Series) -> io.BytesIO:
    # write_csv without quoting is the fastest way found to join a column with newlines
    # (~10x faster than str.join); rows never hold a newline, being lines.
    buffer = io.BytesIO()
    pl.DataFrame({"row": rows}).write_csv(buffer, include_header=False, quote_style="never")
    buffer.seek(0)
    return buffer


def _polars_schema(rows: pl.Series) -> dict[str, pl.DataType]:
    if rows.len() == 0:
        return {}
    return dict(pl.scan_ndjson(_as_ndjson(rows), infer_schema_length=None).collect_schema())


def _read_rows(rows: pl.Series, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if rows.len() == 0 or not schema:
        return pl.DataFrame(schema=schema)
    frame = pl.read_ndjson(_as_ndjson(rows), schema=schema)
    if frame.height != rows.len():
        raise pl.exceptions.ComputeError(f"{frame.height} objects read from {rows.len()} lines")
    return frame


def _string_schema(schema: dict[str, pl.DataType]) -> dict[str, pl.DataType]:
    """Return `schema` with every leaf as String; nested objects stay structs."""
    return {name: _string_dtype(dtype) for name, dtype in schema.items()}


def _string_dtype(dtype: pl.DataType) -> pl.DataType:
    if isinstance(dtype, pl.Struct) and dtype.fields:
        return pl.Struct({f.name: _string_dtype(f.dtype) for f in dtype.fields})
    return pl.String()


def _schema_in_pieces(rows: pl.Series) -> dict[str, pl.DataType]:
    """Return a schema whose String-leaf form reads every row, where one-shot inference failed.

    Halves that polars reads are merged as polars' inference merges them (a key that is
    null, or an empty object, in one half takes the other half's type); a key that is an
    object in one half and a value in the other becomes a String (its JSON text). Small
    pieces that still fail go through `json`.
    """
    try:
        schema = _polars_schema(rows)
        # Inference can succeed with a schema the read then refuses.
        _read_rows(rows, _string_schema(schema))
        return schema
    except pl.exceptions.SchemaError:
        if rows.len() <= _SMALL_CHUNK:
            return _python_schema(rows)
    half = rows.len() // 2
    return _merge_schemas(_schema_in_pieces(rows[:half]), _schema_in_pieces(rows[half:]))


def _python_schema(rows: pl.Series) -> dict[str, pl.DataType]:
    # A loop over at most _SMALL_CHUNK lines, only for lines polars could not type together.
    schema: dict[str, pl.DataType] = {}
    for row in rows:
        schema = _merge_schemas(schema, _value_schema(json.loads(row)))
    return schema


def _value_schema(obj: dict[str, Any]) -> dict[str, pl.DataType]:
    return {key: _value_dtype(v) for key, v in obj.items()}


def _value_dtype(value: Any) -> pl.DataType:
    # The types polars' inference gives, as far as `_string_dtype` tells them apart.
    if value is None:
        return pl.Null()
    if isinstance(value, dict):
        return pl.Struct(_value_schema(value))
    return pl.String()


def _merge_schemas(a: dict[str, pl.DataType], b: dict[str, pl.DataType]) -> dict[str, pl.DataType]:
    merged = dict(a)
    for name, dtype in b.items():
        merged[name] = _merge_dtypes(merged[name], dtype) if name in merged else dtype
    return merged


def _merge_dtypes(a: pl.DataType, b: pl.DataType) -> pl.DataType:
    if isinstance(a, pl.Null):
        return b
    if isinstance(b, pl.Null):
        return a
    if isinstance(a, pl.Struct) and isinstance(b, pl.Struct):
        fields = _merge_schemas(
            {f.name: f.dtype for f in a.fields}, {f.name: f.dtype for f in b.fields}
        )
        return pl.Struct(fields)
    return pl.String()


def flatten_structs(frame: pl.DataFrame) -> pl.DataFrame:
    """Return `frame` with struct columns replaced by their fields, named `parent.child`.

    Two paths that flatten to the same name (a key `"a.b"` in some lines, `{"a": {"b": ..}}`
    in others) are merged into one column.
    """
    exprs: dict[str, list[pl.Expr]] = {}
    for name, dtype in frame.schema.items():
        for path, expr in _leaves(pl.col(name), name, dtype):
            exprs.setdefault(path, []).append(expr)
    return frame.select(
        [(e[0] if len(e) == 1 else pl.coalesce(e)).alias(path) for path, e in exprs.items()]
    )


def _leaves(expr: pl.Expr, path: str, dtype: pl.DataType) -> Iterable[tuple[str, pl.Expr]]:
    if isinstance(dtype, pl.Struct):
        for field in dtype.fields:
            yield from _leaves(expr.struct.field(field.name), f"{path}.{field.name}", field.dtype)
    else:
        yield path, expr.cast(pl.String)


@lru_cache(maxsize=4)
def sample_objects(lines: tuple[str, ...]) -> tuple[dict[str, Any] | None, ...]:
    """Return each sampled line as a JSON object, None where it is not one (do not mutate)."""
    out: list[dict[str, Any] | None] = []
    for line in lines:  # at most the 200 sampled lines
        text = line.strip()
        value = None
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError:
                value = None
        out.append(value if isinstance(value, dict) else None)
    return tuple(out)


def object_share(sample: Sample, has_keys: Callable[[dict[str, Any]], bool]) -> float:
    """Return the share of sampled lines that are JSON objects for which `has_keys` holds."""
    if not sample.lines:
        return 0.0
    objects = sample_objects(sample.lines)
    return sum(1 for o in objects if o is not None and has_keys(o)) / len(objects)


def decode_byte_arrays(values: pl.Series) -> pl.Series:
    """Return `values` with JSON arrays of byte values (`[72,105]`) decoded as UTF-8 text.

    journald writes a MESSAGE as such an array when it holds control characters or invalid
    UTF-8; bad bytes become U+FFFD.
    """
    arrays = values.str.contains(ascii_classes(r"^\[\s*(\d+\s*(,\s*\d+\s*)*)?\]$")).fill_null(False)
    if not arrays.any():
        return values
    positions = arrays.arg_true()
    byte_lists = values.filter(arrays).str.json_decode(pl.List(pl.UInt8))
    # A loop over the few array-valued messages only: polars has no lossy bytes-to-UTF-8 cast.
    decoded = [bytes(b).decode("utf-8", errors="replace") for b in byte_lists.to_list()]
    return values.scatter(positions, pl.Series(decoded, dtype=pl.String))


def with_cut_records(texts: pl.Series, objects: JsonObjects) -> JsonObjects:
    """Return `objects` read again with the lines that are a record cut short (a file still
    being written, a line cut at a limit) read as the record up to its last whole field, so
    that they keep their stamp and level; `objects` where there are none."""
    if objects.is_object.all():
        return objects
    rows = (~objects.is_object & texts.str.starts_with("{").fill_null(False)).arg_true()
    if not rows.len():
        return objects
    completed = [_completed(line) for line in texts.gather(rows).to_list()]
    if all(c is None for c in completed):
        return objects
    found = pl.Series([c for c in completed if c is not None], dtype=pl.String)
    at = rows.filter(pl.Series([c is not None for c in completed]))
    return read_json_objects(texts.scatter(at, found))


def _completed(line: str) -> str | None:
    """Return a JSON object cut short in `line` closed after its last whole field (the open
    objects and arrays closed), or None where no field is whole or the result is no object."""
    stack: list[str] = []
    in_string = escaped = False
    cut: tuple[int, str] | None = None
    for i, ch in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if not stack:
                return None
            stack.pop()
        elif ch == "," and stack and stack[-1] == "}" and line[i + 1 :].lstrip().startswith('"'):
            cut = (i, "".join(reversed(stack)))  # a field ends here, the next key begins
    if not stack or cut is None:
        return None
    candidate = line[: cut[0]] + cut[1]
    try:
        return candidate if isinstance(json.loads(candidate), dict) else None
    except ValueError:
        return None

"""Bookmarks: the entries, patterns and anomalies a reader marked as mattering, each with an
optional note.

An entry is known by its source and line (its row position changes with every load; its place
in its file does not), a pattern by its id and template (the template finds it again should the
ids of a new mining differ), an anomaly by its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from logview.core.shared.body import body_start, first_line

KINDS = ("entry", "pattern", "anomaly")


@dataclass(frozen=True)
class Bookmark:
    """One marked entry, pattern or anomaly."""

    kind: str  # one of KINDS
    key: str  # entry: "source:line"; pattern: its id; anomaly: its id
    title: str = ""  # what it showed when marked: the entry's text, the template, the anomaly
    note: str = ""
    ts: datetime | None = None  # the entry's stamp, the anomaly's start
    source: str | None = None  # entry: its source
    line: int | None = None  # entry: its line in the source
    pattern: str | None = None  # pattern, and an anomaly's pattern: its id
    template: str | None = None  # ... and its template

    def with_note(self, note: str) -> Bookmark:
        return replace(self, note=note)

    def to_json(self) -> dict[str, Any]:
        """Return the bookmark as JSON values (the investigation file's)."""
        data: dict[str, Any] = {"kind": self.kind, "key": self.key}
        for name in ("title", "note", "source", "line", "pattern", "template"):
            value = getattr(self, name)
            if value not in (None, ""):
                data[name] = value
        if self.ts is not None:
            data["ts"] = self.ts.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Bookmark:
        """Return the bookmark `data` holds; raises ValueError (with what is wrong) else."""
        if not isinstance(data, dict):
            raise ValueError("a bookmark is not an object")
        kind, key = data.get("kind"), data.get("key")
        if kind not in KINDS:
            raise ValueError(f"a bookmark of unknown kind {kind!r}")
        if not isinstance(key, str) or not key:
            raise ValueError("a bookmark without a key")
        texts = {n: data.get(n) for n in ("title", "note", "source", "pattern", "template")}
        for name, value in texts.items():
            if value is not None and not isinstance(value, str):
                raise ValueError(f"a bookmark's {name} is not text")
        line = data.get("line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
            raise ValueError("a bookmark's line is not a number")
        ts = data.get("ts")
        try:
            stamp = datetime.fromisoformat(ts) if isinstance(ts, str) else None
        except ValueError as err:
            raise ValueError(f"a bookmark's time {ts!r} is not ISO 8601") from err
        return cls(
            kind, key, texts["title"] or "", texts["note"] or "", stamp, texts["source"], line,
            texts["pattern"], texts["template"],
        )  # fmt: skip


def entry_key(source: str, line: int) -> str:
    return f"{source}:{line}"


def entry(source: str, line: int, *, title: str = "", ts: datetime | None = None) -> Bookmark:
    """Return a bookmark of the entry at `line` of `source`."""
    return Bookmark("entry", entry_key(source, line), title=title, ts=ts, source=source, line=line)


def entries(table: pl.DataFrame, rows: Sequence[int]) -> list[Bookmark]:
    """Return bookmarks of the entries at table rows `rows` (titled by their body's first
    line, as the Logs table shows them)."""
    if not len(rows):
        return []
    picked = table.select(
        pl.col("ts"),
        pl.col("source").cast(pl.String),
        pl.col("line"),
        first_line(pl.col("message").cast(pl.String).fill_null(""), body_start(table.columns))
        .str.slice(0, TITLE_CHARS)
        .alias("title"),
    )[list(rows)]
    return [
        entry(source, line, title=title, ts=ts)
        for ts, source, line, title in picked.iter_rows()
        if source is not None and line is not None
    ]


TITLE_CHARS = 500  # of an entry's first line kept as its bookmark's title


def pattern(pattern_id: str, template: str) -> Bookmark:
    """Return a bookmark of a pattern."""
    return Bookmark("pattern", pattern_id, title=template, pattern=pattern_id, template=template)


def anomaly(found: Any) -> Bookmark:
    """Return a bookmark of an anomaly (`analysis.anomaly_kinds.Anomaly`)."""
    return Bookmark(
        "anomaly", found.id, title=found.description, ts=found.start, pattern=found.pattern,
        template=found.template,
    )  # fmt: skip


def toggled(bookmarks: Sequence[Bookmark], mark: Bookmark) -> list[Bookmark]:
    """Return `bookmarks` with `mark` added, or without it when one of its kind and key is there."""
    kept = [b for b in bookmarks if (b.kind, b.key) != (mark.kind, mark.key)]
    return kept if len(kept) < len(bookmarks) else [*bookmarks, mark]


def find(bookmarks: Iterable[Bookmark], kind: str, key: str) -> Bookmark | None:
    return next((b for b in bookmarks if (b.kind, b.key) == (kind, key)), None)


def entry_rows(table: pl.DataFrame, bookmarks: Iterable[Bookmark]) -> np.ndarray:
    """Return the table's row positions of the bookmarked entries (UInt32, ascending); an
    entry no longer there (its file changed) has none."""
    marks = [(b.source, b.line) for b in bookmarks if b.kind == "entry" and b.source is not None]
    if not marks or not table.height or "source" not in table.columns:
        return np.empty(0, dtype=np.uint32)
    wanted = pl.DataFrame(
        {"source": [s for s, _ in marks], "line": [n for _, n in marks]},
        schema={"source": pl.String, "line": pl.UInt64},
    )
    # The lines first: a few numbers compared over the whole table, then the sources of the
    # handful of rows left (casting every row's source to text took a while on millions).
    rows = (
        table.lazy()
        .select("source", "line")
        .with_row_index("row")
        .filter(pl.col("line").is_in(wanted["line"].implode()))
        .with_columns(pl.col("source").cast(pl.String))
        .join(wanted.lazy(), on=["source", "line"], how="semi")
        .select("row")
        .collect()["row"]
    )
    return np.sort(rows.to_numpy().astype(np.uint32))


def pattern_of(bookmark: Bookmark, templates: dict[str, str]) -> str | None:
    """Return the id of the pattern `bookmark` marks among `templates` (id -> template): its
    own id while that still has its template, else the id whose template it had, else None."""
    if bookmark.pattern is None:
        return None
    if templates.get(bookmark.pattern) == bookmark.template or bookmark.template is None:
        return bookmark.pattern if bookmark.pattern in templates else None
    return next((i for i, t in templates.items() if t == bookmark.template), None)

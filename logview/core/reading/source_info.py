"""What ingest says about each source: what the user corrected (`SourceOverride`), what was
read (`SourceInfo`, with where following resumes, `TailPoint`), and their JSON form for the
column cache."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from logview.core.reading.header import NO_HEADER, Header, Unit
from logview.core.shared.display import format_span


@dataclass(frozen=True)
class SourceOverride:
    """What the user corrected about one source."""

    format: str | None = None  # a format name instead of the detected one
    tz: str | None = None  # IANA zone for stamps that carry none
    offset: timedelta = timedelta(0)  # clock correction added to every stamp


@dataclass(frozen=True)
class TailPoint:
    """Where reading a plain file stopped, so that following it resumes there.

    The file is known again by its device and inode and by a hash of its first bytes (up to
    the first newline, at most FIRST_BYTES): a rotated, truncated or rewritten file differs in
    one of them.
    """

    offset: int  # bytes read
    lines: int  # physical lines read (the next one is lines + 1)
    device: int
    inode: int
    first_hash: str
    first_len: int


FIRST_BYTES = 1024


def first_line_hash(head: bytes) -> tuple[str, int]:
    """Return the hash of a file's first line (at most FIRST_BYTES of it) and its length."""
    end = head.find(b"\n")
    size = min(len(head) if end < 0 else end + 1, FIRST_BYTES)
    return hashlib.blake2b(head[:size], digest_size=8).hexdigest(), size


@dataclass(frozen=True)
class SourceInfo:
    """One source as read: what it was taken for and what came out of it."""

    name: str
    path: str
    format: str  # a format name, or "skipped" when nothing was read
    format_label: str
    confidence: float
    entries: int
    first: datetime | None
    last: datetime | None
    encoding: str
    notes: tuple[str, ...] = ()
    tail: TailPoint | None = None  # a plain file of a line format, which can be followed
    # The header its entries share after what the parser read (logview.core.reading.header), so that
    # lines appended later are split the same way.
    header: Header = NO_HEADER

    def details(self) -> str:
        """Return, one per line, where the source is, how it was read, and its notes."""
        lines = [self.name, f"file: {self.path}"]
        if self.first is not None:
            lines.append(f"span: {format_span(self.first, self.last)} UTC")
        if self.format == "skipped":
            lines.append("not read")
        else:
            lines.append(
                f"format: {self.format_label} ({self.format}, confidence {self.confidence:.0%})"
            )
            lines.append(f"entries: {self.entries:,}")
            if self.encoding:
                lines.append(f"encoding: {self.encoding}")
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)


def info_to_json(info: SourceInfo) -> dict[str, Any]:
    """Return a SourceInfo as JSON-able values (`info_from_json` reads it back)."""
    out = asdict(info)
    out["first"] = info.first.isoformat() if info.first else None
    out["last"] = info.last.isoformat() if info.last else None
    return out


def info_from_json(data: dict[str, Any]) -> SourceInfo:
    """Return the SourceInfo `info_to_json` gave `data` for; raises on anything else."""
    tail = data.get("tail")
    header = data.get("header") or {}
    alternatives = tuple(
        tuple(Unit(tuple(str(w) for w in u["words"]), str(u["end"])) for u in run)
        for run in header.get("alternatives", ())
    )
    return SourceInfo(
        name=str(data["name"]),
        path=str(data["path"]),
        format=str(data["format"]),
        format_label=str(data["format_label"]),
        confidence=float(data["confidence"]),
        entries=int(data["entries"]),
        first=datetime.fromisoformat(data["first"]) if data["first"] else None,
        last=datetime.fromisoformat(data["last"]) if data["last"] else None,
        encoding=str(data["encoding"]),
        notes=tuple(str(n) for n in data.get("notes", ())),
        tail=TailPoint(**{k: tail[k] for k in TailPoint.__dataclass_fields__}) if tail else None,
        header=Header(alternatives, tuple((str(k), str(r)) for k, r in header.get("forms", ())))
        if alternatives
        else NO_HEADER,
    )

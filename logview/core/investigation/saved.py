"""The investigation file (`.logview`): what an investigation is made of and how far it got,
saved to come back to tomorrow or to hand to a colleague.

JSON with a versioned schema: the sources (their paths, with the size and a hash of the head of
each file, so that a changed or moved file is noticed), how each source is read (overrides),
the view (query, range, sources left out, context, comparison), the baseline's sources, the
query history, the investigation's own suppressions and normal-marks, bookmarks and notes.
Paths are kept absolute and relative to the file: an investigation moved or copied together
with its logs finds them where it lies.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from logview.core.analysis.suppressions import Rule, rules_from_json, rules_to_json
from logview.core.analysis.view import ViewState
from logview.core.investigation.bookmarks import Bookmark, entry_key
from logview.core.reading.source_info import SourceOverride
from logview.core.shared.atomic import write_atomic
from logview.core.shared.errors import LogviewError

VERSION = 1
KIND = "logview investigation"
SUFFIX = ".logview"
HEAD_BYTES = 64 * 1024  # how much of a file's start its hash covers
MAX_BYTES = 64 * 1024 * 1024  # an investigation file is small; a bigger one is not ours


@dataclass(frozen=True)
class SavedSource:
    """A source as it was when the investigation was saved."""

    path: str  # absolute
    size: int | None = None  # None: a folder
    head: str | None = None  # sha256 of its first HEAD_BYTES (None: a folder)
    relative: str | None = None  # the path relative to the investigation file's folder


@dataclass(frozen=True)
class Saved:
    """One investigation, as saved."""

    sources: tuple[SavedSource, ...]
    state: ViewState = field(default_factory=ViewState)
    overrides: dict[str, SourceOverride] = field(default_factory=dict)
    baseline: tuple[str, ...] = ()  # the other sources compared with (state.compare "sources")
    history: tuple[str, ...] = ()  # the query bar's history, oldest first
    suppressions: tuple[Rule, ...] = ()
    bookmarks: tuple[Bookmark, ...] = ()
    notes: str = ""

    @property
    def paths(self) -> list[str]:
        return [s.path for s in self.sources]


@dataclass(frozen=True)
class SourceCheck:
    """What became of one saved source: "ok", "moved" (found beside the file, at `path`),
    "changed" (its size or head differ) or "missing"."""

    saved: SavedSource
    status: str
    path: str  # where it is now (the saved path when missing)

    def message(self) -> str:
        """Return one line on the source for the reader (empty when it is as saved)."""
        if self.status == "moved":
            return f"{self.saved.path} was not there; opened {self.path} instead"
        if self.status == "changed":
            return f"{self.path} changed since the investigation was saved"
        if self.status == "missing":
            return f"{self.saved.path} is missing"
        return ""


def head_hash(path: str | os.PathLike[str]) -> str | None:
    """Return the sha256 of the first HEAD_BYTES of file `path` (None for a folder or an
    unreadable file)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read(HEAD_BYTES)).hexdigest()
    except OSError:
        return None


def source_of(path: str | os.PathLike[str], folder: Path | None = None) -> SavedSource:
    """Return `path` as the investigation keeps it (relative to `folder`, the file's own)."""
    absolute = os.path.abspath(path)
    relative = _relative(absolute, folder) if folder is not None else None
    if os.path.isdir(absolute):
        return SavedSource(absolute, None, None, relative)
    try:
        size = os.path.getsize(absolute)
    except OSError:
        size = None
    return SavedSource(absolute, size, head_hash(absolute), relative)


def _relative(path: str, folder: Path) -> str | None:
    try:
        return os.path.relpath(path, folder)
    except ValueError:  # on another drive (Windows)
        return None


def check(saved: Saved, file: str | os.PathLike[str] | None = None) -> list[SourceCheck]:
    """Return what became of each of `saved`'s sources since it was saved (to `file`, whose
    folder a relative path is read from)."""
    folder = Path(file).resolve().parent if file is not None else None
    return [check_source(source, folder) for source in saved.sources]


def check_source(
    source: SavedSource, folder: Path | None = None, at: str | None = None
) -> SourceCheck:
    """Return what became of `source`: at its path, else beside the file (`folder` holding
    its relative path), or at `at` where the reader pointed (then "moved", or "changed")."""
    path, status = source.path, "ok"
    if at is not None:
        path, status = os.path.abspath(at), "moved"
    elif not os.path.exists(path):
        beside = folder / source.relative if folder and source.relative else None
        if beside is None or not beside.exists():
            return SourceCheck(source, "missing", source.path)
        path, status = str(beside.resolve()), "moved"
    if source.size is not None and not os.path.isdir(path):
        size = os.path.getsize(path) if os.path.exists(path) else None
        if size != source.size or head_hash(path) != source.head:
            status = "changed"
    return SourceCheck(source, status, path)


def relocated(saved: Saved, moves: dict[str, str]) -> Saved:
    """Return `saved` with the sources `moves` names (saved path -> new path) at their new
    places: a moved source the reader pointed at, or one found beside the file. What is
    kept by source name (overrides, sources left out, bookmarked entries) follows: a source
    is named by its path, an archive's member by the archive's path and its own."""
    moves = {old: os.path.abspath(new) for old, new in moves.items()}
    if not moves:
        return saved

    def renamed(name: str) -> str:
        for old, new in moves.items():
            if name == old:
                return new
            for sep in {os.sep, "/"}:
                if name.startswith(old + sep):
                    return new + name[len(old) :]
        return name

    marks = tuple(
        replace(b, source=renamed(b.source), key=entry_key(renamed(b.source), b.line))
        if b.kind == "entry" and b.source is not None and b.line is not None
        else b
        for b in saved.bookmarks
    )
    return replace(
        saved,
        sources=tuple(replace(s, path=moves.get(s.path, s.path)) for s in saved.sources),
        overrides={renamed(name): o for name, o in saved.overrides.items()},
        state=saved.state.with_(excluded=frozenset(renamed(n) for n in saved.state.excluded)),
        bookmarks=marks,
    )


# -- the file -------------------------------------------------------------------------------
def write(path: str | os.PathLike[str], saved: Saved) -> Path:
    """Write `saved` to `path` atomically (the old file or the new one, never half) and
    return the path."""
    target = Path(path)
    folder = target.resolve().parent
    data = {
        "kind": KIND,
        "version": VERSION,
        "sources": [_source_json(s, folder) for s in saved.sources],
        "overrides": {name: _override_json(o) for name, o in saved.overrides.items()},
        "view": _state_json(saved.state),
        "baseline": list(saved.baseline),
        "history": list(saved.history),
        "suppressions": rules_to_json(list(saved.suppressions)),
        "bookmarks": [b.to_json() for b in saved.bookmarks],
        "notes": saved.notes,
    }
    text = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    try:
        return write_atomic(target, lambda handle: handle.write(text))
    except OSError as err:
        raise LogviewError(f"cannot save {target}: {err.strerror or err}") from err


def read(path: str | os.PathLike[str]) -> Saved:
    """Return the investigation saved at `path`; raises LogviewError with one line on what is
    wrong (absent, not an investigation, damaged, from a newer logview)."""
    name = os.fspath(path)
    try:
        if os.path.getsize(name) > MAX_BYTES:
            raise LogviewError(f"cannot open {name}: too big for an investigation file")
        with open(name, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        raise LogviewError(f"cannot open {name}: {err.strerror or err}") from err
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise LogviewError(f"cannot open {name}: not an investigation file (not text)") from err
    except json.JSONDecodeError as err:
        raise LogviewError(
            f"cannot open {name}: damaged (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from err
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise LogviewError(f"cannot open {name}: not a logview investigation file")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise LogviewError(f"cannot open {name}: damaged (version {version!r})")
    if version > VERSION:
        raise LogviewError(
            f"cannot open {name}: saved by a newer logview (investigation version {version}; "
            f"this one reads up to {VERSION})"
        )
    try:
        return _saved(data, Path(name).resolve().parent)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise LogviewError(f"cannot open {name}: damaged ({_reason(err)})") from err


def _reason(err: Exception) -> str:
    if isinstance(err, KeyError):
        return f"{err.args[0]!r} is missing"
    return str(err) or type(err).__name__


def _saved(data: dict[str, Any], folder: Path) -> Saved:
    sources = tuple(_source(s, folder) for s in _list(data, "sources"))
    if not sources:
        raise ValueError("it names no sources")
    overrides = data.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise ValueError("overrides is not an object")
    return Saved(
        sources=sources,
        state=_state(data.get("view") or {}),
        overrides={str(k): _override(v) for k, v in overrides.items()},
        baseline=tuple(_texts(data, "baseline")),
        history=tuple(_texts(data, "history")),
        suppressions=tuple(rules_from_json(_list(data, "suppressions"))),
        bookmarks=tuple(Bookmark.from_json(b) for b in _list(data, "bookmarks")),
        notes=_text(data.get("notes"), "notes"),
    )


def _list(data: dict[str, Any], key: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f"{key} is not a list")
    return value


def _texts(data: dict[str, Any], key: str) -> list[str]:
    return [_text(v, key) for v in _list(data, key)]


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    return value


def _source_json(source: SavedSource, folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = {"path": source.path, "size": source.size, "head": source.head}
    relative = _relative(source.path, folder)
    if relative is not None:
        data["relative"] = relative
    return data


def _source(data: Any, folder: Path) -> SavedSource:
    if isinstance(data, str):
        data = {"path": data}
    path = _text(data["path"], "a source's path")
    if not path:
        raise ValueError("a source without a path")
    size = data.get("size")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool)):
        raise ValueError(f"the size of {path} is not a number")
    relative = data.get("relative")
    if not os.path.isabs(path):  # written by hand: relative to the file
        path = str((folder / path).resolve())
    return SavedSource(
        path, size, data.get("head"), relative if isinstance(relative, str) else None
    )


def _override_json(override: SourceOverride) -> dict[str, Any]:
    return {
        "format": override.format, "tz": override.tz,
        "offset_seconds": override.offset.total_seconds(),
    }  # fmt: skip


def _override(data: Any) -> SourceOverride:
    offset = data.get("offset_seconds") or 0
    if not isinstance(offset, int | float):
        raise ValueError("an override's offset is not a number")
    return SourceOverride(
        _text(data.get("format"), "a format") or None,
        _text(data.get("tz"), "a zone") or None,
        timedelta(seconds=offset),
    )


def _state_json(state: ViewState) -> dict[str, Any]:
    return {
        "query": state.query,
        "start": state.start.isoformat() if state.start else None,
        "end": state.end.isoformat() if state.end else None,
        "excluded": sorted(state.excluded),
        "context": state.context,
        "compare": state.compare,
        "compare_offset_seconds": (
            state.compare_offset.total_seconds() if state.compare_offset is not None else None
        ),
    }


def _state(data: Any) -> ViewState:
    if not isinstance(data, dict):
        raise ValueError("view is not an object")
    context = data.get("context") or 0
    if not isinstance(context, int) or context < 0:
        raise ValueError("the context is not a count")
    offset = data.get("compare_offset_seconds")
    return ViewState(
        query=_text(data.get("query"), "the query"),
        start=_stamp(data.get("start")),
        end=_stamp(data.get("end")),
        excluded=frozenset(_texts(data, "excluded")),
        context=context,
        compare=_text(data.get("compare"), "the comparison") or None,
        compare_offset=timedelta(seconds=offset) if isinstance(offset, int | float) else None,
    )


def _stamp(value: Any) -> datetime | None:
    if value is None:
        return None
    stamp = datetime.fromisoformat(_text(value, "a time"))
    if stamp.tzinfo is None:
        raise ValueError(f"the time {value!r} has no zone")
    return stamp


def new(
    paths: Sequence[str],
    state: ViewState,
    *,
    file: str | os.PathLike[str] | None = None,
    **rest: Any,
) -> Saved:
    """Return an investigation of `paths` in `state` (the rest as `Saved`'s fields), its
    sources measured now, relative to the folder of `file` where it will be saved."""
    folder = Path(file).resolve().parent if file is not None else None
    return Saved(sources=tuple(source_of(p, folder) for p in paths), state=state, **rest)

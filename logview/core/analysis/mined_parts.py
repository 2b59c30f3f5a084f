"""A mining's result as frames and JSON, to be kept with the table it was mined from (the
column cache) and read back instead of mining the same table again."""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import asdict
from typing import Any, Protocol

import polars as pl

from logview import __version__
from logview.core.analysis.pattern_templates import Slot, Template
from logview.core.analysis.patterns import PATTERN, Mined, MiningProgress, mine_entries

# Bump when mining gives other patterns for the same table (the app's version changes too).
MINER_VERSION = 1


def mined_key(table_key: str) -> str:
    """Return the key a mining of the table kept under `table_key` is kept under."""
    text = f"mined\n{table_key}\n{MINER_VERSION}\n{__version__}"
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def to_parts(mined: Mined) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    """Return `mined` as named frames (the ids, the shapes) and a JSON-able description."""
    parts = {"ids": mined.ids.rename(PATTERN).to_frame()}
    if mined.shapes is not None:
        parts["shapes"] = mined.shapes
    return parts, {"templates": [asdict(t) for t in mined.by_id.values()]}


def from_parts(parts: dict[str, pl.DataFrame], meta: dict[str, Any], height: int) -> Mined:
    """Return the Mined `to_parts` described, for a table of `height` rows; raises ValueError
    when they do not describe one."""
    ids = parts["ids"][PATTERN]
    if ids.len() != height or ids.dtype != pl.String:
        raise ValueError("the kept patterns are of another table")
    templates = {}
    for t in meta["templates"]:
        slots = tuple(Slot(**s) for s in t["slots"])
        template = Template(str(t["id"]), str(t["text"]), tuple(t["tokens"]), slots, t["request"])
        templates[template.id] = template
    if not set(ids.unique().drop_nulls().to_list()) <= set(templates):
        raise ValueError("the kept patterns lack templates")
    return Mined(ids, templates, parts.get("shapes"))


class PartsStore(Protocol):
    """Where frames computed from a table are kept (the column cache, `ColumnCache`)."""

    def get_parts(self, key: str) -> tuple[dict[str, pl.DataFrame], dict[str, Any]] | None: ...
    def put_parts(self, key: str, parts: dict[str, pl.DataFrame], meta: dict[str, Any]) -> None: ...
    def discard(self, key: str) -> None: ...


def mine_kept(
    table: pl.DataFrame,
    store: PartsStore | None,
    table_key: str | None,
    progress: MiningProgress | None = None,
) -> Mined:
    """Return the patterns of `table`: read from `store` where the table kept under
    `table_key` was mined before, else mined (`mine_entries`) and kept there."""
    if store is None or table_key is None:
        return mine_entries(table, progress=progress)
    key = mined_key(table_key)
    if progress is not None:
        progress(0.0, "reading the patterns kept from last time")
    if (kept := store.get_parts(key)) is not None:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            mined = from_parts(*kept, table.height)
            if progress is not None:
                progress(1.0, f"{len(mined.by_id):,} patterns")
            return mined
        store.discard(key)  # not what it should be: mined again
    mined = mine_entries(table, progress=progress)
    store.put_parts(key, *to_parts(mined))
    return mined

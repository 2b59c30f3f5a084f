"""A table's anomalies kept with it (the column cache), so that a bundle opened again shows
them without looking for them again."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from logview import __version__
from logview.core.analysis import anomalies as detection
from logview.core.analysis.anomaly_kinds import Anomaly
from logview.core.analysis.mined_parts import PartsStore
from logview.core.analysis.patterns import Mined

# Bump when detection finds other anomalies in the same table (the app's version changes too).
DETECTOR_VERSION = 1
_STAMPS = ("start", "end", "counts_start")
_TUPLES = ("counts", "samples")


def detect_kept(
    table: pl.DataFrame,
    mined: Mined,
    every: timedelta,
    store: PartsStore | None,
    table_key: str | None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Anomaly]:
    """Return the anomalies of `table` in windows of `every` (`detect`, given the messages
    and sources): read from `store` where the table kept under `table_key` was looked at in
    such windows before, else found and kept there."""

    def found() -> list[Anomaly]:
        return detection.detect(
            table["ts"],
            table["level"],
            mined.ids,
            mined.by_id,
            every=every,
            messages=table,
            sources=table["source"],
            cancelled=cancelled,
        )

    if store is None or table_key is None:
        return found()
    key = _key(table_key, every)
    if (kept := store.get_parts(key)) is not None:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            return [anomaly_from_json(a) for a in kept[1]["anomalies"]]
        store.discard(key)  # not what it should be: looked for again
    anomalies = found()
    store.put_parts(key, {}, {"anomalies": [anomaly_to_json(a) for a in anomalies]})
    return anomalies


def _key(table_key: str, every: timedelta) -> str:
    text = f"anomalies\n{table_key}\n{every.total_seconds()}\n{DETECTOR_VERSION}\n{__version__}"
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def anomaly_to_json(anomaly: Anomaly) -> dict[str, Any]:
    """Return an Anomaly as JSON-able values (`anomaly_from_json` reads it back)."""
    out = asdict(anomaly)
    for name in _STAMPS:
        out[name] = out[name].isoformat() if out[name] is not None else None
    return out


def anomaly_from_json(data: dict[str, Any]) -> Anomaly:
    """Return the Anomaly `anomaly_to_json` gave `data` for; raises on anything else."""
    values = {f.name: data[f.name] for f in fields(Anomaly) if f.name in data}
    for name in _STAMPS:
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    for name in _TUPLES:
        values[name] = tuple(values.get(name) or ())
    return Anomaly(**values)

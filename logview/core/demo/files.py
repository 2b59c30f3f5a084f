"""The files of the bundle, and the reproducible .tar.gz they are packed into."""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from logview.core.demo.scenario import END, START, US, _seconds

BUNDLE_NAME = "support-bundle-web-01-2026-03-10.tar.gz"
INSIGHTS_NAME = "logs-insights-results-auth.csv"
BUNDLE_ROOT = "support-bundle"


@dataclass(frozen=True)
class _File:
    path: str  # inside the bundle
    data: bytes
    mtime: int  # seconds since the epoch: the file's last entry, as on the real host


def _tar_gz(files: Sequence[_File]) -> bytes:
    """Return a reproducible .tar.gz of `files`: fixed owners, modes, order and gzip header."""
    raw = io.BytesIO()
    with (
        gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, mtime=_seconds(END), compresslevel=6
        ) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        folders = sorted({str(p) for f in files for p in Path(BUNDLE_ROOT, f.path).parents} - {"."})
        for name in folders:
            tar.addfile(_tar_info(name, tarfile.DIRTYPE, 0o755, _seconds(END)))
        for f in sorted(files, key=lambda f: f.path):
            info = _tar_info(f"{BUNDLE_ROOT}/{f.path}", tarfile.REGTYPE, 0o644, f.mtime)
            info.size = len(f.data)
            tar.addfile(info, io.BytesIO(f.data))
    return raw.getvalue()


def _tar_info(name: str, kind: bytes, mode: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime = kind, mode, mtime
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def _text_file(path: str, lines: pl.Series, ts_us: np.ndarray) -> _File:
    """Return a file of `lines` (entries, possibly multi-line) stamped with its last entry's time."""
    data = (lines.str.join("\n").item() + "\n").encode() if len(lines) else b""
    last = int(ts_us.max()) // US + 1 if len(ts_us) else _seconds(START)
    return _File(path, data, last)

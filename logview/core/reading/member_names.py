"""Archive member names: cleaned to '/'-separated relative paths, or refused, and junk spotted.

No member name ever becomes a path on disk; these checks decide which names are shown at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db"})
JUNK_DIRS = frozenset({"__MACOSX"})
WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class MemberName:
    """A cleaned archive member path, or why it was refused (`path` is None then)."""

    path: str | None
    refusal: str | None = None


def clean_member_name(raw: str) -> MemberName:
    """Return the member path normalised ('/' separators, no './' or '//'), or why it is refused."""
    if _CONTROL.search(raw):
        return MemberName(None, "member name has control characters")
    name = raw.replace("\\", "/")
    if name.startswith("//"):
        return MemberName(None, "member path is a network (UNC) path")
    if name.startswith("/"):
        return MemberName(None, "member path is absolute")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if parts and _DRIVE.match(parts[0]):  # after "./" is dropped: "./C:/x" is "C:/x"
        return MemberName(None, "member path has a drive letter")
    if ".." in parts:
        return MemberName(None, "member path escapes the archive")
    for part in parts:
        # Windows treats "CON.txt" as the device too, so the stem decides.
        if part.split(".")[0].rstrip(" ").upper() in WINDOWS_DEVICES:
            return MemberName(None, f"member name is a Windows device name ({part})")
    return MemberName("/".join(parts))


MAX_SHOWN = 200  # characters of a name shown in a warning; a hostile name can be 64 KiB


def escaped(name: str) -> str:
    """Return `name` with control characters shown as escapes, safe for a one-line warning
    (cut to MAX_SHOWN characters with an ellipsis)."""
    shown = _CONTROL.sub(lambda m: repr(m.group())[1:-1], name)
    return shown if len(shown) <= MAX_SHOWN else shown[: MAX_SHOWN - 1] + "\u2026"


def is_junk(path: str) -> bool:
    """Return whether a '/'-separated path is operating-system clutter skipped without a word."""
    parts = path.split("/")
    return parts[-1] in JUNK_NAMES or any(p in JUNK_DIRS for p in parts)

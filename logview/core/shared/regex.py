"""Regexes for polars with ASCII character classes.

Polars runs regexes with Rust's `regex` crate, where `\\d`, `\\s` and `\\w` are Unicode classes:
`\\d` alone is some 70 ranges of digits from every script. Their automata are large and slow
to build: the stamp layouts tried on every source cost 41 MiB and 46 ms with Unicode classes,
12 MiB and 8 ms with ASCII ones. Log headers are ASCII, so every class in the patterns written
here means its ASCII set; `ascii_classes` rewrites a pattern written the readable way.
"""

from __future__ import annotations

import re

_SPACE = "\\t\\n\\x0B\\x0C\\r "  # what `\s` means in ASCII: tab, LF, VT, FF, CR, space
_WORD = "0-9A-Za-z_"
_SETS = {"d": "0-9", "s": _SPACE, "w": _WORD}


def ascii_classes(pattern: str) -> str:
    """Return `pattern` with `\\d \\s \\w` and `\\D \\S \\W` as ASCII sets, in and out of `[...]`.

    Raises ValueError for a negated class inside brackets (`[\\S]`), which has no ASCII
    spelling as a range list; none is needed so far.
    """
    out: list[str] = []
    in_set = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            code = pattern[i + 1]
            members = _SETS.get(code.lower())
            if members is None:
                out.append(pattern[i : i + 2])
            elif in_set and code.isupper():
                raise ValueError(f"negated class \\{code} inside brackets in {pattern!r}")
            elif in_set:
                out.append(members)
            else:
                out.append(f"[^{members}]" if code.isupper() else f"[{members}]")
            i += 2
            continue
        if ch == "[" and not in_set:
            in_set = True
            out.append(ch)
            i += 1
            # A `]` (or `^]`) right after the opening bracket is a member, not the end.
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):
                out.append("]")
                i += 1
            continue
        if ch == "]" and in_set:
            in_set = False
        out.append(ch)
        i += 1
    return "".join(out)


def compiled(pattern: str) -> re.Pattern[str]:
    """Return `pattern` compiled for Python's `re` as polars reads it (ASCII classes)."""
    return re.compile(pattern, re.ASCII)

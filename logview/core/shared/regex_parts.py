"""The top-level structure of a regex a user wrote: its parts, where its body group stands.

Enough of Rust's regex syntax (escapes, character classes with nested classes and
`[:name:]`, groups, quantifiers, flag groups) to cut a regex into its top-level parts without
compiling it. What this cannot be sure of gives None or [], and the callers then do without.
"""

from __future__ import annotations


def split_at_body(regex: str) -> tuple[str, str, str] | None:
    """Return (leading flags, the regex before the body group, the regex from it) when the
    `body` group stands at the top level of `regex` with no top-level alternation, so that a
    group around what precedes it gives the body's offset exactly; else None.

    Leading flags such as `(?i)` are lifted out, so that they still hold for the whole regex
    (a flag inside a group ends with the group). Any other flag group at the top level, or
    verbose mode, gives None.
    """
    depth, i, at, flags_end = 0, 0, -1, 0
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = class_end(regex, i)
            continue
        if char == "(":
            if depth == 0 and regex.startswith(("(?P<body>", "(?<body>"), i):
                at = i
            elif depth == 0 and regex.startswith("(?", i):
                close = regex.find(")", i)
                head = regex[i + 2 : close] if close > 0 else ""
                if head and all(c.isalpha() or c == "-" for c in head):  # a flag group
                    if i != flags_end or "x" in head:
                        return None
                    flags_end = close + 1
                    i = close + 1
                    continue
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return None
        i += 1
    if at < 0 or depth != 0:
        return None
    return regex[:flags_end], regex[flags_end:at], regex[at:]


def class_end(regex: str, start: int) -> int:
    """Return the index just after the character class opening at `start` (nested classes
    and `[:name:]` included, as Rust's regex syntax has them)."""
    i = start + 1
    if regex.startswith("^", i):
        i += 1
    if regex.startswith("]", i):  # a `]` first in a class is itself
        i += 1
    depth = 1
    while i < len(regex) and depth:
        if regex[i] == "\\":
            i += 2
            continue
        if regex.startswith("[:", i):
            close = regex.find(":]", i + 2)
            if close > 0:
                i = close + 2
                continue
        if regex[i] == "[":
            depth += 1
        elif regex[i] == "]":
            depth -= 1
        i += 1
    return i


def top_level_atoms(regex: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each top-level part of `regex` (a group, a class, an escape
    or a character, with its quantifier), or [] when it has a top-level alternation."""
    atoms: list[tuple[int, int]] = []
    i = 0
    while i < len(regex):
        start = i
        char = regex[i]
        if char == "|":
            return []
        if char == "\\":
            i += 2
        elif char == "[":
            i = class_end(regex, i)
        elif char == "(":
            i = _group_end(regex, i)
        else:
            i += 1
        i = _quantifier_end(regex, i)
        atoms.append((start, min(i, len(regex))))
    return atoms


def _group_end(regex: str, start: int) -> int:
    """Return the index just after the group opening at `start`."""
    depth, i = 0, start
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = class_end(regex, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _quantifier_end(regex: str, i: int) -> int:
    if i < len(regex) and regex[i] in "*+?":
        i += 1
    elif i < len(regex) and regex[i] == "{":
        close = regex.find("}", i)
        if close > 0 and all(c.isdigit() or c == "," for c in regex[i + 1 : close]):
            i = close + 1
    if i < len(regex) and regex[i] == "?":  # lazy
        i += 1
    return i

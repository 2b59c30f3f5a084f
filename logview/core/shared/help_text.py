"""The Help menu's words, without Qt: the keyboard shortcuts listed by group and in the order a
keyboard puts them (keys in Qt's portable text, such as "Ctrl+Shift+F"), a dialog's size on a
small screen, About's text, and the query reference as the package ships it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

# The group of the window's own shortcuts and of actions in no menu; listed first.
GENERAL = "General"
# Qt's portable names of the modifiers, in the order Qt writes them.
MODIFIERS = ("Ctrl", "Alt", "Shift", "Meta")
SCREEN_SHARE = 0.9


@dataclass(frozen=True)
class Binding:
    """One thing the keyboard does in the window: its keys (alternatives, each in Qt's
    portable text), what it does, and the group it is listed under (a menu's title)."""

    keys: tuple[str, ...]
    description: str
    group: str


def plain_label(text: str) -> str:
    """Return a menu item's text as a table shows it: without the `&` of its mnemonic (`&&`
    is a literal `&`) and without the `…` that, in a menu, says a dialog follows."""
    text = re.sub(r"&(&?)", r"\1", text)
    return re.sub(r"\s*(…|\.\.\.)$", "", text)


def key_order(keys: str) -> tuple:
    """Return the sort key of a key sequence in portable text: plain keys first, then by
    modifiers, then the key in natural order (F2 before F10, Ctrl+2 before Ctrl+3), so a
    reader looking up a key finds it where a keyboard would put it."""
    match = re.fullmatch(rf"((?:(?:{'|'.join(MODIFIERS)})\+)*)(.+)", keys)
    assert match is not None  # `.+` matches any non-empty text
    modifiers = [name for name in match.group(1).split("+") if name]
    key = match.group(2)
    natural = [
        int(part) if i % 2 else part.lower() for i, part in enumerate(re.split(r"(\d+)", key))
    ]
    return (len(modifiers), [MODIFIERS.index(name) for name in modifiers], natural)


def grouped(
    bindings: Iterable[Binding], group_order: Sequence[str] = ()
) -> list[tuple[str, list[Binding]]]:
    """Return the bindings by group, each group's sorted by `key_order`: General first, then
    the groups of `group_order` (the menus as the menu bar shows them), then any other in
    alphabetical order."""
    groups: dict[str, list[Binding]] = {}
    for binding in bindings:
        groups.setdefault(binding.group, []).append(binding)
    order = [GENERAL, *group_order]

    def rank(name: str) -> tuple[int, str]:
        return (order.index(name), "") if name in order else (len(order), name)

    return [
        (name, sorted(groups[name], key=lambda b: key_order(b.keys[0])))
        for name in sorted(groups, key=rank)
    ]


def fitted_size(preferred: tuple[int, int], available: tuple[int, int]) -> tuple[int, int]:
    """Return the size a dialog opens at: `preferred`, cut to 90% of the screen's
    `available` area so that its title bar and buttons stay in sight on a small laptop."""
    return tuple(  # type: ignore[return-value]
        min(want, int(room * SCREEN_SHARE)) for want, room in zip(preferred, available, strict=True)
    )


def about_text(rows: Sequence[tuple[str, str]]) -> str:
    """Return About's rows as lines of plain text, to paste into a bug report."""
    return "\n".join(f"{label}: {value}" for label, value in rows)


def query_reference() -> str:
    """Return the query language reference (Markdown) as the package ships it: read through
    importlib.resources, which finds it in a source tree, a wheel and a frozen build alike."""
    return resources.files("logview").joinpath("resources/query.md").read_text(encoding="utf-8")

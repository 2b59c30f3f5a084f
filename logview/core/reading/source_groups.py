"""The sources of an investigation as a tree of folders and archives, for the sources panel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from logview.core.reading.ingest import SourceInfo


@dataclass
class SourceGroup:
    """A folder or archive in the sources tree: sub-groups by label, then its own sources."""

    label: str
    is_archive: bool = False
    groups: dict[str, SourceGroup] = field(default_factory=dict)
    sources: list[SourceInfo] = field(default_factory=list)

    def all_sources(self) -> list[SourceInfo]:
        """Return the sources of this group and every group below it."""
        found = list(self.sources)
        for group in self.groups.values():
            found.extend(group.all_sources())
        return found


def group_by_container(sources: Sequence[SourceInfo]) -> SourceGroup:
    """Return the sources as a tree keyed by the path components of their names.

    Archive members sit under their archive and files under their folder. A chain of folders
    with nothing else in them collapses into one node ("var/log", "/home/me/logs"), but an
    archive always keeps a node of its own so its name is never cut.
    """
    root = SourceGroup("")
    for info in sources:
        *folders, _leaf = _components(info.name)
        node, walked = root, ""
        for folder in folders:
            walked = f"{walked}/{folder}" if walked else folder
            node = node.groups.setdefault(folder, SourceGroup(folder))
            node.is_archive = node.is_archive or walked == info.path
        node.sources.append(info)
    for group in root.groups.values():
        _collapse(group)
    return root


def _components(name: str) -> list[str]:
    """Return a name's path components, the root kept on the first ("/var", "log", "x.log")."""
    parts = name.split("/")
    if len(parts) > 1 and parts[0] == "":
        parts = ["/" + parts[1], *parts[2:]]
    return parts


def _collapse(group: SourceGroup) -> None:
    while len(group.groups) == 1 and not group.sources and not group.is_archive:
        (only,) = group.groups.values()
        if only.is_archive:
            break
        group.label = f"{group.label}/{only.label}"
        group.groups, group.sources = only.groups, only.sources
    for child in group.groups.values():
        _collapse(child)


def home_relative(label: str) -> str:
    """Return a folder label with the user's home folder shown as "~"."""
    home = str(Path.home())
    if home != "/" and (label == home or label.startswith(home + "/")):
        return "~" + label[len(home) :]
    return label

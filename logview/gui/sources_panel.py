"""The sources panel: every source read, grouped under its folder or archive, with its format,
entry count and time span; skipped sources greyed with their reason."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QInputDialog,
    QMenu,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from logview.core.analysis.compare import parse_offset
from logview.core.reading.formats import Format
from logview.core.reading.ingest import SourceInfo
from logview.core.reading.registry import all_formats
from logview.core.reading.source_groups import SourceGroup, group_by_container, home_relative
from logview.core.shared.display import format_span, visible_text
from logview.gui.columns import FittedColumns

COLUMNS = ("Source", "Format", "Entries", "Span (UTC)")
NAME_ROLE = Qt.ItemDataRole.UserRole + 1  # a leaf's source name, as in the table's `source`
FORMAT_ROLE = Qt.ItemDataRole.UserRole + 2  # the name of the format a leaf was read with


# "Read As" lists the general formats first, then the others in submenus by family, so that
# the menu fits a laptop's screen (35 formats in one list are taller than 720 pixels).
_GENERIC = {
    "text": 0,
    "jsonl": 1,
    "json-document": 2,
    "xml": 3,
    "logfmt": 4,
    "csv": 5,
    "records": 6,
    "sections": 7,
}
_FAMILY_OF = {
    "Servers and databases": (
        "access", "http-error", "tomcat", "level-first", "weblogic", "uwsgi", "mysql",
        "mysql-slow", "postgres", "mongodb", "mongodb-text", "redis", "ibmmq", "w3c",
    ),
    "Systems and devices": (
        "syslog", "syslog5424", "journald", "journal-export", "journal-verbose", "auditd",
        "tai64n", "glog", "logcat", "macos-log", "cisco-asa", "evtx", "windows-events-csv",
        "cmtrace", "setupapi", "polycom", "eclipse",
    ),
    "Cloud and containers": (
        "cloudwatch-csv", "cloudwatch-json", "aws-logs-json", "cloudwatch-s3", "docker", "cri",
        "compose",
    ),
}  # fmt: skip
_FAMILIES = {name: family for family, names in _FAMILY_OF.items() for name in names}


class SourcesPanel(QTreeWidget):
    """A tree of the sources of the current investigation; a checkbox includes or excludes a
    source (or a whole folder or archive) from every view, and a right-click corrects how a
    source is read."""

    excluded_changed = Signal(object)  # frozenset of excluded source names
    # A source to read differently: (its name, the `SourceOverride` fields to change, such as
    # {"format": name}, {"tz": zone} or {"offset": timedelta}; None reads it as detected again).
    override_changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self._user_formats: tuple[Format, ...] = ()
        self.itemChanged.connect(self._on_item_changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)
        self.setHeaderLabels(COLUMNS)
        for column, tip in enumerate((
            "The files, folders and archives opened; untick one to leave it out of every view",
            "How each source is read (right-click to read it otherwise)",
            "Entries read from it",
            "Its first and last stamp",
        )):  # fmt: skip
            self.headerItem().setToolTip(column, tip)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(True)
        self.setAlternatingRowColors(False)
        # Keep the file name end of long folder and archive names visible.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.header().setStretchLastSection(False)
        # The names keep most of a narrow panel; entries, format and span show as it widens.
        self._fitted = FittedColumns(self, 0, [(2, 66), (1, 160), (3, 200)], share=0.45, least=140)

    def excluded(self) -> frozenset[str]:
        """Return the names of the sources whose box is unticked."""
        return frozenset(
            item.data(0, NAME_ROLE)
            for item in self._leaves()
            if item.checkState(0) == Qt.CheckState.Unchecked
        )

    def set_excluded(self, names: frozenset[str] | set[str]) -> None:
        """Untick the sources called `names` (tick the others) and report it."""
        self._filling = True
        for item in self._leaves():
            state = (
                Qt.CheckState.Unchecked
                if item.data(0, NAME_ROLE) in names
                else Qt.CheckState.Checked
            )
            item.setCheckState(0, state)
        self._filling = False
        self.excluded_changed.emit(self.excluded())

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if not self._filling and column == 0:
            self.excluded_changed.emit(self.excluded())

    def set_user_formats(self, formats: Sequence[Format]) -> None:
        """Offer `formats` (the user's own, as the last load found them) under "Read As"."""
        self._user_formats = tuple(formats)

    def _on_context_menu(self, point: QPoint) -> None:
        item = self.itemAt(point)
        menu = self.context_menu(item) if item is not None else None
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(point))

    def context_menu(self, item: QTreeWidgetItem) -> QMenu | None:
        """Return the right-click menu of a source's item (None for a folder or archive): read
        it as another format (the built-in ones, then the user's), in a zone, with an offset."""
        name = item.data(0, NAME_ROLE)
        if name is None:
            return None
        menu = QMenu(self)
        read_as = menu.addMenu("Read As")
        current = item.data(0, FORMAT_ROLE)
        families: dict[str, QMenu] = {}
        for fmt in sorted(all_formats(), key=lambda f: _GENERIC.get(f.name, len(_GENERIC))):
            family = _FAMILIES.get(fmt.name, "" if fmt.name in _GENERIC else "Other")
            if family and family not in families:
                families[family] = read_as.addMenu(family)
            target = families[family] if family else read_as
            self._add_format_action(target, name, fmt, current)
            if fmt.name == current and family:  # say where the current reading is
                families[family].setTitle(f"{family} ({visible_text(fmt.label)})")
        if self._user_formats:
            read_as.addSection("Your formats")
            for fmt in self._user_formats:
                self._add_format_action(read_as, name, fmt, current)
        menu.addAction("Set Time Zone…").triggered.connect(lambda: self._ask_zone(name))
        menu.addAction("Set Clock Offset…").triggered.connect(lambda: self._ask_offset(name))
        reset = menu.addAction("Reset How It Is Read")
        reset.triggered.connect(lambda: self.override_changed.emit(name, None))
        return menu

    def _ask_zone(self, name: str) -> None:
        zone, ok = QInputDialog.getText(self, "Time zone", "IANA zone for stamps without one:")
        if ok and zone.strip():
            self.override_changed.emit(name, {"tz": zone.strip()})

    def _ask_offset(self, name: str) -> None:
        text, ok = QInputDialog.getText(self, "Clock offset", "Add to every stamp (+2h, -90s):")
        if not (ok and text.strip()):
            return
        try:
            offset = parse_offset(text)
        except ValueError as err:
            QMessageBox.warning(self, "Clock offset", str(err))
        else:
            self.override_changed.emit(name, {"offset": offset})

    def _add_format_action(self, menu: QMenu, source: str, fmt: Format, current: str) -> None:
        action = menu.addAction(visible_text(fmt.label))
        action.setCheckable(True)
        action.setChecked(fmt.name == current)
        # Where a user format comes from, so that two of the same label can be told apart.
        action.setToolTip(visible_text(f"{fmt.name}: {fmt.origin}" if fmt.origin else fmt.name))
        action.setData(fmt.name)
        action.triggered.connect(
            lambda _=False, f=fmt.name: self.override_changed.emit(source, {"format": f})
        )

    def set_sources(self, sources: Sequence[SourceInfo]) -> None:
        """Show `sources` (replacing what was shown), grouped by folder and archive."""
        self._filling = True
        self.clear()
        root = group_by_container(sources)
        for group in root.groups.values():
            self.addTopLevelItem(self._group_item(group))
        for info in root.sources:
            self.addTopLevelItem(self._source_item(info))
        self.expandAll()
        self._filling = False
        self._fitted.fit()

    def update_counts(self, sources: Sequence[SourceInfo]) -> None:
        """Show the entry counts and spans of sources that grew (followed files)."""
        by_name = {info.name: info for info in sources}

        def update(item: QTreeWidgetItem) -> list[SourceInfo]:
            """Update `item` and what is under it; return the sources it holds."""
            if item.childCount() == 0:
                info = by_name.get(item.data(0, NAME_ROLE))
                if info is None or info.format == "skipped":
                    return []
                item.setText(2, f"{info.entries:,}")
                item.setText(3, format_span(info.first, info.last, compact=True))
                return [info]
            held = [i for c in range(item.childCount()) for i in update(item.child(c))]
            _show_group_figures(item, held)
            return held

        for index in range(self.topLevelItemCount()):
            update(self.topLevelItem(index))

    def source_item(self, name: str) -> QTreeWidgetItem | None:
        """Return the item of the source called `name`, or None."""
        for item in self._leaves():
            if item.data(0, NAME_ROLE) == name:
                return item
        return None

    def _leaves(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        pending = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while pending:
            item = pending.pop()
            if item.data(0, NAME_ROLE) is not None:
                found.append(item)
            pending.extend(item.child(i) for i in range(item.childCount()))
        return found

    def _group_item(self, group: SourceGroup) -> QTreeWidgetItem:
        item = QTreeWidgetItem([visible_text(home_relative(group.label)), "", "", ""])
        _show_group_figures(item, [s for s in group.all_sources() if s.format != "skipped"])
        item.setToolTip(0, visible_text(group.label))
        item.setFlags(
            item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
        )
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for child in group.groups.values():
            item.addChild(self._group_item(child))
        for info in group.sources:
            item.addChild(self._source_item(info))
        return item

    def _source_item(self, info: SourceInfo) -> QTreeWidgetItem:
        label = visible_text(info.name.rsplit("/", 1)[-1])
        skipped = info.format == "skipped"
        reason = "; ".join(info.notes) if skipped else ""
        item = QTreeWidgetItem(
            [
                label,
                f"skipped: {visible_text(reason)}" if skipped else info.format_label,
                "" if skipped else f"{info.entries:,}",
                format_span(info.first, info.last, compact=True),
            ]
        )
        item.setData(0, NAME_ROLE, info.name)
        item.setData(0, FORMAT_ROLE, info.format)
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tooltip = visible_text(info.details(), keep_newlines=True)
        for column in range(len(COLUMNS)):
            item.setToolTip(column, tooltip)
        if skipped:
            grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            for column in range(len(COLUMNS)):
                item.setForeground(column, grey)
        else:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
        return item


def _show_group_figures(item: QTreeWidgetItem, read: Sequence[SourceInfo]) -> None:
    """Show a group's entries and span, those of the sources in it that were read."""
    first = min((s.first for s in read if s.first is not None), default=None)
    last = max((s.last for s in read if s.last is not None), default=None)
    item.setText(2, f"{sum(s.entries for s in read):,}")
    item.setText(3, format_span(first, last, compact=True))
    item.setToolTip(3, format_span(first, last))

"""The incidents above the Anomalies tab's list: each a headline, folded over its members (one
per source) and their anomalies. Choosing an incident narrows the list to its anomalies;
choosing an anomaly selects it in the list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from logview.core.analysis.anomaly_kinds import Anomaly
from logview.core.analysis.incidents import Incident, phrase
from logview.core.shared.display import visible_text, window_text
from logview.gui.theme import PRIORITY_COLOURS, themed

_ROLE = Qt.ItemDataRole.UserRole


class IncidentsView(QTreeWidget):
    """Incidents, most urgent first, their members and anomalies folded under them."""

    narrowed = Signal(object)  # set of anomaly ids to list, or None for all of them
    anomaly_chosen = Signal(str)  # an anomaly's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setUniformRowHeights(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setToolTip(
            "Anomalies that overlap in time and are related (same source, shared request ids, "
            "counts that move together) form an incident: choose one to list its anomalies"
        )
        self.itemSelectionChanged.connect(self._on_selection)
        self.incidents: list[Incident] = []

    def set_incidents(self, incidents: list[Incident], total: int) -> None:
        """Show `incidents`, under an entry for all `total` anomalies (chosen at first)."""
        self.blockSignals(True)
        self.clear()
        self.incidents = list(incidents)
        every = QTreeWidgetItem([f"All anomalies ({total:,}) · {_count(len(incidents))}"])
        every.setData(0, _ROLE, None)
        self.addTopLevelItem(every)
        for incident in incidents:
            top = QTreeWidgetItem([visible_text(f"{incident.priority}  {incident.headline}")])
            top.setData(0, _ROLE, ("incident", {a.id for a in incident.anomalies}))
            top.setForeground(0, themed(PRIORITY_COLOURS[incident.priority]))
            top.setToolTip(0, visible_text(_tip(incident), keep_newlines=True))
            for member in incident.members:
                child = QTreeWidgetItem(
                    [
                        visible_text(
                            f"{member.name}: {'; '.join(phrase(a) for a in member.anomalies)}"
                        )
                    ]
                )
                child.setData(0, _ROLE, ("incident", {a.id for a in member.anomalies}))
                top.addChild(child)
                for anomaly in member.anomalies:
                    leaf = QTreeWidgetItem([_leaf_text(anomaly)])
                    leaf.setData(0, _ROLE, ("anomaly", anomaly.id))
                    leaf.setToolTip(0, visible_text(f"{anomaly.template}\n\n{anomaly.description}\n"
                                                    f"compared with {anomaly.baseline}", keep_newlines=True))  # fmt: skip
                    child.addChild(leaf)
            self.addTopLevelItem(top)
            top.setExpanded(True)  # its members in view, their anomalies folded
        self.setCurrentItem(every)
        self.blockSignals(False)

    def _on_selection(self) -> None:
        items = self.selectedItems()
        what = items[0].data(0, _ROLE) if items else None
        if what is None:
            self.narrowed.emit(None)
        elif what[0] == "incident":
            self.narrowed.emit(set(what[1]))
        else:
            self.anomaly_chosen.emit(what[1])


def _count(n: int) -> str:
    return "no incidents" if n == 0 else f"{n:,} incident{'' if n == 1 else 's'}"


def _leaf_text(a: Anomaly) -> str:
    return visible_text(
        f"{a.start:%H:%M} {a.priority} {a.kind}: {phrase(a)} · {window_text(a.start, a.end)}"
    )


def _tip(incident: Incident) -> str:
    lines = [incident.headline, "", "Linked by:"] + [f"  {why}" for why in incident.links]
    lines += ["", "Each anomaly is judged against its own baseline (hover over it to read which)."]
    return "\n".join(lines)

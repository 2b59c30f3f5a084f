"""The window's menu bar: File (open, open a folder, add sources, recent; investigations: open,
recent, save; follow, export results or a report, quit), View (the docks, the time zone) and
Help (the keyboard shortcuts, the query reference, about).
The menus ask with their dialogs and say what was chosen with signals; the window does it.
Help's dialogs only show: they are `help.py`'s."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimeZone, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
)

from logview.core.investigation.saved import SUFFIX
from logview.core.reading.format_files import formats_folder
from logview.core.shared.display import visible_text
from logview.gui.help import AboutDialog, QueryReferenceDialog, ShortcutsDialog, about_rows
from logview.gui.settings import Settings

INVESTIGATIONS = f"logview investigations (*{SUFFIX})"


class Menus(QObject):
    """The menu bar of `window`, with the dialogs its items open."""

    open_requested = Signal(list)  # paths to open in place of what is open
    add_requested = Signal(list)  # paths to open beside what is open
    export_requested = Signal(str)  # the file to write the current result to
    save_requested = Signal(str)  # the file to save the investigation to ("": where it was)
    open_investigation_requested = Signal(str)  # an investigation file to open
    report_requested = Signal(str)  # the file to write the report to (.html or .md)
    zone_chosen = Signal(object)  # IANA zone name to show times in; None is UTC

    def __init__(
        self,
        window: QMainWindow,
        settings: Settings,
        zone: str | None,
        docks: Sequence[QDockWidget],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        menu = window.menuBar().addMenu("&File")
        self.open_action = QAction("&Open…", window)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._ask_open)
        self.folder_action = folder = QAction("Open &Folder…", window)
        folder.setShortcut(QKeySequence("Ctrl+Shift+O"))
        folder.triggered.connect(self._ask_folder)
        add = QAction("&Add Sources…", window)
        add.triggered.connect(self._ask_add)
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.follow_action = QAction("&Follow Files", window)
        self.follow_action.setCheckable(True)
        self.follow_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.follow_action.setToolTip(
            "Read the plain files on as they grow (tail -F): new entries, patterns and "
            "anomalies as they come"
        )
        self.export_action = QAction("&Export Results…", window)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self._ask_export)
        self.open_investigation_action = QAction("Open &Investigation…", window)
        self.open_investigation_action.triggered.connect(self._ask_open_investigation)
        self.recent_investigations = QMenu("Recent Investi&gations", window)
        self.recent_investigations.aboutToShow.connect(self._fill_recent_investigations)
        self.save_action = QAction("&Save Investigation", window)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(lambda: self.save_requested.emit(""))
        self.save_as_action = QAction("Save Investigation &As…", window)
        self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_as_action.triggered.connect(self.ask_save_as)
        self.report_action = QAction("Export &Report…", window)
        self.report_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.report_action.triggered.connect(self._ask_report)
        quit_action = QAction("&Quit", window)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(window.close)
        for item in (self.open_action, folder, add, self.recent_menu, None,
                     self.open_investigation_action, self.recent_investigations, self.save_action,
                     self.save_as_action, None, self.follow_action, self.export_action,
                     self.report_action, None, quit_action):  # fmt: skip
            if item is None:
                menu.addSeparator()
            elif isinstance(item, QAction):
                menu.addAction(item)
            else:
                menu.addMenu(item)
        self.view_menu = view = window.menuBar().addMenu("&View")
        for dock in docks:
            view.addAction(dock.toggleViewAction())
        zones = view.addMenu("Time &Zone")
        group = QActionGroup(self)
        local = QTimeZone.systemTimeZoneId().data().decode() or "UTC"
        for label, name in (("UTC", None), (f"Local ({local})", local)):
            action = zones.addAction(label)
            action.setCheckable(True)
            action.setChecked(name == zone)
            group.addAction(action)
            action.triggered.connect(lambda _=False, z=name: self.zone_chosen.emit(z))
        zones.addAction("Other…").triggered.connect(self._ask_zone)
        self._build_help(window.menuBar().addMenu("&Help"))

    def _build_help(self, menu: QMenu) -> None:
        """Fill the Help menu. The Query Reference takes the platform's help key (F1 on
        Windows and Linux, ⌘? on macOS): the query language is what logview's help is about.
        Keyboard Shortcuts takes Ctrl+/, the shortcut list's key in many desktop apps (Slack,
        Google's); GNOME's Ctrl+? would be the reference's ⌘? on macOS."""
        self._shortcuts: ShortcutsDialog | None = None
        self._reference: QueryReferenceDialog | None = None
        self.shortcuts_action = QAction("&Keyboard Shortcuts", self._window)
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.reference_action = QAction("&Query Reference", self._window)
        self.reference_action.setShortcuts(QKeySequence.StandardKey.HelpContents)
        self.reference_action.triggered.connect(self.show_query_reference)
        self.about_action = QAction("&About logview", self._window)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        for action in (self.shortcuts_action, self.reference_action, None, self.about_action):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)

    def show_shortcuts(self) -> ShortcutsDialog:
        """Show the keyboard shortcuts beside the window (not modal: keys can be tried)."""
        if self._shortcuts is None:
            self._shortcuts = ShortcutsDialog(self._window)
        _bring_up(self._shortcuts)
        return self._shortcuts

    def show_query_reference(self) -> QueryReferenceDialog:
        """Show the query reference beside the window (not modal: read it while typing), where
        it was left if it was open before."""
        if self._reference is None:
            self._reference = QueryReferenceDialog(self._window)
        _bring_up(self._reference)
        return self._reference

    def show_about(self) -> AboutDialog:
        """Show About, modal to the window as desktop apps' About is; gone when closed."""
        folder = formats_folder(Path(self._settings.file_name).parent)
        dialog = AboutDialog(about_rows(self._settings.file_name, folder), self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def start_folder(self) -> str:
        """Return the folder a file dialog opens in: that of the last thing opened."""
        recent = self._settings.recent_paths()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def _ask_open(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self._window, "Open log files or archives", self.start_folder()
        )
        if paths:
            self.open_requested.emit(paths)

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self._window, "Open a folder of logs", self.start_folder()
        )
        if folder:
            self.open_requested.emit([folder])

    def _ask_add(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self._window, "Add log files or archives", self.start_folder()
        )
        if paths:
            self.add_requested.emit(paths)

    def _fill_recent(self) -> None:
        _fill(self.recent_menu, self._settings.recent_paths(),
              lambda path: self.open_requested.emit([path]))  # fmt: skip

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            "Export results",
            str(Path(self.start_folder()) / "results.csv"),
            "CSV (*.csv);;JSON lines (*.jsonl);;Parquet (*.parquet)",
        )
        if path:
            self.export_requested.emit(path)

    def _ask_open_investigation(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Open an investigation", self.start_folder(), INVESTIGATIONS
        )
        if path:
            self.open_investigation_requested.emit(path)

    def _fill_recent_investigations(self) -> None:
        recent = [p for p in self._settings.recent_paths() if p.endswith(SUFFIX)]
        _fill(self.recent_investigations, recent, self.open_investigation_requested.emit)

    def ask_save_as(self) -> None:
        """Ask where to save the investigation, then say so (`save_requested`)."""
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            "Save the investigation",
            str(Path(self.start_folder()) / f"investigation{SUFFIX}"),
            INVESTIGATIONS,
        )
        if path:
            self.save_requested.emit(path if path.endswith(SUFFIX) else path + SUFFIX)

    def _ask_report(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self._window,
            "Export a report",
            str(Path(self.start_folder()) / "report.html"),
            "HTML report (*.html);;Markdown report, charts beside it (*.md)",
        )
        if path:
            if not path.endswith((".html", ".md")):
                path += ".md" if chosen.startswith("Markdown") else ".html"
            self.report_requested.emit(path)

    def _ask_zone(self) -> None:
        from zoneinfo import available_timezones

        zones = sorted(available_timezones())
        zone, ok = QInputDialog.getItem(self._window, "Time zone", "Show times in:", zones, 0, True)
        if ok and zone in zones:
            self.zone_chosen.emit(zone)


def _fill(menu: QMenu, paths: Sequence[str], chosen: Callable[[str], object]) -> None:
    """Fill `menu` with `paths`, each telling `chosen` when picked ("(none)" without any)."""
    menu.clear()
    for path in paths:
        menu.addAction(visible_text(path)).triggered.connect(lambda _=False, p=path: chosen(p))
    if not paths:
        menu.addAction("(none)").setEnabled(False)


def _bring_up(dialog: QDialog) -> None:
    """Show `dialog`, or raise it when it is open behind the window."""
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()

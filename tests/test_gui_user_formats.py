"""The user's own formats in the window: offered under a source's "Read As", applied when
picked, and a bad format file shown among the warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from logview.core.reading import format_files

# Plain lines with a stamp: plain text reads them. Half carry a `[module]` that the user's
# format reads as a field, so it reads too few lines to be detected, but can be picked.
LOG = "".join(
    f"2026-03-10 14:00:{i:02d} {level} " + (f"[db] query {i} took 3 ms\n" if i % 2 else "started\n")
    for i, level in enumerate(["INFO", "WARN", "ERROR", "INFO"] * 3)
)
MODULES = r"""
name = "modules"
label = "Service log with modules"
regex = '(?P<ts>\S+ \S+) (?P<level>[A-Z]+) \[(?P<module>\w+)\] (?P<body>.*)'
layout = "%Y-%m-%d %H:%M:%S"
continuation = "none"
"""


@pytest.fixture
def opened(tmp_path: Path, monkeypatch, open_window):
    """A window on a log, with the user's format in the formats folder beside its settings
    and a broken format file beside the log."""
    monkeypatch.delenv(format_files.ENV_FOLDER, raising=False)
    folder = tmp_path / "formats"  # the window's settings are tmp_path/settings.ini
    folder.mkdir()
    (folder / "modules.toml").write_text(MODULES, encoding="utf-8")
    logs = tmp_path / "logs"
    logs.mkdir()
    log = logs / "service.log"
    log.write_text(LOG, encoding="utf-8")
    (logs / "broken.logview-format.toml").write_text("name = 'broken'\nregex = '(\n")
    return open_window([log]), log


def read_as_menu(window, source: str):
    item = window.sources_panel.source_item(source)
    menu = window.sources_panel.context_menu(item)
    (read_as,) = [a.menu() for a in menu.actions() if a.text() == "Read As"]
    return read_as


def test_read_as_lists_the_users_formats_after_the_built_in_ones(opened):
    window, _ = opened
    (source,) = window.investigation.ingested.sources
    assert source.format == "text"
    actions = read_as_menu(window, source.name).actions()
    labels = [a.text() for a in actions]
    assert labels[-2:] == ["Your formats", "Service log with modules"]
    assert "Plain text" in labels[: labels.index("Your formats")]
    ours = actions[-1]
    assert ours.toolTip().endswith("formats/modules.toml")
    assert [a.text() for a in actions if a.isChecked()] == ["Plain text"]


def test_picking_a_users_format_reads_the_source_with_it(qtbot, opened):
    window, _ = opened
    (source,) = window.investigation.ingested.sources
    ours = read_as_menu(window, source.name).actions()[-1]
    with qtbot.waitSignal(window.sig_patterns_ready, timeout=60_000):
        ours.trigger()
    (source,) = window.investigation.ingested.sources
    assert (source.format, source.format_label) == ("modules", "Service log with modules")
    item = window.sources_panel.source_item(source.name)
    assert item.text(1) == "Service log with modules"
    table = window.investigation.ingested.table
    assert table["module"].drop_nulls().unique().to_list() == ["db"]
    assert table["ts"].null_count() == 6  # the lines without a module stand alone
    checked = [a.text() for a in read_as_menu(window, source.name).actions() if a.isChecked()]
    assert checked == ["Service log with modules"]


def test_a_bad_format_file_is_among_the_warnings(opened):
    window, log = opened
    warnings = window.warnings_dock.texts()
    broken = log.parent / "broken.logview-format.toml"
    assert any(w.startswith(f"{broken}:2: format not loaded: invalid TOML") for w in warnings)


def test_every_built_in_format_has_a_place_under_read_as():
    # A format missing from the families would land in an "Other" submenu of its own.
    from logview.core.reading.registry import all_formats
    from logview.gui.sources_panel import _FAMILIES, _GENERIC

    names = {fmt.name for fmt in all_formats()}
    assert names == set(_FAMILIES) | set(_GENERIC)

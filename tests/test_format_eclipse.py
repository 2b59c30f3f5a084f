"""Eclipse's platform log (`.metadata/.log`): detection, stamps, IStatus severities, the
plug-in field, entries over many lines, a line cut short in the middle. Samples written from
Eclipse's documentation of the runtime log (`!SESSION`, `!ENTRY <plug-in> <severity> <code>
<date>`, `!MESSAGE`, `!STACK`, `!SUBENTRY`) and IStatus's severity constants."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.eclipse import parse_eclipse
from logview.core.reading.registry import sniff

LOG = [
    "!SESSION 2024-06-27 08:52:31.204 -----------------------------------------------",
    "eclipse.buildId=4.32.0.20240601-0610",
    "java.version=21.0.3",
    "Command-line arguments:  -os win32 -ws win32 -arch x86_64",
    "",
    "!ENTRY org.eclipse.core.resources 2 10035 2024-06-27 08:52:44.918",
    "!MESSAGE The workspace exited with unsaved changes in the previous session.",
    "",
    "!ENTRY org.eclipse.egit.ui 1 0 2024-06-27 08:52:49.611",
    "!MESSAGE Git repository indexed",
    "",
    "!ENTRY org.eclipse.jdt.ls.core 4 0 2024-06-27 08:55:40.009",
    "!MESSAGE Error occured while building workspace. Details: ",
    "!STACK 0",
    'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null',
    "\tat org.eclipse.jdt.internal.core.JavaModelManager.getIndexManager(JavaModelManager.java:1)",
    "!SUBENTRY 1 org.eclipse.jdt.core 4 0 2024-06-27 08:55:40.010",
    "!MESSAGE Build path is incomplete",
    "",
    "!ENTRY org.eclipse.ui 4 4 2024-06-2",  # cut short where the file was copied
    "!MESSAGE Unhandled event loop exception",
]


def parse(texts: list[str]):
    return parse_eclipse(lines_of(texts), ParseContext(".log"))


def test_the_platform_log_is_detected_and_a_java_log_is_not():
    found = sniff(Sample(".log", "\n".join(LOG).encode(), tuple(LOG)))
    assert found is not None and found.format.name == "eclipse"
    other = ["2024-06-27 08:52:44,918 INFO  [main] c.a.App - started"] * 6
    found = sniff(Sample("app.log", "\n".join(other).encode(), tuple(other)))
    assert found is None or found.format.name != "eclipse"


def test_a_session_and_each_entry_open_an_entry_with_their_stamps():
    frame = parse(LOG)
    assert frame["line"].to_list() == [1, 6, 9, 12]
    assert frame["ts"].to_list() == [
        datetime(2024, 6, 27, 8, 52, 31, 204000, tzinfo=UTC),
        datetime(2024, 6, 27, 8, 52, 44, 918000, tzinfo=UTC),
        datetime(2024, 6, 27, 8, 52, 49, 611000, tzinfo=UTC),
        datetime(2024, 6, 27, 8, 55, 40, 9000, tzinfo=UTC),
    ]


def test_severities_are_levels_and_the_plug_in_a_field():
    frame = parse(LOG)
    assert frame["level"].to_list() == [None, "WARN", "INFO", "ERROR"]
    assert frame["plugin"].to_list() == [
        None, "org.eclipse.core.resources", "org.eclipse.egit.ui", "org.eclipse.jdt.ls.core"
    ]  # fmt: skip


def test_messages_stacks_and_sub_entries_join_and_a_cut_header_too():
    frame = parse(LOG)
    last = frame["message"][3]
    assert "!STACK 0" in last and "!SUBENTRY 1 org.eclipse.jdt.core" in last
    # The header cut short opens nothing: its lines join the entry above.
    assert last.endswith("!MESSAGE Unhandled event loop exception")
    assert frame["message"][0].endswith("-arch x86_64")

"""The report handed to a ticket: every section in HTML and in Markdown, the numbers the view
shows, the chart as inline SVG and as a valid PNG beside the Markdown, hostile log text shown
as text and never run or linked, lists cut and said so, files written whole or not at all."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from logview.core.analysis.incidents import find_incidents
from logview.core.analysis.kept_anomalies import detect_kept
from logview.core.analysis.patterns import mine_entries
from logview.core.analysis.view import ViewState, compute_view
from logview.core.investigation import bookmarks as marks
from logview.core.investigation import report_html, report_markdown
from logview.core.investigation.report import report_of, write_report
from logview.core.investigation.report_charts import LEVEL_COLOURS
from logview.core.reading.ingest import ingest
from logview.core.shared.errors import Cancelled, LogviewError

DAY1 = datetime(2026, 3, 9, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
SCRIPT = "<script>alert(1)</script>"
LINK = "](javascript:alert(1))"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = {
    "script": f"user sent {SCRIPT} in the form",
    "link": f"click [here{LINK} now",
    "img": f"avatar {IMG} rejected",
    "ticks": "quoted ``` fence and `code` | pipe \\| escaped",
}
EVERY = timedelta(minutes=5)
SECTIONS = ("notes", "sources", "query", "timeline", "patterns", "incidents", "anomalies",
            "bookmarks", "made")  # fmt: skip
HEADINGS = ("Notes", "Sources", "Query and range", "Timeline", "Patterns", "Incidents",
            "Anomalies", "Bookmarks", "How it was made")  # fmt: skip


def _stamp(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def write_logs(folder: Path) -> list[str]:
    """Write two days of an app's and a worker's logs: the same steady traffic each day, and on
    the second day from 14:05 a burst of timeouts and hostile lines; return their paths."""
    app, worker = [], []
    for day in (DAY1, DAY2):
        for minute in range(0, 24 * 60, 4):
            at = day + timedelta(minutes=minute)
            app.append(
                f"{_stamp(at)} INFO GET /api/items/{minute % 97} answered 200 in {minute % 40} ms"
            )
            worker.append(
                f"{_stamp(at + timedelta(seconds=30))} INFO job {minute} done in {minute % 9} s"
            )
    for i in range(24):
        at = DAY2 + timedelta(hours=14, minutes=5, seconds=50 * i)
        app.append(
            f"{_stamp(at)} ERROR Timeout acquiring connection from pool db after {5000 + i} ms"
        )
        kind = list(HOSTILE)[i % len(HOSTILE)]
        worker.append(f"{_stamp(at + timedelta(seconds=7))} ERROR {HOSTILE[kind]}")
    app.sort()
    worker.sort()
    (folder / "app.log").write_text("\n".join(app) + "\n")
    (folder / "worker.log").write_text("\n".join(worker) + "\n")
    return [str(folder / "app.log"), str(folder / "worker.log")]


@pytest.fixture(scope="module")
def investigated(tmp_path_factory):
    """Return the logs read, mined and looked at for anomalies, with the report's arguments."""
    folder = tmp_path_factory.mktemp("logs")
    loaded = ingest(write_logs(folder))
    table = loaded.table
    mined = mine_entries(table)
    found = detect_kept(table, mined, EVERY, None, None)
    incidents = find_incidents(found, table, mined.ids, EVERY)
    worker = next(s.name for s in loaded.sources if s.name.endswith("worker.log"))
    app = next(s.name for s in loaded.sources if s.name.endswith("app.log"))
    lines = table.filter(table["message"].str.contains("<script>", literal=True))
    line = int(lines.filter(lines["source"].cast(str) == worker)["line"].min())
    timeout = next(pid for pid, t in mined.by_id.items() if t.text.startswith("Timeout acquiring"))
    bookmarks = [
        marks.entry(worker, line, title=HOSTILE["script"]).with_note(f"the first bad form {LINK}"),
        marks.pattern(timeout, mined.by_id[timeout].text).with_note("the pool ran dry"),
        marks.entry(app, 1, title="the first line"),
    ]
    state = ViewState(start=DAY2, end=DAY2 + timedelta(days=1), compare="previous-day")
    return {
        "table": table, "sources": loaded.sources, "state": state, "mined": mined,
        "anomalies": found, "incidents": incidents, "bookmarks": bookmarks, "line": line,
        "notes": f"Pool exhausted at 14:05.\n{SCRIPT} and [x{LINK} came from one client.",
    }  # fmt: skip


def make_report(inv, state=None, **changes):
    args = {k: inv[k] for k in ("mined", "anomalies", "incidents", "bookmarks", "notes")}
    args.update(changes)
    return report_of(inv["table"], inv["sources"], state or inv["state"], **args)


@pytest.fixture(scope="module")
def report(investigated):
    return make_report(investigated, zone="Europe/Berlin")


# -- what the report holds ----------------------------------------------------------------
def test_the_report_holds_what_the_window_shows(investigated, report):
    view = compute_view(investigated["table"], investigated["state"], None, timeline=True,
                        mined=investigated["mined"])  # fmt: skip
    frame = view.patterns.frame
    assert [p.id for p in report.patterns] == frame["pattern"].head(50).to_list()
    assert [p.count for p in report.patterns] == frame["count"].head(50).to_list()
    timeout = next(p for p in report.patterns if p.template.startswith("Timeout acquiring"))
    assert (timeout.count, timeout.before, timeout.status) == (24, 0, "new")
    assert report.matched == view.result.rows.len()
    assert report.comparison.startswith(view.comparison.summary())
    assert list(report.timeline.totals) == list(view.histogram.totals)


def test_the_baseline_overlay_lines_up_with_the_range(report):
    # Both days carry the same steady traffic: outside the burst the previous day's line is the
    # bars' height in every bucket.
    totals = report.timeline.totals
    overlay = report.timeline.baseline
    first, last = DAY2 + timedelta(hours=14, minutes=5), DAY2 + timedelta(hours=14, minutes=26)
    width = report.timeline.width_us
    burst = {i for i, s in enumerate(report.timeline.starts_us)
             if s < last.timestamp() * 1e6 and s + width > first.timestamp() * 1e6}  # fmt: skip
    steady = [i for i in range(len(totals)) if i not in burst]
    assert burst and steady
    assert all(overlay[i] == totals[i] for i in steady)
    assert all(overlay[i] < totals[i] for i in burst)
    assert report.timeline.baseline_label == "previous day"


def test_anomalies_and_incidents_are_those_of_the_range(investigated, report):
    assert report.anomalies, "the burst is found"
    assert all(a.end > DAY2 for a in report.anomalies)
    assert any(a.template.startswith("Timeout acquiring") for a in report.anomalies)
    assert len(report.incidents) == len([n for n in investigated["incidents"] if n.end > DAY2])
    earlier = make_report(investigated, state=ViewState(start=DAY1, end=DAY1 + timedelta(hours=2)))
    assert earlier.anomalies == () and earlier.anomalies_cut.total == 0


def test_bookmarked_entries_come_with_their_note_and_context(investigated, report):
    entry, pattern, first = report.bookmarks
    assert entry.found and entry.note.startswith("the first bad form")
    assert entry.where == f"worker.log:{investigated['line']}"
    assert [line.marked for line in entry.lines].count(True) == 1
    marked = next(line for line in entry.lines if line.marked)
    assert (marked.source, marked.line) == ("worker.log", investigated["line"])
    assert SCRIPT in marked.text
    assert len(entry.lines) == 7  # three entries either side, in time order
    stamps = [line.ts for line in entry.lines]
    assert stamps == sorted(stamps)
    assert pattern.count == 24 and pattern.note == "the pool ran dry"
    # The table's first entry has no entries before it: only the three after.
    assert first.found and [line.marked for line in first.lines] == [True, False, False, False]
    assert first.lines[0].line == 1 and first.lines[0].source == "app.log"


def test_an_entry_no_longer_there_is_said_so(investigated):
    gone = marks.entry("worker.log.old", 3, title="gone").with_note("was here")
    report = make_report(investigated, bookmarks=[gone])
    assert not report.bookmarks[0].found and report.bookmarks[0].lines == ()
    assert "not found in these sources" in report_html.render(report)


def test_long_lists_are_cut_and_say_so(investigated, monkeypatch):
    from logview.core.investigation import report_rows

    monkeypatch.setattr(report_rows, "TOP_PATTERNS", 2)
    report = make_report(investigated)
    assert len(report.patterns) == 2
    said = report.patterns_cut.said("pattern")
    assert re.fullmatch(r"top 2 of \d+ patterns", said) and report.patterns_cut.total > 2
    assert said in report_html.render(report) and said in report_markdown.render(report)


def test_long_log_lines_are_cut(investigated):
    from logview.core.investigation.report_rows import LINE_CHARS, cut_line, cut_lines

    assert len(cut_line("x" * 10_000)) == LINE_CHARS
    assert cut_line("first\nsecond\nthird") == "first \u23ce 2 more lines"
    assert cut_line("bell\x07") == "bell\u2407"
    assert (
        cut_lines("\n".join(str(i) for i in range(100)), lines=3) == "0\n1\n2\n\u2026 97 more lines"
    )


def test_a_stats_query_reports_its_result_table(investigated):
    state = ViewState(query="stats count(*) by @level")
    report = make_report(investigated, state=state)
    assert report.matched is None and report.patterns == ()
    assert report.result_columns[0] == "@level" or "@level" in report.result_columns
    html = report_html.render(report)
    assert "<h3>Result</h3>" in html and "ERROR" in html


def test_a_cancelled_report_stops(investigated):
    with pytest.raises(Cancelled):
        make_report(investigated, cancelled=lambda: True)


def test_an_unknown_zone_is_one_clear_line(investigated):
    with pytest.raises(LogviewError, match="unknown time zone 'Mars/Base'"):
        make_report(investigated, zone="Mars/Base")


# -- HTML ----------------------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        self.ids += [v for k, v in attrs if k == "id" and v]


def test_html_has_every_section_in_order(report, tmp_path):
    [path] = write_report(report, tmp_path / "report.html")
    text = path.read_text()
    parsed = _Tags()
    parsed.feed(text)
    assert parsed.ids == list(SECTIONS)
    assert "Europe/Berlin" in text and f"logview {report.version}" in text
    assert "<b>app.log</b>" in text and "<b>worker.log</b>" in text
    assert "previous day" in text and "Timeout acquiring connection from pool db after" in text
    assert "the pool ran dry" in text
    # Times are shown in the zone asked for: the burst at 14:05 UTC is 15:05 in Berlin.
    assert "2026-03-10 15:05:" in text
    assert text.count("<svg") == 1 + len(report.patterns)  # the timeline and a sparkline each
    assert 'stroke-dasharray="5 3"' in text  # the previous day's line


def test_hostile_log_text_is_shown_as_text_in_html(report, tmp_path):
    [path] = write_report(report, tmp_path / "report.html")
    text = path.read_text()
    parsed = _Tags()
    parsed.feed(text)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not [name for name, _ in parsed.attributes if name.startswith("on")]
    assert not [v for name, v in parsed.attributes if name in ("href", "src") and v]
    assert SCRIPT not in text and IMG not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">" in text
    )
    assert not re.search(
        r"(?:https?:)?//(?!www\.w3\.org)[\w.-]+\.\w+/?[^\s<]*\"", text.split("<body>")[0]
    )


# -- Markdown ------------------------------------------------------------------------------
def _outside_code(text: str) -> tuple[str, list[str]]:
    """Return the Markdown with its fenced blocks and code spans taken out (as CommonMark reads
    them: a fence closes on a run of at least its length, a span on a run of its length), and
    what they held."""
    inside = []

    def fence(m):
        inside.append(m[2])
        return ""

    text = re.sub(r"^(`{3,})text\n(.*?)\n\1$", fence, text, flags=re.S | re.M)

    def span(m):
        inside.append(m[2])
        return ""

    return re.sub(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", span, text), inside


def test_markdown_has_every_section_in_order_and_its_chart_beside_it(report, tmp_path):
    written = write_report(report, tmp_path / "report.md")
    md, chart = written
    assert (md, chart) == (tmp_path / "report.md", tmp_path / "report_files" / "timeline.png")
    text = md.read_text()
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == list(HEADINGS)
    assert "](report_files/timeline.png)" in text
    assert "the pool ran dry" in text and "previous day" in text
    assert re.search(r"^\| 24 \| .*\| 0 \| new \|", text, flags=re.M)


def test_the_markdown_chart_is_a_valid_png_with_bars_and_the_baseline(report, tmp_path):
    _, chart = write_report(report, tmp_path / "report.md")
    data = chart.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (width, height, depth, colour) == (1920, 480, 8, 2)
    at, idat = 8, b""
    while at < len(data):  # the chunks, each checked
        (size,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + size]
        (crc,) = struct.unpack(">I", data[at + 8 + size : at + 12 + size])
        assert crc == zlib.crc32(kind + body)
        idat += body if kind == b"IDAT" else b""
        at += 12 + size
    raw = zlib.decompress(idat)
    assert len(raw) == height * (1 + width * 3)
    pixels = {raw[i : i + 3] for i in range(1, len(raw), 3)}  # (approximate: every 3rd byte)
    info, error = (bytes.fromhex(LEVEL_COLOURS[lv][1:]) for lv in ("INFO", "ERROR"))
    assert info in pixels and error in pixels and b"\x22\x22\x22" in pixels


def test_hostile_log_text_is_shown_as_text_in_markdown(report, tmp_path):
    md, _ = write_report(report, tmp_path / "report.md")
    text = md.read_text()
    outside, inside = _outside_code(text)
    # Outside code, no character that could open HTML or a link is left unescaped...
    assert not re.search(r"(?<!\\)<", outside)
    assert re.findall(r"(?<!\\)\]\(", outside) == ["]("]  # the chart's own image link
    assert "javascript:" not in outside.replace("\\](javascript:", "")
    # ... and in code the hostile text is whole, as it was logged.
    assert any(SCRIPT in code for code in inside)
    assert any(IMG in code for code in inside)
    assert any(HOSTILE["ticks"] in code for code in inside)
    # The notes are the reader's own, escaped all the same.
    assert "\\<script\\>alert(1)\\</script\\> and \\[x\\](javascript:alert(1)) came" in text


def test_code_spans_and_fences_outlast_the_backticks_in_the_text():
    assert report_markdown.code("a ``` b") == "```` a ``` b ````"
    assert report_markdown.code("plain") == "` plain `"
    fenced = report_markdown.fenced("x\n````\ny")
    assert fenced.startswith("`````text\n") and fenced.endswith("\n`````")
    assert report_markdown.plain("[a](javascript:x) <b>|") == "\\[a\\](javascript:x) \\<b\\>\\|"
    assert report_markdown.plain("1. # b", starts_line=True) == "1\\. \\# b"
    assert report_markdown.plain("- item", starts_line=True) == "\\- item"


# -- files ---------------------------------------------------------------------------------
def test_a_name_without_html_or_md_is_refused(report, tmp_path):
    with pytest.raises(LogviewError, match=r"name it \.html or \.md"):
        write_report(report, tmp_path / "report.pdf")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_one_clear_line(report, tmp_path):
    with pytest.raises(LogviewError, match="does not exist"):
        write_report(report, tmp_path / "nowhere" / "report.html")


def test_a_failed_write_leaves_the_old_report_and_no_part_file(report, tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("the old report")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_markdown, "render", broken)
    md = tmp_path / "report.md"
    with pytest.raises(LogviewError, match="No space left on device"):
        write_report(report, md)
    assert not md.exists() and not (tmp_path / "report_files").exists()
    folder = tmp_path / "folder.html"
    folder.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(LogviewError, match="cannot write"):
        write_report(report, folder)
    assert target.read_text() == "the old report"
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".partial")]


def test_when_the_report_was_made_is_said_once_in_utc_and_beside_in_another_zone(investigated):
    from dataclasses import replace

    made = datetime(2026, 3, 11, 8, 0, 5, tzinfo=UTC)
    berlin = replace(make_report(investigated, zone="Europe/Berlin"), made=made)
    assert berlin.made_text() == "2026-03-11 09:00:05 Europe/Berlin (2026-03-11 08:00:05 UTC)"
    utc = replace(make_report(investigated, zone="UTC"), made=made)
    assert utc.made_text() == "2026-03-11 08:00:05 UTC"


def test_an_incidents_code_spans_are_code_and_its_log_text_stays_text():
    from logview.core.investigation.report_html import _coded

    hostile = "new `Charge <script>alert(1)</script> failed` (461)"
    assert _coded(hostile) == (
        "new <code>Charge &lt;script&gt;alert(1)&lt;/script&gt; failed</code> (461)"
    )
    assert _coded("a lone ` stays") == "a lone ` stays"


def test_a_report_of_the_bookmarked_entries_shows_them(investigated):
    # (the whole table: one of the two marked entries lies before the investigation's range)
    state = ViewState(query="filter @bookmarked")
    report = make_report(investigated, state)
    entries = [b for b in investigated["bookmarks"] if b.kind == "entry"]
    assert len(entries) == 2 and report.matched == 2

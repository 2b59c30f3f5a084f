"""The report as Markdown for ticket systems (CommonMark and GitHub's tables), with its chart as
a PNG file in a folder beside it (`report_files/timeline.png`), linked relatively.

Log text can never become a link, an image or HTML: it is either in a code span or fenced
block whose backtick run is longer than any in the text (`code`, `fenced`), or has every
character that can start Markdown backslash-escaped (`plain`: `<script>` and
`](javascript:` are then literal characters; the rest of the punctuation is left alone so
that the raw text stays readable in a ticket that does not render it). Table cells take
only escaped text: GitHub splits a row on a pipe even inside a code span.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from logview.core.investigation import png
from logview.core.investigation.report_charts import (
    AXIS_COLOUR,
    BASELINE_COLOUR,
    GRID_COLOUR,
    spark_text,
    timeline_chart,
)
from logview.core.investigation.report_rows import LINE_CHARS, Report
from logview.core.shared.atomic import write_atomic
from logview.core.shared.display import format_share

# What can start an inline construct (emphasis, code, links, images, HTML, entities, strike,
# table cells, GitHub's mentions and references)...
_INLINE = re.compile(r"([\\`*_\[\]<>!&|~@#])")
# ... and what starts a block at a line's start (lists, quotes, headings, rules, fences).
_BLOCK = re.compile(r"^(\s*)([-+=>]|\d+[.)])")
_BACKTICKS = re.compile(r"`+")
PNG_SCALE = 2  # the PNG is drawn at twice the chart's size, for screens that scale


def write(report: Report, path: Path) -> list[Path]:
    """Return the files written: the charts' PNGs in `<name>_files` beside `path`, then the
    Markdown at `path` (each atomically; the Markdown last, so it never links a missing file)."""
    folder = path.with_name(f"{path.stem}_files")
    text = render(report, f"{folder.name}/").encode("utf-8")
    charts = {}
    if report.timeline is not None:
        charts["timeline.png"] = timeline_png(report)
    written = []
    if charts:
        folder.mkdir(exist_ok=True)
        for name, data in charts.items():
            written.append(write_atomic(folder / name, lambda out, data=data: out.write(data)))
    return [write_atomic(path, lambda out: out.write(text)), *written]


def plain(text: str, *, starts_line: bool = False) -> str:
    """Return `text` on one line with what could make it Markdown backslash-escaped: it reads
    the same and is no link, emphasis, HTML or table cell break, nor, where it `starts_line`,
    a heading, list, quote or rule."""
    escaped = _INLINE.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))
    if not starts_line:
        return escaped
    return _BLOCK.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], escaped)


def code(text: str) -> str:
    """Return `text` as a code span: fenced by more backticks than its longest run, padded
    with a space each side (which CommonMark takes off again)."""
    one_line = text.replace("\r", " ").replace("\n", " ")
    fence = "`" * (max((len(m) for m in _BACKTICKS.findall(one_line)), default=0) + 1)
    return f"{fence} {one_line} {fence}"


def fenced(text: str) -> str:
    """Return `text` as a fenced code block whose fence no line of it can close."""
    fence = "`" * max(3, max((len(m) for m in _BACKTICKS.findall(text)), default=0) + 1)
    return f"{fence}text\n{text}\n{fence}"


def render(report: Report, files: str = "report_files/") -> str:
    """Return the report as Markdown; its charts are linked under `files` (a relative folder)."""
    out = [
        f"# Log report: {plain(report.title)}",
        "",
        f"Made {report.when(report.made, seconds=False)} ({report.zone}) with logview "
        f"{report.version}; every time is in {report.zone}.",
    ]
    if report.notes.strip():
        out += ["", "## Notes", ""]
        out += [
            f"> {plain(line)}" if line.strip() else ">"
            for line in report.notes.strip().splitlines()
        ]
    out += _sources(report)
    out += _query(report)
    out += _timeline(report, files)
    out += _patterns(report)
    out += _incidents(report)
    out += _anomalies(report)
    out += _bookmarks(report)
    out += _made(report)
    return "\n".join(out) + "\n"


def _table(head: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:  # type: ignore[assignment]
    rule = ["--:" if i in right else "---" for i in range(len(head))]
    return [f"| {' | '.join(r)} |" for r in [head, rule, *rows]]


def _sources(report: Report) -> list[str]:
    rows = [
        [plain(s.short + "".join(f" ({n})" for n in s.notes)), plain(s.format), f"{s.entries:,}",
         plain(report.span(s.first, s.last))]
        for s in report.sources
    ]  # fmt: skip
    return ["", "## Sources", "", f"{report.sources_cut.said('source')}", "",
            *_table(["Source", "Format", "Entries", "Span"], rows, {2})]  # fmt: skip


def _query(report: Report) -> list[str]:
    whole = "" if report.range_asked else " (the whole span)"
    out = ["", "## Query and range", ""]
    out.append(
        f"- **Query:** {code(report.query) if report.query.strip() else 'none: every entry'}"
    )
    out.append(f"- **Range:** {plain(report.span(report.start, report.end))}{whole}")
    if report.excluded:
        out.append(f"- **Left out:** {', '.join(code(s) for s in report.excluded)}")
    if report.matched is not None:
        out.append(f"- **Entries:** {report.matched:,} of {report.entries:,}")
    if report.comparison:
        out.append(f"- **Compared with:** {plain(report.comparison)}")
    if report.result_columns:
        out += ["", "### Result", "", report.result_cut.said("row"), ""]
        rows = [[plain(v) for v in row] for row in report.result_rows]
        out += _table([plain(c) for c in report.result_columns], rows)
    return out


def _timeline(report: Report, files: str) -> list[str]:
    out = ["", "## Timeline", ""]
    t = report.timeline
    if t is None:
        return [*out, "No entry has a time stamp."]
    chart = timeline_chart(t, report.zone)
    levels = [lv for lv, counts in t.levels if any(counts)]
    against = f"; dashed line: {plain(t.baseline_label or 'the baseline')}" if t.baseline else ""
    caption = (
        f"Entries per {chart.bucket} from {plain(report.when(report.start, seconds=False))} to "
        f"{plain(report.when(report.end, seconds=False))} ({report.zone}), bars stacked by "
        f"level ({', '.join(reversed(levels))}){against}."
    )
    return [
        *out,
        f"![Timeline: entries per {chart.bucket}]({quote(files)}timeline.png)",
        "",
        caption,
    ]


def _patterns(report: Report) -> list[str]:
    out = ["", "## Patterns", ""]
    if not report.patterns:
        return [*out, "No patterns: the entries were not mined, or none matched."]
    out += [f"{report.patterns_cut.said('pattern')}, as the Patterns tab lists them.", ""]
    head = ["Count", "Share", "Level"]
    if report.compared:
        head += ["Before", "Status"]
    head += ["Over time", "Pattern"]
    rows = []
    for p in report.patterns:
        row = [f"{p.count:,}", format_share(p.share), p.severity]
        if report.compared:
            row += [f"{(p.before or 0):,}", plain(f"{p.status} {p.change}".strip())]
        rows.append([*row, spark_text(p.spark), plain(p.template)])
    return [*out, *_table(head, rows, {0, 1, 3} if report.compared else {0, 1})]


def _incidents(report: Report) -> list[str]:
    out = ["", "## Incidents", ""]
    if not report.incidents:
        return [*out, "No incident in this range."]
    out.append(f"{report.incidents_cut.said('incident')}: anomalies that overlap and are related.")
    for n in report.incidents:
        members = ", ".join(f"{plain(name)} ({count})" for name, count in n.members)
        out += [
            "", f"### {n.priority} {plain(report.span(n.start, n.end))}", "", plain(n.headline, starts_line=True), "",
            f"- **First sign:** {plain(n.first_sign)}", f"- **Sources:** {members}",
            f"- **Linked by:** {plain('; '.join(n.links))}",
        ]  # fmt: skip
    return out


def _anomalies(report: Report) -> list[str]:
    out = ["", "## Anomalies", ""]
    if not report.anomalies:
        return [*out, "No anomaly in this range (or none was looked for)."]
    out += [f"{report.anomalies_cut.said('anomaly', 'anomalies')}, most urgent first.", ""]
    for i, a in enumerate(report.anomalies, 1):
        source = f"; in {plain(a.source)}" if a.source else ""
        out.append(
            f"{i}. **{a.priority}** {plain(a.kind)}, {plain(report.span(a.start, a.end))}: "
            f"{code(a.template)}  \n   {plain(a.description)}; compared with {plain(a.baseline)}{source}"
        )
        out += [f"   - {code(s)}" for s in a.samples]
    return out


def _bookmarks(report: Report) -> list[str]:
    out = ["", "## Bookmarks", ""]
    if not report.bookmarks:
        return [*out, "Nothing was bookmarked."]
    out.append(report.bookmarks_cut.said("bookmark"))
    for b in report.bookmarks:
        when = f" {plain(report.when(b.ts))}" if b.ts else ""
        count = f" · {b.count:,} entries in this view" if b.count is not None else ""
        gone = "" if b.found else " (not found in these sources)"
        out += ["", f"### {b.kind}{when} {code(b.where)}{count}{gone}", ""]
        if b.note.strip():
            out += [
                f"> {plain(line, starts_line=True)}" if line.strip() else ">"
                for line in b.note.strip().splitlines()
            ]
            out.append("")
        if b.lines:
            shown = []
            for line in b.lines:
                mark = "\u00bb " if line.marked else "  "
                head = f"{mark}{report.when(line.ts)} {line.level:<5} {line.source}:{line.line}  "
                text = line.text.replace("\n", "\n" + " " * len(head))
                shown.append(head + text)
            out.append(fenced("\n".join(shown)))
        elif b.title:
            out.append(fenced(b.title))
    return out


def _made(report: Report) -> list[str]:
    return [
        "", "## How it was made", "",
        f"- **Program:** logview {report.version}",
        f"- **Made:** {report.made_text()}",
        f"- **Time zone:** {report.zone}: every time in this report",
        f"- **Entries read:** {report.entries:,}",
        f"- **Limits:** lists are cut to their first entries as each section says; log lines are "
        f"cut at {LINE_CHARS} characters, control characters shown as symbols",
    ]  # fmt: skip


def timeline_png(report: Report) -> bytes:
    """Return the report's timeline as a PNG: the same chart the HTML draws, twice the size."""
    assert report.timeline is not None
    c = timeline_chart(report.timeline, report.zone)
    k = PNG_SCALE
    image = png.canvas(c.width * k, c.height * k)
    left, top, right, bottom = c.plot
    for tick in c.y_ticks:
        png.fill(image, left * k, tick.at * k, right * k, tick.at * k + 1, GRID_COLOUR)
        png.text(
            image, (left - 6) * k, (tick.at - 4) * k, tick.label, AXIS_COLOUR, scale=k, anchor="end"
        )
    for bar in c.bars:
        png.fill(
            image,
            bar.x * k,
            bar.y * k,
            (bar.x + bar.width) * k,
            (bar.y + bar.height) * k,
            bar.colour,
        )
    for line in c.baseline:
        scaled = tuple((x * k, y * k) for x, y in line)
        png.step_line(image, scaled, BASELINE_COLOUR, thick=3, dash=10)
    png.fill(image, left * k, bottom * k, right * k, bottom * k + 2, AXIS_COLOUR)
    for tick in c.x_ticks:
        png.fill(image, tick.at * k, bottom * k, tick.at * k + 2, (bottom + 4) * k, AXIS_COLOUR)
        png.text(
            image, tick.at * k, (bottom + 8) * k, tick.label, AXIS_COLOUR, scale=k, anchor="middle"
        )
        if tick.second:
            png.text(
                image,
                tick.at * k,
                (bottom + 21) * k,
                tick.second,
                AXIS_COLOUR,
                scale=k,
                anchor="middle",
            )
    return png.encode(image)

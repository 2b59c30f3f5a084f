"""The report as one self-contained HTML file: styles inline, charts as inline SVG, no script,
no link out, and a Content-Security-Policy that lets nothing load or run should a log line
get past the escaping. Every text that came from a log (or a file name, or the reader) goes
through `html.escape`; a line holding `<script>` is shown as those characters."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from logview.core.investigation.report_charts import (
    AXIS_COLOUR,
    BASELINE_COLOUR,
    GRID_COLOUR,
    LEVEL_COLOURS,
    spark_points,
    timeline_chart,
)
from logview.core.investigation.report_rows import LINE_CHARS, Report, Timeline
from logview.core.shared.atomic import write_atomic
from logview.core.shared.display import format_share

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1d;
       max-width: 1100px; margin: 24px auto; padding: 0 20px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px;
     border-bottom: 1px solid #ddd; padding-bottom: 4px; } h3 { font-size: 14px; margin: 14px 0 4px; }
.sub, .cut, .dim { color: #666; } .cut { font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid #eee; }
th { font-weight: 600; background: #f6f6f6; } td.n { text-align: right; white-space: nowrap; }
code, pre, .log { font: 12.5px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
td.log { word-break: break-all; }
pre { background: #f7f7f7; border: 1px solid #e6e6e6; padding: 6px 8px; margin: 4px 0;
      white-space: pre-wrap; word-break: break-all; }
pre .mark { background: #fff3c4; display: block; }
.notes { white-space: pre-wrap; background: #fbfbf4; border-left: 3px solid #c9b458; padding: 8px 12px; }
.HIGH, .up, .ERROR, .FATAL { color: #c62828; } .MEDIUM, .WARN { color: #a86400; }
.new { color: #1565c0; } .down { color: #2e7d32; } .gone { color: #6d4c41; }
.legend span { display: inline-block; margin-right: 14px; } .legend i { display: inline-block;
  width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 6px 0; }
dt { color: #666; } dd { margin: 0; }
"""


def write(report: Report, path: Path) -> Path:
    """Return `path` after writing `report` there as HTML (atomically)."""
    data = render(report).encode("utf-8")
    return write_atomic(path, lambda out: out.write(data))


def render(report: Report) -> str:
    """Return the report as one HTML document."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Log report: {_e(report.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Log report: {_e(report.title)}</h1>",
        f'<p class="sub">Made {_e(report.when(report.made, seconds=False))} ({_e(report.zone)}) '
        f"with logview {_e(report.version)}; every time is in {_e(report.zone)}.</p>",
    ]
    if report.notes.strip():
        parts += [
            '<h2 id="notes">Notes</h2>',
            f'<div class="notes">{_e(report.notes.strip())}</div>',
        ]
    parts += _sources(report)
    parts += _query(report)
    parts += _timeline(report)
    parts += _patterns(report)
    parts += _incidents(report)
    parts += _anomalies(report)
    parts += _bookmarks(report)
    parts += _made(report)
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _coded(text: str) -> str:
    """Return `text` escaped, its Markdown code spans (an incident's `template`) as <code>:
    the tags go around text already escaped, so nothing of the log's becomes markup."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(text))


def _sources(report: Report) -> list[str]:
    out = [
        '<h2 id="sources">Sources</h2>',
        f'<p class="sub">{report.sources_cut.said("source")}</p>',
    ]
    out.append("<table><tr><th>Source</th><th>Format</th><th>Entries</th><th>Span</th></tr>")
    for s in report.sources:
        notes = "".join(f'<br><span class="dim">{_e(n)}</span>' for n in s.notes)
        out.append(
            f'<tr><td><b>{_e(s.short)}</b><br><span class="dim log">{_e(s.name)}</span>{notes}</td><td>{_e(s.format)}</td>'
            f'<td class="n">{s.entries:,}</td><td>{_e(report.span(s.first, s.last))}</td></tr>'
        )
    out.append("</table>")
    return out


def _query(report: Report) -> list[str]:
    rows = [
        ("Query", f"<code>{_e(report.query)}</code>" if report.query.strip() else "none: every entry"),
        ("Range", _e(report.span(report.start, report.end))
         + ("" if report.range_asked else ' <span class="dim">(the whole span)</span>')),
    ]  # fmt: skip
    if report.excluded:
        rows.append(("Left out", "<br>".join(f"<code>{_e(s)}</code>" for s in report.excluded)))
    if report.matched is not None:
        rows.append(("Entries", f"{report.matched:,} of {report.entries:,}"))
    if report.comparison:
        rows.append(("Compared with", _e(report.comparison)))
    out = ['<h2 id="query">Query and range</h2>', "<dl>"]
    out += [f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows]
    out.append("</dl>")
    if report.result_columns:
        out.append(f'<h3>Result</h3><p class="sub">{report.result_cut.said("row")}</p><table><tr>')
        out += [f"<th>{_e(c)}</th>" for c in report.result_columns]
        out.append("</tr>")
        for row in report.result_rows:
            out.append("<tr>" + "".join(f'<td class="log">{_e(v)}</td>' for v in row) + "</tr>")
        out.append("</table>")
    return out


def _timeline(report: Report) -> list[str]:
    out = ['<h2 id="timeline">Timeline</h2>']
    if report.timeline is None:
        return [*out, '<p class="dim">No entry has a time stamp.</p>']
    out.append(timeline_svg(report.timeline, report.zone))
    levels = [lv for lv, counts in report.timeline.levels if any(counts)]
    legend = [
        f'<span><i style="background:{LEVEL_COLOURS[lv]}"></i>{lv}</span>'
        for lv in reversed(levels)
    ]
    if report.timeline.baseline is not None:
        legend.append(f"<span>- - - {_e(report.timeline.baseline_label or 'the baseline')}</span>")
    chart = timeline_chart(report.timeline, report.zone)
    out.append(f'<p class="legend sub">Entries per {chart.bucket}: {"".join(legend)}</p>')
    return out


def timeline_svg(t: Timeline, zone: str) -> str:
    """Return timeline `t` as an inline SVG: bars stacked by level, the baseline dashed."""
    c = timeline_chart(t, zone)
    left, top, right, bottom = c.plot
    out = [
        f'<svg viewBox="0 0 {c.width} {c.height}" '
        f'width="100%" role="img" aria-label="entries over time" font-size="11" '
        f'font-family="system-ui, sans-serif">'
    ]
    for tick in c.y_ticks:
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{tick.at:.1f}" y2="{tick.at:.1f}" stroke="{GRID_COLOUR}"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{tick.at + 4:.1f}" text-anchor="end" fill="{AXIS_COLOUR}">{_e(tick.label)}</text>'
        )
    for bar in c.bars:
        out.append(
            f'<rect x="{bar.x:.1f}" y="{bar.y:.1f}" width="{bar.width:.1f}" height="{bar.height:.1f}" fill="{bar.colour}"/>'
        )
    for line in c.baseline:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{BASELINE_COLOUR}" stroke-width="1.6" stroke-dasharray="5 3"/>'
        )
    out.append(
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{AXIS_COLOUR}"/>'
    )
    for tick in c.x_ticks:
        out.append(
            f'<line x1="{tick.at:.1f}" x2="{tick.at:.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="{AXIS_COLOUR}"/>'
        )
        out.append(
            f'<text x="{tick.at:.1f}" y="{bottom + 16}" text-anchor="middle" fill="{AXIS_COLOUR}">{_e(tick.label)}</text>'
        )
        if tick.second:
            out.append(
                f'<text x="{tick.at:.1f}" y="{bottom + 29}" text-anchor="middle" fill="{AXIS_COLOUR}">{_e(tick.second)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _spark_svg(values: tuple[int, ...]) -> str:
    points = spark_points(values, 100, 18)
    if not points:
        return ""
    text = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (
        '<svg width="100" height="18" viewBox="0 0 100 18">'
        f'<polyline points="{text}" fill="none" stroke="#4e79a7" stroke-width="1.2"/></svg>'
    )


def _patterns(report: Report) -> list[str]:
    out = ['<h2 id="patterns">Patterns</h2>']
    if not report.patterns:
        return [
            *out,
            '<p class="dim">No patterns: the entries were not mined, or none matched.</p>',
        ]
    out.append(
        f'<p class="sub">{report.patterns_cut.said("pattern")}, as the Patterns tab lists them</p>'
    )
    head = "<th>Count</th><th>Share</th><th>Level</th>"
    if report.compared:
        head += "<th>Before</th><th>Status</th>"
    out.append(f"<table><tr>{head}<th>Over time</th><th>Pattern</th></tr>")
    for p in report.patterns:
        cells = f'<td class="n">{p.count:,}</td><td class="n">{format_share(p.share)}</td>'
        cells += f'<td class="{_e(p.severity)}">{_e(p.severity)}</td>'
        if report.compared:
            status = f"{p.status} {p.change}".strip()
            cells += f'<td class="n">{(p.before or 0):,}</td><td class="{_e(p.status or "")}">{_e(status)}</td>'
        cells += f'<td>{_spark_svg(p.spark)}</td><td class="log">{_e(p.template)}</td>'
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return out


def _incidents(report: Report) -> list[str]:
    out = ['<h2 id="incidents">Incidents</h2>']
    if not report.incidents:
        return [*out, '<p class="dim">No incident in this range.</p>']
    out.append(
        f'<p class="sub">{report.incidents_cut.said("incident")}: anomalies that overlap and are related</p>'
    )
    for n in report.incidents:
        members = ", ".join(f"{_e(name)} ({count})" for name, count in n.members)
        out.append(
            f'<h3><span class="{_e(n.priority)}">{_e(n.priority)}</span> {_e(report.span(n.start, n.end))}</h3>'
            f'<p class="log">{_coded(n.headline)}</p><dl><dt>First sign</dt><dd class="log">{_coded(n.first_sign)}</dd>'
            f"<dt>Sources</dt><dd>{members}</dd><dt>Linked by</dt><dd>{_e('; '.join(n.links))}</dd></dl>"
        )
    return out


def _anomalies(report: Report) -> list[str]:
    out = ['<h2 id="anomalies">Anomalies</h2>']
    if not report.anomalies:
        return [*out, '<p class="dim">No anomaly in this range (or none was looked for).</p>']
    out.append(
        f'<p class="sub">{report.anomalies_cut.said("anomaly", "anomalies")}, most urgent first</p>'
    )
    out.append("<table><tr><th>Priority</th><th>Kind</th><th>When</th><th>What</th></tr>")
    for a in report.anomalies:
        samples = "".join(f'<br><span class="dim log">{_e(s)}</span>' for s in a.samples)
        source = f'<br><span class="dim">in {_e(a.source)}</span>' if a.source else ""
        out.append(
            f'<tr><td class="{_e(a.priority)}">{_e(a.priority)}</td><td>{_e(a.kind)}</td>'
            f"<td>{_e(report.span(a.start, a.end))}</td>"
            f'<td><span class="log">{_e(a.template)}</span><br>{_e(a.description)}'
            f'<br><span class="dim">compared with {_e(a.baseline)}</span>{source}{samples}</td></tr>'
        )
    out.append("</table>")
    return out


def _bookmarks(report: Report) -> list[str]:
    out = ['<h2 id="bookmarks">Bookmarks</h2>']
    if not report.bookmarks:
        return [*out, '<p class="dim">Nothing was bookmarked.</p>']
    out.append(f'<p class="sub">{report.bookmarks_cut.said("bookmark")}</p>')
    for b in report.bookmarks:
        when = f" {_e(report.when(b.ts))}" if b.ts else ""
        gone = "" if b.found else ' <span class="dim">(not found in these sources)</span>'
        count = f" \u00b7 {b.count:,} entries in this view" if b.count is not None else ""
        out.append(f"<h3>{_e(b.kind)}{when} <code>{_e(b.where)}</code>{count}{gone}</h3>")
        if b.note.strip():
            out.append(f'<div class="notes">{_e(b.note.strip())}</div>')
        if b.lines:
            rows = []
            for line in b.lines:
                text = (
                    f"{report.when(line.ts)} {line.level:<5} {line.source}:{line.line}  {line.text}"
                )
                rows.append(
                    f'<span class="mark">{_e(text)}</span>' if line.marked else _e(text) + "\n"
                )
            out.append(f"<pre>{''.join(rows)}</pre>")
        elif b.title:
            out.append(f"<pre>{_e(b.title)}</pre>")
    return out


def _made(report: Report) -> list[str]:
    return [
        '<h2 id="made">How it was made</h2><dl>',
        f"<dt>Program</dt><dd>logview {_e(report.version)}</dd>",
        f"<dt>Made</dt><dd>{_e(report.made_text())}</dd>",
        f"<dt>Time zone</dt><dd>{_e(report.zone)}: every time in this report</dd>",
        f"<dt>Entries read</dt><dd>{report.entries:,}</dd>",
        "<dt>Limits</dt><dd>lists are cut to their first entries as each section says; "
        f"log lines are cut at {LINE_CHARS} characters, control characters shown as symbols</dd></dl>",
    ]

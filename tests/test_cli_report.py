"""`logview report`: PATHs or a saved investigation to one HTML file or Markdown with its chart;
options given win over the investigation's; bad input is one line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_report import DAY2, LINK, SCRIPT, write_logs

from logview.cli_report import run
from logview.core.analysis.view import ViewState
from logview.core.investigation import bookmarks as marks
from logview.core.investigation import saved
from logview.core.shared.errors import LogviewError


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    return write_logs(tmp_path_factory.mktemp("cli-logs"))


def test_report_of_paths_with_a_comparison_writes_one_html_file(logs, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert run([*logs, "--compare", "previous-day", "--out", str(out), "--no-cache"]) == 0
    assert capsys.readouterr().out.split() == [str(out)]
    text = out.read_text()
    # No range given: the data's last day against the day before, as `logview compare` does.
    # (The last entry is at 2026-03-10 23:56:30.)
    assert "vs previous day (2026-03-08 23:56 \u2013 2026-03-09 23:56)" in text
    assert "Timeout acquiring connection from pool db after" in text
    assert "&lt;script&gt;" in text and SCRIPT not in text
    assert list(tmp_path.iterdir()) == [out]


def test_report_as_markdown_writes_the_chart_beside_it(logs, tmp_path, capsys):
    out = tmp_path / "ticket.md"
    args = [*logs, "--query", "ERROR", "--start", "2026-03-10T12:00:00Z",
            "--end", "2026-03-10T16:00:00Z", "--display-tz", "America/New_York", "--out", str(out)]  # fmt: skip
    assert run(args) == 0
    chart = tmp_path / "ticket_files" / "timeline.png"
    assert capsys.readouterr().out.split() == [str(out), str(chart)]
    text = out.read_text()
    assert "](ticket_files/timeline.png)" in text
    assert "- **Query:** ` ERROR `" in text
    assert "- **Range:** 2026-03-10 08:00:00 \u2013 2026-03-10 12:00:00" in text  # New York
    assert "- **Entries:** 48 of 1,488" in text  # the burst's errors only
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_of_a_saved_investigation_has_its_view_bookmarks_and_notes(logs, tmp_path):
    file = tmp_path / "case.logview"
    state = ViewState(query="Timeout", start=DAY2, end=DAY2 + timedelta(days=1))
    app = next(p for p in logs if p.endswith("app.log"))
    mark = marks.entry(app, 10, title="a line").with_note(f"look here {LINK}")
    saved.write(file, saved.new(logs, state, file=file, bookmarks=(mark,), notes="Found it."))
    out = tmp_path / "report.html"
    assert run(["--investigation", str(file), "--out", str(out)]) == 0
    text = out.read_text()
    assert "<code>Timeout</code>" in text and "Found it." in text
    assert "look here ](javascript:alert(1))" in text  # a note is text, and harmless in HTML
    assert 'class="mark"' in text  # the bookmarked line with its context
    # An option given wins over the file's own.
    assert run(["--investigation", str(file), "--query", "job", "--out", str(out)]) == 0
    assert "<code>job</code>" in out.read_text()


def test_bad_input_is_one_clear_line(logs, tmp_path):
    with pytest.raises(LogviewError, match=r"name it \.html or \.md"):
        run([*logs, "--out", str(tmp_path / "report.pdf")])
    with pytest.raises(LogviewError, match="give the PATHs"):
        run(["--out", str(tmp_path / "report.html")])
    with pytest.raises(LogviewError, match="does not exist"):
        run([*logs, "--out", str(tmp_path / "no" / "report.html")])
    with pytest.raises(LogviewError, match="--start wants an ISO 8601 time"):
        run([*logs, "--start", "yesterday", "--out", str(tmp_path / "r.html")])
    with pytest.raises(LogviewError, match="cannot open"):
        run(["--investigation", str(tmp_path / "none.logview"), "--out", str(tmp_path / "r.html")])
    with pytest.raises(SystemExit) as exit_:
        run([*logs])  # --out is required
    assert exit_.value.code == 2
    assert not list(tmp_path.glob("*.html"))


def test_the_command_line_runs_report_and_says_a_bad_input_in_one_line(logs, tmp_path, capsys):
    from logview.cli import main

    out = tmp_path / "report.html"
    assert main(["report", *logs, "--out", str(out), "--no-cache"]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    capsys.readouterr()
    assert main(["report", *logs, "--out", str(tmp_path / "report.pdf")]) == 2
    assert capsys.readouterr().err.count("\n") == 1

"""A log pasted into a report (an issue, a forum post, a ticket's comment): its fenced lines."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from logview.core.reading.fences import fenced, fenced_sample
from logview.core.reading.ingest import ingest

# `adb logcat -v threadtime` pasted into a GitHub issue (Markdown's fences)
ISSUE = [
    "**Describe the bug**",
    "Playback stops after ten minutes with the screen off, then the app is not responding.",
    "",
    "**Logcat** (`adb logcat -v threadtime`):",
    "",
    "```",
    "06-27 08:14:21.907  4821  4821 I MediaSessionService: onStartCommand: action=MEDIA_BUTTON",
    "06-27 08:14:22.031  4821  4870 D CCodec  : allocate(c2.android.aac.decoder)",
    "06-27 08:24:43.014  1502 31044 I ActivityManager: Killing 4821:com.example/u0a312: bg anr",
    "06-27 08:24:43.052  1502  1589 W ActivityManager: Scheduling restart of crashed service",
    "```",
    "",
    "The full bugreport is too big for GitHub; I can send it by mail.",
]
# MongoDB's JSON log in a Jira comment (Jira's `{noformat}`)
TICKET = [
    "After the upgrade the secondary crashes a few seconds after every restart.",
    "{noformat}",
    '{"t":{"$date":"2024-06-27T10:14:19.004+02:00"},"s":"I","c":"REPL","id":21799,'
    '"ctx":"ReplCoord-3","msg":"Sync source candidate chosen"}',
    '{"t":{"$date":"2024-06-27T10:14:21.907+02:00"},"s":"F","c":"REPL","id":21238,'
    '"ctx":"ReplWriterWorker-3","msg":"Writer worker caught exception"}',
    "{noformat}",
    "The unique index exists on all three members.",
]


def test_the_fenced_lines_of_a_report_are_kept():
    keep = fenced(pl.Series(ISSUE))
    assert keep is not None and keep.arg_true().to_list() == [6, 7, 8, 9]
    assert fenced_sample(tuple(TICKET)) == tuple(TICKET[2:4])


def test_a_log_that_quotes_a_fence_now_and_then_is_no_report():
    # most lines outside any fence: a chat bot's log that shows a code block
    log = [f"2024-06-27 08:14:{s:02d} INFO bot: message {s}" for s in range(12)]
    log[3:3] = ["```", "print('hello')", "```"]
    assert fenced(pl.Series(log)) is None
    assert fenced_sample(tuple(log)) == tuple(log)
    # one fence alone holds nothing
    assert fenced(pl.Series(["```", *log[4:]])) is None


def test_a_pasted_log_is_read_as_its_format_without_the_reports_text(tmp_path):
    path = tmp_path / "issue-1942.txt"
    path.write_text("\n".join(ISSUE) + "\n")
    result = ingest([path])
    (info,) = result.sources
    assert info.format == "logcat"
    table = result.table
    assert table.height == 4
    assert table["level"].cast(pl.String).to_list() == ["INFO", "DEBUG", "INFO", "WARN"]
    assert any("around its code fences left out" in note for note in info.notes)
    path = tmp_path / "SERVER-81234.txt"
    path.write_text("\n".join(TICKET) + "\n")
    result = ingest([path])
    assert result.sources[0].format == "mongodb"
    assert result.table["ts"].to_list() == [
        datetime(2024, 6, 27, 8, 14, 19, 4000, tzinfo=UTC),
        datetime(2024, 6, 27, 8, 14, 21, 907000, tzinfo=UTC),
    ]

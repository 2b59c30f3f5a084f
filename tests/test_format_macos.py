"""macOS `log show` output, in the default and compact styles log(1) documents."""

from __future__ import annotations

from helpers import lines_of, utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.macos import parse_log_show, sniff
from logview.core.reading.registry import sniff as detect

DEFAULT = [
    'Filtering the log data using "process == \\"kernel\\""',
    "Skipping info and debug messages, pass --info and/or --debug to include.",
    "Timestamp                       Thread     Type        Activity             PID    TTL  ",
    "2024-03-14 02:26:50.101843-0700 0x6d       Default     0x0                  0      0    "
    "kernel: (AppleSMC) Previous shutdown cause: 5",
    "2024-03-14 02:26:54.002117-0700 0x1f4b1    Error       0x2c1e4              412    0    "
    "backupd: (TimeMachine) [com.apple.TimeMachine:General] Backup failed",
    "    ID: 7C1E2D3A-4B5C-4D6E-8F70-8192A3B4C5D6",
    "2024-03-14 02:29:00.000001-0700 0x6d       Fault       0x0                  0      0    "
    "kernel: (apfs) sync: failed to flush, error 5",
    "-" * 100,
    "Log      - Default:          1, Info:                0, Debug:             0, Error:"
    "          1, Fault:          1",
]
COMPACT = [
    "Timestamp               Ty Process[PID:TID]",
    "2024-03-14 02:26:50.101 Df kernel[0:6d] (AppleSMC) Previous shutdown cause: 5",
    "2024-03-14 02:26:51.202 E  backupd[412:1f4b1] (TimeMachine) Backup failed",
    "2024-03-14 02:26:52.303 Db backupd[412:1f4b1] (TimeMachine) checking destination",
]


def sample(texts: list[str]) -> Sample:
    return Sample("system_logs.txt", "\n".join(texts).encode(), tuple(texts))


def test_both_styles_are_detected():
    for texts in (DEFAULT, COMPACT):
        assert sniff(sample(texts)) == 0.9
        found = detect(sample(texts))
        assert found is not None and found.format.name == "macos-log"


def test_default_style_gives_stamp_level_process_and_joins_indented_lines():
    notes: list[str] = []
    frame = parse_log_show(lines_of(DEFAULT), ParseContext("x.txt", note=notes.append))
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 26, 50, 101843),
        utc(2024, 3, 14, 9, 26, 54, 2117),
        utc(2024, 3, 14, 9, 29, 0, 1),
    ]
    assert frame["level"].to_list() == ["INFO", "ERROR", "FATAL"]
    assert frame["program"].to_list() == ["kernel", "backupd", "kernel"]
    assert frame["pid"].to_list() == ["0", "412", "0"]
    assert frame["message"][1].endswith("ID: 7C1E2D3A-4B5C-4D6E-8F70-8192A3B4C5D6")
    assert any("5 log show (filter, titles, counts) lines" in note for note in notes)


def test_compact_style(tmp_path):
    path = tmp_path / "compact.txt"
    path.write_text("\n".join(COMPACT) + "\n")
    table = ingest([path], tz="UTC").table.sort("line")
    assert table["level"].cast(str).to_list() == ["INFO", "ERROR", "DEBUG"]
    assert table["program"].cast(str).to_list() == ["kernel", "backupd", "backupd"]
    assert table["ts"][0] == utc(2024, 3, 14, 2, 26, 50, 101000)

"""journald's export format, written after systemd's "Journal Export Formats" document."""

from __future__ import annotations

import struct

from helpers import utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.journal_export import parse_export, sniff
from logview.core.reading.registry import sniff as detect


def block(i: int, priority: int, message: str) -> bytes:
    return (
        f"__CURSOR=s=739ad463348b4ceca5a9e69c95a3c93f;i={i};b=6ef0;m=1;t=4;x=f\n"
        f"__REALTIME_TIMESTAMP={1710408413589012 + i * 1_000_000}\n"
        f"__MONOTONIC_TIMESTAMP={731520077 + i}\n"
        "_BOOT_ID=6ef0a7c2f4b04f8f9a1b2c3d4e5f6a7b\n"
        f"PRIORITY={priority}\n"
        "SYSLOG_IDENTIFIER=systemd\n"
        "_PID=1\n"
        f"MESSAGE={message}\n\n"
    ).encode()


def binary_block(i: int, message: bytes) -> bytes:
    # a value with a line break: the key alone, its length as 64-bit little-endian, the bytes
    return (
        f"__CURSOR=s=739a;i={i}\n__REALTIME_TIMESTAMP={1710408413589012 + i * 1_000_000}\n"
        "PRIORITY=3\n".encode()
        + b"MESSAGE\n"
        + struct.pack("<Q", len(message))
        + message
        + b"\n\n"
    )


DATA = (
    block(0, 6, "Starting nginx.service...")
    + binary_block(1, b"Failed:\nline two")
    + block(2, 4, "nginx.service: Scheduled restart job")
)


def test_export_is_detected_by_its_first_block():
    sample = Sample("system.export", DATA[:65536], tuple(DATA.decode("latin-1").splitlines()))
    assert sniff(sample) == 0.95
    found = detect(sample, binary_only=True)  # as ingest does, before the NUL-byte check
    assert found is not None and found.format.name == "journal-export"
    other = b"KEY=value\nMESSAGE=x\n"
    assert sniff(Sample("a.env", other, ("KEY=value", "MESSAGE=x"))) == 0.0


def test_export_entries_give_stamp_priority_message_and_fields():
    frame = parse_export(DATA, ParseContext("system.export"))
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 26, 53, 589012),
        utc(2024, 3, 14, 9, 26, 54, 589012),
        utc(2024, 3, 14, 9, 26, 55, 589012),
    ]
    assert frame["level"].to_list() == ["INFO", "ERROR", "WARN"]
    assert frame["message"].to_list()[1] == "Failed:\nline two"
    assert frame["program"].to_list() == ["systemd", None, "systemd"]
    assert frame["pid"].to_list() == ["1", None, "1"]
    # each entry's line is where its block starts (the binary value's line break counted)
    assert frame["line"].to_list() == [1, 10, 16]


def test_a_block_cut_short_keeps_what_was_read(tmp_path):
    path = tmp_path / "cut.export"
    path.write_bytes(
        DATA + b"__CURSOR=s=1;i=9\n__REALTIME_TIMESTAMP=1710408470000000\nMESSAGE\n\x05"
    )
    result = ingest([path])
    assert result.table.height == 4
    # without a MESSAGE, the entry shows the fields it has
    assert "1710408470000000" in result.table.sort("line")["message"].to_list()[3]


# `journalctl -o verbose`, as journalctl(1) describes it: a line with the entry's local time
# and its cursor, then every field indented. The cursor's t= is the entry's realtime stamp.
VERBOSE = """Thu 2024-03-14 10:21:07.412733 CET [s=2f1d;i=1c4e7;b=7a9e;m=f40ba12210;t=6139b694772fd;x=4f2a]
    PRIORITY=6
    SYSLOG_IDENTIFIER=sshd
    _PID=48120
    MESSAGE=Accepted publickey for deploy from 198.51.100.23 port 51622 ssh2
Thu 2024-03-14 10:23:52.090114 CET [s=2f1d;i=1c51a;b=7a9e;m=f41571e915;t=6139b73183a02;x=0d8e]
    PRIORITY=4
    SYSLOG_IDENTIFIER=kernel
    MESSAGE=nf_conntrack: table full, dropping packet
"""


def test_verbose_output_is_read_entry_by_entry_with_the_cursors_stamp():
    from logview.core.reading.parsers.journal_export import parse_verbose, sniff_verbose

    lines = tuple(line for line in VERBOSE.splitlines() if line.strip())
    sample = Sample("journal.txt", VERBOSE.encode(), lines)
    assert sniff_verbose(sample) == 0.95
    assert detect(sample).format.name == "journal-verbose"
    frame = parse_verbose(VERBOSE.encode(), ParseContext("journal.txt"))
    assert frame["line"].to_list() == [1, 6]
    # t=6139b694772fd is 1710408067412733 microseconds: 09:21:07.412733 UTC (10:21 CET)
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 21, 7, 412733),
        utc(2024, 3, 14, 9, 23, 52, 90114),
    ]
    assert frame["level"].to_list() == ["INFO", "WARN"]
    assert frame["message"][1] == "nf_conntrack: table full, dropping packet"
    # a plain syslog file is not verbose output
    syslog = ("Mar 14 10:21:07 web sshd[1]: Accepted",) * 3
    assert sniff_verbose(Sample("messages", b"", syslog)) == 0.0

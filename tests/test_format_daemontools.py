"""daemontools/runit/s6 logs: TAI64N labels read exactly, svlogd's own stamps."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.daemontools import parse_daemontools
from logview.core.reading.parsers.daemontools import sniff as sniff_daemontools
from logview.core.reading.registry import sniff


def label(when: datetime, nanos: int = 0) -> str:
    return f"@{(1 << 62) + 10 + int(when.timestamp()):016x}{nanos:08x}"


T0 = datetime(2023, 3, 6, 18, 34, 17, tzinfo=UTC)
TAI = [
    f"{label(T0, 383_000_000)} starting sshd",
    f"{label(T0, 500_000_000)} ERROR: cannot bind port 22",
    "  continued output without a label",
    f"{label(datetime(2023, 3, 6, 18, 35, tzinfo=UTC))} WARNING low entropy",
]
SVLOGD = ["2023-03-06_18:34:17.38321 starting nginx", "2023-03-06_18:34:18.00001 ready"]


def sample_of(texts: list[str]) -> Sample:
    return Sample("current", "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def test_tai64n_and_svlogd_logs_are_detected():
    for texts in (TAI, SVLOGD):
        found = sniff(sample_of(texts))
        assert found is not None and found.format.name == "tai64n"


def test_iso_stamped_text_is_not_taken_for_svlogd():
    assert sniff_daemontools(sample_of(["2023-03-06 18:34:17 started"] * 3)) == 0.0


def test_labels_are_read_to_the_microsecond():
    frame = parse_daemontools(lines_of(TAI), ParseContext("current"))
    assert frame["ts"].to_list() == [
        datetime(2023, 3, 6, 18, 34, 17, 383000, tzinfo=UTC),
        datetime(2023, 3, 6, 18, 34, 17, 500000, tzinfo=UTC),
        datetime(2023, 3, 6, 18, 35, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == [None, "ERROR", "WARN"]
    assert frame["message"][1].endswith("\n  continued output without a label")
    entry = frame.row(0, named=True)
    assert entry["message"][entry["body_at"] :] == "starting sshd"


def test_svlogd_stamps_are_utc():
    frame = parse_daemontools(lines_of(SVLOGD), ParseContext("current", tz="Europe/Paris"))
    assert frame["ts"][0] == datetime(2023, 3, 6, 18, 34, 17, 383210, tzinfo=UTC)


def test_s6_logs_true_tai_labels_are_read_back_by_their_leap_seconds():
    # s6-log labels count TAI's 37 leap seconds, 27 more than daemontools' +10: the lines' own
    # stamps (nginx's error log, read in the source's zone) show it.
    def lines(extra: int) -> list[str]:
        out = []
        for i, second in enumerate((5, 9, 40)):
            when = datetime(2024, 3, 14, 9, 20, second, tzinfo=UTC)
            shifted = datetime.fromtimestamp(when.timestamp() + extra, UTC)
            out.append(
                f"{label(shifted, 118_204_000)} 2024/03/14 09:20:{second:02d} [notice] {i}#1: up"
            )
        return out

    notes: list[str] = []
    s6 = parse_daemontools(
        lines_of(lines(27)), ParseContext("current", tz="UTC", note=notes.append)
    )
    assert s6["ts"][0] == datetime(2024, 3, 14, 9, 20, 5, 118204, tzinfo=UTC)
    assert any("37 leap seconds" in note for note in notes)
    notes.clear()
    djb = parse_daemontools(
        lines_of(lines(0)), ParseContext("current", tz="UTC", note=notes.append)
    )
    assert djb["ts"][0] == datetime(2024, 3, 14, 9, 20, 5, 118204, tzinfo=UTC) and not notes
    # Read in another zone, the lines' stamps are hours away: the labels are left as they are.
    away = parse_daemontools(lines_of(lines(27)), ParseContext("current", tz="Europe/Berlin"))
    assert away["ts"][0] == datetime(2024, 3, 14, 9, 20, 32, 118204, tzinfo=UTC)

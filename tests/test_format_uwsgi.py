"""uWSGI logs: request lines as access log entries, its other messages and tracebacks."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from helpers import lines_of

from logview.core.analysis.patterns import mine
from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.uwsgi import parse_uwsgi
from logview.core.reading.registry import sniff


def request(n: int, path: str, status: int, second: int = 17, unit: str = "msecs") -> str:
    return (
        f"[pid: 1234|app: 0|req: {n}/{n}] 127.0.0.1 () {{34 vars in 600 bytes}} "
        f"[Mon Mar  6 18:34:{second:02d} 2023] GET {path} => generated 12 bytes in 3 {unit} "
        f"(HTTP/1.1 {status}) 2 headers in 64 bytes (1 switches on core 0)"
    )


UWSGI = [
    "*** Starting uWSGI 2.0.21 (64bit) on [Mon Mar  6 18:34:00 2023] ***",
    "spawned uWSGI worker 1 (pid: 1234, cores: 1)",
    request(1, "/api/orders/42", 200),
    request(2, "/api/orders/43", 404, 18),
    "Traceback (most recent call last):",
    '  File "/app/views.py", line 12, in get',
    "    raise ValueError(order_id)",
    "ValueError: 44",
    request(3, "/api/orders/44", 500, 19, unit="micros"),
]


def sample_of(texts: list[str]) -> Sample:
    return Sample("uwsgi.log", "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str]) -> pl.DataFrame:
    return parse_uwsgi(lines_of(texts), ParseContext("uwsgi.log"))


def test_uwsgi_logs_are_detected():
    found = sniff(sample_of(UWSGI))
    assert found is not None and found.format.name == "uwsgi"


def test_request_lines_give_fields_stamp_and_a_level_from_the_status():
    frame = parse(UWSGI)
    requests = frame.filter(pl.col("method").is_not_null())
    assert requests["status"].to_list() == ["200", "404", "500"]
    assert requests["level"].to_list() == ["INFO", "WARN", "ERROR"]
    assert requests["ts"][0] == datetime(2023, 3, 6, 18, 34, 17, tzinfo=UTC)
    assert requests["msecs"].to_list() == ["3", "3", "0.003"]
    first = requests.row(0, named=True)
    assert (first["pid"], first["client"], first["req"], first["core"]) == (
        "1234",
        "127.0.0.1",
        "1/1",
        "0",
    )
    assert first["message"][first["body_at"] :].startswith("GET /api/orders/42 => generated")


def test_a_traceback_is_one_entry_of_its_own():
    frame = parse(UWSGI)
    assert frame.height == 6
    traceback = frame.row(4, named=True)
    assert traceback["message"].startswith("Traceback (most recent call last):")
    assert traceback["message"].endswith("ValueError: 44")
    assert traceback["ts"] is None


def test_requests_are_mined_by_route(tmp_path):
    path = tmp_path / "uwsgi.log"
    path.write_text("\n".join(UWSGI) + "\n")
    result = ingest([path])
    assert result.sources[0].format == "uwsgi"
    templates = {p.template for p in mine(result.table).patterns}
    assert any(t.startswith("GET /api/orders/") for t in templates)


def test_uwsgis_own_messages_keep_a_stamp_they_carry():
    frame = parse(UWSGI)
    assert frame["ts"][0] == datetime(2023, 3, 6, 18, 34, 0, tzinfo=UTC)
    assert frame["ts"][1] is None  # `spawned uWSGI worker 1` has none
    # Its `log-date` option writes the ctime and ` - ` before them.
    frame = parse(
        [
            "Fri Jun 28 09:15:44 2024 - *** HARAKIRI ON WORKER 3 (pid: 2233, try: 1) ***",
            "DAMN ! worker 3 (pid: 2233) died, killed by signal 9 :( trying respawn ...",
        ]
    )
    assert frame["ts"].to_list() == [datetime(2024, 6, 28, 9, 15, 44, tzinfo=UTC), None]

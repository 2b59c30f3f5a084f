"""MySQL's error log (5.1 to 8.0 layouts) and its slow query log."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.mysql import (
    parse_error_log,
    parse_slow_log,
    sniff_error_log,
    sniff_slow_log,
)
from logview.core.reading.registry import sniff

MYSQL_55 = [
    "161209 14:18:50 [Note] Plugin 'FEDERATED' is disabled.",
    "161209 14:18:50  InnoDB: Initializing buffer pool, size = 128.0M",
    "161209  4:18:51 [ERROR] Can't start server: Bind on TCP/IP port: Address already in use",
    "161209  4:18:51 [Warning] Changed limits: max_open_files: 1024",
    "/usr/sbin/mysqld: ready for connections.",
    "Version: '5.5.62'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community",
]
MYSQL_56 = [
    "2016-12-09 14:18:50 12345 [Note] InnoDB: Using atomics to ref count buffer pool pages",
    "2016-12-09 14:18:50 7f2b3c2d InnoDB: Warning: a long semaphore wait:",
    "2016-12-09 14:18:51 12345 [Warning] Buffered warning: Changed limits",
]
MYSQL_80 = [
    "2023-03-06T18:34:17.383211Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld "
    "8.0.32) starting as process 1",
    "2023-03-06T18:34:17.400000Z 1 [System] [MY-013576] [InnoDB] InnoDB initialization has "
    "started.",
    "2023-03-06T18:34:18.000000Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is "
    "self signed.",
    "2023-03-06T18:34:19.500000Z 8 [ERROR] [MY-012592] [InnoDB] Operating system error "
    "number 2 in a file operation.",
]
SLOW = [
    "/usr/sbin/mysqld, Version: 8.0.32 (MySQL Community Server - GPL). started with:",
    "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock",
    "Time                 Id Command    Argument",
    "# Time: 2023-03-06T18:34:17.383211Z",
    "# User@Host: shop[shop] @ localhost []  Id:     8",
    "# Query_time: 2.000123  Lock_time: 0.000050 Rows_sent: 1  Rows_examined: 100",
    "use shop;",
    "SET timestamp=1678127655;",
    "SELECT * FROM orders",
    "  WHERE status = 'ERROR';",
    "# User@Host: app[app] @  [10.0.0.5]  Id:    12",
    "# Query_time: 0.500000  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 5000",
    "SET timestamp=1678127700;",
    "UPDATE stock SET n = n - 1 WHERE sku = 7;",
]
MARIADB_SLOW = [
    "# Time: 230306 18:34:17",
    "# User@Host: root[root] @ localhost []",
    "# Thread_id: 8  Schema: shop  QC_hit: No",
    "# Query_time: 1.500000  Lock_time: 0.000100  Rows_sent: 3  Rows_examined: 30",
    "# Rows_affected: 0  Bytes_sent: 120",
    "SET timestamp=1678127657;",
    "SELECT SLEEP(1.5);",
]


def sample_of(texts: list[str], name: str = "mysql.log") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def ctx() -> ParseContext:
    return ParseContext("mysql.log")


def body(frame: pl.DataFrame, row: int) -> str:
    entry = frame.row(row, named=True)
    return entry["message"][entry["body_at"] or 0 :]


@pytest.mark.parametrize(
    ("texts", "name"),
    [(MYSQL_55, "mysql"), (MYSQL_56, "mysql"), (MYSQL_80, "mysql"), (SLOW, "mysql-slow"),
     (MARIADB_SLOW, "mysql-slow")],
)  # fmt: skip
def test_each_layout_is_detected(texts, name):
    found = sniff(sample_of(texts))
    assert found is not None and found.format.name == name


def test_other_logs_with_bracketed_levels_are_not_mysql():
    texts = ["2023-03-06 18:34:17 1234 [ERROR] app failed", "2023-03-06 18:34:18 1 [Warning] x"]
    assert sniff_error_log(sample_of(texts)) == 0.0
    assert sniff_slow_log(sample_of(["# comment", "# Time: now", "text"])) == 0.0


def test_mysql_55_short_stamps_levels_and_unstamped_lines():
    frame = parse_error_log(lines_of(MYSQL_55), ctx())
    assert frame.height == 4
    assert frame["ts"].to_list() == [
        datetime(2016, 12, 9, 14, 18, 50, tzinfo=UTC),
        datetime(2016, 12, 9, 14, 18, 50, tzinfo=UTC),
        datetime(2016, 12, 9, 4, 18, 51, tzinfo=UTC),
        datetime(2016, 12, 9, 4, 18, 51, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == ["INFO", None, "ERROR", "WARN"]
    assert frame["message"][3].endswith("port: 3306  MySQL Community")
    assert body(frame, 1) == "InnoDB: Initializing buffer pool, size = 128.0M"
    assert body(frame, 2).startswith("Can't start server")


def test_mysql_56_thread_ids():
    frame = parse_error_log(lines_of(MYSQL_56), ctx())
    assert frame["thread"].to_list() == ["12345", "7f2b3c2d", "12345"]
    assert frame["level"].to_list() == ["INFO", None, "WARN"]


def test_mysql_8_code_subsystem_and_utc_stamps():
    frame = parse_error_log(lines_of(MYSQL_80), ctx())
    assert frame["level"].to_list() == ["INFO", "INFO", "WARN", "ERROR"]
    assert frame["code"][0] == "MY-010116" and frame["subsystem"][1] == "InnoDB"
    assert frame["ts"][0] == datetime(2023, 3, 6, 18, 34, 17, 383211, tzinfo=UTC)
    assert body(frame, 3) == "Operating system error number 2 in a file operation."


def test_slow_log_is_one_entry_per_query_with_its_statistics():
    notes: list[str] = []
    frame = parse_slow_log(lines_of(SLOW), ParseContext("slow.log", note=notes.append))
    assert frame.height == 2  # two queries; the server's banner is the file's header
    assert notes == ["3 MySQL banner lines not read as entries"]
    first, second = frame.row(0, named=True), frame.row(1, named=True)
    assert first["ts"] == datetime(2023, 3, 6, 18, 34, 17, 383211, tzinfo=UTC)
    assert (first["query_time"], first["lock_time"]) == ("2.000123", "0.000050")
    assert (first["rows_sent"], first["rows_examined"]) == ("1", "100")
    assert (first["user"], first["host"], first["id"], first["schema"]) == (
        "shop", "localhost", "8", "shop"
    )  # fmt: skip
    assert body(frame, 0) == "SELECT * FROM orders\n  WHERE status = 'ERROR';"
    # No `# Time:` line: the SET timestamp epoch is the stamp.
    assert second["ts"] == datetime.fromtimestamp(1678127700, UTC)
    assert (second["host"], second["ip"], second["rows_examined"]) == (None, "10.0.0.5", "5000")
    assert frame["level"].null_count() == 2
    # Written again after a restart, the banner is still no entry, nor part of the query above.
    frame = parse_slow_log(lines_of(SLOW[3:10] + SLOW[:3] + SLOW[3:10]), ctx())
    assert frame.height == 2
    assert body(frame, 0) == body(frame, 1) == "SELECT * FROM orders\n  WHERE status = 'ERROR';"


def test_slow_log_level_is_not_guessed_from_the_query(tmp_path):
    path = tmp_path / "slow.log"
    path.write_text("\n".join(SLOW) + "\n")
    result = ingest([path])
    assert result.sources[0].format == "mysql-slow"
    assert set(result.table["level"].cast(pl.String).to_list()) == {"NONE"}


def test_mariadb_slow_log_statistics_and_short_time():
    frame = parse_slow_log(lines_of(MARIADB_SLOW), ctx())
    entry = frame.row(0, named=True)
    assert entry["ts"] == datetime.fromtimestamp(1678127657, UTC)
    assert (entry["thread_id"], entry["qc_hit"], entry["bytes_sent"]) == ("8", "No", "120")
    assert entry["schema"] == "shop"
    assert body(frame, 0) == "SELECT SLEEP(1.5);"


def test_a_broken_line_in_the_error_log_joins_the_entry_above():
    texts = [MYSQL_80[0], "2023-03-06T18:3", MYSQL_80[2]]
    frame = parse_error_log(lines_of(texts), ctx())
    assert frame.height == 2 and frame["level"].to_list() == ["INFO", "WARN"]


def test_ingest_keeps_each_query_whole_as_its_body(tmp_path):
    from logview.core.shared.body import body_lines

    path = tmp_path / "slow.log"
    path.write_text("\n".join(SLOW) + "\n")
    bodies = body_lines(ingest([path]).table).to_list()
    assert bodies == ["SELECT * FROM orders", "UPDATE stock SET n = n - 1 WHERE sku = 7;"]


def test_a_slow_query_is_stamped_when_written_and_one_without_a_time_line_as_the_one_above():
    # MariaDB writes `# Time:` only when the second changed; SET timestamp is the query's start.
    texts = [
        "# Time: 240314  9:21:07",
        "# User@Host: shop_app[shop_app] @  [10.0.4.17]",
        "# Query_time: 2.418730  Lock_time: 0.000121  Rows_sent: 20  Rows_examined: 1184220",
        "SET timestamp=1710408064;",
        "SELECT id FROM orders WHERE status = 'pending';",
        "# User@Host: shop_app[shop_app] @  [10.0.4.18]",
        "# Query_time: 0.712044  Lock_time: 0.000088  Rows_sent: 0  Rows_examined: 1",
        "SET timestamp=1710408067;",
        "UPDATE carts SET updated_at = NOW() WHERE id = 884213;",
    ]
    frame = parse_slow_log(lines_of(texts), ParseContext("slow.log", tz="UTC"))
    assert frame["ts"].to_list() == [datetime(2024, 3, 14, 9, 21, 7, tzinfo=UTC)] * 2


def test_mysql_routers_log_levels_with_its_system_priority(tmp_path):
    # MySQL Router 8.0's log (its manual's logging section): `<stamp> <logger> <LEVEL>
    # [thread] message`; SYSTEM is MySQL's priority for what is always logged (an INFO).
    path = tmp_path / "mysqlrouter.log"
    lines = [
        "2024-03-14 09:20:02.114 main SYSTEM [7f4c1e9fd800] Starting 'MySQL Router', version: 8.0.36",
        "2024-03-14 09:20:02.117 io INFO [7f4c1e9fd800] starting 4 io-threads",
        "2024-03-14 09:20:02.125 metadata_cache_plugin INFO [7f4c15ffb640] Starting Metadata Cache",
        "2024-03-14 09:21:40.301 metadata_cache WARNING [7f4c14ff9640] Failed connecting to db-ic-02",
        "2024-03-14 09:21:45.018 routing ERROR [7f4c0d7fa640] [routing:rw] no more backends",
        "2024-03-14 09:22:00.002 main SYSTEM [7f4c1e9fd800] Stopping all plugins.",
    ]
    path.write_text("\n".join(lines) + "\n")
    table = ingest([path], tz="UTC").table.sort("line")
    assert [str(v) for v in table["level"]] == ["INFO", "INFO", "INFO", "WARN", "ERROR", "INFO"]
    # Before a colon `SYSTEM` is a name, no level: Synology's task logs write the user there
    # (`SYSTEM:` or `admin:`) after their own level word.
    path = tmp_path / "synobackup.log"
    lines = [
        "info\t2024/06/30 01:00:02\tSYSTEM:\t[Network][C2-Offsite] Backup task started.",
        "warning\t2024/06/30 01:04:17\tSYSTEM:\t[Network][C2-Offsite] Failed to back up file.",
        "err\t2024/06/30 01:37:46\tSYSTEM:\t[Network][C2-Offsite] Failed to run backup task.",
        "info\t2024/06/30 08:41:09\tadmin:\t[Network][C2-Offsite] Backup task was started.",
    ]
    path.write_text("\n".join(lines) + "\n")
    table = ingest([path], tz="UTC").table.sort("line")
    assert [str(v) for v in table["level"]] == ["INFO", "WARN", "ERROR", "INFO"]

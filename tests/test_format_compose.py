"""docker compose output: one source per service, each read by the format of its own lines."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime

import polars as pl
from helpers import lines_of

from logview.core.reading.formats import Sample
from logview.core.reading.ingest import SourceOverride, ingest
from logview.core.reading.parsers.compose import sniff as sniff_compose
from logview.core.reading.parsers.compose import split_services
from logview.core.reading.registry import sniff

COMPOSE = [
    "Attaching to db-1, web-1",
    "web-1  | 2024-01-02T03:04:05.123Z INFO started on port 8000",
    'db-1   | {"ts": "2024-01-02T03:04:05.500Z", "level": "info", "msg": "ready"}',
    "web-1  | 2024-01-02T03:04:06.000Z ERROR request failed",
    "web-1  | Traceback (most recent call last):",
    'web-1  |   File "/app/views.py", line 12, in get',
    "web-1  |     raise ValueError(order_id)",
    "web-1  | ValueError: 42",
    'db-1   | {"ts": "2024-01-02T03:04:07.000Z", "level": "warn", "msg": "slow query"}',
    "web-1  | 2024-01-02T03:04:08.000Z INFO shutting down",
    "web-1 exited with code 0",
]


def sample_of(texts: list[str], name: str = "compose.log") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def read(tmp_path, texts=COMPOSE, overrides=None):
    path = tmp_path / "compose.log"
    path.write_text("\n".join(texts) + "\n")
    return ingest([path], overrides=overrides)


def test_compose_output_is_detected():
    found = sniff(sample_of(COMPOSE))
    assert found is not None and found.format.name == "compose"


def test_bars_and_pipes_of_other_logs_are_not_compose():
    healthapp = ["20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579"] * 3
    level_bars = ["INFO  | 2024-01-02 03:04:05 | started", "WARN  | 2024-01-02 03:04:06 | x"]
    ragged = ["a | b", "longer name | c", "x | y", "something else | z"]
    for texts in (healthapp, level_bars, ragged):
        assert sniff_compose(sample_of(texts)) == 0.0


def test_lines_are_split_per_service_with_their_file_line_numbers():
    parts = dict(split_services(lines_of(COMPOSE)))
    assert list(parts) == ["compose", "web-1", "db-1"]
    assert parts["web-1"]["line"].to_list() == [2, 4, 5, 6, 7, 8, 10]
    assert parts["web-1"]["text"][0] == "2024-01-02T03:04:05.123Z INFO started on port 8000"
    assert parts["web-1"]["text"][3] == '  File "/app/views.py", line 12, in get'
    assert parts["compose"]["text"].to_list() == [
        "Attaching to db-1, web-1",
        "web-1 exited with code 0",
    ]


def test_each_service_is_its_own_source_read_by_its_own_format(tmp_path):
    result = read(tmp_path)
    by_name = {s.name.rsplit("/", 1)[-1]: s for s in result.sources}
    assert set(by_name) == {"compose", "web-1", "db-1"}
    assert by_name["web-1"].format == "text"
    assert by_name["db-1"].format == "jsonl"
    assert by_name["web-1"].name == f"{tmp_path / 'compose.log'}/web-1"
    assert by_name["web-1"].path == str(tmp_path / "compose.log")
    assert by_name["web-1"].tail is None  # a part of a file cannot be followed
    db = result.table.filter(pl.col("source").cast(pl.String).str.ends_with("/db-1"))
    assert db["message"].to_list() == ["ready", "slow query"]
    assert db["level"].cast(pl.String).to_list() == ["INFO", "WARN"]
    assert db["line"].to_list() == [3, 9]


def test_a_python_traceback_stays_one_entry_with_the_line_above(tmp_path):
    result = read(tmp_path)
    web = result.table.filter(pl.col("source").cast(pl.String).str.ends_with("/web-1"))
    assert web.height == 3
    failed = web.row(1, named=True)
    assert failed["level"] == "ERROR"
    assert failed["ts"] == datetime(2024, 1, 2, 3, 4, 6, tzinfo=UTC)
    assert failed["message"].splitlines() == [
        "2024-01-02T03:04:06.000Z ERROR request failed",
        "Traceback (most recent call last):",
        '  File "/app/views.py", line 12, in get',
        "    raise ValueError(order_id)",
        "ValueError: 42",
    ]


def test_a_python_traceback_in_a_plain_text_log_is_one_entry(tmp_path):
    path = tmp_path / "worker.log"
    path.write_text(
        "2024-01-02 03:04:05,100 INFO worker started\n"
        "2024-01-02 03:04:06,200 ERROR task crashed\n"
        "Traceback (most recent call last):\n"
        '  File "/app/tasks.py", line 7, in run\n'
        "    raise KeyError('sku')\n"
        "KeyError: 'sku'\n"
        "2024-01-02 03:04:07,300 INFO worker idle\n"
    )
    table = ingest([path]).table
    assert table.height == 3
    assert table["message"][1].endswith("KeyError: 'sku'")


def test_a_service_can_be_read_as_another_format(tmp_path):
    name = f"{tmp_path / 'compose.log'}/db-1"
    result = read(tmp_path, overrides={name: SourceOverride(format="text")})
    db = next(s for s in result.sources if s.name == name)
    assert db.format == "text"


def test_colour_codes_around_the_prefix_are_skipped():
    texts = ["\x1b[36mweb-1  |\x1b[0m hello", "\x1b[33mdb-1   |\x1b[0m world"]
    assert sniff_compose(sample_of(texts)) == 0.9
    parts = dict(split_services(lines_of(texts)))
    assert parts["web-1"]["text"].to_list() == ["hello"]
    assert parts["db-1"]["text"].to_list() == ["world"]


def test_a_line_cut_inside_its_prefix_goes_to_compose_s_own_lines():
    parts = dict(split_services(lines_of([COMPOSE[1], "web-", COMPOSE[3]])))
    assert parts["compose"]["text"].to_list() == ["web-"]
    assert parts["web-1"]["line"].to_list() == [1, 3]


def test_a_split_that_fails_costs_the_format_not_the_lines(tmp_path, monkeypatch):
    from logview.core.reading.parsers import compose

    def broken(lines):
        raise ValueError("boom")

    monkeypatch.setattr(
        compose, "FORMATS", [dataclasses.replace(compose.FORMATS[0], split_lines=broken)]
    )
    result = read(tmp_path)
    assert [s.format for s in result.sources] == ["text"]
    assert result.table.height > 0
    assert any("could not split as docker compose output" in w for w in result.warnings)


def test_a_procfile_runners_output_keeps_its_time_where_a_process_writes_none(tmp_path):
    # honcho/foreman: `HH:MM:SS name | line`, and their own lines as `system`.
    texts = [
        "09:20:01 system   | web.1 started (pid=24817)",
        "09:20:02 web.1    | [2024-03-14 09:20:02 +0000] [24817] [INFO] Starting gunicorn 21.2.0",
        "09:20:04 worker.1 | [2024-03-14 09:20:04,317: INFO/MainProcess] Connected to redis",
        "09:23:19 worker.1 | [2024-03-14 09:23:19,611: ERROR/ForkPoolWorker-2] Task failed",
        "09:23:19 worker.1 | Traceback (most recent call last):",
        '09:23:19 worker.1 |   File "/app/tasks.py", line 9, in render',
        "09:23:19 worker.1 | ValueError: bad invoice",
        "09:31:40 system   | sending SIGTERM to web.1 (pid 24817)",
    ]
    assert sniff(sample_of(texts)).format.name == "compose"
    parts = dict(split_services(lines_of(texts)))
    assert parts["system"]["text"][0] == "09:20:01 web.1 started (pid=24817)"
    assert parts["web.1"]["text"][0].startswith("[2024-03-14 09:20:02 +0000]")
    path = tmp_path / "honcho.log"
    path.write_text("\n".join(texts) + "\n")
    os.utime(path, (datetime(2024, 3, 14, 9, 36, tzinfo=UTC).timestamp(),) * 2)
    table = ingest([path], tz="UTC").table.sort("line")
    assert table.height == 5  # the traceback is part of the ERROR entry
    assert table["ts"][0] == datetime(2024, 3, 14, 9, 20, 1, tzinfo=UTC)
    assert table["level"].cast(str).to_list()[1:4] == ["INFO", "INFO", "ERROR"]


def test_a_table_of_numbered_rows_is_no_compose_output():
    rows = [
        "ID  | Date        | Time     | Name       | State    | Event",
        "231 | Mar-14-2024 | 09:20:44 | PS2 Status | Critical | Power Supply input lost",
        "232 | Mar-14-2024 | 09:20:44 | PS Redund. | Warning  | Redundancy Lost",
        "233 | Mar-14-2024 | 09:20:46 | PS1 Status | Critical | Power Supply input lost",
    ]
    sample = Sample("sel.txt", "\n".join(rows).encode(), tuple(rows))
    assert sniff_compose(sample) == 0.0


def test_compose_v2s_progress_lines_are_each_a_message(tmp_path):
    # `docker compose up` (v2): indented progress lines before it attaches to the services.
    texts = [
        " Network shop_default  Creating",
        " Network shop_default  Created",
        " Container shop-db-1  Creating",
        " Container shop-db-1  Created",
        "Attaching to db-1, worker-1",
        "db-1      | 2024-03-14 09:26:50.101 UTC [1] LOG:  starting PostgreSQL 16.2",
        'db-1      | 2024-03-14 09:26:50.104 UTC [1] LOG:  listening on IPv4 address "0.0.0.0"',
        "db-1      | 2024-03-14 09:26:50.188 UTC [1] LOG:  database system is ready",
        "db-1      | 2024-03-14 09:26:51.002 UTC [1] LOG:  checkpoint starting: time",
        "db-1      | 2024-03-14 09:26:51.310 UTC [1] LOG:  checkpoint complete",
        "db-1      | 2024-03-14 09:26:52.001 UTC [31] LOG:  connection received",
        "db-1      | 2024-03-14 09:26:52.004 UTC [31] LOG:  connection authorized",
        "worker-1  | Traceback (most recent call last):",
        'worker-1  |   File "/app/shop/worker.py", line 9, in <module>',
        "worker-1  | KeyError: 'CELERY_BROKER_URL'",
        "worker-1 exited with code 1",
    ]
    path = tmp_path / "up.txt"
    path.write_text("\n".join(texts) + "\n")
    table = ingest([path], tz="UTC").table.sort("line")
    assert table["line"].to_list() == [*range(1, 14), 16]


def test_a_terminal_sessions_lines_before_the_first_service_are_no_entries():
    # `docker compose up` run in a terminal: the prompt, compose's progress and its attaching
    # line come before the services' lines; its later lines (`db-1 exited`) stay entries.
    texts = [
        "anna@nas02:~/nextcloud$ docker compose up",
        "[+] Running 2/2",
        " ✔ Container nextcloud-db-1     Recreated     0.4s ",
        "Attaching to app-1, db-1",
        *COMPOSE[1:3],
        "db-1 exited with code 137",
    ]
    notes: list[str] = []
    parts = dict(split_services(lines_of(texts), notes.append))
    assert parts["compose"]["text"].to_list() == ["db-1 exited with code 137"]
    assert parts["compose"]["line"].to_list() == [7]
    assert notes == [
        "4 lines of a terminal session (prompts, pagers, the command's headers) not read as entries"
    ]
    # Without a prompt they are compose's own lines, as ever.
    parts = dict(split_services(lines_of(texts[1:])))
    assert parts["compose"]["text"].to_list()[0] == "[+] Running 2/2"


def test_pm2_logs_output_is_one_source_per_process(tmp_path):
    # `pm2 logs app --nostream`: the process's id and name before the bar, pm2's stamp, and
    # its own headings over each file it tails
    texts = [
        "deploy@app-node-04:~$ pm2 logs notify-gw --lines 25 --nostream",
        "[TAILING] Tailing last 25 lines for [notify-gw] process (change the value with --lines "
        "option)",
        "/home/deploy/.pm2/logs/notify-gw-error.log last 25 lines:",
        "3|notify-g | 2024-06-28 16:04:19 +02:00: (node:23817) [DEP0040] DeprecationWarning: x",
        "3|notify-g |     at node:punycode:7:10",
        "3|notify-g | 2024-06-28 16:05:02 +02:00: (node:23817) MaxListenersExceededWarning: y",
        "",
        "/home/deploy/.pm2/logs/notify-gw-out.log last 25 lines:",
        *[f"3|notify-g | 2024-06-28 16:05:0{n} +02:00: info: sent {n}" for n in range(6)],
    ]
    assert sniff(sample_of(texts)).format.name == "compose"
    path = tmp_path / "pm2.txt"
    path.write_text("\n".join(texts) + "\n")
    table = ingest([path], tz="UTC").table.sort("line")
    assert table["line"].to_list() == [4, 6, *range(9, 15)]
    assert table["ts"][0] == datetime(2024, 6, 28, 14, 4, 19, tzinfo=UTC)

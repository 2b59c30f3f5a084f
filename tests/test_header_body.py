"""Every entry has a header and a body: where the body starts, what the header's parts become,
and that patterns are mined on bodies (routes for access logs, named tokens)."""

from __future__ import annotations

import json

import polars as pl
import pytest

from logview.core.analysis.patterns import mine, mine_entries
from logview.core.analysis.query import run_query
from logview.core.reading.header import NO_HEADER, learn, learn_and_split
from logview.core.reading.ingest import ingest
from logview.core.shared.body import body_lines, route_mask


def entries_of(tmp_path, name: str, lines: list[str]) -> pl.DataFrame:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ingest([path]).table.sort("line")


def bodies(table: pl.DataFrame) -> list[str]:
    return body_lines(table).to_list()


# --- plain text ---------------------------------------------------------------------------


def java_lines(n: int = 30) -> list[str]:
    threads = ["main", "pool-1-thread-3", "http-nio-8080-exec-7"]
    loggers = ["com.example.OrderService", "com.example.db.Pool", "org.hibernate.SQL"]
    return [
        f"2026-03-10 14:00:{i % 60:02d},123 {['INFO', 'WARN', 'ERROR'][i % 3]} "
        f"[{threads[i % 3]}] {loggers[i % 3]}: request {i} took {i * 3} ms"
        for i in range(n)
    ]


def test_text_body_starts_after_stamp_level_thread_and_logger(tmp_path):
    table = entries_of(tmp_path, "app.log", java_lines())
    assert bodies(table)[:2] == ["request 0 took 0 ms", "request 1 took 3 ms"]
    row = table.row(1, named=True)
    assert (row["thread"], row["logger"]) == ("pool-1-thread-3", "com.example.db.Pool")
    assert row["level"] == "WARN"
    # The entry itself stays whole.
    assert row["message"] == java_lines()[1]


def test_python_logging_layout_gives_the_logger_before_the_dash(tmp_path):
    lines = [
        f"2026-03-10 14:00:{i:02d},000 - app.{['db', 'web'][i % 2]} - INFO - served {i}"
        for i in range(30)
    ]
    table = entries_of(tmp_path, "py.log", lines)
    assert bodies(table)[:2] == ["served 0", "served 1"]
    assert table["logger"][:2].to_list() == ["app.db", "app.web"]


def test_spring_boots_pid_before_three_dashes_thread_and_padded_logger(tmp_path):
    # Spring Boot's default console layout (its reference documentation, "Log Format")
    threads, loggers = ["main", "http-nio-8080-exec-2"], ["o.s.b.w.e.t.TomcatWebServer", "c.e.Api"]
    lines = [
        f"2024-03-14 09:21:{i:02d}.412  {['INFO', 'WARN'][i % 2]} 48211 --- "
        f"[{threads[i % 2]:>15}] {loggers[i % 2]:<40} : served {i}"
        for i in range(20)
    ]
    table = entries_of(tmp_path, "spring.log", lines)
    assert bodies(table)[:2] == ["served 0", "served 1"]
    row = table.row(1, named=True)
    assert (row["pid"], row["thread"], row["logger"]) == (
        "48211",
        "http-nio-8080-exec-2",
        "c.e.Api",
    )


def test_words_before_a_level_are_header_only_where_most_lines_have_them(tmp_path):
    # BGL-like: node and component before the level, then the body.
    lines = [
        f"2026-03-10 14:00:{i:02d} R{i % 4}-M1-N0 RAS KERNEL {['INFO', 'FATAL'][i % 2]} "
        f"cache parity error {i} corrected"
        for i in range(30)
    ]
    table = entries_of(tmp_path, "bgl.log", lines)
    assert bodies(table)[0] == "cache parity error 0 corrected"
    assert table["header"][0] == "R0-M1-N0 RAS KERNEL"
    # A level word inside prose on a few lines is no header.
    prose = [f"2026-03-10 14:00:{i:02d} user {i} saw an ERROR in the report" for i in range(30)]
    table = entries_of(tmp_path, "prose.log", prose)
    assert bodies(table)[0] == "user 0 saw an ERROR in the report"


def test_lines_with_no_header_only_a_header_non_ascii_and_a_stamp_in_the_body(tmp_path):
    lines = [
        f"2026-03-10 14:00:{i:02d} INFO [main] Bestellung {i} für Müller übernommen"
        for i in range(25)
    ]
    lines += [
        "2026-03-10 14:01:00 INFO [main]",  # a header only
        "2026-03-10 14:01:01 INFO [main] next run at 2026-03-10 15:00:00",  # a stamp in the body
        "2026-03-10 14:01:02 no header at all here",  # the stamp only
        "  continuation of the line above",
    ]
    table = entries_of(tmp_path, "de.log", lines)
    got = bodies(table)
    assert got[0] == "Bestellung 0 für Müller übernommen"
    assert got[25] == ""
    assert got[26] == "next run at 2026-03-10 15:00:00"
    assert got[27] == "no header at all here"
    assert table["message"][27].endswith("continuation of the line above")


def test_aligned_columns_and_a_logger_before_its_context_are_header(tmp_path):
    levels = ["Info", "Warning", "Error"]
    components = ["CBS", "CSI", "Storage"]
    aligned = [
        f"2026-03-10 14:00:{i:02d}, {levels[i % 3]:<20}{components[i % 3]:<7}package {i} staged"
        for i in range(30)
    ]
    aligned[5] = "2026-03-10 14:00:05, Info                LongComponent package 5 staged"
    table = entries_of(tmp_path, "cbs.log", aligned)
    assert bodies(table)[:2] == ["package 0 staged", "package 1 staged"]
    assert bodies(table)[5] == "package 5 staged"  # a field that fills its column
    assert table["logger"][1] == "CSI" and table["level"][1] == "WARN"
    # An OpenStack-style line: pid, level, logger, then its request context in brackets.
    oslo = [
        f"2026-03-10 14:00:{i:02d}.008 2574{i % 3} {['INFO', 'WARNING'][i % 2]} "
        f"nova.{['api', 'compute.manager'][i % 2]} [req-{i:04d}abcd - - -] instance {i} spawned"
        for i in range(30)
    ]
    table = entries_of(tmp_path, "nova.log", oslo)
    assert bodies(table)[:2] == ["instance 0 spawned", "instance 1 spawned"]
    assert table["thread"][0] == "req-0000abcd - - -"


def test_bare_lines_without_stamps_are_their_own_bodies(tmp_path):
    table = entries_of(tmp_path, "bare.txt", ["just some words", "more words here"])
    assert bodies(table) == ["just some words", "more words here"]


def test_one_line_is_not_enough_to_take_a_name_for_a_logger():
    assert learn(["Reason: disk full"]) == NO_HEADER


def test_windows_level_names_in_other_languages_are_applied_only_where_the_sample_shows_them():
    # (the level words vary, as a level column's do)
    english = [f"{n} {('Information', 'Warning', 'Error')[n % 3]} Service {n}" for n in range(30)]
    german = [f"{n} {('Informationen', 'Warnung', 'Fehler')[n % 3]} Dienst {n}" for n in range(30)]
    assert "fehler" not in learn(english).regex.lower()
    found = learn(german)
    assert "fehler" in found.regex.lower() and "level" in found.regex


def test_an_event_word_and_a_constant_label_are_no_host_and_program():
    """Lambda's runtime lines: START/END/REPORT vary, `RequestId:` never does."""
    rid = "4000b11a-ee3c-9074-b89f-ed02f938c2b0"
    sample = [f"{kind} RequestId: {rid} x" for kind in ("START", "END", "REPORT") * 10]
    assert learn(sample) == NO_HEADER
    hosts = [f"web-{i % 2} {['sshd[12]', 'cron[7]', 'su'][i % 3]}: did {i}" for i in range(30)]
    assert learn(hosts) != NO_HEADER


def test_writers_with_their_own_headers_in_one_source_are_each_split():
    """A Lambda's function lines (`[LEVEL]\\tstamp\\trequest id\\tmessage`) among its runtime
    lines: each writer's lines are learned on their own."""
    rid = "4000b11a-ee3c-9074-b89f-ed02f938c2b0"
    messages = []
    for i in range(20):
        messages += [
            f"START RequestId: {rid} Version: $LATEST",
            f"[INFO]\t2026-03-10T14:00:{i:02d}.123Z\t{rid}\tToken validated for usr-{i}",
            f"END RequestId: {rid}",
            f"REPORT RequestId: {rid}\tDuration: {i}.5 ms",
        ]
    frame = pl.DataFrame({"message": messages})
    split, header = learn_and_split(frame)
    assert header != NO_HEADER
    got = bodies(split)
    assert got[:4] == [
        f"START RequestId: {rid} Version: $LATEST",
        "Token validated for usr-0",
        f"END RequestId: {rid}",
        f"REPORT RequestId: {rid} Duration: 0.5 ms",
    ]


# --- syslog, structured formats --------------------------------------------------------------


def test_syslog_body_starts_after_host_and_program(tmp_path):
    lines = [
        f"Mar 10 14:00:{i:02d} web-{i % 2} {['sshd', 'CRON'][i % 2]}[{100 + i}]: "
        f"session opened for user u{i}"
        for i in range(30)
    ]
    table = entries_of(tmp_path, "messages", lines)
    assert bodies(table)[0] == "session opened for user u0"
    row = table.row(1, named=True)
    assert (row["host"], row["program"], row["pid"]) == ("web-1", "CRON", "101")
    # The day of the month, the host and the pid are no tokens of the template.
    found = mine(table)
    assert [p.template for p in found.patterns] == ["session opened for user <id>"]


def test_a_name_starting_some_messages_is_no_header_of_their_own(tmp_path):
    """A kernel's messages that start with a subsystem's `name:` (40% of them): that is their
    text, not a second writer's header, which would show a level or a stamp."""
    lines = []
    for i in range(100):
        body = (
            [f"ARPT: {i}.{i:03d} wl0: scan done", f"Sandbox: deny {i} file-read"][i % 2]
            if i % 5 < 2
            else f"device {i} attached on port {i % 4}"
        )
        lines.append(f"Mar 10 14:{i // 60:02d}:{i % 60:02d} mac kernel[0]: {body}")
    table = entries_of(tmp_path, "system.log", lines)
    assert bodies(table)[:3] == [
        "ARPT: 0.000 wl0: scan done",
        "Sandbox: deny 1 file-read",
        "device 2 attached on port 2",
    ]


def test_rfc5424_body_is_msg(tmp_path):
    lines = [
        f'<165>1 2026-03-10T14:00:{i:02d}Z host-{i % 3} app {i} ID47 [x@1 a="1"] took {i} ms'
        for i in range(12)
    ]
    table = entries_of(tmp_path, "syslog5424.log", lines)
    assert bodies(table)[:2] == ["took 0 ms", "took 1 ms"]


def test_error_log_bodies_start_after_the_servers_brackets(tmp_path):
    apache = [
        f"[Sun Dec 04 04:47:{i:02d} 2005] [error] [client 10.0.0.{i}] Directory index forbidden"
        for i in range(12)
    ]
    assert bodies(entries_of(tmp_path, "error_log", apache))[0] == "Directory index forbidden"
    nginx = [
        f"2024/01/02 03:04:{i:02d} [warn] 1234#0: *{i} upstream timed out, client: 1.2.3.{i}"
        for i in range(12)
    ]
    assert bodies(entries_of(tmp_path, "error.log", nginx))[1] == (
        "*1 upstream timed out, client: 1.2.3.1"
    )


def test_json_and_cloudwatch_bodies_are_the_message_field(tmp_path):
    path = tmp_path / "app.jsonl"
    path.write_text(
        "".join(
            json.dumps({"time": f"2026-03-10T14:00:{i:02d}Z", "level": "info", "msg": f"done {i}"})
            + "\n"
            for i in range(10)
        )
    )
    table = ingest([path]).table
    assert bodies(table)[:2] == ["done 0", "done 1"]
    csv = tmp_path / "insights.csv"
    csv.write_text(
        "@timestamp,@message\n"
        + "".join(f"2026-03-10 14:00:{i:02d}.000,Charged order {i}\n" for i in range(10))
    )
    assert bodies(ingest([csv]).table)[0].startswith("Charged order")


# --- access logs: patterns of requests ---------------------------------------------------


def access_lines() -> list[str]:
    agents = ["Mozilla/5.0 (X11)", "curl/8.0", "okhttp/4.9", "Googlebot/2.1"]
    out = []
    for i in range(40):
        route = [
            f"/api/orders/{1000 + i}",
            f"/api/users/{i}/orders/3fa85f64-5717-4562-b3fc-2c963f66a{i:03d}",
            f"/api/search?q=item{i}&page={i % 3}",
            "/api/checkout",
        ][i % 4]
        method = "POST" if route == "/api/checkout" else "GET"
        status = 503 if i == 39 else 200
        out.append(
            f'10.0.{i % 5}.{i} - user{i % 3} [10/Mar/2026:14:00:{i:02d} +0000] "{method} {route} '
            f'HTTP/1.1" {status} {i * 17} "https://shop.example/p{i}" "{agents[i % 4]}"'
        )
    return out


def test_access_log_patterns_are_method_and_route_with_a_named_status(tmp_path):
    table = entries_of(tmp_path, "access.log", access_lines())
    found = mine(table)
    templates = sorted(p.template for p in found.patterns)
    assert templates == [
        "GET /api/orders/<id> <status>",
        "GET /api/search?q=<q>&page=<page> <status>",
        "GET /api/users/<id1>/orders/<id2> <status>",
        "POST /api/checkout <status>",
    ]
    checkout = next(p for p in found.patterns if p.template.startswith("POST"))
    assert dict(checkout.tokens[0].top) == {"200": 9, "503": 1}
    # Client, user, referrer and User-Agent are fields, never template text.
    assert table["agent"][1] == "curl/8.0" and table["user"][1] == "user1"
    # The Logs table shows the request on: the client, user and stamp are columns.
    assert table.select(pl.col("message").str.slice(pl.col("body_at")))[0, 0].startswith('"GET')


def test_access_rows_appended_later_take_their_route_patterns(tmp_path):
    table = entries_of(tmp_path, "access.log", access_lines())
    mined = mine_entries(table.head(36))
    grown = mined.extended(table.slice(36))
    assert grown.ids.slice(36).to_list() == mined.ids.slice(0, 4).to_list()


def test_route_templates_mask_ids_and_keep_stable_words():
    targets = pl.Series(
        [
            "/api/orders/12345",
            "/api/v2/users/3fa85f64-5717-4562-b3fc-2c963f66afa6/profile",
            "/static/js/app.3f9a8b7c1d.js",
            "/api/products/SKU-63309",
            "/files/aGVsbG8gd29ybGQgdGhpcyBpcyBh/download",
            "/search?q=shoes&page=2#top",
            "/healthz",
        ]
    )
    got = pl.select(route_mask(pl.lit(targets), "<*>")).to_series().to_list()
    assert got == [
        "/api/orders/<*>",
        "/api/v2/users/<*>/profile",
        "/static/js/app.<*>.js",
        "/api/products/SKU-<*>",
        "/files/<*>/download",
        "/search?q=<*>&page=<*>#top",
        "/healthz",
    ]


def test_a_first_503_is_one_token_anomaly_that_names_the_route_and_the_status(tmp_path):
    from datetime import UTC, datetime, timedelta

    from logview.core.analysis.anomalies import detect

    start = datetime(2026, 3, 10, tzinfo=UTC)
    lines = []
    for minute in range(24 * 60 + 120):
        at = start + timedelta(minutes=minute)
        stamp = at.strftime("%d/%b/%Y:%H:%M:%S +0000")
        for k in range(3):
            status = 503 if minute >= 24 * 60 + 60 and k == 0 else 200
            agent = ["Mozilla/5.0", "curl/8.0", "okhttp/4.9"][(minute + k) % 3]
            lines.append(
                f'10.0.0.{k} - - [{stamp}] "POST /api/checkout HTTP/1.1" {status} 12 "-" "{agent}"'
            )
    table = entries_of(tmp_path, "access.log", lines)
    mined = mine_entries(table)
    found = detect(table["ts"], table["level"], mined.ids, mined.by_id, messages=table)
    firsts = [a for a in found if a.kind in ("new token value", "HTTP errors")]
    assert len(firsts) == 1, [(a.kind, a.description) for a in found]
    first = firsts[0]
    assert first.template == "POST /api/checkout <status>"
    assert "<status>" in first.description and "503" in first.description
    assert (first.token_name, first.value) == ("<status>", "503")


# --- named tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("messages", "template"),
    [
        (
            ["login from 10.0.0.1 port 22", "login from 10.0.0.2 port 2222"],
            "login from <ip> port <num>",
        ),
        (["took 12ms", "took 300ms"], "took <duration>"),
        (["wrote 512MB", "wrote 4GB"], "wrote <size>"),
        (["job uid=0 done", "job uid=1000 done"], "job uid=<uid> done"),
        (["status: 200 sent", "status: 404 sent"], "status: <status> sent"),
        (
            [
                "id 3fa85f64-5717-4562-b3fc-2c963f66afa6 gone",
                "id 4fa85f64-5717-4562-b3fc-2c963f66afa6 gone",
            ],
            "id <uuid> gone",
        ),
        (
            ["copy 10.0.0.1 to 10.0.0.2 ok", "copy 10.0.0.3 to 10.0.0.4 ok"],
            "copy <ip1> to <ip2> ok",
        ),
        (["link eth0 up now", "link eth1 up now"], "link <id> up now"),
    ],
)
def test_tokens_are_named_by_their_key_or_their_kind(messages, template):
    found = mine_entries(pl.DataFrame({"message": messages * 3}))
    assert set(found.templates.values()) == {template}


def test_token_names_reach_queries_and_the_json_output(tmp_path, capsys):
    from logview.cli import main

    path = tmp_path / "access.log"
    path.write_text("\n".join(access_lines()) + "\n")
    table = ingest([path]).table
    got = run_query(table, 'filter @token.status = "503"')
    assert got.rows.len() == 1
    assert main(["patterns", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    checkout = next(p for p in report["patterns"] if p["template"].startswith("POST"))
    assert [t["token"] for t in checkout["tokens"]] == ["<status>"]
    assert checkout["tokens"][0]["name"] == "status"


@pytest.mark.parametrize(("system", "threshold"), [("Apache", 0.99), ("Linux", 0.93)])
def test_grouping_accuracy_on_raw_loghub_files_does_not_regress(system, threshold):
    """The raw `X_2k.log` as a user opens it (benchmarks/patterns.py measures all nine)."""
    from test_loghub_headers import grouping_accuracy, labelled

    folder, truth = labelled(system)
    table = ingest([folder / f"{system}_2k.log"]).table.sort("line")
    assert table["line"].to_list() == list(range(1, truth.height + 1))  # one entry a line
    assert grouping_accuracy(mine_entries(table).ids, truth["EventId"]) >= threshold


def test_slot_spans_cover_values_tails_and_route_ids():
    from logview.core.analysis.pattern_templates import slot_spans

    reasons = ["reset by peer", "idle", "client went away", "timeout", "shutdown in progress"]
    texts = [f"closing connection {17 + i}: reason {r}" for i, r in enumerate(reasons)]
    found = mine_entries(pl.DataFrame({"message": texts * 2}))
    (template,) = found.by_id.values()
    line = texts[0]
    assert [line[a:b] for a, b in slot_spans(line, template.slots)] == ["17", "reset by peer"]
    route = mine_entries(
        pl.DataFrame(
            {
                "message": ['"GET /api/users/7/orders/12 HTTP/1.1" 200 5'] * 2,
                "body_at": [0, 0],
                "body_kind": [1, 1],
            },
            schema_overrides={"body_at": pl.UInt32, "body_kind": pl.UInt8},
        )
    )
    (template,) = route.by_id.values()
    line = "GET /api/users/7/orders/12 200"
    assert [line[a:b] for a, b in slot_spans(line, template.slots)] == ["7", "12", "200"]


def test_a_header_never_takes_the_whole_line(tmp_path):
    # Monolog lines where the INFO writer repeats one message: its words and brackets, the
    # same on every INFO line, look like a header; the body stays visible.
    lines = []
    for i in range(40):
        if i % 2:
            lines.append(f"[2024-03-14T09:20:{i:02d}.402143+00:00] app.ERROR: payment {i} failed")
        else:
            lines.append(f"[2024-03-14T09:20:{i:02d}.402143+00:00] app.INFO: order placed [] []")
    table = entries_of(tmp_path, "app.log", lines)
    assert bodies(table)[0] == "app.INFO: order placed [] []"
    assert bodies(table)[1] == "payment 1 failed"


def test_a_module_named_log_after_the_stamp_is_no_level(tmp_path):
    # Django's "verbose" formatter: `{levelname} {asctime} {module} {process:d} {thread:d} {message}`
    lines = [
        "INFO 2024-03-14 09:20:41,118 apps 2817 139872514631488 billing ready",
        "WARNING 2024-03-14 09:21:37,552 log 2819 139872514631488 Not Found: /wp-login.php",
        "ERROR 2024-03-14 09:22:05,904 exception 2819 139872514631488 Invalid HTTP_HOST header",
        "Traceback (most recent call last):",
        '  File "/srv/app/venv/lib/python3.11/site-packages/django/core/handlers.py", line 55',
        "    response = get_response(request)",
        "django.core.exceptions.DisallowedHost: Invalid HTTP_HOST header",
        "WARNING 2024-03-14 09:22:05,907 log 2819 139872514631488 Bad Request: /",
        "INFO 2024-03-14 09:24:18,660 tasks 2817 139872514631488 invoice run finished",
        "ERROR 2024-03-14 09:26:44,017 log 2821 139872514631488 Internal Server Error: /pay",
    ]
    table = entries_of(tmp_path, "django.log", lines)
    assert table["level"].cast(str).to_list() == ["INFO", "WARN", "ERROR", "WARN", "INFO", "ERROR"]

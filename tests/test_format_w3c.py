"""W3C extended log format (IIS, Windows Firewall): directives, fields, requests as bodies."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from helpers import lines_of

from logview.core.analysis.patterns import mine
from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.w3c import parse_w3c
from logview.core.reading.parsers.w3c import sniff as sniff_w3c
from logview.core.reading.registry import sniff

IIS = [
    "#Software: Microsoft Internet Information Services 10.0",
    "#Version: 1.0",
    "#Date: 2023-03-06 18:34:17",
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
    "2023-03-06 18:34:17 10.0.0.1 GET /api/orders/42 q=1 443 - 10.0.0.9 "
    "Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 15",
    "2023-03-06 18:34:18 10.0.0.1 POST /api/orders - 443 bob 10.0.0.9 curl/8.0 - 500 0 64 120",
    "2023-03-06 18:34:19 10.0.0.1 GET /api/orders/43 - 443 - 10.0.0.7 curl/8.0 - 200 0 0 9",
    "#Software: Microsoft Internet Information Services 10.0",
    "#Version: 1.0",
    "#Date: 2023-03-07 00:00:00",
    "#Fields: time c-ip cs-method cs-uri-stem sc-status",
    "00:00:05 10.0.0.8 GET /health 404",
]
QUOTED = [
    "#Version: 1.0",
    "#Date: 2023-03-06 18:00:00",
    "#Fields: date time c-ip cs-method cs-uri sc-status cs(User-Agent)",
    '2023-03-06 18:00:01 10.0.0.2 GET /a 200 "Mozilla/5.0 (X11; Linux) ""quoted"""',
]
FIREWALL = [
    "#Version: 1.5",
    "#Software: Microsoft Windows Firewall",
    "#Time Format: Local",
    "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn "
    "tcpack tcpwin icmptype icmpcode info path",
    "2023-03-06 18:34:17 DROP TCP 10.0.0.5 10.0.0.1 50432 3389 52 S 123 0 8192 - - - RECEIVE",
    "2023-03-06 18:34:18 ALLOW UDP 10.0.0.1 8.8.8.8 53000 53 0 - - - - - - - SEND",
]


def sample_of(texts: list[str], name: str = "u_ex230306.log") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str], tz: str | None = None) -> pl.DataFrame:
    return parse_w3c(lines_of(texts), ParseContext("u_ex230306.log", tz=tz))


def test_w3c_files_are_detected():
    for texts in (IIS, QUOTED, FIREWALL):
        found = sniff(sample_of(texts))
        assert found is not None and found.format.name == "w3c"


def test_comment_lines_of_other_files_are_not_w3c():
    texts = ["# a shell script", "#Fields of gold", "echo hello"]
    assert sniff_w3c(sample_of(texts)) == 0.0


def test_records_take_their_fields_from_the_directive_above():
    frame = parse(IIS)
    assert frame.height == 4  # directives are not entries
    first = frame.row(0, named=True)
    assert first["ts"] == datetime(2023, 3, 6, 18, 34, 17, tzinfo=UTC)
    assert (first["method"], first["path"], first["status"]) == ("GET", "/api/orders/42", "200")
    assert first["cs(User-Agent)"] == "Mozilla/5.0+(Windows+NT+10.0)"
    assert first["time-taken"] == "15"
    assert frame["level"].to_list() == ["INFO", "ERROR", "INFO", "WARN"]
    assert "cs(Referer)" not in frame.columns  # "-" on every record
    assert frame["line"].to_list() == [5, 6, 7, 12]


def test_a_record_with_time_only_takes_the_date_directive():
    last = parse(IIS).row(3, named=True)
    assert last["ts"] == datetime(2023, 3, 7, 0, 0, 5, tzinfo=UTC)
    assert (last["c-ip"], last["path"], last["s-ip"]) == ("10.0.0.8", "/health", None)


def test_the_date_directive_in_the_drafts_example_form_dates_time_only_records():
    # The W3C draft's example writes `#Date: 12-Jan-1996 00:00:00`.
    texts = [
        "#Date: 12-Jan-1996 00:00:00",
        "#Fields: time cs-method cs-uri",
        "00:34:23 GET /a.html",
    ]
    assert parse(texts)["ts"].to_list() == [datetime(1996, 1, 12, 0, 34, 23, tzinfo=UTC)]


def test_records_written_out_of_order_stay_on_their_day_and_midnight_moves_it():
    # IIS writes a request when it ends: a later line may hold an earlier time.
    texts = [
        "#Date: 2024-03-14 09:00:00",
        "#Fields: time cs-method cs-uri",
        "09:00:05 GET /slow-report",
        "09:00:03 GET /fast",
        "23:59:59 GET /late",
        "00:00:01 GET /after-midnight",
    ]
    assert parse(texts)["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 0, 5, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 0, 3, tzinfo=UTC),
        datetime(2024, 3, 14, 23, 59, 59, tzinfo=UTC),
        datetime(2024, 3, 15, 0, 0, 1, tzinfo=UTC),
    ]


def test_quoted_strings_keep_their_spaces_and_doubled_quotes():
    entry = parse(QUOTED).row(0, named=True)
    assert entry["cs(User-Agent)"] == 'Mozilla/5.0 (X11; Linux) "quoted"'
    assert entry["path"] == "/a"


def test_requests_are_mined_by_method_and_route(tmp_path):
    path = tmp_path / "u_ex230306.log"
    path.write_text("\n".join(IIS) + "\n")
    result = ingest([path])
    assert result.sources[0].format == "w3c"
    templates = {p.template for p in mine(result.table).patterns}
    assert any(t.startswith("GET /api/orders/") for t in templates)


def test_windows_firewall_times_are_local_and_its_body_follows_the_stamp():
    frame = parse(FIREWALL, tz="Europe/Paris")
    assert frame["ts"][0] == datetime(2023, 3, 6, 17, 34, 17, tzinfo=UTC)
    assert frame["action"].to_list() == ["DROP", "ALLOW"]
    assert frame["level"].null_count() == 2
    entry = frame.row(0, named=True)
    assert entry["message"][entry["body_at"] :].startswith("DROP TCP")


def test_a_short_record_in_the_middle_leaves_its_missing_fields_empty():
    frame = parse([*IIS[:5], "2023-03-06 18:34:18 10.0.0.1 GET", IIS[6]])
    assert frame.height == 3
    broken = frame.row(1, named=True)
    assert broken["method"] == "GET" and broken["status"] is None
    assert frame.row(2, named=True)["status"] == "200"


def test_records_without_a_fields_directive_keep_their_date_and_time():
    notes: list[str] = []
    texts = [IIS[5], "a line of something else"]
    frame = parse_w3c(lines_of(texts), ParseContext("u_ex230306.log", note=notes.append))
    assert frame.height == 2
    assert frame["ts"][0] == datetime(2023, 3, 6, 18, 34, 18, tzinfo=UTC)
    assert frame["message"][0][frame["body_at"][0] :].startswith("10.0.0.1 POST")
    assert frame["ts"][1] is None
    assert any("#Fields:" in n for n in notes)


def test_a_fields_directive_naming_nothing_keeps_every_record_as_text():
    frame = parse(["#Fields: ", "first record", "second record"])
    assert frame["message"].to_list() == ["first record", "second record"]


def test_ingest_keeps_a_firewall_record_whole_after_its_stamp(tmp_path):
    from logview.core.shared.body import body_lines

    path = tmp_path / "pfirewall.log"
    path.write_text("\n".join(FIREWALL) + "\n")
    bodies = body_lines(ingest([path]).table).to_list()
    assert bodies[1].startswith("ALLOW UDP 10.0.0.1 8.8.8.8")


def test_a_records_fields_give_no_level_from_their_words(tmp_path):
    # Zeek's dns.log names the reply's code (`REFUSED`), Exchange's tracking log its event
    # (`FAIL`): values of fields, not a message saying how bad a record was
    texts = [
        "#separator \\x09",
        "#fields\tts\tuid\tquery\trcode_name\trejected",
        "1719496831.227041\tCfT1nP0hbq7Vx3Mz2s\tcorp.example\tREFUSED\tT",
        "1719496833.780190\tCsW5eB2yUq1Nd8LjTr\tteams.microsoft.com\tNOERROR\tF",
    ]
    path = tmp_path / "dns.log"
    path.write_text("\n".join(texts) + "\n")
    table = ingest([path]).table
    assert table.height == 2
    assert table["level"].to_list() == ["NONE", "NONE"]


# Zeek's TSV logs, as its documentation describes them: `#separator \x09`, `#fields` and
# `#types` directives, tab-separated records, `ts` in epoch seconds, `-` for an unset field.
ZEEK = [
    "#separator \\x09",
    "#set_separator\t,",
    "#empty_field\t(empty)",
    "#unset_field\t-",
    "#path\tconn",
    "#open\t2024-03-14-09-26-50",
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice",
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring",
    "1710408413.589012\tCHhAvVGS1DHFjwGM9\t10.0.0.5\t51234\t10.0.0.1\t53\tudp\tdns",
    "1710408401.004518\tCUM0KZ3MLUfNB0cl11\t10.0.0.17\t50110\t10.0.0.80\t8080\ttcp\t-",
    "#close\t2024-03-14-10-00-00",
]


def test_zeek_tsv_logs_read_by_their_fields_directive():
    found = sniff(sample_of(ZEEK, "conn.log"))
    assert found is not None and found.format.name == "w3c"
    parsed = parse(ZEEK)
    assert parsed["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 26, 53, 589012, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 26, 41, 4518, tzinfo=UTC),
    ]
    assert parsed["id.orig_h"].to_list() == ["10.0.0.5", "10.0.0.17"]
    assert parsed["service"].to_list() == ["dns", "-"]
    # the body starts after the stamp's field and its tab
    assert parsed["body_at"].to_list() == [18, 18]


def test_exchange_logs_with_comma_separated_fields():
    texts = [
        "#Software: Microsoft Exchange Server",
        "#Version: 15.02.1258.012",
        "#Log-type: Message Tracking Log",
        "#Date: 2024-03-14T09:21:02.114Z",
        "#Fields: date-time,client-ip,server-hostname,source,event-id,recipient-address,"
        "message-subject",
        '2024-03-14T09:21:03.118Z,203.0.113.25,EXCH01,SMTP,RECEIVE,j.doe@corp.example,"Re: a, b"',
        "2024-03-14T09:21:03.605Z,,EXCH01,AGENT,AGENTINFO,j.doe@corp.example,",
        '2024-03-14T09:22:42.388Z,,EXCH01,SMTP,FAIL,x@corp.example,"He said ""no"""',
    ]
    assert sniff(sample_of(texts)).format.name == "w3c"
    frame = parse(texts)
    assert frame.height == 3
    assert frame["ts"][0] == datetime(2024, 3, 14, 9, 21, 3, 118000, tzinfo=UTC)
    assert frame["event-id"].to_list() == ["RECEIVE", "AGENTINFO", "FAIL"]
    assert frame["message-subject"].to_list() == ["Re: a, b", "", 'He said "no"']

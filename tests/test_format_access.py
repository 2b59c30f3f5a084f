"""Apache/Nginx access logs and error logs."""

from __future__ import annotations

from helpers import lines_of, utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.access import (
    parse_access,
    parse_error_log,
    sniff_access,
    sniff_error_log,
)
from logview.core.reading.registry import sniff
from logview.core.shared.table import PARSED_SCHEMA

PROSE = (
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "Winston Smith, his chin nuzzled into his breast, slipped quickly through the doors.",
)

ACCESS_LINES = [
    '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 '
    '"http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
    '10.0.0.2 - - [10/Oct/2000:13:55:37 -0700] "POST /login HTTP/1.1" 404 - "-" "curl/8.0"',
    '10.0.0.3 - - [10/Oct/2000:13:55:38 +0000] "GET /api?q=\\"x\\" HTTP/1.1" 503 157',
    '10.0.0.4 - - [10/Oct/2000:13:55:39 -0700] "-" 400 0 "-" "-"',
    '10.0.0.5 - - [10/Oct/2000:13:55:40 -0700] "\\x16\\x03\\x01\\x00\\xa5" 400 226 "-" "-"',
]

APACHE_ERRORS = [
    "[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] Directory index forbidden by rule",
    "[Sun Dec 04 04:47:45 2005] [notice] jk2_init() Found child 6725 in scoreboard slot 10",
    "[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 123:tid 456] [client 1.2.3.4:5678] "
    "AH00037: Symbolic link not allowed",
    "[Wed Oct 11 14:32:53.000001 2000] [proxy:trace5] [pid 123:tid 457] proxy_util.c(2010): x",
]

NGINX_ERRORS = [
    "2024/01/02 03:04:05 [error] 1234#5678: *9 open() failed (2: No such file), "
    'client: 1.2.3.4, server: example.com, request: "GET /x HTTP/1.1"',
    '2024/01/02 03:04:06 [warn] 1234#0: conflicting server name "a" on 0.0.0.0:80, ignored',
    "2024/01/02 03:04:07 [crit] 1235#0: *12 SSL_do_handshake() failed, client: 5.6.7.8",
]


def sample_of(texts: list[str] | tuple[str, ...], name: str = "access.log") -> Sample:
    return Sample(name, "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


CTX = ParseContext("access.log")


# --- access logs ---------------------------------------------------------------------------


def test_combined_line_gives_all_fields_and_utc_time_from_the_offset():
    frame = parse_access(lines_of(ACCESS_LINES), CTX)
    # ident is "-" (not given) on every line, so it is left out; user is given once.
    assert frame.columns == [
        "ts", "level", "line", "message", "body_at", "body_kind", "client", "user", "method",
        "path", "protocol", "status", "bytes", "referer", "agent",
    ]  # fmt: skip
    first = frame.row(0, named=True)
    assert first["ts"] == utc(2000, 10, 10, 20, 55, 36)
    assert first["client"] == "127.0.0.1"
    assert first["user"] == "frank"
    assert frame["user"][1] == "-"  # a field given on some line keeps "-" as written elsewhere
    assert (first["method"], first["path"], first["protocol"]) == (
        "GET", "/apache_pb.gif", "HTTP/1.0",
    )  # fmt: skip
    assert (first["status"], first["bytes"]) == ("200", "2326")
    assert first["referer"] == "http://www.example.com/start.html"
    assert first["agent"] == "Mozilla/4.08 [en] (Win98; I ;Nav)"
    assert first["message"] == ACCESS_LINES[0]
    assert frame["ts"][2] == utc(2000, 10, 10, 13, 55, 38)


def test_a_field_given_on_one_line_is_kept_for_every_line():
    lines = [line.replace("127.0.0.1 - frank", "127.0.0.1 ident7 frank") for line in ACCESS_LINES]
    frame = parse_access(lines_of(lines), CTX)
    assert frame["ident"].to_list() == ["ident7", "-", "-", "-", "-"]


def test_access_level_follows_the_status_class():
    frame = parse_access(lines_of(ACCESS_LINES), CTX)
    assert frame["status"].to_list() == ["200", "404", "503", "400", "400"]
    assert frame["level"].to_list() == ["INFO", "WARN", "ERROR", "WARN", "WARN"]


def test_common_format_has_no_referer_and_escaped_quotes_stay_in_the_path():
    row = parse_access(lines_of(ACCESS_LINES), CTX).row(2, named=True)
    assert row["path"] == '/api?q=\\"x\\"'
    assert row["referer"] is None and row["agent"] is None
    assert row["bytes"] == "157"


def test_malformed_request_lines_still_parse_the_rest():
    frame = parse_access(lines_of(ACCESS_LINES), CTX)
    for i in (3, 4):
        row = frame.row(i, named=True)
        assert row["method"] is None and row["path"] is None and row["protocol"] is None
        assert row["status"] == "400"
        assert row["ts"] is not None
    assert frame["bytes"][4] == "226"


def test_trailing_request_time_becomes_a_column():
    texts = [line + " 0.005" for line in ACCESS_LINES[:2]]
    frame = parse_access(lines_of(texts), CTX)
    assert frame["request_time"].to_list() == ["0.005", "0.005"]
    assert frame["agent"].to_list() == ["Mozilla/4.08 [en] (Win98; I ;Nav)", "curl/8.0"]


def test_access_lines_that_do_not_match_stand_alone_without_time():
    texts = [ACCESS_LINES[0], "garbage line", "  indented junk", ACCESS_LINES[1]]
    frame = parse_access(lines_of(texts), CTX)
    assert frame["line"].to_list() == [1, 2, 4]
    assert frame.row(1, named=True)["ts"] is None
    assert frame.row(1, named=True)["level"] is None
    assert frame["message"][1] == "garbage line\n  indented junk"


def test_access_sniff_wins_on_its_sample_and_not_on_others():
    detection = sniff(sample_of(ACCESS_LINES))
    assert detection is not None and detection.format.name == "access"
    assert detection.confidence == 0.9
    assert sniff_access(sample_of(PROSE)) == 0.0
    assert sniff_access(sample_of(APACHE_ERRORS)) == 0.0
    assert sniff_access(sample_of(NGINX_ERRORS)) == 0.0


# --- error logs ----------------------------------------------------------------------------


def test_apache_22_and_24_error_lines_give_level_module_pid_tid_client():
    frame = parse_error_log(lines_of(APACHE_ERRORS), CTX)
    assert frame.columns == [
        "ts", "level", "line", "message", "body_at", "module", "pid", "tid", "client",
    ]  # fmt: skip
    assert frame["ts"].to_list() == [
        utc(2005, 12, 4, 4, 47, 44),
        utc(2005, 12, 4, 4, 47, 45),
        utc(2000, 10, 11, 14, 32, 52, 123456),
        utc(2000, 10, 11, 14, 32, 53, 1),
    ]
    assert frame["level"].to_list() == ["ERROR", "INFO", "ERROR", "TRACE"]
    assert frame["module"].to_list() == [None, None, "core", "proxy"]
    assert frame["pid"].to_list() == [None, None, "123", "123"]
    assert frame["tid"].to_list() == [None, None, "456", "457"]
    assert frame["client"].to_list() == ["1.2.3.4", None, "1.2.3.4:5678", None]
    assert frame["message"].to_list() == APACHE_ERRORS


def test_nginx_error_lines_give_level_pid_tid_and_client():
    frame = parse_error_log(lines_of(NGINX_ERRORS), CTX)
    assert frame["ts"][0] == utc(2024, 1, 2, 3, 4, 5)
    assert frame["level"].to_list() == ["ERROR", "WARN", "FATAL"]
    assert frame["pid"].to_list() == ["1234", "1234", "1235"]
    assert frame["tid"].to_list() == ["5678", "0", "0"]
    assert frame["client"].to_list() == ["1.2.3.4", None, "5.6.7.8"]
    assert frame["module"].to_list() == [None, None, None]


def test_error_log_lines_without_a_stamp_join_and_a_line_with_its_own_stands_alone():
    other = "2024-01-02 03:04:06,123 INFO another writer's line"
    texts = [APACHE_ERRORS[0], "  PHP Stack trace: #0 {main}", "", "junk", other, APACHE_ERRORS[1]]
    frame = parse_error_log(lines_of(texts), CTX)
    assert frame["line"].to_list() == [1, 5, 6]
    assert frame["message"][0] == APACHE_ERRORS[0] + "\n  PHP Stack trace: #0 {main}\njunk"
    assert frame.row(1, named=True)["message"] == other
    assert frame.row(1, named=True)["level"] is None


def test_nginx_fastcgi_messages_keep_their_unindented_lines():
    # nginx writes a FastCGI's stderr as it came: PHP's stack trace on lines of its own.
    first = NGINX_ERRORS[0].replace("open() failed", 'FastCGI sent in stderr: "PHP message: x')
    texts = [
        first,
        "Stack trace:",
        "#0 /var/www/index.php(8): require()",
        '#1 {main}"',
        *NGINX_ERRORS[1:],
    ]
    frame = parse_error_log(lines_of(texts), CTX)
    assert frame["line"].to_list() == [1, 5, 6]
    assert frame["message"][0].endswith('#1 {main}"')
    assert frame["level"].to_list() == ["ERROR", "WARN", "FATAL"]


def test_error_log_sniff_wins_on_apache_and_nginx_samples():
    for texts in (APACHE_ERRORS, NGINX_ERRORS):
        detection = sniff(sample_of(texts, "error.log"))
        assert detection is not None and detection.format.name == "http-error"
        assert detection.confidence == 0.85
    assert sniff_error_log(sample_of(PROSE)) == 0.0
    assert sniff_error_log(sample_of(ACCESS_LINES)) == 0.0


def test_empty_input_gives_an_empty_frame_with_the_parsed_schema():
    for parse in (parse_access, parse_error_log):
        frame = parse(lines_of([]), CTX)
        assert frame.height == 0
        assert dict(frame.schema) == PARSED_SCHEMA


# --- the fast path gives what ACCESS gives -------------------------------------------------

TRICKY_ACCESS_LINES = [
    *ACCESS_LINES,
    '1.1.1.1 - - [06/Jan/2026:00:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "Mozilla/5.0 (X11)"',
    '1.1.1.1 - - [06/Jan/2026:00:00:00 +0000] "GET /a HTTP/1.1" 200 5 "" ""',
    '1.1.1.1 - - [06/Jan/2026:00:00:01 +0000] "GET /a HTTP/1.1" 200 5 " " "agent"',
    '1.1.1.1 - - [06/Jan/2026:00:00:02 +0000] "GET /a HTTP/1.1" 200 5 "a"b" "c"',
    '1.1.1.1 - - [06/Jan/2026:00:00:03 +0000] "GET /a HTTP/1.1" 200 5 "r" "a" "x"',
    '1.1.1.1 - - [06/Jan/2026:00:00:04 +0000] "GET /a HTTP/1.1" 200 5 "r" "a""',
    '1.1.1.1 - - [06/Jan/2026:00:00:05 +0000] "GET /a HTTP/1.1" 200 5 "r" "a" 0.25',
    '1.1.1.1 - - [06/Jan/2026:00:00:06 +0000] "GET /a HTTP/1.1" 200 5 "r" "a" 12.',
    '1.1.1.1 - - [06/Jan/2026:00:00:07 +0000] "GET /a HTTP/1.1" 200 5 "r" "a" 3 extra',
    '1.1.1.1 - - [06/Jan/2026:00:00:08 +0000] "GET /a HTTP/1.1" 200 5 0.5',
    '1.1.1.1 - - [06/Jan/2026:00:00:09 +0000] "GET /a HTTP/1.1" - -',
    '1.1.1.1 - - [06/Jan/2026:00:00:10 +0000] "GET /a HTTP/1.1" 200 5 "r" "a\\"b"',
    '1.1.1.1 - - [06/Jan/2026:00:00:11 -0930] "GET /ä HTTP/1.1" 200 5 "r" "Mözilla ünïcode"',
    '1.1.1.1 - - [06/Jan/2026:00:00:12 +0000] "GET /a" 200 5 "r" "a"',
    '1.1.1.1 - - [06/Jan/2026:00:00:13 +0000] "GET /a b HTTP/1.1" 200 5 "r" "a"',
    '1.1.1.1\t- - [06/Jan/2026:00:00:14 +0000] "GET /a HTTP/1.1" 200 5 "r" "a"',
    '1.1.1.1 "x - [06/Jan/2026:00:00:15 +0000] "GET /a HTTP/1.1" 200 5 "r" "a"',
    '1.1.1.1 [x - [06/Jan/2026:00:00:16 +0000] "GET /a HTTP/1.1" 200 5 "r" "a"',
    '1.1.1.1 - - [30/Feb/2026:00:00:17 +0000] "GET /a HTTP/1.1" 200 5 "r" "a"',
    '1.1.1.1 - - [06/Jan/2026:00:00:60 +0000] "GET /a HTTP/1.1" 200 5 "r" "a"',
    '1.1.1.1 - - [06/jan/2026:00:00:19 +0000] "GET /a HTTP/1.1" 200 5 "r" "a"',
    '1.1.1.1 - - [06/Jan/2026:00:00:20 +0000] "GET /a HTTP/1.1" 2000 5 "r" "a"',
    '1.1.1.1 - - [06/Jan/2026:00:00:21 +0000] "GET /a HTTP/1.1" 200 5 "r" "a"\r',
    "   at an indented continuation line",
    "",
    "junk that is not an access line",
]


def _slow_only(monkeypatch):
    import logview.core.reading.parsers.access as access

    monkeypatch.setattr(access, "FAST_HEAD", r"[^\s\S]")


def _assert_fast_equals_slow(texts, monkeypatch):
    fast = parse_access(lines_of(texts), CTX)
    with monkeypatch.context() as m:
        _slow_only(m)
        slow = parse_access(lines_of(texts), CTX)
    assert fast.schema == slow.schema
    assert fast.equals(slow), (fast, slow)


def test_fast_path_gives_the_same_frame_as_the_regex_on_varied_lines(monkeypatch):
    _assert_fast_equals_slow(TRICKY_ACCESS_LINES, monkeypatch)
    # Each line alone too: one line per frame makes every path (all fast, none) run.
    for line in TRICKY_ACCESS_LINES:
        _assert_fast_equals_slow([line], monkeypatch)


def test_fast_path_with_only_plain_combined_lines_gives_the_same_frame(monkeypatch):
    texts = [
        f"10.0.{i % 7}.{i} - user{i % 3} [0{1 + i % 9}/Mar/2024:1{i % 10}:0{i % 10}:59 +0200]"
        f' "POST /api/{i}?q=a%20b HTTP/2.0" {200 + i % 4 * 100} {i * 37}'
        f' "https://example.com/{i}" "agent {i % 5}"'
        for i in range(200)
    ]
    _assert_fast_equals_slow(texts, monkeypatch)


def test_fast_path_stamps_fall_back_when_a_slow_line_has_another_stamp_layout(monkeypatch):
    texts = [
        '1.1.1.1 - - [06/Jan/2026:00:00:00 +0000] "GET /a HTTP/1.1" 200 5 "r" "a"',
        '1.1.1.1 - - [2026-01-06T00:00:01Z] "GET /a HTTP/1.1" 200 5 "r" "a"',
        '1.1.1.1 - - [2026-01-06T00:00:02Z] "GET /a HTTP/1.1" 200 5 "r" "a"',
        '1.1.1.1 - - [06/Jan/2026:00:00:03] "GET /a HTTP/1.1" 200 5 "r" "a"',
    ]
    _assert_fast_equals_slow(texts, monkeypatch)


def test_another_writers_stamped_lines_among_access_lines_keep_their_stamp():
    # nginx in a container writes its error lines to the same output as its access lines.
    error = NGINX_ERRORS[0]
    frame = parse_access(lines_of([ACCESS_LINES[0], error, ACCESS_LINES[1]]), CTX)
    assert frame["line"].to_list() == [1, 2, 3]
    assert frame["ts"][1] == utc(2024, 1, 2, 3, 4, 5)
    assert frame["message"][1] == error

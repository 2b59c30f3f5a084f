"""WebLogic server logs (`####<...>` records) and the server's standard output."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.weblogic import parse_weblogic
from logview.core.reading.registry import sniff

THREAD = "<[ACTIVE] ExecuteThread: '0' for queue: 'weblogic.kernel.Default (self-tuning)'>"
SERVER = [
    f"####<Mar 24, 2022 10:29:56,637 AM GMT> <Info> <Security> <host1> <AdminServer> {THREAD}"
    " <<WLS Kernel>> <> <> <1648117796637> <BEA-090905> <Disabling the CryptoJ JCE Provider "
    "self-integrity check for better startup performance.>",
    f"####<Mar 24, 2022 10:30:01,000 AM GMT> <Error> <HTTP> <host1> <AdminServer> {THREAD}"
    " <<anonymous>> <> <a1b2c3> <1648117801000> <[severity-value: 8] [rid: 0] "
    "[partition-id: 0] [partition-name: DOMAIN] > <BEA-101020> <[ServletContext@1[app:x]] "
    "Servlet failed with an Exception",
    "java.lang.NullPointerException",
    "\tat com.example.Servlet.doGet(Servlet.java:42)",
    ">",
    "####<Mar 24, 2022 10:31:00,000 PM CET> <Warning> <JDBC> <host1> <AdminServer> <main>"
    " <<WLS Kernel>> <> <> <> <BEA-001129> <Received exception while creating connection.>",
]
STDOUT = [
    "<Mar 24, 2022 10:29:56 AM GMT> <Notice> <WebLogicServer> <BEA-000365> <Server state "
    "changed to RUNNING.>",
    "<Mar 24, 2022 10:29:57 AM GMT> <Critical> <Health> <BEA-310006> <Critical Subsystem has "
    "failed.>",
]


def sample_of(texts: list[str]) -> Sample:
    return Sample(
        "AdminServer.log", "\n".join(texts).encode(), tuple(t for t in texts if t.strip())
    )


def parse(texts: list[str]) -> pl.DataFrame:
    return parse_weblogic(lines_of(texts), ParseContext("AdminServer.log"))


def test_server_log_and_stdout_are_detected():
    for texts in (SERVER, STDOUT):
        found = sniff(sample_of(texts))
        assert found is not None and found.format.name == "weblogic"


def test_records_their_fields_and_the_raw_time():
    frame = parse(SERVER)
    assert frame.height == 3
    first = frame.row(0, named=True)
    assert first["ts"] == datetime(2022, 3, 24, 10, 29, 56, 637000, tzinfo=UTC)
    assert (first["subsystem"], first["machine"], first["server"]) == (
        "Security",
        "host1",
        "AdminServer",
    )
    assert first["thread"].startswith("[ACTIVE] ExecuteThread: '0'")
    assert (first["user"], first["message_id"]) == ("<WLS Kernel>", "BEA-090905")
    assert "transaction" not in frame.columns  # empty in every record
    assert first["message"][first["body_at"] :].startswith("Disabling the CryptoJ")
    assert frame["level"].to_list() == ["INFO", "ERROR", "WARN"]


def test_a_multi_line_message_is_one_entry_and_12c_severity_values_are_skipped():
    error = parse(SERVER).row(1, named=True)
    assert error["message_id"] == "BEA-101020" and error["context"] == "a1b2c3"
    assert error["message"].endswith("(Servlet.java:42)\n>")
    assert error["message"][error["body_at"] :].startswith("[ServletContext@1[app:x]]")


def test_without_a_raw_time_the_written_stamp_and_its_zone_are_read():
    warning = parse(SERVER).row(2, named=True)
    assert warning["ts"] == datetime(2022, 3, 24, 21, 31, tzinfo=UTC)


def test_standard_output_records():
    frame = parse(STDOUT)
    assert frame["level"].to_list() == ["INFO", "FATAL"]
    assert frame["ts"][0] == datetime(2022, 3, 24, 10, 29, 56, tzinfo=UTC)
    assert frame["message_id"].to_list() == ["BEA-000365", "BEA-310006"]


def test_a_broken_record_in_the_middle_joins_the_record_above():
    frame = parse([SERVER[0], "####<Mar 24, 2022 10:2", SERVER[5]])
    assert frame.height == 2 and frame["level"].to_list() == ["INFO", "WARN"]


def test_java_11_stdout_with_its_zone_spelled_out():
    texts = [
        "<Mar 14, 2024, 10:20:36,204 AM Central European Standard Time> <Info> <Security>"
        " <BEA-090905> <Disabling the CryptoJ JCE Provider self-integrity check.>",
        "<Mar 14, 2024, 10:20:49,305 AM Central European Standard Time> <Warning> <JDBC>"
        " <BEA-001129> <Received exception while creating connection for pool.>",
    ]
    frame = parse(texts)
    assert frame["ts"].to_list() == [
        datetime(2024, 3, 14, 9, 20, 36, 204000, tzinfo=UTC),
        datetime(2024, 3, 14, 9, 20, 49, 305000, tzinfo=UTC),
    ]
    assert frame["level"].to_list() == ["INFO", "WARN"]


def test_the_jvms_warning_on_the_servers_stdout_is_its_own_entry():
    texts = [
        "<Mar 14, 2024, 10:20:01 AM CET> <Info> <NodeManager> <Working directory is '/u01'>",
        "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes",
        "<Mar 14, 2024, 10:20:03,276 AM CET> <Notice> <WebLogicServer> <BEA-000395> <The following",
        "/u01/app/oracle/config/domains/orders_domain/lib/ojdbc11-ext.jar.>",
        "[2024-03-14T10:20:09.412+0100][info][gc] GC(0) Pause Young (Normal) 204M->31M(4096M)",
    ]
    frame = parse(texts)
    assert frame["line"].to_list() == [1, 2, 3, 5]
    assert frame["ts"][1] is None
    assert frame["message"][2].endswith("ojdbc11-ext.jar.>")

"""XML logs, one element per event: samples written from each format's documentation."""

from __future__ import annotations

from helpers import utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.xml_records import parse_xml, record_element, sniff
from logview.core.reading.registry import sniff as detect

# Oracle's ADR alert log (log.xml): attributes over several lines, the message in <txt>.
ADR = """<msg time='2024-03-14T10:20:33.412+01:00' org_id='oracle' comp_id='rdbms'
 type='UNKNOWN' level='16' host_id='DB01' pid='6120'>
 <txt>Thread 1 advanced to log sequence 18423 (LGWR switch)
 </txt>
</msg>
<msg time='2024-03-14T10:24:05.877+01:00' org_id='oracle' comp_id='rdbms'
 type='WARNING' level='8' host_id='DB01' pid='5816'>
 <txt>WARNING: too many parse errors, count=400
SELECT ID FROM ERP.T WHERE A &lt; :B1
 </txt>
</msg>
<msg time='2024-03-14T10:34:12.650+01:00' org_id='oracle' comp_id='rdbms'
 type='ERROR' level='1' host_id='DB01' pid='5512'>
 <txt>ORA-00600: internal error code, arguments: [kdsgrp1]
 </txt>
</msg>
"""

# java.util.logging's XMLFormatter (logger.dtd), with an exception.
JUL = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE log SYSTEM "logger.dtd">
<log>
<record>
  <date>2024-03-14T09:20:00.123Z</date>
  <millis>1710408000123</millis>
  <sequence>0</sequence>
  <logger>com.example.Shop</logger>
  <level>INFO</level>
  <class>com.example.Shop</class>
  <method>start</method>
  <thread>1</thread>
  <message>shop started</message>
</record>
<record>
  <date>2024-03-14T09:21:00.456Z</date>
  <millis>1710408060456</millis>
  <sequence>1</sequence>
  <logger>com.example.Shop</logger>
  <level>SEVERE</level>
  <class>com.example.Shop</class>
  <method>order</method>
  <thread>12</thread>
  <message>order failed</message>
  <exception>
    <message>java.lang.IllegalStateException: no stock</message>
    <frame>
      <class>com.example.Shop</class>
      <method>order</method>
      <line>42</line>
    </frame>
  </exception>
</record>
</log>
"""

# log4j 1's XMLLayout: a fragment of <log4j:event> elements, the message in CDATA.
LOG4J = """<log4j:event logger="com.example.Billing" timestamp="1710408000123" level="INFO" thread="main">
<log4j:message><![CDATA[invoice 42 sent]]></log4j:message>
</log4j:event>

<log4j:event logger="com.example.Billing" timestamp="1710408061000" level="ERROR" thread="pool-1">
<log4j:message><![CDATA[invoice 43 failed <smtp>]]></log4j:message>
<log4j:throwable><![CDATA[java.io.IOException: refused
	at com.example.Mail.send(Mail.java:10)
]]></log4j:throwable>
<log4j:properties><log4j:data name="tenant" value="acme"/></log4j:properties>
</log4j:event>
"""

# Windows events as `wevtutil qe System /f:xml /e:Events` writes them: all on one line.
WINDOWS = (
    "<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
    "<Provider Name='Service Control Manager'/><EventID>7036</EventID><Level>4</Level>"
    "<TimeCreated SystemTime='2024-03-14T09:20:00.1234567Z'/><Computer>WS01</Computer></System>"
    "<EventData><Data Name='param1'>Windows Update</Data><Data Name='param2'>running</Data>"
    "</EventData></Event><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"
    "<System><Provider Name='disk'/><EventID>7</EventID><Level>2</Level>"
    "<TimeCreated SystemTime='2024-03-14T09:21:00.0000000Z'/><Computer>WS01</Computer></System>"
    "<EventData><Data Name='DeviceName'>\\Device\\Harddisk1\\DR1</Data></EventData></Event>"
    "</Events>"
)


def sample_of(text: str, name: str) -> Sample:
    lines = tuple(line for line in text.splitlines() if line.strip())
    return Sample(name, text.encode(), lines)


def parse(text: str, name: str = "log.xml"):
    return parse_xml(text.encode(), ParseContext(name, tz="UTC"))


def test_each_xml_log_is_detected_as_xml():
    for text, name in ((ADR, "log.xml"), (JUL, "app.0.log"), (LOG4J, "billing.xml"),
                       (WINDOWS, "system.xml")):  # fmt: skip
        assert sniff(sample_of(text, name)) == 0.95
        found = detect(sample_of(text, name))
        assert found is not None and found.format.name == "xml", name
    assert record_element(JUL) == "record"
    assert record_element(WINDOWS) == "Event"


def test_oracle_adr_records_take_their_type_as_level_and_txt_as_message():
    frame = parse(ADR)
    assert frame["line"].to_list() == [1, 6, 12]
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 20, 33, 412000),
        utc(2024, 3, 14, 9, 24, 5, 877000),
        utc(2024, 3, 14, 9, 34, 12, 650000),
    ]
    assert frame["level"].to_list() == [None, "WARN", "ERROR"]
    assert frame["message"][1] == (
        "WARNING: too many parse errors, count=400\nSELECT ID FROM ERP.T WHERE A < :B1"
    )
    assert frame["importance"].to_list() == ["16", "8", "1"]
    # written on Windows: CRLF line ends leave no CR in a message
    crlf = parse(ADR.replace("\n", "\r\n"))
    assert crlf["message"].to_list() == frame["message"].to_list()
    assert crlf["line"].to_list() == [1, 6, 12]
    assert frame["host_id"].to_list() == ["DB01"] * 3


def test_java_util_logging_records_and_their_exception():
    frame = parse(JUL, "app.0.log")
    assert frame["line"].to_list() == [4, 15]
    assert frame["ts"].to_list() == [
        utc(2024, 3, 14, 9, 20, 0, 123000),
        utc(2024, 3, 14, 9, 21, 0, 456000),
    ]
    assert frame["level"].to_list() == ["INFO", "ERROR"]
    assert frame["message"][0] == "shop started"
    assert frame["message"][1].startswith("order failed\njava.lang.IllegalStateException")
    assert frame["logger"].to_list() == ["com.example.Shop"] * 2


def test_log4j_events_read_their_cdata_and_throwable():
    frame = parse(LOG4J, "billing.xml")
    assert frame["line"].to_list() == [1, 5]
    assert frame["ts"].to_list() == [utc(2024, 3, 14, 9, 20, 0, 123000), utc(2024, 3, 14, 9, 21, 1)]
    assert frame["level"].to_list() == ["INFO", "ERROR"]
    assert frame["message"][1].startswith("invoice 43 failed <smtp>\njava.io.IOException")
    assert frame["tenant"].to_list() == [None, "acme"]


def test_windows_events_on_one_line_read_with_windows_levels():
    frame = parse(WINDOWS, "system.xml")
    assert frame.height == 2
    assert frame["ts"].to_list() == [utc(2024, 3, 14, 9, 20, 0, 123456), utc(2024, 3, 14, 9, 21)]
    assert frame["level"].to_list() == ["INFO", "ERROR"]
    assert frame["param1"].to_list() == ["Windows Update", None]
    assert frame["EventID"].to_list() == ["7036", "7"]
    # no message rendered: the event's fields, its namespace left out
    assert frame["message"][0].startswith("Provider.Name=Service Control Manager EventID=7036")
    assert "xmlns" not in frame.columns and "xmlns" not in frame["message"][0]


def test_a_record_cut_short_keeps_what_it_holds_and_prose_is_no_xml_log():
    cut = ADR + "<msg time='2024-03-14T10:35:00.000+01:00' type='ERROR' level='1'>\n <txt>ORA-0"
    frame = parse(cut)
    assert frame.height == 4
    assert frame["ts"][3] == utc(2024, 3, 14, 9, 35)
    assert frame["message"][3] == "ORA-0"
    prose = "Release notes\n<b>bold</b> and <b>more</b>\n"
    assert sniff(sample_of(prose, "notes.txt")) == 0.0
    page = "<!DOCTYPE html>\n<html><body><div>a</div><div>b</div></body></html>\n"
    assert sniff(sample_of(page, "index.html")) == 0.0


def test_windows_events_saved_in_utf16_are_read_as_xml(tmp_path):
    from logview.core.reading.ingest import ingest

    path = tmp_path / "system.xml"
    path.write_bytes(WINDOWS.encode("utf-16"))  # PowerShell's `>` writes UTF-16 with a BOM
    result = ingest([path], tz="UTC")
    assert result.table.height == 2
    assert result.table["level"].to_list() == ["INFO", "ERROR"]

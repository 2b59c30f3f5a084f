"""CSV files with a header, and Windows event CSV exports."""

from __future__ import annotations

import pytest
from helpers import utc

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.csvfile import (
    detect_separator,
    parse_csv,
    parse_windows_events,
    sniff_csv,
    sniff_windows_events,
)
from logview.core.reading.registry import sniff
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import PARSED_SCHEMA

PROSE = (
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "Winston Smith, his chin nuzzled into his breast, slipped quickly through the doors.",
    "The hallway smelt of boiled cabbage and old rag mats.",
)

GENERIC = (
    "timestamp,severity,message,user,duration_ms\n"
    "2024-01-02T03:04:05Z,INFO,started,bob,12\n"
    '2024-01-02T03:04:06Z,ERROR,"failed, retrying",alice,\n'
    "\n"
    '2024-01-02T03:04:07Z,warning,"two\nlines",carol,7\n'
    "2024-01-02T03:04:08Z,DEBUG,done,dave,1\n"
)

EVENT_VIEWER = (
    "Level,Date and Time,Source,Event ID,Task Category\r\n"
    "Information,1/2/2024 3:04:05 PM,Service Control Manager,7036,None,"
    '"The Windows Update service entered the running state."\r\n'
    'Error,1/2/2024 3:05:00 PM,Application Error,1000,(100),"Faulting application\r\n'
    'name: app.exe"\r\n'
    "Warning,1/2/2024 11:59:59 PM,Kernel-PnP,219,(212),driver failed to load\r\n"
    "Critical,1/3/2024 12:00:01 AM,Kernel-Power,41,(63),The system rebooted\r\n"
    "Verbose,1/3/2024 12:00:02 AM,Kernel-Power,42,(64),Entering sleep\r\n"
)

POWERSHELL = (
    "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\n"
    '"Message","Id","Level","ProviderName","LevelDisplayName","TimeCreated","MachineName"\n'
    '"The service entered\nthe running state.","7036","4","Service Control Manager",'
    '"Information","1/2/2024 3:04:05 PM","PC1"\n'
    '"Disk error","7","2","disk","Error","1/2/2024 3:14:05 PM","PC1"\n'
)


def sample_of(text: str, name: str = "export.csv") -> Sample:
    lines = tuple(line for line in text.splitlines() if line.strip())
    return Sample(name, text.encode(), lines)


CTX = ParseContext("export.csv")


# --- generic CSV ---------------------------------------------------------------------------


def test_csv_columns_by_name_and_line_of_each_record():
    frame = parse_csv(GENERIC.encode(), CTX)
    assert frame.columns == ["ts", "level", "line", "message", "user", "duration_ms"]
    assert frame["ts"].to_list() == [
        utc(2024, 1, 2, 3, 4, 5),
        utc(2024, 1, 2, 3, 4, 6),
        utc(2024, 1, 2, 3, 4, 7),
        utc(2024, 1, 2, 3, 4, 8),
    ]
    assert frame["level"].to_list() == ["INFO", "ERROR", "WARN", "DEBUG"]
    assert frame["message"].to_list() == ["started", "failed, retrying", "two\nlines", "done"]
    assert frame["user"].to_list() == ["bob", "alice", "carol", "dave"]
    assert frame["duration_ms"].to_list() == ["12", None, "7", "1"]
    # header 1, records 2 and 3, blank line 4, a two-line record 5-6, then 7
    assert frame["line"].to_list() == [2, 3, 5, 7]


def test_semicolon_tab_and_pipe_separators_are_detected():
    for separator in (";", "\t", "|"):
        text = GENERIC.replace(",", separator)
        assert detect_separator(text.splitlines()[:2]) == separator
    ragged = "time|level|msg\n2024-01-02 03:04:05|warn|a|b\n2024-01-02 03:04:06|info|c\n"
    frame = parse_csv(ragged.encode(), CTX)
    assert frame["message"].to_list() == ["a", "c"]  # the ragged extra field is dropped
    assert frame["level"].to_list() == ["WARN", "INFO"]


def test_csv_without_message_column_writes_the_cells_as_pairs():
    frame = parse_csv(b"date,host,code\n2024-01-02 03:04:05,web1,200\n", CTX)
    assert frame["message"].to_list() == ["date=2024-01-02 03:04:05 host=web1 code=200"]
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 3, 4, 5)]
    assert frame["level"].to_list() == [None]


def test_csv_sniff_needs_a_header_of_names_and_regular_rows():
    assert sniff_csv(sample_of(GENERIC)) == 0.8
    assert sniff_csv(sample_of("\n".join(PROSE))) == 0.0
    log_lines = "\n".join(f"2024-01-02 03:04:0{i},123 INFO started, ok" for i in range(5))
    assert sniff_csv(sample_of(log_lines)) == 0.0
    numbers = "1,2,3\n4,5,6\n7,8,9\n"
    assert sniff_csv(sample_of(numbers)) == 0.0
    ragged = "a,b\n1,2\n1,2,3\n1\n1,2,3,4\n"
    assert sniff_csv(sample_of(ragged)) == 0.0


def test_csv_sniff_wins_on_its_sample():
    detection = sniff(sample_of(GENERIC))
    assert detection is not None and detection.format.name == "csv"


def test_csv_without_a_header_is_refused_with_a_clear_error():
    with pytest.raises(LogviewError, match="no CSV header"):
        parse_csv("\n".join(PROSE).encode(), CTX)


def test_empty_csv_gives_an_empty_frame_with_the_parsed_schema():
    frame = parse_csv(b"time,level,msg\n", CTX)
    assert frame.height == 0
    assert dict(frame.schema) == PARSED_SCHEMA


# --- Windows event exports -----------------------------------------------------------------


def test_event_viewer_export_reads_the_unnamed_message_column():
    notes: list[str] = []
    frame = parse_windows_events(EVENT_VIEWER.encode(), ParseContext("ev.csv", note=notes.append))
    assert frame.columns == ["ts", "level", "line", "message", "Source", "Event ID",
                             "Task Category"]  # fmt: skip
    assert frame["level"].to_list() == ["INFO", "ERROR", "WARN", "FATAL", "TRACE"]
    assert frame["ts"].to_list() == [
        utc(2024, 1, 2, 15, 4, 5),
        utc(2024, 1, 2, 15, 5, 0),
        utc(2024, 1, 2, 23, 59, 59),
        utc(2024, 1, 3, 0, 0, 1),
        utc(2024, 1, 3, 0, 0, 2),
    ]
    assert frame["message"][0] == "The Windows Update service entered the running state."
    assert frame["message"][1] == "Faulting application\r\nname: app.exe"
    assert frame["Event ID"].to_list() == ["7036", "1000", "219", "41", "42"]
    assert frame["line"].to_list() == [2, 3, 5, 6, 7]
    assert any("no zone" in note for note in notes)


def test_event_viewer_exports_in_other_languages_read_as_the_english():
    # "Save All Events As" CSV on a French and on a German server.
    french = (
        "Niveau,Date et heure,Source,ID de l'événement,Catégorie de la tâche\r\n"
        'Erreur,28/06/2024 10:42:19,Application Error,1000,(100),"Nom de l’application"\r\n'
        "Avertissement,28/06/2024 10:41:02,Microsoft-Windows-User Profiles,1530,Aucun,Profil\r\n"
        "Information,28/06/2024 10:40:00,Service Control Manager,7036,Aucun,Le service\r\n"
    )
    german = (
        "Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie\r\n"
        "Fehler,28.06.2024 10:42:19,Application Error,1000,(100),Fehlerhafter Anwendungsname\r\n"
        "Warnung,28.06.2024 10:41:02,Microsoft-Windows-User Profiles,1530,Keine,Profil\r\n"
    )
    frame = parse_windows_events(french.encode(), CTX)
    assert frame["level"].to_list() == ["ERROR", "WARN", "INFO"]
    assert frame["ts"][0] == utc(2024, 6, 28, 10, 42, 19)
    assert frame["ID de l'événement"].to_list() == ["1000", "1530", "7036"]
    frame = parse_windows_events(german.encode(), CTX)
    assert frame["level"].to_list() == ["ERROR", "WARN"]
    assert frame["ts"][1] == utc(2024, 6, 28, 10, 41, 2)


def test_event_viewer_dates_are_read_in_the_given_zone():
    frame = parse_windows_events(EVENT_VIEWER.encode(), ParseContext("ev.csv", tz="Europe/Paris"))
    assert frame["ts"][0] == utc(2024, 1, 2, 14, 4, 5)


def test_day_first_export_dates_are_recognised_by_a_day_above_twelve():
    text = (
        "Level,Date and Time,Source,Event ID,Task Category\n"
        "Information,02/01/2024 15:04:05,Svc,1,None,a\n"
        "Information,13/01/2024 15:04:05,Svc,1,None,b\n"
    )
    frame = parse_windows_events(text.encode(), CTX)
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 15, 4, 5), utc(2024, 1, 13, 15, 4, 5)]


def test_powershell_export_skips_the_type_line_and_prefers_level_names():
    frame = parse_windows_events(POWERSHELL.encode(), CTX)
    assert frame.columns == ["ts", "level", "line", "message", "Id", "Level", "ProviderName",
                             "MachineName"]  # fmt: skip
    assert frame["ts"].to_list() == [utc(2024, 1, 2, 15, 4, 5), utc(2024, 1, 2, 15, 14, 5)]
    assert frame["level"].to_list() == ["INFO", "ERROR"]
    assert frame["message"].to_list() == ["The service entered\nthe running state.", "Disk error"]
    assert frame["line"].to_list() == [3, 5]


def test_numeric_windows_levels_are_not_read_as_syslog_severities():
    text = (
        '"TimeCreated","Id","Level","Message"\n'
        '"1/2/2024 3:04:05 PM","1","4","fine"\n'
        '"1/2/2024 3:04:06 PM","2","2","bad"\n'
    )
    frame = parse_windows_events(text.encode(), CTX)
    assert frame["level"].to_list() == ["INFO", "ERROR"]


def test_windows_sniff_wins_over_generic_csv_on_both_exports():
    for text in (EVENT_VIEWER, POWERSHELL):
        detection = sniff(sample_of(text))
        assert detection is not None and detection.format.name == "windows-events-csv"
        assert detection.confidence == 0.95
    assert sniff_windows_events(sample_of(GENERIC)) == 0.0
    assert sniff_windows_events(sample_of("\n".join(PROSE))) == 0.0


def test_windows_export_with_a_bom_is_recognised():
    assert sniff_windows_events(sample_of("\ufeff" + EVENT_VIEWER)) == 0.95


def test_windows_export_with_only_a_header_gives_an_empty_frame():
    frame = parse_windows_events(b"Level,Date and Time,Source,Event ID,Task Category\r\n", CTX)
    assert frame.height == 0
    assert dict(frame.schema) == PARSED_SCHEMA


def test_event_viewer_export_goes_through_ingest_with_its_format(tmp_path):
    from logview.core.reading.ingest import ingest

    path = tmp_path / "System.csv"
    path.write_bytes(b"\xef\xbb\xbf" + EVENT_VIEWER.encode())
    result = ingest([path])
    assert [s.format for s in result.sources] == ["windows-events-csv"]
    table = result.table
    assert table.height == 5
    assert table["level"].cast(str).to_list() == ["INFO", "ERROR", "WARN", "FATAL", "TRACE"]
    assert table["Event ID"].to_list() == ["7036", "1000", "219", "41", "42"]


def test_event_viewer_tab_delimited_text_export_reads_as_its_csv(tmp_path):
    # "Save All Events As..." -> "Text (Tab delimited)": the same columns, tabs between them
    from logview.core.reading.ingest import ingest

    path = tmp_path / "System.txt"
    path.write_text(
        "Level\tDate and Time\tSource\tEvent ID\tTask Category\r\n"
        "Information\t1/2/2024 3:04:05 PM\tService Control Manager\t7036\tNone\tstarted\r\n"
        'Error\t1/2/2024 3:05:00 PM\tApplication Error\t1000\t(100)\t"Faulting application\r\n'
        'name: app.exe"\r\n'
        "Critical\t1/3/2024 12:00:01 AM\tKernel-Power\t41\t(63)\tThe system rebooted\r\n",
        encoding="utf-8",
    )
    result = ingest([path])
    assert [s.format for s in result.sources] == ["windows-events-csv"]
    table = result.table.sort("line")
    assert table["level"].cast(str).to_list() == ["INFO", "ERROR", "FATAL"]
    assert table["ts"].to_list() == [
        utc(2024, 1, 2, 15, 4, 5), utc(2024, 1, 2, 15, 5, 0), utc(2024, 1, 3, 0, 0, 1)
    ]  # fmt: skip
    assert table["message"][1] == "Faulting application\r\nname: app.exe"


def test_a_quoted_header_may_have_spaces_and_a_time_of_day_column_is_dated_by_the_file():
    """A Windows tool's CSV export (Process Monitor's layout): every header name quoted and
    spaced, a byte-order mark, a 12-hour time of day alone in a column no name list knows."""
    data = (
        '\ufeff"Time of Day","Process Name","PID","Operation","Result"\n'
        '"9:26:53.5891234 AM","setup.exe","7412","Process Start","SUCCESS"\n'
        '"9:26:54.0031877 AM","setup.exe","7412","CreateFile","NAME NOT FOUND"\n'
        '"12:04:10.0102210 PM","MsMpEng.exe","3388","ReadFile","SUCCESS"\n'
    ).encode()
    lines = data.decode().splitlines()
    assert detect_separator(lines) == ","
    mtime = utc(2024, 3, 14, 18).timestamp()
    parsed = parse_csv(data, ParseContext("procmon.CSV", mtime=mtime))
    assert parsed["ts"].to_list() == [
        utc(2024, 3, 14, 9, 26, 53, 589123),
        utc(2024, 3, 14, 9, 26, 54, 3187),
        utc(2024, 3, 14, 12, 4, 10, 10221),
    ]
    assert parsed["Process Name"].to_list() == ["setup.exe", "setup.exe", "MsMpEng.exe"]


def test_unquoted_names_with_spaces_still_make_no_header():
    assert detect_separator(["hello there,general kenobi", "a b,c d", "e f,g h"]) is None


def test_unquoted_names_with_spaces_make_a_header_beside_a_column_named_for_a_time():
    # A firewall's web export (PAN-OS's traffic log saved as CSV): `Receive Time` is no
    # known stamp key, but a few words naming a time are a column's name.
    text = (
        "Domain,Receive Time,Serial #,Type,Source address,Rule\n"
        "1,2024/03/14 09:38:52,0128010965,TRAFFIC,10.20.30.41,interzone-default\n"
        "1,2024/03/14 09:38:49,0128010965,TRAFFIC,10.20.11.87,allow-web-out\n"
    )
    assert detect_separator(text.splitlines()) == ","
    parsed = parse_csv(text.encode(), ParseContext("traffic.csv"))
    assert parsed["ts"].to_list() == [utc(2024, 3, 14, 9, 38, 52), utc(2024, 3, 14, 9, 38, 49)]
    # Metasys's Event Viewer export: `Date & Time`
    text = (
        "Date & Time,Priority,Item,Type,Value,Description,Ack Required\n"
        "6/25/2024 7:58:41 AM,200,BLDG4-NAE55:AHU-3.DA-T,Normal,55.8 deg F,Returned,False\n"
        "6/25/2024 7:42:18 AM,85,BLDG4-NAE55:AHU-3.DA-T,High Alarm,68.9 deg F,Above,True\n"
    )
    parsed = parse_csv(text.encode(), ParseContext("NAE55_events.csv"))
    assert parsed["ts"].to_list() == [utc(2024, 6, 25, 7, 58, 41), utc(2024, 6, 25, 7, 42, 18)]
    # (a sentence is no column name, even with `time` in it)
    assert detect_separator(["took a long time, then failed, again", "a, b, c"]) is None


def test_a_column_named_for_a_time_is_the_stamp_where_most_of_its_values_read():
    # Supermicro's BMC health event log: rows logged before the clock was set say `Pre-Init`.
    text = (
        "Event ID,Severity,Date/Time,Sensor Name,Description\n"
        "1,Information,2024/03/02 14:05:51,SEL,Log Area Reset/Cleared - Assertion\n"
        "2,Information,Pre-Init,PS1 Status,Presence detected - Assertion\n"
        "3,Information,Pre-Init,PS2 Status,Presence detected - Assertion\n"
        "4,Critical,2024/03/13 22:41:09,PS2 Status,Power Supply AC lost - Assertion\n"
        "5,Warning,2024/03/14 03:05:12,CPU1 Temp,Upper Non-critical - going high\n"
    )
    parsed = parse_csv(text.encode(), ParseContext("HealthEventLog.csv"))
    assert parsed["ts"].to_list() == [
        utc(2024, 3, 2, 14, 5, 51),
        None,
        None,
        utc(2024, 3, 13, 22, 41, 9),
        utc(2024, 3, 14, 3, 5, 12),
    ]
    assert parsed["level"].to_list() == ["INFO", "INFO", "INFO", "FATAL", "WARN"]


def test_a_column_named_for_a_time_holding_epoch_microseconds_is_the_stamp():
    # Cloud Storage's usage logs: every value quoted, `time_micros` since the epoch.
    text = (
        '"time_micros","c_ip","cs_method","cs_uri","sc_status","time_taken_micros"\n'
        '"1718200803412345","34.91.178.40","GET","/img/logo.svg","200","21000"\n'
        '"1718200803918002","34.91.178.40","GET","/css/site.css","304","33000"\n'
    )
    parsed = parse_csv(text.encode(), ParseContext("usage_2024_06_12_14_00_00_v0"))
    assert parsed["ts"].to_list() == [
        utc(2024, 6, 12, 14, 0, 3, 412345),
        utc(2024, 6, 12, 14, 0, 3, 918002),
    ]


def test_a_column_of_row_numbers_named_hash_and_sonicwalls_inform():
    # SonicWall's log export as tab-separated text: `#` names the row numbers.
    text = (
        "#\tTime\tPriority\tCategory\tMessage\r\n"
        "1\t06/29/2024 09:41:58.112\tAlert\tIntrusion Prevention\tIPS Prevention Alert\r\n"
        "2\t06/29/2024 09:38:04.870\tInform\tSSL VPN\tSSL VPN zone remote user login allowed\r\n"
        "3\t06/29/2024 09:37:51.226\tWarning\tAuthenticated Access\tlogin denied\r\n"
    )
    assert detect_separator(text.splitlines()) == "\t"
    parsed = parse_csv(text.encode(), ParseContext("LogExport.txt"))
    assert parsed["ts"][0] == utc(2024, 6, 29, 9, 41, 58, 112000)
    assert parsed["level"].to_list() == ["FATAL", "INFO", "WARN"]


def test_a_log_analytics_export_its_time_column_and_numeric_severity():
    # Azure Monitor's query results saved as CSV: `TimeGenerated [UTC]` on a 12-hour clock with
    # a comma, Application Insights' SeverityLevel 0..4 (not syslog's 0..7)
    text = (
        '"TimeGenerated [UTC]",Message,SeverityLevel,AppRoleName\n'
        '"3/12/2024, 11:58:41.207 AM",Request starting,1,orders-api\n'
        '"3/12/2024, 12:00:03.118 PM",Failed executing DbCommand,3,orders-api\n'
        '"3/12/2024, 12:00:04.002 PM",Retrying,2,orders-api\n'
    )
    notes: list[str] = []
    parsed = parse_csv(text.encode(), ParseContext("query_data.csv", note=notes.append))
    assert parsed["ts"].to_list() == [
        utc(2024, 3, 12, 11, 58, 41, 207000),
        utc(2024, 3, 12, 12, 0, 3, 118000),
        utc(2024, 3, 12, 12, 0, 4, 2000),
    ]
    assert parsed["level"].to_list() == ["INFO", "ERROR", "WARN"]
    assert any("SeverityLevel" in note for note in notes)


def test_a_header_and_rows_apart_by_single_spaces_with_a_starts_epoch():
    # An AWS VPC flow log's file (custom fields): names apart by spaces, `-` for no value, the
    # record's time as epoch seconds in `start` (a plain number, taken by the column's name).
    text = (
        "version account-id interface-id srcaddr dstaddr start end action log-status\n"
        "5 210987654321 eni-0c5a9e3f 10.42.11.37 10.42.24.118 1710425103 1710425158 ACCEPT OK\n"
        "5 210987654321 eni-04e1b7c9 - - 1710425100 1710425160 - NODATA\n"
    )
    assert detect_separator(text.splitlines()) == " "
    parsed = parse_csv(text.encode(), ParseContext("flow.log"))
    assert parsed["ts"].to_list() == [utc(2024, 3, 14, 14, 5, 3), utc(2024, 3, 14, 14, 5)]
    # Prose is no such table: its lines have as many words only by chance.
    prose = ["the quick brown fox runs on", "jumps over a dog at noon", "and runs off fast to bed"]
    assert detect_separator(prose) is None
    # A column of plain numbers under another name stays no stamp.
    renamed = text.replace(" start ", " bytes ").replace(" end ", " packets ")
    assert parse_csv(renamed.encode(), ParseContext("flow.log"))["ts"].null_count() == 2


def test_without_a_known_stamp_name_the_column_of_stamps_is_found_by_its_values():
    """A tool's trace (Nextflow's `submit` column): ids and counts are not taken for epochs."""
    data = (
        b"task_id\tname\texit\tsubmit\tduration\n"
        b"1\tFASTQC (a)\t0\t2024-03-14 09:26:53.589\t1m 2s\n"
        b"2\tFASTQC (b)\t137\t2024-03-14 09:26:53.602\t5s\n"
    )
    parsed = parse_csv(data, ParseContext("trace.txt"))
    assert parsed["ts"].to_list() == [
        utc(2024, 3, 14, 9, 26, 53, 589000),
        utc(2024, 3, 14, 9, 26, 53, 602000),
    ]
    assert parsed["task_id"].to_list() == ["1", "2"]


# A tool's title and legend above the header, as Microsoft DHCP Server's audit log writes them
# (documented at learn.microsoft.com, "Analyze DHCP server log files"); values written here.
DHCP_AUDIT = (
    "\t\tMicrosoft DHCP Service Activity Log\n"
    "\n"
    "\n"
    "Event ID  Meaning\n"
    "00\tThe log was started.\n"
    "10\tA new IP address was leased to a client.\n"
    "11\tA lease was renewed by a client.\n"
    "\n"
    "ID,Date,Time,Description,IP Address,Host Name,MAC Address\n"
    "00,03/14/24,09:26:53,Started,,,\n"
    "10,03/14/24,09:27:40,Assign,10.0.0.57,laptop-7.corp.example,3C22FB112233\n"
    "11,03/14/24,09:29:02,Renew,10.0.0.61,prn-2f.corp.example,0017C8A1B2C3\n"
)


def test_a_preamble_above_the_header_is_skipped_and_date_and_time_columns_make_the_stamp():
    sample = sample_of(DHCP_AUDIT, "DhcpSrvLog-Thu.log")
    assert sniff_csv(sample) == 0.8
    assert detect_separator(DHCP_AUDIT.splitlines()) == ","
    parsed = parse_csv(DHCP_AUDIT.encode(), ParseContext("DhcpSrvLog-Thu.log"))
    assert parsed["ts"].to_list() == [
        utc(2024, 3, 14, 9, 26, 53),
        utc(2024, 3, 14, 9, 27, 40),
        utc(2024, 3, 14, 9, 29, 2),
    ]
    assert parsed["message"].to_list() == ["Started", "Assign", "Renew"]
    assert parsed["line"].to_list() == [10, 11, 12]  # the file's own line numbers
    assert "Date" not in parsed.columns and "Time" not in parsed.columns
    assert parsed["IP Address"].to_list() == [None, "10.0.0.57", "10.0.0.61"]


def test_a_preamble_needs_a_header_of_names_and_rows_that_follow_it():
    # Prose with commas on a few lines, then a log: no header is found in the prose.
    text = (
        "Build notes, second draft\n"
        "Fixed: a, b, c\n"
        "2024-01-02 03:04:05 INFO started, ok\n"
        "2024-01-02 03:04:06 INFO still, fine\n"
        "2024-01-02 03:04:07 INFO done, ok\n"
        "2024-01-02 03:04:08 INFO bye, ok\n"
    )
    assert sniff_csv(sample_of(text)) == 0.0
    # A header with too few records after it is not taken either.
    assert sniff_csv(sample_of("title\n\nid,name,state\n1,a,up\n")) == 0.0


# FreeIPMI's `ipmi-sel --output-event-state` as a terminal shows it (its ipmi-sel(8) manual):
# a table aligned in columns, the prompt above and below it.
IPMI_SEL = (
    "[root@mgmt01 ~]# ipmi-sel -h bmc01 --output-event-state --tail=8\n"
    "ID  | Date        | Time     | Name        | Type         | State    | Event\n"
    "231 | Mar-14-2024 | 09:20:44 | PS2 Status  | Power Supply | Critical | Power Supply input lost\n"
    "232 | Mar-14-2024 | 09:20:44 | PS Redund.  | Power Supply | Warning  | Redundancy Lost\n"
    "234 | Jan-01-1970 | 00:00:19 | ACPI State  | ACPI State   | Nominal  | S5/G2 'soft-off'\n"
    "237 | Mar-14-2024 | 09:24:03 | PS Redund.  | Power Supply | Nominal  | Fully Redundant\n"
    "239 | Mar-14-2024 | 09:25:52 | Intrusion   | Security     | Warning  | Chassis Intrusion\n"
    "240 | Mar-14-2024 | 09:26:30 | DIMM_B2     | Memory       | Warning  | Correctable ECC\n"
    "241 | Mar-14-2024 | 09:27:04 | OS Boot     | OS Boot      | Nominal  | C: boot completed\n"
    "242 | Mar-14-2024 | 09:27:15 | Temp        | Temperature  | Warning  | Upper Non-critical\n"
    "[root@mgmt01 ~]# \n"
)


def test_a_table_aligned_in_columns_is_read_without_its_padding_and_its_prompts():
    assert sniff(sample_of(IPMI_SEL, "sel.txt")).format.name == "csv"
    notes: list[str] = []
    parsed = parse_csv(IPMI_SEL.encode(), ParseContext("sel.txt", note=notes.append))
    assert parsed["line"].to_list() == [3, 4, 5, 6, 7, 8, 9, 10]
    # The Date and Time columns make the stamp; a BMC's unset clock is read as written.
    assert parsed["ts"].to_list()[:4] == [
        utc(2024, 3, 14, 9, 20, 44),
        utc(2024, 3, 14, 9, 20, 44),
        utc(1970, 1, 1, 0, 0, 19),
        utc(2024, 3, 14, 9, 24, 3),
    ]
    # A column of a few words, level words among them, is the level column whatever its name.
    assert parsed["level"].to_list()[:5] == ["FATAL", "WARN", None, None, "WARN"]
    assert parsed["ID"].to_list()[:4] == ["231", "232", "234", "237"]
    assert parsed["message"][1] == "Redundancy Lost"
    assert any("1 line of a terminal session" in note for note in notes)


def test_a_prompt_after_an_unpadded_table_and_a_glued_date_column():
    # Check Point's `fwm logexport -n -p` in its expert shell (sk34130): `;` apart, the date
    # as `28Jun2024`, the hour unpadded, the prompt again after the rows
    text = (
        "[Expert@cp-mgmt01:0]# fwm logexport -i fw.log -n -p | head -n 4\n"
        "num;date;time;orig;type;action;i/f_name;src;dst;service;rule\n"
        "0;28Jun2024;0:00:03;10.1.0.1;control;ctl;daemon;;;;\n"
        "1;28Jun2024;0:00:41;10.1.0.1;log;drop;eth1;185.220.101.45;198.51.100.2;3389;14\n"
        "2;28Jun2024;10:01:12;10.1.0.1;log;accept;eth2;10.1.20.44;52.97.146.162;443;6\n"
        "3;28Jun2024;23:59:59;10.1.0.1;log;accept;eth2;10.1.20.44;10.1.0.53;53;4\n"
        "[Expert@cp-mgmt01:0]# \n"
    )
    notes: list[str] = []
    parsed = parse_csv(text.encode(), ParseContext("fw.txt", note=notes.append))
    assert parsed["line"].to_list() == [3, 4, 5, 6]
    assert parsed["ts"].to_list() == [
        utc(2024, 6, 28, 0, 0, 3),
        utc(2024, 6, 28, 0, 0, 41),
        utc(2024, 6, 28, 10, 1, 12),
        utc(2024, 6, 28, 23, 59, 59),
    ]
    assert any("1 line of a terminal session" in note for note in notes)


def test_a_column_of_other_words_is_no_level_column():
    text = "host,state,reason\na,up,ok\nb,down,error seen\nc,up,ok\nd,up,ok\n"
    parsed = parse_csv(text.encode(), ParseContext("states.csv"))
    assert parsed["level"].to_list() == [None] * 4


def test_a_trace_logs_rows_marked_with_a_star_go_on_the_message_above():
    # The ULS trace log (SharePoint, Office's Click-to-Run): a long message split over rows,
    # the later ones with `*` after their stamp.
    text = (
        "Timestamp\tProcess\tTID\tArea\tCategory\tEventID\tLevel\tMessage\tCorrelation\n"
        "03/14/2024 09:20:41.087\tC2R.exe (0x2c1c)\t0x1f08\tClick-To-Run\tGeneral\taoh85\tMedium"
        "\tService started\t\n"
        "03/14/2024 09:24:02.550\tC2R.exe (0x2c1c)\t0x2a44\tClick-To-Run\tDownload\taqdrl\tHigh"
        "\tDownload: stream 0 failed with ...\t\n"
        "03/14/2024 09:24:02.552*\tC2R.exe (0x2c1c)\t0x2a44\tClick-To-Run\tDownload\taqdrl\tHigh"
        "\t... error 0x80072ee2 (timeout)\t\n"
        "03/14/2024 09:25:15.006\tC2R.exe (0x2c1c)\t0x2a44\tClick-To-Run\tUpdates\tb6c2j\tMedium"
        "\tUpdates: retry scheduled\t\n"
    )
    parsed = parse_csv(text.encode(), ParseContext("WS-0142-20240314-0920.log"))
    assert parsed["line"].to_list() == [2, 3, 5]
    # its own levels: Medium is its information, High above it
    assert parsed["level"].to_list() == ["INFO", "WARN", "INFO"]
    assert parsed["ts"][1] == utc(2024, 3, 14, 9, 24, 2, 550000)
    assert (
        parsed["message"][1] == "Download: stream 0 failed with ...\n... error 0x80072ee2 (timeout)"
    )


def test_an_export_with_a_trailing_separator_and_stamps_to_the_minute():
    # HPE iLO 4's event log saved as CSV: every line ends in a comma, dates to the minute;
    # its severities Informational, Caution, Critical.
    text = (
        '"ID","Severity","Last Update","Initial Update","Count","Description",\n'
        '"1187","Informational","03/14/2024 09:34","03/14/2024 09:34","1","Browser login.",\n'
        '"1184","Critical","03/14/2024 09:31","03/14/2024 09:31","1","ASR Detected by ROM",\n'
        '"1183","Caution","03/14/2024 09:29","03/14/2024 09:27","4","iLO network link down.",\n'
    )
    assert sniff_csv(sample_of(text, "iLO_Event_Log.csv")) == 0.8
    parsed = parse_csv(text.encode(), ParseContext("iLO_Event_Log.csv"))
    assert parsed["ts"].to_list() == [
        utc(2024, 3, 14, 9, 34),
        utc(2024, 3, 14, 9, 31),
        utc(2024, 3, 14, 9, 29),
    ]
    assert parsed["level"].to_list() == ["INFO", "FATAL", "WARN"]


def test_a_preamble_above_rows_whose_quoted_fields_hold_the_separator():
    # Synology's Log Center export: the log's name, then the header and rows.
    text = (
        "System\n"
        "Level,Log,Time,User,Event\n"
        "Info,System,2024/03/14 09:34:12,SYSTEM,[Hyper Backup] Backup task completed.\n"
        'Warning,System,2024/03/14 09:32:40,SYSTEM,"Backup task skipped 3 files, see the log."\n'
        'Error,System,2024/03/14 09:29:05,SYSTEM,"Storage Pool 1 has degraded [3/4], repair it."\n'
    )
    assert sniff_csv(sample_of(text, "LogCenter_System.csv")) == 0.8
    parsed = parse_csv(text.encode(), ParseContext("LogCenter_System.csv"))
    assert parsed["line"].to_list() == [3, 4, 5]
    assert parsed["level"].to_list() == ["INFO", "WARN", "ERROR"]

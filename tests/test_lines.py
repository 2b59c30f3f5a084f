"""Bytes into lines: counts, encodings, binary detection, bounded lines."""

import codecs
import io

import pytest

from logview.core.reading.lines import (
    Encoding,
    LineReader,
    binary_reason,
    detect_encoding,
    sample_lines,
    shown,
)


def read(data: bytes, encoding: str = "utf-8", **kw) -> tuple[list[tuple[int, str]], list[str]]:
    reader = LineReader(Encoding(encoding), **kw)
    frame = reader.read(io.BytesIO(data))
    return frame.rows(), reader.problems


def test_rows_equal_newline_count_and_a_last_line_without_newline_counts():
    rows, _ = read(b"a\nb\n\nc")
    assert rows == [(1, "a"), (2, "b"), (3, ""), (4, "c")]


def test_crlf_ends_lines_and_other_separators_do_not():
    rows, _ = read("a\r\nb\x0bc\x0cd\u2028e\x85f\n".encode())
    assert rows == [(1, "a"), (2, "b\x0bc\x0cd\u2028e\x85f")]


def test_lines_split_across_chunks_are_whole():
    data = b"".join(f"line {i:04d} {'x' * (i % 7)}\n".encode() for i in range(500))
    rows, _ = read(data, chunk_bytes=13)
    assert len(rows) == 500
    assert rows[123] == (124, "line 0123 " + "x" * (123 % 7))


def test_lines_split_slice_by_slice_are_the_lines_split_at_once():
    data = b"".join(f"{i}{'.' * (i % 23)}\r\n".encode() for i in range(400)) + b"\n\nend"
    whole, _ = read(data)
    for slice_bytes in (1, 7, 100, 1000):
        assert read(data, chunk_bytes=13, slice_bytes=slice_bytes)[0] == whole
    assert len(whole) == 403 and whole[-1] == (403, "end") and whole[-2] == (402, "")


def test_invalid_utf8_in_one_slice_is_replaced_there_and_noted_once():
    data = b"ok\n" * 50 + b"bad \xff\n" + b"ok\n" * 50 + b"also \xc3\n"
    rows, problems = read(data, chunk_bytes=16, slice_bytes=32)
    assert rows[50] == (51, "bad \ufffd") and rows[-1] == (102, "also \ufffd")
    assert [text for _, text in rows].count("ok") == 100
    assert problems == ["invalid UTF-8 bytes replaced with U+FFFD"]


def test_invalid_utf8_is_replaced_and_noted_once():
    rows, problems = read(b"ok\nbad \xff\xfe here\nalso \xc3\n")
    assert rows[1] == (2, "bad \ufffd\ufffd here")
    assert rows[2] == (3, "also \ufffd")
    assert problems == ["invalid UTF-8 bytes replaced with U+FFFD"]


def test_overlong_line_is_cut_with_a_marker_and_the_next_line_survives():
    data = b"first\n" + b"y" * 1000 + b"\nnext\n"
    rows, _ = read(data, chunk_bytes=64, max_line_bytes=100)
    assert rows[0] == (1, "first")
    assert rows[1][1] == "y" * 100 + " …[truncated by logview: 900 more bytes]"
    assert rows[2] == (3, "next")


def test_overlong_line_is_cut_the_same_across_slices():
    data = b"first\n" + b"y" * 1000 + b"\nnext\n" + b"w" * 150 + b"\nlast"
    rows, _ = read(data, chunk_bytes=64, max_line_bytes=100, slice_bytes=70)
    assert rows == [
        (1, "first"),
        (2, "y" * 100 + " …[truncated by logview: 900 more bytes]"),
        (3, "next"),
        (4, "w" * 100 + " …[truncated by logview: 50 more bytes]"),
        (5, "last"),
    ]


def test_overlong_last_line_without_newline_is_cut():
    rows, _ = read(b"z" * 500, chunk_bytes=64, max_line_bytes=100)
    assert rows == [(1, "z" * 100 + " …[truncated by logview: 400 more bytes]")]


def test_empty_input_gives_no_rows():
    rows, problems = read(b"")
    assert rows == [] and problems == []


def test_utf16_with_bom_is_detected_and_decoded():
    data = codecs.BOM_UTF16_LE + "2024-01-01 héllo\r\nzwei\r\n".encode("utf-16-le")
    enc = detect_encoding(data)
    assert enc == Encoding("utf-16-le", 2)
    assert binary_reason(data) is None
    reader = LineReader(enc)
    assert reader.read(io.BytesIO(data[7:]), data[:7]).rows() == [
        (1, "2024-01-01 héllo"),
        (2, "zwei"),
    ]


def test_utf16_without_bom_is_recognised_as_text():
    data = "Event 4624 logon\r\n".encode("utf-16-le") * 50
    assert binary_reason(data) is None
    assert detect_encoding(data).name == "utf-16-le"


def test_utf8_bom_is_skipped():
    data = codecs.BOM_UTF8 + b"one\ntwo\n"
    enc = detect_encoding(data)
    assert enc == Encoding("utf-8", 3)
    assert LineReader(enc).read(io.BytesIO(b""), data).rows() == [(1, "one"), (2, "two")]


def test_legacy_code_page_is_guessed():
    data = (
        "Fehler beim Öffnen der Datei: Zugriff verweigert für Benutzer müller\n".encode("cp1252")
        * 30
    )
    enc = detect_encoding(data)
    assert enc.name != "utf-8"
    assert "Öffnen" in sample_lines(data, enc)[0]


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 10,
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100,
        b"PK\x03\x04\x14\x00\x00\x00",
    ],
)
def test_binary_data_is_recognised(data):
    assert binary_reason(data) is not None


def test_a_log_with_blocks_of_nul_bytes_from_a_crash_is_read_without_them(tmp_path):
    from logview.core.reading.ingest import ingest

    lines = [f"Mar 14 09:2{i}:01 web-1 app[7]: step {i}" for i in range(4)]
    data = (
        ("\n".join(lines[:2]) + "\n").encode()
        + b"\x00" * 512
        + ("\n".join(lines[2:]) + "\n").encode()
    )
    assert binary_reason(data) is None
    path = tmp_path / "messages"
    path.write_bytes(data)
    result = ingest([path], tz="UTC")
    assert result.table["message"].to_list() == lines
    assert result.table["ts"].null_count() == 0
    assert any("NUL bytes removed" in w for w in result.warnings)
    assert path.read_bytes() == data  # the file opened is never modified


def test_text_with_escape_sequences_is_not_binary():
    assert binary_reason(b"\x1b[32mINFO\x1b[0m started\n\tindented\n" * 20) is None


def test_sample_skips_blank_lines_and_the_cut_last_line():
    head = b"a\n\n  \nb\n" + b"c" * (64 * 1024)
    assert sample_lines(head, Encoding("utf-8")) == ("a", "b")


def test_cyrillic_code_page_is_not_taken_for_western():
    data = "Ошибка открытия файла: доступ запрещён для пользователя\n".encode("cp1251") * 30
    enc = detect_encoding(data)
    assert enc.name != "cp1252"
    assert "Ошибка" in sample_lines(data, enc)[0]


def test_terminal_colour_codes_are_removed_from_lines_and_sample_and_noted():
    # ESP-IDF's monitor colours each level: ESC[0;32m ... ESC[0m
    data = b"\x1b[0;32mI (317) wifi: started\x1b[0m\n\x1b[0;31mE (901) mqtt: refused\x1b[0m\n"
    reader = LineReader(Encoding("utf-8"))
    assert reader.read(io.BytesIO(data)).rows() == [
        (1, "I (317) wifi: started"),
        (2, "E (901) mqtt: refused"),
    ]
    assert reader.notes == ["terminal colour codes removed"] and reader.problems == []
    assert sample_lines(data, Encoding("utf-8")) == (
        "I (317) wifi: started",
        "E (901) mqtt: refused",
    )


def test_lines_ended_by_cr_alone_or_with_an_extra_cr_are_lines():
    encoding = detect_encoding(b"a\rb\rc\r")
    assert encoding == Encoding("utf-8", cr_lines=True)
    reader = LineReader(encoding, chunk_bytes=1)
    assert reader.read(io.BytesIO(b"a\rb\rc\r")).rows() == [(1, "a"), (2, "b"), (3, "c")]
    assert reader.notes == ["lines ended by CR alone"]
    assert sample_lines(b"a\rb\r", encoding) == ("a", "b")
    # In UTF-16 as well.
    assert detect_encoding("a\rb\r".encode("utf-16")).cr_lines
    # A serial terminal's CR CR LF, and LF CR.
    rows, _ = read(b"a\r\r\nb\r\r\n")
    assert rows == [(1, "a"), (2, "b")]
    rows, _ = read(b"a\n\rb\n\rc")
    assert rows == [(1, "a"), (2, "b"), (3, "c")]


def test_a_byte_order_mark_opening_a_line_inside_the_file_is_removed():
    # Two files with BOMs cat'ed together: the second BOM opens a line.
    data = "\ufeffa 1\r\nb 2\r\n\ufeffc 3\r\n".encode()
    encoding = detect_encoding(data)
    reader = LineReader(encoding)
    assert reader.read(io.BytesIO(data)).rows() == [(1, "a 1"), (2, "b 2"), (3, "c 3")]
    assert sample_lines(data, encoding) == ("a 1", "b 2", "c 3")


def test_carriage_returns_and_backspaces_inside_lines_read_as_a_terminal_shows_them():
    # Junos's pager erased before the next record; a typing correction; a progress counter.
    data = (
        b"Mar 14 09:22:03 srx mib2d[1901]: SNMP_TRAP_LINK_DOWN: ifIndex 528\r\n"
        b"---(more 53%)---\r                \rMar 14 09:22:19 srx sshd[48301]: failed\r\n"
        b"US.6.6.65# tial\x08\x08\x08ail -n 12 /var/log/messages\n"
        b"10%\r55%\r100%\n"
    )
    reader = LineReader(Encoding("utf-8"))
    assert [text for _, text in reader.read(io.BytesIO(data)).rows()] == [
        "Mar 14 09:22:03 srx mib2d[1901]: SNMP_TRAP_LINK_DOWN: ifIndex 528",
        "Mar 14 09:22:19 srx sshd[48301]: failed",
        "US.6.6.65# tail -n 12 /var/log/messages",
        "100%",
    ]
    assert reader.notes == [
        "carriage returns and backspaces inside lines read as a terminal shows them"
    ]
    assert sample_lines(data, Encoding("utf-8"))[1] == "Mar 14 09:22:19 srx sshd[48301]: failed"
    # Cisco's `--More--` erased with backspaces.
    assert shown("--More--" + "\x08" * 8 + " " * 8 + "\x08" * 8 + "Mar 14 x") == "Mar 14 x"
    # A CR whose later text leaves some of the earlier showing is an old tool's line break:
    # the line is kept as written, nothing of it lost.
    assert shown("query failed\rdetail: x") == "query failed\rdetail: x"
    rows, _ = read(b"a\r\nquery failed\rdetail: x\r\n")
    assert rows == [(1, "a"), (2, "query failed\rdetail: x")]


def test_a_terminals_cursor_moved_back_is_read_as_backspaces():
    # Huawei's `---- More ----` erased by moving the cursor back (CSI 16 D) over spaces.
    data = (
        b"2024-03-14 17:30:58.101+08:00 CE1 %%01OSPF/6/NBR_CHANGE_E(l): neighbor changed\r\n"
        b"  ---- More ----\x1b[16D                \x1b[16D2024-03-14 17:30:55.870+08:00 CE1 "
        b"%%01IFNET/2/linkDown_clear(l): up\r\n"
    )
    reader = LineReader(Encoding("utf-8"))
    rows = reader.read(io.BytesIO(data)).rows()
    assert rows[1] == (2, "2024-03-14 17:30:55.870+08:00 CE1 %%01IFNET/2/linkDown_clear(l): up")
    assert sample_lines(data, Encoding("utf-8"))[1].startswith("2024-03-14 17:30:55.870")


def test_a_pagers_prompt_left_before_a_record_by_a_printable_only_capture_is_removed():
    # PuTTY's "printable output" drops the backspaces that erased Cisco's `--More--`: the
    # prompt, the spaces written over it, then the next record on the same line.
    data = (
        b"000210: Jun 12 10:03:15.006 UTC: %PLATFORM_FEP-1-FRU_PS_ACCESS: not responding\r\n"
        b" --More--         000211: Jun 12 10:09:58.630 UTC: %SYS-5-CONFIG_I: Configured\r\n"
        b"<--- More --->              Jun 12 2024 10:10:01: %ASA-6-302013: Built inbound\r\n"
        b" --More-- \r\n"
    )
    reader = LineReader(Encoding("utf-8"))
    rows = reader.read(io.BytesIO(data)).rows()
    assert [text for _, text in rows[1:]] == [
        "000211: Jun 12 10:09:58.630 UTC: %SYS-5-CONFIG_I: Configured",
        "Jun 12 2024 10:10:01: %ASA-6-302013: Built inbound",
        " --More-- ",  # alone on its line: the terminal chrome's to drop
    ]
    assert reader.notes == ["a pager's prompt removed from the line that follows it"]
    # Prose that mentions More after a rule of dashes is left as it is, without a note.
    reader = LineReader(Encoding("utf-8"))
    text = b"-- More --  details in the next section\n"
    assert reader.read(io.BytesIO(text)).rows() == [(1, text.decode().strip())]
    assert reader.notes == []


def test_a_terminals_echo_of_ctrl_c_before_a_line_is_removed_and_noted():
    # `caddy run` stopped with Ctrl-C: the terminal echoes `^C`, the last lines follow it
    data = b"2024/03/14 09:14:31.602\tINFO\tserving\n^C2024/03/14 09:15:02.447\tINFO\tshutting down\n^C\n"
    reader = LineReader(Encoding("utf-8"))
    assert reader.read(io.BytesIO(data)).rows() == [
        (1, "2024/03/14 09:14:31.602\tINFO\tserving"),
        (2, "2024/03/14 09:15:02.447\tINFO\tshutting down"),
        (3, "^C"),  # alone on its line: the terminal chrome's to drop
    ]
    assert reader.notes == ["a terminal's echo of Ctrl-C (`^C`) removed from line starts"]
    # A caret elsewhere is left as it is, without a note.
    reader = LineReader(Encoding("utf-8"))
    assert reader.read(io.BytesIO(b"match ^C.*$ failed\n")).rows() == [(1, "match ^C.*$ failed")]
    assert reader.notes == []

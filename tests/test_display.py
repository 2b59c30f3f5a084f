"""Log values as text for people, without Qt: visible control characters, stamps, spans."""

from datetime import UTC, datetime, timedelta

from logview.core.shared.display import (
    bucket_span,
    describe_paths,
    elide_start,
    exact_number,
    field_text,
    format_span,
    format_stamp,
    message_cell_text,
    message_summary,
    progress_text,
    short_number,
    short_source_names,
    visible_text,
    zone_of,
)


def test_control_characters_become_control_pictures_and_tabs_stay():
    assert visible_text("a\x00b\x1b[1mc\td\x7f") == "a\u2400b\u241b[1mc\td\u2421"


def test_newlines_are_shown_as_symbols_in_one_line_and_kept_in_many():
    assert visible_text("a\nb\rc") == "a\u240ab\u240dc"
    assert visible_text("a\nb\rc", keep_newlines=True) == "a\nb\u240dc"


def test_bidi_overrides_and_isolates_are_named_not_applied():
    shown = visible_text("invoice\u202egnp.exe \u2066x\u2069")
    assert shown == "invoice\u27e8RLO\u27e9gnp.exe \u27e8LRI\u27e9x\u27e8PDI\u27e9"
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in shown)


def test_c1_controls_and_line_separators_are_shown_by_name():
    assert visible_text("a\x85b\u2028c") == "a\u27e8U+0085\u27e9b\u27e8LS\u27e9c"


def test_ordinary_unicode_text_is_unchanged():
    text = "café 東京 Ωmega \U0001f600 — ok"
    assert visible_text(text) == text


def test_multi_line_message_summary_is_first_line_and_count():
    assert message_summary("head\n  at a\n  at b") == ("head", 2)
    assert message_cell_text("head\n  at a") == "head \u23ce 1 more line"
    assert message_cell_text("one line") == "one line"
    assert message_cell_text(None) == ""


def test_a_message_whose_first_line_is_blank_shows_its_first_words():
    # HPE's IML: the record's first line is all header (its body blank), the message under it
    assert message_summary("\nINFORMATIONAL: IML cleared") == ("INFORMATIONAL: IML cleared", 0)
    assert message_cell_text("\n\nCAUTION: memory\nmore") == "CAUTION: memory \u23ce 1 more line"
    assert message_cell_text("\n\n") == " \u23ce 2 more lines"  # nothing to show but the count


def test_very_long_first_line_is_capped_for_a_cell():
    first, more = message_summary("x" * 10_000, max_chars=100)
    assert first == "x" * 100 + "\u2026" and more == 0


def test_stamp_is_shown_to_the_millisecond():
    moment = datetime(2026, 3, 10, 14, 5, 1, 123999, tzinfo=UTC)
    assert format_stamp(moment) == "2026-03-10 14:05:01.123"
    assert format_stamp(None) == ""
    assert format_stamp(moment, "Europe/Berlin") == "2026-03-10 15:05:01.123"  # CET, UTC+1


def test_span_full_and_compact():
    first = datetime(2026, 3, 9, 0, 0, 1, tzinfo=UTC)
    last = datetime(2026, 3, 10, 23, 59, 58, tzinfo=UTC)
    assert format_span(first, last) == "2026-03-09 00:00:01 \u2013 2026-03-10 23:59:58"
    assert format_span(first, last, compact=True) == "2026-03-09 00:00 \u2013 03-10 23:59"
    assert (
        format_span(first, first.replace(hour=6), compact=True) == "2026-03-09 00:00 \u2013 06:00"
    )
    assert format_span(None, last) == ""


def test_short_source_names_keep_a_folder_only_where_names_clash():
    names = ["/x/b.tgz/app/orders.log", "/x/b.tgz/api/orders.log", "/x/b.tgz/var/log/messages"]
    assert short_source_names(names) == {
        "/x/b.tgz/app/orders.log": "app/orders.log",
        "/x/b.tgz/api/orders.log": "api/orders.log",
        "/x/b.tgz/var/log/messages": "messages",
    }


def test_short_source_name_that_is_a_suffix_of_another_stays_distinct():
    shown = short_source_names(["/a/x.log", "x.log"])
    assert shown == {"/a/x.log": "a/x.log", "x.log": "x.log"}


def test_progress_text_gives_bytes_entries_and_speed():
    assert progress_text(25_000_000, 100_000_000, 123_456, 2.0) == (
        "25.0 MB of 100.0 MB \u00b7 123,456 entries \u00b7 12.5 MB/s"
    )
    assert progress_text(0, 0, 0, 0.0).endswith("0.0 MB/s")


def test_rows_as_text_are_tab_separated_lines_for_the_clipboard():
    from logview.core.shared.display import rows_as_text

    rows = [
        {"ts": datetime(2024, 3, 14, 9, 26, 53, 589000, tzinfo=UTC), "level": "ERROR",
         "source": "app.log", "message": "failed"},
        {"ts": None, "level": None, "source": "app.log", "message": "no stamp"},
    ]  # fmt: skip
    assert rows_as_text(rows) == (
        "2024-03-14 09:26:53.589\tERROR\tapp.log\tfailed\n\t\tapp.log\tno stamp"
    )


def test_what_was_opened_is_named_short():
    assert describe_paths([]) == "nothing"
    assert describe_paths(["/var/log/app.log"]) == "app.log"
    assert describe_paths(["/var/log/app.log", "/b.log", "/c/"]) == "app.log and 2 more"
    assert describe_paths(["/"]) == "/"  # a path without a name is shown whole


def test_numbers_short_and_exact():
    assert [short_number(v) for v in (12, 0.5, 1234, 3_400_000, 2e9)] == [
        "12", "0.5", "1.23k", "3.4M", "2G"
    ]  # fmt: skip
    assert exact_number(1234567) == "1,234,567" and exact_number(0.123456) == "0.1235"
    assert exact_number(12345.5) == "12.3k"


def test_a_long_name_keeps_its_end_and_fields_read_as_text():
    assert elide_start("short", 10) == "short"
    assert elide_start("/a/very/long/path/app.log", 10) == "\u2026h/app.log"
    stamp = datetime(2026, 3, 10, 14, 5, 1, 123000, tzinfo=UTC)
    assert field_text("ts", stamp) == "2026-03-10 14:05:01.123 UTC"
    assert field_text("pid", 42) == "42" and field_text("host", None) == ""


def test_a_bucket_span_is_as_precise_as_its_width():
    zone = zone_of("Europe/Berlin")
    start = datetime(2026, 3, 10, 14, 5, tzinfo=UTC).astimezone(zone)
    minute = bucket_span(start, start + timedelta(minutes=5), 300_000_000)
    assert minute == "2026-03-10 15:05 \u2013 15:10 CET"
    milli = bucket_span(start, start + timedelta(milliseconds=250), 250_000)
    assert milli == "2026-03-10 15:05:00.000 \u2013 15:05:00.250 CET"
    days = bucket_span(start, start + timedelta(days=1), 86_400_000_000)
    assert days == "2026-03-10 15:05 \u2013 2026-03-11 15:05 CET"
    assert zone_of(None) is UTC and bucket_span(
        datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 0, 0, 30, tzinfo=UTC), 1_000_000
    ).endswith("00:00:30 UTC")


def test_a_load_says_its_stage_and_the_stages_without_a_measure_show_the_seconds_gone():
    from logview.core.reading.ingest import MERGING, PARSING, READING
    from logview.core.reading.loading import DONE, SORTING
    from logview.core.shared.display import stage_progress_text

    reading = stage_progress_text(READING, 25_000_000, 100_000_000, 123_456, 2.0)
    assert reading == "reading 25.0 MB of 100.0 MB \u00b7 123,456 entries \u00b7 12.5 MB/s"
    one = stage_progress_text(PARSING, 9, 9, 0, 4.21, source="/tmp/big.jsonl.gz", lines=2_053_168)
    assert one == "parsing big.jsonl.gz (2,053,168 lines) \u00b7 4.2 s"
    several = stage_progress_text(
        PARSING, 9, 9, 1_160_383, 2.91, source="b.tgz/var/log/app.log", lines=400_000,
        step="splitting headers", sources_done=2, sources=7,
    )  # fmt: skip
    assert several == (
        "parsing app.log (400,000 lines): splitting headers \u00b7 2 of 7 sources done"
        " \u00b7 1,160,383 entries \u00b7 2.9 s"
    )
    document = stage_progress_text(PARSING, 9, 9, 0, 1.0, source="export.csv", step="parsing")
    assert document == "parsing export.csv \u00b7 1.0 s"
    merging = stage_progress_text(MERGING, 9, 9, 1_960_383, 2.36, sources=8)
    assert merging == "merging 8 sources \u00b7 1,960,383 entries \u00b7 2.4 s"
    assert stage_progress_text(MERGING, 9, 9, 5, 0.1, sources=1).startswith(
        "merging 1 source \u00b7"
    )
    sorting = stage_progress_text(SORTING, 9, 9, 1_960_383, 2.46)
    assert sorting == "sorting 1,960,383 entries by time \u00b7 2.5 s"
    assert stage_progress_text(DONE, 9, 9, 1_960_383, 2.48) == "done: 1,960,383 entries in 2.5 s"


def test_a_window_is_short_and_dates_its_end_past_midnight():
    from logview.core.shared.display import window_text

    start = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)
    assert window_text(start, start.replace(minute=40)) == "03-10 14:05\u201314:40"
    late = datetime(2026, 3, 10, 23, 55, tzinfo=UTC)
    assert (
        window_text(late, datetime(2026, 3, 11, 0, 5, tzinfo=UTC)) == "03-10 23:55\u201303-11 00:05"
    )

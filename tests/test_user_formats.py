"""The user's own formats: a TOML file with a regex, a stamp layout and a multi-line rule,
found in the config folder or beside the logs, sniffed before the built-in formats, and tried
line by line with `logview formats test`."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from logview.cli import main
from logview.core.reading import format_files
from logview.core.reading.follow import Live
from logview.core.reading.format_files import BESIDE_FOLDER, formats_folder, load
from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import SourceOverride, ingest
from logview.core.reading.stamp_layouts import compile_layout, read_layout
from logview.core.shared.errors import LogviewError
from logview.core.shared.regex_parts import split_at_body
from logview.core.shared.table import time_ordered

# A service log in the layout a logging configuration writes, with a stack trace.
APP_LOG = """\
05/03/2024 10:00:00.123 | main | INF | c.e.App | started in 12 ms
05/03/2024 10:00:01.500 | worker-1 | WRN | c.e.Pool | pool low: 2 left
05/03/2024 10:00:02.000 | worker-2 | ERR | c.e.Db | query failed
java.sql.SQLException: timeout
    at c.e.Db.run(Db.java:10)
05/03/2024 10:00:03.000 | main | INF | c.e.App | done
"""
MYAPP = r"""
# The service's own layout: day/month/year, pipes between fields.
name = "myapp"
label = "MyApp service log"
regex = '(?P<ts>\S+ \S+) \| (?P<thread>[^|]+?) \| (?P<level>\w+) \| (?P<logger>\S+) \| (?P<body>.*)'
layout = "%d/%m/%Y %H:%M:%S.%f"
zone = "Europe/Paris"

[levels]
INF = "INFO"
WRN = "WARN"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read(log: Path, folder: Path | None = None, **kwargs):
    """Ingest `log` with the user formats found for it (beside it, and in `folder`)."""
    return ingest([log], user_formats=load([log], folder), **kwargs)


@pytest.fixture
def app(tmp_path):
    """A log and its format in the user's formats folder."""
    folder = tmp_path / "config" / "formats"
    write(folder / "myapp.toml", MYAPP)
    return write(tmp_path / "logs" / "service.log", APP_LOG), folder


# --- reading -----------------------------------------------------------------------------


def test_a_format_that_fits_is_detected_over_plain_text(app):
    log, folder = app
    result = read(log, folder)
    (source,) = result.sources
    assert (source.format, source.format_label) == ("myapp", "MyApp service log")
    assert 0.8 <= source.confidence <= 0.95
    assert result.warnings == ()


def test_stamps_are_read_with_the_layout_in_the_formats_zone(app):
    table = time_ordered(read(*app).table)
    # 10:00 in Paris in March is 09:00 UTC; the day comes first in this layout.
    assert table["ts"].to_list() == [
        datetime(2024, 3, 5, 9, 0, 0, 123000, tzinfo=UTC),
        datetime(2024, 3, 5, 9, 0, 1, 500000, tzinfo=UTC),
        datetime(2024, 3, 5, 9, 0, 2, tzinfo=UTC),
        datetime(2024, 3, 5, 9, 0, 3, tzinfo=UTC),
    ]


def test_a_zone_given_for_the_run_overrides_the_formats(app):
    log, folder = app
    table = time_ordered(read(log, folder, tz="UTC").table)
    assert table["ts"][0] == datetime(2024, 3, 5, 10, 0, 0, 123000, tzinfo=UTC)


def test_levels_use_the_formats_own_spellings_then_the_usual_ones(app):
    # INF and WRN come from the file's [levels] table, ERR is a usual spelling.
    assert time_ordered(read(*app).table)["level"].to_list() == ["INFO", "WARN", "ERROR", "INFO"]


def test_other_groups_become_fields_and_the_body_is_the_body_group(app):
    table = time_ordered(read(*app).table)
    assert table["thread"].cast(pl.String).to_list() == ["main", "worker-1", "worker-2", "main"]
    assert table["logger"].cast(pl.String).to_list()[2] == "c.e.Db"
    bodies = [
        m[at:].split("\n")[0] for m, at in zip(table["message"], table["body_at"], strict=True)
    ]
    assert bodies == ["started in 12 ms", "pool low: 2 left", "query failed", "done"]


def test_lines_the_regex_does_not_read_join_the_entry_above_by_default(app):
    table = time_ordered(read(*app).table)
    assert table.height == 4
    assert table["message"][2].splitlines()[1:] == [
        "java.sql.SQLException: timeout",
        "    at c.e.Db.run(Db.java:10)",
    ]
    assert table["line"].to_list() == [1, 2, 3, 6]


def test_a_continuation_regex_joins_only_the_lines_it_matches(tmp_path):
    folder = tmp_path / "formats"
    write(folder / "f.toml", MYAPP.replace("[levels]", "continuation = '\\s+at '\n[levels]"))
    log = write(tmp_path / "service.log", APP_LOG)
    table = time_ordered(read(log, folder).table)
    # The exception line stands alone without a stamp; the `at` line joins it.
    assert table.height == 5
    assert table["message"][3] == "java.sql.SQLException: timeout\n    at c.e.Db.run(Db.java:10)"
    assert table["ts"][3] is None


def test_with_no_continuation_every_line_is_an_entry(tmp_path):
    folder = tmp_path / "formats"
    write(folder / "f.toml", MYAPP.replace("[levels]", 'continuation = "none"\n\n[levels]'))
    log = write(tmp_path / "service.log", APP_LOG)
    table = time_ordered(read(log, folder).table)
    assert table.height == 6
    assert table["ts"].is_null().to_list() == [False, False, False, True, True, False]


def test_auto_layout_detects_the_stamps(tmp_path):
    folder = tmp_path / "formats"
    write(
        folder / "iso.toml",
        "name = 'iso'\nregex = '(?P<ts>\\S+) (?P<level>\\w+) (?P<body>.*)'\nlayout = 'auto'\n",
    )
    log = write(tmp_path / "a.log", "2024-03-05T10:00:00Z INFO up\n2024-03-05T10:00:01Z WARN x\n")
    result = read(log, folder)
    assert result.sources[0].format == "iso"
    assert time_ordered(result.table)["ts"][1] == datetime(2024, 3, 5, 10, 0, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("layout", "stamp", "expected"),
    [
        ("%Y-%m-%dT%H:%M:%S%z", "2024-03-05T10:00:00+0130", datetime(2024, 3, 5, 8, 30, tzinfo=UTC)),
        ("%d %B %Y %I:%M:%S %p", "5 March 2024 01:02:03 PM", datetime(2024, 3, 5, 13, 2, 3, tzinfo=UTC)),
        ("%y%m%d %T", "240305 10:00:00", datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("%s.%f", "1709632800.25", datetime(2024, 3, 5, 10, 0, 0, 250000, tzinfo=UTC)),
        ("%a %b %e %H:%M:%S %Z %Y", "Tue Mar  5 10:00:00 UTC 2024", datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("%m/%d/%Y %I:%M %p", "03/05/2024 12:30 am", datetime(2024, 3, 5, 0, 30, tzinfo=UTC)),
        ("%Y-%m-%d %H:%M:%S", "2024-12-31 23:59:60", datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("%Y-%m-%d %H:%M", "2024-02-29 10:00", datetime(2024, 2, 29, 10, tzinfo=UTC)),
        ("%Y-%m-%d %H:%M", "2023-02-29 10:00", None),  # no such day
        ("%Y-%m-%d %H:%M", "2024-03-05 10:75", None),  # no such minute
        ("%Y-%m-%d %H:%M", "05/03/2024 10:00", None),  # does not fit
    ],
)  # fmt: skip
def test_layouts_read_stamps_as_strftime_writes_them(layout, stamp, expected):
    ts = read_layout(pl.Series([stamp]), compile_layout(layout), ParseContext("x"))
    assert ts[0] == expected


def test_a_layout_without_a_year_takes_the_files_year():
    written = datetime(2024, 6, 1, tzinfo=UTC).timestamp()
    ctx = ParseContext("x", mtime=written)
    ts = read_layout(pl.Series(["Mar  5 10:00:00"]), compile_layout("%b %e %H:%M:%S"), ctx)
    assert ts[0] == datetime(2024, 3, 5, 10, tzinfo=UTC)


def test_the_body_offset_is_exact_when_the_body_is_not_last(tmp_path):
    folder = tmp_path / "formats"
    write(
        folder / "mid.toml",
        "name = 'mid'\nlayout = '%H:%M:%S %d.%m.%Y'\n"
        "regex = '(?P<ts>\\S+ \\S+) (?P<body>.+?) \\[(?P<req>\\w+)\\]$'\n",
    )
    log = write(tmp_path / "a.log", "10:00:00 05.03.2024 done done [r1]\n")
    table = read(log, folder).table
    assert table["message"][0][table["body_at"][0] :].startswith("done done [r1]")
    assert table["req"][0] == "r1"


def test_the_body_group_is_split_from_what_precedes_it_only_where_that_is_exact():
    assert split_at_body(r"(?i)(?P<ts>\S+) (?P<body>.*)") == (
        "(?i)",
        r"(?P<ts>\S+) ",
        "(?P<body>.*)",
    )
    assert split_at_body(r"[(|]x (?P<body>.*)") == ("", "[(|]x ", "(?P<body>.*)")
    assert split_at_body(r"a|(?P<body>.*)") is None  # a top-level alternation
    assert split_at_body(r"(?:x(?P<body>.*))") is None  # inside a group
    assert split_at_body(r"(?P<ts>\S+) (?x)(?P<body>.*)") is None  # a flag further on


def test_fields_named_like_the_tables_columns_keep_their_values(tmp_path):
    folder = tmp_path / "formats"
    write(
        folder / "odd.toml",
        "name = 'odd'\nlayout = '%Y-%m-%d'\n"
        "regex = '(?P<ts>\\S+) (?P<message>\\w+) (?P<stamp>\\w+) (?P<text>\\w+) (?P<body>.*)'\n",
    )
    log = write(tmp_path / "a.log", "2024-03-05 m s t the body\n")
    table = read(log, folder).table
    assert (table["message_"][0], table["stamp"][0], table["text"][0]) == ("m", "s", "t")
    assert table["message"][0] == "2024-03-05 m s t the body"


def test_a_glob_match_wins_outright_even_over_a_better_format(tmp_path):
    folder = tmp_path / "formats"
    write(
        folder / "raw.toml",
        "name = 'raw'\nregex = '(?P<ts>)(?P<body>.*)'\nfiles = ['events-*.jsonl']\n",
    )
    log = write(tmp_path / "events-1.jsonl", '{"time": "2024-03-05T10:00:00Z", "msg": "x"}\n')
    other = write(tmp_path / "other.jsonl", '{"time": "2024-03-05T10:00:00Z", "msg": "x"}\n')
    formats = load([log], folder)
    assert ingest([log], user_formats=formats).sources[0].format == "raw"
    assert ingest([other], user_formats=formats).sources[0].format == "jsonl"


def test_a_format_that_reads_nothing_is_not_detected(app, tmp_path):
    _, folder = app
    log = write(tmp_path / "plain.log", "2024-03-05 10:00:00 INFO hello\n")
    assert read(log, folder).sources[0].format == "text"


def test_a_chosen_format_whose_layout_reads_no_stamp_falls_back_to_plain_text(app, tmp_path):
    _, folder = app
    log = write(tmp_path / "us.log", "03/05/2024 25:00:00.0 | main | INF | x | late\n")
    name = str(log)
    result = read(log, folder, overrides={name: SourceOverride(format="myapp")})
    assert "thread" not in result.table.columns  # read as plain text
    assert any(
        "could not read as MyApp service log" in w and "do not fit %d/%m/%Y" in w
        for w in result.warnings
    )


def test_a_source_read_with_a_user_format_can_be_followed(app):
    log, folder = app
    live = Live(read(log, folder))
    assert live.not_followed == []
    with open(log, "a", encoding="utf-8") as out:
        out.write("05/03/2024 10:00:04.000 | main | WRN | c.e.App | slow\n")
        out.write("05/03/2024 10:00:05.000 | main | INF | c.e.App | next\n")
    live.poll()
    live.poll()  # the file is quiet: the last entry is complete
    table = time_ordered(live.table).tail(2)
    assert table["level"].to_list() == ["WARN", "INFO"]
    assert table["thread"].cast(pl.String).to_list() == ["main", "main"]
    assert table["ts"][1] == datetime(2024, 3, 5, 9, 0, 5, tzinfo=UTC)
    live.close()


# --- where formats live, and bad files ----------------------------------------------------


def test_formats_beside_the_logs_are_found_and_win_a_name(app, tmp_path):
    log, folder = app
    beside = MYAPP.replace("MyApp service log", "MyApp (this case)")
    write(log.parent / BESIDE_FOLDER / "myapp.toml", beside)
    write(log.parent / "extra.logview-format.toml", MYAPP.replace('"myapp"', '"extra"'))
    found = load([log], folder)
    assert [(f.name, f.label) for f in found.formats] == [
        ("myapp", "MyApp (this case)"),
        ("extra", "MyApp service log"),
    ]
    assert found.formats[0].origin == str(log.parent / BESIDE_FOLDER / "myapp.toml")
    assert len(found.problems) == 1 and "name 'myapp' is taken by" in found.problems[0]


def test_the_users_folder_is_the_settings_folder_unless_the_environment_says(monkeypatch, tmp_path):
    monkeypatch.delenv(format_files.ENV_FOLDER, raising=False)
    assert formats_folder(tmp_path) == tmp_path / "formats"
    monkeypatch.setenv(format_files.ENV_FOLDER, str(tmp_path / "mine"))
    assert formats_folder(tmp_path) == tmp_path / "mine"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("name = 'x'\nregex = '(?P<ts>\\S+) (?P<body>.*'\n", 2, "invalid regex: unclosed group"),
        ("name = 'x'\n\nregex = '(?P<stamp>\\S+) (?P<body>.*)'\n", 3, "no (?P<ts>...) group"),
        ("name = 'x'\nregex = '(?P<ts>\\S+) (?P<msg>.*)'\n", 2, "no (?P<body>...) group"),
        ("name = 'x'\nregex = '(?P<ts>\\S+) (?P<body>.*)'\nlayout = 'YYYY-MM-DD'\n", 3,
         "has no % directive"),
        ("name = 'x'\nregex = '(?P<ts>\\S+) (?P<body>.*)'\nlayout = '%Y-%m-%d %k'\n", 3,
         "unknown directive %k"),
        ("name = 'x'\nregex = '(?P<ts>\\S+) (?P<body>.*)'\nlayout = '%H:%M:%S'\n", 3,
         "has no day and month"),
        ("name = 'x'\nregex = '(?P<ts>\\S+) (?P<body>.*)\n", 2, "invalid TOML"),
        ("name = 'x'\nregex = '(?P<ts>\\S+) (?P<body>.*)'\nmultiline = 'none'\n", 3,
         "unknown key 'multiline'"),
        ("name = 'x'\nregex = '(?P<ts>\\S+) (?P<body>.*)'\nzone = 'Mars/Olympus'\n", 3,
         "unknown time zone"),
        ("name = 'x'\nregex = '(?P<ts>\\S+) (?P<body>.*)'\n[levels]\nOK = 'GOOD'\n", 3,
         "a level is one of"),
        ("name = 'syslog'\nregex = '(?P<ts>\\S+) (?P<body>.*)'\n", 1, "taken by a built-in"),
    ],
)  # fmt: skip
def test_a_bad_format_file_is_one_line_naming_the_file_the_line_and_the_reason(
    tmp_path, text, line, reason
):
    folder = tmp_path / "formats"
    bad = write(folder / "bad.toml", text)
    found = load([], folder)
    assert found.formats == ()
    (problem,) = found.problems
    assert problem.startswith(f"{bad}:{line}: format not loaded: ")
    assert reason in problem
    assert "\n" not in problem


def test_a_bad_format_file_costs_only_itself_and_shows_among_the_warnings(app):
    log, folder = app
    write(folder / "broken.toml", "name = \n")
    result = read(log, folder)
    assert result.sources[0].format == "myapp"
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(
        f"{folder / 'broken.toml'}:1: format not loaded: invalid TOML"
    )


def test_format_files_are_read_once_per_load_not_per_source(app, monkeypatch, tmp_path):
    log, folder = app
    for i in range(20):
        write(log.parent / f"more-{i}.log", APP_LOG)
    reads = []
    real = format_files.read_file
    monkeypatch.setattr(format_files, "read_file", lambda f: reads.append(f) or real(f))
    result = ingest([log.parent], user_formats=load([log.parent], folder))
    assert {s.format for s in result.sources} == {"myapp"}
    assert len(result.sources) == 21 and reads == [folder / "myapp.toml"]


# --- logview formats ----------------------------------------------------------------------


@pytest.fixture
def cli_folder(app, monkeypatch):
    log, folder = app
    monkeypatch.setenv(format_files.ENV_FOLDER, str(folder))
    return log, folder


def test_formats_list_shows_built_in_and_user_formats_with_their_files(cli_folder, capsys):
    log, folder = cli_folder
    write(log.parent / BESIDE_FOLDER / "near.toml", MYAPP.replace('"myapp"', '"near"'))
    assert main(["formats", "list", str(log)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == [
        "near",
        "MyApp",
        "service",
        "log",
        str(log.parent / BESIDE_FOLDER / "near.toml"),
    ]
    assert out[1].split()[0] == "myapp" and out[1].endswith(str(folder / "myapp.toml"))
    assert any(line.split()[0] == "syslog" and line.endswith("built-in") for line in out)


def test_formats_test_shows_each_line_and_where_the_format_stops_matching(cli_folder, capsys):
    log, _ = cli_folder
    with open(log, "a", encoding="utf-8") as out:
        out.write("05/03/2024 10:00:04.000 | main | INF c.e.App | no pipe\n")
        out.write("05/13/2024 10:00:05.000 | main | INF | c.e.App | month 13\n")
    assert main(["formats", "test", "myapp", str(log), "--lines", "4"]) == 0
    out = capsys.readouterr().out
    assert f"{log}: 8 lines: 5 entries (4 with a stamp read), 3 lines joined" in out
    assert "     1  2024-03-05 09:00:00.123000 UTC  INFO   thread=main  logger=c.e.App\n" in out
    assert "        body: started in 12 ms\n" in out
    assert "     4  joins above: java.sql.SQLException: timeout\n" in out
    failures = out.split("The first lines the format does not read:\n")[1]
    assert (
        "     7  joins above: 05/03/2024 10:00:04.000 | main | INF c.e.App | no pipe\n" in failures
    )
    assert (
        "why: the text ' | ' does not match after column 36: found ' c.e.App | no pipe'" in failures
    )
    assert "     8  entry, stamp unread: 05/13/2024" in failures
    assert "fits '%d/%m/%Y %H:%M:%S.%f' but is not a real date and time" in failures


def test_formats_test_names_the_part_of_the_layout_that_does_not_fit(cli_folder, capsys):
    log, _ = cli_folder
    write(log, "2024-03-05 10:00:00.000 | main | INF | c.e.App | iso\n")
    assert main(["formats", "test", "myapp", str(log)]) == 2
    captured = capsys.readouterr()
    assert "after '20' (%d), '/' does not match '24-03-05 10:00:00.00'" in captured.out
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("logview: format 'myapp' reads no stamp in")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["formats", "test", "nope", "{log}"], "no user format 'nope' (yours: myapp)"),
        (["formats", "test", "syslog", "{log}"], "'syslog' is a built-in format"),
        (["formats", "test", "myapp", "{missing}"], "missing.log"),
        (["formats", "test", "{bad}", "{log}"], "bad.toml:2: format not loaded: invalid regex"),
        (["formats", "test", "myapp", "{other}"], "format 'myapp' reads no entry in"),
    ],
)
def test_formats_test_exits_2_with_one_line_when_the_format_or_file_is_bad(
    cli_folder, tmp_path, capsys, args, message
):
    log, _ = cli_folder
    bad = write(tmp_path / "bad.toml", "name = 'bad'\nregex = '(?P<ts>'\n")
    other = write(tmp_path / "other.log", "nothing like it\n")
    paths = {"log": log, "missing": tmp_path / "missing.log", "bad": bad, "other": other}
    assert main([a.format(**paths) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_the_headless_commands_read_with_the_users_formats(cli_folder, capsys):
    log, _ = cli_folder
    assert main(["sources", str(log)]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[1] == "myapp"


def test_a_missing_users_folder_is_no_problem(tmp_path, monkeypatch):
    monkeypatch.setenv(format_files.ENV_FOLDER, str(tmp_path / "absent"))
    log = write(tmp_path / "a.log", "2024-03-05 10:00:00 INFO hello\n")
    assert load([log], formats_folder()) == format_files.UserFormats()
    with pytest.raises(LogviewError, match="no user format 'x' \\(yours: none\\)"):
        format_files.find_reader("x", [log], formats_folder())


def test_the_sample_score_follows_the_share_of_lines_read(app):
    _, folder = app
    (fmt,) = load([], folder).formats
    good = APP_LOG.splitlines()
    assert fmt.sniff(Sample("a.log", b"", tuple(good))) == pytest.approx(0.8)
    all_read = tuple(line for line in good if "|" in line)
    assert fmt.sniff(Sample("a.log", b"", all_read)) == pytest.approx(0.95)
    half = (*all_read, "x", "y", "z", "w")
    assert fmt.sniff(Sample("a.log", b"", half)) == pytest.approx(0.8 * 0.5)
    assert os.fspath(fmt.origin).endswith("myapp.toml")

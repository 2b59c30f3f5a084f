"""IBM MQ error logs: one entry per block, severity from the message id's letter."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.parsers.ibmmq import parse_ibmmq
from logview.core.reading.registry import sniff

END = "----- amqzxma0.c : 1234 -------------------------------------------------------"
AMQERR = [
    "03/06/2023 06:34:17 PM - Process(1234.1) User(mqm) Program(amqzxma0)",
    "                    Host(mqhost) Installation(Installation1)",
    "                    VRMF(9.2.0.0) QMgr(QM1)",
    "                    Time(2023-03-06T18:34:17.383Z)",
    "                    CommentInsert1(LOGGER-IO)",
    "",
    "AMQ5051I: The queue manager task 'LOGGER-IO' has started.",
    "",
    "EXPLANATION:",
    "The critical utility task manager has started the LOGGER-IO task.",
    "ACTION:",
    "None.",
    END,
    "03/06/2023 06:35:00 PM - Process(2345.7) User(mqm) Program(amqrmppa)",
    "                    Host(mqhost) Installation(Installation1)",
    "                    VRMF(9.2.0.0) QMgr(QM1)",
    "",
    "AMQ9999E: Channel 'TO.QM2' to host '10.0.0.2(1414)' ended abnormally.",
    "",
    "EXPLANATION:",
    "The channel program running under process ID 2345 ended abnormally.",
    "ACTION:",
    "Look at previous error messages for the channel program.",
    END,
]
DAY_FIRST = [
    "25/12/2022 18:00:00 - Process(1.1) User(mqm) Program(amqzxma0)",
    "AMQ8004W: Queue manager is ending.",
    END,
]


def sample_of(texts: list[str]) -> Sample:
    return Sample("AMQERR01.LOG", "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str]) -> pl.DataFrame:
    return parse_ibmmq(lines_of(texts), ParseContext("AMQERR01.LOG"))


def test_mq_error_logs_are_detected():
    for texts in (AMQERR, DAY_FIRST):
        found = sniff(sample_of(texts))
        assert found is not None and found.format.name == "ibmmq"


def test_one_entry_per_block_with_its_fields():
    frame = parse(AMQERR)
    assert frame.height == 2
    first = frame.row(0, named=True)
    assert (first["process"], first["user"], first["program"]) == ("1234.1", "mqm", "amqzxma0")
    assert (first["host"], first["qmgr"], first["vrmf"]) == ("mqhost", "QM1", "9.2.0.0")
    assert first["message_id"] == "AMQ5051I"
    assert first["message"].endswith(END)
    assert first["message"][first["body_at"] :].startswith("AMQ5051I: The queue manager task")
    assert frame["level"].to_list() == ["INFO", "ERROR"]


def test_the_time_field_wins_over_the_written_stamp():
    frame = parse(AMQERR)
    assert frame["ts"][0] == datetime(2023, 3, 6, 18, 34, 17, 383000, tzinfo=UTC)
    assert frame["ts"][1] == datetime(2023, 3, 6, 18, 35, tzinfo=UTC)  # 06:35 PM, no Time()


def test_a_day_above_twelve_makes_the_file_day_first():
    frame = parse(DAY_FIRST)
    assert frame["ts"][0] == datetime(2022, 12, 25, 18, tzinfo=UTC)
    assert frame["level"][0] == "WARN"


def test_a_cut_block_in_the_middle_stays_in_the_block_above():
    frame = parse([*AMQERR[:8], "03/06/2023 06:3", *AMQERR[13:]])
    assert frame.height == 2
    assert "\n03/06/2023 06:3" in frame["message"][0]
    assert frame["message_id"].to_list() == ["AMQ5051I", "AMQ9999E"]

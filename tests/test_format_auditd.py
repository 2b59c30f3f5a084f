"""Linux audit logs: one entry per record, stamp and serial from audit(...), key=value fields."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from helpers import lines_of

from logview.core.reading.formats import ParseContext, Sample
from logview.core.reading.ingest import ingest
from logview.core.reading.parsers.auditd import parse_auditd
from logview.core.reading.registry import sniff

AUDIT = [
    "type=SYSCALL msg=audit(1485893834.891:1234): arch=c000003e syscall=59 success=yes exit=0 "
    'a0=55d1 a1=55d2 items=2 ppid=1000 pid=4242 auid=1000 uid=0 gid=0 comm="cat" '
    'exe="/usr/bin/cat" key="passwd_read"',
    'type=EXECVE msg=audit(1485893834.891:1234): argc=2 a0="cat" a1="/etc/shadow"',
    "type=USER_LOGIN msg=audit(1485893835.000:1235): pid=777 uid=0 auid=1000 ses=3 "
    'msg=\'op=login acct="bob" exe="/usr/sbin/sshd" hostname=? addr=10.0.0.9 '
    "terminal=ssh res=failed'",
    'type=CWD msg=audit(1485893834.891:1234): cwd="/root"',
    'type=PATH msg=audit(1485893834.891:1234): item=0 name="/etc/shadow" inode=12 mode=0100640',
    "type=PROCTITLE msg=audit(1485893834.891:1234): proctitle=636174002F6574632F736861646F77",
]
AUSEARCH = [
    "----",
    "type=SYSCALL msg=audit(03/06/2023 18:34:17.383:1234) : arch=x86_64 syscall=openat "
    "success=no exit=EACCES pid=4242 comm=cat",
    "type=PATH msg=audit(03/06/2023 18:34:17.383:1234) : item=0 name=/etc/shadow",
    "----",
    "type=USER_END msg=audit(03/06/2023 18:34:18.000:1240) : pid=777 res=success",
]
NODE = ["node=web-1 type=DAEMON_START msg=audit(1485893834.000:5): op=start ver=3.0 res=success"]


def sample_of(texts: list[str]) -> Sample:
    return Sample("audit.log", "\n".join(texts).encode(), tuple(t for t in texts if t.strip()))


def parse(texts: list[str]) -> pl.DataFrame:
    return parse_auditd(lines_of(texts), ParseContext("audit.log"))


def test_audit_logs_are_auditd_not_logfmt():
    for texts in (AUDIT, AUSEARCH, NODE):
        found = sniff(sample_of(texts))
        assert found is not None and found.format.name == "auditd"


def test_each_record_is_an_entry_and_its_serial_tells_its_event():
    frame = parse(AUDIT)
    assert frame.height == 6
    assert frame["type"].to_list() == ["SYSCALL", "EXECVE", "USER_LOGIN", "CWD", "PATH",
                                       "PROCTITLE"]  # fmt: skip
    syscall = frame.row(0, named=True)
    assert syscall["serial"] == "1234" and syscall["line"] == 1
    assert syscall["ts"] == datetime(2017, 1, 31, 20, 17, 14, 891000, tzinfo=UTC)
    assert syscall["message"][syscall["body_at"] :].startswith("arch=c000003e syscall=59")
    # The records of one event, even with another's between them, share its serial and stamp.
    event = frame.filter(pl.col("serial") == "1234")
    assert event.height == 5 and event["ts"].n_unique() == 1


def test_key_value_pairs_become_fields_inside_msg_too():
    frame = parse(AUDIT)
    event, login = frame.row(0, named=True), frame.row(2, named=True)
    assert (event["pid"], event["comm"], event["exe"], event["key"]) == (
        "4242", "cat", "/usr/bin/cat", "passwd_read"
    )  # fmt: skip
    assert (login["acct"], login["res"], login["addr"]) == ("bob", "failed", "10.0.0.9")
    assert frame["level"].null_count() == 6


def test_ausearch_output_with_local_times_and_separators():
    frame = parse(AUSEARCH)
    assert frame.height == 2  # an event between `----` separators is one entry
    assert frame["ts"][0] == datetime(2023, 3, 6, 18, 34, 17, 383000, tzinfo=UTC)
    assert frame["type"].to_list() == ["SYSCALL", "USER_END"]
    assert frame["message"][0].count("\n") == 1


def test_node_prefix_and_a_broken_line(tmp_path):
    frame = parse([NODE[0], "type=SYSC", AUDIT[0]])
    assert frame.height == 3
    assert frame["node"][0] == "web-1"
    assert frame["ts"][1] is None
    path = tmp_path / "audit.log"
    path.write_text("\n".join(AUDIT) + "\n")
    result = ingest([path])
    assert result.sources[0].format == "auditd"
    assert set(result.table["level"].cast(pl.String).to_list()) == {"NONE"}

"""The pattern engine's grouping rules, one failure mechanism each, on tiny made-up logs.

Each test states a rule of thumb that holds for logs in general: which messages are one event
(one pattern) and which are not, whatever system wrote them.
"""

from __future__ import annotations

import polars as pl
from test_patterns import table

from logview.core.analysis.masking import first_line, mask
from logview.core.analysis.patterns import mine, mine_messages, slot_of_line


def groups(messages: list[str]) -> list[list[str]]:
    """Return the distinct messages grouped by pattern, each group and the groups sorted."""
    mined = mine_messages(pl.Series(messages))
    by_id: dict[str, set[str]] = {}
    for message, pid in zip(messages, mined.ids.to_list(), strict=True):
        by_id.setdefault(pid, set()).add(message)
    return sorted(sorted(group) for group in by_id.values())


def shape(message: str) -> str:
    return pl.select(mask(first_line(pl.lit(message)))).item()


def test_the_line_mined_is_the_first_that_says_something():
    # HPE's IML: the record's first line is all header, so its body opens with a newline
    assert shape("\nCAUTION: Main Memory - threshold exceeded\nmore") == shape(
        "CAUTION: Main Memory - threshold exceeded"
    )
    assert pl.select(first_line(pl.lit("\n  CAUTION: x\ny"))).item() == "CAUTION: x"
    assert pl.select(first_line(pl.lit("head\ntail"))).item() == "head"


# --- 1. a variable first token ----------------------------------------------------------------


def test_hosts_first_in_the_message_are_one_pattern_not_one_per_host():
    hosts = ["db", "cache", "queue", "search", "mail"]
    messages = [f"{h}.example.net:8443 connection reset by peer" for h in hosts]
    assert len(groups(messages)) == 1


def test_service_names_first_in_the_message_are_one_pattern_not_one_per_service():
    services = ["sync", "billing", "mail", "export", "audit"]
    messages = [f"org.example.{s}.worker: job done" for s in services]
    assert len(groups(messages)) == 1


def test_a_host_with_a_port_is_one_value_anywhere_in_the_message():
    assert shape("db-7.example.net:8443 open through proxy proxy.example.org:3128 HTTPS") == (
        "<*> open through proxy <*> HTTPS"
    )
    # A dotted name without a port is a name (a class, a logger), not an endpoint.
    assert shape("org.example.Worker started") == "org.example.Worker started"


def test_plain_words_first_in_the_message_still_tell_events_apart():
    messages = [
        f"{verb} file /srv/data/part-{i}.csv" for verb in ("open", "close") for i in range(6)
    ]
    assert len(groups(messages)) == 2


# --- 2. numbers with units, signs and comparisons ---------------------------------------------


def test_a_negative_or_compared_number_is_a_number():
    assert shape("seek offset=-1 took <1 ms") == shape("seek offset=42 took 5 ms")
    assert shape("worker-3 at 10-12") == "worker-<*> at <*>-<*>"  # a hyphen is not a sign


def test_numbers_with_units_are_one_variable_whatever_the_unit():
    sizes = [
        "stored block (size 93.0 B, free 317.1 KB)",
        "stored block (size 5.2 KB, free 5.2 KB)",
        "stored block (size 1.5 MB, free 12 GB)",
    ]
    times = [
        "request took 300 ms",
        "request took 12.5 s",
        "request took <1 ms",
        "request took 2 min",
    ]
    glued = ["retry in 300ms", "retry in 12.5s", "retry in 00:02:13"]
    assert groups(sizes + times + glued) == sorted([sorted(sizes), sorted(times), sorted(glued)])


# --- 3. words that differ in their digits or in their letters ---------------------------------


def test_words_that_differ_only_in_their_digits_are_one_variable():
    messages = [f"link eth{i} is up" for i in range(3)] + [f"worker-{i} ready" for i in (3, 12)]
    assert groups(messages) == [sorted(messages[:3]), sorted(messages[3:])]
    # Even where two of three words differ, in their digits only.
    assert len(groups(["node12 eth0 down", "node13 eth1 down"])) == 1


def test_words_that_differ_in_their_letters_are_different_events():
    messages = [
        *["connected through HTTPS proxy"] * 3,
        *["connected through SOCKS5 proxy"] * 3,
        *["session opened for user root by (uid=0)"] * 5,
        *["session opened for user root by LOGIN(uid=0)"],
    ]
    assert len(groups(messages)) == 4


# --- 4. the similarity needed grows as messages get shorter ------------------------------------


def test_two_different_words_in_four_are_another_event_but_not_in_twenty():
    faults = ["illegal instruction", "privileged operation", "trap exception", "alignment fault"]
    short = [f"program interrupt: {fault}" for fault in faults]
    assert len(groups(short)) == 4
    words = "while replaying the journal the checker found {} stale entries and fixed them all"
    long = [words.format(fault) + " in place at once today" for fault in faults]
    assert len(groups(long)) == 1


def test_short_messages_after_a_value_are_told_apart_by_their_words():
    # A flag or counter before each message (as a raw line's header leaves one): the masked
    # value matches any other, so the words alone say which event a message is.
    states = ["normal", "warning", "running", "critical", "blocked"]
    for prefix in ("", "1 ", "7 "):
        messages = [f"{prefix}ambient={n}" for n in range(30, 60)]
        messages += [f"{prefix}{state}" for i, state in enumerate(states) for _ in range(9 - i)]
        assert len(groups(messages)) == 1 + len(states), prefix
    assert len(groups([f"{n} node down" for n in range(10)])) == 1


# --- 5. a variable part that spans several tokens --------------------------------------------


def test_a_free_text_tail_is_one_value_of_one_pattern():
    reasons = ["timeout", "reset by peer", "client went away", "idle", "shutdown in progress"]
    messages = [f"closing connection 17 from 10.0.0.{i}: reason {r}" for i, r in enumerate(reasons)]
    assert len(groups(messages)) == 1
    found = mine(table(messages))
    (pattern,) = found.patterns
    assert pattern.template == "closing connection <num> from <ip>: reason <text>"
    tail = found.templates[pattern.id].slots[-1]
    values = (
        pl.Series(messages)
        .to_frame("m")
        .select(slot_of_line(first_line(pl.col("m")), tail))
        .to_series()
    )
    assert values.to_list() == reasons


def test_a_longer_message_with_constants_after_the_shared_start_stays_its_own_pattern():
    messages = [f"copied {n} files" for n in (3, 12, 40)] + [
        f"copied {n} files ({n}.2 MB) in {n} s" for n in (3, 7)
    ]
    assert len(groups(messages)) == 2

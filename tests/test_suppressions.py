"""Suppressions: which anomalies a rule hides, for how long, and their safe storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from logview.core.analysis.anomalies import Anomaly
from logview.core.analysis.suppressions import lift, load, rule_for, save, split, store_path

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)


def anomaly(kind: str, pattern: str, n: int, value: str = "") -> Anomaly:
    ident = f"{kind}:{pattern}:2:{value}:{n}" if value else f"{kind}:{pattern}:{n}"
    description = f"<2> took the new value {value!r} in 5 entries" if value else "x"
    return Anomaly(ident, kind, NOW, NOW, pattern, "t", 5, 1.0, 1.0, "HIGH", description,
                   token=2 if value else None, value=value or None)  # fmt: skip


def test_rules_hide_one_anomaly_a_pattern_or_a_value_for_a_while_or_forever():
    a = anomaly("spike", "p1", 1)
    b = anomaly("spike", "p1", 2)
    c = anomaly("new token value", "p2", 3, "503")
    d = anomaly("new token value", "p2", 4, "504")
    rules = [rule_for(a, "anomaly", None)]
    assert split([a, b, c, d], rules, NOW)[0] == [b, c, d]
    rules = [rule_for(a, "pattern", NOW + timedelta(hours=1))]
    active, hidden, normal = split([a, b, c, d], rules, NOW)
    assert (active, hidden, normal) == ([c, d], [a, b], [])
    assert split([a, b], rules, NOW + timedelta(hours=2))[0] == [a, b]  # the hour is over
    rules = [rule_for(c, "value", None, state="baseline")]
    assert split([c, d], rules, NOW) == ([d], [], [c])


def test_marking_normal_learns_the_behaviour_of_the_pattern_not_just_the_one_anomaly():
    spike, later_spike = anomaly("spike", "p1", 1), anomaly("spike", "p1", 7)
    drop, other = anomaly("drop", "p1", 9), anomaly("spike", "p2", 3)
    surge, later_surge = anomaly("error surge", "", 4), anomaly("error surge", "", 8)
    surge = Anomaly(surge.id, surge.kind, NOW, NOW, None, "t", 5, 1.0, 1.0, "HIGH", "x")
    later_surge = Anomaly(
        later_surge.id, "error surge", NOW, NOW, None, "t", 5, 1.0, 1.0, "HIGH", "x"
    )
    rules = [
        rule_for(spike, "kind", None, state="baseline"),
        rule_for(surge, "kind", None, "baseline"),
    ]
    active, hidden, normal = split(
        [spike, later_spike, drop, other, surge, later_surge], rules, NOW
    )
    assert (active, hidden, normal) == ([drop, other], [], [spike, later_spike, surge, later_surge])


def test_lifting_shows_an_anomaly_again_whatever_rule_hid_it():
    a, b = anomaly("spike", "p1", 1), anomaly("spike", "p1", 2)
    c = anomaly("new token value", "p2", 3, "503")
    rules = [rule_for(a, "pattern", None), rule_for(c, "value", None, state="baseline")]
    assert split([a, b, c], lift(rules, a, NOW), NOW)[0] == [a, b, c][:2]  # the pattern rule went
    assert lift(rules, c, NOW) == rules[:1]
    assert lift(rules, anomaly("drop", "p9", 9), NOW) == rules  # nothing hid it


def test_rules_survive_a_save_and_a_corrupt_file_is_set_aside(tmp_path):
    path = store_path(["/logs/a.log", "/logs/b.log"], tmp_path)
    assert path == store_path(["/logs/b.log", "/logs/a.log"], tmp_path)  # the set, not the order
    rules = [rule_for(anomaly("spike", "p1", 1), "pattern", NOW), rule_for(
        anomaly("drop", "p2", 2), "anomaly", None, state="baseline")]  # fmt: skip
    save(path, rules)
    assert load(path) == (rules, None)
    path.write_text("{not json")
    loaded, warning = load(path)
    assert loaded == [] and "set aside" in warning
    assert path.with_name(path.name + ".corrupt").exists() and not path.exists()
    assert load(tmp_path / "missing.json") == ([], None)

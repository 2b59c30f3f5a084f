"""Anomaly suppressions and "mark as normal", kept with the investigation.

A rule hides anomalies: one anomaly (by id), every anomaly of a pattern, those of one token
value of a pattern, or every anomaly of one kind for a pattern; for a while (until a time) or
forever. "Mark as normal" is a rule of state "baseline" for the anomaly's kind and pattern: this
behaviour of the pattern is learnt as normal (a later spike of the same pattern is normal too,
its drop is not), hidden the same way and counted apart. The
rules of an investigation (the set of paths opened) are stored in one JSON file under the
user's data folder, written atomically; a file that cannot be read is set aside (renamed with
`.corrupt`) and reported, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from logview.core.analysis.anomalies import Anomaly
from logview.core.shared.atomic import write_atomic

VERSION = 1


@dataclass(frozen=True)
class Rule:
    scope: str  # "anomaly", "pattern", "value" or "kind"
    key: str  # the anomaly id, the pattern id, "pattern id|value" or "kind|pattern id"
    until: datetime | None  # None: forever
    state: str = "suppressed"  # or "baseline" (marked as normal)

    def matches(self, anomaly: Anomaly, now: datetime) -> bool:
        if self.until is not None and now >= self.until:
            return False
        if self.scope == "anomaly":
            return anomaly.id == self.key
        if self.scope == "pattern":
            return anomaly.pattern == self.key
        if self.scope == "kind":
            kind, _, pattern = self.key.partition("|")
            return anomaly.kind == kind and (anomaly.pattern or "") == pattern
        pattern, _, value = self.key.partition("|")
        return anomaly.pattern == pattern and anomaly.value == value


def rule_for(
    anomaly: Anomaly, scope: str, until: datetime | None, state: str = "suppressed"
) -> Rule:
    """Return the rule hiding `anomaly` at `scope` ("anomaly", "pattern", "value" or "kind")."""
    if scope == "anomaly":
        key = anomaly.id
    elif scope == "pattern":
        key = anomaly.pattern or anomaly.id
    elif scope == "kind":
        key = f"{anomaly.kind}|{anomaly.pattern or ''}"
    else:
        key = f"{anomaly.pattern}|{anomaly.value or ''}"
    return Rule(scope, key, until, state)


def lift(rules: list[Rule], anomaly: Anomaly, now: datetime | None = None) -> list[Rule]:
    """Return `rules` without those hiding `anomaly` (un-suppress it, or forget it was marked
    normal); a rule of its pattern or value goes too, so that it shows again."""
    now = now or datetime.now(UTC)
    return [rule for rule in rules if not rule.matches(anomaly, now)]


def split(
    anomalies: list[Anomaly], rules: list[Rule], now: datetime | None = None
) -> tuple[list[Anomaly], list[Anomaly], list[Anomaly]]:
    """Return (active, suppressed, marked normal) anomalies under `rules`."""
    now = now or datetime.now(UTC)
    active, suppressed, normal = [], [], []
    for anomaly in anomalies:
        rule = next((r for r in rules if r.matches(anomaly, now)), None)
        if rule is None:
            active.append(anomaly)
        elif rule.state == "baseline":
            normal.append(anomaly)
        else:
            suppressed.append(anomaly)
    return active, suppressed, normal


def store_path(paths: list[str], folder: Path | None = None) -> Path:
    """Return the file holding the rules of the investigation of `paths`."""
    key = hashlib.sha256("\n".join(sorted(os.path.abspath(p) for p in paths)).encode())
    base = folder or Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "logview" / "investigations" / f"{key.hexdigest()[:16]}.json"


def load(path: Path) -> tuple[list[Rule], str | None]:
    """Return the rules stored at `path` (none if absent) and a warning if it was unreadable
    (then set aside as `<name>.corrupt`)."""
    if not path.exists():
        return [], None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}")
        rules = rules_from_json(data["suppressions"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        aside = path.with_name(path.name + ".corrupt")
        try:
            path.replace(aside)
        except OSError:
            pass
        return [], f"suppressions in {path} could not be read ({err}); set aside as {aside.name}"
    return rules, None


def save(path: Path, rules: list[Rule]) -> None:
    """Write the rules atomically (the old file or the new one, never half of either)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "version": VERSION,
        "suppressions": rules_to_json(rules),
    }
    text = json.dumps(data, indent=2).encode()
    write_atomic(path, lambda handle: handle.write(text))


def rules_to_json(rules: list[Rule]) -> list[dict]:
    """Return the rules as JSON values (the suppressions file's, and an investigation's)."""
    return [{**asdict(r), "until": r.until.isoformat() if r.until else None} for r in rules]


def rules_from_json(items: list) -> list[Rule]:
    """Return the rules `items` hold; raises ValueError, KeyError or TypeError if damaged."""
    return [
        Rule(
            r["scope"],
            r["key"],
            datetime.fromisoformat(r["until"]) if r["until"] else None,
            r.get("state", "suppressed"),
        )  # fmt: skip
        for r in items
    ]

"""A fork server of state writers, for tests/test_nothing_lost.py's kill test.

Usage: python tests/state_writer.py SUPPRESSIONS.json SETTINGS.ini, then on standard input
"go" (fork a writer; its pid is printed) and "reap" (wait for the killed writer; prints
"reaped"). Each writer saves ever longer versions through the app's own save functions,
version n holding the first n rules or history entries, until it is killed.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2026, 1, 1, tzinfo=UTC)


def expected_rules(n: int) -> list:
    """Return version n of the suppressions: n rules, the i-th until START + i hours."""
    from logview.core.analysis.suppressions import Rule

    return [Rule("pattern", f"p{i:04d}", START + timedelta(hours=i)) for i in range(n)]


def expected_history(n: int) -> list[str]:
    """Return version n of the query history."""
    return [f"filter @message like /request {i}/" for i in range(n)]


def _write_forever(suppressions: Path, settings_path: Path) -> None:
    from logview.core.analysis.suppressions import load, save
    from logview.gui.settings import Settings

    rules, _ = load(suppressions)
    n = len(rules)
    settings = Settings(settings_path)
    history = len(settings.value("query/history"))
    while True:
        n += 1
        save(suppressions, expected_rules(n))
        history += 1
        settings.set_value("query/history", expected_history(history))
        settings.sync()


def main() -> None:
    suppressions, settings = Path(sys.argv[1]), Path(sys.argv[2])
    import logview.core.analysis.suppressions  # noqa: F401 - paid once, before the forks
    import logview.gui.settings  # noqa: F401

    print("ready", flush=True)
    child = 0
    for command in sys.stdin:
        if command.strip() == "go":
            child = os.fork()
            if child == 0:
                try:
                    _write_forever(suppressions, settings)
                finally:
                    os._exit(1)
            print(child, flush=True)
        elif command.strip() == "reap":
            os.waitpid(child, 0)
            print("reaped", flush=True)


if __name__ == "__main__":
    main()

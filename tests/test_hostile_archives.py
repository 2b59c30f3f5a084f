"""The malicious archive corpus (tests/hostile_corpus.py), each case in an interpreter of its own.

Each case must end with a clear warning (or error) that says what was refused, within 5 s of
wall time for the whole interpreter, under 300 MiB of peak resident memory, with no file
written outside the temp folder the case is given (a Python audit hook watches), and with the
ordinary log beside the hostile input still read.

`python tests/test_hostile_archives.py` prints the table of every case: seconds, peak memory,
rows and the warning that matched, with the baseline interpreter beside them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_corpus import CASES, Case, build

DRIVER = Path(__file__).with_name("hostile_driver.py")
SECONDS = 5.0
PEAK_MIB = 300.0


def run_driver(args: list[str], temp: Path, timeout: float = SECONDS) -> dict:
    """Return the driver's JSON for `args`, run with `temp` as its only writable folder."""
    temp.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TMPDIR=str(temp), XDG_CACHE_HOME=str(temp / "cache"))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run(
        [sys.executable, str(DRIVER), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def run_case(case: Case, folder: Path) -> dict:
    """Return the driver's JSON for one case built under `folder`."""
    paths = build(case, folder / "input")
    return run_driver([os.fspath(p) for p in paths], folder / "temp")


def matched(case: Case, result: dict) -> str | None:
    """Return the warning (or error) that says what the case expects, or None."""
    said = [*result["warnings"], result["error"] or ""]
    return next((line for line in said for want in case.expect if want in line), None)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_refused_clearly_quickly_and_in_bounds(case, tmp_path):
    result = run_case(case, tmp_path)
    assert result["crash"] is None, result["crash"]
    assert matched(case, result), (case.expect, result["warnings"][:10], result["error"])
    assert result["seconds"] <= SECONDS
    assert result["peak_mib"] <= PEAK_MIB
    assert result["writes_outside"] == []
    if case.rows is not None:
        assert result["rows"] >= case.rows  # the ordinary log beside it is still read


def test_the_audit_hook_sees_a_write_outside_the_temp_folder(tmp_path):
    planted = tmp_path / "outside.txt"
    result = run_driver(["--write-outside", str(planted)], tmp_path / "temp")
    assert any("outside.txt" in w and "open" in w for w in result["writes_outside"])
    assert any("os.rename" in w for w in result["writes_outside"])


def test_the_corpus_has_about_forty_cases_with_distinct_names():
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


def main() -> None:
    import tempfile

    rows = []
    with tempfile.TemporaryDirectory(prefix="logview-hostile-") as root:
        base = run_driver(["--baseline"], Path(root) / "baseline")
        print(f"baseline interpreter with ingest imported: {base['peak_mib']:.0f} MiB")
        for case in CASES:
            result = run_case(case, Path(root) / case.name)
            said = matched(case, result) or "NO MATCH"
            rows.append((case.name, result))
            ok = said != "NO MATCH" and result["crash"] is None and not result["writes_outside"]
            print(
                f"{case.name:32} {result['seconds']:5.2f} s {result['peak_mib']:6.1f} MiB "
                f"{result['rows']:>7} rows {'ok ' if ok else 'BAD'} {said[-90:]}"
            )
    seconds = [r["seconds"] for _, r in rows]
    peaks = [r["peak_mib"] for _, r in rows]
    print(
        f"{len(rows)} cases: seconds max {max(seconds):.2f} median {statistics.median(seconds):.2f}; "
        f"peak MiB max {max(peaks):.0f} median {statistics.median(peaks):.0f} "
        f"(baseline {base['peak_mib']:.0f})"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()

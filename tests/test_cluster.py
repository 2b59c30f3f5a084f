"""The heavy stages past one machine: partitions parsed and shaped where they run, the shapes
mined at home, the same patterns as mining here; and the commands' `--cluster` on a Dask
LocalCluster of two processes, their output the same as without it."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from logview.core.analysis.patterns import mine_entries
from logview.core.cluster import engine
from logview.core.cluster.partitions import KEYS_FOLDER, Partition, parse_and_shape
from logview.core.reading.ingest import ingest
from logview.core.shared.errors import LogviewError

START = datetime(2026, 3, 10)


def _bundle(folder: Path) -> Path:
    """A text log with an error burst, JSON lines of requests, a gzip'd rotation of the text
    log and a binary file (skipped with a warning, as anywhere)."""
    import gzip

    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    words = ["served request {} in {} ms", "user {} logged in from 10.0.{}.1",
             "cache miss for key k{} ({} bytes)"]  # fmt: skip
    lines = []
    for i in range(6000):
        stamp = START + timedelta(seconds=4 * i)
        if i % 97 == 0 or (4000 < i < 4200 and i % 3 == 0):
            lines.append(f"{stamp:%Y-%m-%d %H:%M:%S} ERROR payment {i} failed: timeout after "
                         f"{rng.randint(1000, 5000)} ms\n")  # fmt: skip
        else:
            text = rng.choice(words).format(rng.randint(1, 999), rng.randint(1, 99))
            lines.append(f"{stamp:%Y-%m-%d %H:%M:%S} INFO {text}\n")
    (folder / "app.log").write_text("".join(lines[3000:]))
    (folder / "app.log.1.gz").write_bytes(gzip.compress("".join(lines[:3000]).encode()))
    (folder / "api.jsonl").write_text("".join(
        json.dumps({"time": f"{START + timedelta(seconds=5 * i + 1):%Y-%m-%dT%H:%M:%S}Z",
                    "level": "info",
                    "msg": f"GET /api/orders/{rng.randint(1, 500)} answered "
                           f"{rng.choice([200, 200, 404])}"}) + "\n"
        for i in range(4000)
    ))  # fmt: skip
    (folder / "core.bin").write_bytes(bytes(range(256)) * 64)
    return folder


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    return _bundle(tmp_path_factory.mktemp("cluster-bundle"))


def test_shapes_mined_at_home_are_the_patterns_mined_here(bundle, tmp_path):
    here = ingest([str(bundle)])
    mined_here = mine_entries(here.table)
    done = engine.run([str(bundle)], engine.Backend(), tmp_path / "cache")
    assert done.ingested.table.equals(here.table)
    assert done.ingested.warnings == here.warnings  # the binary file's, as here
    assert done.mined.ids.equals(mined_here.ids)
    assert done.mined.by_id == mined_here.by_id
    assert done.partitions == 4 and sum(done.workers.values()) == 4
    assert [name for name, _ in done.stages] == [
        "parse and shape (workers)", "read the table from the cache", "mine the shapes (client)",
    ]  # fmt: skip
    # Shapes came home, not rows: far less than the entries' text.
    assert 0 < done.bytes_to_client < here.table["message"].str.len_bytes().sum()
    assert not any((tmp_path / "cache" / KEYS_FOLDER).iterdir())  # the run's keys are gone


def test_a_second_run_takes_the_files_from_the_shared_cache(bundle, tmp_path):
    engine.run([str(bundle)], engine.Backend(), tmp_path / "cache")
    again = engine.run([str(bundle)], engine.Backend(), tmp_path / "cache")
    assert again.ingested.files_cached == 3  # all but the binary file, as a reopen here


def test_a_source_no_partition_shaped_is_shaped_at_home(bundle):
    table = ingest([str(bundle)]).table
    assert engine.mine_shapes(engine.combine(table, [])).ids.equals(mine_entries(table).ids)


def test_a_partition_that_fails_names_its_file(bundle, tmp_path, monkeypatch):
    def broken(part: Partition):
        raise MemoryError("worker ran out")

    monkeypatch.setattr(engine, "parse_and_shape", broken)
    with pytest.raises(LogviewError, match=r"api\.jsonl: its partition failed: MemoryError"):
        engine.run([str(bundle / "api.jsonl")], engine.Backend(), tmp_path / "cache")


def test_an_unreadable_file_is_a_warning_like_any_unreadable_source(tmp_path):
    gone = tmp_path / "rotated.log"
    result = parse_and_shape(Partition(str(gone), str(tmp_path / "cache"), "run1"))
    assert result.sources == ()
    assert result.warnings and "rotated.log: cannot read" in result.warnings[0]


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("local:x", "give a number of workers, e.g. local:2"),
        ("processes:0", "give a number of workers, e.g. processes:2"),
        ("nonsense", "give a scheduler's address"),
    ],
)
def test_a_bad_cluster_is_one_clear_line(spec, said):
    with pytest.raises(LogviewError, match=said):
        engine.backend_for(spec)


# -- the commands on a Dask LocalCluster of two processes -----------------------------------
COMMANDS = [
    ["patterns", "--json"],
    ["anomalies", "--json"],
    ["compare", "--json", "--against", "previous-hour"],
]


def _run(capsys, argv: list[str]) -> tuple[str, str]:
    from logview.cli import main

    assert main(argv) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_the_commands_on_a_local_cluster_say_what_they_say_here(bundle, tmp_path, capsys):
    pytest.importorskip("distributed")
    for command in COMMANDS:
        here, _ = _run(capsys, [*command, str(bundle), "--no-cache"])
        there, told = _run(
            capsys, [*command, str(bundle), "--cluster", "local:2", "--cache", str(tmp_path)]
        )
        assert there == here, command
        assert json.loads(there)  # something was said
        assert "local:2: parse and shape: 4 of 4 partitions (by worker:" in told
        assert "bytes of shapes to this machine" in told


def test_cluster_options_that_cannot_work_are_refused(bundle, capsys):
    from logview.cli import main

    assert main(["patterns", str(bundle), "--cluster", "tcp://10.0.0.1:8786"]) == 2
    assert "needs --cache DIR on storage its workers share" in capsys.readouterr().err
    assert main(["anomalies", str(bundle), "--follow", "--cluster", "local:2"]) == 2
    assert "leave out --cluster" in capsys.readouterr().err

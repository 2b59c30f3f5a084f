"""Ingest paths in this interpreter alone and print what happened as one JSON line.

Usage: python tests/hostile_driver.py [--baseline | --write-outside FILE] PATH...

Before ingest runs, a Python audit hook (`sys.addaudithook`) starts recording every file
opened for writing and every rename, link, symlink, folder made or removed, and shutil copy or
move, whose path lies outside the temp folder (`$TMPDIR`, where ingest spools nested zips: the
app's only cache while reading). The JSON says: seconds, the process's peak resident memory
(VmHWM: this
interpreter's alone, so one case's own), rows, warnings, the LogviewError if
ingest raised one, any other exception as `crash`, and the writes seen outside.

`--baseline` imports ingest and reads nothing: the interpreter's own memory, for comparison.
`--write-outside FILE` writes FILE (and renames it) before ingest: the hook's own check.
Writes made by native code (polars' Rust, zlib) are invisible to audit hooks; ingest calls none
that write.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback

sys.dont_write_bytecode = True  # imports must not write __pycache__ beside the sources

import logview  # noqa: E402,F401 - before polars: it sets the allocators up
from logview.core.reading.ingest import ingest  # noqa: E402
from logview.core.shared.errors import LogviewError  # noqa: E402

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PATH_EVENTS = {
    "os.rename": (0, 1),
    "os.link": (0, 1),
    "os.symlink": (1,),
    "os.mkdir": (0,),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "shutil.copyfile": (1,),
    "shutil.copytree": (1,),
    "shutil.move": (0, 1),
    "shutil.rmtree": (0,),
    "shutil.make_archive": (0,),
    "shutil.unpack_archive": (1,),
    "tarfile.extractall": (),
}


def _allowed_root() -> str:
    import tempfile

    return os.path.realpath(tempfile.gettempdir())


def install_write_audit(allowed: str, seen: list[str]) -> None:
    """Record in `seen` every write-like event on a path outside `allowed`."""
    prefix = allowed.rstrip(os.sep) + os.sep

    def outside(path: object) -> bool:
        if isinstance(path, int) or path is None:
            return False  # an fd already opened (and audited) by path
        text = os.fsdecode(path) if isinstance(path, bytes | os.PathLike) else str(path)
        # A pure string operation: the hook must not itself trigger audited calls.
        full = os.path.normpath(os.path.join(os.getcwd(), text))
        return not (full + os.sep).startswith(prefix)

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            writing = bool(mode and any(c in mode for c in "wax+")) or bool(
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writing and outside(path):
                seen.append(f"open({path!r}, {mode!r})")
        elif event in _PATH_EVENTS:
            for index in _PATH_EVENTS[event] or range(len(args)):
                if index < len(args) and outside(args[index]):
                    seen.append(f"{event}{args!r}")
                    break

    sys.addaudithook(hook)


def peak_mib() -> float:
    """Return this process's peak resident memory in MiB.

    Linux's VmHWM belongs to the address space made at exec, so it is this interpreter's own;
    ru_maxrss is not: exec carries over the parent's peak (pytest's, hundreds of MiB).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    baseline = argv[:1] == ["--baseline"]
    planted = argv[1] if argv[:1] == ["--write-outside"] else None
    paths = argv[2:] if planted else argv[1:] if baseline else argv
    writes: list[str] = []
    result: dict[str, object] = {"rows": 0, "warnings": [], "error": None, "crash": None}
    install_write_audit(_allowed_root(), writes)
    if planted:
        with open(planted, "w", encoding="utf-8") as handle:
            handle.write("planted")
        os.replace(planted, planted + ".moved")
    started = time.perf_counter()
    if not baseline:
        try:
            found = ingest(paths)
            result["rows"] = found.table.height
            result["warnings"] = list(found.warnings)
        except LogviewError as err:
            result["error"] = str(err)
        except BaseException:  # noqa: BLE001 - any other exception is what the corpus hunts
            result["crash"] = traceback.format_exc()
    result["seconds"] = time.perf_counter() - started
    result["peak_mib"] = peak_mib()
    result["writes_outside"] = writes
    warnings = result["warnings"]
    assert isinstance(warnings, list)
    result["warning_count"] = len(warnings)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Where the user's own formats live, and how their files are read.

One format per TOML file (docs/formats.md), found in two places:
- the user's config folder, beside the app's settings: `formats/*.toml` there
  (`~/.config/logview/formats` on Linux and macOS, `%APPDATA%\\logview\\formats` on Windows;
  `$LOGVIEW_FORMATS_DIR` instead when set, for tests and portable installs);
- beside the logs opened: `.logview-formats/*.toml` and `*.logview-format.toml` in the folder
  of each file opened, and in each folder opened.

The files are read once per load (`load`), not per source. A file that cannot be used (bad
TOML, an invalid regex, a missing group, a layout that reads nothing, an unknown key) costs
that format alone: one line naming the file, the line and the reason goes among the
warnings, and the other formats load.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from logview.core.reading.formats import Format
from logview.core.reading.registry import all_formats
from logview.core.reading.userformats import (
    AUTO,
    UNMATCHED,
    FormatProblem,
    Reader,
    UserFormat,
    check,
    to_format,
)
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import LEVELS

ENV_FOLDER = "LOGVIEW_FORMATS_DIR"
BESIDE_FOLDER = ".logview-formats"
BESIDE_SUFFIX = ".logview-format.toml"
KEYS = ("name", "label", "regex", "layout", "zone", "continuation", "files", "levels")
# A format file is a few lines; anything this big is not one.
MAX_FILE_BYTES = 256 * 1024
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class UserFormats:
    """The user's formats found for one load, and a line for each file that failed."""

    formats: tuple[Format, ...] = ()
    problems: tuple[str, ...] = ()
    digest: str = ""  # of the format files read, names and contents: what a parse depended on


NO_USER_FORMATS = UserFormats()


def config_folder() -> Path:
    """Return the user's logview config folder, where QSettings keeps the app's settings."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "logview"


def formats_folder(config: Path | None = None) -> Path:
    """Return the folder of the user's own formats: `$LOGVIEW_FORMATS_DIR` when set, else
    `formats` in `config` (the settings' folder; the platform's config folder by default)."""
    override = os.environ.get(ENV_FOLDER)
    if override:
        return Path(override)
    return (config or config_folder()) / "formats"


def format_files(paths: Sequence[str | os.PathLike[str]], folder: Path | None) -> list[Path]:
    """Return the format files that apply to `paths`: those beside them first (the nearer
    definition wins a name), then those of `folder` (the user's; none when None)."""
    places: dict[Path, None] = {}
    for path in paths:
        path = Path(os.path.abspath(path))
        try:
            places[path if path.is_dir() else path.parent] = None
        except OSError:
            continue
    found: dict[Path, None] = {}
    for place in places:
        found.update((p, None) for p in _listed(place / BESIDE_FOLDER, "*.toml"))
        found.update((p, None) for p in _listed(place, f"*{BESIDE_SUFFIX}"))
    if folder is not None:
        found.update((p, None) for p in _listed(Path(os.path.abspath(folder)), "*.toml"))
    return list(found)


def _listed(folder: Path, glob: str) -> list[Path]:
    try:
        return sorted(p for p in folder.glob(glob) if p.is_file())
    except OSError:
        return []


def load(paths: Sequence[str | os.PathLike[str]], folder: Path | None) -> UserFormats:
    """Return the user's formats for a load of `paths`: from beside them, then from `folder`
    (the user's, `formats_folder()`; None for none). A file that fails gives a problem line
    instead; a name already taken (by a built-in format or a nearer file) too."""
    files = format_files(paths, folder)
    digest = hashlib.blake2b(digest_size=16)
    for file in files:
        digest.update(str(file).encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(file.read_bytes())
    taken = {fmt.name: "a built-in format" for fmt in all_formats()}
    loaded: list[Format] = []
    problems: list[str] = []
    for file in files:
        try:
            spec = read_file(file)
            if spec.name in taken:
                raise FormatProblem(f"name {spec.name!r} is taken by {taken[spec.name]}", "name")
            loaded.append(to_format(spec))
            taken[spec.name] = str(file)
        except FormatProblem as err:
            problems.append(problem_line(file, err))
    return UserFormats(tuple(loaded), tuple(problems), digest.hexdigest() if files else "")


def problem_line(file: Path, err: FormatProblem) -> str:
    """Return the one-line warning for a format file: `file:line: format not loaded: reason`."""
    line = err.line or (_line_of(file, err.key) if err.key else None)
    where = f"{file}:{line}" if line else str(file)
    return f"{where}: format not loaded: {err}"


def _line_of(file: Path, key: str) -> int | None:
    """Return the line where `key` is set in `file` (its first such line), if it can be found."""
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\[\s*{re.escape(key)}\s*\])")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def read_file(file: Path) -> UserFormat:
    """Return the format `file` describes; raise FormatProblem (with the line where known)."""
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise FormatProblem(f"larger than {MAX_FILE_BYTES // 1024} KiB: not a format file")
        data = tomllib.loads(file.read_bytes().decode("utf-8"))
    except OSError as err:
        raise FormatProblem(f"cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise FormatProblem("not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        # tomllib says "... (at line 3, column 7)": the line goes first, as for other problems.
        found = re.search(r"\(at (?:line (\d+), column \d+|end of document)\)$", str(err))
        reason = str(err)[: found.start()].strip() if found else str(err)
        line = None
        if found:
            line = int(found.group(1)) if found.group(1) else _last_line(file)
        raise FormatProblem(f"invalid TOML: {reason}", line=line) from None
    return parse_spec(data, str(file))


def _last_line(file: Path) -> int | None:
    try:
        return max(1, len(file.read_bytes().splitlines()))
    except OSError:
        return None


def parse_spec(data: dict, origin: str) -> UserFormat:
    """Return the UserFormat of a format file's TOML table; raise FormatProblem naming the key."""
    for key in data:
        if key not in KEYS:
            raise FormatProblem(f"unknown key {key!r} (known: {', '.join(KEYS)})", key)

    def text(key: str, default: str | None = None) -> str | None:
        value = data.get(key, default)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise FormatProblem(f"{key} must be non-empty text", key)
        return value

    name, regex = text("name"), text("regex")
    if name is None:
        raise FormatProblem('no name: add name = "myapp" (what you pick the format by)')
    if not _NAME.fullmatch(name):
        raise FormatProblem(
            f"name {name!r}: use letters, digits, '.', '_' and '-', starting with a letter or digit",
            "name",
        )
    if regex is None:
        raise FormatProblem("no regex: add regex = '...' with (?P<ts>...) and (?P<body>...)")
    files = data.get("files", [])
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(g, str) and g for g in files):
        raise FormatProblem('files must be a list of globs such as ["myapp*.log"]', "files")
    spellings = data.get("levels", {})
    if not isinstance(spellings, dict) or not all(isinstance(v, str) for v in spellings.values()):
        raise FormatProblem(
            f"levels must be a table of spelling = level ({', '.join(LEVELS[:-1])})", "levels"
        )
    return UserFormat(
        name=name,
        label=text("label") or name,
        regex=regex,
        layout=(text("layout") or AUTO).strip(),
        zone=text("zone"),
        continuation=(text("continuation") or UNMATCHED).strip(),
        files=tuple(files),
        levels=tuple((k.strip().lower(), v.strip().upper()) for k, v in spellings.items()),
        path=origin,
    )


def find_reader(name: str, paths: Sequence[str | os.PathLike[str]], folder: Path | None) -> Reader:
    """Return the reader of the user format `name` (as `load(paths, folder)` finds it), or of
    the format file at the path `name`. Raises LogviewError saying why there is none."""
    if name.endswith(".toml") or os.sep in name or "/" in name:
        file = Path(name)
        if not file.is_file():
            raise LogviewError(f"no format file {name}")
        try:
            return check(read_file(file))
        except FormatProblem as err:
            raise LogviewError(problem_line(file, err)) from None
    found = load(paths, folder)
    for fmt in found.formats:
        if fmt.name == name:
            return check(read_file(Path(fmt.origin)))
    if any(fmt.name == name for fmt in all_formats()):
        raise LogviewError(
            f"{name!r} is a built-in format: this tries your own formats "
            "(docs/formats.md); `logview sources FILE` shows how the built-in ones read it"
        )
    known = ", ".join(fmt.name for fmt in found.formats) or "none"
    failed = (
        f"; {len(found.problems)} failed to load, first: {found.problems[0]}"
        if found.problems
        else ""
    )
    raise LogviewError(f"no user format {name!r} (yours: {known}{failed})")

"""Bytes into text lines: binary detection, encoding detection, and bounded line splitting.

Lines are split on "\\n" only (a trailing "\\r" is dropped), never with `str.splitlines`, which
also splits on form feeds, U+2028 and others: the number of rows must equal the number of
newlines a user sees in `wc -l` (plus one for a last line without a newline).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import polars as pl

from logview.core.reading.streams import CHUNK_BYTES as STREAM_CHUNK_BYTES
from logview.core.shared.errors import Cancelled, LogviewError

HEAD_BYTES = 64 * 1024
# What a reader asks of a stream at a time: the walker's streams hand out at most this much per
# call (streams.CHUNK_BYTES) and would join pieces to give more.
READ_BYTES = STREAM_CHUNK_BYTES
# Lines are split this much text at a time (and polars' chunks are this large).
SLICE_BYTES = 8 * 1024 * 1024
# One physical line never holds more than this in memory; the rest is skipped up to the next
# newline and replaced by a marker.
MAX_LINE_BYTES = 4 * 1024 * 1024
LINES_SCHEMA = {"line": pl.UInt64, "text": pl.String}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control bytes that do not occur in text logs (tab, newlines, form feed, escape excluded).
_BINARY_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b")


def truncated(more: str) -> str:
    """Return the marker put where logview cut text: `more` says what was left out
    ("1,234 more bytes", "38 more characters"). One wording for every place that cuts."""
    return f" …[truncated by logview: {more}]"


@dataclass(frozen=True)
class Encoding:
    """How a source's bytes become text."""

    name: str  # a Python codec name, "utf-8" for plain UTF-8
    bom: int = 0  # bytes of byte-order mark to skip at the start
    cr_lines: bool = False  # lines end by CR alone (CR_LINES): no LF in the source's head

    @property
    def is_utf8(self) -> bool:
        return self.name == "utf-8"


def binary_reason(head: bytes) -> str | None:
    """Return why `head` looks like a binary file (not text in any encoding), or None."""
    if not head or any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if _utf16_without_bom(head):
        return None
    if b"\x00" in head:
        if not _text_with_nul_runs(head):
            return "binary file (NUL bytes in the first 64 KiB)"
        head = head.replace(b"\x00", b"")
    controls = sum(head.count(b) for b in _BINARY_BYTES)
    if controls > len(head) // 10:
        return "binary file (control bytes in the first 64 KiB)"
    return None


NUL_REMOVED = "NUL bytes removed (a crash or power cut leaves runs of them in a log)"
# Terminal control sequences (CSI) and window titles (OSC 0-2): the colours, cursor moves and
# titles a console capture keeps (an ESP32's coloured levels in a serial monitor's log,
# `docker compose logs` run on a terminal, a shell prompt in a `screen` or `script` session).
# They are no text: removed, so that stamps and levels read, and noted. Other escapes (a
# link, which carries text) stay, shown as marks.
ANSI = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][012];[^\x07\x1b]*(?:\x07|\x1b\\)"
_ANSI_RE = re.compile(ANSI)
ANSI_REMOVED = "terminal colour codes removed"
INTERRUPT_ECHO = "a terminal's echo of Ctrl-C (`^C`) removed from line starts"
# A terminal shows a carriage return or a backspace inside a line by moving back and writing
# over what was there: a pager's prompt erased before the next record (Junos's `---(more
# 53%)---\r<spaces>\rMar 14 ...`, Cisco's `--More--` and backspaces), a typing correction
# (`tial\b\b\bail`), a progress counter (`10%\r100%`). A capture keeps the bytes; the lines
# are read as the terminal showed them, and noted. (A CR whose later text leaves some of the
# earlier showing is no overwrite but a line break of an old Mac tool: kept.)
OVERWRITES_SHOWN = "carriage returns and backspaces inside lines read as a terminal shows them"
_OVERWRITE = "\r\x08"
# A capture that keeps printable characters only (PuTTY's default "printable output") loses
# the backspaces that erased a pager's prompt: the prompt, the spaces written over it, then
# the next record on the same line (` --More--         000211: Jun 12 10:09:58.630 UTC: ...`,
# ASA's `<--- More --->`; as many spaces as the prompt is wide). The prompt and its spaces
# are removed, and noted.
PAGER_LEFT = "a pager's prompt removed from the line that follows it"
_PAGER_LOOK = 1 << 20  # bytes of the first slice looked at
_PAGER_LEFT = r"^[ \t]*<?-+ ?More ?-+>?[ \t]{6,}(\S)"
# A terminal's cursor moved back (CSI n D) is read as n backspaces (Huawei's `  ---- More
# ----\x1b[16D<spaces>\x1b[16D` erasing its pager's prompt).
_CURSOR_BACK = r"\x1b\[(\d*)D"
_CURSOR_BACK_RE = re.compile(_CURSOR_BACK)
_CURSOR_BACK_BYTES = re.compile(_CURSOR_BACK.encode())


def _backspaces(found: re.Match[str]) -> str:
    return "\x08" * int(found[1] or 1)


# Line ends other than LF and CRLF, as serial terminals and old tools write them: CR alone
# (the whole source then has no LF), and CR CR LF or LF CR (a CR left at a line's end or start).
CR_LINES = "lines ended by CR alone"
_BOM_UTF8 = "\ufeff".encode()
# A text log with blocks of NULs in it (see LineReader._split) has a few long runs; binary
# files have NULs everywhere, in short runs.
_MAX_NUL_RUNS = 8
_MIN_NUL_RUN = 16


def shown(line: str) -> str:
    """Return `line` as a terminal shows it, its carriage returns and backspaces having moved
    the cursor back over what later characters overwrite; `line` unchanged where a carriage
    return's later text leaves some of the earlier showing (see OVERWRITES_SHOWN)."""
    cells: list[str] = []
    col = 0
    for ch in line:
        if ch == "\r":
            col = 0
        elif ch == "\x08":
            col = max(col - 1, 0)
        else:
            if col < len(cells):
                cells[col] = ch
            else:
                cells.append(ch)
            col += 1
    out = "".join(cells).rstrip()
    if "\x08" not in line:
        last = next((part for part in reversed(line.split("\r")) if part.strip()), "")
        if out != last.rstrip():
            return line
    return out


def _text_with_nul_runs(head: bytes) -> bool:
    """Return whether the NUL bytes of `head` are a few long runs in lines of text."""
    runs = re.findall(rb"\x00+", head)
    if len(runs) > _MAX_NUL_RUNS or any(len(run) < _MIN_NUL_RUN for run in runs):
        return False
    rest = head.replace(b"\x00", b"")
    return rest.count(b"\n") >= 2


def _utf16_without_bom(head: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when `head` is ASCII-range UTF-16 text without a BOM."""
    sample = head[: len(head) & ~1][:4096]
    if len(sample) < 4:
        return None
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    even_nuls = sample[0::2].count(0) / (len(sample) // 2)
    if odd_nuls > 0.9 and even_nuls < 0.1:
        return "utf-16-le"
    if even_nuls > 0.9 and odd_nuls < 0.1:
        return "utf-16-be"
    return None


def detect_encoding(head: bytes) -> Encoding:
    """Return the encoding of a text source from its first bytes: BOM, strict UTF-8, then a guess.

    The guess (charset-normalizer on the sample) covers UTF-16 without a BOM and the legacy
    code pages (cp1252, latin-1, Shift-JIS, ...) that Windows servers still write. Whether
    its lines end by CR alone is decided on the same bytes (a CR and no LF; in UTF-16 too).
    """
    found = _detect_encoding(head)
    if b"\r" in head and b"\n" not in head:
        return Encoding(found.name, found.bom, cr_lines=True)
    return found


def _detect_encoding(head: bytes) -> Encoding:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return Encoding("utf-8" if name == "utf-8-sig" else name, len(bom))
    utf16 = _utf16_without_bom(head)
    if utf16:
        return Encoding(utf16)
    try:
        # An incremental decoder tolerates a character cut at the end of the sample.
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
        return Encoding("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_western(head):
        return Encoding("cp1252")
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None or best.encoding in ("utf_8", "utf-8", "ascii"):
        return Encoding("utf-8")  # mostly UTF-8 with a few broken bytes: replaced per chunk
    return Encoding(codecs.lookup(best.encoding).name)


def _mostly_western(head: bytes) -> bool:
    """Return whether non-UTF-8 text reads as Western European cp1252 (Windows' default).

    charset-normalizer ranks cp1252 below look-alike code pages on short log samples (German
    text came out as cp775); accented letters in Western text are few and scattered, while
    Cyrillic or Greek single-byte text is nearly all high bytes, which this test rejects.
    """
    try:
        text = head.decode("cp1252")
    except UnicodeDecodeError:
        return False
    letters = sum(ch.isalpha() for ch in text)
    high = sum(1 for ch in text if ord(ch) > 127)
    return letters > 0 and high <= 0.15 * letters


def sample_lines(head: bytes, encoding: Encoding, limit: int = 200) -> tuple[str, ...]:
    """Return up to `limit` non-blank lines decoded from the start of a source."""
    text = head[encoding.bom :].decode(encoding.name, errors="replace").replace("\x00", "")
    if "\x1b" in text:
        text = _ANSI_RE.sub("", _CURSOR_BACK_RE.sub(_backspaces, text))
    if encoding.cr_lines:
        text = text.replace("\r", "\n")
    lines = text.split("\n")
    if len(head) >= HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line of a truncated sample is incomplete
    out = [line.strip("\r").lstrip("\ufeff") for line in lines]
    out = [line for line in out if line.strip()]
    out = [shown(line) if _overwrites(line) else line for line in out]
    return tuple(out[:limit])


def _overwrites(line: str) -> bool:
    return "\r" in line or "\x08" in line


class LineReader:
    """Reads a stream into a frame of lines (`line`, `text`), bounded per line.

    Invalid bytes are replaced (U+FFFD) and noted in `problems`; an over-long line is cut to
    MAX_LINE_BYTES with a marker; a read that fails (truncated or refused archive member)
    keeps the lines read so far and notes why.
    """

    def __init__(
        self,
        encoding: Encoding,
        *,
        chunk_bytes: int = READ_BYTES,
        slice_bytes: int = SLICE_BYTES,
        max_line_bytes: int = MAX_LINE_BYTES,
        on_read: Callable[[], None] = lambda: None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.encoding = encoding
        self.chunk_bytes = chunk_bytes
        self.slice_bytes = slice_bytes
        self.max_line_bytes = max_line_bytes
        self.on_read = on_read  # called after each piece read (progress, cancelling)
        self.cancelled = cancelled
        self.problems: list[str] = []
        self.notes: list[str] = [CR_LINES] if encoding.cr_lines else []  # no damage done
        self.bytes_read = 0  # raw bytes taken from head and stream (where following resumes)
        # Whether the first slice's start showed a pager's word (see PAGER_LEFT): a terminal
        # capture shows one every screen, and a large log needs no search of each slice.
        self._pagers: bool | None = None
        self.lines_read = 0

    def read(self, stream: BinaryIO, head: bytes = b"") -> pl.DataFrame:
        """Return every line of `head` followed by the rest of `stream`.

        The pieces read are gathered as they come and split into lines SLICE_BYTES at a time:
        one copy of the text (the join) besides polars' own, where splitting each piece on its
        own cost more copies and calls. Only a line still unfinished at the end of a piece is
        measured, so one over MAX_LINE_BYTES is cut there, before the rest of it is read.
        """
        decoder = None
        if not self.encoding.is_utf8:
            decoder = codecs.getincrementaldecoder(self.encoding.name)(errors="replace")
        frames: list[pl.DataFrame] = []
        # A leading newline keeps polars from decompressing (see _read_lines).
        pieces: list[bytes | memoryview] = [b"\n"]
        gathered = 0
        open_bytes = 0  # bytes of the unfinished last line at the end of `pieces`
        skipped: int | None = None  # bytes of an over-long line dropped so far, while skipping
        pending = head[self.encoding.bom :]
        self.bytes_read = self.encoding.bom
        while True:
            if self.cancelled():
                raise Cancelled()
            if pending:
                raw, pending = pending, b""
            else:
                try:
                    raw = stream.read(self.chunk_bytes)
                except LogviewError as err:
                    self.problems.append(str(err))
                    raw = b""
                except (OSError, EOFError, ValueError) as err:
                    self.problems.append(f"read failed: {err}")
                    raw = b""
            final = not raw
            self.bytes_read += len(raw)
            chunk = decoder.decode(raw, final=final).encode("utf-8") if decoder else raw
            if self.encoding.cr_lines:
                chunk = chunk.replace(b"\r", b"\n")
            if skipped is not None:
                cut = chunk.find(b"\n")
                if cut < 0 and not final:
                    skipped += len(chunk)
                    continue
                cut = len(chunk) if cut < 0 else cut
                pieces.append(truncated(f"{skipped + cut} more bytes").encode())
                chunk, skipped, open_bytes = chunk[cut:], None, 0
            if chunk:
                pieces.append(chunk)
                gathered += len(chunk)
                last = chunk.rfind(b"\n")
                open_bytes = open_bytes + len(chunk) if last < 0 else len(chunk) - last - 1
                if open_bytes > self.max_line_bytes:
                    skipped = open_bytes - self.max_line_bytes
                    _drop_tail(pieces, skipped)
                    gathered -= skipped
                    open_bytes = self.max_line_bytes
                elif last >= 0 and gathered >= self.slice_bytes:
                    # Split what is gathered up to the chunk's last newline; keep the rest.
                    view = memoryview(chunk)
                    pieces[-1] = view[: last + 1]
                    frames.append(self._split(b"".join(pieces)))
                    pieces, gathered = [b"\n", view[last + 1 :]], open_bytes
            self.on_read()
            if final:
                break
        if gathered:
            frames.append(self._split(b"".join(pieces)))
        pieces.clear()
        if not frames:
            self.lines_read = 0
            return pl.DataFrame(schema=LINES_SCHEMA)
        # One chunk: parsers' columns then line up with each other, which the merge needs.
        text = frames[0] if len(frames) == 1 else pl.concat(frames, rechunk=True)
        frames.clear()
        self.lines_read = text.height
        return text.select(
            pl.int_range(1, 1 + pl.len(), dtype=pl.UInt64).alias("line"), pl.col("text")
        )

    def _split(self, body: bytes) -> pl.DataFrame:
        """Return the lines of `body` (which starts with a newline of its own, not a line) as
        one chunk."""
        try:
            text = _read_lines(body)
        except pl.exceptions.ComputeError:
            # Not valid UTF-8 somewhere in this slice: replace the bad bytes, note it once.
            if "invalid UTF-8 bytes replaced with U+FFFD" not in self.problems:
                self.problems.append("invalid UTF-8 bytes replaced with U+FFFD")
            text = _read_lines(body.decode("utf-8", errors="replace").encode())
        if b"\x00" in body:
            # Runs of NUL bytes are what a crash or a power cut leaves in a log written through
            # the page cache (blocks allocated, never written): not text, and they would glue
            # onto the next line's start. Removed from the lines, which stay as many.
            text = text.select(pl.col("text").str.replace_all("\x00", "", literal=True))
            if NUL_REMOVED not in self.problems:
                self.problems.append(NUL_REMOVED)
        if b"\x1b" in body:
            if _CURSOR_BACK_BYTES.search(body):
                text = self._cursor_back(text)
            text = text.select(pl.col("text").str.replace_all(ANSI, ""))
            if ANSI_REMOVED not in self.notes:
                self.notes.append(ANSI_REMOVED)
        # (one byte is found at memory speed, two bytes some ten times slower: the caret first)
        if b"^" in body and b"\n^C" in body:
            # A terminal echoes the Ctrl-C that stopped a program as `^C`, and the program's
            # last lines follow it on the same line (`^C2024/03/14 09:15:02 INFO shutting
            # down`): the echo is the terminal's, no part of the line. (A `^C` alone on a line
            # stays: terminal_chrome drops it.)
            echoed = pl.col("text").str.starts_with("^C")
            if text.select(echoed.any()).item():
                text = text.select(
                    pl.when(echoed & (pl.col("text").str.len_bytes() > 2))
                    .then(pl.col("text").str.slice(2))
                    .otherwise(pl.col("text"))
                )
                if INTERRUPT_ECHO not in self.notes:
                    self.notes.append(INTERRUPT_ECHO)
        if self._pagers is None:
            self._pagers = body.find(b"More", 0, _PAGER_LOOK) >= 0
        if self._pagers and b"More" in body:
            text = self._pager_left(text)
        # A byte is found at memory speed, two or three ten times slower: what is looked for
        # is first its byte, then (CRLF's CR being all but everywhere in a Windows log) the
        # lines' ends.
        if b"\r" in body:
            cr = pl.col("text").str.ends_with("\r") | pl.col("text").str.starts_with("\r")
            if text.select(cr.any()).item():
                text = text.select(pl.col("text").str.strip_chars("\r"))
        if b"\r" in body or b"\x08" in body:
            text = self._shown(text)
        if b"\xef" in body and _BOM_UTF8 in body:
            # Files cat'ed together: the second one's byte-order mark opens a line.
            text = text.select(pl.col("text").str.strip_chars_start("\ufeff"))
        return text.rechunk()

    def _pager_left(self, text: pl.DataFrame) -> pl.DataFrame:
        """Return `text` without the pager's prompts a record follows on their line (see
        PAGER_LEFT)."""
        left = pl.col("text").str.contains(_PAGER_LEFT)
        if not text.select(left.any()).item():
            return text
        if PAGER_LEFT not in self.notes:
            self.notes.append(PAGER_LEFT)
        return text.select(pl.col("text").str.replace(_PAGER_LEFT, "$1"))

    def _cursor_back(self, text: pl.DataFrame) -> pl.DataFrame:
        """Return `text` with the cursor moves back (`ESC[16D`, a pager erasing its prompt)
        as as many backspaces, which `shown` then reads (few lines, when any)."""
        inside = text["text"].str.contains(_CURSOR_BACK)
        rows = inside.arg_true()
        lines = [_CURSOR_BACK_RE.sub(_backspaces, line) for line in text["text"].gather(rows)]
        return text.with_columns(text["text"].scatter(rows, pl.Series(lines, dtype=pl.String)))

    def _shown(self, text: pl.DataFrame) -> pl.DataFrame:
        """Return `text` with its lines that hold a CR or a backspace as a terminal shows
        them (`shown`; few lines, when any)."""
        inside = text["text"].str.contains(f"[{_OVERWRITE}]")
        if not inside.any():
            return text
        rows = inside.arg_true()
        lines = text["text"].gather(rows).to_list()
        rendered = [shown(line) for line in lines]
        if rendered == lines:
            return text
        if OVERWRITES_SHOWN not in self.notes:
            self.notes.append(OVERWRITES_SHOWN)
        return text.with_columns(text["text"].scatter(rows, pl.Series(rendered, dtype=pl.String)))


def _drop_tail(pieces: list[bytes | memoryview], n: int) -> None:
    """Remove the last `n` bytes of `pieces` (never the leading newline)."""
    while n:
        last = pieces[-1]
        if len(last) <= n:
            pieces.pop()
            n -= len(last)
        else:
            pieces[-1] = last[: len(last) - n]
            n = 0


def _read_lines(body: bytes) -> pl.DataFrame:
    """Return the lines of `body` after its leading newline, as a frame with one column, `text`.

    polars decompresses bytes that start like gzip, zlib or zstd data, and text can start so
    (a line "x^..." is a zlib header to it): it raised on such lines, or returned nothing, or
    inflated a chunk with no limit. A leading newline keeps the bytes text; its row is dropped.
    (The reader joins that newline in with the chunk, so that it costs no copy of its own.)
    """
    return pl.read_lines(body, name="text").slice(1)

"""A stack trace's lines where something stamped each of them: a transport over every line
(`kubectl logs --timestamps`, `docker logs -t`, a collector) in plain text, journald's header
over each line a service wrote to its output in syslog's layouts. Such a line, stamped right
after the one above by the same writer, whose text after its header is a frame, joins the
message above. Shared by `text` and `syslog`.
"""

from __future__ import annotations

import polars as pl

from logview.core.shared.regex import ascii_classes

# A frame's text: a traceback's or a stack's marker lines (a long qualified name may run past
# the characters looked at: `$` is where they end).
FRAME_MARK = (
    r"Traceback \(most recent call last\):|File \"[^\"]*\", line \d|at [\w$.<>/]+(?:\(|$)"
    r"|Caused by: |Suppressed: |\.\.\. \d+ more|[\w$]+(?:\.[\w$]+)*(?:Exception|Error)(?::|$)"
    # (a Go panic's: its signal, a goroutine's head, a function's frame and the file line
    # under it, tab-indented; `created by`)
    r"|goroutine \d+ \[[^\]]*\]:$|\[signal [A-Z]+|created by [\w.-]+|\t/[\w.@~-]+/"
    r"|[\w.-]+(?:/[\w.@~-]+)*\.(?:\(\*?\w+\)\.)?[\w.\[\]]+\((?:0x|\{|\.\.\.|\)|$)"
)
FRAME_LOOK = 100  # characters after the header looked at (a Go frame's qualified name runs long)
# The most a frame's stamp follows the line above's: one write, stamped line by line as it
# passes, takes microseconds (and a line a second apart is more likely a message of its own).
FRAME_GAP_US = 10_000
# The line that closes a Python traceback: the exception's name, in any module, and a colon.
_RAISED = ascii_classes(r"^\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*: ")


def frame_regex(indent: int) -> str:
    """Return the regex of a frame's text after its header: indented by `indent` white-space
    characters at least, a marker line, or nothing (a message's blank line)."""
    return ascii_classes(rf"^(?:\s{{{indent}}}|\s*(?:{FRAME_MARK})|\s*$)")


# A stack's own marker lines alone (no indentation, no blank line): see `stack_frames`.
_MARKED = ascii_classes(rf"^\s*(?:{FRAME_MARK})")


def after_headers(text: pl.Series, header_end: pl.Series, close: pl.Series) -> pl.Series:
    """Return the first FRAME_LOOK characters after each `close` line's header (null on the
    other lines, which are never frames: only they are cut)."""
    rows = close.arg_true()
    cut = text.gather(rows).str.slice(header_end.fill_null(0).gather(rows), FRAME_LOOK)
    return pl.repeat(None, text.len(), dtype=pl.String, eager=True).scatter(rows, cut)


def stack_frames(
    after: pl.Series, close: pl.Series, framed: str, marked_first: bool = False
) -> pl.Series:
    """Return which lines are frames: of the `close` ones (stamped right after the line above
    by the same writer), those whose text after the header (`after`: `after_headers`)
    `framed` matches, and the line naming the exception a Python traceback ends
    with (`psycopg2.errors.UndefinedTable: relation ...`) right after a frame. Given
    `marked_first`, an indented or blank line is one only after a marker line (a stack opens
    with one: `Traceback ...`, an exception's name, `goroutine 1 [running]:`), since some
    programs indent their messages."""
    rows = close.arg_true()
    if not rows.len():
        return close
    marked = after.gather(rows).str.contains(framed).fill_null(False)
    if marked_first:
        # (from a marker line on, through the indented lines after it, in one run of close
        # lines)
        mark = after.gather(rows).str.contains(_MARKED).fill_null(False)
        run = (~close).cum_sum().gather(rows)
        anchored = (
            pl.DataFrame({"mark": mark, "framed": marked, "run": run})
            .select(
                pl.when(pl.col("mark"))
                .then(True)
                .when(~pl.col("framed"))
                .then(False)
                .forward_fill()
                .over("run")
                .fill_null(False)
            )
            .to_series()
        )
        marked = marked & anchored
    frames = close.scatter(rows.filter(~marked), False)
    others = rows.filter(~marked)
    if others.len():
        # (Only the few lines right after a frame are looked at.)
        maybe = others.filter(frames.shift(1, fill_value=False).gather(others))
        if maybe.len():
            named = after.gather(maybe).str.contains(_RAISED).fill_null(False)
            frames = frames.scatter(maybe.filter(named), True)
    return frames

"""Which lines of plain text open an entry by their look, where no stamp says so: a line
that says something and is no stack trace's own (`opening`), a table's row among its dated
rows (`table_rows`), a line under the stamped lines' prefix (`prefix_again`). `text` asks
them for the lines its stamps leave unread and for text without stamps.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.parsers.frames import FRAME_MARK
from logview.core.shared.regex import ascii_classes

_ROWS_SAMPLE = 500  # stamped lines whose bars are counted
# A stack's line of any kind (an exception's name, `Caused by:`, a frame): under a prefix it
# continues the message above.
_STACK_LINE = ascii_classes(rf"^(?:{FRAME_MARK})")
# Where the prefix's value ends: the punctuation its field leaves out (a `]`), then a space.
_PREFIX_END = ascii_classes(r"^[\])>:|-]?\s")


# A line that opens an entry where no stamps say so: not indented, and saying something (a
# letter or digit): a line drawn of punctuation alone (a banner's ASCII art, a rule of `=`
# or `*`) joins the line above, as part of the same picture.
_OPENING = ascii_classes(r"^\S[^\n]*[A-Za-z0-9]")
_PROGRESS = r"^\[[=#>.\- ]*\] *\d{1,3}(?:\.\d+)? ?%$"
# Lines of a stack trace that are not indented: Python's traceback head and the lines that
# chain one to the next, Java's `Caused by:`, `Suppressed:` and `... 12 more`, and a Go
# panic's goroutine heads (`goroutine 87 [running]:`), signal line, function frames
# (`net/http.(*conn).serve(0xc000a2e000, {0xb3e6a8, 0xc0000a8050})`, whose file and line
# follow indented) and `created by` lines; and client-go's trace's later lines (Kubernetes'
# `Trace[1427131847]: ---"Objects listed" ...` under the one that opens it). They continue the
# message above, as the indented frames do.
_TRACE_LINE = ascii_classes(
    r"^(?:Traceback \(most recent call last\):|During handling of the above exception|Trace\[\d+\]: "
    r"|The above exception was the direct cause|Caused by: |Suppressed: |\.\.\. \d+ more"
    r"|goroutine \d+ \[[^\]]*\]:$|\[signal [A-Z]+|created by [\w.-]+(?:/[\w.@~-]+)*\.\S+"
    r"|[\w.-]+(?:/[\w.@~-]+)*\.(?:\(\*?\w+\)\.)?[\w.\[\]]+\([0-9a-fx?, .{}]*\)$"
    # (Unity's: `UnityEngine.Debug:Log (object)` frames, the `(Filename: ... Line: 39)` after)
    r"|[\w.`+<>]+:[\w.`<>]+ ?\([\w.,\[\] `<>&]*\)$|\(Filename: .* Line: \d+\)$"
    # (and systemd's pointer under a unit's `[FAILED] Failed to mount data.mount - /data.` on
    # a console: `See 'systemctl status data.mount' for details.`)
    r"|See '(?:systemctl|journalctl) [^']{1,120}' for details\.$)"
)
_TRACEBACK = ascii_classes(r"^Traceback \(most recent call last\):")


def opening(text: pl.Series) -> pl.Series:
    """Return which of `text`'s lines open an entry where no stamps say so: those that are not
    indented and say something (_OPENING), but no stack trace's own lines (_TRACE_LINE), nor
    the exception line that closes a Python traceback (the first line after its indented
    frames)."""
    # (a progress bar a tool redraws, `[=======       ]  48%`, is no message; wall(1)'s text,
    # under its `Broadcast message from root@host (ttyS0) (...):` and a blank line, is its)
    opening = (text.str.contains(_OPENING) & ~text.str.contains(_PROGRESS)).fill_null(False)
    opening = opening & ~text.str.starts_with("Broadcast message from ").shift(1).fill_null(False)
    traced = text.str.contains(_TRACE_LINE).fill_null(False)
    if not traced.any():
        return opening
    # The line above each line that is not indented, among those: a traceback's head there
    # (its frames, indented, between) makes this line the exception the traceback ends with.
    flush = text.str.contains(r"^\S").fill_null(False)
    head = pl.Series(text.str.contains(_TRACEBACK).fill_null(False))
    above = pl.DataFrame({"flush": flush, "head": head}).select(
        pl.when(pl.col("flush")).then(pl.col("head")).forward_fill().shift(1).fill_null(False)
    )
    closing = flush & above.to_series()
    return opening & ~traced & ~closing


def prefix_again(
    text: pl.Series, prefix: pl.Series, stamped: pl.Series, body_at: pl.Series
) -> pl.Series | None:
    """Return which lines without a stamp (`body_at` null: a stack's line stamped by a
    transport is none) open with the prefix (`prefix`, the layout's field) of the stamped
    line above them and then a line that opens an entry (`opening`: not indented; no stack's
    line, an exception's name neither), such as FreeSWITCH's call uuid before its `EXECUTE`
    lines, or `kubectl logs --prefix`'s `[pod/...]` before another program's line; None where
    there are none."""
    rows = (~stamped & body_at.is_null()).arg_true()
    if not rows.len():
        return None
    above = prefix.zip_with(stamped, pl.Series([None], dtype=pl.String)).forward_fill()
    above, lines = above.gather(rows), text.gather(rows)
    rest = lines.str.slice(above.str.len_chars().fill_null(0))
    said = rest.str.replace(_PREFIX_END, "")
    own = (
        (above.str.len_chars() > 1)
        & lines.str.starts_with(above)
        & rest.str.contains(_PREFIX_END)
        & opening(said)
        & ~said.str.contains(_STACK_LINE)
    ).fill_null(False)
    if not own.any():
        return None
    return pl.repeat(False, text.len(), eager=True).scatter(rows.filter(own), True)


# A table's row without a stamp (ipmitool's `sel list`: `   2 |  Pre-Init  |0000000007| ...`
# among its dated rows) is a row as the stamped ones are, where they have as many `|` between
# their columns, this many at least.
_TABLE_BARS = 3


def table_rows(text: pl.Series, stamped: pl.Series, unstamped: pl.Series) -> pl.Series | None:
    """Return which of the `unstamped` lines are rows of the table the stamped lines are rows
    of (see _TABLE_BARS), or None where they are none."""
    bars = text.gather(stamped.arg_true().head(_ROWS_SAMPLE)).str.count_matches("|", literal=True)
    usual = bars.mode().min() if bars.len() else None
    if usual is None or usual < _TABLE_BARS:  # type: ignore[operator]
        return None
    return (text.gather(unstamped).str.count_matches("|", literal=True) == usual).fill_null(False)

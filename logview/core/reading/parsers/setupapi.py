"""Windows' SetupAPI text logs (`setupapi.dev.log`, `setupapi.app.log`): one entry per section.

As Microsoft documents them ("SetupAPI Text Logs"): the file opens with a log header
(`[Device Install Log]`, `OS Version = ...` lines, `[BeginLog]`), which is no entry; each
boot's `[Boot Session: 2024/03/14 09:24:02.500]` line is an entry; a section is its header
(`>>>  [Device Install (Hardware initiated) - USB\\VID_...]`), its `>>>  Section start
<stamp>` line, its body and its footer (`<<<  Section end <stamp>`, `<<<  [Exit status:
...]`): one entry, stamped by its start. The times at the end of body lines are those of
sub-operations. Levels: a section states none (its body marks lines `!` and `!!!`).
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.headed import entries_from_starts, read_stamps, sample_text
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import empty_parsed

_STAMP = r"(\d{4})/(\d{2})/(\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)"
_BOOT = ascii_classes(rf"^\[Boot Session: {_STAMP}\]")
_SECTION = ascii_classes(r"^>>>  \[")
_SECTION_START = ascii_classes(rf"(?m)^>>>  Section start {_STAMP}")
_LOG_HEADER = ascii_classes(r"^\[(?:Device Install Log|BeginLog)\]|^ {5}[A-Z][\w ]+ = ")


def sniff(sample: Sample) -> float:
    """Return 0.95 when the sample shows SetupAPI's section starts or its log header."""
    text = sample_text(sample)
    if ">>>  Section start " in text or "[Device Install Log]" in text:
        return 0.95
    return 0.0


def _iso(groups: pl.Expr) -> pl.Expr:
    """Return `yyyy-MM-ddTHH:mm:ss.fff` from the four groups of _STAMP (a struct)."""
    return pl.concat_str(
        [
            groups.struct.field("1"),
            pl.lit("-"),
            groups.struct.field("2"),
            pl.lit("-"),
            groups.struct.field("3"),
            pl.lit("T"),
            groups.struct.field("4"),
        ]
    )


def parse_setupapi(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per boot session line and per section (see the module)."""
    text = lines["text"]
    header = text.str.contains(_LOG_HEADER).fill_null(False)
    # (the log header's lines until the first entry: its settings are indented `Key = value`)
    starts = (text.str.contains(_BOOT) | text.str.contains(_SECTION)).fill_null(False)
    before = pl.int_range(text.len(), eager=True) < (int(starts.arg_max()) if starts.any() else 0)
    keep = ~(header & before)
    lines, text, starts = lines.filter(keep), text.filter(keep), starts.filter(keep)
    if lines.height == 0:
        return empty_parsed()
    nulls = pl.Series([None] * text.len(), dtype=pl.String)
    columns = pl.DataFrame({"ts": nulls, "level": nulls})
    entries = entries_from_starts(lines, starts, columns, header_read=False)
    message = entries["message"]
    frame = pl.DataFrame({"m": message})
    stamp = pl.coalesce(
        _iso(pl.col("m").str.extract_groups(_BOOT)),
        _iso(pl.col("m").str.extract_groups(_SECTION_START)),
    )
    ts = read_stamps(frame, stamp, ctx)
    return entries.with_columns(ts=ts)


FORMATS: list[Format] = [
    Format("setupapi", "Windows SetupAPI log", sniff, parse_lines=parse_setupapi)
]

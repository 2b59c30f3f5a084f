"""Log values as text for people: control characters made visible, stamps, spans and sizes.

Log text is untrusted: a line can hold escape sequences, NUL bytes or Unicode bidi overrides that
make a viewer show something other than what is in the file (the "Trojan Source" trick). Every
string from a log goes through `visible_text` before a view shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import PurePath

# C0 controls and DEL become the Unicode "control pictures" (U+2400 block): NUL -> ␀, ESC -> ␛.
# Tab stays a tab; newline is kept only where a view shows several lines.
_C0 = {code: chr(0x2400 + code) for code in range(0x20) if code != 0x09}
_C0[0x7F] = "\u2421"
# Characters that are invisible but reorder, hide or break the text around them.
_INVISIBLE = {
    0x061C: "ALM",
    0x200E: "LRM",
    0x200F: "RLM",
    0x202A: "LRE",
    0x202B: "RLE",
    0x202C: "PDF",
    0x202D: "LRO",
    0x202E: "RLO",
    0x2028: "LS",
    0x2029: "PS",
    0x2066: "LRI",
    0x2067: "RLI",
    0x2068: "FSI",
    0x2069: "PDI",
    0xFEFF: "BOM",
}
_MARKED = {code: f"\u27e8{name}\u27e9" for code, name in _INVISIBLE.items()}
# C1 controls (U+0080-U+009F) have no control picture: show their code point.
_C1 = {code: f"\u27e8U+{code:04X}\u27e9" for code in range(0x80, 0xA0)}

_ONE_LINE = str.maketrans({**_C0, **_C1, **_MARKED})
_MANY_LINES = str.maketrans({**{k: v for k, v in _C0.items() if k != 0x0A}, **_C1, **_MARKED})

# A table cell never needs more than this: the view elides it to the column width anyway, and
# laying out a 4 MiB line on every repaint would stall scrolling.
MAX_CELL_CHARS = 2000


def visible_text(text: str, *, keep_newlines: bool = False) -> str:
    """Return `text` with control characters and bidi/invisible format characters made visible.

    Tabs are kept. Newlines are kept when `keep_newlines` is true (a multi-line pane), otherwise
    shown as ␊ like every other control character.
    """
    return text.translate(_MANY_LINES if keep_newlines else _ONE_LINE)


_LOOK_PAST = 5  # blank first lines looked past for a message's first words


def message_summary(message: str, *, max_chars: int = MAX_CELL_CHARS) -> tuple[str, int]:
    """Return a message's first line, made visible and capped, and how many more lines it has."""
    first, newline, rest = message.partition("\n")
    more = message.count("\n") if newline else 0
    if newline and not first.strip():
        # (a record whose first line is all header, HPE's IML `Event: 1 Added: <date>` with
        # its message under it: the first line of the rest that says something stands for it)
        for skipped, line in enumerate(rest.split("\n", _LOOK_PAST)[:_LOOK_PAST], start=1):
            if line.strip():
                first, more = line, more - skipped
                break
    if len(first) > max_chars:
        first = first[:max_chars] + "\u2026"
    return visible_text(first), more


def more_lines_marker(more: int) -> str:
    """Return the marker appended to a multi-line message's first line, e.g. " ⏎ 3 more lines"."""
    return f" \u23ce {more} more line{'s' if more != 1 else ''}"


def message_cell_text(message: str | None) -> str:
    """Return the one-line text a table shows for a message: first line plus a more-lines marker."""
    if message is None:
        return ""
    first, more = message_summary(message)
    return first + more_lines_marker(more) if more else first


def format_stamp(moment: datetime | None, zone: str | None = None) -> str:
    """Return a stamp as "2026-03-10 14:05:01.123" (in `zone`, an IANA name, or in its own:
    UTC in the table), "" for None."""
    if moment is None:
        return ""
    if zone:
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo(zone))
    return f"{moment:%Y-%m-%d %H:%M:%S}.{moment.microsecond // 1000:03d}"


def rows_as_text(rows: Iterable[Mapping[str, object]]) -> str:
    """Return table rows as the clipboard takes them: time, level, source and message,
    tab-separated, a row a line ("" for a missing value)."""
    return "\n".join(
        "\t".join(
            [
                format_stamp(row.get("ts")),  # type: ignore[arg-type]
                str(row.get("level") or ""),
                str(row.get("source") or ""),
                str(row.get("message") or ""),
            ]
        )
        for row in rows
    )


def format_span(first: datetime | None, last: datetime | None, *, compact: bool = False) -> str:
    """Return a time span as "2026-03-09 00:00:01 – 2026-03-10 23:59:58", "" when unknown.

    `compact` drops the seconds and what the end repeats of the start: "2026-03-09 00:00 –
    03-10 23:59", or "2026-03-09 00:00 – 06:24" within one day.
    """
    if first is None or last is None:
        return ""
    if not compact:
        return f"{first:%Y-%m-%d %H:%M:%S} \u2013 {last:%Y-%m-%d %H:%M:%S}"
    if first.date() == last.date():
        end = f"{last:%H:%M}"
    elif first.year == last.year:
        end = f"{last:%m-%d %H:%M}"
    else:
        end = f"{last:%Y-%m-%d %H:%M}"
    return f"{first:%Y-%m-%d %H:%M} \u2013 {end}"


def window_text(start: datetime, end: datetime) -> str:
    """Return a time window short: "03-10 14:05\u201314:40" within a day, the end's date too
    when it runs past one ("03-10 23:55\u201303-11 00:05")."""
    last = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%m-%d %H:%M}"
    return f"{start:%m-%d %H:%M}\u2013{last}"


def format_share(ratio: float) -> str:
    """Return a share as a percentage people read right: "5.3%", "<0.1%" for a share that is
    not nothing but rounds to it (34 entries of 150,000), "0%" for none."""
    if ratio <= 0:
        return "0%"
    if ratio < 0.001:
        return "<0.1%"
    return f"{ratio:.1%}"


def format_megabytes(size: int) -> str:
    """Return a byte count in megabytes with one decimal, e.g. "12.3 MB"."""
    return f"{size / 1e6:,.1f} MB"


def progress_text(bytes_done: int, bytes_total: int, entries: int, seconds: float) -> str:
    """Return a one-line progress report: bytes done of total, entries so far and read speed."""
    rate = bytes_done / seconds / 1e6 if seconds > 0 else 0.0
    return (
        f"{format_megabytes(bytes_done)} of {format_megabytes(bytes_total)}"
        f" \u00b7 {entries:,} entries \u00b7 {rate:,.1f} MB/s"
    )


def stage_progress_text(
    stage: str,
    bytes_done: int,
    bytes_total: int,
    entries: int,
    seconds: float,
    *,
    source: str = "",
    lines: int = 0,
    step: str = "",
    sources_done: int = 0,
    sources: int = 0,
) -> str:
    """Return one line on what a load is doing at `stage` (ingest's reading, parsing and
    merging, then loading's sorting and done), for a status bar.

    Reading is measured in bytes (`progress_text`). The stages after it have no measure but
    can take most of a load (one large source's parse), so their line names what is done to
    what (the source parsed, its lines, the `step` its parse is at), the sources done of those
    met and the entries so far, and ends with the `seconds` gone: it moves while nothing else
    does.
    """
    gone = f"{seconds:,.1f} s"
    if stage == "reading":
        return f"reading {progress_text(bytes_done, bytes_total, entries, seconds)}"
    if stage == "parsing":
        name = PurePath(source).name or source
        what = f"parsing {name}" + (f" ({lines:,} lines)" if lines else "")
        parts = [what + (f": {step}" if step and step != stage else "")]
        if sources > 1:
            parts.append(f"{sources_done:,} of {sources:,} sources done")
        if entries:
            parts.append(f"{entries:,} entries")
        return " \u00b7 ".join([*parts, gone])
    if stage == "merging":
        noun = "source" if sources == 1 else "sources"
        return f"merging {sources:,} {noun} \u00b7 {entries:,} entries \u00b7 {gone}"
    if stage == "sorting":
        return f"sorting {entries:,} entries by time \u00b7 {gone}"
    if stage == "done":
        return f"done: {entries:,} entries in {gone}"
    return f"{stage} \u00b7 {gone}"


def short_source_names(names: Iterable[str]) -> dict[str, str]:
    """Return, for each source name, its shortest trailing path that no other name ends with.

    "/x/bundle.tgz/app/orders.log" becomes "orders.log", unless another source is also called
    orders.log, in which case both keep one more folder ("app/orders.log", "api/orders.log").
    """
    unique = list(dict.fromkeys(names))
    parts = {name: [p for p in name.split("/") if p] or [name] for name in unique}
    depth = dict.fromkeys(unique, 1)
    # A loop over distinct source names (a handful to a few thousand), not over entries.
    while True:
        shown: dict[str, list[str]] = {}
        for name in unique:
            shown.setdefault("/".join(parts[name][-depth[name] :]), []).append(name)
        clashes = [
            name
            for group in shown.values()
            if len(group) > 1
            for name in group
            if depth[name] < len(parts[name])
        ]
        if not clashes:
            return {name: "/".join(parts[name][-depth[name] :]) for name in unique}
        for name in clashes:
            depth[name] += 1


def describe_paths(paths: Sequence[str]) -> str:
    """Return a short name for what was opened: "app.log", or "app.log and 2 more"."""
    if not paths:
        return "nothing"
    first = PurePath(paths[0]).name or paths[0]
    return first if len(paths) == 1 else f"{first} and {len(paths) - 1} more"


def elide_start(text: str, limit: int) -> str:
    """Return `text` cut to `limit` characters, keeping its end (a path's file name)."""
    return text if len(text) <= limit else "\u2026" + text[-(limit - 1) :]


def short_number(value: float) -> str:
    """Return `value` written short: 12, 0.5, 1.2k, 3.4M."""
    size = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def exact_number(value: float) -> str:
    """Return a value in full: whole numbers with separators, others to 4 digits."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return short_number(value) if abs(value) >= 1e3 else f"{value:.4g}"


def field_text(name: str, value: object) -> str:
    """Return a field's value as the detail pane lists it ("" for none; stamps in UTC)."""
    if value is None:
        return ""
    if name == "ts" and isinstance(value, datetime):
        return f"{format_stamp(value)} UTC"
    return str(value)


def zone_of(tz: str | None) -> tzinfo:
    """Return the zone named `tz` (an IANA name), UTC for None."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(tz) if tz else UTC


def bucket_span(start: datetime, end: datetime, width_us: int) -> str:
    """Return `start – end` (both already in the zone to show) at the precision of `width_us`:
    milliseconds for buckets under a second, seconds under a minute, minutes above; the end
    without its date when the day is the same."""
    if width_us < 1_000_000:
        clock = "%H:%M:%S.%f"
    elif width_us < 60_000_000:
        clock = "%H:%M:%S"
    else:
        clock = "%H:%M"
    first = start.strftime(f"%Y-%m-%d {clock}")
    same_day = (start.date() == end.date()) or (end - start <= timedelta(days=1) and end.hour == 0)
    last = end.strftime(clock if same_day and width_us < 86_400_000_000 else f"%Y-%m-%d {clock}")
    if clock.endswith("%f"):  # microseconds -> milliseconds
        first, last = first[:-3], last[:-3]
    return f"{first} \u2013 {last} {start.tzname() or ''}".rstrip()

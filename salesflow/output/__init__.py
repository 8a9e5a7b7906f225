"""render(rows, fmt): the one renderer every listing goes through.

Rows are plain dicts with stable keys (money already a decimal string, times ISO 8601). Machine
formats write every key; the table shows the chosen columns. Rows may be a generator, so an
export streams instead of holding the whole table in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from salesflow import csvsafe
from salesflow.i18n import N_, _
from salesflow.output.terminal import Terminal

FORMATS = ("table", "csv", "tsv", "json", "ndjson")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    justify: str = "left"
    get: Callable[[dict[str, Any]], str] | None = None
    style: str | None = None
    # Kept whole, never shortened (so are right-aligned columns): a figure, date, stage, id.
    no_wrap: bool = False
    # Optional: hidden when the table does not fit, lowest number first (output/layout.py).
    hide: int | None = None

    def cell(self, row: dict[str, Any]) -> str:
        if self.get is not None:
            return self.get(row)
        value = row.get(self.key)
        return "" if value is None else str(value)


def render(
    rows: Iterable[dict[str, Any]],
    fmt: str,
    term: Terminal,
    *,
    columns: list[Column] | None = None,
    title: str | None = None,
    raw: bool = False,
    empty: str = N_("Nothing to show."),
    row_style: Callable[[dict[str, Any]], str | None] | None = None,
    keys: list[str] | None = None,
) -> int:
    """Write rows in `fmt` to the terminal's stdout; returns how many rows were written.
    `keys` names the columns so an empty CSV/TSV still gets its header row."""
    if fmt == "table":
        return _table(list(rows), term, columns, title, empty, row_style)
    return write_rows(rows, fmt, term.raw, raw=raw, keys=keys)


def write_rows(
    rows: Iterable[Any], fmt: str, out: Any, *, raw: bool = False, keys: list[str] | None = None
) -> int:
    """Write rows in a machine format (csv, tsv, json, ndjson) to the text stream `out`.
    CSV/TSV rows may also be value sequences in `keys` order (a large export skips the dicts)."""
    if fmt == "csv":
        return write_delimited(rows, out, raw=raw, keys=keys)
    if fmt == "tsv":
        return write_tsv(rows, out, raw=raw, keys=keys)
    if fmt == "json":
        return write_json(rows, out)
    if fmt == "ndjson":
        import json  # not on the path of commands that print no JSON

        n = 0
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    raise ValueError(f"unknown format {fmt}")


def _with_header(rows: Iterable[Any], keys: list[str] | None) -> tuple[list[str] | None, Any]:
    """The header row (the first dict's keys, else `keys`) and the rows as value sequences."""
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return keys, iter(())
    if not isinstance(first, dict):
        return keys, chain((first,), it)
    return list(first), (r.values() for r in chain((first,), it))


# The first characters that can make csvsafe.escape change a text cell.
_RISKY = csvsafe.RISKY
# Pieces of text gathered before one write: fewer calls, and still streaming.
_BATCH = 2000


class _Collect:
    """A file for csv.writer that adds each line it writes to a list."""

    def __init__(self, lines: list[str]) -> None:
        self.write = lines.append


def write_delimited(
    rows: Iterable[Any], out: Any, *, raw: bool, keys: list[str] | None = None
) -> int:
    """RFC 4180 CSV: CRLF line ends, quoted fields, a header row even when there are no rows.

    With `raw`, a row of text cells with no quote or line break in any of them is joined
    directly, the cells holding a comma put in quotes: exactly what the csv module writes for
    it, at a fraction of the cost (an export's rows come this way, formula-escaped by their
    query). Every other row goes through the csv module."""
    lines: list[str] = []
    add = lines.append
    import csv

    writer = csv.writer(_Collect(lines), lineterminator="\r\n")  # same list: order is kept
    header, values = _with_header(rows, keys)
    if header:
        writer.writerow(header)
    risky, cell, join = _RISKY, _cell, ",".join
    n = 0
    for row in values:
        n += 1
        line = ""
        if raw:
            try:  # noqa: SIM105 - suppress() would cost a context manager per row
                line = join(row)
            except TypeError:  # a number, None, a bool…: formatted below
                pass
        # An empty line is one empty cell, which the csv module writes as "".
        if line and '"' not in line and "\n" not in line and "\r" not in line:
            if line.count(",") != len(row) - 1:  # a cell holds a comma
                line = join([f'"{c}"' if "," in c else c for c in row])
            add(line)
            add("\r\n")
        elif line:
            writer.writerow(row)
        else:
            # Inline type tests rather than a call per cell. Plain str/int/None go to the
            # writer as they are.
            writer.writerow(
                [
                    cell(v, raw)
                    if ((c := v.__class__) is str and not raw and v[:1] in risky)
                    or (c is not str and c is not int and v is not None)
                    else v
                    for v in row
                ]
            )
        if len(lines) >= _BATCH:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
    return n


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def write_tsv(rows: Iterable[Any], out: Any, *, raw: bool, keys: list[str] | None = None) -> int:
    """Tab-separated lines for cut/awk/column: no quoting; tab, newline, CR and backslash
    inside a cell are written as \\t \\n \\r \\\\ so one record is always one line.
    With `raw`, a row of text cells with no tab in any of them is joined, then escaped whole."""
    lines: list[str] = []
    add = lines.append
    header, values = _with_header(rows, keys)
    if header:
        add("\t".join(header))
        add("\n")
    join = "\t".join
    n = 0
    for row in values:
        n += 1
        line = None
        if raw:
            try:  # noqa: SIM105 - suppress() would cost a context manager per row
                line = join(row)
            except TypeError:  # a number, None, a bool…: formatted below
                pass
        if line is not None and line.count("\t") == len(row) - 1:
            if "\\" in line or "\n" in line or "\r" in line:
                # The tabs left part cells. (replace is many times faster than translate here)
                line = line.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
            add(line)
        else:
            add(join(_cell(v, raw).translate(_TSV_ESCAPES) for v in row))
        add("\n")
        if len(lines) >= _BATCH:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
    return n


def _cell(value: Any, raw: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        import json

        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if raw or not isinstance(value, str) else csvsafe.escape(text)


def write_json(rows: Iterable[dict[str, Any]], out: Any) -> int:
    # Streamed by hand so a 100k-row export never builds the whole list.
    import json

    n = 0
    out.write("[")
    for n, row in enumerate(rows, 1):
        out.write(("\n" if n == 1 else ",\n") + json.dumps(row, ensure_ascii=False))
    out.write("\n]\n" if n else "]\n")
    return n


def write_object(obj: dict[str, Any], term: Terminal, *, compact: bool = False) -> None:
    """One JSON object: indented for `json`, on one line for `ndjson`."""
    import json

    indent = None if compact else 2
    term.raw.write(json.dumps(obj, ensure_ascii=False, indent=indent) + "\n")


def _table(
    rows: list[dict[str, Any]],
    term: Terminal,
    columns: list[Column] | None,
    title: str | None,
    empty: str,
    row_style: Callable[[dict[str, Any]], str | None] | None,
) -> int:
    if not rows:
        term.line(_(empty))  # marked N_() where it is written
        return 0
    from salesflow.output import layout

    cols = columns or [Column(k, k) for k in rows[0]]
    layout.table(cols, rows, term, title=title, row_style=row_style)
    return len(rows)

"""Reading a table someone else made: bytes in, a header and rows of text out.

CSV (RFC 4180), TSV (one record per line, backslash escapes, as `salesflow … --format tsv`
writes it), JSON (an array of objects) and NDJSON; UTF-8 (with or without BOM), UTF-16 with a
BOM and GB18030/GBK — what Excel on Chinese Windows saves — are told apart here, so the
importer only sees text cells. Anything that cannot be read is refused with what to do.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _

# A cell longer than this is almost always a quote (") that was never closed, which swallows
# the rest of the file into one cell; refusing it beats importing one giant note.
MAX_CELL = 128 * 1024
# More columns than any contact list has; beyond it a header is a broken or hostile file, and
# every unknown column would be copied into each lead's notes.
MAX_COLUMNS = 1000
# Invisible characters that cannot be meant where they are: the UTF-8 byte-order mark and the
# zero-width space/joiners/word joiner. Removed from header cells wherever they are, and from
# the start and end of every cell (inside a cell they are left alone: ZWJ joins emoji).
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
ENCODINGS = ("auto", "utf-8", "gb18030")
_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".ndjson": "ndjson",
             ".jsonl": "ndjson"}  # fmt: skip
_NON_SPACE = re.compile(r"\S")
_FORMAT_NAMES = {"csv": "CSV", "tsv": "TSV", "json": "JSON", "ndjson": "NDJSON"}


@dataclass(frozen=True)
class Sheet:
    name: str  # the file name, for messages
    fmt: str  # csv | tsv | json | ndjson
    encoding: str
    header: list[str]
    # (row number, cells). Row numbers are what the user finds the row by: the spreadsheet
    # row for CSV/TSV (the header is row 1), the object's position for JSON, the line for NDJSON.
    rows: list[tuple[int, list[str | None]]]

    @property
    def described(self) -> str:
        return f"{_FORMAT_NAMES[self.fmt]}, {self.encoding}"


def read(data: bytes, name: str, encoding: str = "auto") -> Sheet:
    """Decode and parse `data` (the bytes of the file called `name`, `-` for stdin)."""
    text, used = decode(data, name, encoding)
    if not text or text.isspace():  # (no .strip(): that copies a 100k-row file)
        raise SalesflowError(_("{name} is empty — there is nothing to import").format(name=name))
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SalesflowError(
            _(
                "{name} line {line} has a NUL character — not text a "
                "spreadsheet saves; remove it (or save the file again as CSV "
                "UTF-8)"
            ).format(name=name, line=line)
        )
    fmt = _format(name, text)
    if fmt in ("json", "ndjson"):
        header, rows = _json_rows(text, name, fmt)
    elif fmt == "tsv" and used != "UTF-16":
        header, rows = _tsv_rows(text, name)
    else:  # CSV, and Excel's "Unicode text" (UTF-16 TSV), which quotes cells like CSV
        header, rows = _delimited_rows(text, name, fmt)
    if any(ch in text for ch in INVISIBLE):
        header = [_visible_only(h) for h in header]
        rows = [(n, [_trim_invisible(c) for c in cells]) for n, cells in rows]
    if len(header) > MAX_COLUMNS:
        raise SalesflowError(
            _(
                "{name} has {count:,} columns; salesflow reads at most "
                "{max_columns:,} — keep the columns you need (a contact list "
                "has a few dozen)"
            ).format(name=name, count=len(header), max_columns=MAX_COLUMNS)
        )
    if not rows:
        raise SalesflowError(
            _("{name} has a header but no rows — there is nothing to import").format(name=name)
        )
    return Sheet(name, fmt, used, header, rows)


def _visible_only(cell: str) -> str:
    return cell.translate({ord(ch): None for ch in INVISIBLE}).strip()


def _trim_invisible(cell: str | None) -> str | None:
    if cell is None:
        return None
    return cell.strip(INVISIBLE)


def decode(data: bytes, name: str, encoding: str = "auto") -> tuple[str, str]:
    """The text of `data` and the encoding it was read in."""
    if encoding not in ENCODINGS:
        raise SalesflowError(
            _('encoding "{encoding}" — use one of: {encodings}').format(
                encoding=encoding, encodings=", ".join(ENCODINGS)
            )
        )
    if encoding == "auto" and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", "UTF-16", name), "UTF-16"  # Excel's "Unicode text"
    if encoding in ("auto", "utf-8"):
        try:
            # utf-8-sig: the BOM that Excel writes is a marker, not part of the first header.
            return data.decode("utf-8-sig"), "UTF-8" + (
                " with BOM" if data.startswith(b"\xef\xbb\xbf") else ""
            )
        except UnicodeDecodeError as e:
            if encoding == "utf-8":
                raise _undecodable(data, e, name, "UTF-8") from None
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as e:
        label = "UTF-8 or GB18030" if encoding == "auto" else "GB18030"
        raise _undecodable(data, e, name, label) from None


def _decode(data: bytes, codec: str, label: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise _undecodable(data, e, name, label) from None


def _undecodable(data: bytes, e: UnicodeDecodeError, name: str, label: str) -> SalesflowError:
    line = data.count(b"\n", 0, e.start) + 1
    byte = data[e.start : e.start + 1].hex()
    return SalesflowError(
        _("cannot read {name} as {label} (byte 0x{byte} on line {line})").format(
            name=name, label=label, byte=byte, line=line
        ),
        hint=Hint("import.encoding"),
    )


def format_of(name: str) -> str | None:
    """The format a file name's extension says (csv, tsv, json, ndjson), if any."""
    dot = name.rfind(".")
    return _SUFFIXES.get(name[dot:].lower()) if dot > 0 else None


def _format(name: str, text: str) -> str:
    by_name = format_of(name)
    start = _NON_SPACE.search(text)
    first = text[start.start()] if start else ""
    if by_name in ("json", "ndjson") or (by_name is None and first in ("[", "{")):
        return by_name or ("json" if first == "[" else "ndjson")
    at = start.start() if start else 0
    end = text.find("\n", at)
    header = text[at : end if end >= 0 else len(text)]  # the first line with anything on it
    # Excel's "Unicode text" is tab-separated whatever the file is called.
    if by_name == "csv" and "," not in header and "\t" in header:
        return "tsv"
    if by_name == "tsv" and "\t" not in header and "," in header:
        return "csv"
    if by_name is None:
        return "tsv" if header.count("\t") > header.count(",") else "csv"
    return by_name


def _delimited_rows(text: str, name: str, fmt: str) -> tuple[list[str], list]:
    csv.field_size_limit(MAX_CELL)
    # strict: a quote still open at the end of the file, or text after a closing quote, is an
    # error instead of a cell that silently ran on.
    delimiter = "," if fmt == "csv" else "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str | None]]] = []
    header: list[str] | None = None
    try:
        numbered = enumerate(reader, 1)
        for __, cells in numbered:
            if any(c.strip() for c in cells):  # blank lines above the header are skipped
                header = [c.strip() for c in cells]
                _check_delimiter(header, name, fmt)
                if len(header) > MAX_COLUMNS:
                    return header, []  # read() refuses it; the rows need not be read
                header_lines = reader.line_num
                break
        else:
            header_lines = reader.line_num
        # One comprehension rather than a loop body: this runs once per row of a big file.
        rows = [(number, cells) for number, cells in numbered if any(cells)]
        if header and reader.line_num - header_lines > len(rows):
            _check_swallowed(text, name, fmt, len(header), rows)
    except csv.Error as e:
        if "field larger" in str(e):
            raise SalesflowError(
                _(
                    "{name} line {text}: a cell is longer than {max_cell:,} "
                    'characters (it starts on this line) — usually a quote (") '
                    "that is never closed; fix that row (nothing was imported)"
                ).format(name=name, text=_long_cell_line(text, fmt), max_cell=MAX_CELL)
            ) from None
        if "unexpected end of data" in str(e):
            raise SalesflowError(
                _(
                    '{name} line {text}: a quote (") opened on this line is '
                    "never closed, so the rest of the file would be one cell — "
                    "close or remove it (nothing was imported)"
                ).format(name=name, text=_last_record_line(text, fmt))
            ) from None
        raise SalesflowError(
            _("{name} line {line_num}: {e} — fix that row").format(
                name=name, line_num=reader.line_num, e=e
            )
        ) from None
    return header or [], rows


def _check_swallowed(text: str, name: str, fmt: str, columns: int, rows: list) -> None:
    """Refuse a quoted cell that runs over lines which look like whole records: a quote (")
    that is never closed swallows the rest of the file into one cell. Only called when some
    cell spans lines (the reader read more lines than rows)."""
    sep = "," if fmt == "csv" else "\t"
    need = max(1, columns - 1)
    for number, cells in rows:
        for cell in cells:
            if "\n" not in cell:
                continue
            inner = cell.rstrip("\r\n").split("\n")[1:]
            # Lines with exactly a record's separators; a note has them by chance only rarely,
            # and a two-column file's notes (one comma makes a "record") need more of them.
            swallowed = sum(1 for line in inner if line.count(sep) == need)
            if swallowed >= (2 if columns > 2 else 3):
                line = _record_line(text, fmt, number)
                raise SalesflowError(
                    _(
                        "{name} line {line}: a quoted cell opened on this line runs "
                        "over {value} lines and takes in what look like {swallowed} "
                        'more rows — a quote (") is never closed; close or remove it '
                        "(nothing was imported)"
                    ).format(name=name, line=line, value=len(inner) + 1, swallowed=swallowed)
                )


def _record_starts(text: str, fmt: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on, read leniently and without the cell limit:
    only used to say where a problem the strict reader met began."""
    csv.field_size_limit(len(text) + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="," if fmt == "csv" else "\t")
        start = 1
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    finally:
        csv.field_size_limit(MAX_CELL)


def _long_cell_line(text: str, fmt: str) -> int:
    """The line the record with the over-long cell starts on."""
    return next(
        (
            line
            for line, cells in _record_starts(text, fmt)
            if any(len(c) > MAX_CELL for c in cells)
        ),
        1,
    )


def _last_record_line(text: str, fmt: str) -> int:
    """The line the last record starts on (where a quote left open at the end began)."""
    last = 1
    for line, __ in _record_starts(text, fmt):
        last = line
    return last


def _record_line(text: str, fmt: str, number: int) -> int:
    """The line the `number`-th record (1 = the first) starts on."""
    for n, (line, __) in enumerate(_record_starts(text, fmt), 1):
        if n == number:
            return line
    return 1


_BACKSLASHED = re.compile(r"\\([\\tnr])")
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _tsv_rows(text: str, name: str) -> tuple[list[str], list]:
    """TSV as salesflow (and cut, awk, PostgreSQL) write it: one record per line, no quotes;
    a tab, line break or backslash inside a cell is written \\t \\n \\r \\\\."""
    rows: list[tuple[int, list[str | None]]] = []
    header: list[str] | None = None
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if len(line) > MAX_CELL and any(len(c) > MAX_CELL for c in line.split("\t")):
            raise SalesflowError(
                _(
                    "{name} line {number}: a cell is longer than {max_cell:,} "
                    "characters — shorten it; a lead's notes are not the place "
                    "for a document"
                ).format(name=name, number=number, max_cell=MAX_CELL)
            )
        cells = line.split("\t")
        if "\\" in line:
            cells = [_BACKSLASHED.sub(lambda m: _UNESCAPES[m[1]], c) for c in cells]
        if header is None:
            if any(c.strip() for c in cells):
                header = [c.strip() for c in cells]
                _check_delimiter(header, name, "tsv")
        elif any(cells):
            rows.append((number, cells))
    return header or [], rows


def _check_delimiter(header: list[str], name: str, fmt: str) -> None:
    if len(header) != 1:
        return
    for sep, what in ((";", "semicolons"), ("\t", "tabs"), (",", "commas"), ("|", "bars")):
        if sep in header[0]:
            want = "commas" if fmt == "csv" else "tabs"
            raise SalesflowError(
                _(
                    '{name}: the header is one column "{short}" — the file seems '
                    "separated by {what}, not {want}; save it as CSV (comma) or "
                    "TSV (tab)"
                ).format(name=name, short=_short(header[0]), what=what, want=want)
            )


def _json_rows(text: str, name: str, fmt: str) -> tuple[list[str], list]:
    """Rows of cells, each object turned into cells as soon as it is parsed and then let go:
    NDJSON is read a line at a time, a JSON array's objects are dropped as they are used."""
    rows: list[tuple[int, list[str | None]]] = []
    header: list[str] = []
    seen: dict[str, int] = {}
    nul = "\\u0000" in text  # JSON can spell the one character SQLite text cannot hold
    number = 0
    try:
        if fmt == "json":
            data = json.loads(text)
            if not isinstance(data, list):
                raise SalesflowError(
                    _(
                        "{name}: JSON must be an array of objects, one per row — "
                        'e.g. [{{"name": "张伟", "company": "…"}}]'
                    ).format(name=name)
                )
            for i in range(len(data)):
                obj, data[i] = data[i], None
                _add_row(rows, header, seen, obj, i + 1, name, nul)
                if len(header) > MAX_COLUMNS:
                    return header, []  # read() refuses it
        else:
            # Lines end at \n only: JSON text may hold U+2028 and other line separators.
            for number, line in enumerate(_lines(text), 1):
                if line.strip():
                    _add_row(rows, header, seen, json.loads(line), number, name, nul)
                    if len(header) > MAX_COLUMNS:
                        return header, []
    except json.JSONDecodeError as e:
        where = f"line {e.lineno}" if fmt == "json" else f"line {number}"
        raise SalesflowError(
            _("{name} is not valid {upper} ({where}: {msg})").format(
                name=name, upper=fmt.upper(), where=where, msg=e.msg
            )
        ) from None
    except RecursionError:
        raise SalesflowError(
            _(
                "{name} nests arrays or objects deeper than a row can be — "
                'each row is one object of values, e.g. {{"name": "张伟", '
                '"tags": ["vip"]}}'
            ).format(name=name)
        ) from None
    width = len(header)
    for __, cells in rows:  # keys that first appeared in later rows
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
    return header, rows


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, one at a time (no list of them all, no second copy of the text)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop
        yield text[start:stop]
        start = stop + 1


def _add_row(
    rows: list, header: list[str], seen: dict[str, int], obj: Any, number: int, name: str, nul: bool
) -> None:
    if not isinstance(obj, dict):
        raise SalesflowError(
            _(
                '{name} row {number} is not an object — each row must be {{"column": value, …}}'
            ).format(name=name, number=number)
        )
    for key in obj:
        if key not in seen:
            seen[key] = len(header)
            header.append(key)
    cells: list[str | None] = [None] * len(header)
    for key, value in obj.items():
        text = cells[seen[key]] = _text(value)
        if nul and text and "\x00" in text:
            raise SalesflowError(
                _("{name} row {number}: {key} has a NUL character (\\u0000) — remove it").format(
                    name=name, number=number, key=key
                )
            )
        if text is not None and len(text) > MAX_CELL:
            raise SalesflowError(
                _(
                    "{name} row {number}: {key} is longer than {max_cell:,} "
                    "characters — shorten it; a lead's notes are not the place "
                    "for a document"
                ).format(name=name, number=number, key=key, max_cell=MAX_CELL)
            )
    if any(cells):
        rows.append((number, cells))


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ",".join(str(v) for v in value)  # e.g. tags as ["vip", "hardware"]
    return json.dumps(value, ensure_ascii=False)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 40 else flat[:39] + "…"

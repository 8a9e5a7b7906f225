"""Reading a table someone else made: bytes in, a header and rows of text out.

CSV (RFC 4180), TSV (one record per line, backslash escapes, as `salesflow … --format tsv`
writes it), JSON (an array of objects) and NDJSON; UTF-8 (with or without BOM), UTF-16 with a
BOM and GB18030/GBK — what Excel on Chinese Windows saves — are told apart here, so the
importer only sees text cells. Anything that cannot be read is refused with what to do.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from salesflow import sheetrows
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _
from salesflow.sheetrows import MAX_CELL, MAX_COLUMNS, Reader, Row, Text

__all__ = ["ENCODINGS", "INVISIBLE", "MAX_CELL", "MAX_COLUMNS", "Rows", "Sheet", "decode",
           "format_of", "open_file", "read"]  # fmt: skip

# Invisible characters that cannot be meant where they are: the UTF-8 byte-order mark and the
# zero-width space/joiners/word joiner. Removed from header cells wherever they are, and from
# the start and end of every cell (inside a cell they are left alone: ZWJ joins emoji).
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
ENCODINGS = ("auto", "utf-8", "gb18030")
_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".ndjson": "ndjson",
             ".jsonl": "ndjson"}  # fmt: skip
_NON_SPACE = re.compile(r"\S")
_FORMAT_NAMES = {"csv": "CSV", "tsv": "TSV", "json": "JSON", "ndjson": "NDJSON"}
_CHUNK = 1 << 20  # bytes a file is checked in


class Rows:
    """A file's rows, read from it again each time they are iterated, never held: a sheet of
    any size takes the memory of one row. `expected`: how many there are."""

    def __init__(self, rows: Callable[[], Iterator[Row]], expected: int, invisible: bool) -> None:
        self._rows, self.expected, self._invisible = rows, expected, invisible

    def __iter__(self) -> Iterator[Row]:
        if self._invisible:
            return ((n, [_trim_invisible(c) for c in cells]) for n, cells in self._rows())
        return self._rows()


@dataclass(frozen=True)
class Sheet:
    name: str  # the file name, for messages
    fmt: str  # csv | tsv | json | ndjson
    encoding: str
    header: list[str]
    # (row number, cells). Row numbers are what the user finds the row by: the spreadsheet
    # row for CSV/TSV (the header is row 1), the object's position for JSON, the line for NDJSON.
    # A list (read()) or a file's Rows (open_file()).
    rows: list[Row] | Rows

    @property
    def described(self) -> str:
        return f"{_FORMAT_NAMES[self.fmt]}, {self.encoding}"

    @property
    def size(self) -> int:
        """How many rows (at most, for a file read as it is used)."""
        return self.rows.expected if isinstance(self.rows, Rows) else len(self.rows)


def read(data: bytes, name: str, encoding: str = "auto") -> Sheet:
    """Decode and parse `data` (the bytes of the file called `name`, `-` for stdin)."""
    text, used = decode(data, name, encoding)
    if not text or text.isspace():  # (no .strip(): that copies a 100k-row file)
        raise _empty(name)
    if "\x00" in text:
        raise _nul(name, text.count("\n", 0, text.index("\x00")) + 1)
    fmt = _format(name, text)
    invisible = any(ch in text for ch in INVISIBLE)
    header, rows, __ = _reader(Text(text), name, fmt, used)
    header = _checked_header(header, name, invisible)
    cells = list(Rows(rows, 0, invisible))
    if not cells:
        raise _no_rows(name)
    return Sheet(name, fmt, used, header, cells)


def open_file(path: Path, name: str, encoding: str = "auto") -> Sheet:
    """The sheet in the file at `path`, its rows read from the file as they are used.

    The file is read through first — its encoding, NUL characters, every record parsed and
    checked — so it is refused before anything is done, as read() refuses bytes in memory."""
    codec, used, invisible = _scan(path, name, encoding)
    text = Text(path=path, codec=codec)
    with text.lines("") as each:
        fmt = _format(name, _head(each))
    header, rows, count = _reader(text, name, fmt, used)
    header = _checked_header(header, name, invisible)
    if count is None:  # read through once: every problem is found before the import starts
        count = sum(1 for __ in rows())
    if not count:
        raise _no_rows(name)
    return Sheet(name, fmt, used, header, Rows(rows, count, invisible))


def _reader(text: Text, name: str, fmt: str, used: str) -> Reader:
    if fmt in ("json", "ndjson"):
        return sheetrows.json_rows(text, name, fmt)
    if fmt == "tsv" and used != "UTF-16":
        return sheetrows.tsv(text, name)
    # CSV, and Excel's "Unicode text" (UTF-16 TSV), which quotes cells like CSV
    return sheetrows.delimited(text, name, fmt)


def _checked_header(header: list[str], name: str, invisible: bool) -> list[str]:
    if invisible:
        header = [_visible_only(h) for h in header]
    if len(header) > MAX_COLUMNS:
        raise SalesflowError(
            _(
                "{name} has {count:,} columns; salesflow reads at most "
                "{max_columns:,} — keep the columns you need (a contact list "
                "has a few dozen)"
            ).format(name=name, count=len(header), max_columns=MAX_COLUMNS)
        )
    return header


def _empty(name: str) -> SalesflowError:
    return SalesflowError(_("{name} is empty — there is nothing to import").format(name=name))


def _nul(name: str, line: int) -> SalesflowError:
    return SalesflowError(
        _(
            "{name} line {line} has a NUL character — not text a "
            "spreadsheet saves; remove it (or save the file again as CSV "
            "UTF-8)"
        ).format(name=name, line=line)
    )


def _no_rows(name: str) -> SalesflowError:
    return SalesflowError(
        _("{name} has a header but no rows — there is nothing to import").format(name=name)
    )


def _visible_only(cell: str) -> str:
    return cell.translate({ord(ch): None for ch in INVISIBLE}).strip()


def _trim_invisible(cell: str | None) -> str | None:
    if cell is None:
        return None
    return cell.strip(INVISIBLE)


def decode(data: bytes, name: str, encoding: str = "auto") -> tuple[str, str]:
    """The text of `data` and the encoding it was read in."""
    _check_encoding(encoding)
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


def _check_encoding(encoding: str) -> None:
    if encoding not in ENCODINGS:
        raise SalesflowError(
            _('encoding "{encoding}" — use one of: {encodings}').format(
                encoding=encoding, encodings=", ".join(ENCODINGS)
            )
        )


def _scan(path: Path, name: str, encoding: str) -> tuple[str, str, bool]:
    """Check a file a chunk at a time as decode() and read() check bytes in memory: the codec
    to read it with, the encoding said, and whether it has invisible marks."""
    _check_encoding(encoding)
    with open(path, "rb") as f:
        start = f.read(3)
    try:
        if encoding == "auto" and start.startswith((b"\xff\xfe", b"\xfe\xff")):
            return ("utf-16", "UTF-16", *_scan_as(path, name, "utf-16", "UTF-16"))
        if encoding in ("auto", "utf-8"):
            said = "UTF-8" + (" with BOM" if start == b"\xef\xbb\xbf" else "")
            try:
                return ("utf-8-sig", said, *_scan_as(path, name, "utf-8-sig", "UTF-8"))
            except _Undecodable:
                if encoding == "utf-8":
                    raise
        label = "UTF-8 or GB18030" if encoding == "auto" else "GB18030"
        return ("gb18030", "GB18030", *_scan_as(path, name, "gb18030", label))
    except _Undecodable as e:
        raise e.error from None


class _Undecodable(Exception):
    def __init__(self, error: SalesflowError) -> None:
        self.error = error


def _scan_as(path: Path, name: str, codec: str, label: str) -> tuple[bool]:
    decoder = codecs.getincrementaldecoder(codec)()
    lines = newlines = 0  # text lines; \n bytes before the chunk (what decode() counts)
    invisible, blank = False, True
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as e:
                held = len(e.object) - len(chunk)  # bytes of the chunk before
                at = max(0, e.start - held)
                line = newlines + chunk.count(b"\n", 0, at) + 1
                byte = e.object[e.start : e.start + 1].hex()
                raise _Undecodable(_cannot_read(name, label, byte, line)) from None
            if "\x00" in text:
                raise _nul(name, lines + text.count("\n", 0, text.index("\x00")) + 1)
            blank = blank and text.isspace() if text else blank
            invisible = invisible or any(ch in text for ch in INVISIBLE)
            lines += text.count("\n")
            newlines += chunk.count(b"\n")
            if not chunk:
                break
    if blank:
        raise _empty(name)
    return (invisible,)


def _head(lines: Iterable[str]) -> str:
    """The text up to the end of its first line with anything on it."""
    head = []
    for line in lines:
        head.append(line)
        if not line.isspace():
            break
    return "".join(head)


def _decode(data: bytes, codec: str, label: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise _undecodable(data, e, name, label) from None


def _undecodable(data: bytes, e: UnicodeDecodeError, name: str, label: str) -> SalesflowError:
    line = data.count(b"\n", 0, e.start) + 1
    return _cannot_read(name, label, data[e.start : e.start + 1].hex(), line)


def _cannot_read(name: str, label: str, byte: str, line: int) -> SalesflowError:
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

"""The rows of a sheet's text, a record at a time: CSV, TSV, JSON arrays and NDJSON.

Every reader gets a `Text` it can read again from the start — a file opened anew, or a string
already in memory — so a big file's rows are read as they are used and never held, and a
problem found far into a file is traced back to the line it began on. A reader returns the
header and a function that reads the rows again each time it is called.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from salesflow.errors import SalesflowError
from salesflow.i18n import _

# A cell longer than this is almost always a quote (") that was never closed, which swallows
# the rest of the file into one cell; refusing it beats importing one giant note.
MAX_CELL = 128 * 1024
# More columns than any contact list has; beyond it a header is a broken or hostile file, and
# every unknown column would be copied into each lead's notes.
MAX_COLUMNS = 1000
_CHUNK = 1 << 20  # characters a JSON array is read in

Row = tuple[int, list[str | None]]
Reader = tuple[list[str], Callable[[], Iterator[Row]], int | None]  # header, rows, row count


class Text:
    """A sheet's text, readable again from its start: in memory, or a file and its codec."""

    def __init__(self, text: str | None = None, path: Path | None = None, codec: str = "") -> None:
        self.text, self.path, self.codec = text, path, codec

    def lines(self, newline: str) -> AbstractContextManager[Iterable[str]]:
        """The lines, each with its line break; `newline` as open() takes it ("" for CSV,
        "\\n" where only \\n ends a line)."""
        if self.text is None:
            return open(self.path, encoding=self.codec, newline=newline)  # type: ignore[arg-type]
        if newline == "":
            return nullcontext(io.StringIO(self.text, newline=""))
        return nullcontext(_lines(self.text))

    def reader(self) -> AbstractContextManager[Callable[[int], str]]:
        """read(n) over the text: a file a chunk at a time, a string all at once."""
        if self.text is None:
            return _file_reader(self.path, self.codec)  # type: ignore[arg-type]
        chunks = iter((self.text,))
        return nullcontext(lambda n: next(chunks, ""))


@contextmanager
def _file_reader(path: Path, codec: str) -> Iterator[Callable[[int], str]]:
    with open(path, encoding=codec, newline="") as f:
        yield f.read


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` ending at \\n only, one at a time (no list, no second copy)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def delimited(text: Text, name: str, fmt: str) -> Reader:
    """CSV (RFC 4180), and Excel's "Unicode text" (a UTF-16 TSV that quotes cells like CSV)."""
    csv.field_size_limit(MAX_CELL)
    # strict: a quote still open at the end of the file, or text after a closing quote, is an
    # error instead of a cell that silently ran on.
    delimiter = "," if fmt == "csv" else "\t"
    header: list[str] = []

    def records() -> Iterator[Any]:
        nonlocal header
        with text.lines("") as lines:
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            try:
                numbered = enumerate(reader, 1)
                for __, cells in numbered:
                    if any(c.strip() for c in cells):  # blank lines above the header: skipped
                        header = [c.strip() for c in cells]
                        break
                yield None
                last = reader.line_num
                for number, cells in numbered:
                    # A record over several lines may be a quote that was never closed.
                    if reader.line_num != last + 1 and any(cells):
                        _check_swallowed(text, name, fmt, len(header), number, cells)
                    last = reader.line_num
                    if any(cells):
                        yield number, cells
            except csv.Error as e:
                raise _csv_error(e, text, name, fmt, reader.line_num) from None

    first = records()
    next(first)
    first.close()
    _check_delimiter(header, name, fmt)

    def rows() -> Iterator[Row]:
        it = records()
        next(it)
        return it

    return header, rows, None


def _csv_error(e: csv.Error, text: Text, name: str, fmt: str, line: int) -> SalesflowError:
    if "field larger" in str(e):
        return SalesflowError(
            _(
                "{name} line {text}: a cell is longer than {max_cell:,} "
                'characters (it starts on this line) — usually a quote (") '
                "that is never closed; fix that row (nothing was imported)"
            ).format(name=name, text=_long_cell_line(text, fmt), max_cell=MAX_CELL)
        )
    if "unexpected end of data" in str(e):
        return SalesflowError(
            _(
                '{name} line {text}: a quote (") opened on this line is '
                "never closed, so the rest of the file would be one cell — "
                "close or remove it (nothing was imported)"
            ).format(name=name, text=_last_record_line(text, fmt))
        )
    return SalesflowError(
        _("{name} line {line_num}: {e} — fix that row").format(name=name, line_num=line, e=e)
    )


def _check_swallowed(
    text: Text, name: str, fmt: str, columns: int, number: int, cells: list[str]
) -> None:
    """Refuse a quoted cell that runs over lines which look like whole records: a quote (")
    that is never closed swallows the rest of the file into one cell."""
    sep = "," if fmt == "csv" else "\t"
    need = max(1, columns - 1)
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


def _record_starts(text: Text, fmt: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on, read leniently and without the cell limit:
    only used to say where a problem the strict reader met began."""
    csv.field_size_limit(1 << 62)
    try:
        with text.lines("") as lines:
            reader = csv.reader(lines, delimiter="," if fmt == "csv" else "\t")
            start = 1
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
    finally:
        csv.field_size_limit(MAX_CELL)


def _long_cell_line(text: Text, fmt: str) -> int:
    """The line the record with the over-long cell starts on."""
    return next(
        (
            line
            for line, cells in _record_starts(text, fmt)
            if any(len(c) > MAX_CELL for c in cells)
        ),
        1,
    )


def _last_record_line(text: Text, fmt: str) -> int:
    """The line the last record starts on (where a quote left open at the end began)."""
    last = 1
    for line, __ in _record_starts(text, fmt):
        last = line
    return last


def _record_line(text: Text, fmt: str, number: int) -> int:
    """The line the `number`-th record (1 = the first) starts on."""
    for n, (line, __) in enumerate(_record_starts(text, fmt), 1):
        if n == number:
            return line
    return 1


_BACKSLASHED = re.compile(r"\\([\\tnr])")
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def tsv(text: Text, name: str) -> Reader:
    """TSV as salesflow (and cut, awk, PostgreSQL) write it: one record per line, no quotes;
    a tab, line break or backslash inside a cell is written \\t \\n \\r \\\\."""
    header: list[str] = []

    def records() -> Iterator[Any]:
        nonlocal header
        with text.lines("\n") as lines:
            numbered = enumerate(lines, 1)
            for number, line in numbered:
                cells = _tsv_cells(line, name, number)
                if any(c.strip() for c in cells):
                    header = [c.strip() for c in cells]
                    break
            yield None
            for number, line in numbered:
                cells = _tsv_cells(line, name, number)
                if any(cells):
                    yield number, cells

    first = records()
    next(first)
    first.close()
    _check_delimiter(header, name, "tsv")

    def rows() -> Iterator[Row]:
        it = records()
        next(it)
        return it

    return header, rows, None


def _tsv_cells(line: str, name: str, number: int) -> list[str]:
    line = line.removesuffix("\n").removesuffix("\r")
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
    return cells


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


def json_rows(text: Text, name: str, fmt: str) -> Reader:
    """JSON (an array of objects) or NDJSON (an object a line). The header is every key of
    every object, so the text is read twice: once for the keys (and every check), then for
    the rows, each object turned into cells as soon as it is parsed and then let go."""
    header: list[str] = []
    seen: dict[str, int] = {}
    count = 0
    for number, obj in _objects(text, name, fmt):
        if type(obj) is not dict:
            raise SalesflowError(
                _(
                    '{name} row {number} is not an object — each row must be {{"column": value, …}}'
                ).format(name=name, number=number)
            )
        if not seen.keys() >= obj.keys():
            for key in obj:
                if key not in seen:
                    seen[key] = len(header)
                    header.append(key)
            if len(header) > MAX_COLUMNS:
                return header, lambda: iter(()), 0  # the caller refuses it; rows need not be read
        cells = _cells(obj)
        count += any(cells)
        for key, cell in zip(obj, cells, strict=True):
            if cell and (len(cell) > MAX_CELL or "\x00" in cell):
                _check_value(cell, name, number, key)

    def rows() -> Iterator[Row]:
        width = len(header)
        for number, obj in _objects(text, name, fmt):
            if len(obj) == width and list(obj) == header:  # every key, in the header's order
                cells = _cells(obj)
            else:
                cells = [None] * width
                for key, cell in zip(obj, _cells(obj), strict=True):
                    cells[seen[key]] = cell
            if any(cells):
                yield number, cells

    return header, rows, count


def _cells(obj: dict[str, Any]) -> list[str | None]:
    return [v if v is None or type(v) is str else _text(v) for v in obj.values()]


def _check_value(text: str | None, name: str, number: int, key: str) -> None:
    if text is None:
        return
    if "\x00" in text:  # JSON can spell the one character SQLite text cannot hold
        raise SalesflowError(
            _("{name} row {number}: {key} has a NUL character (\\u0000) — remove it").format(
                name=name, number=number, key=key
            )
        )
    if len(text) > MAX_CELL:
        raise SalesflowError(
            _(
                "{name} row {number}: {key} is longer than {max_cell:,} "
                "characters — shorten it; a lead's notes are not the place "
                "for a document"
            ).format(name=name, number=number, key=key, max_cell=MAX_CELL)
        )


def _objects(text: Text, name: str, fmt: str) -> Iterator[tuple[int, Any]]:
    """(row number, parsed value): the object's position in a JSON array, the line of NDJSON."""
    number = 0
    try:
        if fmt == "json":
            with text.reader() as read:
                yield from _array(read, name)
            return
        # Lines end at \n only: JSON text may hold U+2028 and other line separators.
        with text.lines("\n") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    yield number, json.loads(line)
    except _BadJson as e:
        raise _not_valid(name, fmt, e.line, e.msg) from None
    except json.JSONDecodeError as e:
        raise _not_valid(name, fmt, e.lineno if fmt == "json" else number, e.msg) from None
    except RecursionError:
        raise SalesflowError(
            _(
                "{name} nests arrays or objects deeper than a row can be — "
                'each row is one object of values, e.g. {{"name": "张伟", '
                '"tags": ["vip"]}}'
            ).format(name=name)
        ) from None


def _not_valid(name: str, fmt: str, line: int, msg: str) -> SalesflowError:
    return SalesflowError(
        _("{name} is not valid {upper} ({where}: {msg})").format(
            name=name, upper=fmt.upper(), where=f"line {line}", msg=msg
        )
    )


class _BadJson(Exception):
    def __init__(self, line: int, msg: str) -> None:
        self.line, self.msg = line, msg


_SPACE = re.compile(r"[ \t\n\r]*")


def _array(read: Callable[[int], str], name: str) -> Iterator[tuple[int, Any]]:
    """The values of a JSON array, parsed one at a time from text read a chunk at a time.
    Anything but an array is parsed whole, for json's own verdict on it."""
    text = _Buffer(read)
    if text.skip() != "[":
        data = json.loads(text.rest())
        if not isinstance(data, list):
            raise SalesflowError(
                _(
                    "{name}: JSON must be an array of objects, one per row — "
                    'e.g. [{{"name": "张伟", "company": "…"}}]'
                ).format(name=name)
            )
        yield from enumerate(data, 1)
        return
    text.pos += 1
    number = 0
    after = text.skip()
    while after != "]":
        if number:
            if after != ",":
                raise text.bad("Expecting ',' delimiter")
            text.pos += 1
            text.skip()
        number += 1
        yield number, text.value()
        after = text.skip()
    text.pos += 1
    if text.skip():
        raise text.bad("Extra data")


class _Buffer:
    """Text read a chunk at a time, with a position in it; what is parsed is let go."""

    def __init__(self, read: Callable[[int], str]) -> None:
        self.read, self.buf, self.pos, self.lines_before, self.eof = read, "", 0, 0, False
        self.decoder = json.JSONDecoder()

    def more(self) -> bool:
        if self.eof:
            return False
        got = self.read(max(_CHUNK, len(self.buf)))  # doubling: a long value is parsed rarely
        self.eof = not got
        if self.pos > _CHUNK:
            self.lines_before += self.buf.count("\n", 0, self.pos)
            self.buf, self.pos = self.buf[self.pos :], 0
        self.buf += got
        return bool(got)

    def skip(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def value(self) -> Any:
        while True:
            try:
                value, self.pos = self.decoder.raw_decode(self.buf, self.pos)
                return value
            except json.JSONDecodeError as e:
                if not self.more():  # else the value went on past what was read
                    raise _BadJson(self.lines_before + e.lineno, e.msg) from None

    def bad(self, msg: str) -> _BadJson:
        e = json.JSONDecodeError(msg, self.buf, self.pos)
        return _BadJson(self.lines_before + e.lineno, msg)

    def rest(self) -> str:
        while self.more():
            pass
        return self.buf


class JsonBool(str):
    """A JSON true/false as a cell: "yes"/"no" for whoever reads it as a yes/no answer, but
    still the JSON the file said (`given`) for a message that refuses it."""

    given: str

    def __new__(cls, text: str, given: str) -> JsonBool:
        cell = super().__new__(cls, text)
        cell.given = given
        return cell


_TRUE, _FALSE = JsonBool("yes", "true"), JsonBool("no", "false")


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ",".join(str(v) for v in value)  # e.g. tags as ["vip", "hardware"]
    return json.dumps(value, ensure_ascii=False)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 40 else flat[:39] + "…"

"""Tables laid out for the width they are shown at, so what a terminal shows is true.

A figure, date, stage, quote number or id (a column kept whole: `Column.no_wrap` or not
left-justified) is never cut, cropped or wrapped. Free text is shortened with `…` by display
cells (CJK counts two, never split). When the table is still too wide, its optional columns
(`Column.hide`: 1 goes first) are hidden and one dim line under it says which; when even the
essential columns do not fit, each record becomes a card of `label: value` lines.

A pipe gets every column at its natural width (no width limit, nothing shortened), with the
trailing spaces of every line trimmed. One writer for both paths: colour is SGR codes added
to the same cells, so the terminal path imports no Rich either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence, Set
from typing import TYPE_CHECKING, Any

from salesflow.i18n import _, labelled, ngettext
from salesflow.output import plain
from salesflow.output.safe import visible

if TYPE_CHECKING:
    from salesflow.output import Column
    from salesflow.output.terminal import Terminal

GAP = "   "  # between columns: one space of padding each side of a blank border
MIN_TEXT = 8  # free text never narrower than this (nor than its header): "深圳某…"
COMFORT = 16  # free text this wide on a wide terminal before optional columns give way

_BREAKS = {ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}
_SGR = {
    "bold": "1", "dim": "2", "italic": "3", "underline": "4", "red": "31", "green": "32",
    "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36",
}  # fmt: skip


def cells(text: str) -> int:
    """Terminal cells `text` takes: CJK and other wide characters two, combining marks none."""
    known = plain.width(text)
    if known is not None:
        return known
    import unicodedata

    n = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def flat(text: str) -> str:
    """One line of visible text: a line break or tab in a cell becomes a space, any other
    control character its escape (`\\x1b`, output/safe.py), so a cell can neither break the
    grid nor drive the terminal."""
    if text.isprintable():
        return text
    return visible(text.translate(_BREAKS))


def shorten(text: str, room: int) -> str:
    """`text` in at most `room` cells: cut at a character, `…` in the last cell."""
    if cells(text) <= room:
        return text
    return prefix(text, room - 1).rstrip() + "…"


def wrap(text: str, width: int, keep: Sequence[str] = ()) -> list[str]:
    """Greedy word wrap by cells, keeping the line's indent; Chinese breaks between any two
    characters (never before a closing mark such as ，or after an opening one such as （, nor
    between a number and the unit after it: "7 列"), a word wider than the line is broken (a
    path, a URL). Each of `keep` (a column name: 下一步) is not broken inside where it fits,
    nor is a phone number written in groups (`+86 139 8855 8674`): like a figure, it is read
    whole."""
    if cells(text) <= width:
        return [text]
    indent = text[: len(text) - len(text.lstrip(" "))]
    if len(indent) > width // 2:
        indent = ""
    lines: list[str] = []
    line = ""
    for word, spaced in _pieces(text, _glued(text, keep, width)):
        candidate = (f"{line} {word}" if spaced else line + word) if line else indent + word
        if cells(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = indent + word
        while cells(line) > width:
            head = prefix(line, width)
            lines.append(head)
            line = indent + line[len(head) :]
    if line:
        lines.append(line)
    return lines


def wrap_items(items: Sequence[str], width: int, sep: str = " ·") -> list[str]:
    """`items` in a row `a · b · c`, wrapped to `width` between items where they fit (the
    separator ends a line, never starts one); an item wider than the line is wrapped itself."""
    lines: list[str] = []
    line = ""
    for n, item in enumerate(items):
        item += sep if n < len(items) - 1 else ""
        candidate = f"{line} {item}" if line else item
        if cells(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        *full, line = wrap(item, width)
        lines += full
    return [*lines, line] if line else lines


# Digit groups a single space (or a hyphen, brackets) apart: +86 139 8855 8674, (021) 6234-5678.
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d()\-]*\d\)?(?: \(?\d[\d()\-]*\d\)?)+(?!\w)")

# Marks a line must not start with (they close what precedes) or end with (they open).
_NO_START = frozenset("，。、：；！？）」』》〉】”’…,.;:!?)]}%")
_NO_END = frozenset("（「『《〈【“‘([{")


def _glued(text: str, keep: Sequence[str], width: int) -> set[int]:
    """Indexes of `text` a line must not break before: inside a kept name, and a wide
    character (a unit: 列, 天, 元) after a number, with or without a space between."""
    glued = set()
    for m in _PHONE.finditer(text):
        if 7 <= sum(c.isdigit() for c in m.group()) <= 15 and cells(m.group()) <= width:
            glued.update(range(m.start() + 1, m.end()))
    for name in keep:
        if not name or cells(name) > width // 2:
            continue
        start = text.find(name)
        while start >= 0:
            glued.update(range(start + 1, start + len(name)))
            start = text.find(name, start + len(name))
    for n, ch in enumerate(text):
        if not n or not _wide(ch):
            continue
        space = text[n - 1] == " "
        if text[n - 1 - space : n - space].isdigit():
            glued.update((n - 1, n) if space else (n,))
    return glued


def _pieces(text: str, glued: Set[int] = frozenset()) -> list[tuple[str, bool]]:
    """`text` cut where a line may break: (piece, whether a space came before it). Spaces
    separate words; a wide (CJK) character is a piece of its own, closing marks kept with
    what precedes and opening marks with what follows; no cut before an index in `glued`."""
    out: list[tuple[str, bool]] = []
    piece, spaced = "", False
    for n, ch in enumerate(text):
        if n in glued and piece:
            piece += ch
            continue
        if ch.isspace():
            if piece:
                out.append((piece, spaced))
                piece = ""
            spaced = True
            continue
        breaks = piece and ch not in _NO_START and piece[-1] not in _NO_END
        if breaks and (_wide(ch) or _wide(piece[-1])):
            out.append((piece, spaced))
            piece, spaced = "", False
        piece += ch
    if piece:
        out.append((piece, spaced))
    return out


def _wide(ch: str) -> bool:
    return ch >= "\u2e80" and cells(ch) == 2


def prefix(text: str, room: int) -> str:
    """The longest start of `text` that takes at most `room` cells."""
    used = 0
    for n, ch in enumerate(text):
        used += cells(ch)
        if used > room:
            return text[:n]
    return text


def styled(text: str, style: str | None, color: bool) -> str:
    text = visible(text)  # the codes around it are ours; any in it are shown
    if not color or not style or not text:
        return text
    codes = ";".join(_SGR[s] for s in style.split() if s in _SGR)
    return f"\x1b[{codes}m{text}\x1b[0m" if codes else text


def join_styles(*styles: str | None) -> str | None:
    joined = " ".join(s for s in styles if s)
    return joined or None


# ---- planning ------------------------------------------------------------------------


def whole(column: Column) -> bool:
    return column.no_wrap or column.justify != "left"


def _floor(natural: int, header: int, floor: int) -> int:
    return min(natural, max(header, floor))


def plan(
    columns: Sequence[Column], natural: list[int], headers: list[int], width: int
) -> tuple[list[int], list[int], list[int]] | None:
    """(shown column indexes, their widths, hidden column indexes) for a table `width` cells
    wide, or None when even the essential columns cannot be shown: cards instead."""
    keep = [whole(c) for c in columns]
    optional = sorted((i for i, c in enumerate(columns) if c.hide), key=lambda i: columns[i].hide)
    shown = list(range(len(columns)))

    def base(floor: int, essential: int | None = None) -> list[int]:
        return [
            natural[i]
            if keep[i]
            else _floor(natural[i], headers[i], floor if columns[i].hide else essential or floor)
            for i in shown
        ]

    def need(widths: list[int]) -> int:
        return sum(widths) + len(GAP) * (len(widths) - 1) + 2

    # On a narrow terminal an optional column gives way only when the text columns could not
    # all keep MIN_TEXT beside it: "Oakport S…" says more than no company. A wide one keeps
    # text roomier (names whole) rather than squeezing every column in.
    comfort = max(MIN_TEXT, min(COMFORT, width // 8))
    while need(base(comfort)) > width and optional:
        shown.remove(optional.pop(0))
    # An essential text column (what a row is: a product) keeps COMFORT before an optional
    # figure stays: "CNS-D Co…" names no product, and a share beside it helps nobody.
    figures = [i for i in optional if keep[i]]
    while need(base(comfort, COMFORT)) > width and figures:
        gone = figures.pop(0)
        shown.remove(gone)
        optional.remove(gone)
    widths = base(comfort)
    if need(widths) > width:
        widths = base(MIN_TEXT)
    spare = width - need(widths)
    if spare < 0:
        return None
    # Give the room left to the shortened text columns, a cell at a time to the one that
    # lost the largest share of its natural width, essential ones (a name) before optional.
    while spare:
        short = [
            (bool(columns[i].hide), widths[n] / natural[i], n)
            for n, i in enumerate(shown)
            if widths[n] < natural[i]
        ]
        if not short:
            break
        widths[min(short)[2]] += 1
        spare -= 1
    hidden = [i for i in range(len(columns)) if i not in shown]
    return shown, widths, hidden


# ---- drawing ---------------------------------------------------------------------------


def table(
    columns: Sequence[Column],
    rows: list[dict[str, Any]],
    term: Terminal,
    *,
    title: str | None = None,
    row_style: Callable[[dict[str, Any]], str | None] | None = None,
) -> None:
    """Write rows as a table (or cards) laid out for the terminal."""
    grid = [[flat(c.cell(row)) for c in columns] for row in rows]
    # Headers are declared with N_() before the language is known; shown, they are translated.
    headers = [_(c.header) if c.header else "" for c in columns]
    header_w = [cells(h) for h in headers]
    natural = list(header_w)
    sizes = []
    for values in grid:
        measured = [cells(v) for v in values]
        sizes.append(measured)
        natural = [max(a, b) for a, b in zip(natural, measured, strict=True)]
    # A column nothing is written in (not even its header) takes no room; laid out for a
    # width, nor does one empty in every row (no one is late among today's follow-ups): its
    # room goes to the text beside it.
    width = term.width if term.fit else None
    filled = [any(measured[i] for measured in sizes) for i in range(len(columns))]
    used = [i for i, w in enumerate(natural) if w and (filled[i] or width is None or not rows)]
    columns = [columns[i] for i in used]
    headers, header_w, natural = (
        [headers[i] for i in used],
        [header_w[i] for i in used],
        [natural[i] for i in used],
    )
    grid = [[values[i] for i in used] for values in grid]
    sizes = [[measured[i] for i in used] for measured in sizes]
    styles = [row_style(row) if row_style else None for row in rows]
    if width is None:
        laid = (list(range(len(columns))), natural, [])
    else:
        laid = plan(columns, natural, header_w, width)
    lines: list[str] = []
    color = term.color
    for line in wrap(title, width) if title and width else [title] if title else []:
        lines.append(styled(line, "italic", color))
    if laid is None:
        lines += _cards(columns, headers, grid, styles, width or 0, color)
    else:
        shown, widths, hidden = laid
        lines += _grid(columns, headers, header_w, grid, sizes, styles, shown, widths, color)
        if hidden:
            names = [headers[i] for i in hidden]
            note = hidden_note(names)
            lines += [styled(x, "dim", color) for x in wrap(note, width or len(note), names)]
        lines.append("")
    term.out.write("\n".join(line.rstrip(" ") if not color else line for line in lines) + "\n")


def hidden_note(names: list[str]) -> str:
    """The dim line under a table that hid columns: which ones, and how to see them."""
    n = len(names)
    return ngettext(
        "{n} column hidden at this width: {names} — widen the terminal or use --format csv",
        "{n} columns hidden at this width: {names} — widen the terminal or use --format csv",
        n,
    ).format(n=n, names=series(names))


def series(names: list[str]) -> str:
    """Names one after another: `Source, Tags` (Chinese: `来源、标签`)."""
    # TRANSLATORS: the separator between the items of a list of names.
    return _(", ").join(names)


def _grid(
    columns: Sequence[Column], headers: list[str], header_w: list[int], grid: list[list[str]],
    sizes: list[list[int]], styles: list[str | None], shown: list[int], widths: list[int],
    color: bool,
) -> list[str]:  # fmt: skip
    def cell(text: str, size: int, room: int, column: Column, style: str | None) -> str:
        if size > room:
            text = shorten(text, room)
            size = cells(text)
        gap = " " * (room - size)
        text = styled(text, style, color)
        if column.justify == "right":
            return gap + text
        if column.justify == "center":
            left = len(gap) // 2
            return gap[:left] + text + gap[left:]
        return text + gap

    lines = []
    head = [
        cell(headers[i], header_w[i], room, columns[i], "bold")
        for i, room in zip(shown, widths, strict=True)
    ]
    lines.append(" " + GAP.join(head) + " ")
    total = sum(widths) + len(GAP) * (len(widths) - 1) + 2
    lines.append(" " + "─" * (total - 2) + " ")
    for values, measured, style in zip(grid, sizes, styles, strict=True):
        parts = [
            cell(values[i], measured[i], room, columns[i], join_styles(style, columns[i].style))
            for i, room in zip(shown, widths, strict=True)
        ]
        lines.append(" " + GAP.join(parts) + " ")
    return lines


def _cards(
    columns: Sequence[Column], headers: list[str], grid: list[list[str]],
    styles: list[str | None], width: int, color: bool,
) -> list[str]:  # fmt: skip
    # `Label:`, `标签：` with the full-width colon in Chinese.
    labels = [labelled(h or "", "").rstrip() for h in headers]
    label_w = max(cells(x) for x in labels)
    room = max(width - label_w - 1, MIN_TEXT)
    lines = [""]
    for values, style in zip(grid, styles, strict=True):
        for column, label, value in zip(columns, labels, values, strict=True):
            if not value:
                continue
            if not whole(column):
                value = shorten(value, room)
            pad = " " * (label_w - cells(label))
            text = styled(value, join_styles(style, column.style), color)
            lines.append(f"{styled(label, 'dim', color)}{pad} {text}")
        lines.append("")
    return lines

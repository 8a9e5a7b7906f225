"""User data on a terminal shows its control characters instead of obeying them.

A lead named `ST\\x1b]0;pwned\\x1b\\\\Name` would retitle the window, an OSC 8 sequence in a
company plant a disguised link, OSC 52 in a note write to the clipboard; a bidi override
reorders what follows it. On a terminal (tables, cards, messages, errors, progress) every such
character is shown as its escape instead: C0 controls, DEL and C1 controls as `\\x1b`,
`\\x7f`, `\\x9b`, the bidi embeddings/overrides/isolates (U+202A–U+202E, U+2066–U+2069) as
`\\u202e`. Newline and tab stay (a multi-line note is shown as lines; a table cell flattens
them itself, output/layout.py). Machine formats (csv, tsv, json, ndjson, ics) and documents go
to the raw stream with the exact bytes.

`visible()` is the one function — layout's cells, `styled()` and everything below call it;
`Visible` applies it to a stream, and `console_hooks` to what Rich prints, so a new view gets
it without asking.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

_KEEP = {0x09, 0x0A}
_TABLE: dict[int, str] = {c: f"\\x{c:02x}" for c in range(0x20) if c not in _KEEP}
_TABLE.update({c: f"\\x{c:02x}" for c in range(0x7F, 0xA0)})
_TABLE.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
# The colour codes salesflow itself writes (output/layout.py styled: bold, dim, italic,
# underline, six foreground colours, reset) pass a Visible stream; nothing else with an ESC
# does. None of them can hide, move or retitle anything.
_OURS = re.compile(r"(\x1b\[(?:(?:[0-4]|3[1-6]);)*(?:[0-4]|3[1-6])m)")


def visible(text: str) -> str:
    """`text` with every control character a terminal would act on shown as its escape."""
    return text.translate(_TABLE)


class Visible:
    """A text stream that writes `visible()` text to the stream it wraps, letting through
    only salesflow's own colour codes."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        if "\x1b" in text:
            parts = _OURS.split(text)  # odd items are our codes
            text = "".join(p if i % 2 else visible(p) for i, p in enumerate(parts))
        else:
            text = visible(text)
        return self.raw.write(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding …
        return getattr(self.raw, name)


def console_hooks(console: Console) -> None:
    """Make a Rich console show control characters in what it prints. Text given as `str`
    is made visible before layout (so widths are right); a hook over every renderable also
    catches `Text` objects a view built itself. Rich's own codes (colour, cursor) are
    separate segments and pass untouched."""
    from rich.console import RenderHook
    from rich.segment import Segment

    render_str = console.render_str

    def visible_str(text: str, **kwargs: Any) -> Any:
        return render_str(visible(text), **kwargs)

    console.render_str = visible_str  # type: ignore[method-assign]

    class Shown:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __rich_console__(self, con: Console, options: Any) -> Any:
            for seg in con.render(self.inner, options):
                if seg.control is None and seg.text != (text := visible(seg.text)):
                    yield Segment(text, seg.style)
                else:
                    yield seg

        def __rich_measure__(self, con: Console, options: Any) -> Any:
            from rich.measure import Measurement

            return Measurement.get(con, options, self.inner)

    class Hook(RenderHook):
        def process_renderables(self, renderables: list[Any]) -> list[Any]:
            return [Shown(r) for r in renderables]

    console.push_render_hook(Hook())

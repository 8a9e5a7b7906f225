"""The terminal as one object (streams, TTY, colour, width), so tests can fake it.

`out` and `err` show control characters in user data instead of obeying them (output/safe.py),
and so does every Rich console made here; machine formats write to `raw`, the exact bytes."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from salesflow.output.safe import Visible, console_hooks

if TYPE_CHECKING:
    from rich.console import Console


# Narrower than this, nothing is laid out any better: the layout assumes at least 40 columns.
MIN_WIDTH = 40


@dataclass
class Terminal:
    out: TextIO
    err: TextIO
    is_tty: bool
    color: bool
    width: int
    interactive: bool = False  # stdin is a terminal: a question can be asked
    # Lay tables and lines out for `width` (a terminal, or --width N); a pipe without --width
    # gets every cell whole at its natural width.
    fit: bool | None = None  # None: on a terminal
    _consoles: dict[bool, Console] = field(default_factory=dict, repr=False)
    raw: TextIO = field(init=False, repr=False)  # stdout as given: csv, tsv, json, ics, documents

    def __post_init__(self) -> None:
        if self.fit is None:
            self.fit = self.is_tty
        self.raw = self.out
        self.out = Visible(self.out)  # type: ignore[assignment]
        self.err = Visible(self.err)  # type: ignore[assignment]

    @classmethod
    def detect(
        cls, out: TextIO | None = None, err: TextIO | None = None, width: int | None = None
    ) -> Terminal:
        """`width`: --width N, which lays output out for N columns even in a pipe."""
        out = out or sys.stdout
        err = err or sys.stderr
        is_tty = bool(getattr(out, "isatty", lambda: False)())
        color = is_tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        fit = is_tty or width is not None
        if width is None:
            # Piped tables are read by people too (mail, less): Rich-drawn cards get room.
            width = 160
            if is_tty:
                import shutil  # honours COLUMNS, then asks the terminal

                width = max(shutil.get_terminal_size((120, 24)).columns, MIN_WIDTH)
        interactive = bool(getattr(sys.stdin, "isatty", lambda: False)())
        return cls(
            out=out, err=err, is_tty=is_tty, color=color, width=width, interactive=interactive,
            fit=fit,
        )  # fmt: skip

    def console(self, stderr: bool = False) -> Console:
        if stderr not in self._consoles:
            from rich.console import Console

            class QuietConsole(Console):
                def on_broken_pipe(self) -> None:
                    # Rich would exit 1; a reader that left (`| head`) is not an error, so the
                    # command's error boundary gets to say so.
                    self.quiet = True
                    raise BrokenPipeError

            file = self.err.raw if stderr else self.raw  # type: ignore[attr-defined]
            console = QuietConsole(
                # Rich pads every cell; without colour (a pipe) those spaces end lines.
                file=file if self.color else Trimmed(file),
                force_terminal=self.color,
                no_color=not self.color,
                color_system="auto" if self.color else None,
                width=self.width,
                highlight=False,
                emoji=False,
                soft_wrap=False,
            )
            console_hooks(console)  # its own codes go out; user data's are shown
            self._consoles[stderr] = console
        return self._consoles[stderr]

    def progress_console(self) -> Console:
        """A console for a progress bar on stderr, which is a terminal here even when stdout
        is a file (`import leads big.csv > report.txt`): colour follows NO_COLOR alone."""
        from rich.console import Console

        console = Console(
            file=self.err.raw,  # type: ignore[attr-defined]
            force_terminal=True,
            no_color="NO_COLOR" in os.environ,
        )
        console_hooks(console)
        return console

    def line(self, text: str = "", style: str | None = None) -> None:
        """One line of text (wrapped at the width on a terminal or with --width), in `style`
        when there is colour; control characters in it are shown, not obeyed."""
        from salesflow.output import layout

        text = layout.flat(text)
        lines = layout.wrap(text, self.width) if self.fit else [text]
        for one in lines:
            self.out.write(layout.styled(one.rstrip(" "), style, self.color) + "\n")

    def confirm(self, question: str) -> bool | None:
        """Ask on stderr; None when nobody is there to answer (stdin is not a terminal)."""
        if not self.interactive:
            return None
        from salesflow.i18n import _
        from salesflow.output import layout

        asked = layout.flat(f"{question} {_('[y/N]')}")
        width = self.width if self.fit else None
        if width is None and getattr(self.err, "isatty", lambda: False)():
            import shutil

            width = max(shutil.get_terminal_size((120, 24)).columns, MIN_WIDTH)
        # Wrapped between words here: the terminal would break a line inside a lead's number
        # or an amount. One cell is left for the cursor after the question.
        lines = layout.wrap(asked, width - 1) if width else [asked]
        self.err.write("\n".join(line.rstrip(" ") for line in lines) + " ")
        self.err.flush()
        # y/yes in every language; 是 (also full-width ｙ from a Chinese input method) too.
        return sys.stdin.readline().strip().lower() in ("y", "yes", "ｙ", "是", "是的")

    def say(self, message: str) -> None:
        """A one-line confirmation for the user, on stderr so stdout stays pipeable."""
        print(message, file=self.err)


class Trimmed:
    """A text stream that drops the spaces at the end of each line written through it: a
    space is held back until something other than a line break follows it."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw
        self.held = ""

    def write(self, text: str) -> int:
        lines = (self.held + text).split("\n")
        last = lines.pop()
        body = "".join(line.rstrip(" ") + "\n" for line in lines)
        kept = last.rstrip(" ")
        self.held = last[len(kept) :]
        self.raw.write(body + kept)
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding …
        return getattr(self.raw, name)

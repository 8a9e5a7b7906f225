"""The terminal as one object (streams, TTY, colour, width), so tests can fake it."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class Terminal:
    out: TextIO
    err: TextIO
    is_tty: bool
    color: bool
    width: int
    interactive: bool = False  # stdin is a terminal: a question can be asked
    _consoles: dict[bool, Console] = field(default_factory=dict, repr=False)

    @classmethod
    def detect(cls, out: TextIO | None = None, err: TextIO | None = None) -> Terminal:
        out = out or sys.stdout
        err = err or sys.stderr
        is_tty = bool(getattr(out, "isatty", lambda: False)())
        color = is_tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        # Piped tables are read by people too (mail, less): wide enough not to truncate.
        width = 160
        if is_tty:
            import shutil

            width = shutil.get_terminal_size((120, 24)).columns
        interactive = bool(getattr(sys.stdin, "isatty", lambda: False)())
        return cls(
            out=out, err=err, is_tty=is_tty, color=color, width=width, interactive=interactive
        )

    def console(self, stderr: bool = False) -> Console:
        if stderr not in self._consoles:
            from rich.console import Console

            class QuietConsole(Console):
                def on_broken_pipe(self) -> None:
                    # Rich would exit 1; a reader that left (`| head`) is not an error, so the
                    # command's error boundary gets to say so.
                    self.quiet = True
                    raise BrokenPipeError

            self._consoles[stderr] = QuietConsole(
                file=self.err if stderr else self.out,
                force_terminal=self.color,
                no_color=not self.color,
                color_system="auto" if self.color else None,
                width=self.width,
                highlight=False,
                emoji=False,
                soft_wrap=False,
            )
        return self._consoles[stderr]

    def line(self, text: str = "", style: str | None = None) -> None:
        """`console().print(text, style=style)`, written directly when there is no colour and
        the text is plain (output/plain.py): a piped listing need not import Rich."""
        if not self.color:
            from salesflow.output import plain

            written = plain.line(text, self.width)
            if written is not None:
                self.out.write(written)
                return
        self.console().print(text, style=style, markup=False)

    def confirm(self, question: str) -> bool | None:
        """Ask on stderr; None when nobody is there to answer (stdin is not a terminal)."""
        if not self.interactive:
            return None
        self.err.write(f"{question} [y/N] ")
        self.err.flush()
        return sys.stdin.readline().strip().lower() in ("y", "yes")

    def say(self, message: str) -> None:
        """A one-line confirmation for the user, on stderr so stdout stays pipeable."""
        print(message, file=self.err)

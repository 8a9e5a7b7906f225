"""The terminal as one object (streams, TTY, colour, width), so tests can fake it.

`out` and `err` show control characters in user data instead of obeying them (output/safe.py),
and so does every Rich console made here; machine formats write to `raw`, the exact bytes."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from salesflow.output.safe import Visible, console_hooks

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
    raw: TextIO = field(init=False, repr=False)  # stdout as given: csv, tsv, json, ics, documents

    def __post_init__(self) -> None:
        self.raw = self.out
        self.out = Visible(self.out)  # type: ignore[assignment]
        self.err = Visible(self.err)  # type: ignore[assignment]

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

            console = QuietConsole(
                file=self.err.raw if stderr else self.raw,  # type: ignore[attr-defined]
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

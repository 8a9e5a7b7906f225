"""The terminal as one object (streams, TTY, colour, width), so tests can fake it."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

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

    def __post_init__(self) -> None:
        if self.fit is None:
            self.fit = self.is_tty

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
        self.err.write(f"{question} [y/N] ")
        self.err.flush()
        return sys.stdin.readline().strip().lower() in ("y", "yes")

    def say(self, message: str) -> None:
        """A one-line confirmation for the user, on stderr so stdout stays pipeable."""
        print(message, file=self.err)

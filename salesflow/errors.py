"""The one error type the user sees: what was wrong, and as data what to do about it."""

from __future__ import annotations

from typing import Any


class Hint:
    """The way out of an error as data: an `action` name and the values it needs. The face
    that shows the error words it — the CLI as a command line (cli/hints.py) — so the domain
    never spells one face's syntax."""

    __slots__ = ("action", "values")

    def __init__(self, action: str, /, **values: Any) -> None:
        self.action = action
        self.values = values

    def __repr__(self) -> str:
        return f"Hint({self.action!r}, **{self.values!r})"


class SalesflowError(Exception):
    """A user-facing error. The CLI prints `Error: <message>` (worded with its hint) on stderr
    and exits `exit_code`."""

    exit_code = 1

    def __init__(
        self, message: str, *, exit_code: int | None = None, hint: Hint | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class NotFound(SalesflowError):
    """A lead, quote, follow-up … that does not exist."""


class Ambiguous(SalesflowError):
    """A reference that matches more than one record."""

"""The one error type the user sees: a message that says what was wrong and what to do."""

from __future__ import annotations


class SalesflowError(Exception):
    """A user-facing error. The CLI prints `Error: <message>` on stderr and exits `exit_code`."""

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class NotFound(SalesflowError):
    """A lead, quote, follow-up … that does not exist."""


class Ambiguous(SalesflowError):
    """A reference that matches more than one record."""

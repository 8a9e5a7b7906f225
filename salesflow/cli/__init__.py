"""The `salesflow` command: an ordinary invocation runs on the fast path (cli/fast.py), and
everything else — help, usage errors, unusual spellings — through the Typer tree (cli/root.py).

No Typer import here: it is slow to import, and most commands never need it."""

from __future__ import annotations

import os
import sys
from typing import Any

from salesflow.cli.commands import COMMANDS

__all__ = ["COMMANDS", "app", "main"]


def main() -> None:
    from salesflow.cli import fast, language

    language.settle(sys.argv[1:])
    _check_utf8(sys.argv[1:])
    # A shell asking for completions (_SALESFLOW_COMPLETE) always goes to Typer, which answers.
    if not fast.run(sys.argv[1:]):
        from salesflow.cli.root import app

        language.handing_over(sys.argv[1:])
        if "_SALESFLOW_COMPLETE" in os.environ:
            from typer._completion_classes import completion_init

            completion_init()  # Typer's bash/zsh/fish answerers (its own options are off)
        app(prog_name="salesflow")


def _check_utf8(args: list[str]) -> None:
    # Python hands bytes that are not UTF-8 over as lone surrogates (`lead add $'hi\x9b'`);
    # they cannot be stored or printed, so say which argument it is.
    for n, arg in enumerate(args, 1):
        bad = next((ch for ch in arg if "\udc80" <= ch <= "\udcff"), None)
        if bad is not None:
            from salesflow.output.safe import visible

            raw = arg.encode("utf-8", "surrogateescape")
            shown = visible(raw.decode("utf-8", "backslashreplace"))
            byte = ord(bad) - 0xDC00
            from salesflow.i18n import _

            message = _(
                'argument {n} ("{shown}") is not valid UTF-8 (byte 0x{byte:02x}) — '
                "type it again, or set your terminal to UTF-8; nothing was changed"
            )
            print(
                _("Error: {message}").format(message=message.format(n=n, shown=shown, byte=byte)),
                file=sys.stderr,
            )
            raise SystemExit(1)


def __getattr__(name: str) -> Any:
    # `from salesflow.cli import app` (tests, CliRunner) gets the Typer tree on demand.
    if name == "app":
        from salesflow.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

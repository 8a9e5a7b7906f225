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
    from salesflow.cli import fast

    # A shell asking for completions (_SALESFLOW_COMPLETE) always goes to Typer, which answers.
    if not fast.run(sys.argv[1:]):
        from salesflow.cli.root import app

        if "_SALESFLOW_COMPLETE" in os.environ:
            from typer._completion_classes import completion_init

            completion_init()  # Typer's bash/zsh/fish answerers (its own options are off)
        app(prog_name="salesflow")


def __getattr__(name: str) -> Any:
    # `from salesflow.cli import app` (tests, CliRunner) gets the Typer tree on demand.
    if name == "app":
        from salesflow.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

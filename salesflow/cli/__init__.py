"""The `salesflow` command: an ordinary invocation runs on the fast path (cli/fast.py), and
everything else — help, usage errors, unusual spellings — through the Typer tree (cli/root.py).

No Typer import here: it is slow to import, and most commands never need it."""

from __future__ import annotations

import sys
from typing import Any

from salesflow.cli.commands import COMMANDS

__all__ = ["COMMANDS", "app", "main"]


def main() -> None:
    from salesflow.cli import fast

    if not fast.run(sys.argv[1:]):
        from salesflow.cli.root import app

        app()


def __getattr__(name: str) -> Any:
    # `from salesflow.cli import app` (tests, CliRunner) gets the Typer tree on demand.
    if name == "app":
        from salesflow.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

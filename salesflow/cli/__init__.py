"""The root command: global options, the command tree and the error boundary.

Every failure the user can cause ends here as one `Error: …` line on stderr and exit 1
(usage errors: 2); a traceback only with SALESFLOW_DEBUG=1.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from salesflow import __version__
from salesflow.cli.session import Session
from salesflow.errors import SalesflowError

# Typer's usage errors (exit 2) must pass through the boundary; found by name because Typer
# 0.28 vendors Click while earlier versions import it.
_USAGE_ERRORS = tuple(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


# The command tree, loaded lazily: a command imports and builds only its own module, so adding
# commands does not slow every other one down. name -> "module:Typer instance".
COMMANDS: dict[str, str] = {
    "lead": "salesflow.cli.leads:app",
    "advance": "salesflow.cli.pipeline:advance_app",
    "stages": "salesflow.cli.pipeline:stages_app",
    "undo": "salesflow.cli.admin:undo_app",
    "db": "salesflow.cli.admin:db_app",
    "config": "salesflow.cli.admin:config_app",
    "log": "salesflow.cli.followups:log_app",
    "followup": "salesflow.cli.followups:app",
    "today": "salesflow.cli.followups:today_app",
    "customer": "salesflow.cli.customers:app",
    "quote": "salesflow.cli.quotes:app",
    "report": "salesflow.cli.reports:app",
    "target": "salesflow.cli.reports:target_app",
    "digest": "salesflow.cli.digest:app",
    "demo": "salesflow.cli.demo:app",
    "export": "salesflow.cli.data:export_app",
    "import": "salesflow.cli.data:import_app",
}


class SalesflowGroup(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands and name in COMMANDS:
            module, _, attr = COMMANDS[name].partition(":")
            command = typer.main.get_command(getattr(importlib.import_module(module), attr))
            command.name = name
            self.commands[name] = command
        return self.commands.get(name)

    def make_context(
        self, info_name: Any, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        argv = list(args)
        ctx = super().make_context(info_name, args, parent=parent, **extra)
        ctx.meta.setdefault("salesflow.argv", argv)
        return ctx

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SalesflowError as e:
            _fail(e.message, e.exit_code)
        except sqlite3.OperationalError as e:
            _fail(_database_message(e), 1)
        except OverflowError:
            # Only typed numbers get this large (`followup done 99999999999999999999`).
            _fail("a number given is larger than any record can have — check the number", 1)
        except BrokenPipeError:
            # `salesflow lead list | head`: the reader left; that is not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except _USAGE_ERRORS as e:
            if type(e).__name__ == "NoArgsIsHelpError":  # a bare group prints its help
                raise
            where = getattr(e, "ctx", None)
            hint = f" — see {where.command_path} --help" if where is not None else ""
            _fail(f"{e.format_message()}{hint}", e.exit_code)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as e:  # the last line of defence: no traceback for users
            if os.environ.get("SALESFLOW_DEBUG"):
                raise
            _fail(
                f"unexpected {type(e).__name__}: {e} — rerun with SALESFLOW_DEBUG=1 and report it",
                1,
            )


def _database_message(e: sqlite3.OperationalError) -> str:
    text = str(e)
    if "locked" in text or "busy" in text:
        return "the database is busy (another salesflow command is writing) — try again"
    if "full" in text:
        return "the disk is full — nothing was changed; free some space and try again"
    if "readonly" in text or "read-only" in text:
        return "the database file is read-only — check its permissions or pass another --db"
    return f"database error: {text}"


def _fail(message: str, code: int) -> None:
    if os.environ.get("SALESFLOW_DEBUG"):
        import traceback

        traceback.print_exc()
    print(f"Error: {message}", file=sys.stderr)
    raise typer.Exit(code)


app = typer.Typer(
    cls=SalesflowGroup,
    name="salesflow",
    help="A terminal CRM for people who sell alone. Data: one local SQLite file (see `db path`).",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"salesflow {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="Database file (else $SALESFLOW_DB, else the user data folder).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    ctx.obj = Session(db, ctx.meta.get("salesflow.argv", []))


def main() -> None:
    app()

"""The root command under Typer: global options, the lazy command tree and usage errors.

Ordinary invocations never get here (cli/fast.py runs them); this is the full tree for
help, usage errors and every case the fast path leaves to Typer."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from salesflow import __version__
from salesflow.cli.boundary import fail, guarded
from salesflow.cli.commands import COMMANDS, load
from salesflow.cli.examples import first_commands
from salesflow.cli.fast import WIDTHS, hoist_width
from salesflow.cli.language import settle_once
from salesflow.cli.session import Session
from salesflow.cli.typer_build import to_typer
from salesflow.cli.usage import SuggestingGroup, message

# Usage errors (exit 2), found by name because Typer 0.28 vendors Click while earlier versions
# import it.
_USAGE_ERRORS = tuple(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


class SalesflowGroup(SuggestingGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands and name in COMMANDS:
            command = typer.main.get_command(to_typer(load(name), name))
            command.name = name
            self.commands[name] = command
        return self.commands.get(name)

    def make_context(
        self, info_name: Any, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        argv = list(args)
        settle_once(argv)  # before parsing: the help texts and usage errors are built in it
        args = hoist_width(args)
        try:  # a typo among the root's own options (`salesflow --dbb x …`)
            ctx = super().make_context(info_name, args, parent=parent, **extra)
        except _USAGE_ERRORS as e:
            _usage_error(e)
        ctx.meta.setdefault("salesflow.argv", argv)
        return ctx

    def invoke(self, ctx: Any) -> Any:
        try:
            return guarded(lambda: super(SalesflowGroup, self).invoke(ctx))
        except _USAGE_ERRORS as e:
            _usage_error(e)


def _usage_error(e: Any) -> None:
    if type(e).__name__ == "NoArgsIsHelpError":  # a bare group prints its help
        raise e
    where = getattr(e, "ctx", None)
    hint = f" — see {where.command_path} --help" if where is not None else ""
    fail(f"{message(e)}{hint}", e.exit_code)


app = typer.Typer(
    cls=SalesflowGroup,
    name="salesflow",
    help="A terminal CRM for people who sell alone. Data: one local SQLite file (see `db path`)."
    + first_commands(),
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
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            metavar="N",
            min=WIDTHS.start,
            max=WIDTHS.stop - 1,
            help="Lay tables out for N columns (default: the terminal's width; a pipe gets "
            "every column whole). Also after the command: lead list --width 60.",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="zh_CN|en",
            help="Language: zh_CN (简体中文) or en (else config lang, else LANG).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    ctx.obj = Session(db, ctx.meta.get("salesflow.argv", []), width=width)

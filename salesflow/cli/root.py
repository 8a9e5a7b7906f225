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
from salesflow.cli.typer_text import install
from salesflow.cli.usage import SuggestingGroup, message
from salesflow.i18n import N_, _

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
        install()
        self.help = root_help()
        for param in self.params:  # built with the app, before the language was known
            param.help = _(param.help) if param.help else param.help
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
    if where is None:
        fail(message(e), e.exit_code)
    fail(
        _("{message} — see {command} --help").format(
            message=message(e), command=where.command_path
        ),
        e.exit_code,
    )


ROOT_HELP = N_(
    "A terminal CRM for people who sell alone. Data: one local SQLite file (see `db path`)."
)


def root_help() -> str:
    return _(ROOT_HELP) + first_commands()


app = typer.Typer(
    cls=SalesflowGroup,
    name="salesflow",
    help=ROOT_HELP,  # root_help() once the language is known
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
            help=N_("Database file (else $SALESFLOW_DB, else the user data folder)."),
        ),
    ] = None,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            metavar="N",
            min=WIDTHS.start,
            max=WIDTHS.stop - 1,
            help=N_(
                "Lay tables out for N columns (default: the terminal's width; a pipe gets "
                "every column whole). Also after the command: lead list --width 60."
            ),
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="zh_CN|en",
            help=N_("Language: zh_CN (简体中文) or en (else config lang, else LANG)."),
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=N_("Show the version.")),
    ] = False,
) -> None:
    ctx.obj = Session(db, ctx.meta.get("salesflow.argv", []), width=width)

"""`salesflow undo`, `salesflow db …` and `salesflow config …`."""

from __future__ import annotations

from typing import Annotated

import typer

from salesflow.cli.options import Format, FormatOpt
from salesflow.cli.session import Session

db_app = typer.Typer(help="The database file.", no_args_is_help=True, rich_markup_mode=None)
config_app = typer.Typer(
    help="Settings: currency, timezone, date_order, seller.* …",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def undo(ctx: typer.Context) -> None:
    """Take back the last command that changed something, whole."""
    from salesflow import store
    from salesflow.store import journal

    s: Session = ctx.obj
    with store.transaction(s.conn, write=True) as conn:
        undone = journal.undo_last(conn)
    if undone is None:
        s.term.say("Nothing to undo.")
    else:
        s.term.say(
            f"Undid: salesflow {undone.command}  ({undone.created_at}, {undone.rows} row change(s))"
        )


@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print where the database file is."""
    s: Session = ctx.obj
    print(s.path, file=s.term.out)


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Setting name, e.g. currency, timezone, seller.name.")],
    value: Annotated[str, typer.Argument(help="New value.")],
) -> None:
    """Change a setting."""
    from salesflow import config

    s: Session = ctx.obj
    with s.write() as conn:
        key, value = config.set_value(conn, key, value)
    s.term.say(f"{key} = {value}")


@config_app.command("get")
def config_get(ctx: typer.Context, key: Annotated[str, typer.Argument()]) -> None:
    """Print one setting's value (exit 1 when unset)."""
    from salesflow import store
    from salesflow.errors import SalesflowError

    s: Session = ctx.obj
    with s.read() as conn:
        value = store.get_setting(conn, key)
    if value is None:
        raise SalesflowError(f'setting "{key}" is not set — see salesflow config list')
    print(value, file=s.term.out)


@config_app.command("unset")
def config_unset(ctx: typer.Context, key: Annotated[str, typer.Argument()]) -> None:
    """Remove a setting (back to its default)."""
    from salesflow import config

    s: Session = ctx.obj
    with s.write() as conn:
        config.unset(conn, key)
    s.term.say(f"{key} unset")


@config_app.command("list")
def config_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """All settings that are set."""
    from salesflow import store
    from salesflow.output import render

    s: Session = ctx.obj
    with s.read() as conn:
        rows = [{"key": k, "value": v} for k, v in store.all_settings(conn).items()]
    render(rows, fmt.value, s.term, empty="No settings set; defaults apply.")

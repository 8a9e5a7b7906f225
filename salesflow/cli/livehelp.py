"""Help that names what this database is set up with: `log --help` lists the activity kinds,
those `config set activity_kinds` added (wechat …) included, with their Chinese names.

An option's help holds a placeholder such as `{activity_kinds}`; the Typer path fills it when
it prints the help, reading the setting without creating, migrating or locking the file."""

from __future__ import annotations

from typing import Any

ACTIVITY_KINDS = "{activity_kinds}"


def fill(command: Any, ctx: Any) -> None:
    """Put this database's values into `command`'s option help before it is printed."""
    for param in command.params:
        text = getattr(param, "help", None)
        if text and ACTIVITY_KINDS in text:
            param.help = text.replace(ACTIVITY_KINDS, activity_kinds(_setting(ctx)))


def activity_kinds(configured: str | None) -> str:
    """`call (电话), email (邮件), …, wechat (微信)`: the kinds `log --kind` takes."""
    from salesflow.activities import ALIASES, configured_kinds

    kinds = configured_kinds(configured)
    chinese: dict[str, str] = {}
    for name, kind in ALIASES.items():
        if not name.isascii():
            chinese.setdefault(kind, name)  # the first name is the everyday one
    return ", ".join(f"{k} ({chinese[k]})" if k in chinese else k for k in kinds)


def _setting(ctx: Any) -> str | None:
    from salesflow import store
    from salesflow.errors import SalesflowError

    root = ctx.find_root()
    try:
        path = store.resolve_path(root.params.get("db"))
    except SalesflowError:
        return None
    return store.peek_setting(path, "activity_kinds")

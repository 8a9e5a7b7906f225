"""Turns the declared command groups (cli/params.py) into Typer apps: the full command tree,
used for help, usage errors and anything the fast path leaves to Typer."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any

import typer

from salesflow import i18n
from salesflow.cli import params
from salesflow.i18n import N_, _


def to_typer(group: params.Group, name: str | None = None) -> typer.Typer:
    """The group as Typer's app; with the group's `name`, each command's help ends with its
    examples (cli/examples.py), after the options."""
    from salesflow.cli.examples import block
    from salesflow.cli.fast import command_name
    from salesflow.cli.usage import SuggestingCommand, SuggestingGroup

    app = typer.Typer(**{"cls": SuggestingGroup, **_helped(group.settings)})
    if group.callback_ is not None:
        callback = group.callback_
        app.callback(**_helped(callback.settings, callback.func))(typed(callback.func))
    for command in group.commands:
        settings = {"cls": SuggestingCommand, **_helped(command.settings, command.func)}
        if name is not None:
            line = name if len(group.commands) == 1 else f"{name} {command_name(command)}"
            settings["epilog"] = block(line)
        app.command(command.name, **settings)(typed(command.func))
    return app


def help_text(text: str) -> str:
    """A declared help text in the active language. A text built of blocks marked one by one
    (`report`'s help and its definitions; a `\\b` block keeps Click from rewrapping it) is
    translated block by block."""
    whole = _(text)
    if whole != text or _BLOCK not in text:
        return whole
    return _BLOCK.join(_(part) for part in text.split(_BLOCK))


_BLOCK = "\n\n\b\n"


def _helped(settings: dict[str, Any], func: Callable[..., Any] | None = None) -> dict[str, Any]:
    # A command's help is its `help=` or else its docstring (as Typer reads it: cleaned).
    text = settings.get("help") or (inspect.getdoc(func) if func is not None else None)
    if callable(text):  # a help built when shown (export lists its tables)
        return {**settings, "help": text()}
    return {**settings, "help": help_text(text)} if text else settings


def typed(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` as Typer must see it: our Option/Argument/Context records become Typer's.

    A wrapper carries the translated signature so the declared function itself is left as
    written (the fast path reads the same declarations)."""
    hints = typing.get_type_hints(func, include_extras=True)
    signature = inspect.signature(func)
    translated = [
        p.replace(annotation=_annotation(hints.get(p.name, p.annotation)))
        for p in signature.parameters.values()
    ]

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    command.__signature__ = signature.replace(parameters=translated)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in translated}
    return command


def _annotation(annotation: Any) -> Any:
    if annotation is params.Context:
        return typer.Context
    if typing.get_origin(annotation) is typing.Annotated:
        base, *extras = typing.get_args(annotation)
        return typing.Annotated[(base, *(_parameter(e, base) for e in extras))]
    return annotation


# Typer shows an option's value as its type's name (`--company <str>`); in another language
# the name is said in it (`<文本>`). English keeps Typer's own.
_TYPE_NAMES = {str: N_("<str>"), int: N_("<int>"), float: N_("<float>")}


def _metavar(base: Any) -> str | None:
    if i18n.active() == "en":
        return None
    members = [a for a in typing.get_args(base) if a is not type(None)] or [base]
    if typing.get_origin(members[0]) is list:
        members = list(typing.get_args(members[0]))
    name = _TYPE_NAMES.get(members[0]) if len(members) == 1 else None
    return _(name) if name else None


def _parameter(extra: Any, base: Any = None) -> Any:
    if isinstance(extra, params.Option):
        settings = dict(_helped(extra.settings))  # never the declaration's own dict
        if "metavar" not in settings and (metavar := _metavar(base)) is not None:
            settings["metavar"] = metavar
        return typer.Option(*extra.decls, **settings)
    if isinstance(extra, params.Argument):
        return typer.Argument(**_helped(extra.settings))
    return extra

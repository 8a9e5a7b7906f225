"""What Typer would call for a command line, to hold the fast path (cli/fast.py) to it."""

from __future__ import annotations

import functools
from typing import Any

from salesflow.cli import fast, params
from salesflow.cli.commands import load

_calls: list[tuple[Any, dict[str, Any]]] = []
_commands: dict[str, Any] = {}


def typer_call(argv: list[str]) -> tuple[Any, dict[str, Any]] | None:
    """The declared function and keyword arguments Typer passes it, or None if Typer refuses.

    Root options are skipped the fast path's way; the command's own arguments go through
    a recording copy of its group built by the real Typer translation (cli/typer_build.py)."""
    import typer

    try:
        _db, _width, rest = fast._root_options(fast.hoist_width(argv))
    except fast.Unplanned:
        return None
    if not rest:
        return None
    name = rest[0]
    if name not in _commands:
        from salesflow.cli.typer_build import to_typer

        _commands[name] = typer.main.get_command(to_typer(_recording(load(name))))
    _calls.clear()
    try:
        _commands[name].main(args=rest[1:], prog_name=name, standalone_mode=False)
    except Exception:
        return None
    if not _calls:
        return None
    func, kwargs = _calls[-1]
    return func, {k: v for k, v in kwargs.items() if not _is_context(v)}


def _is_context(value: Any) -> bool:
    return type(value).__name__ == "Context"


def _recording(group: params.Group) -> params.Group:
    copy = params.Group(dict(group.settings))
    if group.callback_ is not None:
        copy.callback_ = _record(group.callback_)
    copy.commands = [_record(r) for r in group.commands]
    return copy


def _record(registered: params.Registered) -> params.Registered:
    func = registered.func

    @functools.wraps(func)
    def recorder(*args: Any, **kwargs: Any) -> None:
        _calls.append((func, kwargs))

    return params.Registered(registered.name, recorder, registered.settings)


def check(argv: list[str]) -> None:
    """The fast path either declines `argv` or calls what Typer calls, with the same values."""
    planned = fast.plan(argv)
    if planned is None:
        return
    expected = typer_call(argv)
    assert expected is not None, f"fast path runs {argv} but Typer refuses it"
    func, kwargs = expected
    assert planned.func is func, (argv, planned.func, func)
    assert planned.kwargs == kwargs, (argv, planned.kwargs, kwargs)
    for key, value in kwargs.items():
        assert type(planned.kwargs[key]) is type(value), (argv, key, planned.kwargs[key], value)

"""How commands declare their parameters, without importing Typer.

Importing Typer costs as much as the rest of a `salesflow lead add`. Command modules therefore
declare their options with these light records; `cli/typer_build.py` turns them into Typer's
`Option`/`Argument` when the full Typer command tree is needed (help, usage errors, anything
unusual), and `cli/fast.py` reads the very same records to run ordinary invocations without
Typer. One declaration, two readers — a parity test keeps them in step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Option:
    """`typer.Option(*decls, **settings)`, recorded."""

    def __init__(self, *decls: str, **settings: Any) -> None:
        self.decls = decls
        self.settings = settings


class Argument:
    """`typer.Argument(**settings)`, recorded."""

    def __init__(self, **settings: Any) -> None:
        self.decls: tuple[str, ...] = ()
        self.settings = settings


class Context:
    """Annotation for a command's first parameter; Typer receives `typer.Context` in its place.

    The fast path passes an instance of this class: a command may use `.obj` (the Session),
    `.meta` and `.invoked_subcommand` — the parts of Click's context that need no Click."""

    def __init__(self, obj: Any, meta: dict[str, Any] | None = None) -> None:
        self.obj = obj
        self.meta = meta or {}
        self.invoked_subcommand: str | None = None


# Plain classes, not dataclasses: creating a dataclass is slow, and this is start-up.
class Registered:
    def __init__(self, name: str | None, func: Callable[..., Any], settings: dict[str, Any]):
        self.name = name
        self.func = func
        self.settings = settings


class Group:
    """A `typer.Typer` in waiting: the commands of one noun, with Typer's settings."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.commands: list[Registered] = []
        self.callback_: Registered | None = None

    def command(self, name: str | None = None, **settings: Any) -> Callable[..., Any]:
        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            self.commands.append(Registered(name, func, settings))
            return func

        return register

    def callback(self, **settings: Any) -> Callable[..., Any]:
        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            self.callback_ = Registered(None, func, settings)
            return func

        return register


def command_group(**settings: Any) -> Group:
    """A sub-command group with the house settings: plain help (rich help imports Rich) and no
    shell-completion options on every group (the lazy tree builds each group on its own)."""
    settings.setdefault("rich_markup_mode", None)
    settings.setdefault("add_completion", False)
    return Group(settings)


class Exit(Exception):  # named after typer.Exit, which it replaces in commands
    """End the command with this exit code (after its output), e.g. digest --fail-on-overdue."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.exit_code = code

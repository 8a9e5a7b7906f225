"""Ordinary invocations without Typer: the same declarations, read by a small parser.

Importing Typer takes longer than a `lead add` does in all. So `main()` first asks this
module for a plan: the command's function and its arguments, parsed from the declarations in
cli/params.py the way Typer would parse them. Only the plain shapes are handled — `--opt value`,
`--opt=value`, `-o value`, flags, positionals, `--` — and anything else (help, a typo, an unknown
option, a value that fails its type or range, an option value starting with "-") gets no plan,
so Typer runs the command and reports exactly as it always has. tests/fastparity.py checks
every command line the test suite runs (through the `run` fixture) against Typer's own parse;
tests/cli/test_fast.py holds the cases that must and must not be planned.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from enum import Enum
from types import NoneType, UnionType
from typing import Any

from salesflow.cli import params
from salesflow.i18n import normalize

# Settings that change nothing about parsing; any other setting leaves the command to Typer.
_HARMLESS = {
    "help", "metavar", "show_default", "case_sensitive", "min", "max", "rich_help_panel",
    "autocompletion",
}  # fmt: skip
_HELP = {"-h", "--help"}


class Param:  # plain classes: creating a dataclass is slow, and this is start-up
    def __init__(
        self, name: str, kind: type, default: Any, many: bool, settings: dict[str, Any],
        required: bool,
    ) -> None:  # fmt: skip
        self.name = name
        self.kind = kind  # str, int, bool, or an Enum subclass
        self.default = default
        self.many = many  # list[...]: a repeatable option, or an argument taking the rest
        self.settings = settings
        self.required = required
        self.names: dict[str, Any] = {}  # option spelling -> flag value (None: takes a value)


class Plan:
    def __init__(
        self, func: Callable[..., Any], context_name: str | None, kwargs: dict[str, Any],
        db: str | None, width: int | None = None,
    ) -> None:  # fmt: skip
        self.func = func
        self.context_name = context_name
        self.kwargs = kwargs
        self.db = db
        self.width = width


class Unplanned(Exception):  # not an error: Typer takes over
    pass


def plan(argv: list[str]) -> Plan | None:
    """What Typer would call for `salesflow <argv>`, or None to let Typer handle it."""
    try:
        return _plan(argv)
    except Unplanned:
        return None


def _plan(argv: list[str]) -> Plan:
    from salesflow.cli.commands import COMMANDS, load

    db, width, rest = _root_options(hoist_width(argv))
    if not rest or rest[0] not in COMMANDS:
        raise Unplanned
    registered, rest = _command(load(rest[0]), rest[1:])
    context_name, declared = _declared(registered.func)
    kwargs = _parse(declared, rest)
    return Plan(registered.func, context_name, kwargs, db, width)


_ROOT_VALUED = ("--db", "--width", "--lang")

# The root's --width, like Typer's IntRange(min=40, max=1000) in cli/root.py.
WIDTHS = range(40, 1001)


def hoist_width(argv: list[str]) -> list[str]:
    """`--width N` may follow the command (`lead list --width 60`): it moves to the front,
    where the root reads it — for the fast path and Typer alike. Not past a `--`."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--":
            rest += argv[i:]
            break
        if token == "--width":
            front += argv[i : i + 2]
            i += 2
            continue
        (front if token.startswith("--width=") else rest).append(token)
        i += 1
    return front + rest


def _root_options(argv: list[str]) -> tuple[str | None, int | None, list[str]]:
    db, width, i = None, None, 0
    while i < len(argv) and argv[i].startswith("-"):
        token = argv[i]
        name, equals, text = token.partition("=")
        if equals:
            i += 1
        elif name in _ROOT_VALUED and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            text, i = argv[i + 1], i + 2
        else:
            raise Unplanned
        if name == "--db":
            db = text
        elif name == "--lang":  # main() has settled the language (cli/language.py)
            if normalize(text) is None:
                raise Unplanned
        elif name == "--width" and text.isdigit() and int(text) in WIDTHS:
            width = int(text)
        else:
            raise Unplanned
    return db, width, argv[i:]


def _command(group: params.Group, rest: list[str]) -> tuple[params.Registered, list[str]]:
    if group.callback_ is not None:
        raise Unplanned
    if len(group.commands) == 1:  # Typer runs a one-command group as that command
        return group.commands[0], rest
    if rest:
        for registered in group.commands:
            if command_name(registered) == rest[0]:
                return registered, rest[1:]
    raise Unplanned


def command_name(registered: params.Registered) -> str:
    return registered.name or registered.func.__name__.lower().replace("_", "-")


def _declared(func: Callable[..., Any]) -> tuple[str | None, list[Param]]:
    hints = typing.get_type_hints(func, include_extras=True)
    context_name, declared = None, []
    for p in inspect.signature(func).parameters.values():
        annotation = hints.get(p.name)
        if annotation is params.Context:
            context_name = p.name
            continue
        if typing.get_origin(annotation) is not typing.Annotated:
            raise Unplanned
        base, *extras = typing.get_args(annotation)
        (decl,) = [e for e in extras if isinstance(e, params.Option | params.Argument)]
        if not set(decl.settings) <= _HARMLESS:
            raise Unplanned
        kind, many = _kind(base)
        default = None if p.default is inspect.Parameter.empty else p.default
        required = p.default is inspect.Parameter.empty
        param = Param(p.name, kind, default, many, settings=decl.settings, required=required)
        if isinstance(decl, params.Option):
            param.names = _spellings(decl.decls, kind)
            if not param.names:
                raise Unplanned
        declared.append(param)
    return context_name, declared


def _kind(annotation: Any) -> tuple[type, bool]:
    if isinstance(annotation, UnionType):
        members = [a for a in typing.get_args(annotation) if a is not NoneType]
        if len(members) != 1:
            raise Unplanned
        annotation = members[0]
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return _kind(item)[0], True
    if annotation in (str, int, bool) or (
        isinstance(annotation, type) and issubclass(annotation, Enum)
    ):
        return annotation, False
    raise Unplanned


def _spellings(decls: tuple[str, ...], kind: type) -> dict[str, Any]:
    names: dict[str, Any] = {}
    for decl in decls:
        if "/" in decl:  # "--open/--closed": a flag and its opposite
            if kind is not bool:
                raise Unplanned
            on, off = decl.split("/", 1)
            names[on.strip()] = True
            names[off.strip()] = False
        elif decl.startswith("-"):
            names[decl] = True if kind is bool else None
        else:
            raise Unplanned  # a name for the parameter, not a spelling: leave it to Typer
    return names


def _parse(declared: list[Param], tokens: list[str]) -> dict[str, Any]:
    options = {name: p for p in declared for name in p.names}
    arguments = [p for p in declared if not p.names]
    values: dict[str, Any] = {}
    positional: list[str] = []
    i, only_positional = 0, False
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if only_positional or token == "-" or not token.startswith("-"):
            positional.append(token)
            continue
        if token == "--":
            only_positional = True
            continue
        if token in _HELP:
            raise Unplanned
        name, equals, text = token.partition("=") if token.startswith("--") else (token, "", "")
        param = options.get(name)
        if param is None:
            raise Unplanned
        if param.kind is bool:
            if equals:
                raise Unplanned
            value: Any = param.names[name]
        else:
            if not equals:
                if i >= len(tokens) or tokens[i].startswith("-"):
                    raise Unplanned
                text, i = tokens[i], i + 1
            value = _convert(param, text)
        _store(values, param, value)
    _assign(arguments, positional, values)
    if any(p.required and p.name not in values for p in declared):
        raise Unplanned
    return {p.name: values.get(p.name, p.default) for p in declared}


def _store(values: dict[str, Any], param: Param, value: Any) -> None:
    if param.many:
        values.setdefault(param.name, []).append(value)
    elif param.name in values:
        raise Unplanned  # given twice: Typer's rule (the last wins) is not worth copying
    else:
        values[param.name] = value


def _assign(arguments: list[Param], positional: list[str], values: dict[str, Any]) -> None:
    for n, param in enumerate(arguments):
        if param.many:
            if n != len(arguments) - 1:
                raise Unplanned
            taken, positional = positional, []
            if taken:
                values[param.name] = [_convert(param, t) for t in taken]
        elif positional:
            values[param.name] = _convert(param, positional.pop(0))
    if positional:
        raise Unplanned


def _convert(param: Param, text: str) -> Any:
    if param.kind is str:
        return text
    if param.kind is int:
        try:
            number = int(text)
        except ValueError:
            raise Unplanned from None
        low, high = param.settings.get("min"), param.settings.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            raise Unplanned
        return number
    if issubclass(param.kind, Enum):
        sensitive = param.settings.get("case_sensitive", True)
        for member in param.kind:
            if text == member.value or (
                not sensitive and text.casefold() == member.value.casefold()
            ):
                return member
    raise Unplanned


def run(argv: list[str]) -> bool:
    """Run `salesflow <argv>` without Typer if it has a plan; False when Typer must."""
    found = plan(argv)
    if found is None:
        return False
    from salesflow.cli.boundary import guarded
    from salesflow.cli.session import Session

    def call() -> Any:
        session = Session(found.db, argv, width=found.width)
        kwargs = dict(found.kwargs)
        if found.context_name:
            kwargs[found.context_name] = params.Context(session, {"salesflow.argv": argv})
        return found.func(**kwargs)

    guarded(call)
    return True

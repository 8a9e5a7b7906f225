"""Usage errors as one line that says what to type instead: the nearest command or option,
or the one a user means by a common synonym (`lead delete` → `lead rm`, `version` →
`--version`), ending `— see salesflow … --help`. Only the Typer path (cli/root.py) gets here."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from salesflow.cli.commands import COMMANDS
from salesflow.cli.typer_text import HELP_OPTION, USAGE, cells, error_text, short_help
from salesflow.i18n import _
from salesflow.nearest import nearest

# Typer 0.28 vendors Click while earlier versions import it: found by name.
_USAGE_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

# What users type for a command that exists under another name: (group, word) -> command line.
_SYNONYMS = {
    ("", "help"): "--help",
    ("", "version"): "--version",
    ("", "delete"): "lead rm",
    ("", "remove"): "lead rm",
    ("", "leads"): "lead list",
    ("", "quotes"): "quote list",
    ("", "customers"): "customer list",
    ("", "followups"): "followup list",
    ("", "agenda"): "today",
    ("", "funnel"): "report funnel",
    ("", "summary"): "report summary",
    ("lead", "delete"): "lead rm",
    ("lead", "del"): "lead rm",
    ("lead", "remove"): "lead rm",
    ("lead", "ls"): "lead list",
    ("lead", "new"): "lead add",
    ("lead", "create"): "lead add",
    ("lead", "update"): "lead edit",
    ("quote", "ls"): "quote list",
    ("quote", "add"): "quote new",
    ("quote", "create"): "quote new",
    ("customer", "ls"): "customer list",
    ("followup", "ls"): "followup list",
}
_SEARCH_WORDS = {("", "search"), ("", "find"), ("lead", "find"), ("lead", "search")}
_OPTION_SYNONYMS = {"-V": "--version", "--ver": "--version", "-?": "--help"}


def _search() -> str:
    # `salesflow search` once it exists; until then the listing's own search.
    return "search" if "search" in COMMANDS else "lead list -q"


def suggest_command(path: list[str], word: str, names: list[str]) -> list[str]:
    """Command lines (after `salesflow`) to suggest for `word` typed under the group `path`."""
    group = " ".join(path)
    if (group, word) in _SEARCH_WORDS:
        return [_search()]
    if (group, word) in _SYNONYMS:
        return [_SYNONYMS[(group, word)]]
    if word in ("help", "--help"):
        return [f"{group} --help".strip()]
    close = nearest(word, names)
    return [f"{group} {name}".strip() for name in close]


def suggest_option(word: str, possibilities: list[str]) -> list[str]:
    name = word.partition("=")[0]
    if name in _OPTION_SYNONYMS:
        return [_OPTION_SYNONYMS[name]]
    return nearest(name, possibilities, cutoff=0.5) or sorted(possibilities)[:3]


def _either(names: list[str]) -> str:
    return _(" or ").join(names)


def _quoted(lines: list[str]) -> str:
    return _either([f"'salesflow {x}'" for x in lines])


def no_such_command(ctx: Any, word: str, names: list[str]) -> str:
    path = ctx.command_path.split()[1:]  # without "salesflow"
    message = _("No such command '{name}'.").format(name=word)
    found = suggest_command(path, word, names)
    if not found:
        return message
    return message + _(" Did you mean {names}?").format(names=_quoted(found))


# The root's options a command does not take: given after it, they are moved, not guessed at.
_GLOBAL_OPTIONS = ("--db", "--lang")


def _given(argv: list[str], name: str) -> list[str]:
    """The values the option `name` is given on the command line, in order."""
    values = []
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            values.append(argv[i + 1])
        elif arg.startswith(name + "="):
            values.append(arg[len(name) + 1 :])
    return values


def _moved_before(ctx: Any, name: str) -> str | None:
    """The command line with the global option `name` (and its value) before the command;
    when it is given there already, the sentence that says it is given twice."""
    import shlex

    argv = ctx.find_root().meta.get("salesflow.argv") if ctx is not None else None
    if not argv:
        return None
    if len(values := _given(argv, name)) > 1:
        return _(
            " {name} is given twice ({first} before the command, {second} after it): "
            "give it once, before the command"
        ).format(name=name, first=shlex.quote(values[0]), second=shlex.quote(values[-1]))
    moved: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] == name and i + 1 < len(argv):
            moved += argv[i : i + 2]
            i += 2
            continue
        (moved if argv[i].startswith(name + "=") else rest).append(argv[i])
        i += 1
    if not moved:
        return None
    return _(" Global options go before the command: {line}").format(
        line=shlex.join(["salesflow", *moved, *rest])
    )


def message(e: Any) -> str:
    """The one-line text of a usage error, with a suggestion where there is one."""
    if type(e).__name__ == "NoSuchOption":
        text = _("No such option: {name}.").format(name=e.option_name)
        name = e.option_name.partition("=")[0]
        if name in _GLOBAL_OPTIONS and (said := _moved_before(getattr(e, "ctx", None), name)):
            return text + said
        found = suggest_option(e.option_name, list(e.possibilities or []))
        return text + (_(" Did you mean {names}?").format(names=_either(found)) if found else "")
    return error_text(e.format_message())


class _Guides:
    # Click's help frame in the active language (see cli/typer_text.py).
    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), _(USAGE))

    def get_short_help_str(self, limit: int = 45) -> str:
        text = super().get_short_help_str(limit)  # type: ignore[misc]
        if self.help and not self.short_help and cells(self.help) != len(self.help):  # type: ignore[attr-defined]
            return short_help(self.help, limit)  # type: ignore[attr-defined]
        return text

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _(HELP_OPTION)
        return option

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except Exception as e:
            # The parser's own errors (`--limit` without its value) know no context: give
            # them this one, so the message can end with this command's --help.
            if getattr(e, "ctx", False) is None:
                e.ctx = ctx  # type: ignore[attr-defined]
            raise


class SuggestingGroup(_Guides, TyperGroup):
    """A command group whose unknown sub-command gets the nearest names and synonyms."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        word = args[0] if args else ""
        if word and not word.startswith("-") and self.get_command(ctx, word) is None:
            raise _USAGE_ERROR(no_such_command(ctx, word, self.list_commands(ctx)), ctx)
        return super().resolve_command(ctx, args)


class SuggestingCommand(_Guides, TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        from salesflow.cli.livehelp import fill

        fill(self, ctx)  # what this database is set up with (log --help: the activity kinds)
        super().format_help(ctx, formatter)

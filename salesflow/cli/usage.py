"""Usage errors as one line that says what to type instead: the nearest command or option,
or the one a user means by a common synonym (`lead delete` → `lead rm`, `version` →
`--version`), ending `— see salesflow … --help`. Only the Typer path (cli/root.py) gets here."""

from __future__ import annotations

import difflib
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from salesflow.cli.commands import COMMANDS

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
    close = difflib.get_close_matches(word, names, n=3, cutoff=0.6)
    return [f"{group} {name}".strip() for name in close]


def suggest_option(word: str, possibilities: list[str]) -> list[str]:
    name = word.partition("=")[0]
    if name in _OPTION_SYNONYMS:
        return [_OPTION_SYNONYMS[name]]
    return (
        difflib.get_close_matches(name, possibilities, n=3, cutoff=0.5) or sorted(possibilities)[:3]
    )


def _quoted(lines: list[str]) -> str:
    return " or ".join(f"'salesflow {x}'" for x in lines)


def no_such_command(ctx: Any, word: str, names: list[str]) -> str:
    path = ctx.command_path.split()[1:]  # without "salesflow"
    message = f"No such command '{word}'."
    found = suggest_command(path, word, names)
    return f"{message} Did you mean {_quoted(found)}?" if found else message


def message(e: Any) -> str:
    """The one-line text of a usage error, with a suggestion where there is one."""
    if type(e).__name__ == "NoSuchOption":
        found = suggest_option(e.option_name, list(e.possibilities or []))
        hint = f" Did you mean {' or '.join(found)}?" if found else ""
        return f"No such option: {e.option_name}.{hint}"
    return e.format_message()


class _Guides:
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

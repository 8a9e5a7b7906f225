"""Usage errors say what to type instead, in one line ending `— see … --help` (exit 2), and
an option means the same thing on every command."""

from __future__ import annotations

import typing

import pytest

from salesflow.cli import fast, params
from salesflow.cli.commands import COMMANDS, load


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["lead", "delete", "3"],
         "No such command 'delete'. Did you mean 'salesflow lead rm'? — see salesflow lead --help"),
        (["lead", "remove", "3"], "Did you mean 'salesflow lead rm'?"),
        (["lead", "find", "acme"], "Did you mean 'salesflow search'?"),
        (["lead", "search", "acme"], "Did you mean 'salesflow search'?"),
        (["help"], "No such command 'help'. Did you mean 'salesflow --help'?"),
        (["version"], "No such command 'version'. Did you mean 'salesflow --version'?"),
        (["-V"], "No such option: -V. Did you mean --version? — see salesflow --help"),
        (["leed", "list"], "No such command 'leed'. Did you mean 'salesflow lead'?"),
        (["quote", "lst"], "Did you mean 'salesflow quote list'? — see salesflow quote --help"),
        (["lead", "list", "--limt", "3"],
         "No such option: --limt. Did you mean --limit? — see salesflow lead list --help"),
        (["today", "--limt", "3"], "Did you mean --limit? — see salesflow today --help"),
        (["lead", "list", "--limit"],
         "Option '--limit' requires an argument. — see salesflow lead list --help"),
        # the root's own options after the command: where they go, not a guess
        (["lead", "list", "--db", "x.db"],
         "Error: No such option: --db. Global options go before the command: "
         "salesflow --db x.db lead list — see salesflow lead list --help"),
        (["report", "funnel", "--lang=zh_CN", "-f", "json"],
         "No such option: --lang. Global options go before the command: "
         "salesflow --lang=zh_CN report funnel -f json — see"),
        (["--lang", "zh_CN", "lead", "show", "1", "--db", "my sales.db"],
         "全局选项要放在命令前面：salesflow --db 'my sales.db' --lang zh_CN lead show 1"),
    ],
)  # fmt: skip
def test_unknown_commands_and_options_suggest_what_to_type(fails, argv, says) -> None:
    fails(*argv, code=2, match=says)


def test_search_points_to_the_search_command_once_there_is_one(monkeypatch) -> None:
    from salesflow.cli import usage

    assert usage.suggest_command(["lead"], "find", []) == ["search"]  # salesflow search exists
    assert usage.suggest_command([], "search", []) == ["search"]


def _declared_options() -> list[tuple[str, dict[str, tuple[str, ...]]]]:
    """(command line, {long option: its spellings}) for every command."""
    found = []
    for name in COMMANDS:
        group = load(name)
        for registered in group.commands:
            line = name if len(group.commands) == 1 else f"{name} {fast.command_name(registered)}"
            hints = typing.get_type_hints(registered.func, include_extras=True)
            spellings = {}
            for hint in hints.values():
                for extra in getattr(hint, "__metadata__", ()):
                    if isinstance(extra, params.Option):
                        spellings[extra.decls[0]] = extra.decls
            found.append((line, spellings))
    return found


def test_an_option_means_the_same_everywhere() -> None:
    short = {"--format": "-f", "--limit": "-n", "--output": "-o", "--search": "-q"}
    commands = _declared_options()
    assert len(commands) > 40
    for line, spellings in commands:
        for long, letter in short.items():
            if long in spellings:
                assert letter in spellings[long], (line, long, spellings[long])
    listings = [line for line, _ in commands if line.endswith(" list") or line == "today"]
    for line, spellings in commands:
        if line in listings and line != "config list":
            assert "--limit" in spellings, line


def test_quote_customer_and_target_lists_take_a_limit(ok, two_leads) -> None:
    import json

    ok("quote", "new", "1", "--item", "Gateway; 2; 980")
    ok("quote", "new", "2", "--item", "Setup; 1; 500")
    assert [
        q["number"] for q in json.loads(ok("quote", "list", "-n", "1", "-f", "json").stdout)
    ] == ["Q-2026-0001"]
    assert len(json.loads(ok("quote", "list", "--limit", "2", "-f", "json").stdout)) == 2
    ok("advance", "1", "won")
    ok("advance", "2", "won")
    assert len(json.loads(ok("customer", "list", "-n", "1", "-f", "json").stdout)) == 1
    ok("target", "set", "2026-11", "100k")
    ok("target", "set", "2026-12", "100k")
    assert [
        t["period"] for t in json.loads(ok("target", "list", "-n", "1", "-f", "json").stdout)
    ] == ["2026-11"]


def test_width_is_a_usage_error_below_40(empty_db, fails, ok) -> None:
    fails("lead", "list", "--width", "30", code=2, match="30 is not in the range 40<=x<=1000")
    fails("lead", "list", "--width", "x", code=2, match="Invalid value for '--width': 'x'")
    assert ok("lead", "list", "--width", "40").stdout.strip() == "No leads match."

"""Every command's --help ends with real examples, each a command line Typer accepts for that
very command; the root's help names the ten commands to start with."""

from __future__ import annotations

import shlex

import pytest

from salesflow.cli import fast
from salesflow.cli.commands import COMMANDS, load
from salesflow.cli.examples import EXAMPLES, FIRST_COMMANDS
from tests.fastparity import typer_call


def _commands() -> dict[str, object]:
    """Each command line ("lead add", "today") and its declared function."""
    found = {}
    for name in COMMANDS:
        group = load(name)
        for registered in group.commands:
            line = name if len(group.commands) == 1 else f"{name} {fast.command_name(registered)}"
            found[line] = registered.func
    return found


COMMAND_LINES = _commands()


def test_every_command_has_examples_and_only_commands_do() -> None:
    assert sorted(EXAMPLES) == sorted(COMMAND_LINES)
    assert all(1 <= len(examples) <= 3 for examples in EXAMPLES.values())


@pytest.mark.parametrize("line", sorted(COMMAND_LINES))
def test_each_example_parses_as_its_command(line: str) -> None:
    for example in EXAMPLES[line]:
        argv = shlex.split(example)
        assert argv[0] == "salesflow", example
        called = typer_call(argv[1:])
        assert called is not None, f"Typer refuses: {example}"
        assert called[0] is COMMAND_LINES[line], example


@pytest.mark.parametrize("line", ["lead add", "today", "quote render", "report funnel", "export"])
def test_help_ends_with_the_examples(ok, line: str) -> None:
    shown = ok(*line.split(), "--help").stdout.rstrip().splitlines()
    examples = EXAMPLES[line]
    assert shown[-len(examples) - 1].strip() == "Examples:"
    assert [x.strip() for x in shown[-len(examples) :]] == list(examples)


def test_every_help_has_examples(run) -> None:
    for line in COMMAND_LINES:
        result = run(*line.split(), "--help")
        assert result.exit_code == 0, line
        assert "\n  Examples:\n" in result.stdout, line


def test_root_help_lists_the_first_ten_commands(ok) -> None:
    shown = ok("--help").stdout
    assert len(FIRST_COMMANDS) == 10
    block = shown.split("First commands:\n", 1)[1].splitlines()[:10]
    assert [row.strip().split("  ")[0] for row in block] == [n for n, _ in FIRST_COMMANDS]
    assert all(name in COMMAND_LINES for name, _ in FIRST_COMMANDS)

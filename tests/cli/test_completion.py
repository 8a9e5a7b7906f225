"""Shell completion on a real database: commands, options, stage names, lead numbers and names,
quote numbers, config keys and --format values — through salesflow's own protocol and through
the scripts `salesflow completion bash|zsh` print, run by the real shells."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def filled(ok, two_leads, db_path: Path) -> Path:
    ok("lead", "add", "Mateo O'Brien", "--company", "Zürich Robotics Ltd")
    ok("quote", "new", "2", "--item", "Gateway; 2; 980")
    ok("config", "set", "fx.EUR", "7.8")
    return db_path


def _env(db: Path, **extra: str) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "SALESFLOW_DB": str(db), "PATH": f"{bin_dir}:{os.environ['PATH']}",
            **extra}  # fmt: skip


def complete_bash(db: Path, line: str) -> list[str]:
    """What salesflow answers a bash completion request for `line` (its last word being
    completed, empty after a trailing space)."""
    words = line.split(" ")
    env = _env(db, _SALESFLOW_COMPLETE="complete_bash", COMP_WORDS=line,
               COMP_CWORD=str(len(words) - 1))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "salesflow"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_the_protocol_completes_from_the_database(filled: Path) -> None:
    assert complete_bash(filled, "salesflow le") == ["lead"]
    assert "list" in complete_bash(filled, "salesflow lead ")
    assert complete_bash(filled, "salesflow advance 1 ne") == ["negotiation"]
    assert complete_bash(filled, "salesflow lead list --stage qu") == ["qualified", "quote"]
    assert complete_bash(filled, "salesflow lead show Ja") == ["Jane Roe"]
    assert complete_bash(filled, "salesflow lead show 深圳") == ["深圳某科技有限公司"]
    assert complete_bash(filled, "salesflow lead show ") == ["3", "2", "1"]
    assert complete_bash(filled, "salesflow quote show Q-") == ["Q-2026-0001"]
    assert complete_bash(filled, "salesflow config set quote.v") == ["quote.valid_days"]
    assert "fx.EUR" in complete_bash(filled, "salesflow config get fx")
    assert complete_bash(filled, "salesflow lead list --format ") == [
        "table", "csv", "tsv", "json", "ndjson"
    ]  # fmt: skip
    assert "--limit" in complete_bash(filled, "salesflow quote list --")


def test_no_database_completes_no_values_and_creates_none(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    assert complete_bash(missing, "salesflow advance 1 ") == []
    assert not missing.exists()


def _shell(shell: str, db: Path, script: str) -> str:
    done = subprocess.run(
        [shell, "-f" if shell == "zsh" else "--norc", "-c", script], env=_env(db),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bash_completes_a_stage_and_a_lead_name(filled: Path) -> None:
    out = _shell(
        "bash",
        filled,
        'eval "$(salesflow completion bash)"\n'
        "complete -p salesflow\n"
        "COMP_WORDS=(salesflow advance 1 ne); COMP_CWORD=3; _salesflow_completion salesflow\n"
        'printf "[%s]\\n" "${COMPREPLY[@]}"\n'
        "COMP_WORDS=(salesflow lead show Mat); COMP_CWORD=3; _salesflow_completion salesflow\n"
        'printf "[%s]\\n" "${COMPREPLY[@]}"\n',
    )
    assert out.splitlines() == [
        "complete -o default -F _salesflow_completion salesflow",
        "[negotiation]",
        "[Mateo\\ O\\'Brien]",  # escaped, so the shell reads it back as one word
    ]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completes_a_stage_and_a_lead_name(filled: Path) -> None:
    # compinit's compdef and _arguments stand in as functions that print what they get.
    out = _shell(
        "zsh",
        filled,
        "compdef() { print compdef $@ }\n"
        "_arguments() { print -r -- $@ }\n"
        'eval "$(salesflow completion zsh)"\n'
        "words=(salesflow advance 1 ne); CURRENT=4; _salesflow_completion\n"
        "words=(salesflow lead show Ja); CURRENT=4; _salesflow_completion\n",
    )
    lines = out.splitlines()
    assert lines[0] == "compdef _salesflow_completion salesflow"
    assert '"negotiation":"80%"' in lines[1]
    assert '"Jane Roe":"#2"' in lines[2]


def test_fish_script_names_the_protocol(ok) -> None:
    script = ok("completion", "fish").stdout
    assert script.startswith("complete --command salesflow --no-files")
    assert "_SALESFLOW_COMPLETE=complete_fish" in script


def test_trend_completes_metric_lists_and_groups(filled: Path) -> None:
    assert complete_bash(filled, "salesflow report trend --metric won_v") == ["won_value"]
    assert complete_bash(filled, "salesflow report trend --metric won,win") == ["won,win_rate"]
    assert complete_bash(filled, "salesflow report trend --group gr") == ["grade"]
    assert complete_bash(filled, "salesflow report trend --by ") == ["week", "month", "quarter"]

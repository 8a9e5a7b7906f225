"""Generated command lines never crash salesflow: exit 0, 1 or 2, no traceback, and a failed
command leaves the database exactly as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import dump, run_main

pytestmark = pytest.mark.slow  # a long reliability test (pyproject.toml)

WORDS = st.sampled_from(
    ["1", "#1", "2", "99", "acme", "张伟", "", " ", "lost", "won", "proposal", "--", "-x", "=1+1",
     "500k", "$3.5k", "¥", "1e5", "-5", "31/02", "tomorrow", "+3d", "A", "d", "CNY", "yen",
     "budget=yes", "need=maybe", "b=", "\x00", "a" * 300, "a; 1; 10", "x; 0; 1", "b;2;$3;9",
     "5%", "101%", "Q-2026-0001", "2026-Q4", "2026-13", "2026"]
)  # fmt: skip
TEXT = st.one_of(WORDS, st.text(max_size=12))
OPTIONS = {
    "lead add": ["--company", "--email", "--phone", "--source", "--grade", "--bant", "--value",
                 "--currency", "--tag", "--note", "--stage", "--expected-close", "--address",
                 "--tax-id", "--doc-lang"],
    "lead edit": ["--name", "--company", "--grade", "--bant", "--value", "--currency", "--tag",
                  "--expected-close"],
    "advance": ["--note", "--reason", "--reopen"],
    "log": ["--kind", "--at", "--next", "--due", "--done"],
    "followup add": ["--due", "--force"],
    "followup snooze": [],
    "followup done": [],
    "followup list": ["--days", "--lead", "--overdue", "--format"],
    "customer edit": ["--segment", "--checkin", "--name", "--address", "--tax-id", "--doc-lang"],
    "quote new": ["--item", "--item", "--discount", "--tax", "--valid", "--note", "--currency"],
    "target set": [],
    "target rm": [],
    "report summary": ["--since", "--until", "--as-of", "--format"],
    "report funnel": ["--since", "--until", "--as-of", "--bars"],
    "report forecast": ["--months", "--runs", "--seed", "--calibrated", "--simulate", "--as-of"],
    "report activity": ["--weeks", "--since", "--until"],
    "report targets": ["--period", "--as-of"],
}  # fmt: skip
FLAGS = {"--reopen", "--done", "--force", "--overdue", "--calibrated", "--simulate"}


@st.composite
def command_lines(draw) -> list[str]:
    name = draw(st.sampled_from(sorted(OPTIONS)))
    args = name.split()
    args += draw(st.lists(TEXT, min_size=0, max_size=2))
    for _ in range(draw(st.integers(0, 4)) if OPTIONS[name] else 0):
        args.append(draw(st.sampled_from(OPTIONS[name])))
        if args[-1] not in FLAGS:
            args.append(draw(TEXT))
    return args


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(argv=command_lines())
def test_generated_command_lines(db_path: Path, argv: list[str]) -> None:
    env = {"SALESFLOW_DB": str(db_path), "SALESFLOW_NOW": "2026-11-23T09:00:00Z"}
    if not db_path.exists():
        run_main(["lead", "add", "张伟", "--company", "Acme"], env=env)
        run_main(["lead", "add", "Jane", "--company", "Acme Ltd"], env=env)
    before = dump(db_path)
    result = run_main(argv, env=env)
    assert result.exit_code in (0, 1, 2), (argv, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    if result.exit_code != 0:
        assert dump(db_path) == before, argv
        if result.exit_code == 1:
            assert result.stderr.startswith("Error: "), (argv, result.stderr)
            assert "unexpected" not in result.stderr, (argv, result.stderr)
    assert os.environ.get("SALESFLOW_DEBUG") is None


HEADERS = st.sampled_from(
    ["name", "company", "email", "phone", "value", "currency", "stage", "grade", "source",
     "tags", "notes", "expected_close", "联系人", "公司", "电话", "金额", "阶段", "备注", "odd"]
)  # fmt: skip
CELL = st.one_of(WORDS, st.text(max_size=10))


@st.composite
def import_files(draw) -> tuple[str, list[str]]:
    header = draw(st.lists(HEADERS, min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 1), max_size=5))
    sep = draw(st.sampled_from([",", "\t", ";"]))
    text = "\n".join(sep.join(c.replace(sep, " ") for c in r) for r in [header, *rows])
    options = draw(
        st.lists(
            st.sampled_from(
                [["--dry-run"], ["--skip-errors"], ["--on-duplicate", "update"],
                 ["--on-duplicate", "error"], ["--stage", "proposal"], ["--stage", "won"],
                 ["--source", "fair"], ["--map", "odd=notes"], ["--map", "nonsense"],
                 ["--encoding", "gb18030"]]
            ),
            max_size=3,
        )
    )  # fmt: skip
    return text, [o for group in options for o in group]


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=import_files())
def test_generated_import_files(db_path: Path, tmp_path: Path, case) -> None:
    text, options = case
    env = {"SALESFLOW_DB": str(db_path), "SALESFLOW_NOW": "2026-11-23T09:00:00Z"}
    if not db_path.exists():
        run_main(["lead", "add", "张伟", "--company", "Acme", "--phone", "13800000000"],
                      env=env)  # fmt: skip
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    before = dump(db_path)
    result = run_main(["import", "leads", str(path), *options], env=env)
    assert result.exit_code in (0, 1, 2), (text, options, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    assert "unexpected" not in result.stderr, (text, options, result.stderr)
    if result.exit_code != 0 or "--dry-run" in options:
        assert dump(db_path) == before, (text, options)

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from salesflow.cli import main
from tests import fastparity

NOW = "2026-11-23T09:00:00Z"  # a Monday; tests that need the clock pin it here


@pytest.fixture(autouse=True)
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "sf.db"
    monkeypatch.setenv("SALESFLOW_DB", str(path))
    monkeypatch.setenv("SALESFLOW_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("SALESFLOW_DEBUG", raising=False)
    return path


@pytest.fixture
def conn(db_path: Path):
    """The test's database, opened (and migrated) through the store like every command does."""
    from salesflow import store

    c = store.connect(db_path)
    yield c
    c.close()


def run_main(
    args: list[str], input: str | None = None, env: dict[str, str] | None = None
) -> Result:
    """`salesflow ARGS` as the installed command runs it — `salesflow.cli.main`: the fast path
    first, Typer when it declines — with stdin, stdout, stderr and the environment of Click's
    test isolation."""
    runner = CliRunner()
    code, exception, exc_info = 0, None, None
    with runner.isolation(input=input, env=env) as (out, err, both):
        argv = sys.argv
        sys.argv = ["salesflow", *args]
        try:
            main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if code:
                exception, exc_info = e, sys.exc_info()
        finally:
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr, output = out.getvalue(), err.getvalue(), both.getvalue()
    return Result(
        runner=runner, stdout_bytes=stdout, stderr_bytes=stderr, output_bytes=output,
        return_value=None, exit_code=code, exception=exception, exc_info=exc_info,
    )  # fmt: skip


@pytest.fixture
def run() -> Callable[..., Result]:
    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):
        # Every command line a test runs also proves the fast path parses it as Typer does.
        fastparity.check(list(args))
        return run_main(list(args), input=input, env=env)

    return invoke


@pytest.fixture
def ok(run):
    """Run a command that must succeed; returns its result."""

    def invoke(*args: str, **kw):
        result = run(*args, **kw)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    return invoke


def dump(path: Path) -> list[str]:
    """The database's logical content, to prove a failed command changed nothing."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def fails(run, db_path: Path):
    """Run a command that must fail with one `Error:` line and leave the database unchanged."""

    def invoke(*args: str, code: int = 1, match: str = "", **kw):
        before = dump(db_path) if db_path.exists() else None
        result = run(*args, **kw)
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        err = result.stderr.strip()
        if code in (1, 2):  # errors and usage errors alike: one line
            assert err.startswith("Error: "), err
            assert len(err.splitlines()) == 1, err
        assert "Traceback" not in result.stderr + result.stdout
        assert match in err, (match, err)
        if before is not None:
            assert dump(db_path) == before
        return result

    return invoke


@pytest.fixture
def two_leads(ok) -> None:
    ok(
        "lead", "add", "张伟", "--company", "深圳某科技有限公司", "--email", "zw@example.cn",
        "--phone", "+86 138 0000 0000", "--source", "trade show", "--grade", "A",
        "--value", "500k", "--currency", "CNY", "--tag", "hardware", "--note", "needs 50 units",
    )  # fmt: skip
    ok("lead", "add", "Jane Roe", "--company", "Acme Ltd", "--source", "website", "--grade", "B",
       "--value", "$12,500")  # fmt: skip


Invoke = Callable[..., object]


@pytest.fixture
def at_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stdin is a terminal, so commands may ask (answers come from `input=`)."""
    from salesflow.output import terminal

    real = terminal.Terminal.detect.__func__

    def detect(cls, out=None, err=None, width=None):
        term = real(cls, out, err, width)
        term.interactive = True
        return term

    monkeypatch.setattr(terminal.Terminal, "detect", classmethod(detect))

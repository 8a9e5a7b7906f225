from __future__ import annotations

import re
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
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # undo's last command line
    monkeypatch.setenv("SALESFLOW_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("SALESFLOW_DEBUG", raising=False)
    # English whatever the developer's locale: the language comes from these (cli/language.py).
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    from salesflow import i18n

    i18n.use("en")  # a test that called a domain function after a Chinese command
    return path


@pytest.fixture
def conn(db_path: Path):
    """The test's database, opened (and migrated) through the store like every command does."""
    from salesflow import store

    c = store.connect(db_path)
    yield c
    c.close()


@pytest.fixture
def empty_db(db_path: Path) -> Path:
    """A new, empty database: read-only commands refuse to create one."""
    from salesflow import store

    store.connect(db_path).close()
    return db_path


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
    """The database's logical content, to prove a failed command changed nothing.

    The search index's own pages are left out: deleting and re-adding a row leaves its index
    logically the same but laid out differently. Instead, each index must match its table.
    Sorted: a bulk load sets triggers aside and creates them again, later in sqlite_master."""
    from salesflow.store import fulltext

    conn = sqlite3.connect(path)
    try:
        # What an undo keeps for `redo` (journal.open = 4) is not data the undo restores.
        redo = {str(i) for (i,) in conn.execute("SELECT id FROM journal WHERE open = 4")}
        lines = [
            line
            for line in conn.iterdump()
            if not _FTS_ROWS.match(line)
            and not ((m := _JOURNAL_ROWS.match(line)) and (m[1] or m[2]) in redo)
        ]
        return sorted(lines) + fulltext.problems(conn)
    finally:
        conn.close()


_JOURNAL_ROWS = re.compile(
    r'INSERT INTO "journal" VALUES\((\d+),|INSERT INTO "journal_steps" VALUES\(\d+,(\d+),'
)
_FTS_ROWS = re.compile(r'INSERT INTO "\w+_fts_(data|idx|docsize|config)"')


@pytest.fixture
def fails(run, db_path: Path):
    """Run a command that must fail with one `Error:` line and leave the database unchanged."""

    def invoke(*args: str, code: int = 1, match: str = "", **kw):
        before = dump(db_path) if db_path.exists() else None
        result = run(*args, **kw)
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        err = result.stderr.strip()
        if code in (1, 2):  # errors and usage errors alike: one line
            assert err.startswith(("Error: ", "错误：")), err  # English, or Chinese (--lang zh_CN)
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

"""Follow-up listings in a real process: red overdue rows on a terminal, plain text in a pipe,
the .ics bytes unchanged on stdout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.terminal import run_on_tty

ROOT = Path(__file__).resolve().parent.parent


def env_for(db: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "SALESFLOW_DB": str(db), "SALESFLOW_NOW": "2026-11-23T09:00:00Z"}
    env.pop("NO_COLOR", None)
    return env | extra


def salesflow(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "salesflow", *args], capture_output=True, env=env_for(db),
        cwd=ROOT,
    )  # fmt: skip


def on_tty(db: Path, *args: str) -> str:
    argv = [sys.executable, "-m", "salesflow", *args]
    proc, shown = run_on_tty(argv, env=env_for(db, TERM="xterm-256color"), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return shown


def test_overdue_red_on_a_terminal_plain_in_a_pipe(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    for args in (
        ("lead", "add", "王芳", "--company", "杭州某贸易公司"),
        ("followup", "add", "1", "late call", "--due", "2026-11-20", "--force"),
        ("followup", "add", "1", "next call", "--due", "fri"),
    ):
        assert salesflow(db, *args).returncode == 0
    screen = on_tty(db, "followup", "list")
    late_line = next(line for line in screen.splitlines() if "late call" in line)
    next_line = next(line for line in screen.splitlines() if "next call" in line)
    assert "\x1b[31m" in late_line and "\x1b[31m" not in next_line
    assert "\x1b[31m" in on_tty(db, "today")
    for args in (("followup", "list"), ("today",), ("customer", "list")):
        piped = salesflow(db, *args)
        assert piped.returncode == 0 and b"\x1b[" not in piped.stdout + piped.stderr
    ics = salesflow(db, "followup", "list", "--format", "ics").stdout
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\r\n" not in ics
    assert "杭州某贸易公司".encode() in ics

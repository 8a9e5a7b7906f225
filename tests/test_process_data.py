"""Import's progress bar as a real process shows it: on a terminal's stderr only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.terminal import run_on_tty

ROOT = Path(__file__).resolve().parent.parent


def test_progress_bar_on_a_terminal_and_never_in_a_pipe(tmp_path: Path) -> None:
    sheet = tmp_path / "big.csv"
    sheet.write_text("name,company\n" + "".join(f"Lead {i},Co {i}\n" for i in range(6000)))
    env = {**os.environ, "SALESFLOW_NOW": "2026-11-23T09:00:00Z", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    argv = [sys.executable, "-m", "salesflow", "import", "leads", str(sheet)]

    proc, shown = run_on_tty(
        [*argv[:3], "--db", str(tmp_path / "a.db"), *argv[3:]], tty="stderr", env=env, cwd=ROOT
    )
    assert proc.returncode == 0
    assert "Checking rows" in shown and "Imported 6000 leads" in shown
    assert b"\x1b[" not in proc.stdout  # the report went to a pipe: plain text

    piped = subprocess.run(
        [*argv[:3], "--db", str(tmp_path / "b.db"), *argv[3:]], capture_output=True, env=env,
        cwd=ROOT,
    )  # fmt: skip
    assert piped.returncode == 0
    assert b"Checking rows" not in piped.stderr and b"\x1b[" not in piped.stderr + piped.stdout

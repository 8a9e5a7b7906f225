"""Import's progress bar as a real process shows it: on a terminal's stderr only."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_progress_bar_on_a_terminal_and_never_in_a_pipe(tmp_path: Path) -> None:
    sheet = tmp_path / "big.csv"
    sheet.write_text("name,company\n" + "".join(f"Lead {i},Co {i}\n" for i in range(6000)))
    env = {**os.environ, "SALESFLOW_NOW": "2026-11-23T09:00:00Z", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    argv = [sys.executable, "-m", "salesflow", "import", "leads", str(sheet)]

    leader, follower = pty.openpty()
    proc = subprocess.run(
        [*argv[:3], "--db", str(tmp_path / "a.db"), *argv[3:]], stdout=subprocess.PIPE,
        stderr=follower, env=env, cwd=ROOT,
    )  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.returncode == 0
    assert "Checking rows" in shown.decode() and "Imported 6000 leads" in shown.decode()
    assert b"\x1b[" not in proc.stdout  # the report went to a pipe: plain text

    piped = subprocess.run(
        [*argv[:3], "--db", str(tmp_path / "b.db"), *argv[3:]], capture_output=True, env=env,
        cwd=ROOT,
    )  # fmt: skip
    assert piped.returncode == 0
    assert b"Checking rows" not in piped.stderr and b"\x1b[" not in piped.stderr + piped.stdout

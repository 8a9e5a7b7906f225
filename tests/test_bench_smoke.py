"""The agenda benchmark still runs (at toy size): CI proves it works, people run it big."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "bench" / "bench_agenda.py"


def test_bench_runs_at_toy_size() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--leads", "40", "--activities", "200", "--repeat", "1"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "salesflow today" in proc.stdout and "'leads': 40" in proc.stdout

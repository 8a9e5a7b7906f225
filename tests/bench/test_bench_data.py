"""The benchmark still runs (at toy size: CI proves it works, it does not time anything)."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).with_name("bench_data.py")


def test_bench_runs_at_toy_size() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "60", "--repeat", "1"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("60 leads,")
    assert any("Imported 60 leads" in line for line in lines)
    assert any("Undid: salesflow import leads" in line for line in lines)

"""The benchmark script still works: one toy-sized run (CI never runs the real sizes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent / "run.py"
BIN = Path(sys.executable).parent


@pytest.mark.skipif(not (BIN / "salesflow").exists(), reason="salesflow is not installed here")
def test_toy_benchmark_prints_its_tables(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(RUN), "--toy", "--markdown", "--cache", str(tmp_path / "cache")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for row in ("| python -c pass |", "| python -c 'sqlite3 insert' |", "| --help |",
                "| lead add |", "| lead show |", "| lead list --limit 50 |"):  # fmt: skip
        assert row in out, out
    assert "failed" not in out, out
    assert "| demo --leads 120 |" in out and "×" in out
    # The demo database is cached for the next run.
    assert len(list((tmp_path / "cache").glob("demo-120-seed7-*.db"))) == 1

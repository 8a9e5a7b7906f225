"""The benchmarks still run (at toy size): CI proves they work, people run them big."""

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


def test_report_bench_runs_at_toy_size() -> None:
    bench = BENCH.with_name("bench_reports.py")
    proc = subprocess.run(
        [sys.executable, str(bench), "--leads", "60", "--repeat", "1", "--only", "summary"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "salesflow report summary" in proc.stdout and "60 leads" in proc.stdout


def test_mail_bench_runs_at_toy_size() -> None:
    bench = BENCH.with_name("bench_mail.py")
    proc = subprocess.run(
        [sys.executable, str(bench), "--messages", "40", "--repeat", "1"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "40 messages" in proc.stdout and "Imported 40 e-mail activities" in proc.stdout

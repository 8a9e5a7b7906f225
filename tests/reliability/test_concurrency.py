"""Eight writers and a reader at once: every write lands, none fails with 'database is locked'."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # a long reliability test (pyproject.toml)
WRITERS, EACH = 8, 50

WRITER = """
import sys
from salesflow.cli import main
w = sys.argv[1]
for i in range(int(sys.argv[2])):
    sys.argv = ["salesflow", "lead", "add", f"w{w}-{i}", "--company", "并发测试"]
    try:
        main()  # what the installed `salesflow` runs
    except SystemExit as e:
        if e.code:
            print("FAILED", flush=True)
            raise
"""
# The commands a cron job or a second terminal runs while someone writes.
READS = [["digest"], ["report", "funnel"], ["lead", "list", "--format", "json"], ["db", "check"]]


def test_parallel_writers_and_a_reader(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    create = [sys.executable, "-m", "salesflow", "config", "set", "currency", "USD"]
    subprocess.run(create, env=env, cwd=ROOT, check=True, capture_output=True)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w), str(EACH)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for w in range(WRITERS)
    ]
    reader_failures: list[str] = []
    slowest_read = 0.0
    while any(w.poll() is None for w in writers):
        for args in READS:
            started = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "salesflow", *args], env=env, cwd=ROOT,
                               capture_output=True, text=True)  # fmt: skip
            slowest_read = max(slowest_read, time.perf_counter() - started)
            if r.returncode != 0:
                reader_failures.append(r.stderr)
    outputs = [w.communicate() for w in writers]
    assert [w.returncode for w in writers] == [0] * WRITERS, outputs
    assert reader_failures == []
    assert all("locked" not in out + err for out, err in outputs)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM leads").fetchone()[0] == WRITERS * EACH
    assert conn.execute("SELECT count(DISTINCT name) FROM leads").fetchone()[0] == WRITERS * EACH
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Readers never wait for writers in WAL mode; a read that took the busy timeout would show.
    assert slowest_read < 10


def test_first_use_by_many_processes_at_once(tmp_path: Path) -> None:
    db = tmp_path / "new" / "sf.db"
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "salesflow", "lead", "add", f"first {i}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i in range(8)
    ]
    results = [(p.wait(), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0] * 8, results
    assert sum("Created a new salesflow database" in err for _, err in results) == 1
    assert not [p.name for p in db.parent.iterdir() if p.name.endswith(".new")]  # no leftovers
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM leads").fetchone()[0] == 8

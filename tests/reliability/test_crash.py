"""A write killed with SIGKILL at any moment leaves a sound database with all or none of it."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from salesflow import store

ROOT = Path(__file__).resolve().parents[2]
N_LEADS = 5000


def build(db: Path) -> None:
    conn = store.connect(db)
    now = "2026-11-01T00:00:00Z"
    with store.transaction(conn, write=True):
        conn.executemany(
            "INSERT INTO leads (name, currency, stage, created_at, updated_at) "
            "VALUES (?, 'USD', 'contacted', ?, ?)",
            [(f"lead {i}", now, now) for i in range(N_LEADS)],
        )
        conn.execute(
            "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at) "
            "SELECT id, NULL, 'contacted', created_at FROM leads"
        )
    conn.close()


def kill_at(args: list[str], db: Path, delay: float) -> int:
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "salesflow", *args], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    return proc.wait()


def test_pipeline_change_with_map_is_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    build(db)
    pristine = db.read_bytes()
    rng = random.Random(20261123)
    # Time one full run so the kill moments spread over the whole command.
    started = time.perf_counter()
    env = {**os.environ, "SALESFLOW_DB": str(tmp_path / "timing.db")}
    (tmp_path / "timing.db").write_bytes(pristine)
    subprocess.run(
        [sys.executable, "-m", "salesflow", "stages", "set", "new:10", "--map", "contacted=new"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    full = time.perf_counter() - started
    outcomes = set()
    for _ in range(20):
        db.write_bytes(pristine)
        for side in ("-wal", "-shm"):
            Path(str(db) + side).unlink(missing_ok=True)
        kill_at(["stages", "set", "new:10", "--map", "contacted=new"], db, rng.uniform(0, full))
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stages = dict(conn.execute("SELECT stage, count(*) FROM leads GROUP BY stage").fetchall())
        pipeline = [r[0] for r in conn.execute("SELECT name FROM stages ORDER BY position")]
        conn.close()
        if stages == {"contacted": N_LEADS}:
            assert "contacted" in pipeline
            outcomes.add("none")
        else:
            assert stages == {"new": N_LEADS}, stages
            assert pipeline == ["new", "won", "lost"]
            outcomes.add("all")
    assert outcomes  # every one of the 20 runs ended in one of the two whole states

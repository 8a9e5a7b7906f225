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

import pytest

from salesflow import store

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # a long reliability test (pyproject.toml)
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


def kill_at(args: list[str], db: Path, delay: float | None) -> bool:
    """SIGKILL `salesflow ARGS` after `delay` seconds (None: as soon as it is seen writing);
    True when it then held the write lock (the kill landed inside its write transaction),
    False when it had not begun or had committed."""
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "salesflow", *args], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    if delay is None:
        while proc.poll() is None and not writing(db):
            time.sleep(0.001)
    else:
        time.sleep(delay)
    inside = writing(db)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return inside


def writing(db: Path) -> bool:
    """Whether another process holds the database's write lock right now."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


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
        else:
            assert stages == {"new": N_LEADS}, stages
            assert pipeline == ["new", "won", "lost"]


def crash_loop(
    tmp_path: Path, pristine: bytes, argv: list[str], whole: dict, runs: int = 20
) -> tuple[int, int]:
    """Run `argv` on a copy of `pristine` and SIGKILL it at `runs` random moments spread over
    one full run (two during start-up, two in the write); after each, the database must be sound and
    hold `whole` counts or none. Returns how many kills landed inside the write transaction
    and how many outside it."""
    db = tmp_path / "crash.db"
    timing = tmp_path / "timing.db"
    timing.write_bytes(pristine)
    started = time.perf_counter()
    env = {**os.environ, "SALESFLOW_DB": str(timing)}
    subprocess.run([sys.executable, "-m", "salesflow", *argv], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    full = time.perf_counter() - started
    rng = random.Random(len(argv))
    inside = 0
    for run in range(runs):
        db.write_bytes(pristine)
        for side in ("-wal", "-shm"):
            Path(str(db) + side).unlink(missing_ok=True)
        # Two kills before the command can have begun writing and two as soon as it writes,
        # so every loop covers both sides of the write; the rest anywhere in a full run.
        delay = rng.uniform(0, 0.02) if run < 2 else None if run < 4 else rng.uniform(0, full)
        landed = kill_at(argv, db, delay)
        inside += landed
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in whole}
        conn.close()
        assert counts in (whole, dict.fromkeys(whole, 0)), counts
        if landed:  # killed holding the write lock: nothing of it may be left
            assert counts == dict.fromkeys(whole, 0), counts
    return inside, runs - inside


def empty_db(tmp_path: Path) -> bytes:
    path = tmp_path / "empty.db"
    store.connect(path).close()
    return path.read_bytes()


def test_import_of_10000_rows_is_all_or_nothing(tmp_path: Path) -> None:
    csv_file = tmp_path / "leads.csv"
    lines = ["name,company,email,value"]
    lines += [f"Lead {i},Company {i % 700},lead{i}@example.test,{i}.50" for i in range(10_000)]
    csv_file.write_text("\n".join(lines) + "\n")
    inside, outside = crash_loop(tmp_path, empty_db(tmp_path), ["import", "leads", str(csv_file)],
                                 {"leads": 10_000, "stage_changes": 10_000})  # fmt: skip
    assert inside and outside, (inside, outside)


def test_quote_with_many_lines_is_all_or_nothing(tmp_path: Path) -> None:
    base = tmp_path / "base.db"
    store.connect(base).close()
    env = {**os.environ, "SALESFLOW_DB": str(base)}
    subprocess.run([sys.executable, "-m", "salesflow", "lead", "add", "Ann"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    conn = sqlite3.connect(base)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    items = [arg for i in range(400) for arg in ("--item", f"Part {i}; {i % 7 + 1}; {i}.25")]
    inside, outside = crash_loop(tmp_path, base.read_bytes(), ["quote", "new", "1", *items],
                                 {"quotes": 1, "quote_items": 400})  # fmt: skip
    assert inside and outside, (inside, outside)

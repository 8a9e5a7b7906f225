"""Time `log`, `today` and the follow-up/customer listings on a large database.

Not a test (pytest does not collect it). Builds its own database with plain SQL, then times
whole commands as a user runs them (a fresh process each, best of --repeat):

    .venv/bin/python tests/bench/bench_agenda.py --leads 10000 --activities 100000
    .venv/bin/python tests/bench/bench_agenda.py --leads 200 --activities 2000   # toy size
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from salesflow import dates, store  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dates.to_utc_iso(dt)


def build(path: Path, n_leads: int, n_activities: int, seed: int = 7) -> dict[str, int]:
    rnd = random.Random(seed)
    conn = store.connect(path)
    stages = [r[0] for r in conn.execute("SELECT name FROM stages WHERE kind = 'open'")]
    companies = [f"Company {i}" for i in range(max(1, n_leads // 5))]
    conn.execute("BEGIN IMMEDIATE")
    leads, changes = [], []
    for i in range(1, n_leads + 1):
        created = NOW - timedelta(minutes=rnd.randrange(60 * 24 * 730))
        roll = rnd.random()
        stage = "won" if roll < 0.15 else "lost" if roll < 0.3 else rnd.choice(stages)
        closed = iso(created + timedelta(days=rnd.randrange(1, 60))) if roll < 0.3 else None
        leads.append(
            (i, f"Lead {i}", rnd.choice(companies), rnd.randrange(1000, 10**8), "USD", stage,
             iso(created), iso(created), closed, "won" if stage == "won" else None)
        )  # fmt: skip
        changes.append((i, None, stage, iso(created), "created"))
    conn.executemany(
        "INSERT INTO leads (id, name, company, value_minor, currency, stage, created_at, "
        "updated_at, closed_at, won_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        leads,
    )
    conn.executemany(
        "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, note) "
        "VALUES (?, ?, ?, ?, ?)",
        changes,
    )
    # Customers for the won deals, by company, as the win hook would have made them.
    won = [(lead[0], lead[2]) for lead in leads if lead[5] == "won"]
    names = sorted({c for _, c in won})
    conn.executemany(
        "INSERT INTO customers (id, name, created_at) VALUES (?, ?, ?)",
        [(k + 1, n, iso(NOW)) for k, n in enumerate(names)],
    )
    ids = {n: k + 1 for k, n in enumerate(names)}
    conn.executemany("UPDATE leads SET customer_id = ? WHERE id = ?", [(ids[c], i) for i, c in won])
    kinds = ("call", "email", "meeting", "visit", "note")
    conn.executemany(
        "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            (lead_id, rnd.choice(kinds), "touch", t, t)
            for lead_id, t in (
                (rnd.randrange(1, n_leads + 1),
                 iso(NOW - timedelta(minutes=rnd.randrange(60 * 24 * 700))))
                for _ in range(n_activities)
            )
        ),
    )  # fmt: skip
    followups = []
    for lead in leads:
        if rnd.random() < 0.6:
            due = (NOW + timedelta(days=rnd.randrange(-30, 60))).date().isoformat()
            done = iso(NOW - timedelta(days=1)) if rnd.random() < 0.3 else None
            followups.append((lead[0], "next step", due, lead[6], done))
    conn.executemany(
        "INSERT INTO followups (lead_id, action, due_date, created_at, done_at) "
        "VALUES (?, ?, ?, ?, ?)",
        followups,
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("leads", "activities", "followups", "customers")
    }
    conn.close()
    return counts


def timed(db: Path, args: list[str], repeat: int) -> tuple[float, int]:
    env = {**os.environ, "SALESFLOW_DB": str(db), "SALESFLOW_NOW": iso(NOW), "TZ": "UTC"}
    best, size = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "salesflow", *args], capture_output=True, env=env, cwd=ROOT
        )
        best = min(best, time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"salesflow {' '.join(args)} failed: {proc.stderr.decode()}")
        size = len(proc.stdout)
    return best, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        start = time.perf_counter()
        counts = build(db, opts.leads, opts.activities)
        print(f"built {counts} in {time.perf_counter() - start:.1f} s")
        middle = str(opts.leads // 2)
        commands = [
            ["--version"],
            ["log", middle, "called, left a message", "--kind", "call"],
            ["log", middle, "demo", "--kind", "meeting", "--next", "send quote", "--due", "fri"],
            ["today"],
            ["today", "--format", "json"],
            ["today", "--all", "--format", "json"],
            ["followup", "list"],
            ["followup", "list", "--format", "ics"],
            ["customer", "list", "--format", "json"],
            ["lead", "show", middle],
        ]
        print(f"{'command':<70} {'best of ' + str(opts.repeat):>10} {'stdout':>10}")
        for args in commands:
            seconds, size = timed(db, args, opts.repeat)
            print(f"{'salesflow ' + ' '.join(args):<70} {seconds * 1000:>8.0f} ms {size:>9} B")


if __name__ == "__main__":
    main()

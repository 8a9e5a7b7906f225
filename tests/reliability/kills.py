"""SIGKILL a salesflow command at random moments, and record where each kill landed.

`kill_loop` runs the command once whole to time it, noting when it first got "inside" (a
predicate on the files: the database opened, a temporary begun), then kills copies of it at
moments spread over that inside stretch. Each kill is recorded as (delay, inside at the kill,
outcome); the caller's `outcome` raises on anything half-done, and the loop fails unless some
kill landed inside the work and left the old state (the case the guarantee is about)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.reliability.procs import ROOT, env_for


@dataclass(frozen=True)
class Kill:
    delay: float
    inside: bool  # the predicate held when the kill was sent
    outcome: str  # what `outcome` found: "old", "new" (or another name the caller uses)


def run_and_kill(argv: list[str], db: Path, delay: float, inside: Callable[[], bool]) -> bool:
    """Start `salesflow ARGV` on `db`, SIGKILL it after `delay` s; whether `inside` held then."""
    proc = subprocess.Popen([sys.executable, "-m", "salesflow", *argv], cwd=ROOT,
                            env=env_for(db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.perf_counter() + delay
    while time.perf_counter() < deadline and proc.poll() is None:
        time.sleep(0.002)
    was_inside = inside()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return was_inside


def timed(argv: list[str], db: Path, inside: Callable[[], bool]) -> tuple[float, float]:
    """One whole run: (first moment `inside` held, or 0; the run's length)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "salesflow", *argv], cwd=ROOT,
                            env=env_for(db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    entered = 0.0
    while proc.poll() is None:
        if not entered and inside():
            entered = time.perf_counter() - started
        time.sleep(0.002)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    return entered, time.perf_counter() - started


def kill_loop(
    *,
    argv: list[str],
    db: Path,
    reset: Callable[[], None],
    inside: Callable[[], bool],
    outcome: Callable[[], str],
    runs: int,
    seed: int,
    old: str = "old",
) -> list[Kill]:
    reset()
    entered, full = timed(argv, db, inside)
    assert outcome() != old, "a whole run must change something"
    rng = random.Random(seed)
    kills = []
    for _ in range(runs):
        reset()
        # Most kills inside the work; a few anywhere, start-up included.
        delay = (
            rng.uniform(entered, full) if entered and rng.random() < 0.8 else rng.uniform(0, full)
        )
        was_inside = run_and_kill(argv, db, delay, inside)
        kills.append(Kill(round(delay, 3), was_inside, outcome()))
    landed = [k for k in kills if k.inside and k.outcome == old]
    assert landed, f"no kill landed inside the work before it was done: {kills}"
    assert any(not k.inside for k in kills), f"every kill landed inside the work: {kills}"
    return kills


def sides(db: Path) -> list[Path]:
    return [Path(f"{db}{s}") for s in ("-wal", "-shm", "-journal")]


def clean(db: Path) -> None:
    for p in sides(db):
        p.unlink(missing_ok=True)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True

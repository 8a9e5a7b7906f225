"""SIGKILL a salesflow command at random moments, and record where each kill landed.

`kill_loop` runs the command once whole to time it, noting when it was "inside" (a predicate:
the write lock held, a temporary begun), then kills copies of it: two the moment they are seen
inside, one in start-up, most within that stretch, a few anywhere. Each kill is recorded as
(delay — -1 for "on sight" —, inside at the kill, outcome); the caller's `outcome` raises on
anything half-done, and the loop fails unless some kill landed inside the work and left the
old state (the case the guarantee is about) and some landed outside it."""

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


def run_and_kill(
    argv: list[str], db: Path, delay: float | None, inside: Callable[[], bool]
) -> bool:
    """Start `salesflow ARGV` on `db`, SIGKILL it after `delay` s (None: as soon as `inside`
    is seen to hold); whether `inside` held then."""
    proc = subprocess.Popen([sys.executable, "-m", "salesflow", *argv], cwd=ROOT,
                            env=env_for(db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    if delay is None:
        while proc.poll() is None and not inside():
            time.sleep(0.001)
    else:
        deadline = time.perf_counter() + delay
        while time.perf_counter() < deadline and proc.poll() is None:
            time.sleep(0.002)
    was_inside = inside()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return was_inside


def timed(argv: list[str], db: Path, inside: Callable[[], bool]) -> tuple[float, float, float]:
    """One whole run: (first and last moment `inside` was seen to hold, or 0; the run's
    length)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "salesflow", *argv], cwd=ROOT,
                            env=env_for(db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    entered = left = 0.0
    while proc.poll() is None:
        if inside():
            left = time.perf_counter() - started
            entered = entered or left
        time.sleep(0.002)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    return entered, left, time.perf_counter() - started


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
    entered, left, full = timed(argv, db, inside)
    assert outcome() != old, "a whole run must change something"
    rng = random.Random(seed)
    kills = []
    for run in range(runs):
        reset()
        # Two kills the moment the work is seen to begin, one during start-up (before the
        # process can have opened anything), most of the rest inside the stretch the timing
        # run was inside for, a few anywhere (the end included).
        if run < 2:
            delay = None
        elif run == 2:
            delay = rng.uniform(0, 0.01)
        elif entered and rng.random() < 0.7:
            delay = rng.uniform(entered, max(left, entered + 0.01))
        else:
            delay = rng.uniform(0, full)
        was_inside = run_and_kill(argv, db, delay, inside)
        kills.append(Kill(-1 if delay is None else round(delay, 3), was_inside, outcome()))
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

"""Replication figures on a demo database: time to the first full snapshot, lag of one write
(command returns → its LTX file is on the replica), and restore time — to a file replica and to
an SFTP replica on an sshd this script starts on localhost (as the tests do).

    .venv/bin/python tests/bench/replica.py DEMO.db [--writes 5] [--kinds file,sftp]

DEMO.db is copied first (e.g. tests/bench/.cache/demo-100000-*.db from tests/bench/run.py).
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.replica.procs import Replicate, Sshd, env_for, sf  # noqa: E402


def ltx_count(replica: Path) -> int:
    folder = replica / "ltx" / "0"
    return len(list(folder.glob("*.ltx"))) if folder.exists() else 0


def wait_for(replica: Path, above: int, limit: float = 600) -> float:
    start = time.monotonic()
    while ltx_count(replica) <= above:
        if time.monotonic() - start > limit:
            raise SystemExit("the replica did not receive the change")
        time.sleep(0.01)
    return time.monotonic() - start


def raw_restore(url: str, out: Path, home: Path) -> float:
    """Litestream's restore alone, with the config salesflow writes, no checks after it."""
    from salesflow.replica import litestream
    from salesflow.replica.target import parse

    old = os.environ.get("HOME")
    os.environ["HOME"] = str(home)  # the client key and known_hosts of this "machine"
    try:
        with litestream.configured(str(out), parse(url), {}) as setup:
            start = time.monotonic()
            litestream.restore(setup, str(out), str(out))
            return time.monotonic() - start
    finally:
        os.environ["HOME"] = old or ""


def measure(kind: str, source: Path, work: Path, writes: int) -> dict[str, object]:
    home = work / "home"
    home.mkdir(parents=True)
    server = None
    if kind == "sftp":
        server = Sshd(work / "server", home)
        replica = work / "remote" / "pipeline"
        url = f"sftp://{getpass.getuser()}@127.0.0.1:{server.port}{replica}"
    else:
        replica = work / "replica"
        url = f"file://{replica}"
    env = env_for(home)
    db = work / "desk.db"
    shutil.copyfile(source, db)
    try:
        sf(db, "replica", "set", url, env=env)
        start = time.monotonic()
        rep = Replicate(db, env)
        wait_for(replica, 0)
        snapshot = time.monotonic() - start
        lags = []
        try:
            time.sleep(1.5)
            for i in range(writes):
                before = ltx_count(replica)
                sf(db, "lead", "add", f"Lag probe {i}", env=env)
                lags.append(wait_for(replica, before))
                time.sleep(0.5)
            rep.sync()
        finally:
            rep.stop()
        size = sum(p.stat().st_size for p in replica.rglob("*.ltx"))
        out = work / "restored.db"
        start = time.monotonic()
        sf(out, "replica", "restore", "--from", url, env=env, timeout=3600)
        restore = time.monotonic() - start
        raw = raw_restore(url, work / "raw.db", home)
        return {
            "kind": kind,
            "db_bytes": source.stat().st_size,
            "replica_bytes": size,
            "first_snapshot_s": snapshot,
            "lag_median_s": statistics.median(lags),
            "lag_max_s": max(lags),
            "restore_s": restore,
            "litestream_restore_s": raw,
        }
    finally:
        if server:
            server.stop()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("db", type=Path)
    p.add_argument("--writes", type=int, default=5)
    p.add_argument("--kinds", default="file,sftp")
    args = p.parse_args()
    print(f"# load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for kind in args.kinds.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            row = measure(kind, args.db, Path(tmp), args.writes)
        print(
            f"{row['kind']:5}  db {row['db_bytes'] / 1e6:.0f} MB  replica "
            f"{row['replica_bytes'] / 1e6:.0f} MB  first snapshot {row['first_snapshot_s']:.1f} s  "
            f"lag median {row['lag_median_s']:.2f} s (max {row['lag_max_s']:.2f} s)  "
            f"restore {row['restore_s']:.1f} s (litestream restore alone "
            f"{row['litestream_restore_s']:.1f} s; the rest is salesflow's check)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

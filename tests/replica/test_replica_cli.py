"""The replica commands' own checks, in process: URLs, secrets never shown, the service unit,
and the lease check every command passes (lease.json written by hand: no Litestream needed)."""

from __future__ import annotations

import getpass
import json
import os
import socket
from pathlib import Path

import pytest

from tests.conftest import NOW


def _lease(folder: Path, **fields) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lease = {
        "host": "desk-pc",
        "user": getpass.getuser(),
        "db": "/home/ann/.local/share/salesflow/salesflow.db",
        "since": "2026-11-23T08:12:00Z",
        "expires": "2026-11-23T09:05:00Z",  # five minutes after the pinned clock
        "released_at": None,
        **fields,
    }
    (folder / "lease.json").write_text(json.dumps(lease))


@pytest.fixture
def replica(ok, tmp_path: Path) -> Path:
    ok("lead", "add", "Ann Lee")
    folder = tmp_path / "replica"
    ok("replica", "set", f"file://{folder}")
    return folder


def test_set_show_unset_undo(ok, replica: Path) -> None:
    shown = ok("replica", "show", "--format", "json")
    rows = {r["item"]: r["value"] for r in json.loads(shown.stdout)}
    assert rows["url"] == f"file://{replica}" and rows["type"] == "file"
    assert rows["lease_seconds"] == 120
    ok("replica", "unset")
    assert "replica.url" not in ok("config", "list", "--format", "csv").stdout
    ok("undo")
    assert ok("config", "get", "replica.url").stdout.strip() == f"file://{replica}"
    ok("undo")  # the `replica set`
    assert "replica.url" not in ok("config", "list", "--format", "csv").stdout


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.com/x", "is not a replica URL salesflow knows"),
        ("file://relative/x", "a file replica needs an absolute path"),
        ("sftp://host/dir", "needs user@host"),
        ("sftp://ann:secret@host/dir", "keep the password out of the replica URL"),
        ("sftp://ann@host", "give the folder on the server"),
        ("sftp://ann@host:port/x", "the port is not a number"),
        ("s3:///folder", "an S3 replica needs a bucket"),
    ],
)
def test_bad_urls_are_refused(fails, ok, url: str, message: str) -> None:
    ok("lead", "add", "Ann Lee")
    result = fails("replica", "set", url, match=message)
    assert "secret" not in result.stderr


def test_secrets_are_never_printed(ok, fails, replica: Path, monkeypatch) -> None:
    ok("config", "set", "replica.sftp_password", "hunter2")
    ok("config", "set", "replica.secret_access_key", "AKIAsecretvalue")
    assert ok("config", "get", "replica.sftp_password").stdout.strip() == "(set, hidden)"
    listed = ok("config", "list", "--format", "csv").stdout
    shown = ok("replica", "show").stdout
    exported = ok("export", "leads", "--format", "csv").stdout
    for text in (listed, shown, exported):
        assert "hunter2" not in text and "AKIAsecretvalue" not in text
    assert "(set, hidden) (config)" in shown
    monkeypatch.setenv("SALESFLOW_REPLICA_SFTP_PASSWORD", "from-env")
    shown = ok("replica", "show").stdout
    assert "from-env" not in shown and "(env SALESFLOW_REPLICA_SFTP_PASSWORD)" in shown
    fails("config", "set", "replica.lease_seconds", "1", match="2 to 86400")
    fails("config", "set", "replica.sftp_key", "/no/such/key", match="is not a file")
    fails("config", "set", "replica.sftp_host_key", "nonsense", match="OpenSSH public key line")


def test_status_and_replicate_need_a_replica(ok, fails) -> None:
    ok("lead", "add", "Ann Lee")
    fails("replica", "status", match="no replica is set")
    fails("replicate", match="no replica is set")
    fails("replica", "unset", match="no replica is set")


def test_systemd_unit(ok, replica: Path, db_path: Path) -> None:
    unit = ok("replicate", "--print-unit", "systemd").stdout
    assert f"-m salesflow --db {db_path} replicate" in unit
    assert "RestartPreventExitStatus=3" in unit and "WantedBy=default.target" in unit
    assert "[Service]" in unit and "EnvironmentFile=-%h/.config/salesflow/replica.env" in unit


def test_launchd_agent(ok, replica: Path, db_path: Path) -> None:
    import plistlib
    import sys

    text = ok("replicate", "--print-unit", "launchd").stdout
    agent = plistlib.loads(text.encode())  # a well-formed plist, comment and all
    assert agent["Label"] == "org.salesflow.replicate"
    assert agent["ProgramArguments"] == [
        sys.executable, "-m", "salesflow", "--db", str(db_path), "replicate"
    ]  # fmt: skip
    assert agent["KeepAlive"] == {"SuccessfulExit": False} and agent["RunAtLoad"] is True
    assert "launchctl bootstrap" in text and "secret" not in text.lower()


def test_launchd_agent_with_dashes_in_the_path(ok, replica: Path, tmp_path: Path) -> None:
    import plistlib

    db = tmp_path / "a--b.db"
    ok("--db", str(db), "lead", "add", "Ann Lee")
    ok("--db", str(db), "replica", "set", replica.as_uri())
    text = ok("--db", str(db), "replicate", "--print-unit", "launchd").stdout
    assert str(db) in plistlib.loads(text.encode())["ProgramArguments"]


def test_unknown_unit_kind(fails, replica: Path) -> None:
    fails("replicate", "--print-unit", "upstart", match='--print-unit "upstart"')


def test_restore_refuses_to_overwrite(fails, replica: Path, db_path: Path) -> None:
    fails("replica", "restore", match=f"{db_path} already exists — add --force")


def test_missing_litestream_is_one_clear_line(fails, replica: Path, monkeypatch) -> None:
    monkeypatch.setenv("SALESFLOW_LITESTREAM", "/no/such/litestream")
    fails("replica", "status", match="SALESFLOW_LITESTREAM=/no/such/litestream is not")


def test_a_write_is_refused_while_another_machine_holds_the_lease(ok, fails, replica: Path) -> None:
    _lease(replica)
    fails(
        "lead", "add", "Bob",
        match="desk-pc holds the pipeline since 08:12 — run salesflow handover there, "
        "or salesflow takeover here",
    )  # fmt: skip
    fails("undo", match="desk-pc holds the pipeline")
    fails("config", "set", "currency", "EUR", match="desk-pc holds the pipeline")
    # Reads still work, and say whose pipeline this is.
    read = ok("lead", "list")
    assert "Ann Lee" in read.stdout
    assert "Note: this copy may be behind; desk-pc holds the pipeline" in read.stderr


def test_an_expired_lease_of_another_machine_asks_for_force(fails, replica: Path) -> None:
    _lease(replica, expires="2026-11-23T08:30:00Z")
    fails("lead", "add", "Bob", match="its lease ran out at 08:30 without a handover")


def test_a_released_lease_asks_for_takeover(fails, replica: Path) -> None:
    _lease(replica, released_at="2026-11-23T08:40:00Z")
    fails("lead", "add", "Bob", match="desk-pc handed the pipeline over at 2026-11-23 08:40")


def test_no_lease_yet_lets_the_first_machine_write(ok, replica: Path) -> None:
    ok("lead", "add", "Bob")
    assert not (replica / "lease.json").exists()


def test_own_live_lease_writes_without_asking_the_replica(ok, replica: Path, db_path) -> None:
    from salesflow.replica import lease, state

    me = lease.me(str(db_path))
    mine = lease.Lease(me.host, me.user, me.db, "2026-11-23T08:00:00Z", "2026-11-23T09:10:00Z")
    state.save(str(db_path), state.State().with_lease(mine))
    _lease(replica)  # what the replica says is not read while this machine's lease is live
    ok("lead", "add", "Bob")
    assert socket.gethostname() == me.host and mine.expires > NOW
    assert os.stat(state.path(str(db_path))).st_mode & 0o777 == 0o600

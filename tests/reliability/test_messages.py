"""Ordinary failures said plainly: one line that names what happened and that nothing changed,
never "unexpected … report it"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.procs import ROOT, env_for, one_error, sf

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


def to_dev_full(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    with open("/dev/full", "w") as full:
        return subprocess.run([sys.executable, "-m", "salesflow", *args], cwd=ROOT,
                              env=env_for(db), stdout=full, stderr=subprocess.PIPE,
                              text=True)  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ["lead", "list"],
        ["lead", "list", "--format", "csv"],
        ["export", "leads"],
        ["export", "leads", "--format", "ndjson"],
        ["followup", "list", "--format", "ics"],
        ["report", "summary", "--format", "json"],
    ],
)
def test_stdout_on_a_full_device(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "sf.db"
    assert sf(db, "lead", "add", "Ann").returncode == 0
    assert sf(db, "followup", "add", "1", "call", "--due", "tomorrow").returncode == 0
    err = one_error(to_dev_full(db, *args))
    assert err == "Error: cannot write the output: No space left on device — nothing was changed"


def test_export_to_dev_full(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    assert sf(db, "lead", "add", "Ann").returncode == 0
    err = one_error(sf(db, "export", "leads", "-o", "/dev/full"))
    assert err == "Error: cannot write /dev/full: No space left on device — nothing was changed"


def test_an_io_error_after_a_commit_says_the_change_was_saved(ok, run, monkeypatch) -> None:
    from salesflow.output.terminal import Terminal

    ok("lead", "add", "Ann")

    def full(self, message: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Terminal, "say", full)
    r = run("lead", "add", "Bob")
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        "Error: cannot write the output: No space left on device — the command's change "
        "itself was saved"
    )


def test_an_argument_that_is_not_utf8(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    assert sf(db, "lead", "add", "Ann").returncode == 0
    before = db.read_bytes()
    r = subprocess.run([sys.executable.encode(), b"-m", b"salesflow", b"lead", b"add", b"hi\x9b"],
                       cwd=ROOT, env=env_for(db), capture_output=True)  # fmt: skip
    r = subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode(), r.stderr.decode())
    err = one_error(r)
    assert err.startswith('Error: argument 3 ("hi\\x9b") is not valid UTF-8 (byte 0x9b)')
    assert db.read_bytes() == before

"""What only a real process shows: pipes, TTYs, exit codes, file modes, the README's commands."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terminal import run_on_tty

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def salesflow(*args: str, db: Path, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    env.pop("NO_COLOR", None)
    env.update(kw.pop("env", {}))
    return subprocess.run(
        [sys.executable, "-m", "salesflow", *args], capture_output=True, text=True, env=env,
        cwd=ROOT, **kw,
    )  # fmt: skip


def test_exit_codes_and_no_ansi_in_a_pipe(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    assert salesflow("lead", "add", "Zoë", "--company", "Ünïcode GmbH", db=db).returncode == 0
    listed = salesflow("lead", "list", db=db)
    assert listed.returncode == 0 and "Ünïcode GmbH" in listed.stdout
    assert "\x1b[" not in listed.stdout + listed.stderr
    missing = salesflow("lead", "show", "nobody", db=db)
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: no lead matches") and "Traceback" not in missing.stderr
    usage = salesflow("lead", "list", "--format", "xml", db=db)
    assert usage.returncode == 2
    csv_out = subprocess.run(
        [sys.executable, "-m", "salesflow", "--db", str(db), "lead", "list", "--format", "csv"],
        capture_output=True, cwd=ROOT,
    ).stdout  # fmt: skip
    assert csv_out.startswith(b"id,name,") and csv_out.endswith(b"\r\n")


def test_colour_on_a_terminal_but_not_with_no_color(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    salesflow("lead", "add", "Ann", "--company", "Acme", db=db)

    def on_tty(env: dict[str, str]) -> str:
        full = {**os.environ, "SALESFLOW_DB": str(db), "TERM": "xterm-256color", **env}
        full.pop("NO_COLOR", None) if "NO_COLOR" not in env else None
        argv = [sys.executable, "-m", "salesflow", "lead", "list"]
        proc, shown = run_on_tty(argv, env=full, cwd=ROOT)
        assert proc.returncode == 0
        return shown

    assert "\x1b[" in on_tty({})
    plain = on_tty({"NO_COLOR": "1"})
    assert "\x1b[" not in plain and "Acme" in plain


def test_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    for i in range(3):
        salesflow("lead", "add", f"Lead {i}", db=db)
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    proc = subprocess.run(
        f"{sys.executable} -m salesflow lead list --format csv | head -c 10",
        shell=True, capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert proc.stdout == "id,name,co"
    assert "Exception" not in proc.stderr and "Error" not in proc.stderr


def test_files_are_private_under_umask_022(tmp_path: Path) -> None:
    db = tmp_path / "data" / "sf.db"
    probe = (
        "import os, stat, sys\n"
        "from pathlib import Path\n"
        "from salesflow import store\n"
        "p = Path(sys.argv[1])\n"
        "conn = store.connect(p)\n"
        "conn.execute('BEGIN IMMEDIATE'); conn.execute(\"INSERT INTO settings VALUES ('a','b')\")\n"
        "conn.execute('COMMIT')\n"
        "for f in (p, Path(str(p) + '-wal'), Path(str(p) + '-shm'), p.parent):\n"
        "    print(f.name, oct(stat.S_IMODE(f.stat().st_mode)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(db)], capture_output=True, text=True, cwd=ROOT,
        preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    modes = dict(line.split() for line in proc.stdout.splitlines())
    assert modes == {"sf.db": "0o600", "sf.db-wal": "0o600", "sf.db-shm": "0o600", "data": "0o700"}


def test_default_location_is_the_user_data_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SALESFLOW_DB"}
    env["HOME"] = str(tmp_path)
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    proc = subprocess.run(
        [sys.executable, "-m", "salesflow", "lead", "add", "Ann"], capture_output=True, text=True,
        env=env, cwd=ROOT,
    )  # fmt: skip
    expected = tmp_path / "xdg" / "salesflow" / "salesflow.db"
    assert proc.returncode == 0, proc.stderr
    assert f"Created a new salesflow database at {expected}" in proc.stderr
    assert stat.S_IMODE(expected.parent.stat().st_mode) == 0o700


def readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def test_readme_test_command_is_what_ci_runs() -> None:
    test_command = readme_blocks()[1].strip()
    assert "pytest" in test_command
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci


@pytest.mark.skipif(not (BIN / "salesflow").exists(), reason="salesflow is not installed here")
def test_readme_first_run_command_works(tmp_path: Path) -> None:
    first = readme_blocks()[0].strip()
    parts = first.split(" && ")
    assert " && ".join(parts[:2]) == "python3 -m venv .venv && .venv/bin/pip install ."
    commands = parts[2:]
    assert commands and all(c.startswith(".venv/bin/salesflow ") for c in commands)
    # The install step is what CI itself just did; run every salesflow command of the chain,
    # in order, with this venv's script.
    runs = []
    for command in commands:
        argv = [str(BIN / "salesflow"), *shlex.split(command)[1:]]
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 0, (command, proc.stderr)
        runs.append(proc)
    demo, listing = runs[0], runs[-1]
    assert "demo" in commands[0].split()
    assert "Created a new salesflow database" in demo.stderr and "Demo data in" in demo.stderr
    assert (tmp_path / "demo.db").exists()
    # A full pipeline: ten open leads with their stages.
    rows = [line for line in listing.stdout.splitlines() if re.match(r"\s*\d+\s", line)]
    assert len(rows) == 10, listing.stdout
    assert shutil.which("salesflow", path=str(BIN))

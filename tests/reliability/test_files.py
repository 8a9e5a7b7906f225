"""Files and folders salesflow makes: private from the first byte, whole or not at all, and a
path is a path (never a URI)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.procs import ROOT, env_for, one_error, sf
from tests.reliability.test_migrations import make_old

# Runs salesflow with every way Python can create a file or folder watched: a file created
# with permissions for others (os.open's mode, checked on the new file itself; open() in a
# write mode, which creates 0666 & ~umask; SQLite creating a database file it was pointed at),
# or a folder made with more than 0700, is reported on stderr as VIOLATION.
WATCHED = r"""
import os, sys, stat
real_open = os.open
def watched_open(path, flags, mode=0o777, *a, **k):
    existed = os.path.lexists(path) if isinstance(path, (str, bytes, os.PathLike)) else True
    fd = real_open(path, flags, mode, *a, **k)
    if flags & os.O_CREAT and not existed:
        got = stat.S_IMODE(os.fstat(fd).st_mode)
        if got & 0o077:
            print(f"VIOLATION os.open {path} {got:o}", file=sys.stderr)
    return fd
os.open = watched_open
def hook(event, args):
    if event == "open" and isinstance(args[1], str) and set(args[1]) & set("wax+"):
        if isinstance(args[0], (str, bytes, os.PathLike)) and not os.path.exists(args[0]):
            print(f"VIOLATION open {args[0]} {args[1]}", file=sys.stderr)
    elif event == "sqlite3.connect":
        db = args[0]
        if isinstance(db, (str, os.PathLike)) and not str(db).startswith("file:") \
                and str(db) != ":memory:" and not os.path.exists(db):
            print(f"VIOLATION sqlite3.connect {db}", file=sys.stderr)
    elif event == "os.mkdir" and args[1] & 0o077:
        print(f"VIOLATION mkdir {args[0]} {args[1]:o}", file=sys.stderr)
sys.addaudithook(hook)
sys.argv = ["salesflow", *sys.argv[1:]]
from salesflow.cli import main
main()
"""


def watched(db: Path, *args: str, umask: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WATCHED, *args], cwd=ROOT, env=env_for(db), text=True,
        capture_output=True, preexec_fn=lambda: os.umask(umask),
    )  # fmt: skip


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_every_file_and_folder_is_private_from_the_start(tmp_path: Path, umask: int) -> None:
    home = tmp_path / "home"
    db = home / "new" / "sub" / "sf.db"
    old = tmp_path / "old.db"
    make_old(old, 1)
    os.chmod(old, 0o600)
    steps = [
        (db, ["lead", "add", "Ann"]),  # creates folders and the database
        (db, ["quote", "new", "1", "--item", "Work; 1; 100"]),
        (db, ["db", "backup"]),
        (db, ["db", "backup", str(home / "named.bak")]),
        (db, ["export", "leads", "-o", str(home / "leads.csv")]),
        (db, ["export", "leads", "-o", str(home / "leads.csv")]),  # over an existing file
        (db, ["quote", "render", "Q-2026-0001", "-o", str(home / "q.html")]),
        (db, ["quote", "render", "Q-2026-0001", "-o", str(home / "q.html")]),
        (db, ["db", "restore", "--yes", str(home / "named.bak")]),
        (db, ["undo"]),
        (old, ["lead", "list"]),  # a schema upgrade writes its safety copy
    ]
    for path, args in steps:
        r = watched(path, *args, umask=umask)
        assert r.returncode == 0, (args, r.stderr)
        assert "VIOLATION" not in r.stderr, (args, r.stderr)
    made = [home, *home.rglob("*")] + list(tmp_path.glob("old.db*"))
    assert len(made) >= 12
    for p in made:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))


def test_the_default_data_folder_and_its_parents_are_0700(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = env_for("unused", HOME=str(home))
    env.pop("SALESFLOW_DB")
    env.pop("XDG_DATA_HOME", None)
    r = subprocess.run([sys.executable, "-m", "salesflow", "lead", "add", "Ann"], cwd=ROOT,
                       env=env, capture_output=True, text=True,
                       preexec_fn=lambda: os.umask(0))  # fmt: skip
    assert r.returncode == 0, r.stderr
    data = home / ".local" / "share" / "salesflow"
    assert (data / "salesflow.db").is_file()
    for folder in (home / ".local", home / ".local" / "share", data):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_first_creation_keeps_an_existing_folders_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    assert sf(shared / "sf.db", "lead", "add", "Ann", umask=0).returncode == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "sf.db").stat().st_mode) == 0o600


def test_quote_render_over_a_file_when_the_disk_fills_keeps_the_old_file(
    ok, fails, tmp_path: Path, monkeypatch
) -> None:
    ok("lead", "add", "Ann")
    ok("quote", "new", "1", "--item", "Work; 1; 100")
    target = tmp_path / "q.html"
    target.write_text("the earlier quote")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, f):
            self.f = f

        def write(self, text):
            self.f.write(text[:100])
            self.f.flush()
            raise OSError(28, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    full = f"cannot write {target}: No space left on device — nothing was changed"
    fails("quote", "render", "Q-2026-0001", "-o", str(target), match=full)
    assert target.read_text() == "the earlier quote"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_and_render_to_dev_full_are_one_clear_error(ok, fails, two_leads) -> None:
    ok("quote", "new", "1", "--item", "Work; 1; 100")
    fails("export", "leads", "-o", "/dev/full", match="cannot write /dev/full: No space left")
    fails("quote", "render", "Q-2026-0001", "-o", "/dev/full", match="No space left on device")


HOSTILE = ["a#b.db", "q?x=1.db", "100%25.db", "sp ace.db", "中文 数据库.db", "mode=ro&x.db"]


@pytest.mark.parametrize("name", HOSTILE)
def test_paths_are_never_parsed_as_uris(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name.replace(".db", "")
    folder.mkdir()
    db = folder / name
    other = folder / name.split("#")[0].split("?")[0]  # what a URI reading would open instead
    assert sf(db, "lead", "add", "Ann").returncode == 0
    bak = folder / f"b{name}.bak"
    assert sf(db, "db", "backup", str(bak)).returncode == 0
    assert sf(db, "lead", "add", "Bob").returncode == 0
    assert sf(db, "db", "check").returncode == 0
    for fmt in ("csv", "json"):
        assert sf(db, "export", "leads", "-o", str(folder / f"{name}.{fmt}")).returncode == 0
    assert sf(db, "quote", "new", "1", "--item", "Work; 1; 100").returncode == 0
    rendered = sf(db, "quote", "render", "Q-2026-0001", "-o", str(folder / f"{name}.md"))
    assert rendered.returncode == 0
    r = sf(db, "db", "restore", "--yes", str(bak))
    assert r.returncode == 0, r.stderr
    assert names(db) == ["Ann"]
    csv_in = folder / f"in {name}.csv"
    csv_in.write_text("name\nCy\n")
    assert sf(db, "import", "leads", str(csv_in)).returncode == 0
    assert names(db) == ["Ann", "Cy"]
    stray = {p.name for p in folder.iterdir()} - {
        db.name, f"{db.name}-wal", f"{db.name}-shm", bak.name, csv_in.name,
        f"{name}.csv", f"{name}.json", f"{name}.md",
    }  # fmt: skip
    assert all(p.endswith(".bak") and p.startswith(db.name) for p in stray), stray
    if other != db:
        assert not other.exists()


def test_restore_reads_the_file_named_not_a_uri_prefix(tmp_path: Path) -> None:
    old, good = tmp_path / "old.db", tmp_path / "old.db#good.bak"
    db = tmp_path / "live.db"
    assert sf(old, "lead", "add", "Old").returncode == 0
    assert sf(good, "lead", "add", "Good").returncode == 0
    assert sf(db, "lead", "add", "Live").returncode == 0
    assert sf(db, "db", "restore", "--yes", str(good)).returncode == 0
    assert names(db) == ["Good"]
    r = sf(db, "db", "restore", "--yes", str(tmp_path / "bk?x=1.bak"))
    assert "is not a file" in one_error(r)
    assert not (tmp_path / "bk").exists()


def names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM leads ORDER BY id")]
    finally:
        conn.close()


def test_a_killed_backup_is_never_taken_for_one(ok, db_path: Path) -> None:
    ok("lead", "add", "Ann")
    dead = 2**22 + 12345  # above the default pid_max: no such process
    half = db_path.parent / f".sf.db.20261123T090000Z.bak.{dead}.tmp"
    half.write_bytes(b"SQLite format 3\x00half")
    Path(f"{half}-journal").write_bytes(b"x")
    info = ok("db", "info", "--format", "csv").stdout
    assert "last_backup," in info and ".bak" not in info.split("last_backup,")[1].split("\n")[0]
    ok("db", "backup")
    assert not half.exists() and not Path(f"{half}-journal").exists()
    assert sorted(p.name for p in db_path.parent.iterdir() if "bak" in p.name) == [
        "sf.db.20261123T090000Z.bak"
    ]


def test_a_killed_first_run_leaves_nothing_behind(ok, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    stale = db_path.parent / f".sf.db.{2**22 + 7}.new"
    stale.write_bytes(b"SQLite format 3\x00")
    Path(f"{stale}-journal").write_bytes(b"x")
    ok("lead", "add", "Ann")
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["sf.db", "sf.db-shm", "sf.db-wal"]


def made_readonly(tmp_path: Path) -> Path:
    db = tmp_path / "ro" / "sf.db"
    assert sf(db, "lead", "add", "Ann").returncode == 0
    assert sorted(p.name for p in db.parent.iterdir()) == ["sf.db"]
    return db


def test_a_read_only_file_reads_and_says_why_it_cannot_change(tmp_path: Path) -> None:
    db = made_readonly(tmp_path)
    db.chmod(0o444)
    listed = sf(db, "lead", "list", "--format", "csv", unprivileged=True)
    assert listed.returncode == 0, listed.stderr
    assert "Ann" in listed.stdout
    assert sorted(p.name for p in db.parent.iterdir()) == ["sf.db"]  # no 0444 -wal/-shm
    err = one_error(sf(db, "lead", "add", "Bob", unprivileged=True))
    assert err.startswith("Error: cannot change the database: the file is read-only for you")
    assert "mode 0444) — nothing was changed" in err
    db.chmod(0o600)  # the user fixes the mode: writes work again
    assert sf(db, "lead", "add", "Bob", unprivileged=True).returncode == 0
    assert names(db) == ["Ann", "Bob"]


def test_a_database_in_a_read_only_folder_reads(tmp_path: Path) -> None:
    db = made_readonly(tmp_path)
    db.parent.chmod(0o555)
    try:
        listed = sf(db, "lead", "list", "--format", "csv", unprivileged=True)
        assert listed.returncode == 0, listed.stderr
        assert "Ann" in listed.stdout
        err = one_error(sf(db, "lead", "add", "Bob", unprivileged=True))
        assert f"its folder {db.parent} is read-only for you" in err
    finally:
        db.parent.chmod(0o700)
    assert names(db) == ["Ann"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making another user's file needs root")
def test_another_users_private_file_says_permission_denied(tmp_path: Path) -> None:
    db = made_readonly(tmp_path)
    os.chown(db, 65534, 65534)
    err = one_error(sf(db, "lead", "list", unprivileged=True))
    assert err.startswith(f"Error: cannot read {db}: permission denied (owned by ")
    assert "mode 0600" in err and "not a salesflow database" not in err

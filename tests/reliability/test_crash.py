"""A write killed with SIGKILL at any moment leaves a sound database with all or none of it;
so does a backup, a restore, an undo and the demo. Each loop records where its kills landed
and fails unless some landed inside the work (tests/reliability/kills.py)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from salesflow import store
from tests.reliability.kills import clean, kill_loop
from tests.reliability.procs import sf

N_LEADS = 5000
RUNS, SLOW_RUNS = 8, 30


def build(db: Path, n: int = N_LEADS, name: str = "lead") -> None:
    conn = store.connect(db)
    now = "2026-11-01T00:00:00Z"
    with store.transaction(conn, write=True):
        conn.executemany(
            "INSERT INTO leads (name, currency, stage, created_at, updated_at) "
            "VALUES (?, 'USD', 'contacted', ?, ?)",
            [(f"{name} {i}", now, now) for i in range(n)],
        )
        conn.execute(
            "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at) "
            "SELECT id, NULL, 'contacted', created_at FROM leads"
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def counts(db: Path, *tables: str) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


def writing(db: Path):
    """Whether another process holds the database's write lock right now: a kill then lands
    inside its write transaction."""

    def probe() -> bool:
        if not db.exists():
            return False
        conn = sqlite3.connect(db, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()

    return probe


def restorer(db: Path, pristine: bytes):
    def reset() -> None:
        clean(db)
        db.write_bytes(pristine)

    return reset


def all_or_none(db: Path, whole: dict[str, int], none: dict[str, int]):
    def outcome() -> str:
        found = counts(db, *whole)
        assert found in (whole, none), found
        return "new" if found == whole else "old"

    return outcome


def map_loop(tmp_path: Path, runs: int) -> None:
    db = tmp_path / "sf.db"
    build(db)
    pristine = db.read_bytes()

    def outcome() -> str:
        conn = sqlite3.connect(db)
        stages = dict(conn.execute("SELECT stage, count(*) FROM leads GROUP BY stage").fetchall())
        pipeline = [r[0] for r in conn.execute("SELECT name FROM stages ORDER BY position")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        if stages == {"contacted": N_LEADS}:
            assert "contacted" in pipeline
            return "old"
        assert stages == {"new": N_LEADS} and pipeline == ["new", "won", "lost"], stages
        return "new"

    kill_loop(argv=["stages", "set", "new:10", "--map", "contacted=new"], db=db,
              reset=restorer(db, pristine), inside=writing(db), outcome=outcome, runs=runs,
              seed=20261123)  # fmt: skip


def test_pipeline_change_with_map_is_all_or_nothing(tmp_path: Path) -> None:
    map_loop(tmp_path, RUNS)


@pytest.mark.slow
def test_pipeline_change_with_map_many_kills(tmp_path: Path) -> None:
    map_loop(tmp_path, SLOW_RUNS)


def empty_db(tmp_path: Path) -> bytes:
    path = tmp_path / "empty.db"
    store.connect(path).close()
    return path.read_bytes()


def import_file(tmp_path: Path, n: int) -> Path:
    csv_file = tmp_path / "leads.csv"
    lines = ["name,company,email,value"]
    lines += [f"Lead {i},Company {i % 700},lead{i}@example.test,{i}.50" for i in range(n)]
    csv_file.write_text("\n".join(lines) + "\n")
    return csv_file


def test_import_of_10000_rows_is_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    csv_file = import_file(tmp_path, 10_000)
    whole = {"leads": 10_000, "stage_changes": 10_000}
    kill_loop(argv=["import", "leads", str(csv_file)], db=db,
              reset=restorer(db, empty_db(tmp_path)), inside=writing(db),
              outcome=all_or_none(db, whole, dict.fromkeys(whole, 0)), runs=RUNS,
              seed=2)  # fmt: skip


def test_quote_with_many_lines_is_all_or_nothing(tmp_path: Path) -> None:
    base = tmp_path / "base.db"
    assert sf(base, "lead", "add", "Ann").returncode == 0
    conn = sqlite3.connect(base)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db = tmp_path / "crash.db"
    items = [arg for i in range(400) for arg in ("--item", f"Part {i}; {i % 7 + 1}; {i}.25")]
    whole = {"quotes": 1, "quote_items": 400}
    kill_loop(argv=["quote", "new", "1", *items], db=db, reset=restorer(db, base.read_bytes()),
              inside=writing(db), outcome=all_or_none(db, whole, dict.fromkeys(whole, 0)),
              runs=RUNS, seed=3)  # fmt: skip


def test_undo_of_a_big_import_is_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    base = tmp_path / "imported.db"
    r = sf(base, "import", "leads", str(import_file(tmp_path, 5000)))
    assert r.returncode == 0, r.stderr
    conn = sqlite3.connect(base)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = {"leads": 5000, "stage_changes": 5000}

    def outcome() -> str:
        found = counts(db, "leads", "stage_changes", "journal")
        if found == {**before, "journal": 1}:
            return "old"
        assert found == {"leads": 0, "stage_changes": 0, "journal": 0}, found
        return "new"

    kill_loop(argv=["undo"], db=db, reset=restorer(db, base.read_bytes()), inside=writing(db),
              outcome=outcome, runs=RUNS, seed=4)  # fmt: skip


def demo_loop(tmp_path: Path, runs: int) -> None:
    folder = tmp_path / "demo"
    db = folder / "demo.db"
    whole: dict[str, int] = {}

    def reset() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    def inside() -> bool:  # the file exists: the fill's transaction is what is left
        return db.exists()

    def outcome() -> str:
        if not db.exists():
            return "old"
        found = counts(db, "leads", "activities", "quotes", "journal")
        if found["leads"] == 0:
            assert found == {"leads": 0, "activities": 0, "quotes": 0, "journal": 0}, found
            return "old"
        if not whole:
            whole.update(found)
        assert found == whole, found
        return "new"

    kill_loop(argv=["demo", "--leads", "120", "--seed", "5"], db=db, reset=reset, inside=inside,
              outcome=outcome, runs=runs, seed=5)  # fmt: skip
    # A first run killed while building the file leaves a `.demo.db.PID.new`; the next
    # command that creates the database removes it.
    reset()
    folder.mkdir()
    (folder / ".demo.db.4194000.new").write_bytes(b"partial")
    assert sf(db, "config", "set", "currency", "USD").returncode == 0  # a command that writes
    assert sorted(p.name for p in folder.iterdir()) == ["demo.db"]


def test_demo_killed_leaves_no_database_or_a_whole_one(tmp_path: Path) -> None:
    demo_loop(tmp_path, RUNS)


@pytest.mark.slow
def test_demo_many_kills(tmp_path: Path) -> None:
    demo_loop(tmp_path, SLOW_RUNS)


def test_backup_killed_leaves_no_backup_or_a_whole_one(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    build(db)
    pristine = db.read_bytes()

    def reset() -> None:
        restorer(db, pristine)()
        for p in tmp_path.glob("*crash.db.*"):
            p.unlink()

    def inside() -> bool:
        return any(tmp_path.glob(".crash.db.*.bak.*.tmp"))

    def outcome() -> str:
        baks = list(tmp_path.glob("crash.db.*.bak"))
        for bak in baks:  # anything named like a backup is a whole, checked one
            assert counts(bak, "leads") == {"leads": N_LEADS}
        info = sf(db, "db", "info", "--format", "json")
        last = {r["item"]: r["value"] for r in __import__("json").loads(info.stdout)}
        assert (last["last_backup"] is not None) == bool(baks)
        return "new" if baks else "old"

    kill_loop(argv=["db", "backup"], db=db, reset=reset, inside=inside, outcome=outcome,
              runs=RUNS, seed=6)  # fmt: skip


def restore_loop(tmp_path: Path, runs: int) -> None:
    db = tmp_path / "crash.db"
    build(db)
    pristine = db.read_bytes()
    source = tmp_path / "source.bak"
    build(source, n=10, name="restored")

    def reset() -> None:
        restorer(db, pristine)()
        for p in tmp_path.glob("*crash.db.*"):
            p.unlink()

    inside = writing(db)  # from the safety copy until the restored pages commit

    def outcome() -> str:
        saved = list(tmp_path.glob("crash.db.*.bak"))
        for bak in saved:  # a safety copy, whenever one exists, is whole
            assert counts(bak, "leads") == {"leads": N_LEADS}
        found = counts(db, "leads")["leads"]
        if found == N_LEADS:
            return "old"
        assert found == 10, found
        assert saved, "restored without a safety copy of what it replaced"
        return "new"

    kill_loop(argv=["db", "restore", "--yes", str(source)], db=db, reset=reset, inside=inside,
              outcome=outcome, runs=runs, seed=7)  # fmt: skip


def test_restore_killed_leaves_the_old_or_the_restored_database(tmp_path: Path) -> None:
    restore_loop(tmp_path, RUNS)


@pytest.mark.slow
def test_restore_many_kills(tmp_path: Path) -> None:
    restore_loop(tmp_path, SLOW_RUNS)

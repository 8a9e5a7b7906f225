"""The database's side files damaged or gone, and symbolic links where a file should be."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.reliability.procs import one_error, sf

N = 6  # commits left in the -wal, not yet copied into the database


def crash_image(tmp_path: Path) -> dict[str, bytes]:
    """The files as a power cut would leave them: N leads committed by salesflow but still only
    in the -wal (another connection held the file open, so no one checkpointed), and the
    -shm of that moment."""
    live = tmp_path / "live" / "sf.db"
    assert sf(live, "config", "set", "currency", "USD").returncode == 0  # creates it
    holder = sqlite3.connect(live)
    holder.execute("SELECT count(*) FROM leads").fetchone()
    for i in range(N):
        assert sf(live, "lead", "add", f"wal lead {i}").returncode == 0
    image = {side: Path(f"{live}{side}").read_bytes() for side in ("", "-wal", "-shm")}
    holder.close()
    return image


def lay_out(image: dict[str, bytes], folder: Path, **changed: bytes | None) -> Path:
    folder.mkdir()
    for side, data in image.items():
        data = changed.get(side.strip("-") or "db", data)
        if data is not None:
            Path(f"{folder / 'sf.db'}{side}").write_bytes(data)
    return folder / "sf.db"


def leads(db: Path) -> list[str]:
    r = sf(db, "lead", "list", "--format", "json")
    assert r.returncode == 0, r.stderr
    return [row["name"] for row in json.loads(r.stdout)]


def test_a_truncated_wal_gives_a_prefix_of_the_commits(tmp_path: Path) -> None:
    image = crash_image(tmp_path)
    full = image["-wal"]
    assert leads(lay_out(image, tmp_path / "whole")) == [f"wal lead {i}" for i in range(N)]
    seen = []
    for cut in sorted({32, 100, len(full) // 3, len(full) // 2, len(full) - 4000, len(full) - 1}):
        # The -shm stays stale: it counts the whole -wal.
        db = lay_out(image, tmp_path / f"cut{cut}", wal=full[:cut])
        names = leads(db)
        assert names == [f"wal lead {i}" for i in range(len(names))], names
        assert sf(db, "db", "check").returncode == 0
        assert sf(db, "lead", "add", "after").returncode == 0
        seen.append(len(names))
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] < N


@pytest.mark.parametrize("gone", ["wal", "shm", "both"])
def test_a_deleted_side_file_loses_at_most_the_unsaved_commits(tmp_path: Path, gone: str) -> None:
    image = crash_image(tmp_path)
    drop = {"wal": None, "shm": None} if gone == "both" else {gone: None}
    db = lay_out(image, tmp_path / "work", **drop)
    assert leads(db) == ([] if gone != "shm" else [f"wal lead {i}" for i in range(N)])
    assert sf(db, "db", "check").returncode == 0
    assert sf(db, "lead", "add", "after").returncode == 0


def link_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "a-folder").mkdir()
    cases = {
        "dangling": ("nowhere.db", "is a symbolic link to"),
        "loop": ("loop.db", "symbolic link"),  # a link to itself
        "dev-null": ("/dev/null", "is not a regular file"),
        "folder": ("a-folder", "is a folder"),
    }
    made = {}
    for name, (target, said) in cases.items():
        link = folder / f"{name}.db"
        os.symlink(target, link)
        made[name] = (link, said)
    return made


@pytest.mark.parametrize("case", ["dangling", "loop", "dev-null", "folder"])
def test_a_database_path_that_is_a_bad_symlink(tmp_path: Path, case: str) -> None:
    link, said = link_cases(tmp_path)[case]
    before = sorted(p.name for p in link.parent.rglob("*"))
    for args in (["lead", "list"], ["lead", "add", "Ann"], ["db", "backup"]):
        err = one_error(sf(link, *args))
        assert said in err, err
    assert sorted(p.name for p in link.parent.rglob("*")) == before  # nothing created
    assert Path("/dev/null").is_char_device()


def test_a_symlink_to_a_database_works_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "sf.db"
    assert sf(real, "lead", "add", "Ann").returncode == 0
    link = tmp_path / "link.db"
    link.symlink_to(real)
    assert sf(link, "lead", "add", "Bob").returncode == 0
    assert leads(real) == ["Ann", "Bob"] and link.is_symlink()


def test_output_through_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    assert sf(db, "lead", "add", "Ann").returncode == 0
    target = tmp_path / "exports" / "leads.csv"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "leads.csv"
    link.symlink_to(target)
    assert sf(db, "export", "leads", "-o", str(link)).returncode == 0
    assert link.is_symlink() and "Ann" in target.read_text()
    assert sorted(p.name for p in target.parent.iterdir()) == ["leads.csv"]
    to_folder = tmp_path / "to-folder.csv"
    to_folder.symlink_to(target.parent)
    assert "is a folder" in one_error(sf(db, "export", "leads", "-o", str(to_folder)))

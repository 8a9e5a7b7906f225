"""`import leads` finds duplicates without holding every lead's keys (importer/seen.py):
existing leads through their indexes, the file's new leads in memory up to seen.HELD and
then in a temporary table, updates of existing leads gathered a chunk at a time. Whichever
way a key is found, and however the rows fall into chunks, the import is the same."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from salesflow.importer import Batches, seen
from tests import test_import_stream as stream

EXISTING = [
    ("Ann Lee", "--company", "Acme Ltd", "--email", "Ann.Lee@Acme.test",
     "--phone", "+86 (138) 0000-0001"),
    ("王芳", "--company", "深圳华强", "--phone", "0755-1234 5678"),
    ("Bob", "--company", "Bolt"),
    ("Bob", "--company", "Bolt", "--force"),
]  # fmt: skip

SHEET = (
    "name,company,email,phone\n"
    "Carl,Cog,ANN.LEE@acme.TEST,\n"  # row 2: #1 by e-mail, whatever its case
    "Dee,,,86 138 0000 0001\n"  # row 3: #1 by phone digits
    "bob,BOLT,,\n"  # row 4: #3, the older Bob at Bolt
    "  Eve   Stone ,Elm,eve@x.test,\n"  # row 5: new
    "Fay,Fig,EVE@x.test,\n"  # row 6: row 5 by e-mail
    "eve stone,elm,,\n"  # row 7: row 5 by name and company
    "王芳,深圳华强,,\n"  # row 8: #2 by name and company
    "Gus,Gap,,0755 12345678\n"  # row 9: #2 by phone digits
    + "".join(f"N{i},Co{i},n{i}@x.test,\n" for i in range(10, 16))  # rows 10-15: new
    + "Hal,Hut,eve@X.TEST,\n"  # row 16: row 5 by e-mail, chunks later
    "Ivy,Ink,n10@x.test,\n"  # row 17: row 10 by e-mail
)

EXPECTED = [
    "row 2: skipped: same email as #1 Ann Lee (Acme Ltd)",
    "row 3: skipped: same phone as #1 Ann Lee (Acme Ltd)",
    "row 4: skipped: same name and company as #3 Bob (Bolt)",
    "row 6: skipped: same email as row 5",
    "row 7: skipped: same name and company as row 5",
    "row 8: skipped: same name and company as #2 王芳 (深圳华强)",
    "row 9: skipped: same phone as #2 王芳 (深圳华强)",
    "row 16: skipped: same email as row 5",
    "row 17: skipped: same email as row 10",
]

WAYS = [(10_000, 50_000), (2, 50_000), (2, 0), (3, 1)]  # (rows per chunk, new leads held)


def names(ok) -> list[str]:
    return [r["name"] for r in json.loads(ok("lead", "list", "--all", "-f", "json").stdout)]


@pytest.mark.parametrize(("size", "held"), WAYS)
def test_duplicates_are_found_however_the_keys_are_held(ok, monkeypatch, tmp_path, size, held):
    for args in EXISTING:
        ok("lead", "add", *args)
    path = tmp_path / "s.csv"
    path.write_text(SHEET)
    monkeypatch.setattr(Batches, "SIZE", size)
    monkeypatch.setattr(seen, "HELD", held)
    dry = ok("import", "leads", str(path), "--dry-run").stdout
    out = ok("import", "leads", str(path)).stdout
    assert dry.removeprefix("Dry run — nothing was changed.\n") == out
    assert [line for line in out.splitlines() if line.startswith("row ")] == EXPECTED
    assert re.search(r"new leads +7\n", out) and re.search(r"duplicates skipped +9\n", out)
    assert names(ok)[4:] == ["Eve Stone", *(f"N{i}" for i in range(10, 16))]


UPDATES = (
    "name,company,email,tags,notes\n"
    "Ann Lee,,ann.lee@acme.test,a,n1\n"  # row 2: #1
    "Bob,Bolt,,,\n"  # row 3: #3, nothing new
    "X1,C1,x1@x.test,,\n"
    "X2,C2,x2@x.test,,\n"
    "Ann Lee,Acme Group,ANN.LEE@acme.test,b,n2\n"  # row 6: #1 again, a chunk later
    "Bob,Bolt,,,\n"  # row 7: #3 again
)


@pytest.mark.parametrize(("size", "held"), WAYS)
def test_updates_add_up_across_chunks(ok, monkeypatch, tmp_path, size, held):
    """Two rows about #1 in different chunks: the company of the later, tags and notes of
    both; #3 unchanged by either row; a dry run says the same."""
    for args in EXISTING:
        ok("lead", "add", *args)
    path = tmp_path / "u.csv"
    path.write_text(UPDATES)
    monkeypatch.setattr(Batches, "SIZE", size)
    monkeypatch.setattr(seen, "HELD", held)
    args = ("import", "leads", str(path), "--on-duplicate", "update")
    dry = ok(*args, "--dry-run").stdout
    out = ok(*args).stdout
    assert dry.removeprefix("Dry run — nothing was changed.\n") == out
    assert re.search(r"new leads +2\n +updated +1\n +unchanged +2\n", out), out
    assert "row 3: same as #3 Bob (Bolt)" in out and "row 7: same as #3 Bob (Bolt)" in out
    ann = json.loads(ok("lead", "show", "1", "-f", "json").stdout)["lead"]
    assert (ann["company"], ann["tags"], ann["notes"]) == ("Acme Group", "a,b", "n1\nn2")


def test_a_bulk_load_still_finds_the_existing_leads(ok, monkeypatch, tmp_path, db_path):
    """Past as many rows as there were leads the leads' indexes are set aside: the existing
    leads' keys move to the temporary table first, so a late row still finds its lead."""
    from salesflow.importer import leadwrite

    for args in EXISTING:
        ok("lead", "add", *args)
    monkeypatch.setattr(leadwrite, "_BULK_MIN", 4)
    monkeypatch.setattr(Batches, "SIZE", 3)
    path = tmp_path / "b.csv"
    path.write_text(
        "name,company,email\n"
        + "".join(f"L{i},C{i},l{i}@x.test\n" for i in range(9))
        + "Zed,Zip,ANN.LEE@acme.test\nbob,bolt,\n"
    )
    out = ok("import", "leads", str(path)).stdout
    assert "row 11: skipped: same email as #1 Ann Lee (Acme Ltd)" in out
    assert "row 12: skipped: same name and company as #3 Bob (Bolt)" in out
    ok("db", "check")


def test_row_errors_past_those_kept_are_counted(ok, fails, monkeypatch, tmp_path) -> None:
    """A big file of bad rows lists the first errors (KEEP_NOTES × 10) and counts the rest."""
    ok("lead", "add", "Pre")
    monkeypatch.setattr(Batches, "KEEP_NOTES", 2)
    monkeypatch.setattr(Batches, "SIZE", 7)
    path = tmp_path / "bad.csv"
    path.write_text("name,value\n" + "".join(f"L{i},lots\n" for i in range(30)) + "Ok,5\n")
    out = fails("import", "leads", str(path), match="30 rows have errors, so nothing")
    assert re.search(r"rows with errors +30\n", out.stdout)
    listed = [line for line in out.stdout.splitlines() if line.startswith("row ")]
    assert len(listed) == 20 and listed[0].startswith("row 2, value:")
    assert listed[-1].startswith("row 21, value:")
    assert "… and 10 more errors" in out.stdout
    assert names(ok) == ["Pre"]


def peak_rss_kib(path: Path, db: Path, held: int) -> int:
    """test_import_stream's measure, with chunks of 500 rows and at most `held` new leads'
    keys in memory."""
    setup = (
        f"from salesflow.importer import Batches, seen\nseen.HELD = {held}\nBatches.SIZE = 500\n"
    )
    return stream.peak_rss_kib(path, db, setup)


def test_memory_stops_growing_past_the_keys_held(ok, tmp_path, db_path) -> None:
    """Nine times the new leads take the same memory once their keys are in the table;
    held in memory (as every key was before: seen.HELD = 10**9 here), the 40,000 more
    leads' keys take 12 MB more."""
    ok("lead", "add", "Someone", "--email", "someone@x.test")
    rss = []
    for rows in (5000, 45_000):
        path = tmp_path / f"{rows}.ndjson"
        with path.open("w") as f:
            for i in range(rows):
                row = {"name": f"Lead {i}", "company": f"Co {i % 97}", "email": f"l{i}@x.test",
                       "phone": f"+86 138 {i:08d}"}  # fmt: skip
                f.write(json.dumps(row) + "\n")
        rss.append(peak_rss_kib(path, db_path, 500) * 1024)
    assert rss[1] - rss[0] < 4 * 2**20, rss

"""`import activities` writes its new touches in batches while the file is read
(ActivityBatches) and looks up leads and logged touches a chunk at a time
(importer/activityfind.py): the same report, rows and undo however the rows fall into
chunks, and memory that grows neither with the file nor with the history already logged."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing

import pytest

from salesflow.importer import ActivityBatches, seen
from tests.conftest import dump

SHEET = (
    "lead_id,email,name,company,kind,happened_at,note\n"
    "1,,,,call,2026-11-20 10:00,called\n"  # row 2: logged before the import
    ",ANN@X.TEST,,,email,2026-11-20 11:00,sent deck\n"  # row 3: #1 by e-mail: new
    ",,bob  lee,bolt,meeting,2026-11-21,demo\n"  # row 4: #2 by name and company: new
    ",,Bob Lee,,visit,2026-11-22,visited\n"  # row 5: a unique name needs no company
    "#1,,,,email,2026-11-20 11:00,sent deck\n"  # row 6: row 3 again
    "2,,,,call,2026-11-23,x\n"  # row 7: new
    ",ann@x.test,,,call,2026-11-20 10:00,called\n"  # row 8: logged before
    "2,,,,meeting,2026-11-21,demo\n"  # row 9: row 4 again
)

EXPECTED = [
    "row 2: skipped: same as an activity already logged",
    "row 6: skipped: same as row 3",
    "row 8: skipped: same as an activity already logged",
    "row 9: skipped: same as row 4",
]


def history(ok) -> list[tuple]:
    rows = []
    for lead in (1, 2):
        shown = json.loads(ok("lead", "show", str(lead), "-f", "json").stdout)
        rows += [(lead, a["kind"], a["happened_at"], a["note"]) for a in shown["activities"]]
    return sorted(rows)


@pytest.mark.parametrize(("size", "held"), [(10_000, 50_000), (2, 50_000), (3, 0)])
def test_the_same_import_however_the_rows_are_chunked(ok, monkeypatch, tmp_path, db_path,
                                                     size, held) -> None:  # fmt: skip
    ok("lead", "add", "Ann", "--email", "ann@x.test")
    ok("lead", "add", "Bob Lee", "--company", "Bolt")
    ok("log", "1", "called", "--kind", "call", "--at", "2026-11-20 10:00")
    path = tmp_path / "a.csv"
    path.write_text(SHEET)
    monkeypatch.setattr(ActivityBatches, "SIZE", size)
    monkeypatch.setattr(seen, "HELD", held)
    before = dump(db_path)
    dry = ok("import", "activities", str(path), "--dry-run").stdout
    out = ok("import", "activities", str(path))
    assert dry.removeprefix("Dry run — nothing was changed.\n") == out.stdout
    assert [line for line in out.stdout.splitlines() if line.startswith("row ")] == EXPECTED
    assert re.search(r"new activities +4\n +duplicates skipped +4\n", out.stdout), out.stdout
    assert "Imported 4 activities" in out.stderr
    notes = [(lead, kind, note) for lead, kind, __, note in history(ok)]
    assert sorted(notes) == sorted([
        (1, "call", "called"), (1, "email", "sent deck"), (2, "meeting", "demo"),
        (2, "visit", "visited"), (2, "call", "x"),
    ])  # fmt: skip
    ok("db", "check")
    ok("undo")
    assert [x for x in dump(db_path) if "journal" not in x] == [
        x for x in before if "journal" not in x
    ]


def test_a_row_error_in_a_later_batch_imports_nothing(ok, fails, monkeypatch, tmp_path, db_path):
    ok("lead", "add", "Ann")
    monkeypatch.setattr(ActivityBatches, "SIZE", 3)
    path = tmp_path / "late.csv"
    path.write_text(
        "lead_id,kind,happened_at,note\n"
        + "".join(f"1,call,2026-11-{d:02d},call {d}\n" for d in range(1, 11))
        + "7,call,2026-11-12,nobody\n"
    )
    before = dump(db_path)
    fails("import", "activities", str(path), match="1 row has errors, so nothing was imported")
    assert dump(db_path) == before
    out = ok("import", "activities", str(path), "--skip-errors")
    assert "Imported 10 activities; 1 row(s) with errors left out" in out.stderr


def peak_traced(ok, *args: str) -> int:
    """The most memory Python objects took while the command ran (SQLite's own page cache
    is not among them), in this process: a process's peak RSS would hide it under the
    start-up peak."""
    import tracemalloc

    tracemalloc.start()
    try:
        ok(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_small_import_does_not_read_the_whole_history(ok, tmp_path, db_path) -> None:
    """Every logged touch was held to find duplicates (and every lead to find the row's):
    19,900 more touches of 1 KB took 24 MB more for a one-row file; now the same memory."""
    ok("lead", "add", "Ann", "--email", "ann@x.test")
    path = tmp_path / "one.csv"
    path.write_text("email,kind,happened_at,note\nann@x.test,call,2026-11-20,hi\n")
    ok("import", "activities", str(path), "--dry-run")  # what is imported once, and cached
    peaks = []
    for more in (100, 19_900):
        with closing(sqlite3.connect(db_path)) as conn, conn:
            conn.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
                "SELECT 1, 'note', hex(randomblob(500)), '2025-01-01T00:00:00Z', "
                "'2025-01-01T00:00:00Z' FROM n",
                (more,),
            )
        peaks.append(peak_traced(ok, "import", "activities", str(path), "--dry-run"))
    assert peaks[1] - peaks[0] < 2**20, peaks

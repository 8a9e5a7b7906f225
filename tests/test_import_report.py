"""What an import's report tells a new user: a dry run names the missing database and says
the import would stop, a file of bad rows is summed up, a JSON true is shown as given."""

from __future__ import annotations

import json
import re

from salesflow.importer import Batches


def test_a_dry_run_never_creates_the_database(fails, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("name\nAnn\n")
    missing = tmp_path / "nodb.db"
    for kind in ("leads", "activities"):
        result = fails("--db", str(missing), "import", kind, str(sheet), "--dry-run")
        assert f"no salesflow database at {missing} (the path from --db)" in result.stderr
        assert not missing.exists()


def test_a_dry_run_with_row_errors_says_the_import_would_stop(ok, empty_db, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name,value\nAnn,lots\n,5\nCy,7\nDee,much\n")
    last = ok("import", "leads", str(path), "--dry-run").stdout.splitlines()[-1]
    assert last == (
        "The import would stop here: 3 rows have errors — fix them, or pass "
        "--skip-errors to import the other rows"
    )
    skipping = ok("import", "leads", str(path), "--dry-run", "--skip-errors").stdout
    assert "would stop" not in skipping
    path.write_text("name,value\nAnn,5\n")
    assert "would stop" not in ok("import", "leads", str(path), "--dry-run").stdout
    path.write_text("lead,type,when,summary\n99,call,2026-11-01,x\n")
    last = ok("import", "activities", str(path), "--dry-run").stdout.splitlines()[-1]
    assert last.startswith("The import would stop here: 1 row has errors — fix it, or pass")


def test_many_bad_rows_are_grouped_by_column_and_message(fails, empty_db, tmp_path):
    """1,500 bad rows: the first 20 errors (all amounts), then the other 1,480 by kind —
    980 amounts, 400 grades, 100 e-mails — though only 1,000 errors are kept."""
    rows = [f"V{i},lots{i},," for i in range(1000)]
    rows += [f"G{i},,Z{i}," for i in range(400)]
    rows += [f"E{i},,,bad{i}" for i in range(100)]
    path = tmp_path / "bad.csv"
    path.write_text("name,amount,grade,email\n" + "\n".join(rows) + "\n")
    out = fails("import", "leads", str(path), match="1500 rows have errors").stdout
    listed = [line for line in out.splitlines() if line.startswith("row ")]
    assert len(listed) == 20 and listed[-1].startswith(
        'row 21, amount: cannot read amount "lots19"'
    )
    tail = out.split(listed[-1] + "\n")[1].splitlines()
    assert tail == [
        "… and 1,480 more errors:",
        '  amount 980 rows ("cannot read amount …")',
        '  grade 400 rows ("… is not a grade")',
        '  email 100 rows ("… is not an e-mail address (name@example.com)")',
    ]
    assert Batches.KEEP_NOTES * 10 < 1500  # the counts come from errors let go too


def test_one_kind_of_error_past_the_first_fits_one_line(ok, empty_db, monkeypatch, tmp_path):
    monkeypatch.setattr(Batches, "KEEP_NOTES", 2)  # 20 errors kept, the rest counted
    monkeypatch.setattr(Batches, "SIZE", 7)
    path = tmp_path / "bad.csv"
    path.write_text("name,value\n" + "".join(f"L{i},lots{i}\n" for i in range(45)))
    out = ok("import", "leads", str(path), "--dry-run").stdout
    assert '… and 25 more errors: value 25 rows ("cannot read amount …")\n' in out


def test_a_json_true_is_shown_as_given(ok, empty_db, tmp_path):
    path = tmp_path / "g.json"
    rows = [
        {"name": "A", "grade": True},
        {"name": "B", "grade": "yes"},
        {"name": "C", "grade": False},
    ]
    path.write_text(json.dumps(rows))
    out = ok("import", "leads", str(path), "--dry-run").stdout
    assert re.findall(r"^row \d, grade: .*$", out, re.M) == [
        "row 1, grade: true is not a grade — use A, B or C",
        'row 2, grade: "yes" is not a grade — use A, B or C',
        "row 3, grade: false is not a grade — use A, B or C",
    ]
    zh = ok("--lang", "zh_CN", "import", "leads", str(path), "--dry-run").stdout
    assert "第 1 行，grade：true 不是等级——请使用 A、B 或 C\n" in zh

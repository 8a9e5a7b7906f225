"""`import leads` reads a file a record at a time and writes its new leads in batches inside
the command's one transaction (sheets.open_file, importer/leadwrite.py Batches): the same
rows, report, refusals and undo as reading it whole, in memory that does not grow with the
file's rows."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from salesflow import sheets
from salesflow.errors import SalesflowError
from salesflow.importer import Batches
from tests.conftest import dump

CSV = "联系人,公司\n张伟,深圳某科技有限公司\n"
BIG = "x" * (sheets.MAX_CELL + 1)
FILES = [
    ("a.csv", CSV.encode()),
    ("b.csv", b"\xef\xbb\xbf" + CSV.encode()),
    ("c.csv", CSV.encode("gbk")),
    ("d.csv", CSV.encode("utf-16")),
    ("e.csv", b"name\n\xff\xfe\xfd\n"),
    ("f.tsv", b"name\tcompany\nAnn\tAcme, Ltd\n"),
    ("g.csv", b"name\tcompany\nAnn\tAcme, Ltd\n"),
    ("h.json", json.dumps([{"name": "Ann", "value": 500, "tags": ["a", "b"], "vip": True}])),
    ("i.ndjson", b'{"name": "Ann"}\n\n{"name": "Bob", "company": "Acme"}\n'),
    ("j.tsv", b'name\tnotes\r\nAnn\tsaid "hi"\\nthen\\tleft\\\\x\r\n\t\nBob\t\n'),
    ("k.txt", 'name\tnotes\r\nAnn\t"two\nlines"\r\n'.encode("utf-16")),
    ("l.csv", b'name,notes\nAnn,"two\nlines"\n,\nBob,x\n'),
    ("m.csv", b" \r\n\n"),
    ("n.csv", b"name,company\n,\n"),
    ("o.csv", b"name;company;email\nAnn;Acme;a@x\n"),
    ("p.json", b'{"name": "x"}'),
    ("q.json", b'[{"name": "x"},]'),
    ("r.json", b'[\n{"name": "A"},\n{"name": "B"}\n{"name": "C"}]'),
    ("s.json", b'[{"name": "A"}] x'),
    ("t.json", b'[{"name": "A"'),
    ("u.json", b"[1, 2]"),
    ("v.ndjson", b'{"name": "x"}\n{oops}\n'),
    ("w.csv", f"name,notes\nAnn,ok\nBob,{BIG}\n"),
    ("x.json", json.dumps([{"name": "A", "notes": BIG}])),
    ("y.csv", b'name,company\nAnn,A\n"Bob,B\nCy,C\nDi,D\n'),
    (
        "z.csv",
        b'name,c,e,v\nL1,C1,e1,1\n"L2,C2,e2,2\nL3,C3,e3,3\nL4,C4,e4,4\nL5,C5,e5,5"\nL6,C,e,6\n',
    ),
    ("za.csv", b"\xef\xbb\xbfname,\xe2\x80\x8bcompany\nAnn\xe2\x80\x8b,B\n"),
    ("zb.csv", b"name\nA\x00b\n"),
    ("zc.json", b'[{"name": "a\\u0000"}]'),
    ("zd.csv", ("a," * 1200 + "\nx\n").encode()),
    ("ze.json", '[{"name": ' + "[" * 10000 + "]" * 10000 + "}]"),
    ("zf.ndjson", '{"name": ' + "[" * 10000 + "]" * 10000 + "}"),
    ("zg.json", b'[{"a": 1}, {"b": 2}, {"a": 3, "c": null}]'),
    ("zh.csv", b'name,x\na,"b"c\n'),
]


def outcome(read) -> tuple:
    try:
        sheet = read()
    except SalesflowError as e:
        return ("refused", str(e))
    return (sheet.fmt, sheet.encoding, sheet.header, list(sheet.rows), sheet.size)


@pytest.mark.parametrize(("name", "data"), FILES, ids=[n for n, __ in FILES])
def test_a_file_read_as_used_is_the_file_read_whole(tmp_path, name, data) -> None:
    data = data.encode() if isinstance(data, str) else data
    path = tmp_path / name
    path.write_bytes(data)
    whole = outcome(lambda: sheets.read(data, name))
    assert outcome(lambda: sheets.open_file(path, name)) == whole
    for encoding in ("utf-8", "gb18030"):
        whole = outcome(lambda e=encoding: sheets.read(data, name, e))
        assert outcome(lambda e=encoding: sheets.open_file(path, name, e)) == whole


def test_a_json_array_read_in_chunks(tmp_path, monkeypatch) -> None:
    """Values that straddle the chunks the array is read in; an error's line counts the
    lines of the chunks already let go."""
    from salesflow import sheetrows

    monkeypatch.setattr(sheetrows, "_CHUNK", 7)
    rows = [{"name": f"Lead {i}", "notes": "a\nb" * i} for i in range(40)]
    path = tmp_path / "x.json"
    path.write_text("[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]\n")
    sheet = sheets.open_file(path, "x.json")
    assert list(sheet.rows) == [(i + 1, [r["name"], r["notes"]]) for i, r in enumerate(rows)]
    path.write_text("[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n}\n")
    with pytest.raises(SalesflowError, match=r"not valid JSON \(line 42: Expecting ','"):
        sheets.open_file(path, "x.json")


def lead_rows(ok) -> list[dict]:
    rows = json.loads(ok("export", "leads", "-f", "json").stdout)
    for r in rows:  # the import's own times: the same clock, so compared as they are
        r.pop("id")
    return rows


SHEET = (
    "name,company,email,phone,tags,notes,stage,region\n"
    "Ann,Acme,ann@x.test,,vip,first,,north\n"
    "Bob,Bolt,,+86 138 0000 0001,,,,\n"
    "Cy,Cog,cy@x.test,,,,,\n"
    "Di,Dot,,,,,won,south\n"
    "Ann Lee,Acme,ann@x.test,,big,later,,east\n"  # merges into row 2, batches later
    "Eve,Elm,,+86 138 0000 0001,a,,,\n"  # Bob's phone: merges
    "Fay,Fig,,,,,,\n"
    "Zed,Zip,cy@x.test,,,again,,\n"
)


def import_in_batches(ok, monkeypatch, size: int, *args: str):
    monkeypatch.setattr(Batches, "SIZE", size)
    return ok("import", "leads", *args)


@pytest.mark.parametrize(
    ("on_duplicate", "ann", "merged"),
    [
        ("skip", ("Ann", "vip", "first", "north"), "duplicates skipped  4"),
        ("update", ("Ann Lee", "vip,big", "first\nlater", "east"), "merged into an earlier row  2"),
    ],
)
def test_rows_about_leads_already_written(ok, monkeypatch, tmp_path, on_duplicate, ann, merged):
    """A row about a lead a batch already wrote changes the written lead as it changes one
    still held; with batches of 2 rows every merge here reaches back. The result is the
    import in one batch, and what the rows say."""
    path = tmp_path / "s.csv"
    path.write_text(SHEET)
    results = []
    for size in (2, 10_000):
        monkeypatch.setenv("SALESFLOW_DB", str(tmp_path / f"{size}.db"))
        ok("config", "set", "fields", "region")
        ok("lead", "add", "Zoe", "--email", "cy@x.test")  # row 4 updates or skips it
        args = (str(path), "--on-duplicate", on_duplicate)
        report = import_in_batches(ok, monkeypatch, size, *args)
        fields = json.loads(ok("lead", "show", "ann@x.test", "-f", "json").stdout)["fields"]
        results.append((report.stdout, lead_rows(ok), fields))
        ok("db", "check")
    assert results[0] == results[1]
    report, rows, fields = results[0]
    lead = next(r for r in rows if r["email"] == "ann@x.test")
    assert (lead["name"], lead["tags"], lead["notes"], fields["region"]) == ann
    assert merged in report
    assert re.search(r"new leads +4\n", report) and len(rows) == 5  # Zoe and four new


def test_a_row_error_after_written_batches_changes_nothing(ok, fails, monkeypatch, db_path,
                                                           tmp_path) -> None:  # fmt: skip
    ok("lead", "add", "Before")
    path = tmp_path / "late.csv"
    path.write_text("name,value\n" + "".join(f"L{i},{i}\n" for i in range(50)) + "Bad,lots\n")
    monkeypatch.setattr(Batches, "SIZE", 7)
    fails("import", "leads", str(path), match="1 row has errors, so nothing was imported")
    # --skip-errors writes the good rows, and one undo takes every batch back
    before = dump(db_path)
    out = ok("import", "leads", str(path), "--skip-errors")
    assert "Imported 50 leads; 1 row(s) with errors left out" in out.stderr
    assert len(json.loads(ok("lead", "list", "-f", "json").stdout)) == 51
    ok("undo")
    assert [line for line in dump(db_path) if "journal" not in line] == [
        line for line in before if "journal" not in line
    ]


def test_a_dry_run_reports_what_the_import_does(ok, empty_db, monkeypatch, tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(SHEET)
    monkeypatch.setattr(Batches, "SIZE", 2)
    dry = ok("import", "leads", str(path), "--dry-run").stdout
    real = ok("import", "leads", str(path)).stdout
    assert dry.removeprefix("Dry run — nothing was changed.\n") == real


def test_skipped_rows_are_counted_past_those_kept(ok, monkeypatch, tmp_path) -> None:
    path = tmp_path / "many.ndjson"
    path.write_text("".join(json.dumps({"name": f"L{i}"}) + "\n" for i in range(30)))
    ok("import", "leads", str(path))
    monkeypatch.setattr(Batches, "KEEP_NOTES", 5)
    again = ok("import", "leads", str(path)).stdout
    assert "duplicates skipped  30" in again
    assert "row 20: skipped" not in again and "row 5: skipped" in again
    assert "… and 25 more like these" in again


def peak_rss_kib(path: Path, db: Path, setup: str = "", kind: str = "leads") -> int:
    """The peak memory of a `--dry-run` import of `path`, in its own process (after the
    Python lines `setup`, which may set the importer's sizes)."""
    code = (
        "import resource, sys\n"
        f"{setup}"
        "from salesflow.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    out = subprocess.run(
        [sys.executable, "-c", code, "import", kind, str(path), "--dry-run"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(out.stdout.strip().splitlines()[-1])


def test_memory_does_not_grow_with_the_rows_of_the_file(ok, tmp_path, db_path) -> None:
    """Four times the rows take about the same memory: reading the file whole held its text,
    every row's cells and every planned lead (several times the file); now only the keys
    that find duplicates grow with the rows, up to seen.HELD new leads
    (test_import_seen.py: past that, not even those)."""
    ok("lead", "add", "Someone")
    sizes = []
    for rows in (4000, 16_000):
        path = tmp_path / f"{rows}.ndjson"
        with path.open("w") as f:
            for i in range(rows):
                row = {"name": f"Lead {i}", "company": f"Co {i % 97}", "email": f"l{i}@x.test",
                       "notes": f"row {i} " + "n" * 3000}  # fmt: skip
                f.write(json.dumps(row) + "\n")
        # Batches of 1,000: both files span several (a batch's rows are held while it is placed).
        setup = "from salesflow.importer import Batches\nBatches.SIZE = 1000\n"
        sizes.append((path.stat().st_size, peak_rss_kib(path, db_path, setup) * 1024))
    (small_file, small_rss), (big_file, big_rss) = sizes
    grown = big_rss - small_rss
    assert grown < 0.5 * (big_file - small_file), (grown, big_file - small_file)


def test_a_big_load_sets_indexes_aside_across_batches(ok, monkeypatch, tmp_path, db_path):
    """Past as many new leads as there were (and _BULK_MIN), the random-order indexes are
    dropped until the last batch is written and then built again: all of them, and right."""
    import sqlite3

    from salesflow.importer import leadwrite

    ok("lead", "add", "Pre", "--email", "p@x.test")
    indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    before = sqlite3.connect(db_path).execute(indexes).fetchall()
    monkeypatch.setattr(leadwrite, "_BULK_MIN", 6)
    monkeypatch.setattr(Batches, "SIZE", 4)
    path = tmp_path / "load.ndjson"
    rows = [{"name": f"L{i}", "stage": "won" if i % 5 == 0 else None} for i in range(30)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    ok("import", "leads", str(path))
    assert sqlite3.connect(db_path).execute(indexes).fetchall() == before
    ok("db", "check")
    customers = json.loads(ok("customer", "list", "-f", "json").stdout)
    assert sorted(c["name"] for c in customers) == sorted(f"L{i}" for i in range(0, 30, 5))
    ok("undo")
    assert [r["name"] for r in json.loads(ok("lead", "list", "-f", "json").stdout)] == ["Pre"]
    ok("db", "check")


def test_standard_input_is_read_from_a_spooled_copy(ok, fails, monkeypatch, tmp_path) -> None:
    """`-` is copied a chunk at a time to a 0600 temporary file and read as a file is; the
    copy is gone when the command ends, refused or not."""
    import tempfile

    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    made = []
    real = tempfile.NamedTemporaryFile

    def seen(*a, **kw):
        f = real(*a, **kw)
        made.append(os.stat(f.name).st_mode & 0o777)
        return f

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", seen)
    rows = "".join(json.dumps({"name": f"L{i}", "company": "Co"}) + "\n" for i in range(5))
    out = ok("import", "leads", "-", input=rows)
    assert "standard input (NDJSON, UTF-8): 5 row(s)" in out.stdout
    assert [r["name"] for r in json.loads(ok("lead", "list", "-f", "json").stdout)] == [
        f"L{i}" for i in range(5)
    ]
    fails("import", "leads", "-", input=rows + "{oops}\n", match="line 6")
    assert made == [0o600, 0o600] and list(spool.iterdir()) == []

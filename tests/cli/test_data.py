import csv
import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW, dump

ROOT = Path(__file__).resolve().parents[2]


def rows(result) -> list[dict]:
    return json.loads(result.stdout)


@pytest.fixture
def varied(ok) -> None:
    """Leads with everything a round trip can get wrong."""
    ok("lead", "add", "张伟", "--company", '深圳某科技有限公司, "总部"', "--email", "zw@example.cn",
       "--phone", "+86 138 0000 0000", "--source", "展会", "--grade", "A", "--value", "500k",
       "--currency", "CNY", "--tag", "hardware", "--tag", "大客户", "--bant",
       "budget=yes,authority=no,need=yes,timeline=unknown", "--bant-note", "CFO signs",
       "--note", 'line one, with a comma\nline two "quoted"\n=HYPERLINK("x")',
       "--expected-close", "2026-12-31")  # fmt: skip
    ok("lead", "add", "=cmd|' /c calc'!A0", "--company", "@Acme", "--value", "1200",
       "--currency", "JPY", "--note", "-5 units, +2 spare", "--stage", "proposal")  # fmt: skip
    ok("lead", "add", "Ken Sato", "--company", "'quoted Co", "--value", "0.125",
       "--currency", "BHD")  # fmt: skip
    ok("advance", "3", "lost", "--reason", "price, too high")
    ok("lead", "add", "Won Co", "--value", "$3.5k")
    ok("advance", "4", "won", "--note", "signed")


# ---- export --------------------------------------------------------------------------------


def test_export_csv_streams_every_column_with_money_as_decimal(ok, varied) -> None:
    out = ok("export", "leads").stdout
    records = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in records] == ["1", "2", "3", "4"]
    zw, cmd, ken, won = records
    assert (zw["value"], zw["currency"], zw["probability"]) == ("500000.00", "CNY", "10")
    assert zw["company"] == '深圳某科技有限公司, "总部"' and zw["tags"] == "hardware,大客户"
    assert zw["notes"] == 'line one, with a comma\nline two "quoted"\n=HYPERLINK("x")'
    assert (zw["bant_budget"], zw["bant_authority"], zw["bant_note"]) == ("yes", "no", "CFO signs")
    assert zw["expected_close"] == "2026-12-31" and zw["created_at"] == NOW
    assert cmd["name"] == "'=cmd|' /c calc'!A0" and cmd["company"] == "'@Acme"  # escaped
    assert cmd["notes"] == "'-5 units, +2 spare"
    assert (cmd["value"], cmd["currency"]) == ("1200", "JPY")
    assert ken["company"] == "'quoted Co"  # not formula-like: left alone
    assert (ken["value"], ken["stage"], ken["lost_reason"], ken["lost_from"]) == (
        "0.125", "lost", "price, too high", "lead")  # fmt: skip
    assert (won["stage"], won["won_note"], won["closed_at"]) == ("won", "signed", NOW)
    raw = list(csv.DictReader(io.StringIO(ok("export", "leads", "--raw").stdout)))
    assert raw[1]["name"] == "=cmd|' /c calc'!A0"
    data = ok("export", "leads").stdout_bytes
    assert data.startswith(b"id,name,") and data.endswith(b"\r\n")  # no BOM without --excel


def test_export_other_tables_and_formats(ok, varied) -> None:
    history = rows(ok("export", "stage-changes", "--format", "json"))
    assert history[0] == {
        "id": 1, "lead_id": 1, "from_stage": None, "to_stage": "lead", "changed_at": NOW,
        "note": "created", "reason": None,
    }  # fmt: skip
    assert [h["to_stage"] for h in history] == ["lead", "proposal", "lead", "lost", "lead", "won"]
    nd = ok("export", "leads", "-f", "ndjson").stdout.splitlines()
    assert [json.loads(line)["name"] for line in nd][0] == "张伟"
    tsv = ok("export", "leads", "-f", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["id", "name", "company"]


@pytest.mark.parametrize("table", ["activities", "followups", "customers", "leads"])
def test_an_empty_table_still_names_its_columns(empty_db, ok, table: str) -> None:
    out = ok("export", table).stdout_bytes
    assert out.startswith(b"id,") and out.count(b"\r\n") == 1
    assert ok("export", table, "-f", "json").stdout.strip() == "[]"
    assert ok("export", table, "-f", "ndjson").stdout == ""


def test_export_help_documents_the_columns(ok) -> None:
    text = ok("export", "--help").stdout
    for line in (
        "leads: id, name, company, email, phone, source, grade, stage, stage_kind,",
        "activities: id, lead_id, kind, note, happened_at, created_at",
        "followups: id, lead_id, customer_id, action, due_date, due_time, created_at,",
        "stage-changes: id, lead_id, from_stage, to_stage, changed_at, note, reason",
        "customers: id, name, segment, checkin_every, created_at",
    ):
        assert line in text
    assert "--excel" in text and "byte-order mark" in text


def test_export_to_a_file(ok, varied, tmp_path) -> None:
    target = tmp_path / "leads.json"
    result = ok("export", "leads", "-o", str(target))
    assert "Exported 4 row(s) of leads to" in result.stderr and result.stdout == ""
    assert [r["id"] for r in json.loads(target.read_text())] == [1, 2, 3, 4]  # from the name
    excel = tmp_path / "for-excel.csv"
    ok("export", "leads", "-o", str(excel), "--excel")
    data = excel.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,name,") and "张伟".encode() in data
    plain = tmp_path / "plain.csv"
    ok("export", "leads", "-o", str(plain))
    # The BOM and the quote Excel needs before a phone number are the only differences.
    assert plain.read_bytes() == data[3:].replace(b"'+86 138", b"+86 138")
    assert data.count(b"'+86 138") == 1
    ok("export", "activities", "-o", str(plain))  # an existing file is replaced whole
    assert plain.read_text().startswith("id,lead_id,kind")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_errors(ok, fails, varied, tmp_path) -> None:
    fails("export", "leads", "-f", "json", "--excel", match="--excel is for csv or tsv")
    fails("export", "leads", "-o", str(tmp_path), match="is a folder — give a file name")
    fails("export", "leads", "-o", str(tmp_path / "no" / "x.csv"),
          match="No such file or directory — check the folder exists")  # fmt: skip
    fails("export", "invoices", code=2)


def test_export_file_is_private_under_umask_022(tmp_path: Path) -> None:
    db, target = tmp_path / "sf.db", tmp_path / "leads.csv"
    env = {**os.environ, "SALESFLOW_DB": str(db)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "salesflow", *args], capture_output=True, text=True, env=env,
            cwd=ROOT, preexec_fn=lambda: os.umask(0o022),
        )  # fmt: skip

    assert run("lead", "add", "张伟").returncode == 0
    target.write_text("old")
    os.chmod(target, 0o644)  # even a file that was readable by all comes out private
    proc = run("export", "leads", "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("id,name,")
    fresh = tmp_path / "fresh.ndjson"
    assert run("export", "leads", "-o", str(fresh)).returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    piped = run("export", "leads")
    assert piped.stdout.startswith("id,name,") and "\x1b[" not in piped.stdout


# ---- import --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "ndjson"])
def test_round_trip_into_an_empty_database(ok, varied, tmp_path, fmt: str) -> None:
    exported = tmp_path / f"leads.{fmt}"
    ok("export", "leads", "-o", str(exported))
    other = tmp_path / "other.db"
    result = ok("--db", str(other), "import", "leads", str(exported))
    assert "Imported 4 leads" in result.stderr
    assert "Not imported: id, stage_kind, probability, customer_id" in result.stdout
    before = ok("export", "leads", "-f", "json").stdout
    after = ok("--db", str(other), "export", "leads", "-f", "json").stdout
    assert json.loads(after) == json.loads(before)
    # Each imported lead's history starts with its creation, at its created_at.
    history = rows(ok("--db", str(other), "export", "stage-changes", "-f", "json"))
    assert [(h["lead_id"], h["from_stage"], h["to_stage"], h["changed_at"]) for h in history] == [
        (1, None, "lead", NOW), (2, None, "proposal", NOW), (3, None, "lost", NOW),
        (4, None, "won", NOW),
    ]  # fmt: skip
    assert "ok:" in ok("--db", str(other), "db", "check").stdout


def test_importing_the_same_file_twice_adds_nothing(ok, db_path, tmp_path) -> None:
    source = Path(__file__).resolve().parents[1] / "data" / "leads_zh.csv"
    first = ok("import", "leads", str(source), "--source", "展会 2026")
    assert "Imported 3 leads" in first.stderr
    assert "Kept in the notes (no such field): 职位" in first.stdout
    data = rows(ok("export", "leads", "-f", "json"))
    assert [(d["name"], d["company"], d["value"], d["currency"]) for d in data] == [
        ("王芳", "杭州某贸易公司", "30000.00", "USD"),  # 3万 in the config currency
        ("张伟", "深圳某科技有限公司", "480000.00", "USD"),
        ("Ken Sato", "Sato KK", "1200.00", "CNY"),  # ¥ is yuan unless the currency is JPY
    ]
    assert data[0]["notes"] == "要 20 台, 年底前\n职位: 采购经理"
    assert [d["source"] for d in data] == ["展会", "展会 2026", "referral"]
    assert [d["stage"] for d in data] == ["contacted", "lead", "lead"]
    before = dump(db_path)
    second = ok("import", "leads", str(source))
    assert "Nothing to import: no new leads" in second.stderr
    assert "  duplicates skipped  3" in second.stdout
    assert dump(db_path) == before


def test_dry_run_reports_and_changes_nothing(ok, two_leads, db_path, tmp_path) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("姓名,公司,邮箱,分级\n王芳,杭州,,A\nJane Roe,Acme Ltd,,A\nBad,,,Z\n")
    before = dump(db_path)
    out = ok("import", "leads", str(sheet), "--dry-run", "--on-duplicate", "update").stdout
    assert out.splitlines() == [
        "Dry run — nothing was changed.",
        "in.csv (CSV, UTF-8): 3 row(s)",
        "  new leads         1",
        "  updated           1",
        "  rows with errors  1",
        'row 4, 分级: "Z" is not a grade — use A, B or C',
        "row 3: #2 Jane Roe (Acme Ltd): grade B → A",
        "The import would stop here: 1 row has errors — fix it, or pass --skip-errors to "
        "import the other rows",
    ]
    assert dump(db_path) == before


def test_skip_errors_imports_the_good_rows(ok, db_path, tmp_path) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("name,grade\nAnn,A\nBob,Z\n")
    result = ok("import", "leads", str(sheet), "--skip-errors")
    assert "Imported 1 lead; 1 row(s) with errors left out" in result.stderr
    assert [d["name"] for d in rows(ok("export", "leads", "-f", "json"))] == ["Ann"]
    assert "Undid: salesflow import leads" in ok("undo").stderr
    assert rows(ok("export", "leads", "-f", "json")) == []


def test_import_from_stdin_and_from_excel_in_gbk(ok, tmp_path) -> None:
    ok("import", "leads", "-", input='[{"name": "Ann", "value": 500, "currency": "EUR"}]')
    gbk = tmp_path / "客户.csv"
    gbk.write_bytes("联系人,公司,阶段\n李娜,上海某公司,qualified\n".encode("gbk"))
    result = ok("import", "leads", str(gbk))
    assert "客户.csv (CSV, GB18030): 1 row(s)" in result.stdout
    data = rows(ok("export", "leads", "-f", "json"))
    assert [(d["name"], d["value"], d["currency"]) for d in data] == [
        ("Ann", "500.00", "EUR"), ("李娜", None, "USD"),
    ]  # fmt: skip
    assert data[1]["stage"] == "qualified" and data[1]["company"] == "上海某公司"


def test_imported_wins_join_their_customers(ok, two_leads) -> None:
    ok("advance", "2", "won")  # Jane Roe at Acme Ltd: customer #1
    source = Path(__file__).resolve().parents[1] / "data" / "leads_closed.csv"
    ok("import", "leads", str(source))
    data = {d["name"]: d for d in rows(ok("export", "leads", "-f", "json"))}
    assert data["Li Lei"]["customer_id"] == 1  # the same company: the same customer
    assert data["Li Lei"]["closed_at"] == "2026-11-02T10:00:00Z"
    assert data["Han Meimei"]["customer_id"] == 2  # no company: the person is the customer
    assert data["Han Meimei"]["closed_at"] == "2026-10-05T08:00:00Z"  # closed when created
    assert data["Wang Wu"]["customer_id"] is None
    assert (data["Wang Wu"]["lost_reason"], data["Wang Wu"]["stage"]) == ("too expensive", "lost")
    customers = rows(ok("export", "customers", "-f", "json"))
    assert [(c["id"], c["name"], c["segment"], c["created_at"]) for c in customers] == [
        (1, "Acme Ltd", None, NOW),
        (2, "Han Meimei", "individual", "2026-10-05T08:00:00Z"),  # dated from the win
    ]
    assert "ok:" in ok("db", "check").stdout


def test_import_activities(ok, two_leads) -> None:
    source = Path(__file__).resolve().parents[1] / "data" / "activities.csv"
    assert "Imported 3 activities" in ok("import", "activities", str(source)).stderr
    data = rows(ok("export", "activities", "-f", "json"))
    assert [(a["lead_id"], a["kind"], a["happened_at"], a["note"]) for a in data] == [
        (1, "call", "2026-11-20T10:00:00Z", "打了电话，约下周演示"),
        (1, "email", "2026-11-21T08:00:00Z", "sent the deck"),
        (2, "visit", "2026-11-22T00:00:00Z", "visited the plant"),
    ]
    assert data[0]["created_at"] == NOW
    assert "Nothing to import" in ok("import", "activities", str(source)).stderr


def test_more_headers_map_by_themselves(ok, tmp_path) -> None:
    """单位名称 and 公司名称 are the company, `at` when a touch happened."""
    sheet = tmp_path / "名单.csv"
    sheet.write_text("姓名,单位名称\n李娜,苏州某电子有限公司\n", encoding="utf-8")
    said = ok("import", "leads", str(sheet)).stderr
    assert "Kept in the notes" not in said
    sheet.write_text("姓名,公司名称\n王芳,杭州某贸易公司\n", encoding="utf-8")
    ok("import", "leads", str(sheet))
    leads = rows(ok("lead", "list", "-f", "json"))
    assert [(r["name"], r["company"], r["notes"]) for r in leads] == [
        ("李娜", "苏州某电子有限公司", None),
        ("王芳", "杭州某贸易公司", None),
    ]
    touches = tmp_path / "calls.csv"
    touches.write_text("lead,kind,at,note\n2,call,2026-11-20 10:00,first call\n")
    assert "Imported 1 activity" in ok("import", "activities", str(touches)).stderr
    data = rows(ok("export", "activities", "-f", "json"))
    assert [(a["lead_id"], a["happened_at"], a["note"]) for a in data] == [
        (2, "2026-11-20T10:00:00Z", "first call")
    ]


BAD_INPUTS = [
    ("empty.csv", b"", "empty.csv is empty — there is nothing to import"),
    ("header.csv", b"name,company\r\n", "header.csv has a header but no rows"),
    ("semi.csv", b"name;company\nAnn;Acme\n", "separated by semicolons, not commas"),
    ("big.csv", b"name,notes\nAnn," + b"x" * 1_000_000 + b"\n",
     "big.csv line 2: a cell is longer than 131,072 characters"),
    ("bytes.csv", b"name\n\xff\xfe\x80 not text\n",
     "cannot read bytes.csv as UTF-8 or GB18030 (byte 0xff on line 2)"),
    ("stage.csv", "name,阶段\nAnn,签约\n".encode(),
     '1 row has errors, so nothing was imported (first: row 2, 阶段: "签约" is not a stage'),
    ("grade.csv", b"name,grade\nAnn,A\nBob,E\n", 'row 3, grade: "E" is not a grade'),
    ("value.csv", "name,金额\nAnn,五万\n".encode(), 'row 2, 金额: cannot read amount "五万"'),
    ("date.csv", b"name,expected_close\nAnn,someday\n",
     'row 2, expected_close: cannot read date "someday"'),
    ("when.csv", b"name,created_at\nAnn,2026-13-01T00:00:00Z\n",
     'row 2, created_at: cannot read date "2026-13-01T00:00:00Z"'),
    ("noname.csv", b"company\nAcme\n", "has no column for the contact's name"),
    ("huge.csv", b"name,value\nAnn,99999999999999999\n",
     'row 2, value: amount "99999999999999999" is too large'),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_changes_nothing(fails, two_leads, tmp_path, name, data, message) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    fails("import", "leads", str(path), match=message)


def test_missing_file_or_folder(fails, two_leads, tmp_path) -> None:
    fails("import", "leads", str(tmp_path / "nope.csv"), match="no file")
    fails("import", "leads", str(tmp_path), match="is a folder — give the file to import")
    fails("import", "activities", str(tmp_path / "nope.csv"), match="no file")


def test_bad_activity_input_changes_nothing(fails, two_leads, tmp_path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("lead,kind,when,note\n1,call,2026-11-20,ok\n7,call,2026-11-20,x\n")
    fails("import", "activities", str(path), match="row 3, lead: no lead #7")
    fails("import", "activities", str(path), "--on-duplicate", "update", code=2)


def test_progress_bar_only_on_a_terminal(monkeypatch) -> None:
    from salesflow.cli.data import _Bar
    from salesflow.output.terminal import Terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    class Fake:
        def __init__(self, err: io.StringIO) -> None:
            self.term = Terminal(out=io.StringIO(), err=err, is_tty=False, color=True, width=80)

    tty = Fake(Tty())
    with _Bar(tty, 10_000) as bar:
        bar("Checking rows", 10_000, 10_000)
    assert "Checking rows" in tty.term.err.getvalue()
    with _Bar(tty, 100) as bar:  # a small file finishes before a bar would help
        assert bar is None
    with _Bar(Fake(io.StringIO()), 10_000) as bar:
        assert bar is None


def test_round_trip_keeps_repeat_deals_and_shared_phones(ok, tmp_path, monkeypatch) -> None:
    # The same person buying twice, and two colleagues on one switchboard number.
    ok("lead", "add", "Hannah Kim", "--value", "100")
    ok("advance", "1", "won")
    ok("lead", "add", "Hannah Kim", "--value", "250")
    ok("lead", "add", "Felix", "--company", "Harbor", "--phone", "+1 555 0100")
    ok("lead", "add", "Marco", "--company", "Harbor", "--phone", "+1 555 0100", "--force")
    out = tmp_path / "leads.csv"
    ok("export", "leads", "-o", str(out))
    monkeypatch.setenv("SALESFLOW_DB", str(tmp_path / "copy.db"))
    ok("import", "leads", str(out))
    names = [r["name"] for r in json.loads(ok("lead", "list", "--all", "--format", "json").stdout)]
    assert names == ["Hannah Kim", "Hannah Kim", "Felix", "Marco"]
    assert "duplicates skipped  4" in ok("import", "leads", str(out)).stdout  # twice adds nothing


def test_export_refuses_an_extension_it_cannot_write(ok, fails, tmp_path) -> None:
    ok("lead", "add", "Ann")
    fails("export", "leads", "-o", str(tmp_path / "leads.xlsx"), match="cannot tell a format")
    assert not (tmp_path / "leads.xlsx").exists()


def test_export_quotes_and_their_items(ok) -> None:
    ok("lead", "add", "Ann", "--company", "Acme")
    # 2 × 980 = 1960; 10% off the line = 196 → 1764; tax 13% of 1764 = 229.32; total 1993.32
    ok("quote", "new", "1", "--item", "Gateway; 2; 980; 10%", "--tax", "13%")
    quote = json.loads(ok("export", "quotes", "--format", "json").stdout)[0]
    assert (quote["number"], quote["lead_id"], quote["currency"]) == ("Q-2026-0001", 1, "USD")
    assert (quote["subtotal"], quote["tax"], quote["total"]) == ("1764.00", "229.32", "1993.32")
    item = json.loads(ok("export", "quote-items", "--format", "json").stdout)[0]
    assert (item["quote_id"], item["unit_price"], item["gross"]) == (1, "980.00", "1960.00")
    assert (item["discount"], item["amount"], item["currency"]) == ("196.00", "1764.00", "USD")


def _tsv_records(text: str) -> list[dict[str, str]]:
    def unescape(cell: str) -> str:
        return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), cell)

    header, *lines = text.split("\n")[:-1]
    return [
        dict(zip(header.split("\t"), map(unescape, line.split("\t")), strict=True))
        for line in lines
    ]


@pytest.mark.parametrize("raw", [False, True])
def test_export_csv_and_tsv_carry_the_same_cells(ok, varied, raw: bool) -> None:
    # The fast path joins plain rows itself; the csv module writes the rest. Both formats
    # must read back to the same cells, escaped the same way.
    ok("lead", "add", "Plain Lead", "--phone", "0755 1234", "--value", "12.5", "--note", "- call")
    flag = ["--raw"] if raw else []
    from_csv = list(csv.DictReader(io.StringIO(ok("export", "leads", *flag).stdout)))
    from_tsv = _tsv_records(ok("export", "leads", "-f", "tsv", *flag).stdout)
    assert from_csv == from_tsv and len(from_csv) == 5
    zw, cmd, ken, _, plain = from_csv
    quote = "" if raw else "'"
    assert zw["name"] == "张伟" and zw["company"] == '深圳某科技有限公司, "总部"'
    assert zw["phone"] == "+86 138 0000 0000"  # a phone number is data (csvsafe)
    assert zw["notes"] == 'line one, with a comma\nline two "quoted"\n=HYPERLINK("x")'
    assert (zw["value"], zw["currency"]) == ("500000.00", "CNY")
    assert (cmd["name"], cmd["company"]) == (quote + "=cmd|' /c calc'!A0", quote + "@Acme")
    assert (cmd["notes"], cmd["value"], cmd["currency"]) == (quote + "-5 units, +2 spare",
                                                              "1200", "JPY")  # fmt: skip
    # 0.125 BHD has three decimals; a quote that starts a cell but no formula stays as it is.
    assert (ken["value"], ken["currency"], ken["company"]) == ("0.125", "BHD", "'quoted Co")
    assert (plain["phone"], plain["value"], plain["notes"]) == ("0755 1234", "12.50",
                                                                quote + "- call")  # fmt: skip
    assert plain["customer_id"] == "" and plain["id"] == "5" and plain["probability"] == "10"


def test_exported_rows_are_exactly_rfc4180(ok, varied) -> None:
    out = ok("export", "leads").stdout_bytes.decode()  # .stdout turns CRLF into LF
    header, zw, cmd, ken, won, end = out.split("\r\n")  # line breaks in a note are LF
    assert header.startswith("id,name,company,") and end == ""
    # A phone number is data in a pipe; Excel gets it quoted (it would compute it).
    assert zw.startswith('1,张伟,"深圳某科技有限公司, ""总部""",zw@example.cn,+86 138 0000 0000,')
    excel = ok("export", "leads", "--excel").stdout_bytes.decode().split("\r\n")[1]
    assert excel.startswith(
        '1,张伟,"深圳某科技有限公司, ""总部""",zw@example.cn,\'+86 138 0000 0000,'
    )
    assert '"line one, with a comma\nline two ""quoted""\n=HYPERLINK(""x"")"' in zw
    assert cmd.startswith("2,'=cmd|' /c calc'!A0,'@Acme,")
    assert ken == (
        "3,Ken Sato,'quoted Co,,,,,lost,lost,0.125,BHD,0,,unknown,unknown,unknown,unknown,,,,"
        '"price, too high",lead,,,2026-11-23T09:00:00Z,2026-11-23T09:00:00Z,'
        "2026-11-23T09:00:00Z,,,"  # no address, tax ID or document language
    )
    assert won == (
        "4,Won Co,,,,,,won,won,3500.00,USD,100,,unknown,unknown,unknown,unknown,,,,,,signed,1,"
        "2026-11-23T09:00:00Z,2026-11-23T09:00:00Z,2026-11-23T09:00:00Z,,,"
    )


def test_negative_amounts_are_numbers_not_formulas(ok, db_path) -> None:
    ok("lead", "add", "Ann")
    ok("quote", "new", "1", "--item", "Credit; 1; 5")
    with sqlite3.connect(db_path) as db:  # a refund as another tool might store it
        db.execute("UPDATE quotes SET subtotal_minor = -500, total_minor = -500")
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        header, row = ok("export", "quotes", "-f", fmt).stdout.splitlines()
        quote = dict(zip(header.split(sep), row.split(sep), strict=True))
        assert (quote["subtotal"], quote["total"], quote["currency"]) == ("-5.00", "-5.00", "USD")

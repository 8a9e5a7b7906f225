"""Other CRMs' exports and names built from several columns (`--map "A+B=name"`)."""

import csv
import io
import sqlite3
from datetime import UTC
from pathlib import Path

import pytest

from salesflow import dates, importer, leads, sheets, store
from salesflow.cli import hints
from salesflow.errors import SalesflowError
from salesflow.importer import layouts

NOW = "2026-11-23T09:00:00Z"
CLOCK = importer.Clock(dates.from_utc_iso(NOW), UTC)


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return store.connect(tmp_path / "sf.db")


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def plan(conn, rows: list[list[str]], mapping=None, order=None) -> importer.Plan:
    clock = importer.Clock(CLOCK.now, UTC, order)
    opts = importer.LeadOptions(currency="USD", clock=clock, mapping=mapping or {})
    return importer.plan_leads(conn, sheets.read(csv_text(rows).encode(), "x.csv"), opts)


def new(p: importer.Plan) -> list[leads.NewLead]:
    assert not p.errors, [str(e) for e in p.errors]
    return p.new


def test_join_words_spaces_latin_but_not_cjk() -> None:
    assert layouts.join_words(["Jane", "Roe"]) == "Jane Roe"
    assert layouts.join_words(["张", "伟"]) == "张伟"
    assert layouts.join_words(["Li", "明"]) == "Li 明"
    assert layouts.join_words(["欧阳", "娜娜", "Nana"]) == "欧阳娜娜 Nana"
    assert layouts.join_name("Jane", "Roe") == "Jane Roe"
    assert layouts.join_name("伟", "张") == "张伟"  # First Name 伟, Last Name 张
    assert layouts.join_name(None, "Roe") == "Roe"


def test_map_joins_columns_in_the_order_given(conn) -> None:
    rows = [["First Name", "Last Name", "Org"], ["Jane", "Roe", "Acme"], ["", "Solo", "B"]]
    got = new(plan(conn, rows, {"Last Name+First Name": "name", "Org": "company"}))
    assert [(n.name, n.company) for n in got] == [("Roe Jane", "Acme"), ("Solo", "B")]
    rows = [["姓", "名", "公司"], ["张", "伟", "某公司"], ["Smith", "John", "X"]]
    got = new(plan(conn, rows, {"姓+名": "name"}))
    assert [n.name for n in got] == ["张伟", "Smith John"]
    assert plan(conn, rows, {"姓+名": "name"}).kept == []  # joined columns are not kept twice


def test_name_pairs_join_by_themselves(conn) -> None:
    rows = [["Given Name", "Family Name", "Email"], ["Ann", "Lee", "a@x.io"], ["伟", "张", ""]]
    assert [n.name for n in new(plan(conn, rows))] == ["Ann Lee", "张伟"]
    rows = [["名", "姓", "手机"], ["伟", "张", "138"]]
    assert [(n.name, n.phone) for n in new(plan(conn, rows))] == [("张伟", "138")]
    rows = [["Full Name", "First Name", "Last Name"], ["Dr Ann Lee", "Ann", "Lee"]]
    p = plan(conn, rows)  # the whole name is there: its parts are read, not kept in notes
    assert [(n.name, n.notes) for n in new(p)] == [("Dr Ann Lee", None)]
    assert p.ignored == ["First Name", "Last Name"]


def test_bad_joins_are_refused(conn) -> None:
    rows = [["First Name", "Last Name"], ["a", "b"]]
    with pytest.raises(SalesflowError, match='"Middle", which x.csv does not have'):
        plan(conn, rows, {"First Name+Middle": "name"})
    with pytest.raises(SalesflowError, match="join columns into one field, once"):
        plan(conn, rows, {"First Name+Last Name": "-"})
    with pytest.raises(SalesflowError, match='"First Name" and "Last Name" both mean name') as e:
        plan(conn, rows, {"First Name": "name", "Last Name": "name"})
    # The way out is the command line's to word (errors.Hint, cli/hints.py).
    assert 'join them with --map "First Name+Last Name=name"' in hints.say(e.value)


def test_phone_beats_mobile_and_mobile_alone_is_the_phone(conn) -> None:
    rows = [["name", "Phone", "Mobile"], ["Ann", "010 1234", "138 0000"]]
    (lead,) = new(plan(conn, rows))
    assert (lead.phone, lead.notes) == ("010 1234", "Mobile: 138 0000")
    (lead,) = new(plan(conn, [["name", "Mobile"], ["Ann", "138 0000"]]))
    assert lead.phone == "138 0000"


# Headers as each CRM exports them (the README lists how sure we are of each).
PIPEDRIVE = ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Currency of Value",
             "Person - Name", "Organization - Name", "Person - Email - Work",
             "Person - Phone - Work", "Deal - Deal created", "Deal - Expected close date",
             "Deal - Stage", "Deal - Status"]  # fmt: skip
HUBSPOT = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name",
           "Lead Status", "Create Date", "Contact owner", "Lifecycle Stage"]  # fmt: skip
SALESFORCE = ["Salutation", "First Name", "Last Name", "Title", "Company / Account", "Email",
              "Phone", "Mobile", "Lead Source", "Lead Status", "Rating", "Create Date",
              "Lead Owner", "Description"]  # fmt: skip
SALESFORCE_API = ["Id", "FirstName", "LastName", "Company", "Email", "Phone", "MobilePhone",
                  "LeadSource", "Status", "Rating", "CreatedDate", "Description"]  # fmt: skip
ZOHO = ["Record Id", "Lead Owner", "Company", "First Name", "Last Name", "Title", "Email",
        "Phone", "Mobile", "Lead Source", "Lead Status", "Rating", "Created Time",
        "Modified Time", "Description", "Secondary Email"]  # fmt: skip


def test_pipedrive_deals_export(conn) -> None:
    row = ["17", "Acme – 50 gateways", "12500.50", "EUR", "Jane Roe", "Acme GmbH",
           "jane@acme.de", "+49 30 1234567", "2026-03-05 14:22:10", "2026-12-20",
           "Proposal Made", "open"]  # fmt: skip
    (lead,) = new(plan(conn, [PIPEDRIVE, row]))
    assert (lead.name, lead.company, lead.email, lead.phone) == (
        "Jane Roe", "Acme GmbH", "jane@acme.de", "+49 30 1234567")  # fmt: skip
    assert (lead.value_minor, lead.currency) == (1_250_050, "EUR")
    assert (lead.created_at, lead.expected_close) == ("2026-03-05T14:22:10Z", "2026-12-20")
    assert lead.stage == "lead"  # Pipedrive's stages are not this pipeline's: kept in the notes
    assert lead.notes == (
        "Deal - ID: 17\nDeal - Title: Acme – 50 gateways\nDeal - Stage: Proposal Made\n"
        "Deal - Status: open"
    )


def test_hubspot_contacts_export(conn) -> None:
    row = ["501", "Jane", "Roe", "jane@acme.com", "+1 415 555 0100", "Acme Inc", "NEW",
           "2026-10-01 09:30", "me@mine.com", "Lead"]  # fmt: skip
    (lead,) = new(plan(conn, [HUBSPOT, row]))
    assert (lead.name, lead.company, lead.email, lead.phone) == (
        "Jane Roe", "Acme Inc", "jane@acme.com", "+1 415 555 0100")  # fmt: skip
    assert lead.created_at == "2026-10-01T09:30:00Z"
    assert lead.notes == (
        "Record ID: 501\nLead Status: NEW\nContact owner: me@mine.com\nLifecycle Stage: Lead"
    )


def test_salesforce_leads_report(conn) -> None:
    row = ["Ms.", "Jane", "Roe", "CFO", "Acme Corp", "jane@acme.com", "(415) 555-0100",
           "(415) 555-0199", "Web", "Open - Not Contacted", "Hot", "3/5/2026", "Me",
           "Wants 50"]  # fmt: skip
    (lead,) = new(plan(conn, [SALESFORCE, row], order="MDY"))  # US report dates
    assert (lead.name, lead.company, lead.phone, lead.source, lead.grade) == (
        "Jane Roe", "Acme Corp", "(415) 555-0100", "Web", "A")  # fmt: skip
    assert lead.created_at == "2026-03-05T00:00:00Z"
    assert lead.notes == (
        "Wants 50\nSalutation: Ms.\nTitle: CFO\nMobile: (415) 555-0199\n"
        "Lead Status: Open - Not Contacted\nLead Owner: Me"
    )
    api = ["00Q5g00000AbCdE", "Ann", "Lee", "Lee Ltd", "ann@lee.io", "555 0101", "",
           "Partner Referral", "Working - Contacted", "Cold", "2026-03-05T14:22:10.000Z",
           ""]  # fmt: skip
    p = plan(conn, [SALESFORCE_API, api])
    (lead,) = new(p)
    assert (lead.name, lead.company, lead.source, lead.grade, lead.created_at) == (
        "Ann Lee", "Lee Ltd", "Partner Referral", "C", "2026-03-05T14:22:10Z")  # fmt: skip
    assert lead.notes == "Status: Working - Contacted"
    assert p.ignored == ["Id"]  # read as a salesflow export's id column: not imported


def test_zoho_crm_leads_export(conn) -> None:
    row = ["zcrm_4150868000000224005", "Me", "Zylker", "Ann", "Lee", "Buyer", "ann@zylker.com",
           "555-555-5555", "", "Trade Show", "Contacted", "Active", "2026-03-05 14:22:10",
           "2026-03-06 08:00:00", "Met at booth 4", "ann.lee@gmail.com"]  # fmt: skip
    (lead,) = new(plan(conn, [ZOHO, row]))
    assert (lead.name, lead.company, lead.email, lead.phone, lead.source) == (
        "Ann Lee", "Zylker", "ann@zylker.com", "555-555-5555", "Trade Show")  # fmt: skip
    assert lead.grade is None  # Zoho's rating is not a grade: kept
    assert (lead.created_at, lead.updated_at) == ("2026-03-05T14:22:10Z", "2026-03-06T08:00:00Z")
    assert lead.notes == (
        "Met at booth 4\nRecord Id: zcrm_4150868000000224005\nLead Owner: Me\nTitle: Buyer\n"
        "Lead Status: Contacted\nSecondary Email: ann.lee@gmail.com\nRating: Active"
    )


def test_a_hubspot_file_imports_end_to_end(ok, empty_db, tmp_path: Path) -> None:
    path = tmp_path / "hubspot.csv"
    rows = [HUBSPOT, ["1", "Jane", "Roe", "jane@acme.com", "", "Acme Inc", "", "", "", ""],
            ["2", "伟", "张", "zw@example.cn", "", "某公司", "", "", "", ""]]  # fmt: skip
    path.write_text(csv_text(rows), encoding="utf-8")
    assert "new leads  2" in ok("import", "leads", str(path), "--dry-run").stdout
    ok("import", "leads", str(path))
    out = ok("lead", "list", "--format", "csv").stdout
    assert "Jane Roe,Acme Inc" in out and "张伟,某公司" in out
    assert "Nothing to import" in ok("import", "leads", str(path)).stderr
    path.write_text(csv_text([["姓", "名"], ["李", "娜"]]), encoding="utf-8")
    ok("import", "leads", str(path), "--map", "姓+名=name")
    assert "李娜" in ok("lead", "list", "--format", "csv").stdout


def test_a_bad_join_changes_nothing(ok, fails, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("First Name,Last Name\nJane,Roe\n", encoding="utf-8")
    ok("lead", "add", "Someone")
    fails("import", "leads", str(path), "--map", "First Name=name,Last Name=name",
          match='join them with --map "First Name+Last Name=name"')  # fmt: skip
    fails("import", "leads", str(path), "--map", "First+Last Name=name", match='"First"')

import sqlite3
from pathlib import Path
from types import GeneratorType

import pytest

from salesflow import csvsafe, exporter, leads, store
from salesflow.errors import SalesflowError

NOW = "2026-11-23T09:00:00Z"


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, write=True):
        leads.insert(
            conn,
            [
                leads.NewLead("张伟", "lead", "CNY", NOW, NOW, value_minor=50_000_000),
                leads.NewLead("Ken", "quote", "JPY", NOW, NOW, value_minor=1200),
                leads.NewLead("Sam", "lead", "BHD", NOW, NOW, value_minor=1250),
                leads.NewLead("No value", "lead", "USD", NOW, NOW),
            ],
        )
    return conn


def test_every_spec_selects_exactly_its_columns(conn) -> None:
    for spec in exporter.SPECS.values():
        cursor = conn.execute(spec.sql)
        assert len(cursor.description) == len(spec.columns), spec.name
        assert len(set(spec.columns)) == len(spec.columns), spec.name
        for col, currency in spec.money:
            assert {col, currency} <= set(spec.columns)


def test_lead_rows_have_money_as_decimal_text_beside_the_currency(conn) -> None:
    rows = exporter.rows(conn, "leads")
    assert isinstance(rows, GeneratorType)  # streamed, never a whole list
    got = [(r["name"], r["value"], r["currency"], r["probability"]) for r in rows]
    # 50,000,000 fen = 500000.00 CNY; yen have no minor unit; BHD has three decimals.
    assert got == [
        ("张伟", "500000.00", "CNY", 10),
        ("Ken", "1200", "JPY", 65),
        ("Sam", "1.250", "BHD", 10),
        ("No value", None, "USD", 10),
    ]
    first = next(exporter.rows(conn, "leads"))
    assert list(first) == list(exporter.SPECS["leads"].columns)
    assert first["created_at"] == NOW and first["id"] == 1


def test_records_are_value_tuples_in_column_order(conn) -> None:
    record = next(exporter.records(conn, "leads"))
    spec = exporter.SPECS["leads"]
    assert record[spec.columns.index("value")] == "500000.00"
    history = list(exporter.rows(conn, "stage-changes"))
    assert history[1] == {
        "id": 2, "lead_id": 2, "from_stage": None, "to_stage": "quote", "changed_at": NOW,
        "note": "created", "reason": None,
    }  # fmt: skip


def test_unknown_table(conn) -> None:
    with pytest.raises(SalesflowError, match='cannot export "invoices" — choose one of: leads'):
        list(exporter.rows(conn, "invoices"))


def test_spec_columns_are_what_the_query_names(conn) -> None:
    for spec in exporter.SPECS.values():
        names = [d[0] for d in conn.execute(spec.sql).description]
        assert names == list(spec.columns), spec.name


@pytest.fixture
def odd(conn) -> sqlite3.Connection:
    """Beside the fixture's leads, cells that could trip the fast CSV path: formula-looking
    text in every kind of column, money below zero, values of a type salesflow never writes
    (as a hand edit with the sqlite3 shell could leave them)."""
    conn.execute("PRAGMA foreign_keys = OFF")  # a hand edit, not a salesflow write
    with store.transaction(conn, write=True):
        conn.execute(
            "INSERT INTO stages (name, position, probability, kind) VALUES ('=odd', 99, 50.5, "
            "'open')"
        )
        conn.execute(
            "INSERT INTO leads (name, company, email, phone, source, notes, tags, currency, stage, "
            "value_minor, lost_reason, customer_id, created_at, updated_at) VALUES ('=cmd|x', "
            "'@Acme', '''=x', '+86 138 0000 0000', '-', '-5 units, +2 spare\nsecond line', '', "
            "'JPY', '=odd', 1200, char(0) || '=x', '=1', '=2026', ?)",
            (NOW,),
        )
        conn.execute(
            "INSERT INTO quotes (number, year, seq, lead_id, currency, rounding, discount_rate, "
            "tax_rate, subtotal_minor, discount_minor, tax_minor, total_minor, issued_on, "
            "valid_until, note, created_at, updated_at) VALUES ('Q-2026-0001', 2026, 1, 3, "
            "'BHD', 'half-up', '-1E+2', '-0.5', -1250, 0, -5, -1255, '2026-11-23', "
            "'2026-12-23', '+ call first', ?, ?)",
            (NOW, NOW),
        )
        conn.execute(
            "INSERT INTO quote_items (quote_id, position, description, quantity, "
            "unit_price_minor, gross_minor, discount_minor, amount_minor) VALUES "
            "(1, 1.5, '=line', '-2', 625, -1250, 0, -1250)"
        )
        conn.execute("INSERT INTO customers (name, created_at) VALUES ('-x', ?)", (NOW,))
        conn.execute(
            "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) VALUES "
            "(5, 'call', X'3D31', ?, ?)",
            (NOW, NOW),
        )
    return conn


def test_cells_are_the_records_as_csv_cells(odd) -> None:
    # What the csv writer got before the query did this work: "" for no value, numbers as
    # text, text through csvsafe.escape; a fraction or a blob is left to the writer.
    def cell(value: object, escape: bool) -> object:
        if value is None:
            return ""
        if isinstance(value, str):
            return csvsafe.escape(value) if escape else value
        return str(value) if isinstance(value, int) else value

    for name in exporter.SPECS:
        for escape in (True, False):
            want = [[cell(v, escape) for v in r] for r in exporter.records(odd, name)]
            assert [list(r) for r in exporter.cells(odd, name, escape=escape)] == want, name
        excel = [
            [csvsafe.escape(v, excel=True) if isinstance(v, str) else cell(v, False) for v in r]
            for r in exporter.records(odd, name)
        ]
        assert [list(r) for r in exporter.cells(odd, name, excel=True)] == excel, name


def test_cells_escape_formulas_but_not_amounts(odd) -> None:
    spec = exporter.SPECS["leads"]
    lead = dict(zip(spec.columns, list(exporter.cells(odd, "leads"))[4], strict=True))
    assert (lead["name"], lead["company"], lead["email"]) == ("'=cmd|x", "'@Acme", "''=x")
    assert (lead["phone"], lead["source"]) == ("+86 138 0000 0000", "'-")  # a phone is data
    excel = list(exporter.cells(odd, "leads", excel=True))[4]
    assert excel[spec.columns.index("phone")] == "'+86 138 0000 0000"  # Excel would compute it
    assert lead["notes"] == "'-5 units, +2 spare\nsecond line"
    assert (lead["stage"], lead["probability"]) == ("'=odd", 50.5)  # a fraction stays a float
    assert (lead["lost_reason"], lead["customer_id"]) == ("'\0=x", "'=1")
    assert (lead["value"], lead["currency"], lead["tags"]) == ("1200", "JPY", "")
    assert lead["created_at"] == "'=2026" and lead["updated_at"] == NOW
    raw = dict(zip(spec.columns, list(exporter.cells(odd, "leads", escape=False))[4], strict=True))
    assert (raw["name"], raw["phone"], raw["customer_id"]) == ("=cmd|x", "+86 138 0000 0000", "=1")
    quote = dict(
        zip(exporter.SPECS["quotes"].columns, next(exporter.cells(odd, "quotes")), strict=True)
    )
    # Amounts below zero are numbers, never escaped: -1250 fils = -1.250 BHD.
    assert (quote["subtotal"], quote["tax"], quote["total"]) == ("-1.250", "-0.005", "-1.255")
    # Stored text that only looks like a number is escaped unless it is a plain one.
    assert (quote["discount_rate"], quote["tax_rate"], quote["note"]) == (
        "'-1E+2", "-0.5", "'+ call first")  # fmt: skip
    item = next(exporter.cells(odd, "quote-items"))
    assert item[3:7] == [1.5, "'=line", "-2", "0.625"]  # position as stored, a fraction


def test_cells_stream(conn) -> None:
    assert isinstance(exporter.cells(conn, "leads"), GeneratorType)
    assert isinstance(exporter.cells(conn, "customers"), GeneratorType)

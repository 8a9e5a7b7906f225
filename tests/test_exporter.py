import sqlite3
from pathlib import Path
from types import GeneratorType

import pytest

from salesflow import exporter, leads, store
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

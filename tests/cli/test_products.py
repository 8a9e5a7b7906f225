"""`salesflow product …` and quote lines that name a product (clock pinned to 2026-11-23)."""

import csv
import io
import json
import sqlite3

import pytest

Q1 = "Q-2026-0001"


def rows(db_path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def catalogue(ok, two_leads) -> None:
    ok("product", "add", "Edge gateway G2", "--sku", "G2", "--price", "980", "--currency", "CNY",
       "--unit", "台", "--tax", "13%")  # fmt: skip
    ok("product", "add", "Edge gateway G3", "--sku", "G3", "--price", "1280", "--currency", "CNY",
       "--unit", "台", "--tax", "13%")  # fmt: skip
    ok("product", "add", "Installation", "--sku", "INST", "--price", "6000", "--currency", "CNY")


def listed(ok) -> list[dict]:
    return json.loads(ok("product", "list", "-f", "json").stdout)


def test_add_list_show_edit(ok, catalogue) -> None:
    got = listed(ok)
    assert [(p["sku"], p["name"], p["price"], p["currency"], p["unit"], p["tax_rate"])
            for p in got] == [
        ("G2", "Edge gateway G2", "980.00", "CNY", "台", "13"),
        ("G3", "Edge gateway G3", "1280.00", "CNY", "台", "13"),
        ("INST", "Installation", "6000.00", "CNY", None, None),
    ]  # fmt: skip
    shown = json.loads(ok("product", "show", "g2", "-f", "json").stdout)
    assert shown["name"] == "Edge gateway G2" and shown["quotes"] == []
    # a unique piece of the name finds it too
    assert json.loads(ok("product", "show", "Install", "-f", "json").stdout)["sku"] == "INST"
    ok("product", "edit", "G2", "--price", "1050", "--unit", "pcs", "--tax", "")
    g2 = listed(ok)[0]
    assert (g2["price"], g2["unit"], g2["tax_rate"]) == ("1050.00", "pcs", None)
    ok("undo")
    assert listed(ok)[0]["price"] == "980.00"


def test_a_quote_line_from_the_catalogue(ok, catalogue, db_path) -> None:
    # lead 1 is in CNY; no --tax: the products' 13% applies
    ok("quote", "new", "1", "--item", "G2; 50", "--item", "inst; 1; 5500",
       "--item", "Training; 2; 3500")  # fmt: skip
    q = json.loads(ok("quote", "show", Q1, "-f", "json").stdout)
    # 50 × 980 = 49,000.00; 1 × 5,500 (explicit price over the catalogue's 6,000) = 5,500.00;
    # 2 × 3,500 = 7,000.00; subtotal 61,500.00; 13% tax = 7,995.00; total 69,495.00
    assert (q["subtotal"], q["tax_rate"], q["tax"], q["total"]) == (
        "61500.00", "13", "7995.00", "69495.00",
    )  # fmt: skip
    assert rows(db_path, "SELECT description, unit_price_minor, unit, product_id "
                         "FROM quote_items ORDER BY position") == [
        ("Edge gateway G2", 98000, "台", 1),
        ("Installation", 550000, None, 3),
        ("Training", 350000, None, None),
    ]  # fmt: skip
    # a later price change never alters the quote
    ok("product", "edit", "G2", "--price", "1100", "--name", "Gateway G2 (2027)")
    assert rows(db_path, "SELECT description, unit_price_minor FROM quote_items WHERE "
                         "position = 1") == [("Edge gateway G2", 98000)]  # fmt: skip
    assert json.loads(ok("quote", "show", Q1, "-f", "json").stdout)["total"] == "69495.00"
    # a copy keeps the link; a line added later takes today's catalogue price
    ok("quote", "copy", Q1)
    ok("quote", "add-item", Q1 + "-v2", "G2; 10; ; 5%")
    assert rows(db_path, "SELECT description, unit_price_minor, discount_rate, product_id "
                         "FROM quote_items WHERE quote_id = 2 ORDER BY position") == [
        ("Edge gateway G2", 98000, None, 1), ("Installation", 550000, None, 3),
        ("Training", 350000, None, None), ("Gateway G2 (2027)", 110000, "5", 1),
    ]  # fmt: skip
    assert json.loads(ok("product", "show", "G2", "-f", "json").stdout)["quotes"] == [
        {"number": Q1, "lines": 1}, {"number": Q1 + "-v2", "lines": 2},
    ]  # fmt: skip
    ok("undo")  # the added line goes, link and all
    assert rows(db_path, "SELECT count(*) FROM quote_items WHERE product_id = 1") == [(2,)]


def test_products_decide_the_quote_currency(ok, catalogue) -> None:
    # lead 2 is in USD, but a catalogue price names its currency like "¥980" would
    ok("quote", "new", "2", "--item", "G3; 2")
    q = json.loads(ok("quote", "show", Q1, "-f", "json").stdout)
    assert (q["currency"], q["subtotal"]) == ("CNY", "2560.00")


def test_rm_force_keeps_the_lines_as_text(ok, catalogue, db_path) -> None:
    ok("quote", "new", "1", "--item", "G2; 50")
    out = ok("product", "rm", "G2", "--force").stderr
    assert "1 quote line keeps its text" in out
    assert rows(db_path, "SELECT description, unit_price_minor, product_id FROM quote_items") == [
        ("Edge gateway G2", 98000, None)
    ]
    assert [p["sku"] for p in listed(ok)] == ["G3", "INST"]
    ok("undo")
    assert rows(db_path, "SELECT product_id FROM quote_items") == [(1,)]
    assert [p["sku"] for p in listed(ok)] == ["G2", "G3", "INST"]
    ok("product", "rm", "G3")  # unused: no --force needed
    assert [p["sku"] for p in listed(ok)] == ["G2", "INST"]


def test_export_and_import(ok, catalogue, tmp_path) -> None:
    out = ok("export", "products").stdout
    got = list(csv.DictReader(io.StringIO(out)))
    assert [r["sku"] for r in got] == ["G2", "G3", "INST"]
    assert list(got[0]) == ["id", "sku", "name", "price", "currency", "unit", "tax_rate",
                            "created_at", "updated_at"]  # fmt: skip
    sheet = tmp_path / "价目表.csv"
    sheet.write_text("编码,名称,单价,单位,税率\nX1,控制柜,62000,台,13%\nG2,Edge gateway G2,990,,\n",
                     encoding="utf-8")  # fmt: skip
    ok("import", "products", str(sheet), "--on-duplicate", "update")
    got = {p["sku"]: p for p in listed(ok)}
    # no currency column: a new product takes the config currency (USD), an existing one keeps
    # its own
    assert (got["X1"]["price"], got["X1"]["currency"], got["X1"]["tax_rate"]) == (
        "62000.00",
        "USD",
        "13",
    )
    assert (got["G2"]["price"], got["G2"]["currency"], got["G2"]["unit"]) == ("990.00", "CNY", "台")
    ok("undo")
    assert sorted(got) != sorted(p["sku"] for p in listed(ok))
    # the export reads back as it was written: every row a duplicate
    (tmp_path / "p.csv").write_text(out, encoding="utf-8")
    assert "duplicates skipped  3" in ok("import", "products", str(tmp_path / "p.csv")).stdout


def test_bad_input(ok, fails, catalogue) -> None:
    ok("quote", "new", "1", "--item", "G2; 1")
    fails("product", "add", "Other", "--sku", "g2", "--price", "5",
          match='SKU "g2" is already "Edge gateway G2"')  # fmt: skip
    fails("product", "add", "edge GATEWAY g2", "--price", "5",
          match='already a product called "edge GATEWAY g2"')  # fmt: skip
    fails("product", "add", "Free", "--price", "0", match="more than zero")
    fails("quote", "new", "1", "--item", "G9; 5", match='no product "G9" and no price')
    fails("quote", "add-item", "Q-2026-0001", "GW; 5", match='no product "GW"')
    fails("quote", "new", "1", "--item", "G; 5", match='"G" matches 2 products')
    fails(
        "quote",
        "new",
        "1",
        "--item",
        "G2; 5",
        "--currency",
        "USD",
        match="G2 (Edge gateway G2) is priced in CNY in the catalogue but the quote is in USD",
    )
    fails("product", "rm", "G2", match="G2 (Edge gateway G2) is on 1 quote line(s) (Q-2026-0001)")
    fails("product", "edit", "G3", "--sku", "G2", match='SKU "G2" is already')
    fails("product", "edit", "G3", match="nothing to change")
    fails("product", "show", "nothing", match='no product "nothing"')
    fails("product", "add", "X", code=2)  # no --price: a usage error

"""`salesflow product …` and quote lines that name a product (clock pinned to 2026-11-23)."""

import csv
import io
import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    ok("product", "add", "Service day", "--sku", "SD", "--price", "3000", "--currency", "CNY",
       "--tax", "6%")  # fmt: skip
    fails(
        "quote",
        "new",
        "1",
        "--item",
        "G2; 1",
        "--item",
        "SD; 2",
        match="these products have different tax rates (G2 (Edge gateway G2) 13%, SD "
        "(Service day) 6%) and a quote has one — give the quote's rate with --tax",
    )
    ok("quote", "new", "1", "--item", "G2; 1", "--item", "SD; 2", "--tax", "13%")


LATER = {"SALESFLOW_NOW": "2026-11-25T09:00:00Z"}


@pytest.fixture
def sold(ok, catalogue) -> None:
    """Four quotes on the catalogue; base currency CNY, 1 USD = 7 CNY."""
    ok("config", "set", "currency", "CNY")
    ok("config", "set", "fx.USD", "7")
    ok("lead", "add", "王芳", "--company", "杭州某厂", "--currency", "CNY")  # lead 3
    # Q-0001 (lead 1, CNY): G2 10 × 980 = 9,800; INST 1 × 6,000; Cables 4 × 50 = 200;
    # subtotal 16,000, 10% off = 1,600, net 14,400: each line keeps 90% of its amount.
    ok("quote", "new", "1", "--item", "G2; 10", "--item", "INST; 1", "--item", "Cables; 4; 50",
       "--discount", "10%")  # fmt: skip
    ok("quote", "send", "Q-2026-0001")
    ok("quote", "accept", "Q-2026-0001")
    # Q-0002 (lead 3): G2 5 × 980 = 4,900 less 20% on the line = 3,920; rejected on the 25th
    ok("quote", "new", "3", "--item", "G2; 5; ; 20%")
    ok("quote", "send", "Q-2026-0002", env=LATER)
    ok("quote", "reject", "Q-2026-0002", "--reason", "budget cut", env=LATER)
    # Q-0003 (lead 2, USD at a price of its own): sent at 150, renegotiated to 140 in -v2,
    # which is accepted (the first version is rejected as superseded and counts no more)
    ok("quote", "new", "2", "--item", "G2; 2; 150")
    ok("quote", "send", "Q-2026-0003")
    ok("quote", "copy", "Q-2026-0003")
    ok("quote", "rm-item", "Q-2026-0003-v2", "1")
    ok("quote", "add-item", "Q-2026-0003-v2", "G2; 2; 140")
    ok("quote", "send", "Q-2026-0003-v2")
    ok("quote", "accept", "Q-2026-0003-v2")
    # Q-0004 (lead 3): a draft, never offered
    ok("quote", "new", "3", "--item", "INST; 1")


def test_report_products_by_hand(ok, sold) -> None:
    got = {r["sku"]: r for r in json.loads(ok("report", "products", "-f", "json").stdout)}
    # G2 — offers naming it: Q1 (10, value 9,800 × 90% = 8,820), Q2 (5, 3,920),
    # Q3-v2 (2 × 140 USD = 280 USD = 1,960 CNY): quoted 3, quantity 17,
    # value 8,820 + 3,920 + 1,960 = 14,700. Won: Q1 and Q3-v2, quantity 12,
    # revenue 8,820 + 1,960 = 10,780. Decided: Q1, Q2, Q3-v2: win rate 2/3.
    # Gross 9,800 + 4,900 + 1,960 = 16,660: discount (16,660 − 14,700) / 16,660 = 0.117647.
    # Revenue of every row: 10,780 + 5,400 + 180 = 16,360; G2's share 10,780 / 16,360.
    assert got["G2"] == {
        "sku": "G2", "product": "Edge gateway G2", "quoted": 3, "quoted_quantity": "17",
        "quoted_value": "14700.00", "won": 2, "won_quantity": "12", "revenue": "10780.00",
        "win_rate": 0.666667, "avg_discount": 0.117647, "revenue_share": 0.658924,
        "currency": "CNY",
    }  # fmt: skip
    # INST — Q1 only (the Q4 draft was never offered): 6,000 × 90% = 5,400, discount 10%
    assert got["INST"] == {
        "sku": "INST", "product": "Installation", "quoted": 1, "quoted_quantity": "1",
        "quoted_value": "5400.00", "won": 1, "won_quantity": "1", "revenue": "5400.00",
        "win_rate": 1.0, "avg_discount": 0.1, "revenue_share": 0.330073, "currency": "CNY",
    }  # fmt: skip
    # the free-text line: Cables 200 × 90% = 180
    assert got[None] == {
        "sku": None, "product": None, "quoted": 1, "quoted_quantity": "4",
        "quoted_value": "180.00", "won": 1, "won_quantity": "4", "revenue": "180.00",
        "win_rate": 1.0, "avg_discount": 0.1, "revenue_share": 0.011002, "currency": "CNY",
    }  # fmt: skip
    # G3 was never quoted: a row of zeros; free text always last
    assert got["G3"]["quoted"] == 0 and got["G3"]["win_rate"] is None
    assert [r["sku"] for r in json.loads(ok("report", "products", "-f", "json").stdout)] == [
        "G2", "INST", "G3", None,
    ]  # fmt: skip
    # From the 24th only Q2 (sent and rejected on the 25th) is in the window
    late = {
        r["sku"]: r
        for r in json.loads(
            ok("report", "products", "--since", "2026-11-24", "-f", "json", env=LATER).stdout
        )
    }
    assert (
        late["G2"]["quoted"],
        late["G2"]["quoted_value"],
        late["G2"]["won"],
        late["G2"]["win_rate"],
        late["G2"]["revenue_share"],
    ) == (1, "3920.00", 0, 0.0, None)
    assert late["INST"]["quoted"] == 0 and late[None]["quoted"] == 0
    table = ok("report", "products", "--width", "120").stdout
    assert "other (free text)" in table and "10,780" in table


def test_customer_show_lists_what_was_bought(ok, sold) -> None:
    card = json.loads(ok("customer", "show", "深圳某科技有限公司", "-f", "json").stdout)
    assert [(b["quote"], b["sku"], b["description"], b["quantity"], b["amount"])
            for b in card["bought"]] == [
        ("Q-2026-0001", "G2", "Edge gateway G2", "10", "9800.00"),
        ("Q-2026-0001", "INST", "Installation", "1", "6000.00"),
        ("Q-2026-0001", None, "Cables", "4", "200.00"),
    ]  # fmt: skip
    assert "Edge gateway G2" in ok("customer", "show", "深圳某科技有限公司").stdout


def test_a_zero_tax_product_charges_zero(ok, catalogue) -> None:
    ok("config", "set", "quote.tax", "13%")
    ok("product", "add", "Export unit", "--sku", "EX", "--price", "¥500", "--tax", "0%")
    ok("quote", "new", "1", "--item", "EX; 2")
    q = json.loads(ok("quote", "show", Q1, "-f", "json").stdout)
    assert (q["tax_rate"], q["tax"], q["total"]) == ("0", "0.00", "1000.00")


def test_report_products_rounds_each_line_half_up(ok, catalogue) -> None:
    """The sums come from SQL: each line's share of the discounted subtotal rounded half-up
    in minor units, fractional quantities added exactly, a line too large for SQLite's
    integers left to Decimal."""
    ok("config", "set", "currency", "CNY")
    # Q1 (lead 1, CNY): G2 1.5 × 1.00 = 1.50, Cables 1 × 0.50; subtotal 2.00, 95% off = 1.90,
    # net 0.10. G2: 150 × 10 / 200 = 7.5 fen → 8 (half-up; half-even would say 8 too, so
    # Cables shows it): Cables 50 × 10 / 200 = 2.5 fen → 3 (half-even: 2).
    ok("quote", "new", "1", "--item", "G2; 1.5; 1", "--item", "Cables; 1; 0.5",
       "--discount", "95%")  # fmt: skip
    ok("quote", "send", "Q-2026-0001")
    ok("quote", "accept", "Q-2026-0001")
    # Q2 (lead 1): G3 1 × 20,000,000.00 and INST 2.25 × 1,000 = 2,250.00, 10% off: G3's
    # 2,000,000,000 fen × 1,800,202,500 passes 2^61, so Decimal works it: 18,000,000.00;
    # INST 2,250 × 90% = 2,025.00. Sent, not decided.
    ok("quote", "new", "1", "--item", "G3; 1; 20000000", "--item", "INST; 2.25; 1000",
       "--discount", "10%")  # fmt: skip
    ok("quote", "send", "Q-2026-0002")
    got = {r["sku"]: r for r in json.loads(ok("report", "products", "-f", "json").stdout)}
    assert (got["G2"]["quoted_value"], got["G2"]["revenue"], got["G2"]["quoted_quantity"]) == (
        "0.08", "0.08", "1.5",
    )  # fmt: skip
    # G2's gross 1.50, value 0.08: discount 1.42 / 1.50
    assert got["G2"]["avg_discount"] == round(1.42 / 1.5, 6)
    assert (got[None]["quoted_value"], got[None]["revenue"]) == ("0.03", "0.03")
    assert (got["G3"]["quoted_value"], got["G3"]["won"], got["G3"]["win_rate"]) == (
        "18000000.00", 0, None,
    )  # fmt: skip
    assert (got["INST"]["quoted_value"], got["INST"]["quoted_quantity"]) == ("2025.00", "2.25")
    # revenue 0.08 + 0.03: G2's share 8/11
    assert got["G2"]["revenue_share"] == round(8 / 11, 6)


@settings(max_examples=300, deadline=None)
@given(
    amount=st.one_of(st.integers(0, 10**6), st.integers(0, 10**15)),
    subtotal=st.one_of(st.integers(0, 10**6), st.integers(0, 10**15)),
    off=st.one_of(st.integers(0, 10**5), st.integers(0, 10**15)),
    whole=st.integers(1, 999_999_999),
    places=st.integers(0, 6),
    digits=st.integers(0, 999_999),
)
def test_the_sql_line_value_is_line_value(
    amount: int, subtotal: int, off: int, whole: int, places: int, digits: int
) -> None:
    """metrics.products' SQL pieces against line_value (Decimal) and Decimal quantities,
    including products past 2^61 (which the SQL leaves to line_value)."""
    from decimal import Decimal

    from salesflow.metrics import products as p

    discount = min(off, subtotal)
    quantity = f"{whole}.{digits:06d}"[: len(str(whole)) + 1 + places].rstrip(".")
    conn = sqlite3.connect(":memory:")
    safe, value, w, m = conn.execute(
        f"SELECT {p._SAFE}, CASE WHEN {p._SAFE} THEN {p._VALUE} END, {p._WHOLE}, "
        f"{p._MILLIONTHS} FROM (SELECT ? AS subtotal_minor, ? AS discount_minor) o, "
        "(SELECT ? AS amount_minor, ? AS quantity) i",
        (subtotal, discount, amount, quantity),
    ).fetchone()
    expected = p.line_value(amount, subtotal, discount)
    if safe:
        assert value == expected and isinstance(value, int)
    else:
        assert p._rest(f"{amount} {subtotal} {discount}") == expected
    assert w + Decimal(m) / 1_000_000 == Decimal(quantity)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (None, ('"G2; 50"', "SKU or unique name", "price, unit and tax", "overrides",
                '"G2; 50; 950"')),
        ("zh_CN", ('"G2; 50"', "SKU 或唯一名称", "单价、单位和税率", "以所写为准",
                   '"G2; 50; 950"')),
    ],
)  # fmt: skip
def test_item_help_explains_the_product_syntax(run, lang, words) -> None:
    head = ("--lang", lang) if lang else ()
    for command in (("quote", "new"), ("quote", "add-item")):
        result = run(*head, *command, "--help", env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.stderr
        shown = "".join(result.stdout.split())  # wrapped anywhere in Chinese
        for word in words:
            assert word.replace(" ", "") in shown, (command, word, result.stdout)

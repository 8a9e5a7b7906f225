"""Buyer facts a quote prints (address, tax ID / 纳税人识别号, document language): given with
`lead add`/`lead edit`, kept once per company on the customer (`customer edit`), and used by a
quote to any lead of that customer that has none of its own."""

from __future__ import annotations

import json

import pytest

ADDRESS = "江苏省苏州市工业园区星湖街328号"
TAX_ID = "91320594MA1XXXXX3B"
COMPANY = "苏州星湖精密机械有限公司"


def _lead(ok, ref: str) -> dict:
    return json.loads(ok("lead", "show", ref, "-f", "json").stdout)["lead"]


def test_lead_add_takes_the_buyer_facts(ok) -> None:
    ok("lead", "add", "张伟", "--company", COMPANY, "--address", ADDRESS, "--tax-id", TAX_ID,
       "--doc-lang", "zh")  # fmt: skip
    lead = _lead(ok, "1")
    assert (lead["address"], lead["tax_id"], lead["doc_lang"]) == (ADDRESS, TAX_ID, "zh_CN")
    ok("lead", "add", "Jane Roe", "--company", "Acme Ltd", "--address", " ", "--doc-lang", "")
    lead = _lead(ok, "2")
    assert (lead["address"], lead["tax_id"], lead["doc_lang"]) == (None, None, None)
    ok("quote", "new", "1", "--item", "控制柜; 9; 62000; 台")
    html = ok("quote", "render", "Q-2026-0001").stdout  # Chinese: the lead's --doc-lang
    assert '<html lang="zh-CN">' in html and ADDRESS in html and TAX_ID in html


@pytest.fixture
def customer(ok) -> None:
    """Customer #1 (won through lead #1) with its facts; lead #2 is a new, open deal of the
    same company (repeat business), with no facts of its own."""
    ok("lead", "add", "张伟", "--company", COMPANY)
    ok("advance", "1", "won")
    ok("customer", "edit", "1", "--address", ADDRESS, "--tax-id", TAX_ID, "--doc-lang", "zh_CN")
    ok("lead", "add", "李娜", "--company", COMPANY, "--force")
    ok("quote", "new", "2", "--item", "控制柜; 9; 62000; 台", "--tax", "13%")


def test_customer_edit_keeps_the_facts_and_show_and_export_give_them(ok, customer) -> None:
    shown = json.loads(ok("customer", "show", "1", "-f", "json").stdout)["customer"]
    assert (shown["address"], shown["tax_id"], shown["doc_lang"]) == (ADDRESS, TAX_ID, "zh_CN")
    table = ok("customer", "show", "1").stdout
    assert ADDRESS in table and TAX_ID in table and "zh_CN" in table
    (row,) = json.loads(ok("export", "customers", "-f", "json").stdout)
    assert (row["address"], row["tax_id"], row["doc_lang"]) == (ADDRESS, TAX_ID, "zh_CN")


def test_a_quote_to_a_lead_of_the_customer_prints_the_customers_facts(ok, customer) -> None:
    html = ok("quote", "render", "Q-2026-0001").stdout
    # Chinese, from the customer's document language; its address and tax ID in the buyer block
    assert '<html lang="zh-CN">' in html
    assert "需方" in html and "李娜" in html and ADDRESS in html and TAX_ID in html
    md = ok("quote", "render", "Q-2026-0001", "--lang", "en", "-f", "md").stdout
    assert ADDRESS in md and TAX_ID in md


def test_the_leads_own_facts_come_first_fact_by_fact(ok, customer) -> None:
    ok("lead", "edit", "2", "--address", "苏州市吴中区分厂", "--doc-lang", "en")
    md = ok("quote", "render", "Q-2026-0001", "-f", "md").stdout
    assert md.startswith("# Quotation")  # the lead's language
    assert "苏州市吴中区分厂" in md and ADDRESS not in md  # the lead's address
    assert TAX_ID in md  # the customer's tax ID: the lead has none


def test_blank_clears_a_customer_fact_and_undo_restores_it(ok, customer) -> None:
    ok("customer", "edit", "1", "--tax-id", "", "--doc-lang", "")
    shown = json.loads(ok("customer", "show", "1", "-f", "json").stdout)["customer"]
    assert (shown["address"], shown["tax_id"], shown["doc_lang"]) == (ADDRESS, None, None)
    md = ok("quote", "render", "Q-2026-0001", "-f", "md").stdout
    assert md.startswith("# Quotation") and TAX_ID not in md and ADDRESS in md
    ok("undo", "--yes")
    shown = json.loads(ok("customer", "show", "1", "-f", "json").stdout)["customer"]
    assert (shown["tax_id"], shown["doc_lang"]) == (TAX_ID, "zh_CN")


def test_a_lead_of_another_company_gets_none_of_them(ok, customer) -> None:
    ok("lead", "add", "Jane Roe", "--company", "Acme Ltd")
    ok("quote", "new", "3", "--item", "Gateway; 1; 980")
    md = ok("quote", "render", "Q-2026-0002", "-f", "md").stdout
    assert md.startswith("# Quotation") and ADDRESS not in md and TAX_ID not in md


def test_the_interface_language_is_the_default_after_the_buyers(ok) -> None:
    ok("lead", "add", "Jane Roe", "--company", "Acme Ltd")
    ok("quote", "new", "1", "--item", "Gateway; 1; 980")
    assert ok("quote", "render", "Q-2026-0001", "-f", "md").stdout.startswith("# Quotation")
    chinese = ok("--lang", "zh_CN", "quote", "render", "Q-2026-0001", "-f", "md").stdout
    assert chinese.startswith("# 报价单")
    ok("lead", "edit", "1", "--doc-lang", "en")
    english = ok("--lang", "zh_CN", "quote", "render", "Q-2026-0001", "-f", "md").stdout
    assert english.startswith("# Quotation")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("customer", "edit", "1", "--doc-lang", "fr"), 'document language "fr"'),
        (("customer", "edit", "1"), "--address, --tax-id or --doc-lang"),
        (("customer", "edit", "9", "--tax-id", "X"), "no customer #9"),
        (("lead", "add", "Li Lei", "--doc-lang", "de"), 'document language "de"'),
        (("lead", "edit", "1", "--doc-lang", "klingon"), 'document language "klingon"'),
    ],
)
def test_bad_buyer_facts_are_refused(ok, fails, customer, args, message) -> None:
    fails(*args, match=message)


def test_merge_fills_the_buyer_facts_keep_lacks(ok) -> None:
    ok("lead", "add", "张伟", "--company", COMPANY, "--doc-lang", "en")
    ok("lead", "add", "张伟", "--company", COMPANY, "--address", ADDRESS, "--tax-id", TAX_ID,
       "--doc-lang", "zh_CN", "--force")  # fmt: skip
    ok("lead", "merge", "1", "2", "--yes")
    lead = _lead(ok, "1")
    assert (lead["address"], lead["tax_id"], lead["doc_lang"]) == (ADDRESS, TAX_ID, "en")

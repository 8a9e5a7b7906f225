"""Quote documents: one view model, Markdown that stays inert, HTML that escapes."""

from datetime import date
from decimal import Decimal

from salesflow.output import documents
from salesflow.quotes import Quote
from salesflow.quotes.math import Discount, ItemInput, compute

TODAY = date(2026, 11, 23)


def a_quote(**changes) -> Quote:
    fields = dict(
        id=1, number="Q-2026-0007", year=2026, seq=7, version=1, lead_id=3, status="draft",
        currency="USD", rounding="half-up", discount_rate=None, discount_fixed_minor=None,
        tax_rate="0", subtotal_minor=0, discount_minor=0, tax_minor=0, total_minor=0,
        issued_on="2026-11-23", valid_until="2026-12-23", note=None, reason=None,
        created_at="2026-11-23T09:00:00Z", updated_at="2026-11-23T09:00:00Z", sent_at=None,
        decided_at=None,
    )  # fmt: skip
    return Quote(**(fields | changes))


def test_md_inline_escapes_markup_and_flattens_lines() -> None:
    assert documents.md_inline("a|b *c* _d_ [e](f) <g> #h ~i~ `j` &k\\") == (
        "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> \\#h \\~i\\~ \\`j\\` \\&k\\\\"
    )
    assert documents.md_inline("two\nlines") == "two lines"
    assert documents.md_lines(["a", "<b>"]) == "a\\\n\\<b\\>"


def test_view_model_has_every_step_as_text() -> None:
    result = compute(
        # 3 × 19.99 = 59.97 − 5.00 = 54.97; 1 × 100.00 − 12.5% = 87.50
        [ItemInput("Licence", Decimal(3), 1_999, Discount(fixed_minor=500)),
         ItemInput("Setup", Decimal(1), 10_000, Discount(percent=Decimal("12.5")))],
        currency="USD", rounding="half-up", discount=Discount(fixed_minor=1_000),
        tax_rate=Decimal("8.25"),
    )  # fmt: skip
    # subtotal 142.47 − 10.00 = 132.47; tax 8.25% = 10.928775 → 10.93; total 143.40
    q = a_quote(status="sent", valid_until="2026-11-01", note="Line 1\\nLine 2")
    view = documents.quote_view(
        q, result, today=TODAY, client={"name": "Ann", "company": "Acme", "email": None},
        seller={"name": "Li", "address": "A\\nB", "tax_id": "T-1"},
    )  # fmt: skip
    assert view["status"] == "expired" and view["badge"] == "Expired"
    assert [(t["label"], t["amount"]) for t in view["totals"]] == [
        ("Subtotal", "142.47"),
        ("Discount", "-10.00"),
        ("Subtotal after discount", "132.47"),
        ("Tax 8.25%", "10.93"),
        ("Total (USD)", "143.40"),
    ]
    assert [
        (li["gross"], li["discount_label"], li["discount"], li["amount"]) for li in view["lines"]
    ] == [
        ("59.97", "", "-5.00", "54.97"),
        ("100.00", "12.5%", "-12.50", "87.50"),
    ]
    assert view["seller_lines"] == ["Li", "A", "B", "Tax ID: T-1"]
    assert view["client_lines"] == ["Acme", "Ann"]
    assert view["note_lines"] == ["Line 1", "Line 2"]
    md = documents.render_quote(view, "md")
    html = documents.render_quote(view, "html")
    for doc in (md, html):
        assert "143.40" in doc and "Expired" in doc and "Line 2" in doc


def test_no_tax_and_no_discount_rows_when_there_are_none() -> None:
    result = compute([ItemInput("x", Decimal(2), 500)], currency="JPY", rounding="half-up",
                     discount=None, tax_rate=Decimal(0))  # fmt: skip
    view = documents.quote_view(a_quote(currency="JPY", status="sent"), result, today=TODAY,
                                client={"name": "Ann"}, seller={})  # fmt: skip
    assert [(t["label"], t["amount"]) for t in view["totals"]] == [
        ("Subtotal", "1,000"),  # 2 × ¥500
        ("Total (JPY)", "1,000"),
    ]
    assert view["badge"] == "" and not view["has_line_discounts"]
    md = documents.render_quote(view, "md")
    assert "**From**" not in md  # no seller settings, no empty block
    assert "| 1 | x | 2 | 500 | 1,000 |" in md

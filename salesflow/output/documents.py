"""Documents a seller sends: the quote as Markdown, one self-contained HTML file, or PDF, in
Chinese (报价单) or English.

Every format and language (and the terminal view of `quote show`) is drawn from ONE view
model built here: every figure is already a formatted string, so the templates only place
text and do no arithmetic. Jinja2 is imported only when a document is rendered.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salesflow.quotes.math import Totals, amount_text, number_text, percent_text

if TYPE_CHECKING:
    from salesflow.quotes import Quote

TEMPLATES = Path(__file__).parent / "templates"
DOCUMENT_FORMATS = ("md", "html", "pdf")
LANGUAGES = ("zh_CN", "en")
SELLER_KEYS = (
    "name", "address", "email", "phone", "tax_id", "bank", "account", "payment_terms", "delivery",
)  # fmt: skip
BUYER_KEYS = ("company", "name", "phone", "email", "address", "tax_id")
# What depends on the document's language beyond the templates' own words: the status badge
# and the labels of the totals, which also carry figures (rates, the currency).
_WORDS = {
    "en": {
        "draft": "Draft — not yet sent",
        "expired": "Expired",
        "accepted": "Accepted",
        "rejected": "Rejected",
        "subtotal": "Subtotal",
        "discount": "Discount",
        "net": "Net amount",
        "tax": "VAT",
        "total": "Total ({cur})",
        "note": " ({note})",
    },
    "zh_CN": {
        "draft": "草稿（尚未发出）",
        "expired": "已过期",
        "accepted": "已接受",
        "rejected": "已拒绝",
        "subtotal": "小计",
        "discount": "折扣",
        "net": "不含税金额",
        "tax": "增值税",
        "total": "价税合计（{cur}）",
        "note": "（{note}）",
    },
}


def quote_view(
    quote: Quote,
    result: Totals,
    *,
    today: date,
    client: dict[str, Any],
    seller: dict[str, str],
    lang: str = "en",
    words: bool = False,
) -> dict[str, Any]:
    """Everything a quote shows, as display strings, in the order a reader meets it.

    `client` is the lead's record (name, company, email, phone, address, tax_id); `seller`
    the `seller.*` settings without their prefix. `lang` picks the words that carry figures
    (totals' labels, the badge) and the amount in words: Chinese capitals (金额大写) on a
    Chinese CNY quote, English words on an English one when `words` is set.
    """
    cur = result.currency
    w = _WORDS[lang]

    def amt(minor: int) -> str:
        return amount_text(minor, cur)

    lines = []
    for li in result.lines:
        # A percentage is named beside the amount it took off; a fixed discount is that amount.
        label = percent_text(li.discount_percent) if li.discount_percent is not None else ""
        lines.append(
            {
                "no": str(li.position),
                "description": li.description,
                "quantity": number_text(li.quantity),
                "unit": li.unit or "",
                "unit_price": amt(li.unit_price_minor),
                "gross": amt(li.gross_minor),
                "discount_label": label,
                "discount": f"-{amt(li.discount_minor)}" if li.discount_minor else "",
                "amount": amt(li.amount_minor),
            }
        )
    totals: list[dict[str, str]] = [
        {"kind": "subtotal", "label": w["subtotal"], "amount": amt(result.subtotal_minor)}
    ]
    if result.discount_percent is not None or result.discount_fixed_minor is not None:
        rate = result.discount_percent
        label = w["discount"] + (f" {percent_text(rate)}" if rate is not None else "")
        totals.append(
            {"kind": "discount", "label": label, "amount": f"-{amt(result.discount_minor)}"}
        )
        totals.append({"kind": "net", "label": w["net"], "amount": amt(result.net_minor)})
    # The tax line is there at 0% too: an export quote says why no VAT is charged.
    tax_note = (quote.tax_note or "").strip()
    tax_label = f"{w['tax']} {percent_text(result.tax_rate)}"
    if tax_note:
        tax_label += w["note"].format(note=tax_note)
    totals.append({"kind": "tax", "label": tax_label, "amount": amt(result.tax_minor)})
    totals.append(
        {"kind": "total", "label": w["total"].format(cur=cur), "amount": amt(result.total_minor)}
    )
    status = quote.status_on(today)
    seller_block = {k: (seller.get(k) or "").strip() for k in SELLER_KEYS}
    buyer = {k: str(client.get(k) or "").strip() for k in BUYER_KEYS}
    address = _lines(seller_block["address"])
    seller_lines = [seller_block["name"], *address, seller_block["email"], seller_block["phone"]]
    if seller_block["tax_id"]:
        seller_lines.append(f"Tax ID: {seller_block['tax_id']}")
    client_lines = [buyer[k] for k in ("company", "name", "email", "phone")]
    # A quote keeps the terms it was made with; one from before they were stored (migration 12)
    # shows today's defaults.
    terms = seller_block["payment_terms"] if quote.payment_terms is None else quote.payment_terms
    delivery = seller_block["delivery"] if quote.delivery is None else quote.delivery
    return {
        "lang": lang,
        "number": quote.number,
        "status": status,
        "badge": w.get(status, ""),
        "issued_on": quote.issued_on,
        "valid_until": quote.valid_until,
        "currency": cur,
        "seller": seller_block | {"address_lines": address},
        "seller_lines": [line for line in seller_lines if line],
        "buyer": buyer | {"address_lines": _lines(buyer["address"])},
        "client": buyer,
        "client_lines": [line for line in client_lines if line],
        "has_line_discounts": any(li.discount_minor or li.discount_percent for li in result.lines),
        "has_units": any(li["unit"] for li in lines),
        "lines": lines,
        "totals": totals,
        "total": f"{amt(result.total_minor)} {cur}",
        "words": _in_words(result.total_minor, cur, lang, words),
        "note_lines": _lines(quote.note or ""),
        "terms_lines": _lines(terms),
        "delivery_lines": _lines(delivery),
        "reason": quote.reason or "",
    }


def _in_words(minor: int, currency: str, lang: str, english: bool) -> str:
    from salesflow import money, money_words

    if lang == "zh_CN":
        # 金额大写 is the renminbi's banking form; other currencies keep their figures.
        return money_words.rmb_capitals(minor) if currency == "CNY" else ""
    if english:
        return money_words.english_words(minor, currency, money.exponent(currency))
    return ""


def _lines(text: str) -> list[str]:
    # `config set seller.address "Line 1\nLine 2"` arrives with a literal backslash-n from
    # most shells; both that and a real newline start a new line.
    return [part.strip() for part in re.split(r"\\n|\n", text) if part.strip()]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def md_inline(text: Any) -> str:
    """User text made inert in Markdown: no emphasis, links, raw HTML or broken tables."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def md_lines(lines: list[str]) -> str:
    """Lines of one Markdown paragraph, each escaped, joined by hard line breaks."""
    return "\\\n".join(md_inline(line) for line in lines)


def render_quote(view: dict[str, Any], fmt: str) -> str:
    """The quote document as Markdown (`md`) or self-contained HTML (`html`), in the view's
    language."""
    if fmt not in ("md", "html"):
        raise ValueError(f"unknown document format {fmt}")
    return _environment().get_template(f"quote.{view['lang']}.{fmt}").render(q=view)


def render_quote_pdf(view: dict[str, Any]) -> bytes:
    """The quote as PDF: its HTML document through the PDF engine (output/pdf.py)."""
    from salesflow.output.pdf import html_to_pdf

    return html_to_pdf(render_quote(view, "html"))


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # Every value from the user (company names, notes) is escaped in HTML: a company
        # called <script> must stay text.
        autoescape=lambda name: bool(name and name.endswith(".html")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_inline
    env.filters["md_lines"] = md_lines
    return env


def seller_from_settings(settings: dict[str, str]) -> dict[str, str]:
    """`seller.name` → `name` …, from all settings."""
    return {k.removeprefix("seller."): v for k, v in settings.items() if k.startswith("seller.")}

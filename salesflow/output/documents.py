"""Documents a seller sends: the quote as Markdown and as one self-contained HTML file.

Both formats (and the terminal view of `quote show`) are drawn from ONE view model built
here: every figure is already a formatted string, so the templates only place text and do no
arithmetic. Jinja2 is imported only when a document is rendered.
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
DOCUMENT_FORMATS = ("md", "html")
SELLER_KEYS = ("name", "address", "email", "phone", "tax_id", "payment_terms")
_BADGES = {
    "draft": "Draft — not yet sent",
    "expired": "Expired",
    "accepted": "Accepted",
    "rejected": "Rejected",
}


def quote_view(
    quote: Quote,
    result: Totals,
    *,
    today: date,
    client: dict[str, Any],
    seller: dict[str, str],
) -> dict[str, Any]:
    """Everything a quote shows, as display strings, in the order a reader meets it.

    `client` is the lead's record (name, company, email, phone); `seller` the `seller.*`
    settings without their prefix.
    """
    cur = result.currency

    def amt(minor: int) -> str:
        return amount_text(minor, cur)

    has_line_discounts = any(li.discount_minor or li.discount_percent for li in result.lines)
    lines = []
    for li in result.lines:
        # A percentage is named beside the amount it took off; a fixed discount is that amount.
        label = percent_text(li.discount_percent) if li.discount_percent is not None else ""
        lines.append(
            {
                "no": str(li.position),
                "description": li.description,
                "quantity": number_text(li.quantity),
                "unit_price": amt(li.unit_price_minor),
                "gross": amt(li.gross_minor),
                "discount_label": label,
                "discount": f"-{amt(li.discount_minor)}" if li.discount_minor else "",
                "amount": amt(li.amount_minor),
            }
        )
    totals: list[dict[str, str]] = [
        {"kind": "subtotal", "label": "Subtotal", "amount": amt(result.subtotal_minor)}
    ]
    if result.discount_percent is not None or result.discount_fixed_minor is not None:
        label = (
            f"Discount {percent_text(result.discount_percent)}"
            if result.discount_percent is not None
            else "Discount"
        )
        totals.append(
            {"kind": "discount", "label": label, "amount": f"-{amt(result.discount_minor)}"}
        )
        totals.append(
            {"kind": "net", "label": "Subtotal after discount", "amount": amt(result.net_minor)}
        )
    if result.tax_rate:
        totals.append(
            {
                "kind": "tax",
                "label": f"Tax {percent_text(result.tax_rate)}",
                "amount": amt(result.tax_minor),
            }
        )
    totals.append({"kind": "total", "label": f"Total ({cur})", "amount": amt(result.total_minor)})
    status = quote.status_on(today)
    seller_block = {k: (seller.get(k) or "").strip() for k in SELLER_KEYS}
    client_block = {
        k: str(client.get(k) or "").strip() for k in ("name", "company", "email", "phone")
    }
    address = _lines(seller_block["address"])
    seller_lines = [seller_block["name"], *address, seller_block["email"], seller_block["phone"]]
    if seller_block["tax_id"]:
        seller_lines.append(f"Tax ID: {seller_block['tax_id']}")
    client_lines = [client_block[k] for k in ("company", "name", "email", "phone")]
    return {
        "number": quote.number,
        "status": status,
        "badge": _BADGES.get(status, ""),
        "issued_on": quote.issued_on,
        "valid_until": quote.valid_until,
        "currency": cur,
        "seller": seller_block,
        "seller_address_lines": address,
        "seller_lines": [line for line in seller_lines if line],
        "client": client_block,
        "client_lines": [line for line in client_lines if line],
        "has_line_discounts": has_line_discounts,
        "lines": lines,
        "totals": totals,
        "total": f"{amt(result.total_minor)} {cur}",
        "note_lines": _lines(quote.note or ""),
        "terms_lines": _lines(seller_block["payment_terms"]),
        "reason": quote.reason or "",
    }


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
    """The quote document as Markdown (`md`) or self-contained HTML (`html`)."""
    if fmt not in DOCUMENT_FORMATS:
        raise ValueError(f"unknown document format {fmt}")
    return _environment().get_template(f"quote.{fmt}").render(q=view)


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

"""The options the quote commands share (`quote new`, `edit`, `add-item` …), declared once."""

from __future__ import annotations

from typing import Annotated

from salesflow.cli import complete
from salesflow.cli.params import Argument, Option
from salesflow.i18n import N_

QuoteRef = Annotated[
    str,
    Argument(help=N_("Quote number, e.g. Q-2026-0001 (any case)."), autocompletion=complete.quotes),
]
ItemsOpt = Annotated[
    list[str] | None,
    Option(
        "--item",
        "-i",
        help=N_(
            'A line: "description; quantity; unit price[; unit][; discount]", e.g. '
            '"Training; 2; 3500; days; 10%". A catalogue product by its SKU or unique name '
            'needs no price: "G2; 50" takes its price, unit and tax from the catalogue '
            '(product list), and an explicit price overrides the catalogue\'s: "G2; 50; 950". '
            "Repeat for more."
        ),
    ),
]
DiscountOpt = Annotated[
    str | None,
    Option(
        "--discount", "-d", help=N_("Whole-quote discount: 5% or an amount such as 500 (0: none).")
    ),
]
TaxOpt = Annotated[
    str | None, Option("--tax", help=N_("Tax rate on the discounted subtotal, e.g. 13%."))
]
ValidOpt = Annotated[
    str | None,
    Option("--valid", help=N_("Valid until: 30d, +2w, eom, 2026-12-31 … (default: 30 days).")),
]
NoteOpt = Annotated[str | None, Option("--note", "-n", help=N_("A note printed on the quote."))]
TermsOpt = Annotated[
    str | None,
    Option(
        "--terms", help=N_("Payment terms printed on the quote (default: seller.payment_terms).")
    ),
]
DeliveryOpt = Annotated[
    str | None,
    Option(
        "--delivery",
        help=N_("Delivery terms, e.g. 4 weeks after order (default: seller.delivery)."),
    ),
]
TaxNoteOpt = Annotated[
    str | None,
    Option(
        "--tax-note",
        help=N_('Why this tax rate, beside the tax line: "export" (default: quote.tax_note).'),
    ),
]

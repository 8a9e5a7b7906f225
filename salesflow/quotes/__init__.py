"""Quotes: numbering, line items, status, and what sending, accepting or rejecting does to the deal.

One idea a module: `model` (the stored quote), `drafts` (new quotes, items, edits, versions),
`status` (send, accept, reject), `listing` (search and machine shapes), `math` (the arithmetic,
pure) and `parse` (reading what a seller types). The public names of each are here too.
"""

from salesflow.quotes.drafts import (
    ITEM_INSERT,
    add_item,
    check_validity,
    copy,
    create,
    edit,
    item_row,
    remove_item,
)
from salesflow.quotes.listing import Listed, item_records, lead_section, record, search
from salesflow.quotes.math import (
    HUNDRED,
    Discount,
    ItemInput,
    Line,
    Totals,
    amount_text,
    compute,
    number_text,
    percent_text,
)
from salesflow.quotes.model import (
    COLUMNS,
    ITEM_KEYS,
    MAX_MINOR,
    RECORD_KEYS,
    STATUSES,
    Accepted,
    Quote,
    Rejected,
    Sent,
    format_number,
    from_row,
    get,
    items,
    resolve,
    totals,
)
from salesflow.quotes.parse import (
    ITEM_FORM,
    ItemText,
    parse_discount,
    parse_percent,
    parse_quantity,
    parse_tax,
    quote_currency,
    read_items,
    split_item,
)
from salesflow.quotes.status import accept, reject, send

__all__ = [
    "COLUMNS", "HUNDRED",
    "ITEM_FORM", "ITEM_INSERT", "ITEM_KEYS", "MAX_MINOR", "RECORD_KEYS", "STATUSES",
    "Accepted", "Discount", "ItemInput", "ItemText", "Line", "Listed", "Quote", "Rejected",
    "Sent", "Totals", "accept", "add_item", "amount_text", "check_validity", "compute", "copy",
    "create", "edit", "format_number", "from_row", "get", "item_records", "item_row", "items",
    "lead_section", "number_text", "parse_discount", "parse_percent", "parse_quantity",
    "parse_tax", "percent_text", "quote_currency", "read_items", "record", "reject",
    "remove_item", "resolve", "search", "send", "split_item", "totals",
]  # fmt: skip

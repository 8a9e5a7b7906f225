"""Step 16: a customer's buyer facts for documents, as a lead has them since step 12.

A seller keeps the address, tax ID and document language of a company once, on the customer,
and a quote to any lead of that customer prints them (salesflow/buyers.py).

Released: never edited.
"""

from __future__ import annotations

STEPS: list[tuple[int, str, str]] = [
    (
        16,
        "buyer facts on customers: address, tax ID, document language",
        # One ALTER a line: the store runs a script statement by statement.
        """
        ALTER TABLE customers ADD COLUMN address TEXT;
        ALTER TABLE customers ADD COLUMN tax_id TEXT;
        ALTER TABLE customers ADD COLUMN doc_lang TEXT CHECK (doc_lang IN ('zh_CN', 'en'));
        """,
    ),
]

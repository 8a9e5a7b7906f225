"""What a document says about its buyer: address, tax ID (纳税人识别号) and the language its
quotes are written in.

A seller keeps these once per company, on the customer (`customer edit --tax-id …`), or on a
lead (`lead add/edit --tax-id …`). A quote prints the lead's own fact where it has one and
the customer's otherwise, fact by fact: the lead is the more specific (a branch office's
address), the customer the one kept for every deal with that company.

A lead's customer is the one it is linked to while won; an open lead (repeat business, before
it is won) belongs to the customer it would join when won — the one named like its company,
or its contact when it has no company (customers.name_for).
"""

from __future__ import annotations

import sqlite3

from salesflow.leads import Lead

FACTS = ("address", "tax_id", "doc_lang")


def customer_of(conn: sqlite3.Connection, lead: Lead) -> int | None:
    """The id of the customer `lead` belongs to or would join when won; None if there is none."""
    from salesflow import customers

    row = conn.execute(
        "SELECT customer_id FROM leads WHERE id = ? AND customer_id IS NOT NULL", (lead.id,)
    ).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT id FROM customers WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1",
            (customers.name_for(lead),),
        ).fetchone()
    return row[0] if row else None


def customer_facts(conn: sqlite3.Connection, customer_id: int) -> dict[str, str | None]:
    row = conn.execute(
        f"SELECT {', '.join(FACTS)} FROM customers WHERE id = ?", (customer_id,)
    ).fetchone()
    return dict(zip(FACTS, row or (None,) * len(FACTS), strict=True))


def for_lead(conn: sqlite3.Connection, lead: Lead) -> dict[str, str | None]:
    """The buyer facts a document for `lead` prints: each the lead's own, else its customer's."""
    own = {name: getattr(lead, name) for name in FACTS}
    if all(own.values()):
        return own
    customer_id = customer_of(conn, lead)
    if customer_id is None:
        return own
    kept = customer_facts(conn, customer_id)
    return {name: own[name] or kept[name] for name in FACTS}


def set_customer_facts(
    conn: sqlite3.Connection, customer_id: int, facts: dict[str, str | None]
) -> None:
    """Store the given facts on a customer; a blank one ("") clears it."""
    changes = {k: (v.strip() or None) for k, v in facts.items() if v is not None and k in FACTS}
    if changes:
        assignments = ", ".join(f"{k} = ?" for k in changes)
        conn.execute(
            f"UPDATE customers SET {assignments} WHERE id = ?", (*changes.values(), customer_id)
        )

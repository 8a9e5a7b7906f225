"""Step 17: the product catalogue, and quote lines that name a product.

Released: never edited.
"""

from __future__ import annotations

STEPS: list[tuple[int, str, str]] = [
    (
        17,
        "products: a catalogue of what is sold; quote lines link the product they were made from",
        """
        -- A SKU or a name names one product, whatever its case (quote --item "g2; 50").
        CREATE TABLE products (
            id INTEGER PRIMARY KEY,
            sku TEXT COLLATE NOCASE UNIQUE,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            price_minor INTEGER NOT NULL,
            currency TEXT NOT NULL,
            unit TEXT,
            tax_rate TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        -- The line keeps its own description and price; the link only says where they came
        -- from, for report products (NULL: a free-text line, or its product was removed).
        -- No index of it: the catalogue's questions (product list, show, rm) are one pass
        -- over the quote lines, and everyday commands ask none.
        ALTER TABLE quote_items ADD COLUMN product_id INTEGER REFERENCES products (id);
        """,
    ),
]

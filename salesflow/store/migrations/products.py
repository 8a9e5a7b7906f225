"""Step 13: the product catalogue, and quote lines that name a product.

Released: never edited.
"""

from __future__ import annotations

STEPS: list[tuple[int, str, str]] = [
    (
        13,
        "products: a catalogue of what is sold; quote lines link the product they were made from",
        """
        CREATE TABLE products (
            id INTEGER PRIMARY KEY,
            sku TEXT,
            name TEXT NOT NULL,
            price_minor INTEGER NOT NULL,
            currency TEXT NOT NULL,
            unit TEXT,
            tax_rate TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        -- A SKU or a name names one product, whatever its case (quote --item "g2; 50").
        CREATE UNIQUE INDEX products_sku ON products (sku COLLATE NOCASE) WHERE sku IS NOT NULL;
        CREATE UNIQUE INDEX products_name ON products (name COLLATE NOCASE);
        -- The line keeps its own description and price; the link only says where they came
        -- from, for report products (NULL: a free-text line, or its product was removed).
        ALTER TABLE quote_items ADD COLUMN product_id INTEGER REFERENCES products (id);
        CREATE INDEX quote_items_product ON quote_items (product_id) WHERE product_id IS NOT NULL;
        """,
    ),
]

"""Numbered schema changes. Append only: a released step is never edited.

`PRAGMA user_version` holds the number of the last applied step, so the every-command
check is one pragma read.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "spine: settings, stages, leads, stage history",
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE stages (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            position INTEGER NOT NULL,
            probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
            kind TEXT NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
            stale_days INTEGER NOT NULL DEFAULT 14
        );
        CREATE TABLE leads (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            company TEXT,
            email TEXT,
            phone TEXT,
            source TEXT,
            grade TEXT CHECK (grade IN ('A', 'B', 'C')),
            bant_budget TEXT NOT NULL DEFAULT 'unknown',
            bant_authority TEXT NOT NULL DEFAULT 'unknown',
            bant_need TEXT NOT NULL DEFAULT 'unknown',
            bant_timeline TEXT NOT NULL DEFAULT 'unknown',
            bant_note TEXT,
            value_minor INTEGER CHECK (value_minor IS NULL OR value_minor >= 0),
            currency TEXT NOT NULL,
            stage TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '',
            notes TEXT,
            expected_close TEXT,
            lost_reason TEXT,
            lost_from TEXT,
            won_note TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE INDEX leads_stage ON leads (stage);
        CREATE INDEX leads_created_at ON leads (created_at);
        CREATE TABLE stage_changes (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads (id),
            from_stage TEXT,
            to_stage TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            note TEXT,
            reason TEXT
        );
        CREATE INDEX stage_changes_lead ON stage_changes (lead_id, changed_at);
        """,
    ),
    (
        2,
        "activities, follow-ups and customers",
        """
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            segment TEXT CHECK (segment IN ('key', 'smb', 'individual')),
            checkin_every TEXT,
            created_at TEXT NOT NULL
        );
        ALTER TABLE leads ADD COLUMN customer_id INTEGER REFERENCES customers (id);
        CREATE INDEX leads_customer ON leads (customer_id);
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads (id),
            kind TEXT NOT NULL,
            note TEXT NOT NULL,
            happened_at TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX activities_lead ON activities (lead_id, happened_at);
        CREATE INDEX activities_happened_at ON activities (happened_at);
        CREATE TABLE followups (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads (id),
            customer_id INTEGER REFERENCES customers (id),
            action TEXT NOT NULL,
            due_date TEXT NOT NULL,
            due_time TEXT,
            created_at TEXT NOT NULL,
            done_at TEXT,
            recur TEXT
        );
        CREATE INDEX followups_lead ON followups (lead_id, done_at);
        CREATE INDEX followups_due ON followups (done_at, due_date);
        """,
    ),
    (
        3,
        "quotes and their line items",
        """
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
            lead_id INTEGER NOT NULL REFERENCES leads (id),
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'sent', 'accepted', 'rejected')),
            currency TEXT NOT NULL,
            rounding TEXT NOT NULL CHECK (rounding IN ('half-up', 'half-even')),
            discount_rate TEXT,
            discount_fixed_minor INTEGER CHECK (discount_fixed_minor >= 0),
            tax_rate TEXT NOT NULL DEFAULT '0',
            subtotal_minor INTEGER NOT NULL DEFAULT 0,
            discount_minor INTEGER NOT NULL DEFAULT 0,
            tax_minor INTEGER NOT NULL DEFAULT 0,
            total_minor INTEGER NOT NULL DEFAULT 0,
            issued_on TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            note TEXT,
            reason TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sent_at TEXT,
            decided_at TEXT,
            UNIQUE (year, seq, version)
        );
        CREATE INDEX quotes_lead ON quotes (lead_id);
        CREATE INDEX quotes_status ON quotes (status, valid_until);
        CREATE TABLE quote_items (
            id INTEGER PRIMARY KEY,
            quote_id INTEGER NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 1),
            description TEXT NOT NULL,
            quantity TEXT NOT NULL,
            unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
            discount_rate TEXT,
            discount_fixed_minor INTEGER CHECK (discount_fixed_minor >= 0),
            gross_minor INTEGER NOT NULL,
            discount_minor INTEGER NOT NULL,
            amount_minor INTEGER NOT NULL
        );
        CREATE INDEX quote_items_quote ON quote_items (quote_id, position);
        """,
    ),
]

LATEST = MIGRATIONS[-1][0]

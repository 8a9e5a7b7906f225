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
    (
        4,
        "sales targets, and indexes for the reports",
        """
        CREATE TABLE targets (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL UNIQUE,
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            currency TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        -- Covering indexes for the reports: each lead's history in order (reach, time in
        -- stage, --as-of), touches by week and kind, follow-ups by due day, deals by close.
        CREATE INDEX stage_changes_history ON stage_changes (lead_id, changed_at, id, to_stage);
        CREATE INDEX activities_happened_kind ON activities (happened_at, kind);
        CREATE INDEX followups_due_date ON followups (due_date);
        CREATE INDEX leads_closed_at ON leads (closed_at);
        """,
    ),
    (
        5,
        "a lead's last touch and idle-since time, and indexes for the agenda and digest",
        """
        -- Derived facts, written in the same transaction as the rows they come from (see
        -- salesflow/touches.py) and compared with those rows by `db check`:
        -- touched_at = the latest activity's happened_at (NULL: never touched);
        -- idle_since = the latest of created_at, touched_at and the last stage move that was
        -- not a pipeline remap (note 'pipeline changed'): what the stale-deal rule measures.
        ALTER TABLE leads ADD COLUMN touched_at TEXT;
        ALTER TABLE leads ADD COLUMN idle_since TEXT;
        UPDATE leads SET touched_at =
            (SELECT max(a.happened_at) FROM activities a WHERE a.lead_id = leads.id);
        UPDATE leads SET idle_since = max(
            coalesce(touched_at, ''),
            coalesce((SELECT max(c.changed_at) FROM stage_changes c WHERE c.lead_id = leads.id
                      AND c.note IS NOT 'pipeline changed'), ''),
            created_at);
        -- Stale deals: per stage, the longest idle first, without reading other leads.
        CREATE INDEX leads_idle ON leads (stage, idle_since);
        -- Missed first touches: only leads nobody has touched are in this index.
        CREATE INDEX leads_untouched ON leads (created_at) WHERE touched_at IS NULL;
        -- Open follow-ups in agenda order (the rowid, last, is f.id), and by lead.
        CREATE INDEX followups_open ON followups (due_date, due_time IS NULL, due_time)
            WHERE done_at IS NULL;
        CREATE INDEX followups_open_lead ON followups (lead_id) WHERE done_at IS NULL;
        -- Yesterday's changes in the digest.
        CREATE INDEX stage_changes_changed_at ON stage_changes (changed_at);
        """,
    ),
]

LATEST = MIGRATIONS[-1][0]

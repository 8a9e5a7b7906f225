"""Steps 1–6: the first version's schema. Released: never edited."""

from __future__ import annotations

STEPS: list[tuple[int, str, str]] = [
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
        -- A new database starts with the b2b pipeline (pipeline.PRESETS, a test keeps them
        -- equal); written here so the store needs no sales code to create a file.
        INSERT INTO stages (name, position, probability, kind, stale_days) VALUES
            ('lead', 0, 10, 'open', 14), ('contacted', 1, 20, 'open', 14),
            ('qualified', 2, 35, 'open', 14), ('proposal', 3, 50, 'open', 14),
            ('quote', 4, 65, 'open', 14), ('negotiation', 5, 80, 'open', 14),
            ('won', 6, 100, 'won', 14), ('lost', 7, 0, 'lost', 14);
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
    (
        6,
        "derived facts for the reports: when each stage visit ended, each lead's first touch "
        "and the stages it has entered",
        """
        -- Copies of facts already in the history, stored beside it so the reports need no
        -- window function over every stage change and no min() over every activity.
        -- Triggers keep them right on every write (undo included); `db check` recomputes them.
        -- They stand still while a bulk load pauses the journal (journal.open = 2): the loader
        -- refreshes them for the rows it appended (store/derived.py).
        ALTER TABLE stage_changes ADD COLUMN left_at TEXT;
        ALTER TABLE leads ADD COLUMN first_touch_at TEXT;
        -- Every stage name the lead's history has entered: a JSON array in name order.
        ALTER TABLE leads ADD COLUMN stages_entered TEXT NOT NULL DEFAULT '[]';
        UPDATE stage_changes SET left_at = x.next_at
        FROM (SELECT id, lead(changed_at) OVER (PARTITION BY lead_id ORDER BY changed_at, id)
              AS next_at FROM stage_changes) x
        WHERE x.id = stage_changes.id AND x.next_at IS NOT NULL;
        UPDATE leads SET first_touch_at = a.first_at
        FROM (SELECT lead_id, min(happened_at) AS first_at FROM activities GROUP BY lead_id) a
        WHERE a.lead_id = leads.id;
        UPDATE leads SET stages_entered =
                (SELECT json_group_array(to_stage)
                FROM (SELECT DISTINCT to_stage FROM stage_changes
                      WHERE lead_id = leads.id ORDER BY to_stage));
        -- One index for the reports' reads of every lead, in stage and currency order: the
        -- counts and sums most reports start from, how far each deal got (report funnel,
        -- conversion) group by group, the won deals' customers (repeat purchase rate), the
        -- lost deals' reasons (report lost) and the open deals' close months (forecast).
        CREATE INDEX leads_tally ON leads (stage, currency, stages_entered, lost_from,
            value_minor, created_at, closed_at, customer_id, lost_reason, expected_close);
        -- Indexes whose columns lead a wider index of the same table: the wider one serves
        -- their look-ups, and one index fewer is less work for every insert (bulk loads).
        DROP INDEX stage_changes_lead;  -- stage_changes_history starts with lead_id, changed_at
        DROP INDEX activities_happened_at;  -- activities_happened_kind starts with happened_at
        -- Ended visits grouped by stage and by whole UTC days between entering and leaving:
        -- time in stage is read in index order, no sort (metrics.VISIT_DAYS is this expression).
        CREATE INDEX stage_changes_visits ON stage_changes (to_stage,
            CAST(julianday(substr(left_at, 1, 10)) - julianday(substr(changed_at, 1, 10))
                 AS INTEGER), left_at, changed_at, lead_id) WHERE left_at IS NOT NULL;
        -- Visits still going on (NULL), or ending after an --as-of instant.
        CREATE INDEX stage_changes_left ON stage_changes (left_at, to_stage, changed_at, lead_id);
        -- Hours to first touch in order: the median is read from the index.
        CREATE INDEX leads_first_touch ON leads (
            (julianday(first_touch_at) - julianday(created_at)), first_touch_at, created_at)
            WHERE first_touch_at IS NOT NULL;
        CREATE TRIGGER derived_stage_changes_insert AFTER INSERT ON stage_changes
        WHEN (SELECT open FROM journal ORDER BY id DESC LIMIT 1) IS NOT 2
        BEGIN
            UPDATE stage_changes SET left_at = (SELECT n.changed_at FROM stage_changes n
                WHERE n.lead_id = NEW.lead_id AND (n.changed_at, n.id) > (NEW.changed_at, NEW.id)
                ORDER BY n.changed_at, n.id LIMIT 1)
            WHERE id = NEW.id AND left_at IS NOT (SELECT n.changed_at FROM stage_changes n
                WHERE n.lead_id = NEW.lead_id AND (n.changed_at, n.id) > (NEW.changed_at, NEW.id)
                ORDER BY n.changed_at, n.id LIMIT 1);
            UPDATE stage_changes SET left_at = NEW.changed_at
            WHERE id = (SELECT p.id FROM stage_changes p
                WHERE p.lead_id = NEW.lead_id AND (p.changed_at, p.id) < (NEW.changed_at, NEW.id)
                ORDER BY p.changed_at DESC, p.id DESC LIMIT 1)
            AND left_at IS NOT NEW.changed_at;
            UPDATE leads SET stages_entered =
                (SELECT json_group_array(to_stage)
                FROM (SELECT DISTINCT to_stage FROM stage_changes
                      WHERE lead_id = NEW.lead_id ORDER BY to_stage))
            WHERE id = NEW.lead_id AND stages_entered IS NOT
                (SELECT json_group_array(to_stage)
                FROM (SELECT DISTINCT to_stage FROM stage_changes
                      WHERE lead_id = NEW.lead_id ORDER BY to_stage));
        END;
        CREATE TRIGGER derived_stage_changes_delete AFTER DELETE ON stage_changes
        WHEN (SELECT open FROM journal ORDER BY id DESC LIMIT 1) IS NOT 2
        BEGIN
            UPDATE stage_changes SET left_at = (SELECT n.changed_at FROM stage_changes n
                WHERE n.lead_id = OLD.lead_id AND (n.changed_at, n.id) > (OLD.changed_at, OLD.id)
                ORDER BY n.changed_at, n.id LIMIT 1)
            WHERE id = (SELECT p.id FROM stage_changes p
                WHERE p.lead_id = OLD.lead_id AND (p.changed_at, p.id) < (OLD.changed_at, OLD.id)
                ORDER BY p.changed_at DESC, p.id DESC LIMIT 1)
            AND left_at IS NOT (SELECT n.changed_at FROM stage_changes n
                WHERE n.lead_id = OLD.lead_id AND (n.changed_at, n.id) > (OLD.changed_at, OLD.id)
                ORDER BY n.changed_at, n.id LIMIT 1);
            UPDATE leads SET stages_entered =
                (SELECT json_group_array(to_stage)
                FROM (SELECT DISTINCT to_stage FROM stage_changes
                      WHERE lead_id = OLD.lead_id ORDER BY to_stage))
            WHERE id = OLD.lead_id AND stages_entered IS NOT
                (SELECT json_group_array(to_stage)
                FROM (SELECT DISTINCT to_stage FROM stage_changes
                      WHERE lead_id = OLD.lead_id ORDER BY to_stage));
        END;
        CREATE TRIGGER derived_stage_changes_stage AFTER UPDATE OF lead_id, to_stage
        ON stage_changes
        WHEN (SELECT open FROM journal ORDER BY id DESC LIMIT 1) IS NOT 2
            AND (OLD.lead_id IS NOT NEW.lead_id OR OLD.to_stage IS NOT NEW.to_stage)
        BEGIN
            UPDATE leads SET stages_entered =
                (SELECT json_group_array(to_stage)
                FROM (SELECT DISTINCT to_stage FROM stage_changes
                      WHERE lead_id = leads.id ORDER BY to_stage))
            WHERE id IN (OLD.lead_id, NEW.lead_id) AND stages_entered IS NOT
                (SELECT json_group_array(to_stage)
                FROM (SELECT DISTINCT to_stage FROM stage_changes
                      WHERE lead_id = leads.id ORDER BY to_stage));
        END;
        -- A row that moves in its lead's history (or to another lead): every row whose next
        -- row may have changed is recomputed, for the old lead and the new one.
        CREATE TRIGGER derived_stage_changes_update AFTER UPDATE OF id, lead_id, changed_at
        ON stage_changes
        WHEN (SELECT open FROM journal ORDER BY id DESC LIMIT 1) IS NOT 2
            AND (OLD.id IS NOT NEW.id OR OLD.lead_id IS NOT NEW.lead_id
                 OR OLD.changed_at IS NOT NEW.changed_at)
        BEGIN
            UPDATE stage_changes SET left_at = (SELECT n.changed_at FROM stage_changes n
                WHERE n.lead_id = stage_changes.lead_id
                AND (n.changed_at, n.id) > (stage_changes.changed_at, stage_changes.id)
                ORDER BY n.changed_at, n.id LIMIT 1)
            WHERE lead_id IN (OLD.lead_id, NEW.lead_id)
            AND left_at IS NOT (SELECT n.changed_at FROM stage_changes n
                WHERE n.lead_id = stage_changes.lead_id
                AND (n.changed_at, n.id) > (stage_changes.changed_at, stage_changes.id)
                ORDER BY n.changed_at, n.id LIMIT 1);
        END;
        CREATE TRIGGER derived_activities_insert AFTER INSERT ON activities
        WHEN (SELECT open FROM journal ORDER BY id DESC LIMIT 1) IS NOT 2
        BEGIN
            UPDATE leads SET first_touch_at = NEW.happened_at
            WHERE id = NEW.lead_id
            AND (first_touch_at IS NULL OR first_touch_at > NEW.happened_at);
        END;
        CREATE TRIGGER derived_activities_delete AFTER DELETE ON activities
        WHEN (SELECT open FROM journal ORDER BY id DESC LIMIT 1) IS NOT 2
        BEGIN
            UPDATE leads SET first_touch_at =
                (SELECT min(happened_at) FROM activities WHERE lead_id = OLD.lead_id)
            WHERE id = OLD.lead_id AND first_touch_at IS NOT
                (SELECT min(happened_at) FROM activities WHERE lead_id = OLD.lead_id);
        END;
        CREATE TRIGGER derived_activities_update AFTER UPDATE OF lead_id, happened_at
        ON activities
        WHEN (SELECT open FROM journal ORDER BY id DESC LIMIT 1) IS NOT 2
            AND (OLD.lead_id IS NOT NEW.lead_id OR OLD.happened_at IS NOT NEW.happened_at)
        BEGIN
            UPDATE leads SET first_touch_at =
                (SELECT min(happened_at) FROM activities WHERE lead_id = leads.id)
            WHERE id IN (OLD.lead_id, NEW.lead_id) AND first_touch_at IS NOT
                (SELECT min(happened_at) FROM activities WHERE lead_id = leads.id);
        END;
        -- A lead written with facts its history does not bear out (an undo bringing a row
        -- back before its history) is set right at once.
        CREATE TRIGGER derived_leads_insert AFTER INSERT ON leads
        WHEN (SELECT open FROM journal ORDER BY id DESC LIMIT 1) IS NOT 2
        BEGIN
            UPDATE leads SET first_touch_at =
                (SELECT min(happened_at) FROM activities WHERE lead_id = NEW.id)
            WHERE id = NEW.id AND first_touch_at IS NOT
                (SELECT min(happened_at) FROM activities WHERE lead_id = NEW.id);
            UPDATE leads SET stages_entered =
                (SELECT json_group_array(to_stage)
                FROM (SELECT DISTINCT to_stage FROM stage_changes
                      WHERE lead_id = NEW.id ORDER BY to_stage))
            WHERE id = NEW.id AND stages_entered IS NOT
                (SELECT json_group_array(to_stage)
                FROM (SELECT DISTINCT to_stage FROM stage_changes
                      WHERE lead_id = NEW.id ORDER BY to_stage));
        END;
        """,
    ),
]

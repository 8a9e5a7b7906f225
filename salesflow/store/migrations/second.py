"""Steps 7–12: the second version's indexes, e-mails, reminders, search and documents.

Released: never edited.
"""

from __future__ import annotations

from salesflow.store.schema import DOCUMENT_COLUMNS


def _fts(table: str, columns: tuple[str, ...]) -> str:
    """A trigram FTS5 table over `columns` of `table`, kept current by triggers in the write."""
    cols = ", ".join(columns)
    new, old = (", ".join(f"{row}.{c}" for c in columns) for row in ("new", "old"))
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in ("rowid", *columns))
    fts = f"{table}_fts"
    return f"""
        CREATE VIRTUAL TABLE {fts} USING FTS5 ({cols}, tokenize='trigram', content="{table}");
        INSERT INTO {fts} (rowid, {cols}) SELECT rowid, {cols} FROM {table};
        CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
        END;
        CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
        END;
        CREATE TRIGGER {table}_au AFTER UPDATE OF id, {cols} ON {table} WHEN {changed} BEGIN
            INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
            INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
        END;
        """


STEPS: list[tuple[int, str, str]] = [
    (
        7,
        "followups_on_time: the follow-ups done by their due day (UTC), for report summary",
        """
        -- report summary's follow-up timeliness counts this index's range instead of reading
        -- every follow-up due (metrics.ON_TIME_UTC is the same expression).
        CREATE INDEX followups_on_time ON followups (due_date) WHERE done_at < due_date || 'T24';
        """,
    ),
    (
        8,
        "emails: which message each imported e-mail activity is, so a re-import adds nothing",
        """
        CREATE TABLE emails (
            id INTEGER PRIMARY KEY,
            activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
            lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
            message_id TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
            UNIQUE (message_id, lead_id)
        );
        CREATE INDEX emails_activity ON emails (activity_id);
        """,
    ),
    (
        9,
        "reminders: each follow-up due moment `salesflow remind` has reminded, so none repeats",
        """
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            followup_id INTEGER NOT NULL REFERENCES followups (id) ON DELETE CASCADE,
            due TEXT NOT NULL,
            reminded_at TEXT NOT NULL,
            UNIQUE (followup_id, due)
        );
        """,
    ),
    (
        10,
        "indexes reviewed against the queries that use them (tests/test_query_plans.py)",
        """
        -- Visits still going on: only those rows, not every visit by its end. Visits that
        -- ended after an --as-of instant are read from stage_changes_visits.
        DROP INDEX stage_changes_left;
        CREATE INDEX stage_changes_open ON stage_changes (to_stage, changed_at, lead_id)
            WHERE left_at IS NULL;
        -- One lead's activities and follow-ups are a few rows: the lead is all the look-up
        -- needs (the reports read first touches from leads.first_touch_at).
        DROP INDEX activities_lead;
        CREATE INDEX activities_lead ON activities (lead_id);
        DROP INDEX followups_lead;
        CREATE INDEX followups_lead ON followups (lead_id);
        -- Open follow-ups are read through followups_open; of the rest only the latest
        -- completion is looked up (report summary).
        DROP INDEX followups_due;
        CREATE INDEX followups_done ON followups (done_at) WHERE done_at IS NOT NULL;
        -- Only db check looked deals up by closed_at (closed stages with none), a scan anyway.
        DROP INDEX leads_closed_at;
        -- leads_tally with each lead's source and grade after its stage and currency: report
        -- sources and grades group in the index's order too, instead of sorting every lead.
        DROP INDEX leads_tally;
        CREATE INDEX leads_tally ON leads (stage, currency, source, grade, stages_entered,
            lost_from, value_minor, created_at, closed_at, customer_id, lost_reason,
            expected_close);
        """,
    ),
    (
        11,
        "full-text search: a trigram FTS5 index of the words a seller looks for; indexes for "
        "finding an existing lead by e-mail, phone digits or name",
        # Laid out as sqlite-utils' enable_fts() does (table <name>_fts, content="<name>",
        # triggers <name>_ai/_ad/_au), so sqlite-utils and Datasette find and use the index.
        # The update trigger fires only when an indexed column changes: leads rows are also
        # updated by every `log` (touched_at) and by derived facts, which need no re-indexing.
        "\n".join(
            _fts(table, columns)
            for table, columns in (
                ("leads", ("name", "company", "email", "phone", "tags", "notes")),
                ("customers", ("name",)),
                ("activities", ("note",)),
                ("followups", ("action",)),
                ("quotes", ("number", "note")),
                ("quote_items", ("description",)),
            )
        )
        + """
        -- `lead add` warns about a lead that already exists (salesflow/dupes.py existing()).
        CREATE INDEX leads_email ON leads (email COLLATE NOCASE) WHERE email IS NOT NULL;
        CREATE INDEX leads_name ON leads (name COLLATE NOCASE);
        CREATE INDEX leads_phone_digits ON leads (replace(replace(replace(replace(replace(
            replace(phone, ' ', ''), '-', ''), '+', ''), '(', ''), ')', ''), '.', ''))
            WHERE phone IS NOT NULL;
        """,
    ),
    (12, "documents: buyer address, tax ID, document language; units, terms", DOCUMENT_COLUMNS),
]

"""salesflow's own stored values (`sent`, `call`, `won` …) as a user reads them, in the
active language: for every layer, domain messages and output alike."""

from __future__ import annotations

from typing import Any

from salesflow.i18n import N_, _, ngettext

# Values salesflow itself defines (statuses, kinds of touch, kinds of stage), shown in the
# active language on a terminal; machine formats keep them as stored. The same English word
# means different things elsewhere (`email`: a kind of touch here, an address in the import),
# so each is its own catalog entry with what it is in brackets; English shows the value.
WORDS = {
    "open": N_("open (a deal or follow-up)"),
    "done": N_("done (a follow-up)"),
    "won": N_("won (a kind of stage)"),
    "lost": N_("lost (a kind of stage)"),
    "moved": N_("moved (a stage change)"),
    "draft": N_("draft (a quote's status)"),
    "sent": N_("sent (a quote's status)"),
    "accepted": N_("accepted (a quote's status)"),
    "rejected": N_("rejected (a quote's status)"),
    "expired": N_("expired (a quote's status)"),
    "call": N_("call (a kind of touch)"),
    "email": N_("email (a kind of touch)"),
    "meeting": N_("meeting (a kind of touch)"),
    "visit": N_("visit (a kind of touch)"),
    "note": N_("note (a kind of touch)"),
    "unknown": N_("unknown (a BANT answer)"),
    "yes": N_("yes (a BANT answer)"),
    "no": N_("no (a BANT answer)"),
    "lead": N_("lead (a search hit)"),
    "customer": N_("customer (a search hit)"),
    "activity": N_("activity (a search hit)"),
    "followup": N_("followup (a search hit)"),
    "quote": N_("quote (a search hit)"),
}


def translated(entry: str) -> str | None:
    """The active language's text for a catalog entry that says what it is in brackets
    (`sent (a quote's status)`), or None when there is none (English): the caller shows the
    bare value."""
    shown = _(entry)
    return None if shown == entry else shown


def word(value: Any) -> str:
    """One of salesflow's own values (`sent`, `call`, `won` …) as the user reads it; anything
    else (a kind of touch a user added, a name) as it is."""
    if value is None:
        return ""
    text = str(value)
    entry = WORDS.get(text)
    return (translated(entry) or text) if entry else text


# The tables an undo or redo names: the schema's own names in English (what a user opening
# the file with sqlite3 sees), words in another language.
TABLES = {
    "leads": N_("leads (a table)"),
    "stage_changes": N_("stage_changes (a table)"),
    "activities": N_("activities (a table)"),
    "followups": N_("followups (a table)"),
    "quotes": N_("quotes (a table)"),
    "quote_items": N_("quote_items (a table)"),
    "customers": N_("customers (a table)"),
    "products": N_("products (a table)"),
    "lead_fields": N_("lead_fields (a table)"),
    "stages": N_("stages (a table)"),
    "settings": N_("settings (a table)"),
    "targets": N_("targets (a table)"),
    "emails": N_("emails (a table)"),
    "reminders": N_("reminders (a table)"),
}


def table_word(name: str) -> str:
    entry = TABLES.get(name)
    return (translated(entry) or name) if entry else name


_EVERY = {
    "d": lambda n: ngettext("every {n} day", "every {n} days", n),
    "w": lambda n: ngettext("every {n} week", "every {n} weeks", n),
    "m": lambda n: ngettext("every {n} month", "every {n} months", n),
    "y": lambda n: ngettext("every {n} year", "every {n} years", n),
}


def rhythm(value: Any) -> str:
    """A stored rhythm (`every-3m`, `every-3m@2026-01-15`, a check-in's `every-2w`) in words:
    `every 3 months`, `每 3 个月`; anything it cannot read as it is (machine formats keep the
    stored value)."""
    import re

    if not value:
        return ""
    m = re.fullmatch(r"every-([1-9][0-9]*)([dwmy])(?:@.*)?", str(value))
    if m is None:
        return str(value)
    n = int(m.group(1))
    return _EVERY[m.group(2)](n).format(n=n)

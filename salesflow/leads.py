"""Leads: capture, edit, find, list and remove the people and companies being sold to."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from salesflow import chinese, i18n, money
from salesflow.errors import Ambiguous, Hint, NotFound, SalesflowError
from salesflow.i18n import _

GRADES = ("A", "B", "C")
BANT_KEYS = ("budget", "authority", "need", "timeline")
BANT_VALUES = ("unknown", "yes", "no")
_COLUMNS = (
    "id, name, company, email, phone, source, grade, bant_budget, bant_authority, bant_need, "
    "bant_timeline, bant_note, value_minor, currency, stage, tags, notes, expected_close, "
    "lost_reason, lost_from, won_note, created_at, updated_at, closed_at, address, tax_id, doc_lang"
)
RECORD_KEYS = [
    "id", "name", "company", "email", "phone", "source", "grade", "stage", "value", "currency",
    "probability", "tags", "bant_budget", "bant_authority", "bant_need", "bant_timeline",
    "bant_note", "notes", "expected_close", "lost_reason", "lost_from", "won_note",
    "created_at", "updated_at", "closed_at", "address", "tax_id", "doc_lang",
]  # fmt: skip
SORTS = {
    "id": "l.id",
    "created": "l.created_at DESC, l.id DESC",
    "updated": "l.updated_at DESC, l.id DESC",
    # Amounts in different currencies are not comparable: largest first within each currency.
    "value": "l.value_minor IS NULL, l.currency, l.value_minor DESC, l.id",
    "name": "l.name COLLATE NOCASE, l.id",
    "company": "l.company IS NULL, l.company COLLATE NOCASE, l.id",
    "stage": "s.position, l.id",
    "close": "l.expected_close IS NULL, l.expected_close, l.id",
}


@dataclass(frozen=True)
class Lead:
    id: int
    name: str
    company: str | None
    email: str | None
    phone: str | None
    source: str | None
    grade: str | None
    bant_budget: str
    bant_authority: str
    bant_need: str
    bant_timeline: str
    bant_note: str | None
    value_minor: int | None
    currency: str
    stage: str
    tags: str
    notes: str | None
    expected_close: str | None
    lost_reason: str | None
    lost_from: str | None
    won_note: str | None
    created_at: str
    updated_at: str
    closed_at: str | None
    address: str | None = None
    tax_id: str | None = None
    doc_lang: str | None = None

    @property
    def label(self) -> str:
        return f"#{self.id} {self.name}" + (f" ({self.company})" if self.company else "")

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def bant(self) -> dict[str, str]:
        return {k: getattr(self, f"bant_{k}") for k in BANT_KEYS}

    def record(self, probability: int | None = None) -> dict[str, Any]:
        """The stable machine shape used by every export of a lead (JSON, CSV …)."""
        return {
            "id": self.id,
            "name": self.name,
            "company": self.company,
            "email": self.email,
            "phone": self.phone,
            "source": self.source,
            "grade": self.grade,
            "stage": self.stage,
            "value": None
            if self.value_minor is None
            else money.to_decimal_string(self.value_minor, self.currency),
            "currency": self.currency,
            "probability": probability,
            "tags": ",".join(self.tag_list),
            "bant_budget": self.bant_budget,
            "bant_authority": self.bant_authority,
            "bant_need": self.bant_need,
            "bant_timeline": self.bant_timeline,
            "bant_note": self.bant_note,
            "notes": self.notes,
            "expected_close": self.expected_close,
            "lost_reason": self.lost_reason,
            "lost_from": self.lost_from,
            "won_note": self.won_note,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "closed_at": self.closed_at,
            "address": self.address,
            "tax_id": self.tax_id,
            "doc_lang": self.doc_lang,
        }


@dataclass
class LeadFields:
    """The facts a user can set on `lead add` / `lead edit`; None means 'not given'."""

    name: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    source: str | None = None
    grade: str | None = None
    bant: dict[str, str] = field(default_factory=dict)
    bant_note: str | None = None
    value: money.Money | None = None
    currency: str | None = None
    tags: list[str] | None = None
    notes: str | None = None
    expected_close: str | None = None
    address: str | None = None
    tax_id: str | None = None
    doc_lang: str | None = None
    clear: set[str] = field(default_factory=set)  # fields given as "" on edit: set them to NULL


@dataclass
class LeadFilter:
    stage: str | None = None
    grade: str | None = None
    source: str | None = None
    tag: str | None = None
    search: str | None = None
    status: str = "open"  # open | closed | all
    sort: str = "id"
    limit: int | None = None


# The shape of an address, not its existence: something@domain.tld, no spaces, one @.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def email_problem(email: str) -> str | None:
    """Why `email` is not shaped like an e-mail address, or None."""
    if _EMAIL.fullmatch(email.strip()):
        return None
    return _('"{email}" is not an e-mail address (name@example.com)').format(email=email)


def check_email(email: str) -> str:
    if problem := email_problem(email):
        raise SalesflowError(problem, hint=Hint("lead.email"))
    return email.strip()


def check_grade(grade: str) -> str:
    g = chinese.grade(grade)
    if g not in GRADES:
        raise SalesflowError(
            _(
                'grade "{grade}" is not A, B or C — A: clear near-term need, '
                "B: potential need, C: long-term nurture"
            ).format(grade=grade)
        )
    return g


def parse_bant(text: str) -> dict[str, str]:
    """Read `budget=yes,authority=unknown,need=yes,timeline=no` (keys may be b/a/n/t)."""
    result: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip().lower()
        full = next((k for k in BANT_KEYS if key and k.startswith(key)), None)
        if not sep or full is None:
            raise SalesflowError(
                _(
                    'cannot read BANT "{part}" — use budget=, authority=, need=, '
                    "timeline= with yes, no or unknown"
                ).format(part=part)
            )
        if value not in BANT_VALUES:
            raise SalesflowError(
                _('BANT {full}="{value}" — use yes, no or unknown').format(full=full, value=value)
            )
        result[full] = value
    return result


def read_value(value: str | None, currency: str | None, default: str) -> money.Money | None:
    """`--value` read in `--currency` (else `default`); a symbol that contradicts it is refused."""
    if value is None or not value.strip():
        return None
    code = money.check_currency(currency) if currency else default
    parsed = money.parse_money(value, code)
    if currency and parsed.currency != code:
        raise SalesflowError(
            _('the value "{value}" is in {currency}, not the currency given ({code})').format(
                value=value, currency=parsed.currency, code=code
            ),
            hint=Hint("lead.value_currency", value=value, named=parsed.currency, code=code),
        )
    return parsed


def clean_tags(tags: list[str]) -> list[str]:
    out: list[str] = []
    for raw in tags:
        for tag in (t.strip() for t in raw.split(",")):
            if tag and tag not in out:
                out.append(tag)
    return out


def _lead(row: sqlite3.Row | tuple) -> Lead:
    return Lead(*row)


def get(conn: sqlite3.Connection, lead_id: int) -> Lead:
    if lead_id > 2**63 - 1:  # beyond SQLite's integers: it cannot exist
        raise NotFound(_("no lead #{lead_id}").format(lead_id=lead_id), hint=Hint("lead.list"))
    row = conn.execute(f"SELECT {_COLUMNS} FROM leads WHERE id = ?", (lead_id,)).fetchone()
    if row is None:
        raise NotFound(_("no lead #{lead_id}").format(lead_id=lead_id), hint=Hint("lead.list"))
    return _lead(row)


def get_many(conn: sqlite3.Connection, ids: list[int]) -> list[Lead]:
    """The leads with these ids (missing ones left out), in batches under SQLite's limit."""
    found: list[Lead] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(f"SELECT {_COLUMNS} FROM leads WHERE id IN ({marks})", chunk)
        found += map(_lead, rows)
    return found


def resolve(conn: sqlite3.Connection, ref: str) -> Lead:
    """A lead by number (`12`, `#12`) or by a unique piece of its name, company or email."""
    text = ref.strip()
    if re.fullmatch(r"#?\d+", text):
        return get(conn, int(text.lstrip("#")))
    if not text:
        raise SalesflowError(_("name a lead by number or by a piece of its name or company"))
    like = f"%{_escape_like(text)}%"
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM leads WHERE name LIKE ? ESCAPE '\\' OR company LIKE ? ESCAPE '\\' "
        "OR email LIKE ? ESCAPE '\\' ORDER BY id LIMIT 50",
        (like, like, like),
    ).fetchall()
    found = [_lead(r) for r in rows]
    if not found:
        raise NotFound(
            _('no lead matches "{ref}"').format(ref=ref), hint=Hint("lead.search", ref=ref)
        )
    if len(found) == 1:
        return found[0]
    # A piece that is someone's whole name or company picks that lead out of the crowd.
    exact = [
        lead
        for lead in found
        if text.casefold() in {(lead.name or "").casefold(), (lead.company or "").casefold()}
    ]
    if len(exact) == 1:
        return exact[0]
    shown = "; ".join(lead.label for lead in found[:5])
    more = _(" and {count} more").format(count=len(found) - 5) if len(found) > 5 else ""
    raise Ambiguous(
        _('"{ref}" matches {count} leads: {shown}{more} — use the number').format(
            ref=ref, count=len(found), shown=shown, more=more
        )
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(slots=True)
class NewLead:
    """Every column a new lead is written with (`add` and `import leads` both build these)."""

    name: str
    stage: str
    currency: str
    created_at: str
    updated_at: str
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    source: str | None = None
    grade: str | None = None
    bant_budget: str = "unknown"
    bant_authority: str = "unknown"
    bant_need: str = "unknown"
    bant_timeline: str = "unknown"
    bant_note: str | None = None
    value_minor: int | None = None
    tags: str = ""
    notes: str | None = None
    expected_close: str | None = None
    lost_reason: str | None = None
    lost_from: str | None = None
    won_note: str | None = None
    closed_at: str | None = None
    address: str | None = None
    tax_id: str | None = None
    doc_lang: str | None = None


_NEW_COLUMNS = (
    "name", "company", "email", "phone", "source", "grade", "bant_budget", "bant_authority",
    "bant_need", "bant_timeline", "bant_note", "value_minor", "currency", "stage", "tags", "notes",
    "expected_close", "lost_reason", "lost_from", "won_note", "created_at", "updated_at",
    "closed_at", "address", "tax_id", "doc_lang",
)  # fmt: skip
# Derived facts written with the row: idle_since (touches.py) is its created_at (no touch
# or later move yet); stages_entered (store/derived.py) is its one stage, so a bulk load
# that pauses the triggers finds nothing to set right afterwards.
_INSERT = (
    f"INSERT INTO leads ({', '.join(_NEW_COLUMNS)}, idle_since, stages_entered) "
    f"VALUES ({', '.join('?' * len(_NEW_COLUMNS))}, ?{_NEW_COLUMNS.index('created_at') + 1}, "
    f"json_array(?{_NEW_COLUMNS.index('stage') + 1}))"
)
_new_values = attrgetter(*_NEW_COLUMNS)


def insert(conn: sqlite3.Connection, new: Iterable[NewLead]) -> range:
    """Write new leads, each with its entry into its stage as the first history row
    (from nothing, at `created_at`). Returns the ids given, in order."""
    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM leads").fetchone()[0]
    conn.executemany(_INSERT, map(_new_values, new))
    last = conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
    # One statement for the whole batch: the new rows are exactly the ids above the old maximum.
    conn.execute(
        "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, note) "
        "SELECT id, NULL, stage, created_at, ? FROM leads WHERE id BETWEEN ? AND ? "
        "ORDER BY id",
        (i18n._("created"), first, last),  # in the language of the moment, kept as written
    )
    return range(first, last + 1)


def add(
    conn: sqlite3.Connection,
    fields: LeadFields,
    *,
    stage: str | None = None,
    currency: str,
    now_iso: str,
) -> Lead:
    """Create a lead in `stage` (any case; default the pipeline's first open stage) and record
    its entry into that stage in the history. A new lead starts in an open stage: a won or
    lost one is reached by advancing it, so the history says when."""
    from salesflow import pipeline

    if not fields.name or not fields.name.strip():
        raise SalesflowError(_("a lead needs a name"), hint=Hint("lead.add"))
    start = pipeline.get_stage(conn, stage) if stage else pipeline.open_stages(conn)[0]
    if not start.is_open:
        raise SalesflowError(
            _('a new lead starts in an open stage, not "{name}" — add it, then advance it').format(
                name=start.name
            )
        )
    value = fields.value
    new = NewLead(
        name=fields.name.strip(),
        stage=start.name,
        currency=value.currency if value else (fields.currency or currency),
        created_at=now_iso,
        updated_at=now_iso,
        **{k: getattr(fields, k) for k in ("company", "email", "phone", "source", "grade")},
        # Buyer facts for documents: "" (as `lead edit` clears one) is none.
        **{
            k: (getattr(fields, k) or "").strip() or None for k in ("address", "tax_id", "doc_lang")
        },
        **{f"bant_{k}": fields.bant.get(k, "unknown") for k in BANT_KEYS},
        bant_note=fields.bant_note,
        value_minor=value.minor if value else None,
        tags=",".join(fields.tags or []),
        notes=fields.notes,
        expected_close=fields.expected_close,
    )
    (lead_id,) = insert(conn, [new])
    return get(conn, lead_id)


def edit(conn: sqlite3.Connection, lead: Lead, fields: LeadFields, now_iso: str) -> Lead:
    """Change the given facts; tags given replace the old ones."""
    changes: dict[str, Any] = {}
    for name in (
        "name", "company", "email", "phone", "source", "grade", "bant_note", "notes", "address",
        "tax_id", "doc_lang",
    ):  # fmt: skip
        value = getattr(fields, name)
        if value is not None:
            changes[name] = value.strip() or None if name != "name" else value.strip()
    if "name" in changes and not changes["name"]:
        raise SalesflowError(_("a lead's name cannot be empty"))
    if fields.expected_close is not None:
        changes["expected_close"] = fields.expected_close or None
    for key, value in fields.bant.items():
        changes[f"bant_{key}"] = value
    for name in fields.clear:
        changes[{"value": "value_minor"}.get(name, name)] = None
    if fields.value is not None:
        changes["value_minor"] = fields.value.minor
        changes["currency"] = fields.value.currency
    elif fields.currency is not None:
        # Same amount, new currency: re-expressed in the new currency's minor unit.
        changes["currency"] = fields.currency
        if lead.value_minor is not None:
            amount = money.to_decimal(lead.value_minor, lead.currency)
            changes["value_minor"] = money.to_minor(amount, fields.currency)
    if fields.tags is not None:
        changes["tags"] = ",".join(fields.tags)
    if not changes:
        raise SalesflowError(_("nothing to change"), hint=Hint("lead.edit"))
    changes["updated_at"] = now_iso
    assignments = ", ".join(f"{k} = ?" for k in changes)
    conn.execute(f"UPDATE leads SET {assignments} WHERE id = ?", (*changes.values(), lead.id))
    return get(conn, lead.id)


def remove(conn: sqlite3.Connection, lead: Lead) -> None:
    """Delete a lead with everything that hangs off it (undo brings it all back)."""
    children = conn.execute(
        "SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
        "WHERE m.type = 'table' AND f.\"table\" = 'leads' AND f.\"from\" = 'lead_id'"
    ).fetchall()
    for (table,) in children:
        conn.execute(f'DELETE FROM "{table}" WHERE lead_id = ?', (lead.id,))
    conn.execute("DELETE FROM leads WHERE id = ?", (lead.id,))


def search(conn: sqlite3.Connection, flt: LeadFilter) -> list[tuple[Lead, int]]:
    """Leads matching the filter, each with its stage's win probability."""
    where: list[str] = []
    params: list[Any] = []
    if flt.status == "open":
        where.append("s.kind = 'open'")
    elif flt.status == "closed":
        where.append("s.kind IN ('won', 'lost')")
    if flt.stage:
        where.append("l.stage = ?")
        params.append(flt.stage)
    if flt.grade:
        where.append("l.grade = ?")
        params.append(flt.grade)
    if flt.source:
        where.append("l.source LIKE ? ESCAPE '\\'")
        params.append(_escape_like(flt.source))
    if flt.tag:
        where.append("(',' || l.tags || ',') LIKE ? ESCAPE '\\'")
        params.append(f"%,{_escape_like(flt.tag)},%")
    if flt.search:
        like = f"%{_escape_like(flt.search)}%"
        where.append(
            "(l.name LIKE ? ESCAPE '\\' OR l.company LIKE ? ESCAPE '\\' "
            "OR l.email LIKE ? ESCAPE '\\' OR l.phone LIKE ? ESCAPE '\\')"
        )
        params += [like] * 4
    if flt.sort not in SORTS:
        raise SalesflowError(
            _('cannot sort by "{sort}" — use one of: {sorts}').format(
                sort=flt.sort, sorts=", ".join(SORTS)
            )
        )
    sql = (
        f"SELECT {', '.join('l.' + c.strip() for c in _COLUMNS.split(','))}, s.probability "
        "FROM leads l LEFT JOIN stages s ON s.name = l.stage"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {SORTS[flt.sort]}"
    )
    if flt.limit is not None:
        sql += " LIMIT ?"
        params.append(flt.limit)
    return [(_lead(r[:-1]), r[-1]) for r in conn.execute(sql, params)]

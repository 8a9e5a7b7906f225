"""Customers: who bought. A won deal's company (or its contact, when there is no company)
becomes a customer or joins the existing one of that name, so repeat business shows up.

The invariant kept here: `leads.customer_id` is set exactly on won leads. `follow_stage` is
the one place a stage move touches it (called by moves.advance inside the move's transaction).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from salesflow import dates, followups, money, products
from salesflow.errors import Ambiguous, Hint, NotFound, SalesflowError
from salesflow.i18n import N_, _
from salesflow.leads import Lead
from salesflow.pipeline import Stage

SEGMENTS = ("key", "smb", "individual")
_SEGMENT_WORDS = {
    "key": "key",
    "key-account": "key",
    "ka": "key",
    "smb": "smb",
    "individual": "individual",
    "person": "individual",
    # As salesflow shows them in Chinese, and as a Chinese seller says them.
    "大客户": "key",
    "重点客户": "key",
    "中小企业": "smb",
    "个人": "individual",
}
_COLUMNS = "id, name, segment, checkin_every, created_at"
_WON = (
    "SELECT l.* FROM leads l JOIN stages s ON s.name = l.stage "
    "WHERE s.kind = 'won' AND l.customer_id IS NOT NULL"
)


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    segment: str | None
    checkin_every: str | None  # every-3m …
    created_at: str

    @property
    def label(self) -> str:
        return f"#{self.id} {self.name}"


@dataclass(frozen=True)
class Summary:
    """A customer with its purchase figures, all computed from the won leads."""

    customer: Customer
    won_deals: int
    won_minor: dict[str, int]  # currency -> total won value in minor units
    first_purchase: str | None
    last_purchase: str | None
    last_touch: str | None
    next_checkin: str | None

    def record(self) -> dict[str, Any]:
        c = self.customer
        values = sorted(self.won_minor.items())
        # A decimal string beside its currency, as every machine format has it; a customer who
        # paid in several currencies has no single figure (they are never added up), so
        # `won_values` lists each one: "520000.00 CNY; 12500.00 USD".
        single = len(values) == 1
        return dict(
            zip(
                RECORD_KEYS,
                (
                    c.id, c.name, c.segment, self.won_deals,
                    money.to_decimal_string(values[0][1], values[0][0]) if single else None,
                    values[0][0] if single else None,
                    "; ".join(f"{money.to_decimal_string(m, c)} {c}" for c, m in values),
                    self.first_purchase, self.last_purchase, self.won_deals >= 2,
                    self.last_touch, c.checkin_every, self.next_checkin, c.created_at,
                ),
                strict=True,
            )
        )  # fmt: skip


# The columns of `CustomerSummary.record()`, so an empty CSV/TSV listing keeps its header row.
RECORD_KEYS = [
    "id", "name", "segment", "won_deals", "won_value", "currency", "won_values",
    "first_purchase", "last_purchase", "repeat", "last_touch", "checkin_every", "next_checkin",
    "created_at",
]  # fmt: skip


def name_for(lead: Lead) -> str:
    """The customer a won lead belongs to: its company, else the contact (an individual)."""
    return " ".join((lead.company or lead.name).split())


def follow_stage(
    conn: sqlite3.Connection, lead: Lead, before: Stage, after: Stage, now_iso: str
) -> Customer | None:
    """Keep the lead's customer link in step with a stage move: winning joins (or creates)
    the customer; leaving `won` (a reopen) takes the link away again."""
    if after.kind == "won":
        return join(conn, lead, now_iso)
    if before.kind == "won":
        leave(conn, lead)
    return None


def join(conn: sqlite3.Connection, lead: Lead, now_iso: str) -> Customer:
    name = name_for(lead)
    # NOCASE: "ACME Ltd" winning again is the same customer as "Acme Ltd".
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM customers WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1",
        (name,),
    ).fetchone()
    if row is None:
        cur = conn.execute(
            "INSERT INTO customers (name, segment, created_at) VALUES (?, ?, ?)",
            (name, None if lead.company else "individual", now_iso),
        )
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM customers WHERE id = ?", (cur.lastrowid,)
        ).fetchone()
    customer = Customer(*row)
    conn.execute("UPDATE leads SET customer_id = ? WHERE id = ?", (customer.id, lead.id))
    return customer


def leave(conn: sqlite3.Connection, lead: Lead) -> None:
    """Unlink a lead that is no longer won. Its customer's open check-ins move to the
    customer's latest other won deal; with none left, the check-ins and their schedule go
    (there is nobody to check in with). The customer row stays, with its segment, so a later
    win joins it again."""
    row = conn.execute("SELECT customer_id FROM leads WHERE id = ?", (lead.id,)).fetchone()
    customer_id = row[0] if row else None
    conn.execute("UPDATE leads SET customer_id = NULL WHERE id = ?", (lead.id,))
    if customer_id is None:
        return
    other = _latest_won_lead(conn, customer_id)
    if other is not None:
        conn.execute(
            "UPDATE followups SET lead_id = ? "
            "WHERE customer_id = ? AND lead_id = ? AND done_at IS NULL",
            (other, customer_id, lead.id),
        )
    else:
        conn.execute(
            "DELETE FROM followups WHERE customer_id = ? AND done_at IS NULL", (customer_id,)
        )
        conn.execute("UPDATE customers SET checkin_every = NULL WHERE id = ?", (customer_id,))


def _latest_won_lead(conn: sqlite3.Connection, customer_id: int) -> int | None:
    row = conn.execute(
        f"SELECT id FROM ({_WON}) WHERE customer_id = ? ORDER BY closed_at DESC, id DESC LIMIT 1",
        (customer_id,),
    ).fetchone()
    return row[0] if row else None


def get(conn: sqlite3.Connection, customer_id: int) -> Customer:
    row = conn.execute(f"SELECT {_COLUMNS} FROM customers WHERE id = ?", (customer_id,)).fetchone()
    if row is None:
        raise NotFound(
            _("no customer #{customer_id}").format(customer_id=customer_id),
            hint=Hint("customer.list"),
        )
    return Customer(*row)


def resolve(conn: sqlite3.Connection, ref: str) -> Customer:
    """A customer by number (`3`, `#3`) or by a unique piece of its name."""
    text = ref.strip()
    if re.fullmatch(r"#?[0-9]+", text):
        return get(conn, int(text.lstrip("#")))
    if not text:
        raise SalesflowError(_("name a customer by number or by a piece of its name"))
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = [
        Customer(*r)
        for r in conn.execute(
            f"SELECT {_COLUMNS} FROM customers WHERE name LIKE ? ESCAPE '\\' ORDER BY id LIMIT 50",
            (like,),
        )
    ]
    if not found:
        raise NotFound(_('no customer matches "{ref}"').format(ref=ref), hint=Hint("customer.list"))
    exact = [c for c in found if c.name.casefold() == text.casefold()]
    if len(found) == 1 or len(exact) == 1:
        return exact[0] if exact else found[0]
    shown = "; ".join(c.label for c in found[:5])
    raise Ambiguous(
        _('"{ref}" matches {count} customers: {shown} — use the number').format(
            ref=ref, count=len(found), shown=shown
        )
    )


def check_segment(text: str) -> str:
    seg = _SEGMENT_WORDS.get(text.strip().lower())
    if seg is None:
        raise SalesflowError(
            _('segment "{text}" — use key (key account), smb or individual').format(text=text)
        )
    return seg


def parse_every(text: str) -> tuple[int, str] | None:
    """`every-3m`, `every 2w`, `30d` → (n, unit); `none`/`off` → None (no check-ins)."""
    s = text.strip().lower()
    if s in ("none", "off", "never", "no"):
        return None
    hint = _("use every-30d, every-2w, every-3m (months) or none")
    period = re.sub(r"^(?:every[- ]?|每)", "", s)
    # 每月, 每周, 每年, 每季度: one of them (a quarter is three months).
    period = {"月": "1个月", "个月": "1个月", "周": "1周", "年": "1年"}.get(period, period)
    period = "3个月" if period in ("季", "季度", "个季度") else period
    try:
        n, unit = dates.parse_period(period)
    except SalesflowError:
        raise SalesflowError(
            _('cannot read check-in "{text}" — {hint}').format(text=text, hint=hint)
        ) from None
    if unit not in ("d", "w", "m", "y"):
        raise SalesflowError(
            _('check-in "{text}" is too short — {hint}').format(text=text, hint=hint)
        )
    return n, unit


# Written in the language active when the check-in is planned, and kept as written.
CHECKIN_ACTION = N_("after-sales check-in")


def edit(
    conn: sqlite3.Connection,
    customer: Customer,
    *,
    name: str | None = None,
    segment: str | None = None,
    checkin: str | None = None,
    facts: dict[str, str | None] | None = None,
    now: datetime,
    tz: tzinfo,
) -> tuple[Customer, followups.Followup | None]:
    """Change name, segment, check-in schedule or buyer facts (buyers.FACTS: address, tax ID,
    document language; "" clears one). A new schedule replaces the open check-in with one due
    one period from today (the series' anchor); returns that check-in."""
    given_facts = {k: v for k, v in (facts or {}).items() if v is not None}
    if name is None and segment is None and checkin is None and not given_facts:
        raise SalesflowError(_("nothing to change"), hint=Hint("customer.edit"))
    if name is not None:
        new_name = " ".join(name.split())
        if not new_name:
            raise SalesflowError(_("a customer's name cannot be empty"))
        clash = conn.execute(
            "SELECT id FROM customers WHERE name = ? COLLATE NOCASE AND id != ?",
            (new_name, customer.id),
        ).fetchone()
        if clash:
            raise SalesflowError(
                _('customer #{clash} is already named "{new_name}"').format(
                    clash=clash[0], new_name=new_name
                )
            )
        conn.execute("UPDATE customers SET name = ? WHERE id = ?", (new_name, customer.id))
    if segment is not None:
        conn.execute(
            "UPDATE customers SET segment = ? WHERE id = ?", (check_segment(segment), customer.id)
        )
    if given_facts:
        from salesflow import buyers

        buyers.set_customer_facts(conn, customer.id, given_facts)
    planned = None
    if checkin is not None:
        period = parse_every(checkin)
        every = f"every-{period[0]}{period[1]}" if period else None
        unchanged = every == customer.checkin_every and _open_checkins(conn, customer.id)
        if not unchanged:
            planned = _reschedule(conn, get(conn, customer.id), period, now, tz)
    return get(conn, customer.id), planned


def _open_checkins(conn: sqlite3.Connection, customer_id: int) -> int:
    return conn.execute(
        "SELECT count(*) FROM followups WHERE customer_id = ? AND done_at IS NULL "
        "AND recur IS NOT NULL",
        (customer_id,),
    ).fetchone()[0]


def _reschedule(
    conn: sqlite3.Connection,
    customer: Customer,
    period: tuple[int, str] | None,
    now: datetime,
    tz: tzinfo,
) -> followups.Followup | None:
    lead_id = _latest_won_lead(conn, customer.id)
    if period is not None and lead_id is None:
        raise SalesflowError(
            _("customer {label} has no won deal to hang check-ins on — win a deal first").format(
                label=customer.label
            )
        )
    conn.execute(
        "DELETE FROM followups WHERE customer_id = ? AND done_at IS NULL AND recur IS NOT NULL",
        (customer.id,),
    )
    every = f"every-{period[0]}{period[1]}" if period else None
    conn.execute("UPDATE customers SET checkin_every = ? WHERE id = ?", (every, customer.id))
    if period is None or lead_id is None:
        return None
    from salesflow import leads

    today = dates.local_today(now, tz)
    series = followups.Recurrence(period[0], period[1], anchor=today)
    return followups.add(
        conn,
        leads.get(conn, lead_id),
        _(CHECKIN_ACTION),
        dates.Due(series.after(today), None),
        now=now,
        tz=tz,
        customer_id=customer.id,
        recur=series,
    )


def summaries(
    conn: sqlite3.Connection,
    *,
    include_all: bool = False,
    segment: str | None = None,
    customer_id: int | None = None,
) -> list[Summary]:
    """Customers with their figures (SQL aggregates); by default only those with a won deal."""
    where, params = [], []
    if segment is not None:
        where.append("c.segment = ?")
        params.append(check_segment(segment))
    if customer_id is not None:
        where.append("c.id = ?")
        params.append(customer_id)
    having = "" if include_all else "HAVING count(w.id) > 0"
    rows = conn.execute(
        f"WITH won AS ({_WON}) "
        f"SELECT c.id, c.name, c.segment, c.checkin_every, c.created_at, count(w.id), "
        "min(w.closed_at), max(w.closed_at) "
        "FROM customers c LEFT JOIN won w ON w.customer_id = c.id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" GROUP BY c.id {having} ORDER BY c.name COLLATE NOCASE, c.id",
        params,
    ).fetchall()
    if not rows:
        return []
    values: dict[int, dict[str, int]] = {}
    for cid, cur, total in conn.execute(
        f"WITH won AS ({_WON}) SELECT customer_id, currency, sum(value_minor) FROM won "
        "WHERE value_minor IS NOT NULL GROUP BY customer_id, currency"
    ):
        values.setdefault(cid, {})[cur] = total
    touches = dict(
        conn.execute(
            "SELECT l.customer_id, max(a.happened_at) FROM activities a "
            "JOIN leads l ON l.id = a.lead_id WHERE l.customer_id IS NOT NULL "
            "GROUP BY l.customer_id"
        ).fetchall()
    )
    checkins = dict(
        conn.execute(
            "SELECT customer_id, min(due_date) FROM followups "
            "WHERE customer_id IS NOT NULL AND done_at IS NULL GROUP BY customer_id"
        ).fetchall()
    )
    return [
        Summary(
            customer=Customer(*r[:5]),
            won_deals=r[5],
            won_minor=values.get(r[0], {}),
            first_purchase=r[6],
            last_purchase=r[7],
            last_touch=touches.get(r[0]),
            next_checkin=checkins.get(r[0]),
        )
        for r in rows
    ]


def card(conn: sqlite3.Connection, ref: str, *, now: datetime, tz: tzinfo) -> dict[str, Any]:
    """`customer show`: the figures, the won deals, open check-ins and recent touches."""
    customer = resolve(conn, ref)
    summary = summaries(conn, include_all=True, customer_id=customer.id)[0]
    deals = [
        {
            "lead_id": r[0],
            "name": r[1],
            "value": None if r[2] is None else money.to_decimal_string(r[2], r[3]),
            "currency": r[3],
            "won_at": r[4],
            "won_note": r[5],
        }
        for r in conn.execute(
            f"SELECT id, name, value_minor, currency, closed_at, won_note FROM ({_WON}) "
            "WHERE customer_id = ? ORDER BY closed_at DESC, id DESC",
            (customer.id,),
        )
    ]
    lead_ids = [d["lead_id"] for d in deals]
    open_followups = [
        f.record(f.when(now, tz))
        for lead_id in lead_ids
        for f in followups.open_for_lead(conn, lead_id)
    ]
    recent = [
        {"lead_id": r[0], "kind": r[1], "note": r[2], "happened_at": r[3]}
        for r in conn.execute(
            "SELECT a.lead_id, a.kind, a.note, a.happened_at FROM activities a "
            "JOIN leads l ON l.id = a.lead_id WHERE l.customer_id = ? "
            "ORDER BY a.happened_at DESC, a.id DESC LIMIT 20",
            (customer.id,),
        )
    ]
    from salesflow import buyers

    return {
        "customer": summary.record() | buyers.customer_facts(conn, customer.id),
        "deals": deals,
        "followups": sorted(open_followups, key=lambda r: (r["due_date"], r["due_time"] or "~")),
        "activities": recent,
        "bought": products.bought(conn, customer.id),
    }

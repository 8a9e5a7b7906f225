"""Planning and applying `salesflow import email`: each message an `email` activity on the
leads it names.

- Direction: a message from one of the seller's own addresses (setting `me.emails`) was
  *sent*; anything else was *received*. The leads are the addresses in From/To/Cc that are
  not the seller's, matched by email (the newest open lead with that address, else the newest).
- A message is logged once per lead: the `emails` table remembers each (Message-ID, lead), so
  importing the same mbox twice adds nothing.
- A received reply to one of the seller's sent messages (In-Reply-To/References) that arrives
  while one of the lead's follow-ups is open and not yet overdue completes that follow-up at
  the reply's time, as `followup done` would: follow-up timeliness counts it. Every imported
  message is an activity, so stale and first-touch see it as they see a logged call.
- Messages that name no lead are counted and their addresses reported; `--new-leads` makes
  leads of those addresses instead (company from the domain, unless a public mail domain).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from salesflow import dates, leads, pipeline, touches
from salesflow.activities import kinds as activity_kinds
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import N_, _
from salesflow.importer.mailread import ADDRESS, Mail
from salesflow.importer.plan import Clock, Progress, ticker

PUBLIC_DOMAINS = frozenset((
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "yahoo.co.jp", "yahoo.co.uk", "ymail.com", "icloud.com", "me.com", "mac.com",
    "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de", "mail.ru",
    "yandex.ru", "zoho.com", "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net",
    "sina.com", "sina.cn", "sohu.com", "aliyun.com", "139.com", "189.cn", "21cn.com", "tom.com",
    "vip.qq.com", "vip.163.com", "vip.126.com", "vip.sina.com", "naver.com", "daum.net",
))  # fmt: skip
# Second-level labels under which the company's name is the next label (acme.com.cn).
_SUFFIXES = frozenset(("com", "net", "org", "gov", "edu", "co", "ac", "or", "ne", "ltd", "plc"))
# Addresses no one answers: never made into leads.
_ROBOTS = ("noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster",
           "notifications", "notification", "bounce")  # fmt: skip


@dataclass(frozen=True)
class MailOptions:
    me: frozenset[str]  # the seller's own addresses, casefolded
    clock: Clock
    currency: str
    new_leads: bool = False


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class MailPlan:
    source: str  # what was read, for the report
    messages: int = 0
    # (lead: id, or index into new_leads as ("new", i)), direction, note, happened_at, message-id
    activities: list[tuple] = field(default_factory=list)
    new_leads: list[leads.NewLead] = field(default_factory=list)
    duplicates: int = 0
    unmatched: int = 0  # messages naming no lead
    own: int = 0  # between the seller's own addresses only
    unknown: Counter = field(default_factory=Counter)  # address -> messages
    replies: int = 0
    closes: list[tuple[int, str, str, str]] = field(default_factory=list)  # id, done, action, who
    errors: list[Problem] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "emails"


def my_addresses(setting: str | None) -> frozenset[str]:
    found = ADDRESS.findall(setting or "")
    if not found:
        raise SalesflowError(
            _("salesflow needs your own addresses to tell sent mail from received"),
            hint=Hint("config.me_emails"),
        )
    return frozenset(a.casefold() for a in found)


def company_of(address: str) -> str | None:
    """The company a mail domain names: acme.com → Acme, mail.acme.com.cn → Acme; none for a
    public mail domain."""
    domain = address.rpartition("@")[2].casefold()
    if domain in PUBLIC_DOMAINS:
        return None
    labels = domain.split(".")
    while len(labels) > 2 and (
        labels[-2] in _SUFFIXES or len(labels[-1]) == 2 and len(labels[-2]) <= 3
    ):
        labels.pop()
    name = labels[-2] if len(labels) >= 2 else labels[0]
    return name[:1].upper() + name[1:] if name else None


class _Finder:
    """The lead an address belongs to: the newest open lead with it, else the newest one."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.by_address: dict[str, int] = {}
        rows = conn.execute(
            "SELECT l.id, l.email, coalesce(s.kind = 'open', 0) FROM leads l "
            "LEFT JOIN stages s ON s.name = l.stage WHERE l.email IS NOT NULL ORDER BY l.id"
        )
        rank: dict[str, int] = {}
        for id_, email, is_open in rows:
            for address in ADDRESS.findall(email):
                a = address.casefold()
                if is_open or not rank.get(a):
                    self.by_address[a] = id_
                    rank[a] = is_open

    def get(self, address: str) -> int | None:
        return self.by_address.get(address)


def plan_mail(
    conn: sqlite3.Connection,
    source: str,
    mails: Iterable[Mail],
    options: MailOptions,
    progress: Progress | None = None,
) -> MailPlan:
    """What importing `mails` would do. Reads the database, writes nothing."""
    if "email" not in activity_kinds(conn):
        raise SalesflowError(
            _('activity kind "email" is not among your activity kinds'),
            hint=Hint("config.activity_kinds"),
        )
    plan = MailPlan(source)
    read = list(mails)
    plan.messages = len(read)
    tick = ticker(progress, N_("Checking messages"), len(read))
    good: list[Mail] = []
    for m in read:
        if m.problem:
            plan.errors.append(Problem(m.where, m.problem))
        elif m.date > options.clock.now_iso:
            said = _("is dated {date}, in the future").format(date=m.date)
            plan.errors.append(Problem(m.where, said))
        else:
            good.append(m)
    good.sort(key=lambda m: m.date)
    me = options.me
    sent_ids = {
        r[0] for r in conn.execute("SELECT message_id FROM emails WHERE direction = 'sent'")
    }
    sent_ids |= {m.message_id for m in good if m.sender and m.sender[1] in me}
    seen = set(conn.execute("SELECT message_id, lead_id FROM emails"))
    finder = _Finder(conn)
    made: dict[str, int] = {}  # address -> index in plan.new_leads
    first_stage = pipeline.open_stages(conn)[0].name
    replied: list[tuple[int, Mail]] = []
    for done, m in enumerate(good, 1):
        tick(done)
        from_me = m.sender[1] in me
        people = ([] if from_me else [m.sender]) + m.recipients
        others = [(n, a) for n, a in people if a not in me]
        if not others:
            plan.own += 1
            continue
        targets = _leads_of(others, m.date, finder, plan, made, first_stage, options)
        if not targets:
            plan.unmatched += 1
            continue
        is_reply = not from_me and any(r in sent_ids for r in m.refs)
        note = _note(m, from_me)
        added = False
        for lead in targets:
            if isinstance(lead, int) and (m.message_id, lead) in seen:
                plan.duplicates += 1
                continue
            seen.add((m.message_id, lead))
            added = True
            plan.activities.append((lead, "sent" if from_me else "received", note, m.date,
                                    m.message_id))  # fmt: skip
            if is_reply and isinstance(lead, int):
                replied.append((lead, m))
        plan.replies += is_reply and added
    _closing(conn, plan, replied, options.clock)
    return plan


def _leads_of(
    others: list[tuple[str, str]],
    when: str,
    finder: _Finder,
    plan: MailPlan,
    made: dict[str, int],
    first_stage: str,
    options: MailOptions,
) -> list:
    """The leads (ids, or ("new", i) for a lead --new-leads makes) a message's addresses
    belong to; an address that is no lead's is counted in plan.unknown."""
    targets: list = []
    for name, address in others:
        lead = finder.get(address)
        if lead is None and options.new_leads and not address.startswith(_ROBOTS):
            if address not in made:
                made[address] = len(plan.new_leads)
                plan.new_leads.append(_new_lead(name, address, when, first_stage, options))
            lead = ("new", made[address])
        if lead is None:
            plan.unknown[address] += 1
        elif lead not in targets:
            targets.append(lead)
    return targets


def _note(m: Mail, sent: bool) -> str:
    # The activity note is written in the language of the import, and kept as written.
    head = _("Sent: {subject}") if sent else _("Received: {subject}")
    lines = [head.format(subject=m.subject or _("(no subject)")), *m.lines]
    if m.attachments:
        lines.append(_("Attachments: {names}").format(names=", ".join(m.attachments)))
    return "\n".join(lines)


def _new_lead(
    name: str, address: str, when: str, stage: str, options: MailOptions
) -> leads.NewLead:
    local = address.partition("@")[0]
    return leads.NewLead(
        name=name or local,
        stage=stage,
        currency=options.currency,
        created_at=when,
        updated_at=options.clock.now_iso,
        company=company_of(address),
        email=address,
        source="email",
    )


def _closing(
    conn: sqlite3.Connection, plan: MailPlan, replied: list[tuple[int, Mail]], clock: Clock
) -> None:
    """Each reply completes the earliest follow-up of its lead that was open when it arrived
    and not yet overdue (created before it, due on or after its local day)."""
    if not replied:
        return
    ids = ",".join(str(i) for i in {lead for lead, __ in replied})
    open_ = {}
    for row in conn.execute(
        "SELECT f.id, f.lead_id, f.action, f.due_date, f.created_at, l.name FROM followups f "
        f"JOIN leads l ON l.id = f.lead_id WHERE f.lead_id IN ({ids}) AND f.done_at IS NULL "
        "AND f.recur IS NULL ORDER BY f.due_date, coalesce(f.due_time, '99'), f.id"
    ):
        open_.setdefault(row[1], []).append(row)
    for lead, m in replied:
        day = dates.local_today(dates.from_utc_iso(m.date), clock.tz).isoformat()
        for row in open_.get(lead, []):
            id_, __, action, due, created, name = row
            if created <= m.date and due >= day:
                plan.closes.append((id_, m.date, action, f"#{lead} {name}"))
                open_[lead].remove(row)
                break


def apply_mail(
    conn: sqlite3.Connection, plan: MailPlan, *, now_iso: str, progress: Progress | None = None
) -> tuple[int, int]:
    """Write the plan: new leads, then the activities and their `emails` rows as bulk
    inserts (one undo step per table), then the follow-ups replies completed. Returns
    (activities, leads) added."""
    from salesflow.store import journal, roomy_cache

    new_ids: range = range(0)
    if plan.new_leads:
        new_ids = leads.insert(conn, plan.new_leads)
    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM activities").fetchone()[0]
    tick = ticker(progress, N_("Writing activities"), len(plan.activities))

    def lead_id(target) -> int:
        return new_ids[target[1]] if isinstance(target, tuple) else target

    def rows() -> Iterator[tuple]:
        for done, (target, __, note, when, __) in enumerate(plan.activities, 1):
            tick(done)
            yield lead_id(target), "email", note, when, now_iso

    with roomy_cache(conn), journal.compact_inserts(conn, ("activities", "emails")):
        conn.executemany(
            "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows(),
        )
        conn.executemany(
            "INSERT INTO emails (activity_id, lead_id, message_id, direction) VALUES (?, ?, ?, ?)",
            (
                (first + i, lead_id(target), mid, direction)
                for i, (target, direction, __, __, mid) in enumerate(plan.activities)
            ),
        )
    touches.refresh_after_activity(conn, first)
    for id_, done_at, __, __ in plan.closes:
        conn.execute("UPDATE followups SET done_at = ? WHERE id = ? AND done_at IS NULL",
                     (done_at, id_))  # fmt: skip
    return len(plan.activities), len(new_ids)

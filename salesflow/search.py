"""`salesflow search`: leads, customers, activities, follow-ups and quotes by the words in them.

Words of three or more characters are looked up in the trigram full-text index (`<table>_fts`,
kept current by triggers in every writing transaction): the rows holding every trigram of
every word, newest first. The index keeps no positions (migration 13), so each candidate row
is then checked for the words themselves, case-insensitively, and reading stops at the limit.
The trigram tokenizer cannot look up anything shorter. A two-character Chinese, Japanese or
Korean word (张伟, 合同) is looked up in the index of CJK character pairs (`<table>_cjk_fts`);
other short words filter the index's hits, and a query of only short words that are not CJK
pairs (`HP`, `王`) reads the tables themselves with LIKE, newest row first, stopping at the
limit: quick for a common word, a whole read of the activities when a word is rare.

Ranking: leads and customers whose name or company holds every word come first, newest
first; then every other hit, newest first (a lead by its last touch, an activity by when it
happened, a follow-up by its due day, a quote by its issue day).
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _
from salesflow.store.fulltext import CJK_RANGES

KINDS = ("leads", "customers", "activities", "followups", "quotes")
# The trigram tokenizer's shortest searchable piece.
MIN_INDEXED = 3
AROUND = 16  # characters of context either side of a match
RECORD_KEYS = ["kind", "id", "ref", "lead_id", "lead", "field", "match", "when"]

_LEAD = "l.name || coalesce(' (' || l.company || ')', '')"


@dataclass(frozen=True)
class Source:
    kind: str  # the --in name
    table: str
    columns: tuple[str, ...]  # searched, in the order a match is reported
    select: str  # id, ref, lead_id, lead, when — then the searched columns
    joins: str = ""


_LEADS = Source(
    "leads", "leads", ("name", "company", "email", "phone", "tags", "notes"),
    f"t.id, '#' || t.id, t.id, {_LEAD.replace('l.', 't.')}, coalesce(t.touched_at, t.created_at)",
)  # fmt: skip
SOURCES = (
    _LEADS,
    Source(
        "customers", "customers", ("name",), "t.id, t.name, NULL, NULL, t.created_at",
    ),
    Source(
        "activities", "activities", ("note",),
        f"t.id, '#' || t.lead_id, t.lead_id, {_LEAD}, t.happened_at",
        "JOIN leads l ON l.id = t.lead_id",
    ),
    Source(
        "followups", "followups", ("action",),
        f"t.id, 'follow-up ' || t.id, t.lead_id, {_LEAD}, t.due_date",
        "JOIN leads l ON l.id = t.lead_id",
    ),
    Source(
        "quotes", "quotes", ("number", "note"),
        f"t.id, t.number, t.lead_id, {_LEAD}, t.issued_on", "JOIN leads l ON l.id = t.lead_id",
    ),
    Source(
        "quotes", "quote_items", ("description",),
        f"q.id, q.number, q.lead_id, {_LEAD}, q.issued_on",
        "JOIN quotes q ON q.id = t.quote_id JOIN leads l ON l.id = q.lead_id",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Hit:
    kind: str  # lead, customer, activity, followup, quote
    id: int
    ref: str  # what to type next: #12, Q-2026-0001, follow-up 7, a customer's name
    lead_id: int | None
    lead: str | None
    field: str
    match: str  # the matched text in context, the match in [brackets]
    when: str | None

    def record(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in RECORD_KEYS}


_SINGULAR = {
    "leads": "lead", "customers": "customer", "activities": "activity",
    "followups": "followup", "quotes": "quote",
}  # fmt: skip


def parse_kinds(text: str | None) -> tuple[str, ...]:
    """`--in leads,activities`: the kinds to search (all when None)."""
    if text is None:
        return KINDS
    chosen = [k.strip().lower() for k in text.split(",") if k.strip()]
    for k in chosen:
        if k not in KINDS:
            raise SalesflowError(
                _('unknown kind "{k}" — choose from {kinds}').format(k=k, kinds=", ".join(KINDS)),
                hint=Hint("search.in"),
            )
    if not chosen:
        raise SalesflowError(
            _("name at least one of {kinds}").format(kinds=", ".join(KINDS)),
            hint=Hint("search.in"),
        )
    return tuple(dict.fromkeys(chosen))


def words(query: str) -> list[str]:
    found = list(dict.fromkeys(query.split()))
    if not found:
        raise SalesflowError(_("give a word to search for"), hint=Hint("search.word"))
    return found


def search(
    conn: sqlite3.Connection, query: str, *, kinds: Iterable[str] = KINDS, limit: int = 20
) -> list[Hit]:
    """The best `limit` hits for every word of `query`, ranked (see the module's docstring)."""
    wanted = set(kinds)
    ws = words(query)
    long = [w for w in ws if len(w) >= MIN_INDEXED]
    short = [w for w in ws if len(w) < MIN_INDEXED]
    first: list[Hit] = []  # name or company hits
    rest: list[Hit] = []
    seen: set[tuple[str, int]] = set()
    for src in SOURCES:
        if src.kind not in wanted:
            continue
        if src.kind in ("leads", "customers"):
            # A look-up of its own, so newer hits in notes cannot crowd out a name's.
            for hit in _query(conn, src, long, short, src.columns[:2], limit):
                seen.add((hit.kind, hit.id))
                first.append(hit)
            if len(src.columns) <= 2:
                continue
        for hit in _query(conn, src, long, short, src.columns, limit + len(first)):
            if (hit.kind, hit.id) not in seen:
                seen.add((hit.kind, hit.id))
                rest.append(hit)
    first.sort(key=lambda h: h.when or "", reverse=True)
    ranked = first + heapq.nlargest(limit, rest, key=lambda h: h.when or "")
    return ranked[:limit]


def _query(
    conn: sqlite3.Connection,
    src: Source,
    long: list[str],
    short: list[str],
    columns: tuple[str, ...],
    limit: int,
) -> list[Hit]:
    """Hits of `src` holding every word in `columns`, newest row first."""
    every = long + short
    cols = ", ".join(f"t.{c}" for c in columns)
    # CROSS JOIN keeps the searched table (or its index) the outer loop, read newest row
    # first, so the reading stops at the limit: the index hands over its hits in rowid order.
    joins = src.joins.replace("JOIN", "CROSS JOIN")
    pairs = [w for w in short if is_cjk_pair(w)]
    params: dict[str, Any] = {}
    where = []
    # LIKE, in SQLite, for the words it compares exactly (ASCII: its case-folding is ASCII's);
    # the others are checked in Python, case-folded, on the rows LIKE lets through.
    for i, w in enumerate(w for w in every if w.isascii() or not (long or pairs)):
        params[f"w{i}"] = "%" + _escape_like(w) + "%"
        where.append("(" + " OR ".join(f"t.{c} LIKE :w{i} ESCAPE '\\'" for c in columns) + ")")
    if long or pairs:
        index = f"{src.table}_fts" if long else f"{src.table}_cjk_fts"
        tokens = [g for w in long for g in trigrams(w)] if long else pairs
        params["match"] = " AND ".join(_quoted(g) for g in dict.fromkeys(tokens))
        rows = _verified(
            conn.execute(
                f"SELECT {src.select}, {cols} FROM {index} f "
                f"CROSS JOIN {src.table} t ON t.rowid = f.rowid {joins} "
                f"WHERE {' AND '.join([f'{index} MATCH :match', *where])} ORDER BY f.rowid DESC",
                params,
            ),
            every,
            limit,
        )
    else:
        params["limit"] = limit
        rows = conn.execute(
            f"SELECT {src.select}, {cols} FROM {src.table} t {joins} "
            f"WHERE {' AND '.join(where)} ORDER BY t.rowid DESC LIMIT :limit",
            params,
        ).fetchall()
    hits = []
    for row in rows:
        id_, ref, lead_id, lead, when = row[:5]
        field, text = _matched(columns, row[5:], every)
        hits.append(
            Hit(
                kind=_SINGULAR[src.kind], id=id_, ref=ref, lead_id=lead_id, lead=lead,
                field=field, match=excerpt(text, every), when=when,
            )
        )  # fmt: skip
    return hits


def trigrams(word: str) -> list[str]:
    return [word[i : i + MIN_INDEXED] for i in range(len(word) - MIN_INDEXED + 1)]


def is_cjk_pair(word: str) -> bool:
    """A two-character word the index of CJK pairs holds."""
    return len(word) == 2 and all(any(lo <= ord(c) <= hi for lo, hi in CJK_RANGES) for c in word)


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _verified(rows: Iterable[tuple], ws: list[str], limit: int) -> list[tuple]:
    """The first `limit` rows whose searched columns (after the five leading ones) hold every
    word, case-insensitively: the index only says they hold every trigram or pair."""
    folded = [w.casefold() for w in ws]
    found = []
    for row in rows:
        texts = [(v or "").casefold() for v in row[5:]]
        if all(any(w in t for t in texts) for w in folded):
            found.append(row)
            if len(found) >= limit:
                break
    return found


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matched(columns: tuple[str, ...], values: tuple[Any, ...], ws: list[str]) -> tuple[str, str]:
    """The column to show: the first that holds the most of the words."""
    best, score = 0, -1
    for i, v in enumerate(values):
        folded = (v or "").casefold()
        n = sum(w.casefold() in folded for w in ws)
        if n > score:
            best, score = i, n
    return columns[best], values[best] or ""


def excerpt(text: str, ws: list[str], around: int = AROUND) -> str:
    """The first match of any word in `text`, in brackets, with `around` characters of
    context either side: `…客户法务审[合同]中…`."""
    text = " ".join(text.split())
    folded = text.casefold()
    spots = [(p, len(w)) for w in ws if (p := folded.find(w.casefold())) >= 0]
    if not spots or len(folded) != len(text):  # casefold changed the length: no safe offsets
        return text if len(text) <= 2 * around else text[: 2 * around] + "…"
    at, size = min(spots)
    start, end = max(0, at - around), min(len(text), at + size + around)
    return (
        ("…" if start > 0 else "")
        + text[start:at]
        + "["
        + text[at : at + size]
        + "]"
        + text[at + size : end]
        + ("…" if end < len(text) else "")
    )

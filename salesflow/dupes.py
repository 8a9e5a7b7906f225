"""Likely duplicate leads: the same e-mail, the same phone digits, or the same name at the same
company once case, width (全角/半角), spaces and company suffixes (有限公司, Ltd, Inc. …) are
set aside; optionally names that are nearly the same at the same company."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from salesflow.i18n import N_

# Longest first: "股份有限公司" goes before "有限公司" can leave "股份" behind.
SUFFIXES = sorted(
    (
        "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司",
        "co., ltd.", "co. ltd.", "co., ltd", "co.,ltd.", "co.,ltd", "co ltd", "pty ltd",
        "limited", "ltd.", "ltd", "inc.", "inc", "llc", "l.l.c.", "gmbh", "corp.", "corp",
        "corporation", "co.", "s.a.", "b.v.", "ab", "kk", "plc", "ag", "oy",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
MIN_PHONE_DIGITS = 7
# A key more leads share is no one's identity (a switchboard number, info@, a chain's name):
# its leads are not paired, which would list thousands of pairs for one front desk.
MAX_GROUP = 10
FUZZY_RATIO = 0.85
RECORD_KEYS = ["keep", "other", "keep_lead", "other_lead", "reason"]


def _folded(text: str | None) -> str:
    if not text:
        return ""
    # An import folds every row and every lead it meets: ASCII has nothing for NFKC to fold.
    return (text if text.isascii() else unicodedata.normalize("NFKC", text)).casefold()


def plain(text: str | None) -> str:
    """Case, width and spacing set aside: 'ＡＣＭＥ  Ltd' and 'acme ltd' read the same."""
    return " ".join(_folded(text).split())


def name_key(text: str | None) -> str:
    """A person's name as `lead dupes` and `lead add` compare it: case, width and every space
    set aside ('李 娜', '李娜' and '李　娜' are one name)."""
    return "".join(_folded(text).split())


# Companies repeat (a lead per buyer, per branch): an import folds each of them once, mostly.
@lru_cache(maxsize=8192)
def company_key(text: str | None) -> str:
    """A company as `lead dupes`, `lead add` and the imports compare it: as `name_key`, with
    its legal form set aside ('深圳某科技有限公司' is '深圳某科技', 'Acme Co., Ltd.' is 'acme')."""
    name = plain(text)
    # Matched on the reversed name: the longest suffix at the end, without trying every start.
    while (m := _SUFFIX_REVERSED.match(name[::-1])) and m.end() < len(name):
        name = name[: -m.end()].rstrip(" ,.")
    return name.replace(" ", "")


# A Latin suffix is a word of its own: 'Punjab' and 'Troy' keep their 'ab' and 'oy'.
_SUFFIX_REVERSED = re.compile(
    "|".join(re.escape(s[::-1]) + ("(?![a-z0-9])" if s.isascii() else "") for s in SUFFIXES)
)


# A Chinese mobile number (11 digits, 1 then 3–9) after its country code, 86 or 0086: the same
# phone as the 11 digits alone. Only this shape: other codes' national numbers vary in length
# and keep a trunk 0 or not, so their digits stay as written.
_CN_MOBILE = re.compile(r"(?:00)?86(1[3-9][0-9]{9})")
_NOT_DIGIT = re.compile(r"[^0-9]")


def phone_key(text: str | None) -> str:
    """A phone as `lead dupes`, `lead add` and the imports compare it: its digits, at least
    MIN_PHONE_DIGITS of them (shorter is an extension or a service line, no one's identity),
    a Chinese mobile without its +86/0086."""
    digits = _NOT_DIGIT.sub("", _folded(text))
    if m := _CN_MOBILE.fullmatch(digits):
        return m[1]
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def phone_spellings(key: str) -> list[str]:
    """The digits a phone with this `phone_key` may have in the leads_phone_digits index."""
    if len(key) == 11 and _CN_MOBILE.fullmatch("86" + key):
        return [key, "86" + key, "0086" + key]
    return [key]


@dataclass(frozen=True)
class Pair:
    keep: int  # the older lead
    other: int
    keep_lead: str
    other_lead: str
    reasons: tuple[str, ...]

    def record(self) -> dict[str, Any]:
        return {
            "keep": self.keep,
            "other": self.other,
            "keep_lead": self.keep_lead,
            "other_lead": self.other_lead,
            "reason": ", ".join(self.reasons),
        }


def _label(row: tuple) -> str:
    return f"#{row[0]} {row[1]}" + (f" ({row[2]})" if row[2] else "")


def find(conn: sqlite3.Connection, *, fuzzy: bool = False) -> list[Pair]:
    """Every likely duplicate pair, older lead first, in order of the older lead."""
    rows = conn.execute("SELECT id, name, company, email, phone FROM leads ORDER BY id").fetchall()
    by_id = {r[0]: r for r in rows}
    # Two closed deals are history, and a deal opened after the same client's win is a repeat
    # purchase: neither is a duplicate to merge.
    closed = {
        i: (kind, at or "")
        for i, kind, at in conn.execute(
            "SELECT l.id, s.kind, l.closed_at FROM leads l JOIN stages s ON s.name = l.stage "
            "WHERE s.kind != 'open'"
        )
    }
    created = dict(conn.execute("SELECT id, created_at FROM leads").fetchall())
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for id_, name, company, email, phone in rows:
        if email and email.strip():
            groups[(N_("same email"), email.strip().casefold())].append(id_)
        if key := phone_key(phone):
            groups[(N_("same phone"), key)].append(id_)
        if company and (ckey := company_key(company)):
            groups[(N_("same name and company"), f"{name_key(name)}@{ckey}")].append(id_)
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    for (reason, _), ids in groups.items():
        if len(ids) > MAX_GROUP:
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if a in closed and (
                    b in closed or (closed[a][0] == "won" and closed[a][1] <= created[b])
                ):
                    continue
                reasons[(a, b)].append(reason)
    if fuzzy:
        _fuzzy([r for r in rows if r[0] not in closed], reasons)  # open leads only
    return [
        Pair(a, b, _label(by_id[a]), _label(by_id[b]), tuple(dict.fromkeys(rs)))
        for (a, b), rs in sorted(reasons.items())
    ]


def _fuzzy(rows: list[tuple], reasons: dict[tuple[int, int], list[str]]) -> None:
    """Names nearly alike (one typo, a dropped letter) at the same company."""
    from difflib import SequenceMatcher

    by_company: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for id_, name, company, _, _ in rows:
        if company and (ckey := company_key(company)):
            by_company[ckey].append((id_, plain(name)))
    for members in by_company.values():
        if len(members) > MAX_GROUP * 3:  # a chain's branches: too many to compare pairwise
            continue
        for i, (a, name_a) in enumerate(members):
            for b, name_b in members[i + 1 :]:
                if name_a == name_b or (a, b) in reasons or abs(len(name_a) - len(name_b)) > 3:
                    continue
                m = SequenceMatcher(None, name_a, name_b)
                if m.real_quick_ratio() >= FUZZY_RATIO and m.ratio() >= FUZZY_RATIO:
                    reasons[(a, b)].append(N_("similar name, same company"))


# The phone digits as migration 11's index leads_phone_digits computes them.
PHONE_DIGITS = (
    "replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '+', ''), "
    "'(', ''), ')', ''), '.', '')"
)


def existing(
    conn: sqlite3.Connection,
    name: str,
    company: str | None,
    email: str | None,
    phone: str | None,
) -> list[tuple[int, str, str]]:
    """Leads a new lead with these facts would duplicate: (id, label, reason). Index look-ups
    only (migration 11): `lead add` stays as quick with 100,000 leads as with ten."""  # fmt: skip
    found: list[tuple[int, str, str]] = []
    if email and email.strip():
        found += [
            (r[0], _label(r), N_("same email"))
            for r in conn.execute(
                "SELECT id, name, company FROM leads "
                "WHERE email = ? COLLATE NOCASE AND email IS NOT NULL ORDER BY id",
                (email.strip(),),
            )
        ]
    if key := phone_key(phone):
        found += [
            (r[0], _label(r), N_("same phone"))
            for r in conn.execute(
                f"SELECT id, name, company, phone FROM leads WHERE {PHONE_DIGITS} IN "
                "(SELECT value FROM json_each(?)) AND phone IS NOT NULL ORDER BY id",
                (json.dumps([as_indexed(phone or ""), *phone_spellings(key)]),),
            )
            if phone_key(r[3]) == key
        ]
    if company and (ckey := company_key(company)) and (nkey := name_key(name)):
        found += [
            (r[0], _label(r), N_("same name and company"))
            for r in named(conn, {nkey})
            if r[2] and company_key(r[2]) == ckey
        ]
    seen: set[int] = set()
    return [f for f in found if not (f[0] in seen or seen.add(f[0]))]


def as_indexed(phone: str) -> str:
    """A phone as the leads_phone_digits index holds it (PHONE_DIGITS)."""
    for mark in " -+().":
        phone = phone.replace(mark, "")
    return phone


def named(conn: sqlite3.Connection, keys: set[str], last: int | None = None) -> list[tuple]:
    """(id, name, company) of the leads (up to id `last`) whose `name_key` is one of `keys`, in
    id order; one query however many keys. Ranges of the leads_name index (NOCASE) by each
    key's first two characters, each in either case and width, with or without a space
    between them ('李娜', '李 娜', '李　娜'; 'Jane', 'Ｊａｎｅ'), each range read once for all the
    keys that start so and narrowed in SQL to names of those keys' lengths; `name_key` has the
    last word as the rows come, so only the leads named so are held."""
    lengths: dict[tuple[str, str], set[int]] = defaultdict(set)
    for key in keys:
        for prefix in _prefixes(key):
            end = prefix[:-1] + chr(min(ord(prefix[-1]) + 1, sys.maxunicode))
            lengths[prefix, end].add(len(key))
    if not lengths:
        return []
    # Each range's lengths as ",5,7,": instr() is far quicker than a subquery per name.
    ranges = [[lo, hi, f",{','.join(map(str, sorted(n)))},"] for (lo, hi), n in lengths.items()]
    rows = conn.execute(
        "SELECT l.id, l.name, l.company FROM json_each(?) AS r CROSS JOIN leads AS l "
        "ON l.name >= json_extract(r.value, '$[0]') COLLATE NOCASE "
        "AND l.name < json_extract(r.value, '$[1]') COLLATE NOCASE "
        f"WHERE instr(json_extract(r.value, '$[2]'), ',' || length({_BARE_NAME}) || ',') "
        "AND +l.id <= ?",  # the id on its own: the ranges, not the id, lead the query
        (json.dumps(ranges), sys.maxsize if last is None else last),
    )
    return sorted({r[0]: r for r in rows if name_key(r[1]) in keys}.values())


def _prefixes(key: str) -> set[str]:
    """The starts a stored name with this `name_key` may have in the leads_name index."""
    # The index ignores ASCII case but not other cases or width: ß/SS and ｊ/Ｊ are ranges apart.
    cased = [{c, *(u for u in (c.upper(),) if len(u) == 1)} for c in key[:2]]
    two = [{_ascii_lower(c) for c in cs | {_wide(c) for c in cs}} for cs in cased]
    if len(two) == 1:
        return two[0]
    return {a + gap + b for a in two[0] for b in two[1] for gap in ("", " ", "\u3000")}


def _ascii_lower(c: str) -> str:
    return c.lower() if c.isascii() else c


def _wide(c: str) -> str:
    """The full-width form of an ASCII character (Ａ for A), as a Chinese input method types it."""
    return chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c


# A stored name without its spaces (ASCII, ideographic, tab, no-break), as SQL computes it:
# the names of a range whose length differs from the key's stay in SQLite (a common first
# name is thousands of leads), and `name_key` confirms the rest.
_BARE_NAME = (
    "replace(replace(replace(replace(l.name, ' ', ''), char(12288), ''), char(9), ''), "
    "char(160), '')"
)

"""The activity log: every call, email, meeting, visit or note, stored with when it happened.

Activities are the evidence behind staleness, time to first touch and `lead show`'s history;
they are never typed in as numbers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from salesflow import store, touches
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _
from salesflow.leads import Lead

DEFAULT_KINDS = ("call", "email", "meeting", "visit", "note")
# The names a Chinese seller (or another tool) gives the kinds: accepted wherever a kind is
# typed or imported, as long as the kind they stand for is one of the configured kinds.
ALIASES = {
    "电话": "call", "通话": "call", "打电话": "call", "phone": "call", "phonecall": "call",
    "邮件": "email", "电邮": "email", "e-mail": "email", "mail": "email",
    "会议": "meeting", "会面": "meeting", "开会": "meeting",
    "拜访": "visit", "上门": "visit", "备注": "note", "记录": "note",
    "微信": "wechat", "短信": "sms", "钉钉": "dingtalk", "企业微信": "wecom",
}  # fmt: skip


@dataclass(frozen=True)
class Activity:
    id: int
    lead_id: int
    kind: str
    note: str
    happened_at: str  # UTC ISO
    created_at: str

    def record(self) -> dict[str, Any]:
        return {
            "happened_at": self.happened_at,
            "kind": self.kind,
            "note": self.note,
            "id": self.id,
        }


def kinds(conn: sqlite3.Connection) -> tuple[str, ...]:
    return configured_kinds(store.get_setting(conn, "activity_kinds"))


def configured_kinds(setting: str | None) -> tuple[str, ...]:
    """The kinds an `activity_kinds` setting names, note always among them: a setting stored
    before `config set` required it (or written with sqlite3) still lets a touch without a
    kind be the note it is."""
    if not setting:
        return DEFAULT_KINDS
    known = tuple(setting.split(","))
    return known if "note" in known else (*known, "note")


def check_kind(conn: sqlite3.Connection, kind: str) -> str:
    """The configured kind `kind` names: itself (any case) or its Chinese name (电话 → call,
    微信 → wechat once `wechat` is a configured kind)."""
    known = kinds(conn)
    k = kind.strip().lower()
    k = k if k in known else ALIASES.get(k, k)
    if k not in known:
        from salesflow.i18n import active

        # In Chinese each kind also by the name a Chinese seller types: call/电话.
        chinese = {} if active() == "en" else _chinese_names()
        listed = [f"{x}/{chinese[x]}" if x in chinese else x for x in known]
        raise SalesflowError(
            _('unknown activity kind "{kind}" — use one of: {known}').format(
                kind=kind, known=", ".join(listed)
            ),
            hint=Hint("config.activity_kinds"),
        )
    return k


def _chinese_names() -> dict[str, str]:
    """Each kind's first Chinese alias: call → 电话."""
    found: dict[str, str] = {}
    for alias, kind in ALIASES.items():
        if not alias.isascii():
            found.setdefault(kind, alias)
    return found


def log(
    conn: sqlite3.Connection,
    lead: Lead,
    kind: str,
    note: str,
    *,
    happened_at: str,
    now_iso: str,
) -> Activity:
    """Record one touch. `happened_at` may be earlier than now (logged afterwards), not later:
    a planned touch is a follow-up, not an activity."""
    kind = check_kind(conn, kind)
    text = note.strip()
    if not text:
        raise SalesflowError(_("an activity needs a note"), hint=Hint("log.note", lead=lead.id))
    if happened_at > now_iso:
        raise SalesflowError(
            _("{happened_at} is in the future — log touches that happened").format(
                happened_at=happened_at
            ),
            hint=Hint("log.future", at=happened_at),
        )
    cur = conn.execute(
        "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (lead.id, kind, text, happened_at, now_iso),
    )
    touches.refresh(conn, [lead.id])
    return Activity(int(cur.lastrowid), lead.id, kind, text, happened_at, now_iso)


def for_lead(conn: sqlite3.Connection, lead_id: int, limit: int | None = None) -> list[Activity]:
    """A lead's activities, newest first."""
    sql = (
        "SELECT id, lead_id, kind, note, happened_at, created_at FROM activities "
        "WHERE lead_id = ? ORDER BY happened_at DESC, id DESC"
    )
    params: tuple[Any, ...] = (lead_id,)
    if limit is not None:
        sql += " LIMIT ?"
        params += (limit,)
    return [Activity(*r) for r in conn.execute(sql, params)]


def last_touch(conn: sqlite3.Connection, lead_id: int) -> str | None:
    row = conn.execute(
        "SELECT max(happened_at) FROM activities WHERE lead_id = ?", (lead_id,)
    ).fetchone()
    return row[0]

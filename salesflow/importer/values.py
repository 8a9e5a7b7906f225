"""One cell's text as a checked value: times, dates, money, BANT, tags, stages.

A problem raises `Bad(field, why)`, which the planner turns into a row error naming the
column. ISO text takes a fast path: an import reads 100k of these.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime

from salesflow import dates, leads, money, pipeline
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.importer.plan import Clock
from salesflow.languages import check_doc_lang

_BANT = {"yes": "yes", "y": "yes", "true": "yes", "是": "yes", "有": "yes",
         "no": "no", "n": "no", "false": "no", "否": "no", "无": "no",
         "unknown": "unknown", "?": "unknown", "未知": "unknown"}  # fmt: skip
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_UTC_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


class Bad(Exception):
    """One cell's problem; becomes a RowError naming the column."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message


def instant(text: str, clock: Clock, field: str) -> str:
    """A time as UTC ISO text: ISO fast path, then salesflow's own date forms (local)."""
    text = text.strip()
    try:
        dt = datetime.fromisoformat(text)
        dates.check_horizon(dt.date(), text)
    except ValueError:
        try:
            dt = dates.parse_instant(text, clock.now, clock.tz, clock.date_order)
        except SalesflowError as e:
            raise Bad(field, e.message) from None
    except SalesflowError as e:
        raise Bad(field, e.message) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=clock.tz)  # a time without offset is the user's local time
    elif _UTC_TEXT.fullmatch(text):
        return text  # already the stored form
    try:
        return dates.to_utc_iso(dt.astimezone(UTC))
    except (OverflowError, ValueError):
        raise Bad(field, _('"{text}" is out of range').format(text=text)) from None


def day(text: str, clock: Clock, field: str) -> str:
    """A local calendar date as YYYY-MM-DD: ISO fast path, then salesflow's own date forms."""
    text = text.strip()
    try:
        parsed = dates.check_horizon(date.fromisoformat(text), text)
        # Already YYYY-MM-DD (fromisoformat also takes 20261201 and 2026-W49-1): keep it.
        return text if len(text) == 10 and text[4] == "-" else parsed.isoformat()
    except ValueError:
        try:
            return dates.parse_date(text, clock.today, clock.date_order).isoformat()
        except SalesflowError as e:
            raise Bad(field, e.message) from None
    except SalesflowError as e:
        raise Bad(field, e.message) from None


def amount(value: str, currency: str | None, default: str) -> tuple[int, str]:
    """`value` in the row's `currency` (else `default`) as (minor units, code); a symbol that
    contradicts the currency is an error. Plain decimals skip the general parser: every
    export is plain decimals, and the parser's regex and Decimal cost most of a row's time."""
    code = default
    if currency is not None:
        code = _CURRENCIES.get(currency) or _currency(currency)
    text = value.strip()
    if _DECIMAL.fullmatch(text):
        whole, _, frac = text.partition(".")
        exp = money.exponent(code)
        if len(frac) <= exp:
            minor = int(whole) * 10**exp + int(frac.ljust(exp, "0") or 0)
            if minor <= money.MAX_MINOR:  # larger: parse_money says why it is refused
                return minor, code
    try:
        parsed = money.parse_money(text, code)
    except SalesflowError as e:
        raise Bad("value", e.message) from None
    if currency is not None and parsed.currency != code:
        said = _('"{value}" is in {currency} but the currency column says {code}')
        raise Bad("value", said.format(value=value, currency=parsed.currency, code=code))
    return parsed.minor, parsed.currency


_CURRENCIES: dict[str, str] = {}  # currency cell text -> checked code, across rows


def _currency(text: str) -> str:
    try:
        code = money.check_currency(text)
    except SalesflowError as e:
        raise Bad("currency", e.message) from None
    _CURRENCIES[text] = code
    return code


def bant_value(text: str, field: str) -> str:
    value = _BANT.get(text.strip().casefold())
    if value is None:
        raise Bad(field, _('"{text}" — use yes, no or unknown').format(text=text))
    return value


def tag_list(text: str) -> list[str]:
    return leads.clean_tags([text.replace("，", ",")])


def stage_finder(conn: sqlite3.Connection) -> Callable[[str, str], pipeline.Stage]:
    all_stages = pipeline.stages(conn)
    # Won and lost by their kind and by what the seller calls them (成交): an export reads back.
    exact = {s.name: s for s in all_stages} | {s.label: s for s in all_stages if s.label}
    folded: dict[str, list[pipeline.Stage]] = {}
    for s in all_stages:
        for name in {s.name.casefold(), (s.label or s.name).casefold()}:
            folded.setdefault(name, []).append(s)
    names = ", ".join(s.shown for s in all_stages)

    def find(text: str, field: str) -> pipeline.Stage:
        name = text.strip()
        if name in exact:
            return exact[name]
        found = folded.get(name.casefold(), [])
        if len(found) == 1:
            return found[0]
        said = _('"{name}" is not a stage — the stages are: {names}')
        raise Bad(field, said.format(name=name, names=names))

    return find


def one_line(text: str | None) -> str | None:
    """A one-line fact (company, email …): outer spaces off, nothing left means not given."""
    if text is None:
        return None
    return text.strip() or None


def free_text(text: str | None) -> str | None:
    """Free text keeps its own line breaks and spacing; only blank means not given."""
    return text if text and text.strip() else None


def email_problem(email: str | None, problems: list[Bad]) -> None:
    """An e-mail cell not shaped like an address is a row error (lead add refuses it too)."""
    from salesflow.leads import email_problem as why

    if email and (problem := why(email)):
        problems.append(Bad("email", problem))


def document_facts(values: dict[str, str], problems: list[Bad]) -> dict[str, str | None]:
    """The row's buyer facts for documents: address, tax ID and document language (zh_CN or
    en; a wrong one is a row error)."""
    facts = {"address": free_text(values.get("address")), "tax_id": one_line(values.get("tax_id"))}
    lang = values.get("doc_lang", "").strip()
    try:
        facts["doc_lang"] = check_doc_lang(lang) if lang else None
    except SalesflowError as e:
        problems.append(Bad("doc_lang", e.message))
    return facts

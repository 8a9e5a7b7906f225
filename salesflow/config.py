"""User settings (`salesflow config set KEY VALUE`): the known keys and how each is checked."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from salesflow import store
from salesflow.errors import SalesflowError


def _currency(value: str) -> str:
    from salesflow.money import check_currency

    return check_currency(value)


def _timezone(value: str) -> str:
    from salesflow.dates import local_zone

    local_zone(value)
    return value


def _date_order(value: str) -> str:
    up = value.strip().upper()
    if up not in ("DMY", "MDY", "YMD"):
        raise SalesflowError(f'date_order "{value}" — use DMY, MDY or YMD')
    return up


def _rounding(value: str) -> str:
    if value not in ("half-up", "half-even"):
        raise SalesflowError(f'rounding "{value}" — use half-up or half-even')
    return value


def _text(value: str) -> str:
    return value


def _rate(value: str) -> str:
    from salesflow.fx import check_rate

    return check_rate(value)


# Keys whose prefix ends in "." take any suffix (seller.name, fx.USD …).
CHECKS: dict[str, Callable[[str], str]] = {
    "currency": _currency,
    "timezone": _timezone,
    "date_order": _date_order,
    "rounding": _rounding,
    "seller.": _text,
    "fx.": _rate,
}
DESCRIPTIONS: dict[str, str] = {
    "currency": "default currency of new leads (ISO 4217), default USD",
    "timezone": "IANA zone for dates and due days, default the system's",
    "date_order": "how to read 01/02/2026: DMY, MDY or YMD (unset: refused as ambiguous)",
    "rounding": "money rounding: half-up (default) or half-even",
    "seller.": "seller block on documents: seller.name, seller.address, seller.email …",
    "fx.": "exchange rate for reports: fx.EUR 7.8 = 1 EUR is worth 7.8 of the base currency",
}


def check(key: str, value: str) -> tuple[str, str]:
    """Validate one setting; returns the normalised key and value."""
    key = key.strip()
    for known, checker in CHECKS.items():
        if key == known or (
            known.endswith(".") and key.startswith(known) and len(key) > len(known)
        ):
            if known == "fx.":  # fx.usd and fx.USD are one setting: the code is upper-cased
                key = known + _currency(key[len(known) :])
            return key, checker(value)
    known_keys = ", ".join(k + ("*" if k.endswith(".") else "") for k in CHECKS)
    raise SalesflowError(f'unknown setting "{key}" — known settings: {known_keys}')


def set_value(conn: sqlite3.Connection, key: str, value: str) -> tuple[str, str]:
    key, value = check(key, value)
    store.set_setting(conn, key, value)
    return key, value


def unset(conn: sqlite3.Connection, key: str) -> None:
    if key.startswith("fx.") and len(key) > 3:
        key = "fx." + key[3:].strip().upper()
    if store.get_setting(conn, key) is None:
        raise SalesflowError(f'setting "{key}" is not set — see salesflow config list')
    store.set_setting(conn, key, None)


def is_setting_key(key: str) -> bool:
    return bool(re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_]+)?", key))

"""Who a lead is, for finding duplicates in an import: e-mail, phone digits, name + company
(rows of the file and leads already in the database alike; importer/seen.py looks them up)."""

from __future__ import annotations

import re
from typing import Any

_NOT_DIGIT = re.compile(r"[^0-9]")


class Keys:
    """Who a lead is, for finding duplicates: email, phone digits, name + company."""

    def __init__(self) -> None:
        self.email: dict[str, Any] = {}
        self.phone: dict[str, Any] = {}
        self.person: dict[tuple[str, str], Any] = {}

    @staticmethod
    def of(name: str | None, company: str | None, email: str | None, phone: str | None):
        e = email.strip().casefold() if email else None
        digits = _NOT_DIGIT.sub("", phone) if phone else ""
        p = digits if len(digits) >= 5 else None  # "n/a", "-" and extensions are no identity
        person = (" ".join((name or "").split()).casefold(),
                  " ".join((company or "").split()).casefold())  # fmt: skip
        return e, p, person if person[0] else None

    def add(self, target: Any, keys: tuple) -> None:
        e, p, person = keys
        if e:
            self.email.setdefault(e, target)
        if p:
            self.phone.setdefault(p, target)
        if person:
            self.person.setdefault(person, target)

    def held(self) -> tuple[dict, dict, dict]:
        """The targets by key: of kind 0 (email), 1 (phone), 2 (name and company)."""
        return self.email, self.phone, self.person

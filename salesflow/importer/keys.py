"""Who a lead is, for finding duplicates in an import: e-mail, phone, name + company, each as
`lead dupes` and `lead add` compare them (salesflow/dupes.py: case, width and spaces set
aside, a company's legal form too, a phone's digits; rows of the file and leads already in
the database alike; importer/seen.py looks them up)."""

from __future__ import annotations

from typing import Any

from salesflow.dupes import company_key, name_key, phone_key


class Keys:
    """Who a lead is, for finding duplicates: email, phone digits, name + company."""

    def __init__(self) -> None:
        self.email: dict[str, Any] = {}
        self.phone: dict[str, Any] = {}
        self.person: dict[tuple[str, str], Any] = {}

    @staticmethod
    def of(name: str | None, company: str | None, email: str | None, phone: str | None):
        e = email.strip().casefold() if email else None
        # dupes.MIN_PHONE_DIGITS: "n/a", "-", extensions and service lines are no identity.
        p = phone_key(phone) or None
        n = name_key(name)
        return e, p, (n, company_key(company)) if n else None

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

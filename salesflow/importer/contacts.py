"""Phone contacts in: a .vcf of vCards 2.1, 3.0 or 4.0 (iOS, Android, WeChat Work) read with
vobject and laid out as a sheet, so `import contacts` plans, dedupes, reports and undoes
exactly as `import leads` does.

FN is the name (else N, joined family first without a space for CJK: `N:张;伟;;;` is 张伟);
ORG the company; the preferred EMAIL and TEL (else the first) the lead's email and phone;
TITLE, the other numbers and addresses, ADR and BDAY are kept in the notes beside NOTE.
PHOTO is skipped (taken out before parsing: a photo is most of a card's bytes, and a
truncated one would stop the parser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from salesflow import sheets
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.importer.layouts import join_name
from salesflow.importer.plan import RowError

HEADER = ["name", "company", "email", "phone", "notes", "Title", "Other phones",
          "Other emails", "Address", "Birthday"]  # fmt: skip
_CARD = re.compile(r"^BEGIN:VCARD\s*$(.*?)^END:VCARD\s*$", re.IGNORECASE | re.MULTILINE | re.DOTALL)
# A property line (NAME or group.NAME, then ; or :); base64 lines never look like one.
_PROPERTY = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]")
_VERSION = re.compile(r"^VERSION:\s*([0-9.]+)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class CardSheet(sheets.Sheet):
    versions: tuple[str, ...] = ()
    problems: list[RowError] = field(default_factory=list)  # cards that could not be read

    @property
    def described(self) -> str:
        return f"vCard {'/'.join(self.versions) or '?'}, {self.encoding}"


def read(data: bytes, name: str, encoding: str = "auto") -> CardSheet:
    """The cards of a .vcf file as sheet rows (row number = the card's position)."""
    text, used = sheets.decode(data, name, encoding)
    cards = [m.group(0) for m in _CARD.finditer(text)]
    if not cards:
        raise SalesflowError(
            _(
                "{name} has no vCard in it (BEGIN:VCARD … END:VCARD) — "
                "export the contacts as a .vcf file"
            ).format(name=name)
        )
    rows: list[tuple[int, list[str | None]]] = []
    problems: list[RowError] = []
    for number, card in enumerate(cards, 1):
        try:
            rows.append((number, _cells(_without_photo(card))))
        except Exception as e:  # vobject's errors are many kinds: one card's problem
            why = str(e).splitlines()[0] if str(e) else type(e).__name__
            said = _("card cannot be read ({why})").format(why=why)
            problems.append(RowError(number, None, said))
    versions = tuple(sorted(set(_VERSION.findall(text))))
    return CardSheet(name, "vcf", used, HEADER, rows, versions, problems)


def _without_photo(card: str) -> str:
    kept: list[str] = []
    skipping = False
    for line in card.splitlines():
        if skipping and not _PROPERTY.match(line):
            continue
        skipping = re.match(r"(\w+\.)?(PHOTO|LOGO|SOUND|KEY)[;:]", line, re.IGNORECASE) is not None
        if not skipping:
            kept.append(line)
    return "\r\n".join(kept) + "\r\n"


def _cells(card: str) -> list[str | None]:
    import vobject

    c = vobject.readOne(card, allowQP=True)
    props = c.contents
    name = _first_text(props.get("fn"))
    if not name and "n" in props:
        n = props["n"][0].value
        name = join_name(_text(n.given), _text(n.family))
    company = None
    if "org" in props:
        org = props["org"][0].value
        company = _text(org[0] if isinstance(org, list) and org else org)  # then its units
    emails = _ordered(props.get("email", []))
    phones = _ordered(props.get("tel", []))
    addresses = [_address(p.value) for p in props.get("adr", [])]
    notes = [
        "\n".join(p.value.splitlines())
        for p in props.get("note", [])
        if isinstance(p.value, str) and p.value.strip()
    ]
    return [
        name or company,
        company,
        emails[0][1] if emails else None,
        phones[0][1] if phones else None,
        "\n".join(notes) or None,
        _first_text(props.get("title")),
        ", ".join(f"{t} {v}" if t else v for t, v in phones[1:]) or None,
        ", ".join(v for __, v in emails[1:]) or None,
        "; ".join(a for a in addresses if a) or None,
        _first_text(props.get("bday")),
    ]


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = " ".join(v for v in value if v)
    return str(value).strip() or None if value else None


def _first_text(lines: list | None) -> str | None:
    for line in lines or []:
        text = _text(line.value)
        if text:
            return text
    return None


def _types(line: object) -> list[str]:
    """TYPE=WORK,CELL / TYPE="voice,cell" (3.0, 4.0) and bare TEL;CELL;PREF (2.1)."""
    found: list[str] = []
    for value in [*line.params.get("TYPE", []), *getattr(line, "singletonparams", [])]:
        found += [t.strip().lower() for t in value.split(",") if t.strip()]
    return found


def _ordered(lines: list) -> list[tuple[str, str]]:
    """(type, value) of each TEL or EMAIL, the preferred one first."""
    result: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        value = _text(line.value)
        if not value:
            continue
        if value.lower().startswith("tel:"):
            value = value[4:]
        types = _types(line)
        preferred = "pref" in types or "PREF" in line.params
        kind = next((t for t in types if t not in ("pref", "voice", "internet", "x400")), "")
        result.append((0 if preferred else 1 + i, kind, value))
    result.sort()
    return [(kind, value) for __, kind, value in result]


def _address(value: object) -> str:
    parts = [getattr(value, k, "") for k in ("box", "extended", "street", "city", "region",
                                              "code", "country")]  # fmt: skip
    return ", ".join(p for p in (_text(x) for x in parts) if p)

"""Other CRMs' export headers, and joining a name from its parts.

The headers are those of a Pipedrive deals export, a HubSpot contacts export, a Salesforce
leads report (and its Data Loader API names) and a Zoho CRM leads export. Only columns whose
meaning is the same in salesflow are mapped; a foreign stage, status or rating vocabulary
("Contact Made", "Open Deal") is not salesflow's pipeline, so those columns stay in the notes
as `header: value` lines until the user maps them (`--map "Deal - Stage=stage"`).
"""

from __future__ import annotations

import re

# field -> headers that mean it (compared after columns.key() folding).
LAYOUT_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("Person - Name", "Deal - Contact person", "Lead Name"),
    "company": ("Organization - Name", "Deal - Organization", "Company / Account",
                "Account Name"),
    "email": ("Person - Email", "Person - Email - Work"),
    "phone": ("Person - Phone", "Person - Phone - Work"),
    "source": ("Lead Source", "LeadSource", "Deal - Source"),
    "grade": ("Rating",),
    "value": ("Deal - Value",),
    "currency": ("Deal - Currency", "Deal - Currency of Value"),
    "notes": ("Description",),
    "expected_close": ("Deal - Expected close date", "Expected Close Date"),
    "created_at": ("Deal - Deal created", "Create Date", "Created Date", "CreatedDate",
                   "Created Time"),
    "updated_at": ("Deal - Update time", "Modified Time", "Last Modified Date"),
}  # fmt: skip

# Headers that mean a field only when no column with a first-choice header does: a sheet with
# both "Phone" and "Mobile" (Salesforce, Zoho) imports Phone and keeps Mobile in the notes.
SECOND_CHOICE: dict[str, tuple[str, ...]] = {
    "phone": ("mobile", "mobile phone", "mobile phone number", "MobilePhone", "手机", "手机号",
              "手机号码", "Person - Phone - Mobile"),
    "email": ("Person - Email - Home", "Person - Email - Other", "Secondary Email"),
    "source": ("Original Source",),
}  # fmt: skip

# Parts of a person's name, joined into `name` when no column holds the whole name.
GIVEN = ("first name", "firstname", "given name", "forename", "名", "名字")
FAMILY = ("last name", "lastname", "family name", "surname", "姓", "姓氏")

# Grades by another name (a Salesforce rating); other rating words are kept in the notes.
RATINGS = {"hot": "A", "warm": "B", "cold": "C", "热": "A", "温": "B", "冷": "C"}


def rating_column(header: str | None) -> str | None:
    """The grade column's header when it is another CRM's "Rating", whose other words are
    kept in the notes instead of refused."""
    return header if header and header.strip().casefold() == "rating" else None


# Han, kana, Hangul: scripts whose names are written without a space between the parts.
_CJK = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)


def is_cjk(char: str) -> bool:
    return _CJK.match(char) is not None


def join_words(parts: list[str]) -> str:
    """Parts joined with a space, except between two CJK characters: "Jane" + "Roe" is
    "Jane Roe", "张" + "伟" is "张伟", "Li" + "明" is "Li 明"."""
    text = ""
    for part in parts:
        if text and not (is_cjk(text[-1]) and is_cjk(part[0])):
            text += " "
        text += part
    return text


def join_name(given: str | None, family: str | None) -> str:
    """A name from its parts: "given family" in Latin script, family first with no space in
    CJK (First Name 伟, Last Name 张: 张伟)."""
    parts = [p for p in (given, family) if p]
    if len(parts) == 2 and is_cjk(parts[0][0]) and is_cjk(parts[1][-1]):
        parts.reverse()
    return join_words(parts)

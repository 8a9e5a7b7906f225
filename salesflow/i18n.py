"""The language salesflow speaks to its user: gettext catalogs, English when none applies.

Text is written in English in the code and marked: `_("…")` where it is shown, `N_("…")`
where it is defined before the language is known (module constants, declarations) and passed
through `_()` when shown, `ngettext()` where it counts. The Chinese catalog is compiled from
the `.po` sources in po/zh_CN/ into salesflow/locale/zh_CN/LC_MESSAGES/salesflow.mo by
`python tools/i18n.py compile`; the compiled file is committed so installing salesflow needs
no Babel (tests/test_catalog.py checks it matches its sources).

Which language: `--lang`, else the database's `config lang`, else the environment the way
gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English. The caller that knows
those (the command line) calls `use()`; everything else only calls `_()`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

LANGUAGES = ("en", "zh_CN")
_LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_active = "en"
# msgid (or (msgid, n) for plural forms) -> msgstr of the active language; None: English
_catalog: dict[object, str] | None = None


def normalize(text: str | None) -> str | None:
    """`zh`, `zh_CN`, `zh-CN`, `zh_CN.UTF-8`, `zh-Hans`, `zh_Hans_CN` → `zh_CN`; `en…`, `C`,
    `POSIX` → `en`; anything else (another language, empty) → None."""
    if not text:
        return None
    key = text.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if key in ("c", "posix") or key == "en" or key.startswith("en_"):
        return "en"
    if key == "zh" or key in ("zh_cn", "zh_sg", "zh_hans") or key.startswith("zh_hans"):
        return "zh_CN"
    return None


def from_environment(environ: dict[str, str] | None = None) -> str | None:
    """The language the environment asks for, read in gettext's order (LANGUAGE may list
    several, `zh_CN:en`); None when it names none salesflow speaks."""
    env = os.environ if environ is None else environ
    for name in _ENV:
        value = env.get(name)
        if not value:
            continue
        # gettext stops at the first variable set; LANGUAGE is a priority list.
        for part in value.split(":") if name == "LANGUAGE" else [value]:
            found = normalize(part)
            if found is not None:
                return found
        if name != "LANGUAGE":
            return None
    return None


def use(lang: str) -> None:
    """Speak `lang` (one of LANGUAGES) from now on in this process."""
    global _active, _catalog
    if lang == _active and (lang == "en" or _catalog is not None):
        return
    _active = lang
    _catalog = None if lang == "en" else _load(lang)


def active() -> str:
    """The language in use: `en` or `zh_CN`."""
    return _active


def _load(lang: str) -> dict[object, str]:
    # gettext's GNUTranslations reads the .mo into a dict; only its table is kept, so `_()`
    # is a dict look-up and the gettext module is imported only when a catalog is needed.
    import gettext

    path = _LOCALE_DIR / lang / "LC_MESSAGES" / "salesflow.mo"
    try:
        with path.open("rb") as fh:
            return dict(gettext.GNUTranslations(fh)._catalog)  # type: ignore[attr-defined]
    except OSError:
        return {}


def _(message: str) -> str:
    """`message` in the active language (itself when untranslated or in English)."""
    if _catalog is None:
        return message
    return _catalog.get(message) or message


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for the count `n` in the active language."""
    if _catalog is not None:
        found = _catalog.get((singular, 0))
        if found is not None:  # Chinese has one plural form
            return found
    return singular if n == 1 else plural


def in_language(message: str, lang: str) -> str:
    """`message` in `lang` (one of LANGUAGES) whatever the active language: text written for
    one record in that record's language (the demo's Chinese leads)."""
    if lang == "en":
        return message
    catalog = _catalog if lang == _active and _catalog is not None else _load(lang)
    return catalog.get(message) or message


def join(items: Iterable[str]) -> str:
    """`items` as a list in running text: `a, b, c` in English, `a、b、c` in Chinese (the
    enumeration comma, 顿号, separates the items of a list)."""
    return _(", ").join(items)


def bracketed(text: str, inside: object) -> str:
    """`text (inside)`, as a heading with its count: `Overdue (3)`; `逾期跟进（3）` with the
    full-width brackets of the rest of the Chinese text."""
    return _("{text} ({inside})").format(text=text, inside=inside)


def labelled(label: str, value: object) -> str:
    """`label: value`; `标签：值` with the full-width colon in Chinese."""
    return _("{label}: {value}").format(label=label, value=value)


def phrase(*parts: str) -> str:
    """The non-empty `parts` as one phrase: a space between them, except between two Chinese
    characters, which Chinese writes together (`线索创建于全部时间`, `线索创建于 2026-01-01`)."""
    out = ""
    for part in filter(None, parts):
        if out and not (_cjk(out[-1]) and _cjk(part[0])):
            out += " "
        out += part
    return out


def _cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"

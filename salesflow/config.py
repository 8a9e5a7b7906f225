"""User settings (`salesflow config set KEY VALUE`): the known keys and how each is checked."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from decimal import Decimal

from salesflow import store
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import N_, _

# The one default of each setting a rule reads; the typed accessors below apply them.
DEFAULT_CURRENCY = "USD"
DEFAULT_ROUNDING = "half-up"
DEFAULT_FIRST_TOUCH = "24h"
DEFAULT_QUOTE_VALID_DAYS = 30
DEFAULT_QUOTE_CHASE_DAYS = 3
DEFAULT_QUOTE_STAGE = "quote"
DEFAULT_UNANSWERED_DAYS = 7


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
        raise SalesflowError(_('date_order "{value}" — use DMY, MDY or YMD').format(value=value))
    return up


def _rounding(value: str) -> str:
    if value not in ("half-up", "half-even"):
        raise SalesflowError(_('rounding "{value}" — use half-up or half-even').format(value=value))
    return value


def _money_display(value: str) -> str:
    v = value.strip().lower()
    if v not in ("plain", "wan"):
        raise SalesflowError(_('money.display "{value}" — use plain or wan').format(value=value))
    return v


def _text(value: str) -> str:
    return value


def _first_touch(value: str) -> str:
    from salesflow.dates import parse_period

    n, unit = parse_period(value)
    if unit not in FIRST_TOUCH_UNITS:
        raise SalesflowError(
            _('first_touch "{value}" — use minutes, hours or days: 45min, 2h, 24h, 3d').format(
                value=value
            )
        )
    return f"{n}{unit}"


def _activity_kinds(value: str) -> str:
    kinds = [k.strip().lower() for k in value.split(",") if k.strip()]
    if not kinds:
        raise SalesflowError(
            _("activity_kinds is a comma-separated list, e.g. call,email,meeting,note")
        )
    if "note" not in kinds:
        # A touch logged or imported without a kind is a note; recording it as another kind
        # (the first, say) would count calls or visits that never happened.
        raise SalesflowError(
            _(
                "activity_kinds must keep note: a touch logged without a kind is a note — "
                "e.g. {kinds}"
            ).format(kinds=",".join(dict.fromkeys([*kinds, "note"])))
        )
    return ",".join(dict.fromkeys(kinds))


FIRST_TOUCH_UNITS = ("min", "h", "d", "w")


def _days(value: str) -> str:
    text = value.strip()
    if not text.isdigit() or int(text) > 3650:
        raise SalesflowError(
            _('"{value}" is not a number of days — use a whole number such as 3').format(
                value=value
            )
        )
    return str(int(text))


def _tax(value: str) -> str:
    from salesflow.quotes.math import number_text
    from salesflow.quotes.parse import parse_tax

    return number_text(parse_tax(value))


def _nonempty(value: str) -> str:
    if not value.strip():
        raise SalesflowError(_("the value cannot be empty"))
    return value.strip()


def _addresses(value: str) -> str:
    from salesflow.importer.mailread import ADDRESS

    found = ADDRESS.findall(value)
    if not found or ADDRESS.sub("", value).strip(" ,;，") != "":
        raise SalesflowError(
            _(
                'me.emails "{value}" — give your own addresses, '
                "comma-separated: a@x.com,b@gmail.com"
            ).format(value=value)
        )
    return ",".join(dict.fromkeys(a.casefold() for a in found))


def _clock_time(value: str) -> str:
    m = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", value.strip())
    if not m:
        raise SalesflowError(
            _('"{value}" is not a time of day — use HH:MM, e.g. 08:00').format(value=value)
        )
    return f"{int(m[1]):02d}:{m[2]}"


def _lang(value: str) -> str:
    from salesflow.i18n import _, normalize

    found = normalize(value)
    if found is None:
        message = _('lang "{value}" — salesflow speaks zh_CN (简体中文) and en')
        raise SalesflowError(message.format(value=value))
    return found


def _rate(value: str) -> str:
    from salesflow.fx import check_rate

    return check_rate(value)


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WORKDAYS = "mon,tue,wed,thu,fri"


def workdays(text: str) -> frozenset[int]:
    """The working weekdays (0 = Monday) of `mon-fri`, `sun-thu`, `mon,wed,fri`, `mon-fri,sun`."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, __, last = part.partition("-")
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise SalesflowError(
                _(
                    'workdays: "{part}" is not a day or a range of days — use '
                    "e.g. mon-fri, sun-thu or mon,wed,fri"
                ).format(part=part)
            )
        a, b = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
        days.update(d % 7 for d in range(a, a + (b - a) % 7 + 1))
    return frozenset(days)


def lost_categories(text: str | None) -> dict[str, str]:
    """`预算不足=无预算,没预算;价格高=太贵` as {casefolded name or synonym: category}."""
    found: dict[str, str] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        name, __, synonyms = part.partition("=")
        name = " ".join(name.split())
        if not name:
            raise SalesflowError(
                _(
                    'lost_reasons: "{strip}" has no category name — write '
                    '"预算不足=无预算,没预算;价格高=太贵"'
                ).format(strip=part.strip())
            )
        for word in [name, *synonyms.split(",")]:
            key = " ".join(word.split()).casefold()
            if not key:
                continue
            if found.get(key, name) != name:
                raise SalesflowError(
                    _('lost_reasons: "{strip}" is in both {found} and {name}').format(
                        strip=word.strip(), found=found[key], name=name
                    )
                )
            found[key] = name
    return found


def _lost_reasons(value: str) -> str:
    if not lost_categories(value):
        raise SalesflowError(
            _('lost_reasons: give categories, e.g. "预算不足=无预算,没预算;价格高=太贵"')
        )
    parts = []
    for part in value.split(";"):
        name, __, synonyms = part.partition("=")
        words = [" ".join(w.split()) for w in synonyms.split(",") if w.strip()]
        if name.strip():
            parts.append(" ".join(name.split()) + ("=" + ",".join(words) if words else ""))
    return ";".join(parts)


def _workdays(value: str) -> str:
    return ",".join(DAY_NAMES[d] for d in sorted(workdays(value)))


def _yes_no(value: str) -> str:
    v = value.strip().lower()
    if v not in ("yes", "no"):
        raise SalesflowError(_('"{value}" is not yes or no').format(value=value))
    return v


SELLER = {
    "name": "seller name",
    "address": "seller address (\\n starts a new line)",
    "email": "seller e-mail",
    "phone": "seller phone",
    "tax_id": "seller tax ID / VAT number (纳税人识别号)",
    "bank": "seller bank (开户行)",
    "account": "seller bank account number (账号)",
    "payment_terms": "default payment terms (付款方式) of new quotes",
    "delivery": "default delivery terms (交货期) of new quotes",
}
# Keys whose prefix ends in "." take any suffix (seller.name, fx.USD …).
CHECKS: dict[str, Callable[[str], str]] = {
    "currency": _currency,
    "timezone": _timezone,
    "date_order": _date_order,
    "rounding": _rounding,
    "money.display": _money_display,
    "lang": _lang,
    **{f"seller.{k}": _text for k in SELLER},
    "first_touch": _first_touch,
    "activity_kinds": _activity_kinds,
    "quote.chase_days": _days,
    "digest.unanswered_days": _days,
    "workdays": _workdays,
    "lost_reasons": _lost_reasons,
    "quote.valid_days": _days,
    "quote.tax": _tax,
    "quote.tax_note": _text,
    "quote.amount_in_words": _yes_no,
    "quote.stage": _nonempty,
    "fields": lambda v: _fields(v),
    "me.emails": _addresses,
    "remind.morning": _clock_time,
    "fx.": _rate,
    "replica.url": lambda v: _replica("check_url", v),
    "replica.sftp_key": lambda v: _replica("check_file", v),
    "replica.sftp_host_key": lambda v: _replica("check_host_key", v),
    "replica.sftp_password": lambda v: _replica("check_secret", v),
    "replica.access_key_id": lambda v: _replica("check_secret", v),
    "replica.secret_access_key": lambda v: _replica("check_secret", v),
    "replica.lease_seconds": lambda v: _replica("check_lease_seconds", v),
}
# Never printed by config get/list (nor by replica show); they stay in the database only.
SECRET = ("replica.sftp_password", "replica.access_key_id", "replica.secret_access_key")
# What each setting is for (shell completion shows them): marked N_() and shown by describe(),
# which fills in the defaults.
DESCRIPTIONS: dict[str, str] = {
    "currency": N_("default currency of new leads (ISO 4217), default USD"),
    "timezone": N_("IANA zone for dates and due days, default the system's"),
    "date_order": N_("how to read 01/02/2026: DMY, MDY or YMD (unset: refused as ambiguous)"),
    "rounding": N_("money rounding: half-up or half-even, default {default}"),
    "money.display": N_(
        "money on the terminal and in the digest: plain (505,000.00, default) or "
        "wan (50.5万, 1.2亿); csv/tsv/json always keep the exact amount"
    ),
    "lang": N_(
        "the language salesflow speaks: zh_CN (简体中文) or en; --lang beats it, it beats "
        "LANG (zh, zh-Hans, zh_CN.UTF-8 all mean zh_CN)"
    ),
    "first_touch": N_(
        "how soon a new lead must get its first logged touch: 2h, 24h, 3d, default {default}"
    ),
    "activity_kinds": N_("kinds `log --kind` accepts, default call,email,meeting,visit,note"),
    "seller.name": N_("seller name on quote documents"),
    "seller.address": N_("seller address (\\n starts a new line) on quote documents"),
    "seller.email": N_("seller e-mail on quote documents"),
    "seller.phone": N_("seller phone on quote documents"),
    "seller.tax_id": N_("seller tax ID / VAT number (纳税人识别号) on quote documents"),
    "seller.bank": N_("seller bank (开户行) on quote documents"),
    "seller.account": N_("seller bank account number (账号) on quote documents"),
    "seller.payment_terms": N_("default payment terms (付款方式) of new quotes on quote documents"),
    "seller.delivery": N_("default delivery terms (交货期) of new quotes on quote documents"),
    "quote.tax_note": N_('why the tax rate, beside the tax line of new quotes, e.g. "export"'),
    "quote.amount_in_words": N_(
        "English quotes write the total in words too: yes or no (default); "
        "Chinese CNY quotes always carry 金额大写"
    ),
    "quote.chase_days": N_(
        "days after `quote send` to chase the client (a follow-up), default {default}; 0: none"
    ),
    "digest.unanswered_days": N_(
        "the digest lists sent quotes unanswered this many days, default {default}"
    ),
    "quote.valid_days": N_("how long a new quote is valid, in days, default {default}"),
    "fields": N_(
        "custom lead fields, comma-separated, e.g. industry,region: lead edit 12 --set "
        "region=华南, report breakdown --by region"
    ),
    "workdays": N_(
        "working days, e.g. mon-fri (default) or sun-thu: the digest covers changes "
        "since the last one"
    ),
    "lost_reasons": N_(
        'lost-reason categories with synonyms, "预算不足=无预算,没预算;价格高=太贵": '
        "report lost counts a synonym under its category"
    ),
    "quote.tax": N_("default tax rate of new quotes, e.g. 13%, default 0%"),
    "quote.stage": N_(
        'the pipeline stage a lead moves to when a quote is sent, default "{default}"'
    ),
    "me.emails": N_(
        "your own addresses (a@x.com,b@gmail.com): `import email` tells sent mail "
        "from received by them"
    ),
    "remind.morning": N_("when `remind` reminds a date-only follow-up on its day, default 08:00"),
    "fx.": N_("exchange rate for reports: fx.EUR 7.8 = 1 EUR is worth 7.8 of the base currency"),
    "replica.url": N_("where salesflow replicate sends the database (use salesflow replica set)"),
    "replica.sftp_key": N_("SSH private key for an sftp:// replica, default ~/.ssh/id_ed25519 …"),
    "replica.sftp_host_key": N_(
        "the SFTP server's public key line, default from ~/.ssh/known_hosts"
    ),
    "replica.sftp_password": N_("SFTP password (hidden; SALESFLOW_REPLICA_SFTP_PASSWORD wins)"),
    "replica.access_key_id": N_("S3 access key id (hidden; AWS_ACCESS_KEY_ID wins)"),
    "replica.secret_access_key": N_("S3 secret key (hidden; AWS_SECRET_ACCESS_KEY wins)"),
    "replica.lease_seconds": N_(
        "how long a machine's write lease lasts unless renewed, default 120"
    ),
}
_DESCRIBED_DEFAULTS: dict[str, object] = {
    "rounding": DEFAULT_ROUNDING,
    "first_touch": DEFAULT_FIRST_TOUCH,
    "quote.chase_days": DEFAULT_QUOTE_CHASE_DAYS,
    "digest.unanswered_days": DEFAULT_UNANSWERED_DAYS,
    "quote.valid_days": DEFAULT_QUOTE_VALID_DAYS,
    "quote.stage": DEFAULT_QUOTE_STAGE,
}


def describe(key: str) -> str:
    """What the setting `key` is for, in the active language."""
    text = _(DESCRIPTIONS[key])
    if key in _DESCRIBED_DEFAULTS:
        return text.format(default=_DESCRIBED_DEFAULTS[key])
    return text


def _fields(value: str) -> str:
    from salesflow.fields import check_names

    return check_names(value)


def _replica(name: str, value: str) -> str:
    from salesflow.replica import target

    return getattr(target, name)(value)


def shown(key: str, value: str) -> str:
    """The value as printed: secrets are never shown."""
    return _("(set, hidden)") if key in SECRET else value


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
    raise SalesflowError(
        _('unknown setting "{key}" — known settings: {known_keys}').format(
            key=key, known_keys=known_keys
        )
    )


def set_value(conn: sqlite3.Connection, key: str, value: str) -> tuple[str, str]:
    key, value = check(key, value)
    base = store.get_setting(conn, "currency") or DEFAULT_CURRENCY
    if key == f"fx.{base}":
        # 1 base unit is worth 1 base unit: any other rate would silently be ignored.
        raise SalesflowError(
            _(
                "{currency} is the base currency: reports need no rate for it — "
                "fx.XXX rates say what other currencies are worth in {currency}"
            ).format(currency=base)
        )
    store.set_setting(conn, key, value)
    return key, value


def default(key: str) -> str | None:
    """The value a setting has while it is not set, as `config get` prints it; None when it
    has none (unset means off or empty, or depends on the machine: timezone, lang)."""
    from salesflow.activities import DEFAULT_KINDS
    from salesflow.reminders import DEFAULT_MORNING
    from salesflow.replica.target import DEFAULT_LEASE_SECONDS

    return {
        "currency": DEFAULT_CURRENCY,
        "rounding": DEFAULT_ROUNDING,
        "money.display": "plain",
        "first_touch": DEFAULT_FIRST_TOUCH,
        "activity_kinds": ",".join(DEFAULT_KINDS),
        "quote.chase_days": str(DEFAULT_QUOTE_CHASE_DAYS),
        "digest.unanswered_days": str(DEFAULT_UNANSWERED_DAYS),
        "workdays": DEFAULT_WORKDAYS,
        "quote.valid_days": str(DEFAULT_QUOTE_VALID_DAYS),
        "quote.tax": "0",
        "quote.amount_in_words": "no",
        "quote.stage": DEFAULT_QUOTE_STAGE,
        "remind.morning": DEFAULT_MORNING,
        "replica.lease_seconds": str(DEFAULT_LEASE_SECONDS),
    }.get(key)


def unset(conn: sqlite3.Connection, key: str) -> None:
    if key.startswith("fx.") and len(key) > 3:
        key = "fx." + key[3:].strip().upper()
    if store.get_setting(conn, key) is None:
        raise SalesflowError(
            _('setting "{key}" is not set').format(key=key), hint=Hint("config.list")
        )
    store.set_setting(conn, key, None)


def is_setting_key(key: str) -> bool:
    return bool(re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_]+)?", key))


# ---- typed accessors: what a rule reads, with the one default of each ---------------------


def rounding(conn: sqlite3.Connection) -> str:
    """Money rounding of new quotes and converted amounts: half-up or half-even."""
    return store.get_setting(conn, "rounding") or DEFAULT_ROUNDING


def first_touch(conn: sqlite3.Connection) -> str:
    """How soon a new lead must get its first touch, as a period text such as `24h`."""
    return store.get_setting(conn, "first_touch") or DEFAULT_FIRST_TOUCH


def quote_valid_days(conn: sqlite3.Connection) -> int:
    return _int(conn, "quote.valid_days", DEFAULT_QUOTE_VALID_DAYS)


def quote_chase_days(conn: sqlite3.Connection) -> int:
    """Days after sending a quote to chase it; 0 plans no chase."""
    return _int(conn, "quote.chase_days", DEFAULT_QUOTE_CHASE_DAYS)


def quote_tax(conn: sqlite3.Connection) -> Decimal | None:
    """The configured tax rate of new quotes in percent; None when not set."""
    value = store.get_setting(conn, "quote.tax")
    return None if value is None else Decimal(value)


def quote_stage(conn: sqlite3.Connection) -> str:
    """The name of the stage a lead moves to when its quote is sent."""
    return store.get_setting(conn, "quote.stage") or DEFAULT_QUOTE_STAGE


def unanswered_days(conn: sqlite3.Connection) -> int:
    """Days after which the digest lists a sent quote as unanswered."""
    return _int(conn, "digest.unanswered_days", DEFAULT_UNANSWERED_DAYS)


def _int(conn: sqlite3.Connection, key: str, default: int) -> int:
    value = store.get_setting(conn, key)
    return default if value is None else int(value)

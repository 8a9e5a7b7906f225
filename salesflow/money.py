"""Money as integer minor units plus an ISO 4217 code; arithmetic in Decimal, never float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

from salesflow.errors import SalesflowError

# Minor-unit exponents that differ from the usual 2 (ISO 4217). Any other well-formed
# three-letter code is accepted with 2 decimals, so a rare currency never blocks a seller.
_EXPONENTS = {
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0,
}  # fmt: skip
# Active ISO 4217 codes (incl. precious metals and fund codes), so a typo such as "UDS" or
# "RMB" is caught when it is typed, not when a report cannot convert it.
ISO_4217 = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD
    BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD
    EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR
    ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD
    MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR
    PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL
    THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF
    XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL""".split()  # noqa: SIM905 - a word list reads better than 180 quoted codes
)
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₩": "KRW", "₹": "INR", "¥": None, "￥": None}
_SYMBOLS |= {"us$": "USD", "hk$": "HKD", "人民币": "CNY", "rmb": "CNY"}
# A currency written after the amount as a Chinese seller does: 50万元, 3千美元, 48k USD.
_WORDS = {"元": "CNY", "块": "CNY", "人民币": "CNY", "rmb": "CNY", "美元": "USD", "美金": "USD"}
_WORDS |= {"欧元": "EUR", "日元": "JPY", "港元": "HKD", "港币": "HKD", "英镑": "GBP"}
_MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "w": 10_000}
_MULTIPLIERS |= {"百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}
_AMOUNT = re.compile(
    r"^(?P<sym>us\$|hk\$|[$€£₩₹¥￥]|人民币|rmb|[a-z]{3}(?![a-z]))?\s*"
    r"(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<mult>[kmw]|[百千]?[万亿]|[百千])?"
    r"\s*(?P<code>[a-z]{3}|元|块|人民币|美元|美金|欧元|日元|港元|港币|英镑)?$"
)
_FORMS = "50000, 50k, 1,200.50, ¥50万, 5.5万元, 1.2亿, 3千, RMB 50000, US$48,000, 48k USD, 1200 EUR"
# 10^15 minor units (ten trillion dollars) keeps every sum and product inside SQLite's int64.
MAX_MINOR = 10**15
_ROUNDING = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}


@dataclass(frozen=True)
class Money:
    minor: int
    currency: str

    def __str__(self) -> str:
        return f"{to_decimal_string(self.minor, self.currency)} {self.currency}"


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def check_currency(code: str) -> str:
    """Return the upper-cased code, or refuse anything that is not an ISO 4217 code."""
    up = code.strip().upper()
    if up not in ISO_4217:
        from salesflow.i18n import _

        said = (
            _(
                '"{code}" is not a currency code (the renminbi is CNY) — use a three-letter '
                "ISO 4217 code such as CNY, USD, EUR"
            )
            if up in ("RMB", "YUAN")
            else _(
                '"{code}" is not a currency code — use a three-letter ISO 4217 code such as '
                "CNY, USD, EUR"
            )
        )
        raise SalesflowError(said.format(code=code))
    return up


def quantize(amount: Decimal, currency: str, rounding: str = "half-up") -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-exponent(currency)), rounding=_ROUNDING[rounding])


def to_minor(amount: Decimal, currency: str, rounding: str = "half-up") -> int:
    return int(quantize(amount, currency, rounding).scaleb(exponent(currency)))


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def to_decimal_string(minor: int, currency: str) -> str:
    """The machine form: `500000.00`, `1200` for JPY, `1.250` for BHD, `-5.00`.

    The digits of the integer with a point put in, rather than Decimal arithmetic: an export
    formats one amount per row, and this is several times faster for the same text
    (tests/test_money.py checks it against Decimal)."""
    exp = _EXPONENTS.get(currency, 2)
    if not exp:
        return str(minor)
    if minor < 0:
        return "-" + to_decimal_string(-minor, currency)
    digits = str(minor).rjust(exp + 1, "0")
    return f"{digits[:-exp]}.{digits[-exp:]}"


def display(minor: int | None, currency: str | None) -> str:
    """The human form with thousands separators: `500,000.00 CNY`."""
    if minor is None or currency is None:
        return ""
    exp = exponent(currency)
    return f"{to_decimal(minor, currency):,.{exp}f} {currency}"


def parse_money(text: str, default_currency: str) -> Money:
    """Read `50000`, `50k`, `1,200.50`, `¥1200`, `$3.5k`, `12000 JPY`, `3万` as Money, and the
    way a Chinese seller writes amounts: `50万元`, `1.2亿`, `3千`, `人民币5万`, `RMB 50000`,
    `US$48,000`, full-width `５０，０００`.

    `¥` is CNY unless the default currency is JPY, because the same sign serves both; `元`
    is the renminbi. The amount is rounded half-up to the currency's minor unit; negative
    amounts are refused.
    """
    from salesflow.chinese import halfwidth
    from salesflow.i18n import _

    raw = halfwidth(text).strip()
    hint = _("write an amount such as {forms}").format(forms=_FORMS)
    if raw.startswith("-"):
        raise SalesflowError(
            _('value "{text}" is negative — amounts must be zero or more').format(text=text)
        )
    m = _AMOUNT.match(raw.lower())
    if not m:
        raise SalesflowError(_('cannot read amount "{text}" — {hint}').format(text=text, hint=hint))
    currency = default_currency
    named = [c for c in (_prefix(m["sym"], default_currency), _suffix(m["code"])) if c]
    if len(set(named)) > 1:
        raise SalesflowError(
            _('amount "{text}" names two currencies ({first} and {second})').format(
                text=text, first=named[0], second=named[1]
            )
        )
    if named:
        currency = named[0]
    num = m.group("num")
    if "," in num and not re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", num):
        raise SalesflowError(
            _('cannot read amount "{text}" — misplaced thousands separator; {hint}').format(
                text=text, hint=hint
            )
        )
    try:
        amount = Decimal(num.replace(",", "")) * _multiplier(m["mult"] or "")
    except InvalidOperation:
        raise SalesflowError(
            _('cannot read amount "{text}" — {hint}').format(text=text, hint=hint)
        ) from None
    minor = to_minor(amount, currency)
    if minor > MAX_MINOR:
        raise SalesflowError(
            _(
                'amount "{text}" is too large — salesflow keeps amounts below 10^15 minor units'
            ).format(text=text)
        )
    return Money(minor, currency)


def _prefix(sym: str | None, default_currency: str) -> str | None:
    if not sym:
        return None
    if sym in _SYMBOLS:
        return _SYMBOLS[sym] or ("JPY" if default_currency == "JPY" else "CNY")
    return check_currency(sym)


def _suffix(word: str | None) -> str | None:
    if not word:
        return None
    return _WORDS.get(word) or check_currency(word)


def _multiplier(mult: str) -> int:
    # 千万 and 百万 multiply: 2千万 is twenty million.
    factor = 1
    for ch in mult:
        factor *= _MULTIPLIERS[ch]
    return factor

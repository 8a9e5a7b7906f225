"""The digest says which currencies its money figures leave out (no exchange rate), in every
format, instead of showing a pipeline of the base currency's deals as the whole pipeline."""

from __future__ import annotations

import json


def test_digest_names_the_currencies_it_leaves_out(ok) -> None:
    ok("lead", "add", "A", "--value", "100 USD")
    ok("lead", "add", "B", "--value", "5000 CNY")
    ok("lead", "add", "C", "--value", "70 EUR")
    text = ok("digest", "--format", "text").stdout
    # 100 USD is the only amount with a rate (the base): the line says what it leaves out.
    assert "Open pipeline: 100 USD (3 open deals)" in text
    assert "Left out of these money figures: amounts in CNY, EUR (no exchange rate" in text
    record = json.loads(ok("digest", "--format", "json").stdout)
    assert record["headline"]["unconverted"] == ["CNY", "EUR"]
    html = ok("digest", "--format", "html").stdout
    assert "amounts in CNY, EUR" in html
    md = ok("digest", "--format", "md").stdout
    assert "amounts in CNY, EUR" in md
    zh = ok("--lang", "zh_CN", "digest", "--format", "text").stdout
    assert "以上金额未计入以 CNY、EUR 计价的款项" in zh


def test_digest_with_every_rate_known_says_nothing_of_it(ok) -> None:
    ok("lead", "add", "A", "--value", "100 USD")
    ok("lead", "add", "B", "--value", "5000 CNY")
    ok("config", "set", "fx.CNY", "0.14")
    text = ok("digest", "--format", "text").stdout
    # 100 + 5000 × 0.14 = 800 USD
    assert "Open pipeline: 800 USD (2 open deals)" in text
    assert "Left out" not in text
    assert json.loads(ok("digest", "--format", "json").stdout)["headline"]["unconverted"] == []

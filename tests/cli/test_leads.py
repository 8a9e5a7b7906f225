import csv
import io
import json

import pytest

from salesflow import leads


def rows(result) -> list[dict]:
    return json.loads(result.stdout)


def test_add_and_list_as_json(ok, two_leads) -> None:
    data = rows(ok("lead", "list", "--format", "json"))
    assert [r["id"] for r in data] == [1, 2]
    zw = data[0]
    assert zw["name"] == "张伟"
    assert zw["company"] == "深圳某科技有限公司"
    assert zw["value"] == "500000.00" and zw["currency"] == "CNY"
    assert zw["grade"] == "A" and zw["stage"] == "lead" and zw["probability"] == 10
    assert zw["tags"] == "hardware" and zw["notes"] == "needs 50 units"
    assert zw["created_at"] == "2026-11-23T09:00:00Z"
    jane = data[1]
    assert (jane["value"], jane["currency"]) == ("12500.00", "USD")
    required = "id name company email phone source grade stage value currency probability tags "
    required += "created_at updated_at closed_at lost_reason expected_close"
    assert set(required.split()) <= set(zw)


def test_add_says_where_the_database_was_created(run, db_path) -> None:
    result = run("lead", "add", "Ann")
    assert f"Created a new salesflow database at {db_path}" in result.stderr
    assert "Added lead #1 Ann" in result.stderr
    again = run("lead", "add", "Bob")
    assert "Created" not in again.stderr


def test_filters(ok, two_leads) -> None:
    ok("lead", "add", "Carl", "--grade", "A", "--tag", "hardware,vip", "--source", "referral")
    ids = lambda *a: [r["id"] for r in rows(ok("lead", "list", "--format", "json", *a))]  # noqa: E731
    assert ids("--grade", "A") == [1, 3]
    assert ids("--grade", "a", "--source", "referral") == [3]
    assert ids("--tag", "vip") == [3]
    assert ids("--tag", "hardware") == [1, 3]
    assert ids("--search", "acme") == [2]
    assert ids("--search", "深圳") == [1]
    assert ids("--search", "138 0000") == [1]
    assert ids("--sort", "value", "--limit", "1") == [1]
    assert ids("--sort", "name") == [3, 2, 1]
    ok("advance", "2", "lost", "--reason", "price")
    assert ids() == [1, 3]
    assert ids("--closed") == [2]
    assert ids("--all") == [1, 2, 3]
    assert ids("--stage", "lost", "--all") == [2]


def test_csv_is_rfc4180_with_formula_escape(ok) -> None:
    ok("lead", "add", "=cmd|calc", "--company", 'Quote "Co", Ltd', "--phone", "+1 555")
    out = ok("lead", "list", "--format", "csv").stdout
    assert out.startswith("id,name,company,")
    record = next(csv.DictReader(io.StringIO(out)))
    assert record["name"] == "'=cmd|calc"
    assert record["company"] == 'Quote "Co", Ltd'
    assert record["phone"] == "+1 555"  # a phone number is data, not a formula (csvsafe)
    raw = next(csv.DictReader(io.StringIO(ok("lead", "list", "--format", "csv", "--raw").stdout)))
    assert raw["name"] == "=cmd|calc"


def test_record_keys_are_the_documented_order(ok, two_leads) -> None:
    # lead list adds each lead's next step after the lead's own record.
    keys = [*leads.RECORD_KEYS, "next_action", "next_due"]
    assert list(rows(ok("lead", "list", "--format", "json"))[0]) == keys


def test_tsv_keeps_one_record_per_line(ok) -> None:
    ok("lead", "add", "Tab\tName", "--note", "line one\nline two\\end", "--company", "=SUM(1)")
    lines = ok("lead", "list", "--format", "tsv").stdout.split("\n")
    assert len(lines) == 3 and lines[2] == ""
    record = dict(zip(lines[0].split("\t"), lines[1].split("\t"), strict=True))
    assert record["name"] == "Tab\\tName"
    assert record["notes"] == "line one\\nline two\\\\end"
    assert record["company"] == "'=SUM(1)"


def test_sort_by_value_groups_currencies(ok) -> None:
    ok("lead", "add", "Small USD", "--value", "$100")
    ok("lead", "add", "Big BHD", "--value", "1.235 BHD")
    ok("lead", "add", "Big USD", "--value", "$5000")
    ok("lead", "add", "No value")
    names = [r["name"] for r in rows(ok("lead", "list", "--sort", "value", "--format", "json"))]
    assert names == ["Big BHD", "Big USD", "Small USD", "No value"]


def test_tsv_and_ndjson(ok, two_leads) -> None:
    tsv = ok("lead", "list", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["id", "name", "company"]
    assert len(tsv) == 3
    nd = ok("lead", "list", "--format", "ndjson").stdout.splitlines()
    assert [json.loads(line)["name"] for line in nd] == ["张伟", "Jane Roe"]


def test_table_has_no_ansi_when_not_a_terminal(ok, two_leads) -> None:
    out = ok("lead", "list").stdout
    assert "\x1b[" not in out
    assert "深圳某科技有限公司" in out and "500,000.00 CNY" in out


def test_empty_list_says_so(empty_db, ok) -> None:
    assert "No leads match." in ok("lead", "list").stdout
    assert ok("lead", "list", "--format", "json").stdout.strip() == "[]"
    keys = [*leads.RECORD_KEYS, "next_action", "next_due"]
    header = ok("lead", "list", "--format", "csv").stdout
    assert header.strip().split(",") == keys
    assert ok("lead", "list", "--format", "tsv").stdout.strip().split("\t") == keys


def test_show_by_piece_of_company(ok, two_leads) -> None:
    out = ok("lead", "show", "acme").stdout
    assert "#2 Jane Roe" in out and "12,500.00 USD" in out and "Stage history" in out
    card = json.loads(ok("lead", "show", "#1", "--format", "json").stdout)
    assert card["lead"]["name"] == "张伟"
    line = ok("lead", "show", "#1", "--format", "ndjson").stdout
    assert line.count("\n") == 1 and json.loads(line) == card
    assert card["history"] == [
        {
            "from": None,
            "to": "lead",
            "at": "2026-11-23T09:00:00Z",
            "note": "created",
            "reason": None,
        }
    ]


def test_piped_card_is_what_rich_draws(ok, two_leads, monkeypatch) -> None:
    """A piped `lead show` is written without Rich (output/views.py _plain_card), character
    for character what Rich draws; what it cannot measure or would wrap still goes to Rich."""
    from salesflow.output import views

    ok("log", "1", "客户法务审合同中", "--kind", "call", "--next", "回电", "--due", "fri")
    ok("quote", "new", "1", "--item", "Gateway; 2; 980")
    ok("advance", "2", "lost", "--reason", "price")
    ok("lead", "add", "Tab\tName", "--note", "x" * 200)  # #3: a tab, a note wider than 160
    plain = {n: ok("lead", "show", n).stdout for n in ("1", "2", "3")}
    drawn = []
    real = views._plain_card

    def spy(*args, **kw):
        drawn.append(result := real(*args, **kw))
        return result

    monkeypatch.setattr(views, "_plain_card", spy)
    ok("lead", "show", "1")
    ok("lead", "show", "3")
    assert drawn[0] is not None and drawn[1] is None  # #3 goes to Rich
    monkeypatch.setattr(views, "_plain_card", lambda *args, **kw: None)
    for n, text in plain.items():
        assert ok("lead", "show", n).stdout == text, n
    assert "Quotes" in plain["1"] and "客户法务审合同中" in plain["1"]


def test_show_uses_the_configured_time_zone(ok, two_leads) -> None:
    assert "2026-11-23 09:00" in ok("lead", "show", "1").stdout  # TZ=UTC in tests
    ok("config", "set", "timezone", "Asia/Shanghai")
    out = ok("lead", "show", "1").stdout
    assert "2026-11-23 17:00" in out and "09:00" not in out  # UTC+8


def test_show_by_whole_company_name_beats_ambiguity(ok) -> None:
    ok("lead", "add", "A", "--company", "Acme")
    ok("lead", "add", "B", "--company", "Acme Europe")
    card = json.loads(ok("lead", "show", "acme", "--format", "json").stdout)
    assert card["lead"]["name"] == "A"


def test_edit(ok, two_leads) -> None:
    ok("lead", "edit", "1", "--value", "480000", "--bant",
       "budget=yes,authority=unknown,need=yes,timeline=no", "--bant-note", "CFO signs")  # fmt: skip
    lead = json.loads(ok("lead", "show", "1", "--format", "json").stdout)["lead"]
    assert (lead["value"], lead["currency"]) == ("480000.00", "CNY")  # keeps the lead's currency
    assert (lead["bant_budget"], lead["bant_need"], lead["bant_timeline"]) == ("yes", "yes", "no")
    assert lead["bant_note"] == "CFO signs"
    ok("lead", "edit", "jane", "--tag", "a", "--tag", "b", "--expected-close", "2026-12-31",
       "--email", "jane@acme.test", "--grade", "c")  # fmt: skip
    lead = json.loads(ok("lead", "show", "2", "--format", "json").stdout)["lead"]
    assert lead["tags"] == "a,b" and lead["grade"] == "C"
    assert lead["expected_close"] == "2026-12-31" and lead["email"] == "jane@acme.test"


def test_edit_currency_only_reexpresses_the_amount(ok) -> None:
    ok("lead", "add", "Ken", "--value", "1234", "--currency", "JPY")
    ok("lead", "edit", "ken", "--currency", "usd")
    lead = json.loads(ok("lead", "show", "ken", "--format", "json").stdout)["lead"]
    assert (lead["value"], lead["currency"]) == ("1234.00", "USD")


def test_add_in_later_stage_with_expected_close(ok) -> None:
    ok("lead", "add", "Late", "--stage", "qualified", "--expected-close", "2026-12-15")
    lead = rows(ok("lead", "list", "--format", "json"))[0]
    assert lead["stage"] == "qualified" and lead["probability"] == 35
    assert lead["expected_close"] == "2026-12-15"


def test_rm_without_yes_needs_a_terminal(fails, two_leads) -> None:
    fails("lead", "rm", "1", match="pass --yes to confirm (stdin is not a terminal)")


def test_rm_asks_and_undo_brings_it_back(run, ok, two_leads, at_terminal) -> None:
    declined = ok("lead", "rm", "1", input="n\n")
    assert "Nothing deleted." in declined.stderr
    assert len(rows(ok("lead", "list", "--format", "json"))) == 2
    ok("advance", "1")
    ok("lead", "rm", "1", input="y\n")
    assert [r["id"] for r in rows(ok("lead", "list", "--format", "json"))] == [2]
    # A terminal is asked: `lead list` came after the removal.
    assert "not this one — take it back?" in ok("undo", input="y\n").stderr
    card = json.loads(ok("lead", "show", "1", "--format", "json").stdout)
    assert card["lead"]["stage"] == "contacted" and len(card["history"]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lead", "add", "X", "--grade", "D"), 'grade "D" is not A, B or C'),
        (("lead", "add", "X", "--currency", "dollars"), "ISO 4217"),
        (("lead", "add", "X", "--value", "lots"), 'cannot read amount "lots"'),
        (("lead", "add", "X", "--value", "-5"), "negative"),
        (
            ("lead", "add", "X", "--value", "$5", "--currency", "CNY"),
            "in USD but --currency says CNY",
        ),
        (("lead", "add", "X", "--bant", "money=yes"), 'cannot read BANT "money=yes"'),
        (("lead", "add", "X", "--bant", "budget=maybe"), "use yes, no or unknown"),
        (("lead", "add", "X", "--stage", "nowhere"), 'unknown stage "nowhere"'),
        (("lead", "add", "X", "--stage", "won"), "starts in an open stage"),
        (("lead", "add", "X", "--expected-close", "32/13"), "32/13"),
        (("lead", "add", "  "), "needs a name"),
        (("lead", "show", "nobody"), 'no lead matches "nobody"'),
        (("lead", "show", "99"), "no lead #99"),
        (("lead", "edit", "1"), "nothing to change"),
        (("lead", "edit", "1", "--name", ""), "name cannot be empty"),
        (("lead", "list", "--stage", "nowhere"), 'unknown stage "nowhere"'),
        (("lead", "list", "--sort", "mood"), 'cannot sort by "mood"'),
        (("lead", "rm", "99", "--yes"), "no lead #99"),
    ],
)
def test_bad_input(fails, two_leads, args, message) -> None:
    fails(*args, match=message)


def test_ambiguous_reference_lists_candidates(fails, ok, two_leads) -> None:
    ok("lead", "add", "Jane Doe", "--company", "Other")
    result = fails("lead", "show", "jane", match='"jane" matches 2 leads')
    assert "#2 Jane Roe (Acme Ltd)" in result.stderr and "#3 Jane Doe (Other)" in result.stderr


def test_usage_errors_exit_2(fails, two_leads) -> None:
    for args, message in (
        (("lead", "list", "--format", "xml"), "'xml' is not one of"),
        (("lead", "add"), "Missing argument"),
        (("lead", "frobnicate"), "No such command 'frobnicate'"),
        (("lead", "list", "--limit", "0"), "--limit"),
    ):
        result = fails(*args, code=2, match=message)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
        assert "--help" in result.stderr


def test_edit_clears_value_and_expected_close_with_empty_text(ok) -> None:
    ok("lead", "add", "Ann", "--value", "500", "--expected-close", "2026-12-31")
    ok("lead", "edit", "ann", "--value", "", "--expected-close", "")
    lead = json.loads(ok("lead", "show", "ann", "--format", "json").stdout)["lead"]
    assert lead["value"] is None and lead["expected_close"] is None


def test_edit_currency_alone_is_a_change(ok) -> None:
    ok("lead", "add", "Ann", "--currency", "CNY")
    assert "Updated lead #1 Ann" in ok("lead", "edit", "1", "--currency", "CNY").stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lead", "show", "99999999999999999999999"), "no lead #99999999999999999999999"),
        (("lead", "add", "X", "--value", "99999999999999999999"), "too large"),
        (("customer", "edit", "9" * 30, "--segment", "key"), "larger than any record"),
        (("followup", "done", "9" * 30), "larger than any record"),
        (("followup", "snooze", "9" * 30, "+1d"), "larger than any record"),
        (("--db", "", "lead", "list"), "the database path is empty"),
        (("--db", "/tmp/no-such-folder-salesflow/", "lead", "list"), "names a folder"),
        (("--db", "/dev/null", "lead", "list"), "is not a regular file"),
        (("--db", "~no_such_user_salesflow/x.db", "lead", "list"), "cannot use the database path"),
    ],
)
def test_odd_numbers_and_paths(fails, two_leads, args, message) -> None:
    fails(*args, match=message)


def test_sort_by_value_converts_to_the_base_currency(ok) -> None:
    ok("config", "set", "currency", "CNY")
    ok("config", "set", "fx.USD", "7.10")
    ok("config", "set", "fx.EUR", "7.80")
    ok("lead", "add", "A", "--value", "60000", "--currency", "CNY")  # 60 000.00
    ok("lead", "add", "B", "--value", "9000", "--currency", "USD")  # 9 000 × 7.10 = 63 900.00
    ok("lead", "add", "C", "--value", "8000", "--currency", "EUR")  # 8 000 × 7.80 = 62 400.00
    ok("lead", "add", "D", "--value", "1000000", "--currency", "JPY")  # no rate
    ok("lead", "add", "E", "--value", "100", "--currency", "GBP")  # no rate
    ok("lead", "add", "F", "--value", "200", "--currency", "GBP")  # no rate
    ok("lead", "add", "G")  # no value
    ok("lead", "add", "H", "--value", "7100", "--currency", "CNY")  # 7 100.00
    ok("lead", "add", "I", "--value", "1000", "--currency", "USD")  # 1 000 × 7.10 = 7 100.00
    listed = lambda *a: [  # noqa: E731
        r["name"] for r in rows(ok("lead", "list", "--sort", "value", "--format", "json", *a))
    ]
    # Converted largest first (a tie by number), then the unrated by currency and value,
    # then no value; the old order put CNY first and USD last.
    assert listed() == ["B", "C", "A", "H", "I", "F", "E", "D", "G"]
    assert listed("--limit", "3") == ["B", "C", "A"]
    note = (
        "Sorted by value in CNY; leads in GBP, JPY (no exchange rate) come after, by currency "
        "— salesflow config set fx.GBP RATE"
    )
    table = ok("lead", "list", "--sort", "value", "--width", "120").stdout
    assert table.rstrip().splitlines()[-1] == note  # one line, after the table
    assert "exchange rate" not in ok("lead", "list", "--sort", "value", "--limit", "5").stdout
    assert "exchange rate" not in ok("lead", "list", "--sort", "value", "--format", "csv").stdout
    zh = ok("--lang", "zh_CN", "lead", "list", "--sort", "value").stdout
    assert "GBP、JPY 的线索（没有汇率）排在后面" in zh

"""Duplicates: `lead dupes` finds them, `lead merge` makes one lead of two, `lead add` warns."""

from __future__ import annotations

import json

import pytest

from salesflow import dupes
from tests.conftest import dump


def pairs(ok, *args: str) -> list[tuple[int, int, str]]:
    rows = json.loads(ok("lead", "dupes", "--format", "json", *args).stdout)
    return [(r["keep"], r["other"], r["reason"]) for r in rows]


def lead(ok, ref: str) -> dict:
    return json.loads(ok("lead", "show", ref, "--format", "json").stdout)


def test_normalising_names_and_companies() -> None:
    assert dupes.company_key("深圳某科技有限公司") == dupes.company_key("深圳某科技")
    assert dupes.company_key("ＡＣＭＥ  Ltd.") == dupes.company_key("acme") == "acme"
    assert dupes.company_key("Acme Co., Ltd.") == "acme"
    assert dupes.company_key("北京恒源股份有限公司") == "北京恒源"
    assert dupes.phone_key("+86 138-0000 0000") == dupes.phone_key("+86 13800000000")
    assert dupes.phone_key("１３８ ０００") == ""  # too short to mean anything
    assert dupes.plain("  Jane   ROE ") == "jane roe"


def test_dupes_lists_pairs_with_their_reasons(ok, fails) -> None:
    ok("lead", "add", "张伟", "--company", "深圳某科技有限公司", "--email", "zw@example.cn")  # 1
    ok("lead", "add", "Jane Roe", "--company", "Acme Ltd", "--phone", "+1 555 0100")  # 2
    ok("lead", "add", "张 伟", "--company", "深圳某科技", "--force")  # 3: same name + company
    ok("lead", "add", "Someone", "--email", "ZW@Example.cn", "--force")  # 4: same email
    ok("lead", "add", "J. Roe", "--phone", "+1-555-0100", "--force")  # 5: same phone
    ok("lead", "add", "Jane Rowe", "--company", "ACME Inc.")  # 6: fuzzy only
    assert pairs(ok) == [
        (1, 3, "same name and company"),
        (1, 4, "same email"),
        (2, 5, "same phone"),
    ]
    assert (2, 6, "similar name, same company") in pairs(ok, "--fuzzy")
    out = ok("lead", "dupes").stdout
    assert "#1 张伟 (深圳某科技有限公司)" in out and "same email" in out
    csv_head = ok("lead", "dupes", "--format", "csv").stdout.splitlines()[0]
    assert csv_head == ",".join(dupes.RECORD_KEYS)


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("李娜", "李 娜"),
        ("李 娜", "李娜"),
        ("李娜", "李　娜"),  # a full-width space from a Chinese input method
        ("Jane Roe", "jane  ROE"),
        ("Jane Roe", "JaneRoe"),
        ("Ｊａｎｅ Roe", "jane roe"),  # stored full-width
        ("jane roe", "Ｊａｎｅ Roe"),
    ],
)
def test_add_and_dupes_read_names_alike(ok, fails, db_path, first, again) -> None:
    """What `lead dupes` pairs, `lead add` refuses: one name key for both."""
    ok("lead", "add", first, "--company", "杭州某贸易有限公司")
    fails("lead", "add", again, "--company", "杭州某贸易", match="#1 ")
    ok("lead", "add", again, "--company", "杭州某贸易", "--force")
    assert pairs(ok) == [(1, 2, "same name and company")]


def test_no_dupes(ok, two_leads) -> None:
    assert "No likely duplicates." in ok("lead", "dupes").stdout


def test_add_warns_about_an_existing_lead(ok, fails, two_leads, db_path) -> None:
    fails("lead", "add", "张伟", "--company", "深圳某科技", match="#1 张伟 (深圳某科技有限公司)")
    result = fails("lead", "add", "Li", "--email", "ZW@example.cn", match="same email")
    assert "--force" in result.stderr
    fails("lead", "add", "Li", "--phone", "+86 (138) 0000-0000", match="same phone")
    before = dump(db_path)
    added = ok("lead", "add", "张伟", "--company", "深圳某科技", "--force")
    assert "Added lead #3" in added.stderr
    assert dump(db_path) != before
    ok("lead", "add", "张伟", "--company", "Another Co")  # another company: not a duplicate


def test_merge_moves_everything_and_reports_count_one_deal(ok, fails, db_path) -> None:
    ok("lead", "add", "张伟", "--company", "深圳某科技有限公司", "--value", "500k",
       "--currency", "CNY", "--tag", "hardware")  # fmt: skip  # 1
    ok("log", "1", "first call")
    ok("lead", "add", "张伟", "--company", "深圳某科技", "--email", "zw@example.cn",
       "--phone", "+86 138 0000 0000", "--tag", "vip", "--note", "prefers WeChat",
       "--force")  # fmt: skip  # 2
    ok("log", "2", "sent the deck")
    ok("followup", "add", "2", "call back", "--due", "fri")
    ok("quote", "new", "2", "--item", "Gateway; 2; 980")
    ok("advance", "2", "proposal")
    funnel = json.loads(ok("report", "funnel", "--format", "json").stdout)
    assert funnel[0]["reached"] == 2  # two deals before the merge
    before = dump(db_path)
    said = ok("lead", "merge", "1", "2", "--yes").stderr
    assert "Merged lead #2 张伟 (深圳某科技) into #1 张伟 (深圳某科技有限公司)" in said
    merged = lead(ok, "1")
    facts = merged["lead"]
    assert facts["email"] == "zw@example.cn" and facts["phone"] == "+86 138 0000 0000"
    assert facts["tags"] == "hardware,vip" and facts["notes"] == "prefers WeChat"
    assert facts["stage"] == "lead"  # KEEP's stage unless --stage-from other
    assert facts["value"] == "500000.00"
    history = merged["history"]
    assert history[-1]["note"] == "merged lead #2 张伟" and history[-1]["to"] == "lead"
    assert {a["note"] for a in merged["activities"]} >= {"first call", "sent the deck"}
    assert [q["number"] for q in merged["quotes"]] == ["Q-2026-0001"]
    fails("lead", "show", "2", match="no lead #2")
    leads = json.loads(ok("lead", "list", "--all", "--format", "json").stdout)
    assert [r["id"] for r in leads] == [1]
    funnel = json.loads(ok("report", "funnel", "--format", "json").stdout)
    assert funnel[0]["reached"] == 1  # one deal, not two
    ok("db", "check")
    ok("undo")
    assert dump(db_path) == before


def test_merge_can_take_the_other_stage(ok, two_leads) -> None:
    ok("advance", "2", "quote")
    ok("lead", "merge", "1", "2", "--stage-from", "other", "--yes")
    assert lead(ok, "1")["lead"]["stage"] == "quote"
    ok("db", "check")


def test_merge_asks_first_and_needs_yes_without_a_terminal(ok, fails, two_leads) -> None:
    fails(
        "lead", "merge", "1", "2",
        match="Error: Merge lead #2 Jane Roe (Acme Ltd) into #1 张伟 (深圳某科技有限公司) and "
        "delete #2 Jane Roe (Acme Ltd); not kept from #2: its value 12,500.00 USD: pass --yes "
        "to confirm (stdin is not a terminal)",
    )  # fmt: skip
    fails("--lang", "zh_CN", "lead", "merge", "1", "2", match="请加 --yes 确认")
    assert [r["id"] for r in json.loads(ok("lead", "list", "--format", "json").stdout)] == [1, 2]


def test_merge_at_a_terminal_merges_only_on_yes(ok, db_path, two_leads, at_terminal) -> None:
    before = dump(db_path)
    declined = ok("lead", "merge", "1", "2", input="n\n")
    assert "[y/N]" in declined.stderr and "Nothing merged." in declined.stderr
    assert dump(db_path) == before
    assert "未合并任何内容" in ok("--lang", "zh_CN", "lead", "merge", "1", "2", input="\n").stderr
    assert dump(db_path) == before
    merged = ok("lead", "merge", "1", "2", input="y\n")
    assert "Merged lead #2" in merged.stderr
    assert [r["id"] for r in json.loads(ok("lead", "list", "--format", "json").stdout)] == [1]


def test_merge_bad_input(ok, fails, two_leads) -> None:
    fails(
        "lead",
        "merge",
        "1",
        "1",
        match="cannot merge lead #1 张伟 (深圳某科技有限公司) with itself",
    )
    fails("lead", "merge", "1", "#1", match="with itself")
    fails("lead", "merge", "1", "9", match="no lead #9")
    fails("lead", "merge", "1", "2", "--stage-from", "neither", code=2)


def test_repeat_purchases_and_closed_pairs_are_not_duplicates(ok, monkeypatch) -> None:
    ok("lead", "add", "Ann", "--email", "ann@example.com")  # 1
    ok("advance", "1", "won")
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-24T09:00:00Z")
    ok("lead", "add", "Ann", "--email", "ann@example.com", "--force")  # 2: buys again
    ok("lead", "add", "Bo", "--email", "bo@example.com")  # 3
    ok("lead", "add", "Bo", "--email", "bo@example.com", "--force")  # 4
    ok("advance", "3", "lost", "--reason", "price")
    ok("advance", "4", "lost", "--reason", "price")  # both closed: history
    assert pairs(ok) == []
    ok("lead", "add", "Bo", "--email", "bo@example.com", "--force")  # 5: open, like lost 3 and 4
    assert pairs(ok) == [(3, 5, "same email"), (4, 5, "same email")]

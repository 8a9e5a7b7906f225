"""Chinese input end to end (issue 13): amounts, dates, periods, grades and activity kinds as
a Chinese seller types them, stored as the values worked out by hand; unreadable input is one
line, exit 1, nothing changed. The clock is Mon 2026-11-23 09:00 UTC (tests/conftest.py)."""

from __future__ import annotations

import json

import pytest


def data(result) -> list[dict] | dict:
    return json.loads(result.stdout)


def card(ok, ref: str) -> dict:
    return data(ok("lead", "show", ref, "--format", "json"))


@pytest.mark.parametrize(
    ("typed", "value", "currency"),
    [
        ("50万", "500000.00", "CNY"),
        ("50万元", "500000.00", "CNY"),
        ("5.5万", "55000.00", "CNY"),
        ("1.2亿", "120000000.00", "CNY"),
        ("¥50万", "500000.00", "CNY"),
        ("50,000元", "50000.00", "CNY"),
        ("RMB 50000", "50000.00", "CNY"),
        ("人民币5万", "50000.00", "CNY"),
        ("US$48,000", "48000.00", "USD"),
        ("48k USD", "48000.00", "USD"),
        ("3千", "3000.00", "CNY"),
        ("５０，０００", "50000.00", "CNY"),
    ],
)
def test_lead_values_in_chinese(ok, typed: str, value: str, currency: str) -> None:
    ok("config", "set", "currency", "CNY")
    ok("lead", "add", "张伟", "--value", typed)
    lead = card(ok, "1")["lead"]
    assert (lead["value"], lead["currency"]) == (value, currency)


def test_an_unreadable_amount_lists_the_forms(ok, fails) -> None:
    ok("lead", "add", "张伟")
    result = fails("lead", "edit", "1", "--value", "五万", match='cannot read amount "五万"')
    assert "¥50万" in result.stderr and "US$48,000" in result.stderr
    fails("lead", "edit", "1", "--value", "¥5 USD", match="two currencies")


def test_follow_ups_due_in_chinese(ok) -> None:
    ok("lead", "add", "张伟")
    for text in ("下周五", "本周五", "3天后", "两周后", "月底", "下月15号", "明天下午3点"):
        ok("followup", "add", "1", text, "--due", text)
    got = [(f["action"], f["due"]) for f in card(ok, "1")["followups"]]
    assert sorted(got) == sorted([
        ("下周五", "2026-12-04"),  # Friday of the week after Mon 11-23's
        ("本周五", "2026-11-27"),
        ("3天后", "2026-11-26"),
        ("两周后", "2026-12-07"),
        ("月底", "2026-11-30"),
        ("下月15号", "2026-12-15"),
        ("明天下午3点", "2026-11-24 15:00"),
    ])  # fmt: skip


def test_bad_chinese_dates_change_nothing(ok, fails) -> None:
    ok("lead", "add", "张伟")
    fails("followup", "add", "1", "x", "--due", "下周八", match='cannot read date "下周八"')
    fails("followup", "add", "1", "x", "--due", "明天下午25点", match="no valid time of day")
    fails("followup", "add", "1", "x", "--due", "本月31号", match="2026-11 has 30 days")
    fails("lead", "edit", "1", "--expected-close", "15日", match='cannot read date "15日"')


def test_a_quote_valid_for_15_days(ok) -> None:
    ok("lead", "add", "张伟", "--currency", "CNY")
    ok("quote", "new", "1", "--item", "控制柜; 1; 5万", "--valid", "15天")
    quote = data(ok("quote", "show", "Q-2026-0001", "--format", "json"))
    assert quote["valid_until"] == "2026-12-08"  # 11-23 + 15 days
    assert quote["items"][0]["unit_price"] == "50000.00"


def test_check_in_every_three_months(ok, fails) -> None:
    ok("lead", "add", "张伟", "--company", "深圳某科技")
    ok("advance", "1", "won")
    ok("customer", "edit", "1", "--checkin", "每3个月")
    customer = data(ok("customer", "show", "1", "--format", "json"))
    assert customer["customer"]["checkin_every"] == "every-3m"
    fails("customer", "edit", "1", "--checkin", "每3小时", match="too short")


def test_grades_and_activity_kinds_in_chinese(ok, fails) -> None:
    ok("lead", "add", "张伟", "--grade", "A类")
    ok("lead", "add", "李娜", "--grade", "Ｂ级")
    assert [(r["name"], r["grade"]) for r in data(ok("lead", "list", "--format", "json"))] == [
        ("张伟", "A"), ("李娜", "B"),
    ]  # fmt: skip
    assert [r["name"] for r in data(ok("lead", "list", "--grade", "A类", "--format", "json"))] == [
        "张伟"
    ]
    for kind in ("电话", "邮件", "会议", "拜访", "备注"):
        ok("log", "1", f"{kind}了", "--kind", kind)
    kinds = [a["kind"] for a in card(ok, "1")["activities"]]
    assert sorted(kinds) == ["call", "email", "meeting", "note", "visit"]
    # 微信 is wechat, a kind only once configured
    fails("log", "1", "x", "--kind", "微信", match='unknown activity kind "微信"')
    fails("lead", "edit", "1", "--grade", "D类", match='grade "D类" is not A, B or C')
    ok("config", "set", "activity_kinds", "call,email,meeting,visit,note,wechat")
    ok("log", "1", "加了微信", "--kind", "微信")
    assert card(ok, "1")["activities"][0]["kind"] == "wechat"


def test_import_activities_under_their_chinese_names(ok, fails, tmp_path) -> None:
    ok("lead", "add", "张伟")
    path = tmp_path / "a.csv"
    path.write_text("lead_id,类型,时间,内容\n1,微信,2026-11-20 10:00,发了报价\n", encoding="utf-8")
    fails("import", "activities", str(path), match='"微信" is not an activity kind')
    ok("config", "set", "activity_kinds", "call,email,wechat,note")
    assert "Imported 1 activit" in ok("import", "activities", str(path)).stderr
    assert [(a["kind"], a["note"]) for a in card(ok, "1")["activities"]] == [("wechat", "发了报价")]


def test_day_month_year_with_dots(ok, fails) -> None:
    ok("lead", "add", "张伟")
    fails("lead", "edit", "1", "--expected-close", "25.03.2027", match="ambiguous")
    ok("config", "set", "date_order", "DMY")
    ok("lead", "edit", "1", "--expected-close", "25.03.2027")
    assert card(ok, "1")["lead"]["expected_close"] == "2027-03-25"


def test_log_help_lists_the_configured_kinds(ok) -> None:
    def kinds_help() -> str:
        text = " ".join(ok("log", "--help").stdout.split())
        return text.split("The kind of touch: ")[1].split(" (more:")[0]

    assert kinds_help() == "call (电话), email (邮件), meeting (会议), visit (拜访), note (备注)"
    ok("config", "set", "activity_kinds", "call,email,wechat,demo,note")
    assert kinds_help() == "call (电话), email (邮件), wechat (微信), demo, note (备注)"


def test_input_errors_in_chinese(ok, fails) -> None:
    zh = ("--lang", "zh_CN")
    ok("lead", "add", "张伟")

    def said(result) -> str:
        return result.stderr.strip()

    assert said(fails(*zh, "lead", "edit", "1", "--value", "五万")).startswith(
        "错误：无法识别金额“五万”——金额可写作 50000, 50k"
    )
    assert said(fails(*zh, "lead", "edit", "1", "--value", "-5")) == (
        "错误：金额“-5”为负数——金额必须为零或更多"
    )
    assert said(fails(*zh, "followup", "add", "1", "x", "--due", "本月31号")) == (
        "错误：“本月31号”不是真实的日期——2026-11 只有 30 天"
    )
    assert said(fails(*zh, "followup", "add", "1", "x", "--due", "01/02")) == (
        "错误：“01/02”有歧义——请写成 YYYY-MM-DD（例如 2026-12-01），或运行："
        "salesflow config set date_order DMY (or MDY / YMD)"
    )
    assert said(fails(*zh, "stages", "set", "线索:10", "成交:100", "--won", "成交")) == (
        "错误：“成交”是始终存在的成交阶段——只列出进行中的阶段（用 --won 为成交阶段命名）"
    )
    warned = said(ok(*zh, "stages", "set", "线索:10", "丢单:0", "--map", "lead=线索"))
    assert warned.startswith(
        "警告：“丢单”（0%）是进行中的阶段，但看起来像丢单——"
        "要命名丢单阶段，请去掉它并加上 --lost 丢单"
    )

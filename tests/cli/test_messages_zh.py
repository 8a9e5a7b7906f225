"""What salesflow says outside its tables, in Chinese with --lang zh_CN and unchanged in
English: confirmations on stderr, and errors as one `错误：…` line with the English exit code,
no traceback and the database unchanged (the `fails` fixture checks those)."""

from __future__ import annotations

from pathlib import Path

import pytest

ZH = ("--lang", "zh_CN")


def said(result) -> str:
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture
def lead(ok) -> None:
    ok("lead", "add", "张伟", "--company", "深圳某科技", "--value", "50000", "--currency", "CNY")


# leads


def test_lead_add_confirmation(ok):
    zh = ok(*ZH, "lead", "add", "张伟", "--company", "深圳某科技")
    assert said(zh) == "已添加线索 #1 张伟 (深圳某科技) — 阶段 lead"
    en = ok("lead", "add", "Jane Roe", "--company", "Acme")
    assert said(en) == "Added lead #2 Jane Roe (Acme) in stage lead"


def test_lead_errors(fails, lead):
    assert said(fails(*ZH, "lead", "add", "张伟", "--company", "深圳某科技")) == (
        "错误：该线索可能已存在：#1 张伟 (深圳某科技)（姓名和公司相同）——"
        "请查看 salesflow lead show 1，或加 --force 仍然添加"
    )
    assert said(fails("lead", "add", "张伟", "--company", "深圳某科技")) == (
        "Error: this lead may exist already: #1 张伟 (深圳某科技) (same name and company) — "
        "see salesflow lead show 1, or add it anyway with --force"
    )
    assert said(fails(*ZH, "lead", "add", "Jane", "--grade", "D")) == (
        "错误：等级“D”不是 A、B 或 C——A：近期需求明确，B：有潜在需求，C：长期培育"
    )
    assert said(fails(*ZH, "lead", "show", "nobody")) == (
        '错误：没有与“nobody”匹配的线索——试试 salesflow lead list --all --search "nobody"'
    )
    assert said(fails(*ZH, "advance", "1", "lost")) == (
        '错误：丢单需要原因——salesflow advance 1 lost --reason "价格太高"'
    )
    assert said(fails("advance", "1", "lost")) == (
        'Error: losing a deal needs a reason — salesflow advance 1 lost --reason "price too high"'
    )


def test_merge_with_itself(fails, lead):
    assert said(fails(*ZH, "lead", "merge", "1", "1")) == (
        "错误：不能将线索 #1 张伟 (深圳某科技) 与自身合并——请指定两条线索"
    )


# activities and follow-ups


def test_log_and_followups(ok, fails, lead):
    zh = ok(*ZH, "log", "1", "打电话", "--kind", "call", "--next", "发方案", "--due", "fri")
    assert zh.stderr.splitlines()[0] == (
        "已为 #1 张伟 (深圳某科技) 记录活动 电话，时间 2026-11-23 09:00"
    )
    assert said(ok(*ZH, "followup", "done", "1")) == '已完成：#1 张伟 的跟进 #1 "发方案"'
    assert said(fails(*ZH, "followup", "done", "1")) == (
        '错误：跟进 #1 "发方案" 已于 2026-11-23 09:00 完成——请查看 salesflow followup list'
    )
    assert said(fails("followup", "done", "1")) == (
        'Error: follow-up #1 "发方案" was already done on 2026-11-23 09:00 — '
        "see salesflow followup list"
    )
    en = ok("log", "1", "email sent", "--kind", "email")
    assert said(en) == "Logged email on #1 张伟 (深圳某科技) at Mon 2026-11-23 09:00"


# quotes


def test_quote_confirmations_and_errors(ok, fails, lead):
    zh = ok(*ZH, "quote", "new", "1", "--item", "网关; 2; 980")
    assert said(zh) == (
        "已为 #1 张伟 (深圳某科技) 创建报价单草稿 Q-2026-0001："
        "1 项明细，合计 1,960.00 CNY，有效期至 2026-12-23"
    )
    assert said(fails(*ZH, "quote", "new", "1", "--item", "网关; 2")) == (
        '错误：无法识别明细“网关; 2”——请写成 "描述; 数量; 单价"'
        '（可选 "; 单位"，如 台 或 pcs，以及 "; 折扣"，如 10% 或 200）'
    )
    sent = ok(*ZH, "quote", "send", "Q-2026-0001").stderr.splitlines()
    assert sent[:2] == [
        "已发送 Q-2026-0001：合计 1,960.00 CNY，有效期至 2026-12-23",
        "线索 #1 阶段变更：lead → quote",
    ]
    assert said(fails(*ZH, "quote", "add-item", "Q-2026-0001", "x; 1; 2")) == (
        "错误：Q-2026-0001 的状态是 sent——只有草稿可以修改；"
        "新建版本：salesflow quote copy Q-2026-0001"
    )
    assert said(fails("quote", "add-item", "Q-2026-0001", "x; 1; 2")) == (
        "Error: Q-2026-0001 is sent — only drafts can be changed; "
        "make a new version with: salesflow quote copy Q-2026-0001"
    )
    assert said(ok(*ZH, "quote", "reject", "Q-2026-0001", "--reason", "预算削减")) == (
        "已拒绝 Q-2026-0001（预算削减）"
    )


# import and export


def test_import_said_in_chinese(ok, fails, tmp_path: Path):
    sheet = tmp_path / "名单.csv"
    sheet.write_text("name,company\n李娜,某公司\n王芳,\n", encoding="utf-8")
    assert said(ok(*ZH, "import", "leads", str(sheet))) == (
        "已导入 2 条线索——salesflow undo 可撤销整个导入"
    )
    assert said(fails(*ZH, "import", "leads", str(tmp_path / "无.csv"))) == (
        f"错误：没有文件 {tmp_path / '无.csv'}——请检查路径"
    )
    other = tmp_path / "more.csv"
    other.write_text("name\nAda\n", encoding="utf-8")
    assert said(ok("import", "leads", str(other))) == (
        "Imported 1 lead — salesflow undo takes the whole import back"
    )


def test_import_email_needs_my_addresses(fails, empty_db, tmp_path: Path):
    mail = tmp_path / "m.eml"
    mail.write_text("From: a@b.com\nTo: me@x.com\nSubject: hi\n\nhello\n")
    assert said(fails(*ZH, "import", "email", str(mail))) == (
        "错误：salesflow 需要知道您自己的邮箱地址，才能区分发出和收到的邮件——"
        "salesflow config set me.emails you@example.com,you@gmail.com"
    )


# customers, targets, settings and stages


def test_customer_target_config_stage_errors(ok, fails, lead):
    ok("advance", "1", "won")
    assert said(fails(*ZH, "customer", "edit", "1", "--segment", "vip")) == (
        "错误：客户分类“vip”——请使用 key 或 大客户、smb 或 中小企业、individual 或 个人"
    )
    assert said(fails(*ZH, "target", "set", "2026-13", "100k")) == (
        "错误：期间“2026-13”：月份为 01–12——请写成月份（2026-12）、季度（2026-Q4）或年份（2026）"
    )
    assert said(ok(*ZH, "target", "set", "2026-12", "100k")) == "2026-12 目标：100,000.00 USD"
    assert said(fails(*ZH, "stages", "set", "lead:10", "won:100")) == (
        "错误：“won”是始终存在的成交阶段——只列出进行中的阶段（用 --won 为成交阶段命名）"
    )
    assert said(fails(*ZH, "config", "get", "seller.bank")) == (
        "错误：设置“seller.bank”尚未设定——请查看 salesflow config list"
    )
    assert said(fails("config", "get", "seller.bank")) == (
        'Error: setting "seller.bank" is not set — see salesflow config list'
    )


# undo, the database file, backups


def test_undo_and_backup(ok, fails, lead, db_path: Path):
    undone = ok(*ZH, "undo").stderr.splitlines()
    # The row count is the journal's (the lead, its first stage, derived rows): not this test's.
    assert undone[-1].startswith(
        "已撤销：salesflow lead add '张伟' --company '深圳某科技' --value 50000 --currency CNY"
        "（2026-11-23 09:00，"
    )
    assert undone[-1].endswith(" 行）——salesflow redo 可重新执行")
    assert undone[0] == (
        "撤销：salesflow lead add '张伟' --company '深圳某科技' --value 50000 --currency CNY"
        "（2026-11-23 09:00；2 行：线索 1、阶段变更 1）"
    )
    assert said(ok(*ZH, "undo")) == "没有可撤销的操作。"
    assert said(fails(*ZH, "db", "backup", str(db_path))) == (
        f"错误：{db_path} 已存在——请换一个备份文件名"
    )


# replica, search, reminders


def test_replica_search_remind(ok, fails, lead):
    assert said(fails(*ZH, "replica", "set", "bogus://x")) == (
        "错误：“bogus://x”不是 salesflow 认识的副本 URL——"
        "请使用 file:///folder、sftp://user@host/folder 或 s3://bucket/folder"
    )
    assert said(fails(*ZH, "search", "")) == "错误：请给出要搜索的词，例如 salesflow search 合同"
    assert ok(*ZH, "search", "合同").stdout.strip() == "没有与“合同”匹配的内容。"
    assert ok("search", "合同").stdout.strip() == 'Nothing matches "合同".'
    assert said(fails(*ZH, "remind", "--within", "9d")) == (
        '错误：--within "9d"——请使用不超过 7 天的分钟或小时数：15m、1h'
    )


def test_import_row_problems_in_chinese(fails, empty_db, tmp_path: Path):
    sheet = tmp_path / "名单.csv"
    sheet.write_text(
        "name,company,grade\n李娜,某公司,A\n李娜,某公司,B\n王芳,,D\n", encoding="utf-8"
    )
    zh = fails(*ZH, "import", "leads", str(sheet))
    assert zh.stdout.splitlines()[-2:] == [
        "第 4 行，grade：“D”不是等级——请使用 A、B 或 C",
        "第 3 行：已跳过：姓名和公司与 第 2 行 相同",
    ]
    assert said(zh) == (
        "错误：1 行有错误，因此未导入任何内容"
        "（第一个：第 4 行，grade：“D”不是等级——请使用 A、B 或 C）"
        "——请修正文件，或加 --skip-errors 导入其余行"
    )
    en = fails("import", "leads", str(sheet))
    assert en.stdout.splitlines()[-2:] == [
        'row 4, grade: "D" is not a grade — use A, B or C',
        "row 3: skipped: same name and company as row 2",
    ]


# found by the new-user trial: a quote's status and the verb in its hint, a breakdown's title


def test_quote_already_decided_names_status_and_verb_in_chinese(ok, fails, lead):
    ok("quote", "new", "1", "--item", "网关; 2; 980")
    ok("quote", "send", "Q-2026-0001")
    ok("quote", "accept", "Q-2026-0001")
    zh = said(fails(*ZH, "quote", "reject", "Q-2026-0001", "--reason", "x"))
    assert zh.startswith("错误：Q-2026-0001 已是 已接受——如需拒绝新报价，请新建版本")
    en = said(fails("quote", "reject", "Q-2026-0001", "--reason", "x"))
    assert en.startswith("Error: Q-2026-0001 is already accepted — to reject a new offer")


def test_breakdown_title_names_the_group_as_its_column(ok, lead):
    shown = ok(*ZH, "report", "breakdown", "--by", "source").stdout
    assert shown.splitlines()[0].startswith("按来源 · ")
    assert ok("report", "breakdown", "--by", "source").stdout.startswith("Per Source · ")

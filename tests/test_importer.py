import sqlite3
from datetime import UTC
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesflow import dates, importer, leads, money, sheets, store
from salesflow.cli import hints
from salesflow.errors import SalesflowError
from salesflow.importer import values

NOW = "2026-11-23T09:00:00Z"
CLOCK = importer.Clock(dates.from_utc_iso(NOW), UTC)


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, write=True):
        leads.insert(
            conn,
            [
                leads.NewLead("张伟", "lead", "CNY", NOW, NOW, company="深圳某科技有限公司",
                              email="zw@example.cn", phone="+86 138 0000 0000", tags="hw",
                              notes="met at the fair"),
                leads.NewLead("Jane Roe", "contacted", "USD", NOW, NOW, company="Acme Ltd"),
            ],
        )  # fmt: skip
    return conn


def sheet(text: str, name: str = "x.csv") -> sheets.Sheet:
    return sheets.read(text.encode(), name)


def plan(conn, text: str, **options) -> importer.Plan:
    opts = importer.LeadOptions(currency=options.pop("currency", "USD"), clock=CLOCK, **options)
    return importer.plan_leads(conn, sheet(text), opts)


def errors(p: importer.Plan) -> list[str]:
    return [str(e) for e in p.errors]


def only(p: importer.Plan) -> leads.NewLead:
    assert not p.errors, errors(p)
    assert len(p.new) == 1
    return p.new[0]


# ---- columns -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("联系人", "name"), ("Contact Name", "name"), ("姓名", "name"), ("公司", "company"),
        ("客户名称", "company"), ("*客户名称（必填）", "company"), ("电话", "phone"),
        ("联系方式", "phone"), ("E-mail", "email"), ("邮箱", "email"), ("线索来源", "source"),
        ("来源", "source"), ("分级", "grade"), ("金额", "value"), ("预算", "value"),
        ("阶段", "stage"), ("备注", "notes"), ("跟进记录", "notes"),
        ("expected_close", "expected_close"), ("Expected Close", "expected_close"),
        ("bant_budget", "bant_budget"), ("created_at", "created_at"),
    ],
)  # fmt: skip
def test_known_headers_map_by_themselves(header: str, field: str) -> None:
    cols = importer.map_columns([header], importer.LEAD_FIELDS, importer.LEAD_IGNORED, {}, "x")
    assert cols.index == {field: 0}


def test_map_overrides_drops_and_refuses() -> None:
    header = ["客户", "联系人", "职位", "id", "Spalte"]
    fields, ignored = importer.LEAD_FIELDS, importer.LEAD_IGNORED
    cols = importer.map_columns(header, fields, ignored, {}, "x")
    assert cols.index == {"company": 0, "name": 1}
    assert cols.extra == [(2, "职位"), (4, "Spalte")]  # kept in notes
    assert cols.ignored == ["id"]
    mapped = importer.parse_map(["联系人=-，职位=name", "spalte=notes"])
    assert mapped == {"联系人": "-", "职位": "name", "spalte": "notes"}
    cols = importer.map_columns(header, fields, ignored, mapped, "x")
    assert cols.index == {"company": 0, "name": 2, "notes": 4}
    assert cols.ignored == ["联系人", "id"] and cols.extra == []
    with pytest.raises(SalesflowError, match='"职务", which x does not have — its columns are'):
        importer.map_columns(header, fields, ignored, {"职务": "name"}, "x")
    with pytest.raises(SalesflowError, match='"boss" is not a field — use one of: name, company'):
        importer.map_columns(header, fields, ignored, {"职位": "boss"}, "x")
    with pytest.raises(SalesflowError, match='"联系人" and "职位" both mean name'):
        importer.map_columns(header, fields, ignored, {"职位": "name"}, "x")
    with pytest.raises(SalesflowError, match='cannot read the column mapping "公司"') as e:
        importer.parse_map(["公司"])
    assert hints.say(e.value).startswith('cannot read --map "公司" — write HEADER=FIELD pairs')


def test_a_file_without_a_name_column_is_refused(conn) -> None:
    with pytest.raises(SalesflowError, match=r"no column for the contact's name .* 公司, 电话"):
        plan(conn, "公司,电话\nAcme,123\n")


def test_unknown_columns_are_kept_in_the_notes(conn) -> None:
    p = plan(conn, "name,notes,职位,Region\nAnn,likes tea,采购经理,\n")
    assert only(p).notes == "likes tea\n职位: 采购经理"  # empty cells add nothing
    assert p.kept == ["职位", "Region"]
    p = plan(conn, "name,职位,,\nBob,CEO,,\n")  # unnamed, empty columns are not reported
    assert (only(p).notes, p.kept) == ("职位: CEO", ["职位"])


# ---- values --------------------------------------------------------------------------------


def test_values_are_read_like_the_commands_read_them(conn) -> None:
    lead = only(
        plan(
            conn,
            "name,company,grade,value,currency,tags,bant_budget,bant_need,expected_close,"
            "stage,source\n"
            '王芳,杭州某贸易公司,b类,3万,CNY,"vip，hardware, vip",是,否,2026/12/31,Quote,\n',
            source="trade show 2026",
        )
    )
    assert (lead.name, lead.company, lead.grade) == ("王芳", "杭州某贸易公司", "B")
    assert (lead.value_minor, lead.currency) == (3_000_000, "CNY")  # 3万 = 30000.00 CNY
    assert lead.tags == "vip,hardware"
    assert (lead.bant_budget, lead.bant_authority, lead.bant_need) == ("yes", "unknown", "no")
    assert lead.expected_close == "2026-12-31"
    assert lead.stage == "quote" and lead.source == "trade show 2026"
    assert lead.created_at == lead.updated_at == NOW and lead.closed_at is None


@pytest.mark.parametrize(
    ("value", "currency", "minor", "code"),
    [
        ("1200", "JPY", 1200, "JPY"),
        ("¥1200", "JPY", 1200, "JPY"),  # ¥ is yen when the row says JPY
        ("¥1200", "", 120_000, "CNY"),  # … and yuan otherwise (default currency CNY here)
        ("$3.5k", "", 350_000, "USD"),
        ("1,200.50", "EUR", 120_050, "EUR"),
        ("0.125", "BHD", 125, "BHD"),
        ("10.005", "USD", 1001, "USD"),  # half-up to the cent
    ],
)
def test_money(conn, value: str, currency: str, minor: int, code: str) -> None:
    lead = only(plan(conn, f'name,value,currency\nAnn,"{value}",{currency}\n', currency="CNY"))
    assert (lead.value_minor, lead.currency) == (minor, code)


def test_currency_alone_sets_the_leads_currency(conn) -> None:
    assert only(plan(conn, "name,currency\nAnn,jpy\n")).currency == "JPY"


@given(
    st.decimals(min_value=0, max_value=10**14, allow_nan=False, places=3),
    st.sampled_from(["USD", "JPY", "BHD", "CNY"]),
)
def test_the_plain_decimal_fast_path_agrees_with_parse_money(amount: Decimal, code: str) -> None:
    text = f"{amount:f}"
    try:
        parsed = money.parse_money(text, code)
    except SalesflowError as e:  # too large: the same refusal either way
        with pytest.raises(values.Bad) as bad:
            values.amount(text, code, "USD")
        assert bad.value.message == e.message
        return
    assert values.amount(text, code, "USD") == (parsed.minor, parsed.currency)


def test_times_without_offset_are_local_and_the_future_is_refused(conn) -> None:
    shanghai = importer.Clock(dates.from_utc_iso(NOW), ZoneInfo("Asia/Shanghai"))
    opts = importer.LeadOptions(currency="USD", clock=shanghai)
    text = "name,created_at,stage,closed_at,won_note\nAnn,2026-11-20 10:00,won,,big one\n"
    lead = only(importer.plan_leads(conn, sheet(text), opts))
    # 10:00 in Shanghai (UTC+8) is 02:00 UTC; a won lead without closed_at closed on creation.
    assert lead.created_at == lead.closed_at == "2026-11-20T02:00:00Z"
    assert lead.won_note == "big one"
    lead = only(plan(conn, "name,created_at\nAnn,2026-11-20T10:00:00+01:00\n"))
    assert lead.created_at == "2026-11-20T09:00:00Z"
    lead = only(plan(conn, "name,created_at\nAnn,yesterday 3pm\n"))  # not ISO: dates.py reads it
    assert lead.created_at == "2026-11-22T15:00:00Z"
    p = plan(conn, "name,created_at\nAnn,2026-11-24\n")
    assert errors(p) == [
        "row 2, created_at: 2026-11-24T00:00:00Z is in the future — import what already happened"
    ]


def test_every_problem_of_a_row_is_reported_with_its_column(conn) -> None:
    p = plan(
        conn,
        "联系人,分级,金额,阶段,预计成交日期,bant_need,currency\n"
        ",D,abc,nowhere,31/02/2026,maybe,US\n"
        "Ann,A,1$,lead,2026-02-30,,\n",
    )
    assert errors(p) == [
        "row 2, 联系人: is empty — every lead needs a contact name",
        'row 2, 阶段: "nowhere" is not a stage — the stages are: lead, contacted, qualified, '
        "proposal, quote, negotiation, won, lost",
        'row 2, currency: "US" is not a currency code — use a three-letter ISO 4217 code such as '
        "CNY, USD, EUR",
        'row 2, 分级: "D" is not a grade — use A, B or C',
        'row 2, bant_need: "maybe" — use yes, no or unknown',
        'row 2, 预计成交日期: cannot read date "31/02/2026" — use today, tomorrow, fri, '
        "next monday, +3d, +2w, in 3 days, eom, 2026-12-01, 2026-12-01 14:30, 明天, 下周五, "
        "3天后, 月底, 下月15号 or 12月1日 下午3点",
        'row 3, 金额: cannot read amount "1$" — write an amount such as 50000, 50k, 1,200.50, '
        "¥50万, 5.5万元, 1.2亿, 3千, RMB 50000, US$48,000, 48k USD, 1200 EUR",
        'row 3, 预计成交日期: "2026-02-30" is not a real date — 2026-02 has 28 days',
    ]
    assert p.error_rows == 2 and p.new == []


def test_closed_stages_need_their_facts(conn) -> None:
    p = plan(
        conn,
        "name,stage,lost_reason,lost_from,closed_at\n"
        "A,lost,,,\n"
        "B,lost,price,nowhere,\n"
        "C,lead,price,,2026-11-01\n"
        'D,lost,"price, too high",proposal,2026-11-01T12:00:00Z\n',
    )
    assert errors(p) == [
        "row 2, lost_reason: is empty — a lost lead needs a reason",
        'row 3, lost_from: "nowhere" is not a stage — the stages are: lead, contacted, '
        "qualified, proposal, quote, negotiation, won, lost",
        'row 4, lost_reason: only lost leads have a lost_reason, not "lead" ones',
        'row 4, closed_at: only won or lost leads are closed, not "lead"',
    ]
    lost = p.new[0]
    assert (lost.name, lost.lost_reason, lost.lost_from) == ("D", "price, too high", "proposal")
    assert lost.closed_at == "2026-11-01T12:00:00Z"


# ---- duplicates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "by"),
    [
        ("Somebody,Other Co,ZW@Example.CN,", "email"),
        ("Somebody,Other Co,,+86 138-0000-0000", "phone"),  # the same digits
        ("  jane  ROE ,acme ltd,,", "name and company"),
    ],
)
def test_duplicates_are_skipped(conn, row: str, by: str) -> None:
    p = plan(conn, f"name,company,email,phone\n{row}\n")
    assert p.new == [] and not p.errors
    assert [str(n) for n in p.skipped][0].startswith(f"row 2: skipped: same {by} as #")


def test_same_name_at_another_company_is_someone_else(conn) -> None:
    assert only(plan(conn, "name,company\nJane Roe,Other Ltd\n")).name == "Jane Roe"


def test_rows_about_the_same_new_lead(conn) -> None:
    text = "name,company,email,grade\nAnn,Acme,ann@x.test,A\nann,ACME,,B\n"
    p = plan(conn, text)
    assert len(p.new) == 1 and [str(n) for n in p.skipped] == [
        "row 3: skipped: same name and company as row 2"
    ]
    p = plan(conn, text, on_duplicate="update")
    assert len(p.new) == 1 and p.new[0].grade == "B"  # the later row's facts win
    assert [str(n) for n in p.merged] == ["row 3: merged into row 2 (same name and company)"]
    p = plan(conn, text, on_duplicate="error")
    assert errors(p) == ["row 3: duplicate of row 2 (same name and company)"]


def test_update_changes_only_what_differs(conn) -> None:
    text = (
        "name,company,email,grade,tags,notes,stage,职位\n"
        "张伟,深圳某科技有限公司,zw@example.cn,A,new,met at the fair,won,总经理\n"
        "Jane Roe,Acme Ltd,,,,,contacted,\n"
    )
    p = plan(conn, text, on_duplicate="update")
    assert p.new == [] and not p.errors
    assert p.updates == {
        1: {
            "grade": "A",
            "tags": "hw,new",  # tags add up
            "notes": "met at the fair\n职位: 总经理",  # notes too, without repeating themselves
        }
    }
    assert [str(n) for n in p.unchanged] == ["row 3: same as #2 Jane Roe (Acme Ltd)"]
    assert [str(n) for n in p.notices] == [
        "row 2: #1 张伟 (深圳某科技有限公司) stays in stage lead: an import updates facts, not "
        "stages — salesflow advance 1 won"
    ]


def test_update_refuses_a_row_that_matches_two_leads(conn) -> None:
    p = plan(conn, "name,company,email\nJane Roe,Acme Ltd,zw@example.cn\n", on_duplicate="update")
    assert errors(p) == [
        "row 2: matches #1 张伟 (深圳某科技有限公司) by email and #2 Jane Roe (Acme Ltd) by "
        "name and company — fix the row or merge those leads first"
    ]


def test_apply_writes_leads_with_their_creation_history(conn) -> None:
    p = plan(conn, "name,created_at\nAnn,2026-01-05T08:00:00Z\nBob,\n")
    with store.transaction(conn, command="import", now_iso=NOW):
        applied = importer.apply_leads(conn, p, now_iso=NOW)
    assert applied == importer.Applied(range(3, 5), 0)
    history = conn.execute(
        "SELECT lead_id, from_stage, to_stage, changed_at, note FROM stage_changes "
        "WHERE lead_id > 2 ORDER BY id"
    ).fetchall()
    assert history == [
        (3, None, "lead", "2026-01-05T08:00:00Z", "created"),
        (4, None, "lead", NOW, "created"),
    ]


def test_progress_is_reported_through_the_callback(conn) -> None:
    seen = []
    rows = "".join(f"Lead {i}\n" for i in range(4500))
    opts = importer.LeadOptions(currency="USD", clock=CLOCK)
    p = importer.plan_leads(conn, sheet("name\n" + rows), opts, lambda *a: seen.append(a))
    with store.transaction(conn, command="import", now_iso=NOW):
        importer.apply_leads(conn, p, now_iso=NOW, progress=lambda *a: seen.append(a))
    assert seen == [
        ("Checking rows", 2000, 4500), ("Checking rows", 4000, 4500),
        ("Checking rows", 4500, 4500), ("Writing leads", 2000, 4500),
        ("Writing leads", 4000, 4500), ("Writing leads", 4500, 4500),
    ]  # fmt: skip


# ---- activities ----------------------------------------------------------------------------


def plan_activities(conn, text: str, **options) -> importer.Plan:
    opts = importer.ActivityOptions(clock=CLOCK, **options)
    return importer.plan_activities(conn, sheet(text), opts)


def test_activities_name_their_lead_in_several_ways(conn) -> None:
    p = plan_activities(
        conn,
        "lead_id,邮箱,联系人,公司,类型,时间,内容,渠道\n"
        "1,,,,电话,2026-11-20 10:00,called,\n"
        "#2,,,,Meeting,2026-11-20T11:00:00Z,demo,zoom\n"
        ",ZW@example.cn,,,e-mail,2026-11-21,sent deck,\n"
        ",,jane roe,acme ltd,,2026-11-21,note only,\n"
        ",,Jane Roe,,visit,2026-11-22,visited,\n",
    )
    assert not p.errors, errors(p)
    assert p.new == [
        (1, "call", "2026-11-20T10:00:00Z", "called"),
        (2, "meeting", "2026-11-20T11:00:00Z", "demo\n渠道: zoom"),
        (1, "email", "2026-11-21T00:00:00Z", "sent deck"),
        (2, "note", "2026-11-21T00:00:00Z", "note only"),  # no kind: a note
        (2, "visit", "2026-11-22T00:00:00Z", "visited"),  # a unique name needs no company
    ]


def test_activity_row_errors(conn) -> None:
    with store.transaction(conn, write=True):
        leads.insert(conn, [leads.NewLead("Jane Roe", "lead", "USD", NOW, NOW, company="B")])
    p = plan_activities(
        conn,
        "lead,email,name,kind,when,note\n"
        "9,,,call,2026-11-20,x\n"
        ",nobody@x.test,,call,2026-11-20,x\n"
        ",,Jane Roe,call,2026-11-20,x\n"
        "1,,,wechat,2026-11-24,\n"
        "1,,,call,,x\n"
        ",,,call,2026-11-20,x\n",
    )
    assert errors(p) == [
        "row 2, lead: no lead #9 — see salesflow lead list --all",
        'row 3, email: no lead has email "nobody@x.test" — see salesflow lead list --all',
        "row 4, name: matches 2 leads (#2, #3) — give lead_id instead",
        'row 5, kind: "wechat" is not an activity kind — use one of: call, email, meeting, '
        "visit, note",
        "row 5, when: 2026-11-24T00:00:00Z is in the future — log touches that happened; "
        "plan the next one as a follow-up",
        "row 5, note: is empty — say what happened",
        "row 6, when: is empty — when did it happen?",
        "row 7: names no lead — give lead_id, email, or name (+ company)",
    ]


def test_activity_kinds_follow_the_setting(conn) -> None:
    with store.transaction(conn, write=True):
        store.set_setting(conn, "activity_kinds", "call,wechat")
    p = plan_activities(conn, "lead,kind,when,note\n1,WeChat,2026-11-20,hi\n1,visit,2026-11-20,x\n")
    assert p.new == [(1, "wechat", "2026-11-20T00:00:00Z", "hi")]
    assert errors(p) == [
        'row 3, kind: "visit" is not an activity kind — use one of: call, wechat, note'
    ]


def test_activity_duplicates(conn) -> None:
    text = "lead,kind,when,note\n1,call,2026-11-20,hi\n1,call,2026-11-20,hi\n"
    p = plan_activities(conn, text)
    assert len(p.new) == 1 and [str(n) for n in p.skipped] == ["row 3: skipped: same as row 2"]
    with store.transaction(conn, command="import", now_iso=NOW):
        importer.apply_activities(conn, p, now_iso=NOW)
    again = plan_activities(conn, text, on_duplicate="error")
    assert errors(again) == [
        "row 2: duplicate of an activity already logged",
        "row 3: duplicate of an activity already logged",
    ]
    with pytest.raises(SalesflowError, match="activities take skip or error"):
        plan_activities(conn, text, on_duplicate="update")


def test_activity_file_must_say_who_and_when(conn) -> None:
    with pytest.raises(SalesflowError, match="no column naming the lead"):
        plan_activities(conn, "kind,when,note\ncall,2026-11-20,x\n")
    with pytest.raises(SalesflowError, match="no column saying when"):
        plan_activities(conn, "lead,kind,note\n1,call,x\n")


def test_a_bulk_load_builds_the_random_order_indexes_after_it(ok, db_path, tmp_path) -> None:
    """A load as big as the table (and 10,000 rows at least) drops the indexes on leads and
    stage_changes and builds them again after (store.schema.set_aside): the same indexes, the
    same rows found through them, and undo takes the whole load back."""
    from salesflow.store import derived

    ok("lead", "add", "Before", "--value", "100")
    # The triggers step aside for the load too (journal.compact_inserts(bulk=True)).
    schema = "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name"
    conn = sqlite3.connect(db_path)
    indexes = conn.execute(schema).fetchall()
    conn.close()
    data = tmp_path / "big.csv"
    stages = ("lead,", "contacted,", "won,", "lost,price")
    rows = [f"Lead {i},Company {i % 700},{stages[i % 4]},{i}" for i in range(10_000)]
    data.write_text("name,company,stage,lost_reason,value\n" + "\n".join(rows) + "\n")
    ok("import", "leads", str(data))
    conn = sqlite3.connect(db_path)
    assert conn.execute(schema).fetchall() == indexes
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    by_index = conn.execute(
        "SELECT stage, count(*) FROM leads INDEXED BY leads_tally GROUP BY stage"
    ).fetchall()
    assert (
        by_index
        == conn.execute(
            "SELECT stage, count(*) FROM leads NOT INDEXED GROUP BY stage ORDER BY stage"
        ).fetchall()
    )
    assert conn.execute("SELECT count(*) FROM leads").fetchone()[0] > 2
    assert derived.problems(conn) == []
    conn.close()
    ok("undo")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM leads").fetchall() == [("Before",)]
    assert conn.execute(schema).fetchall() == indexes
    conn.close()

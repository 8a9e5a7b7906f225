"""`salesflow search`: the full-text index (migration 11), its fallback for short words, and
that every write — undo and bulk import included — keeps the index right."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from salesflow import search

DATA = Path(__file__).resolve().parent.parent / "data"


def hits(ok, *args: str) -> list[dict]:
    return json.loads(ok("search", *args, "--format", "json").stdout)


def refs(ok, *args: str) -> list[tuple[str, str]]:
    return [(h["kind"], h["ref"]) for h in hits(ok, *args)]


@pytest.fixture
def desk(ok, two_leads) -> None:
    """张伟 (#1) and Jane Roe (#2) with notes, a follow-up, a quote and a customer."""
    ok("log", "1", "客户法务审合同中，下周回复", "--at", "2026-11-20 10:00")
    ok("log", "2", "Sent the contract draft to legal", "--at", "2026-11-21 10:00")
    ok("followup", "add", "2", "Chase the contract signature", "--due", "2026-11-30")
    ok("quote", "new", "1", "--item", "Industrial gateway; 2; 980", "--note", "含税价格")
    ok("lead", "add", "Li Na", "--company", "Contractor Supplies Ltd")  # #3
    ok("advance", "3", "won")  # customer "Contractor Supplies Ltd"


def test_finds_every_kind_with_context(ok, desk) -> None:
    found = hits(ok, "contract")
    # The name/company hit first (lead #3 and its customer), then the rest, newest first.
    assert [(h["kind"], h["ref"]) for h in found] == [
        ("lead", "#3"),
        ("customer", "Contractor Supplies Ltd"),
        ("followup", "follow-up 1"),
        ("activity", "#2"),
    ]
    activity = found[3]
    assert activity["lead"] == "Jane Roe (Acme Ltd)" and activity["lead_id"] == 2
    assert activity["field"] == "note"
    assert activity["match"] == "Sent the [contract] draft to legal"
    assert activity["when"] == "2026-11-21T10:00:00Z"
    assert found[2]["when"] == "2026-11-30"
    assert set(found[0]) == set(search.RECORD_KEYS)


def test_chinese_words_long_and_short(ok, desk) -> None:
    # 3+ characters: the trigram index.
    assert [h["match"] for h in hits(ok, "法务审")] == ["客户[法务审]合同中，下周回复"]
    # Two characters: below the trigram minimum, found by LIKE on the tables.
    assert refs(ok, "张伟") == [("lead", "#1")]
    assert [h["match"] for h in hits(ok, "合同")] == ["客户法务审[合同]中，下周回复"]
    assert refs(ok, "含税") == [("quote", "Q-2026-0001")]
    # Every word must match, long and short mixed.
    assert refs(ok, "gateway", "工业") == []
    assert refs(ok, "gateway", "980") == []
    assert refs(ok, "gateway", "Q-2026") == []  # the number is on the quote, not the item
    assert refs(ok, "gateway") == [("quote", "Q-2026-0001")]
    assert refs(ok, "深圳", "张伟") == [("lead", "#1")]


def test_two_character_cjk_words_come_from_the_index_of_pairs(ok, desk, db_path) -> None:
    """A CJK pair is looked up in <table>_cjk_fts (migration 13), wherever it stands in the
    text — a whole name, the end of a note — and only in the columns asked for."""
    ok("log", "2", "明天联系张伟", "--at", "2026-11-22 10:00")  # ends with the name
    ok("lead", "add", "小张伟业", "--company", "Pair Co")  # #4: 张伟 inside a longer name
    assert refs(ok, "张伟") == [("lead", "#4"), ("lead", "#1"), ("activity", "#2")]
    assert [h["match"] for h in hits(ok, "张伟", "--in", "activities")] == ["明天联系[张伟]"]
    assert [h["match"] for h in hits(ok, "审合")] == ["客户法务[审合]同中，下周回复"]
    assert refs(ok, "伟业", "Pair") == [("lead", "#4")]  # a pair and a latin word
    assert refs(ok, "张伟", "合同") == []  # both words, in one row: none has both
    conn = sqlite3.connect(db_path)
    try:
        sql = "SELECT rowid FROM activities_cjk_fts WHERE activities_cjk_fts MATCH '\"张伟\"'"
        assert conn.execute(sql).fetchall() == [(3,)]
        assert "VIRTUAL TABLE" in conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchone()[3]
    finally:
        conn.close()


def test_bulk_loads_index_the_pairs_the_view_gives(ok, db_path) -> None:
    """A bulk load indexes pairs worked out in Python (store/fulltext.py pairs), everything
    else through the view's SQL: both must give the same text for any mix of scripts."""
    from salesflow.store import fulltext

    names = ["张伟", "あいう漢字", "한국어 회사", "𠀀𠀁 mixed 中a文", "Plain", "一", "ｶﾀｶﾅ全角"]
    for name in names:
        ok("lead", "add", name, "--company", "公司 Ltd", "--note", "笔记：合同。")
    conn = sqlite3.connect(db_path)
    try:
        cols = "name, company, email, phone, tags, notes"
        rows = conn.execute(f"SELECT l.rowid, v.pairs, {cols} FROM leads l "
                            "JOIN leads_cjk v ON v.rowid = l.rowid").fetchall()  # fmt: skip
    finally:
        conn.close()
    assert [r[1] for r in rows] == [fulltext.pairs(*r[2:]) for r in rows]
    assert rows[0][1] == "张伟 公司 笔记 合同" and rows[3][1].startswith("𠀀𠀁 公司")


def test_short_words_of_other_scripts_and_case(ok) -> None:
    ok("lead", "add", "Jürgen Müller", "--company", "HP Inc", "--note", "王 visited")
    assert refs(ok, "HP") == [("lead", "#1")]  # two latin letters: LIKE on the tables
    assert refs(ok, "王") == [("lead", "#1")]  # one character: LIKE too
    assert refs(ok, "MÜLLER") == [("lead", "#1")]  # case folded beyond ASCII
    assert refs(ok, "müllerx") == []


def test_long_context_is_cut_with_ellipses() -> None:
    text = "前情提要：" + "很长的背景" * 6 + "客户法务审合同中" + "后续安排" * 6
    shown = search.excerpt(text, ["合同"], around=5)
    assert shown == "…客户法务审[合同]中后续安排…"
    assert search.excerpt("ACME Corp", ["acme"]) == "[ACME] Corp"


def test_in_limit_and_formats(ok, fails, desk) -> None:
    assert refs(ok, "contract", "--in", "activities,followups") == [
        ("followup", "follow-up 1"),
        ("activity", "#2"),
    ]
    assert len(hits(ok, "contract", "--limit", "2")) == 2
    out = ok("search", "contract", "--format", "csv").stdout.splitlines()
    assert out[0] == ",".join(search.RECORD_KEYS)
    table = ok("search", "法务审").stdout
    assert "客户[法务审]合同中" in table and "activity" in table
    fails("search", "contract", "--in", "emails", match='unknown kind "emails"')
    fails("search", "contract", "--in", ",", match="name at least one of")
    fails("search", " ", match="give a word to search for, e.g. salesflow search 合同")
    # The domain's sentence and the command line's hint, each in the catalog.
    fails("--lang", "zh_CN", "search", "x", "--in", "emails", match="--in：未知类型“emails”——")
    fails("search", "x", "--limit", "0", code=2)


@pytest.mark.parametrize(
    "query", ['"', "%", "_", "'", "a_b", "100%", 'NEAR("x"', "*", "^abc", "a:b", "(x OR y)", "\\"]
)
def test_syntax_characters_are_plain_text(ok, query) -> None:
    ok("lead", "add", "Plain Person", "--note", "nothing special")
    assert hits(ok, query) == []
    ok("lead", "add", "Odd One", "--note", f"look: {query} here")
    found = hits(ok, query)
    assert [h["ref"] for h in found] == ["#2"], query
    assert f"[{query.split()[0]}]" in found[0]["match"]  # the first word marked


def test_nothing_found_says_so(ok, two_leads) -> None:
    result = ok("search", "nowhere")
    assert 'Nothing matches "nowhere".' in result.stdout


def index_problems(db: Path) -> list[str]:
    from salesflow.store import fulltext

    conn = sqlite3.connect(db)
    try:
        return fulltext.problems(conn)
    finally:
        conn.close()


def test_edit_remove_undo_keep_the_index_right(ok, desk, db_path) -> None:
    ok("lead", "edit", "1", "--name", "王小明")
    assert refs(ok, "张伟") == []
    assert refs(ok, "王小明") == [("lead", "#1")]
    ok("undo")
    assert refs(ok, "张伟") == [("lead", "#1")]
    ok("lead", "rm", "2", "--yes")
    assert refs(ok, "contract", "--in", "activities,followups") == []
    ok("undo")
    assert len(refs(ok, "contract", "--in", "activities,followups")) == 2
    assert index_problems(db_path) == []
    ok("db", "check")


def test_bulk_import_and_its_undo_keep_the_index_right(ok, db_path) -> None:
    ok("lead", "add", "Before Import")
    ok("import", "leads", str(DATA / "leads_zh.csv"))
    assert refs(ok, "王芳") == [("lead", "#2")]
    assert refs(ok, "价格敏感") == [("lead", "#3")]
    assert index_problems(db_path) == []
    ok("undo")
    assert refs(ok, "王芳") == []
    assert index_problems(db_path) == []


def test_db_check_finds_a_stale_index(ok, run, desk, db_path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER leads_au")  # an outside tool that edits behind the index
    conn.execute("UPDATE leads SET name = 'Someone Else' WHERE id = 2")
    conn.commit()
    conn.close()
    result = run("db", "check")
    assert result.exit_code == 1
    assert "the search index of leads (leads_fts) does not match the table" in result.stdout


def test_db_check_finds_a_stale_index_of_pairs(ok, run, desk, db_path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER leads_au")
    # A two-character name has no trigram: only the index of CJK pairs goes stale.
    conn.execute("UPDATE leads SET name = '伟张' WHERE id = 1")
    conn.commit()
    conn.close()
    result = run("db", "check")
    assert result.exit_code == 1
    assert "the search index of leads (leads_cjk_fts) does not match the table" in result.stdout


def test_the_index_is_where_sqlite_utils_looks(ok, db_path) -> None:
    """Laid out as sqlite-utils' enable_fts() makes it, so its search() and Datasette use it
    (the index of CJK pairs is not mistaken for it). Without positions (migration 13) a
    query there is trigrams joined by AND: a longer word is a phrase FTS5 cannot answer."""
    import sqlite_utils

    ok("lead", "add", "Ann", "--note", "proposal sent")
    db = sqlite_utils.Database(sqlite3.connect(db_path))
    assert db["leads"].detect_fts() == "leads_fts"
    assert db["activities"].detect_fts() == "activities_fts"
    assert {t.name for t in db["leads"].triggers} >= {"leads_ai", "leads_ad", "leads_au"}
    assert [r["name"] for r in db["leads"].search('"pos" AND "sal"')] == ["Ann"]
    with pytest.raises(sqlite3.OperationalError, match="phrase queries are not supported"):
        list(db["leads"].search("proposal"))
    db.conn.close()

"""Undo of a load bigger than what it leaves (store/fulltext.delete_appended): the search
index is emptied and the rows that stay are indexed again, instead of every deleted row
being taken out of it one by one; a load in batches is deleted by its first batch's step.
The database after the undo is the database before the import."""

from __future__ import annotations

import json

import pytest

from salesflow.importer import ActivityBatches, Batches
from tests.conftest import dump


def found(ok, text: str) -> list[str]:
    return [h["lead"] for h in json.loads(ok("search", text, "-f", "json").stdout)]


@pytest.mark.parametrize("size", [10_000, 3])
def test_undo_of_a_bigger_load_keeps_the_search_index_right(ok, monkeypatch, tmp_path,
                                                            db_path, size) -> None:  # fmt: skip
    ok("lead", "add", "张伟", "--company", "深圳华强", "--note", "keeps the kettle warm")
    ok("log", "1", "talked about kettles", "--kind", "call")
    before = dump(db_path)
    monkeypatch.setattr(Batches, "SIZE", size)
    monkeypatch.setattr(ActivityBatches, "SIZE", size)
    leads = tmp_path / "l.csv"
    leads.write_text("name,company,notes\n" + "".join(
        f"李娜{i},杭州云{i},kettle order {i}\n" for i in range(12)))  # fmt: skip
    ok("import", "leads", str(leads))
    touches = tmp_path / "a.csv"
    touches.write_text("lead_id,kind,happened_at,note\n" + "".join(
        f"{i},call,2026-11-{i:02d},kettle call {i}\n" for i in range(2, 14)))  # fmt: skip
    ok("import", "activities", str(touches))
    assert len(found(ok, "kettle")) > 12 and found(ok, "李娜")
    ok("undo")
    ok("undo")
    assert dump(db_path) == before
    ok("db", "check")
    assert found(ok, "李娜") == [] and found(ok, "杭州云") == []
    assert set(found(ok, "kettle")) == {"张伟 (深圳华强)"}
    assert set(found(ok, "张伟")) == {"张伟 (深圳华强)"}

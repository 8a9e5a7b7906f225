import json


def leads(ok) -> list[dict]:
    return json.loads(ok("lead", "list", "--all", "--format", "json").stdout)


def test_undo_takes_back_the_last_command_whole(ok, two_leads, db_path) -> None:
    from tests.conftest import dump

    before = dump(db_path)
    ok("advance", "2", "lost", "--reason", "price")
    result = ok("undo")
    assert "Undid: salesflow advance 2 lost --reason price" in result.stderr
    assert dump(db_path) == before
    ok("undo")
    assert [lead["name"] for lead in leads(ok)] == ["张伟"]
    ok("undo")
    assert leads(ok) == []
    assert "Nothing to undo." in ok("undo").stderr


def test_undo_of_a_pipeline_change_restores_stages_and_leads(ok, two_leads, db_path) -> None:
    from tests.conftest import dump

    before = dump(db_path)
    ok("stages", "set", "new:10", "--map", "lead=new")
    assert {lead["stage"] for lead in leads(ok)} == {"new"}
    ok("undo")
    assert dump(db_path) == before


def test_failed_commands_leave_nothing_to_undo(ok, run, two_leads) -> None:
    run("advance", "1", "lost")
    assert "lead add 'Jane Roe'" in ok("undo").stderr


def test_reads_are_not_journalled(ok, two_leads) -> None:
    ok("lead", "list")
    ok("stages")
    assert "lead add 'Jane Roe'" in ok("undo").stderr


def test_db_path(ok, fails, db_path, tmp_path) -> None:
    fails("db", "path", match=f"no salesflow database at {db_path} (the path from SALESFLOW_DB)")
    ok("lead", "add", "Ann")
    assert ok("db", "path").stdout.strip() == str(db_path)
    elsewhere = tmp_path / "elsewhere.db"
    ok("--db", str(elsewhere), "stages", "preset", "simple")
    assert ok("--db", str(elsewhere), "db", "path").stdout.strip() == str(elsewhere)


def test_config(ok, fails) -> None:
    ok("config", "set", "currency", "cny")
    assert ok("config", "get", "currency").stdout.strip() == "CNY"
    ok("lead", "add", "Li", "--value", "1000")
    assert leads(ok)[0]["currency"] == "CNY"
    ok("config", "set", "seller.name", "Li Ming Consulting")
    listed = json.loads(ok("config", "list", "--format", "json").stdout)
    assert {"key": "seller.name", "value": "Li Ming Consulting"} in listed
    ok("config", "unset", "seller.name")
    fails("config", "get", "seller.name", match='"seller.name" is not set')
    fails("config", "set", "colour", "red", match='unknown setting "colour"')
    fails("config", "set", "currency", "yuan", match="ISO 4217")
    fails("config", "set", "timezone", "Mars/Olympus", match="Mars/Olympus")
    fails("config", "set", "date_order", "YDM", match="DMY, MDY or YMD")

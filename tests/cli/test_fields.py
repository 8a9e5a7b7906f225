"""Custom lead fields: declared with `config set fields`, set with `--set`, shown, exported,
imported, searched and undone."""

import csv
import io
import json

import pytest


@pytest.fixture
def declared(ok, two_leads) -> None:
    ok("config", "set", "fields", "industry,region")


def fields_of(ok, ref: str, **kw) -> dict:
    return json.loads(ok("lead", "show", ref, "-f", "json", **kw).stdout)["fields"]


def test_set_show_and_undo(ok, declared) -> None:
    ok("lead", "edit", "1", "--set", "industry=制造业", "--set", "Region=华南")
    assert fields_of(ok, "1") == {"industry": "制造业", "region": "华南"}
    assert "制造业" in ok("lead", "show", "1").stdout
    ok("lead", "add", "李娜", "--company", "苏州某电子", "--set", "region=华东")
    assert fields_of(ok, "3") == {"industry": None, "region": "华东"}
    ok("lead", "edit", "1", "--set", "region=", "--grade", "B")  # clears one, with a fact
    assert fields_of(ok, "1") == {"industry": "制造业", "region": None}
    ok("undo")
    assert fields_of(ok, "1")["region"] == "华南"
    ok("undo")
    ok("undo")
    assert fields_of(ok, "1") == {"industry": None, "region": None}
    # no fields declared: lead show's JSON is as before
    ok("config", "set", "fields", "")
    assert "fields" not in json.loads(ok("lead", "show", "1", "-f", "json").stdout)


def test_export_import_and_search(ok, declared, tmp_path, db_path) -> None:
    ok("lead", "edit", "1", "--set", "industry=制造业", "--set", "region=华南")
    rows = list(csv.DictReader(io.StringIO(ok("export", "leads").stdout)))
    assert list(rows[0])[-2:] == ["industry", "region"]
    assert [(r["name"], r["industry"], r["region"]) for r in rows] == [
        ("张伟", "制造业", "华南"), ("Jane Roe", "", ""),
    ]  # fmt: skip
    sheet = tmp_path / "名单.csv"
    sheet.write_text("name,company,INDUSTRY,地区\n王芳,杭州某厂,化工,华东\n"
                     "Jane Roe,Acme Ltd,零售,\n", encoding="utf-8")  # fmt: skip
    out = ok("import", "leads", str(sheet), "--map", "地区=region", "--on-duplicate", "update")
    assert "地区" not in out.stdout  # not kept in the notes
    assert fields_of(ok, "王芳") == {"industry": "化工", "region": "华东"}
    assert fields_of(ok, "Jane") == {"industry": "零售", "region": None}
    hits = json.loads(ok("search", "华东", "-f", "json").stdout)
    assert [(h["ref"], h["field"], h["match"]) for h in hits] == [("#3", "region", "[华东]")]
    hits = json.loads(ok("search", "制造业", "-f", "json").stdout)  # the trigram index
    assert [(h["ref"], h["field"]) for h in hits] == [("#1", "industry")]
    ok("db", "check")
    ok("undo")  # the whole import, fields too
    assert fields_of(ok, "Jane") == {"industry": None, "region": None}
    assert json.loads(ok("search", "华东", "-f", "json").stdout) == []
    # an export reads back into a new database with its fields
    exported = tmp_path / "leads.csv"
    exported.write_text(ok("export", "leads").stdout, encoding="utf-8")
    other = {"SALESFLOW_DB": str(tmp_path / "other.db")}
    ok("config", "set", "fields", "region,industry", env=other)
    ok("import", "leads", str(exported), env=other)
    assert fields_of(ok, "张伟", env=other) == {"region": "华南", "industry": "制造业"}


def test_merge_fills_missing_fields(ok, declared) -> None:
    ok("lead", "edit", "1", "--set", "industry=制造业")
    ok("lead", "edit", "2", "--set", "industry=零售", "--set", "region=华北")
    ok("lead", "merge", "1", "2", "--yes")
    assert fields_of(ok, "1") == {"industry": "制造业", "region": "华北"}
    ok("undo")
    assert fields_of(ok, "2") == {"industry": "零售", "region": "华北"}


def test_bad_input(ok, fails, declared) -> None:
    fails("lead", "edit", "1", "--set", "segment=x", match='"segment" is not a declared field '
          "(declared: industry, region) — declare it: salesflow config set fields "
          "industry,region,segment")  # fmt: skip
    fails("lead", "add", "X", "--set", "color=red", match='"color" is not a declared field')
    fails("lead", "edit", "1", "--set", "region", match="write FIELD=VALUE")
    fails("config", "set", "fields", "industry,source", match='"source" is one of the lead')
    fails("config", "set", "fields", "9lives", match='field name "9lives"')
    # lead list's own machine-format columns are taken too
    fails("config", "set", "fields", "region,Next_Due", match='"Next_Due" is one of the lead')


def test_lead_list_machine_formats_carry_the_fields(ok, declared) -> None:
    """A column per declared field after the listing's own, in csv, tsv and json (values as
    stored, none as empty/null); the table shows no field unless a format asks for it."""
    ok("lead", "edit", "1", "--set", "industry=制造业", "--set", "region=华南")
    ok("lead", "edit", "2", "--set", "region=EMEA")
    out = ok("lead", "list", "--format", "csv").stdout
    header = out.splitlines()[0].split(",")
    assert header[-4:] == ["next_action", "next_due", "industry", "region"]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["1"]["industry"], rows["1"]["region"]) == ("制造业", "华南")
    assert (rows["2"]["industry"], rows["2"]["region"]) == ("", "EMEA")
    data = {r["id"]: r for r in json.loads(ok("lead", "list", "--format", "json").stdout)}
    assert (data[1]["industry"], data[1]["region"]) == ("制造业", "华南")
    assert (data[2]["industry"], data[2]["region"]) == (None, "EMEA")
    tsv = ok("lead", "list", "--format", "tsv").stdout.splitlines()
    assert tsv[0].endswith("\tindustry\tregion") and tsv[1].endswith("\t制造业\t华南")
    # An empty listing's CSV still names the columns.
    empty = ok("lead", "list", "--format", "csv", "--search", "nobody-at-all").stdout
    assert empty.strip().endswith(",industry,region")
    table = ok("lead", "list").stdout
    assert "制造业" not in table and "EMEA" not in table
    # Taken out of the declaration, a field is no longer listed (its values are kept).
    ok("config", "set", "fields", "region")
    header = ok("lead", "list", "--format", "csv").stdout.splitlines()[0]
    assert header.endswith(",next_due,region")


def test_a_field_name_typo_gets_the_nearest_name(ok, fails, declared) -> None:
    fails(
        "lead", "edit", "1", "--set", "regoin=华东",
        match='Error: --set: "regoin" is not a declared field — did you mean "region"? '
        "(declared: industry, region)",
    )  # fmt: skip
    fails("lead", "add", "X", "--set", "Industy=制造业", match='did you mean "industry"?')
    # The lead's own facts have options of their own (declaring them is refused).
    fails(
        "lead", "edit", "1", "--set", "emial=a@b.cn",
        match='"emial" is not a declared field — "email" is one of the lead\'s own facts: '
        "set it with --email",
    )  # fmt: skip
    fails("lead", "edit", "1", "--set", "expected_clos=fri", match="set it with --expected-close")
    fails("lead", "edit", "1", "--set", "tags=x", match="set it with --tag")
    fails(
        "--lang", "zh_CN", "lead", "edit", "1", "--set", "regoin=华东",
        match="错误：--set：“regoin”不是已声明的字段——你是不是想用“region”？",
    )  # fmt: skip

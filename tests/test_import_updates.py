"""`import leads --on-duplicate update` as a new user meets it: an amount that names no
currency stays in the lead's own, custom fields count as changes, the report says what each
updated lead became, and the stage notice is a command that runs."""

from __future__ import annotations

import json
import re
import shlex


def leads_by_id(ok) -> dict[int, dict]:
    rows = json.loads(ok("lead", "list", "--all", "-f", "json").stdout)
    return {r["id"]: r for r in rows}


def test_an_amount_without_currency_keeps_the_leads_currency(ok, tmp_path):
    ok("lead", "add", "Jane Roe", "--email", "jane@acme.com", "--value", "12500 USD")
    ok("lead", "add", "Ken Sato", "--email", "ken@sato.jp", "--value", "500000 JPY")
    ok("lead", "add", "Li Wei", "--email", "li@wei.cn", "--value", "8000 CNY")
    ok("config", "set", "currency", "CNY")
    path = tmp_path / "u.csv"
    path.write_text(
        "name,email,amount\n"
        "Jane Roe,jane@acme.com,15000\n"  # USD lead, plain amount: 15,000.00 USD
        "Ken Sato,ken@sato.jp,600000\n"  # JPY has no minor units: 600,000 JPY
        "Li Wei,li@wei.cn,20000 USD\n"  # names its currency: it changes
        "Max Mo,max@mo.cn,3000\n"  # new lead: the default currency
    )
    args = ("import", "leads", str(path), "--on-duplicate", "update")
    dry = ok(*args, "--dry-run").stdout
    out = ok(*args).stdout
    assert dry.removeprefix("Dry run — nothing was changed.\n") == out
    assert "row 2: #1 Jane Roe: value 12,500.00 USD → 15,000.00 USD" in out
    assert "row 3: #2 Ken Sato: value 500,000 JPY → 600,000 JPY" in out
    assert "row 4: #3 Li Wei: value 8,000.00 CNY → 20,000.00 USD" in out
    got = {i: (r["value"], r["currency"]) for i, r in leads_by_id(ok).items()}
    assert got == {
        1: ("15000.00", "USD"),
        2: ("600000", "JPY"),
        3: ("20000.00", "USD"),
        4: ("3000.00", "CNY"),
    }


def test_an_amount_too_large_in_the_leads_currency_is_a_row_error(ok, fails, tmp_path):
    """Read in JPY (the default) the amount fits; in the lead's USD cents it does not."""
    ok("lead", "add", "Ann", "--email", "a@x.test", "--value", "5 USD")
    ok("config", "set", "currency", "JPY")
    path = tmp_path / "u.csv"
    path.write_text("name,email,amount\nAnn,a@x.test,900000000000000\n")
    result = fails("import", "leads", str(path), "--on-duplicate", "update", match="1 row has")
    assert 'row 2, amount: amount "900000000000000" is too large' in result.stdout
    skipped = ok("import", "leads", str(path), "--on-duplicate", "update", "--skip-errors")
    assert "Nothing to import" in skipped.stderr
    assert leads_by_id(ok)[1]["value"] == "5.00"


def test_custom_fields_alone_are_an_update(ok, tmp_path):
    ok("config", "set", "fields", "region")
    ok("lead", "add", "Ann", "--company", "Acme", "--set", "region=North")
    ok("lead", "add", "Bob", "--company", "Bolt", "--set", "region=South")
    ok("lead", "add", "Cy", "--company", "Cog")
    path = tmp_path / "f.csv"
    path.write_text(
        "name,company,region\n"
        "Ann,Acme,East\n"  # row 2: North → East
        "Bob,Bolt,South\n"  # row 3: as stored
        "Cy,Cog,West\n"  # row 4: none → West
    )
    args = ("import", "leads", str(path), "--on-duplicate", "update")
    dry = ok(*args, "--dry-run")
    assert re.search(r"updated +2\n +unchanged +1\n", dry.stdout), dry.stdout
    out = ok(*args)
    assert dry.stdout.removeprefix("Dry run — nothing was changed.\n") == out.stdout
    assert "row 2: #1 Ann (Acme): region North → East" in out.stdout
    assert "row 4: #3 Cy (Cog): region → West" in out.stdout
    assert "row 3: same as #2 Bob (Bolt)" in out.stdout
    assert "updated 2 lead(s)" in out.stderr + out.stdout
    got = {i: r["region"] for i, r in leads_by_id(ok).items()}
    assert got == {1: "East", 2: "South", 3: "West"}
    again = ok(*args).stdout
    assert re.search(r"unchanged +3\n", again), again


def test_the_report_lists_each_updated_lead_and_its_changes(ok, monkeypatch, tmp_path):
    from salesflow.output import imports

    ok("lead", "add", "Jane Roe", "--email", "jane@acme.com", "--source", "web")
    ok("lead", "add", "Bo", "--email", "bo@x.test", "--tag", "a")
    ok("lead", "add", "Cy", "--email", "cy@x.test")
    path = tmp_path / "u.csv"
    path.write_text(
        "name,email,source,tags,notes\n"
        "Reception Desk,jane@acme.com,referral,,\n"
        "Bo,bo@x.test,,b,called twice\n"
        "Cy,cy@x.test,fair,,\n"
    )
    monkeypatch.setattr(imports, "SHOWN", 2)
    args = ("import", "leads", str(path), "--on-duplicate", "update")
    dry = ok(*args, "--dry-run").stdout
    out = ok(*args).stdout
    assert dry.removeprefix("Dry run — nothing was changed.\n") == out
    lines = out.splitlines()
    i = lines.index("row 2: #1 Jane Roe: name → Reception Desk, source web → referral")
    assert lines[i + 1 : i + 3] == ["row 3: #2 Bo: notes, tags", "… and 1 more like these"]


def test_the_stage_notice_of_a_lost_row_runs(ok, tmp_path):
    ok("lead", "add", "Ann", "--email", "ann@x.test")
    ok("lead", "add", "Bob", "--email", "bob@x.test")
    path = tmp_path / "s.csv"
    path.write_text(
        "name,email,stage,lost_reason\n"
        'Ann,ann@x.test,lost,Went with "Rival" Co\n'
        "Bob,bob@x.test,won,\n"
    )
    out = ok("import", "leads", str(path), "--on-duplicate", "update").stdout
    commands = re.findall(r"— (salesflow advance .*)$", out, re.M)
    assert commands == [
        "salesflow advance 1 lost --reason 'Went with \"Rival\" Co'",
        "salesflow advance 2 won",
    ], out
    for command in commands:
        ok(*shlex.split(command)[1:])
    stages = {i: (r["stage"], r["lost_reason"]) for i, r in leads_by_id(ok).items()}
    assert stages == {1: ("lost", 'Went with "Rival" Co'), 2: ("won", None)}

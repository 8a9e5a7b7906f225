"""One notion of "the same lead" (salesflow/dupes.py) for `lead add`, `lead dupes`,
`import leads` and `import activities`: names without case, width or spaces, companies
without their legal form, phones by their digits with a Chinese mobile's +86/0086 set aside."""

from __future__ import annotations

import json

import pytest

from salesflow import dupes
from salesflow.importer import Batches, seen


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("+86 138 0000 0000", "13800000000"),
        ("0086-138-0000-0000", "13800000000"),
        ("86 13800000000", "13800000000"),
        ("(+86) 199 1234 5678", "19912345678"),
        ("138 0000 0000", "13800000000"),
        ("+86 10 8888 8888", "861088888888"),  # a Beijing landline keeps its code
        ("+86 12 3456 78901", "8612345678901"),  # 12…: no mobile number starts so
        ("+44 7911 123456", "447911123456"),  # other countries' codes stay
        ("+1 555 0188", "15550188"),
        ("0086 138 0000 000", "00861380000000"),  # 10 digits after the code
        ("12345", ""),  # a service line or an extension
    ],
)
def test_a_phone_key(written, key) -> None:
    assert dupes.phone_key(written) == key


def test_a_latin_legal_form_is_a_word_of_its_own() -> None:
    assert dupes.company_key("Punjab") == "punjab" != dupes.company_key("Punj")
    assert dupes.company_key("Troy") == "troy"
    assert dupes.company_key("Acme,Ltd") == dupes.company_key("ACME Ltd.") == "acme"
    assert dupes.company_key("深圳某科技Ltd") == "深圳某科技"


SHEET = (
    "name,company,email,phone\n"
    "李娜,苏州某电子,,\n"  # row 2: #1, spaced otherwise
    "Ｊａｎｅ Ｒｏｅ,Acme Ltd,,\n"  # row 3: #2, in full width
    "jane roe,Acme,,\n"  # row 4: #2, without its Ltd
    "王五,,,+86 138 0000 0000\n"  # row 5: #3, with the country code
    "Jane Roe,Acme Labs,,\n"  # row 6: new: another company
    "赵六,,,+86 10 8888 8888\n"  # row 7: new: a landline's code is not set aside
    "张 伟,深圳某科技,,\n"  # row 8: new
    "张伟,深圳某科技有限公司,,\n"  # row 9: row 8
    "钱七,,,0086-139-1111-2222\n"  # row 10: new
    "孙八,,,13911112222\n"  # row 11: row 10
)

EXPECTED = [
    "row 2: skipped: same name and company as #1 李 娜 (苏州某电子)",
    "row 3: skipped: same name and company as #2 Jane Roe (Acme Ltd)",
    "row 4: skipped: same name and company as #2 Jane Roe (Acme Ltd)",
    "row 5: skipped: same phone as #3 王五",
    "row 9: skipped: same name and company as row 8",
    "row 11: skipped: same phone as row 10",
]


@pytest.mark.parametrize(("size", "held"), [(10_000, 50_000), (2, 0)])
def test_an_import_skips_what_lead_add_would_refuse(ok, monkeypatch, tmp_path, size, held):
    ok("lead", "add", "李 娜", "--company", "苏州某电子")
    ok("lead", "add", "Jane Roe", "--company", "Acme Ltd")
    ok("lead", "add", "王五", "--phone", "138 0000 0000")
    ok("lead", "add", "周九", "--phone", "+86 10 1234 5678")
    path = tmp_path / "s.csv"
    path.write_text(SHEET)
    monkeypatch.setattr(Batches, "SIZE", size)
    monkeypatch.setattr(seen, "HELD", held)
    out = ok("import", "leads", str(path)).stdout
    assert [line for line in out.splitlines() if line.startswith("row ")] == EXPECTED
    leads = json.loads(ok("lead", "list", "--all", "-f", "json").stdout)
    assert [lead["name"] for lead in leads[4:]] == ["Jane Roe", "赵六", "张 伟", "钱七"]


def test_import_activities_finds_a_lead_however_its_name_is_spaced(ok, tmp_path) -> None:
    ok("lead", "add", "李 娜", "--company", "苏州某电子")
    ok("lead", "add", "Jane Roe", "--company", "Acme Ltd")
    path = tmp_path / "a.csv"
    path.write_text(
        "name,company,kind,happened_at,note\n"
        "李娜,,call,2026-11-20 10:00,谈了报价\n"  # a unique name needs no company
        "Ｊａｎｅ Ｒｏｅ,ACME,meeting,2026-11-21 10:00,demo\n"
    )
    ok("import", "activities", str(path))
    for ref, note in (("1", "谈了报价"), ("2", "demo")):
        shown = json.loads(ok("lead", "show", ref, "-f", "json").stdout)
        assert [a["note"] for a in shown["activities"]] == [note]


@pytest.mark.parametrize(
    ("stored", "added"),
    [("+86 138 0000 0000", "0086-138-0000-0000"), ("138 0000 0000", "+86 13800000000"),
     ("0086 13800000000", "138-0000-0000")],
)  # fmt: skip
def test_lead_add_refuses_a_mobile_with_or_without_its_code(ok, fails, stored, added) -> None:
    ok("lead", "add", "王五", "--phone", stored)
    fails("lead", "add", "测试", "--phone", added, match="#1 王五 (same phone)")


def test_lead_add_keeps_other_countries_codes(ok) -> None:
    ok("lead", "add", "Ann", "--phone", "+44 20 7946 0318")
    ok("lead", "add", "Bob", "--phone", "20 7946 0318")  # not taken for Ann's
    ok("lead", "add", "周九", "--phone", "+86 10 1234 5678")
    ok("lead", "add", "吴十", "--phone", "10 1234 5678")


def test_dupes_pairs_a_mobile_with_and_without_its_code(ok) -> None:
    ok("lead", "add", "王五", "--phone", "+86 138 0000 0000")
    ok("lead", "add", "Wang Wu", "--phone", "13800000000", "--force")
    ok("lead", "add", "王 五", "--phone", "0086 138 0000 0000", "--force")
    rows = json.loads(ok("lead", "dupes", "--format", "json").stdout)
    assert [(r["keep"], r["other"], r["reason"]) for r in rows] == [
        (1, 2, "same phone"),
        (1, 3, "same phone"),
        (2, 3, "same phone"),
    ]

import json

import pytest


def lead(ok, ref: str) -> dict:
    return json.loads(ok("lead", "show", ref, "--format", "json").stdout)


def test_advance_walks_the_default_pipeline(ok, two_leads) -> None:
    ok("advance", "1")
    assert lead(ok, "1")["lead"]["stage"] == "contacted"
    ok("advance", "1", "proposal", "--note", "demo went well")
    card = lead(ok, "1")
    assert card["lead"]["stage"] == "proposal" and card["lead"]["probability"] == 50
    assert [(h["from"], h["to"], h["note"]) for h in card["history"]] == [
        (None, "lead", "created"),
        ("lead", "contacted", None),
        ("contacted", "proposal", "demo went well"),
    ]
    ok("advance", "1", "qualified")  # backwards is allowed and recorded
    assert lead(ok, "1")["history"][-1]["to"] == "qualified"


def test_lost_needs_a_reason_and_reopen_returns_to_the_stage(ok, fails, two_leads) -> None:
    ok("advance", "2", "negotiation")
    fails("advance", "2", "lost", match="losing a deal needs a reason")
    ok("advance", "2", "lost", "--reason", "price too high")
    card = lead(ok, "2")["lead"]
    assert card["stage"] == "lost" and card["lost_reason"] == "price too high"
    assert card["closed_at"] == "2026-11-23T09:00:00Z"
    fails("advance", "2", match="reopen it first")
    fails("advance", "2", "proposal", match="reopen it first")
    ok("advance", "2", "--reopen")
    card = lead(ok, "2")
    assert card["lead"]["stage"] == "negotiation"
    assert card["lead"]["closed_at"] is None and card["lead"]["lost_reason"] is None
    assert card["history"][-1]["from"] == "lost" and card["history"][-1]["to"] == "negotiation"


def test_reopen_is_marked_and_won_to_lost_keeps_the_deal_coherent(ok, two_leads) -> None:
    ok("advance", "1", "proposal")
    ok("advance", "1", "won", "--note", "signed")
    ok("advance", "1", "lost", "--reopen", "--reason", "customer backed out")
    card = lead(ok, "1")
    assert card["lead"]["won_note"] is None and card["lead"]["lost_reason"] == "customer backed out"
    assert card["history"][-1]["note"] == "reopened"
    ok("advance", "1", "--reopen")
    card = lead(ok, "1")
    assert card["lead"]["stage"] == "proposal"  # where the deal was before it closed
    assert card["lead"]["lost_reason"] is None and card["lead"]["closed_at"] is None


def test_won_with_note(ok, two_leads) -> None:
    ok("advance", "1", "won", "--note", "signed at the fair")
    card = lead(ok, "1")["lead"]
    assert card["stage"] == "won" and card["won_note"] == "signed at the fair"
    assert card["probability"] == 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("advance", "1", "heaven"), 'unknown stage "heaven" — the stages are: lead, contacted'),
        (("advance", "1", "lead"), "already in stage lead"),
        (("advance", "1", "--reopen"), "--reopen is for won or lost leads"),
        (("advance", "1", "proposal", "--reason", "x"), "--reason is for lost deals"),
        (("advance", "nobody"), 'no lead matches "nobody"'),
        (("advance", "1", "negotiation"), ""),
    ],
)
def test_advance_bad_input(ok, fails, two_leads, args, message) -> None:
    if args[-1] == "negotiation":
        ok(*args)
        fails("advance", "1", match="is the last open stage")
        return
    fails(*args, match=message)


def test_stages_list_and_formats(ok, two_leads) -> None:
    out = ok("stages").stdout
    for name in (
        "lead",
        "contacted",
        "qualified",
        "proposal",
        "quote",
        "negotiation",
        "won",
        "lost",
    ):
        assert name in out
    data = json.loads(ok("stages", "--format", "json").stdout)
    assert [(s["name"], s["probability"]) for s in data] == [
        ("lead", 10), ("contacted", 20), ("qualified", 35), ("proposal", 50),
        ("quote", 65), ("negotiation", 80), ("won", 100), ("lost", 0),
    ]  # fmt: skip
    assert data[0]["open_deals"] == 2


def test_presets(ok, fails, two_leads) -> None:
    ok("stages", "preset", "simple")
    names = [s["name"] for s in json.loads(ok("stages", "--format", "json").stdout)]
    assert names == ["lead", "quote", "won", "lost"]
    ok("advance", "1")
    assert lead(ok, "1")["lead"]["stage"] == "quote"
    fails("stages", "preset", "seed6", match='1 lead(s) are in stage "lead"')
    ok("stages", "preset", "seed6", "--map", "lead=identify", "--map", "quote=quote/contract")
    assert lead(ok, "1")["lead"]["stage"] == "quote/contract"
    assert lead(ok, "2")["lead"]["stage"] == "identify"
    # Each maps to a stage that did not exist: renames, which carry the history along …
    history = lead(ok, "1")["history"]
    assert [(h["from"], h["to"]) for h in history] == [
        (None, "identify"),
        ("identify", "quote/contract"),
    ]
    # … while a map into a stage that stays merges: the move is recorded, the old name kept.
    ok("stages", "preset", "simple", "--map", "identify=lead", "--map", "quote/contract=quote")
    ok("stages", "set", "lead:10", "--map", "quote=lead")
    history = lead(ok, "1")["history"]
    assert (history[-1]["from"], history[-1]["to"], history[-1]["note"]) == (
        "quote",
        "lead",
        "pipeline changed",
    )  # … and records the move the pipeline change made
    fails("stages", "preset", "enterprise", match='unknown preset "enterprise"')


def test_stages_set_with_chinese_names(ok, fails) -> None:
    ok("stages", "set", "线索:10", "初步联系:20", "需求分析:35", "报价:65", "谈判:80:7")
    data = json.loads(ok("stages", "--format", "json").stdout)
    assert [s["name"] for s in data] == [
        "线索",
        "初步联系",
        "需求分析",
        "报价",
        "谈判",
        "won",
        "lost",
    ]
    assert data[4]["stale_days"] == 7 and data[0]["stale_days"] == 14
    ok("lead", "add", "王芳", "--company", "杭州某贸易公司")
    ok("advance", "王芳")
    assert lead(ok, "王芳")["lead"]["stage"] == "初步联系"
    ok("advance", "王芳", "报价")
    assert lead(ok, "1")["lead"]["probability"] == 65


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stages", "set", "lead"), 'cannot read stage "lead"'),
        (("stages", "set", "lead:110"), "probability 110"),
        (("stages", "set", "lead:10", "lead:20"), 'stage "lead" is listed twice'),
        (("stages", "set", "lead:10", "won:100"), '"won" is the won stage, which always exists'),
        (("stages", "set", "a:10", "--map", "lead=zzz"), '"zzz" is not an open stage'),
        (("stages", "set", "a:10", "--map", "lead=won"), '"won" is not an open stage'),
        (("stages", "set", "a:10", "--map", "typo=a"), 'there is no open stage "typo"'),
        (("stages", "set", "lead:10", "a:5", "--map", "lead=a"), '"lead" stays in the new'),
        (("stages", "set", "a:10", "--map", "nonsense"), "write --map OLD=NEW"),
        (("stages", "set", "a:x"), 'cannot read stage "a:x"'),
    ],
)
def test_stages_bad_input(fails, two_leads, args, message) -> None:
    fails(*args, match=message)


def test_closing_a_deal_drops_its_open_next_steps(ok, two_leads) -> None:
    ok("followup", "add", "1", "send the deck", "--due", "fri")
    ok("followup", "add", "1", "call the CFO", "--due", "2026-12-01")
    ok("followup", "add", "2", "demo", "--due", "fri")
    result = ok("advance", "1", "lost", "--reason", "budget")
    assert "(dropped open follow-ups: #1 send the deck, #2 call the CFO)" in result.stderr
    card = json.loads(ok("lead", "show", "1", "--format", "json").stdout)
    assert card["followups"] == []
    assert len(json.loads(ok("lead", "show", "2", "--format", "json").stdout)["followups"]) == 1
    ok("undo")
    assert len(json.loads(ok("lead", "show", "1", "--format", "json").stdout)["followups"]) == 2


def test_closing_a_deal_names_its_quotes_still_sent(ok, two_leads) -> None:
    """A win or loss leaves the quotes as they are (the client may have taken another offer)
    but says which are still out and how to record what the client did."""
    ok("quote", "new", "1", "--item", "Gateway; 2; 980")  # Q-2026-0001: sent below
    ok("quote", "new", "1", "--item", "Cable; 1; 10")  # Q-2026-0002: stays a draft
    ok("quote", "send", "Q-2026-0001")
    won = ok("advance", "1", "won").stderr
    assert (
        "Quote Q-2026-0001 is still sent — if the client took it: salesflow quote accept "
        "Q-2026-0001 (the deal value becomes its total)"
    ) in won
    assert "Q-2026-0002" not in won  # a draft was never the client's to take
    quote = json.loads(ok("quote", "show", "Q-2026-0001", "--format", "json").stdout)
    assert quote["status"] == "sent"  # the hint changes nothing
    ok("quote", "accept", "Q-2026-0001")
    assert "still sent" not in ok("advance", "1", "--reopen").stderr
    ok("quote", "new", "2", "--item", "A; 1; 100")  # Q-2026-0003
    ok("quote", "new", "2", "--item", "B; 1; 200")  # Q-2026-0004
    ok("quote", "send", "Q-2026-0003")
    ok("quote", "send", "Q-2026-0004")
    lost = ok("advance", "2", "lost", "--reason", "price").stderr
    assert (
        "Quotes Q-2026-0003, Q-2026-0004 are still sent — record the client's no: "
        'salesflow quote reject NUMBER --reason "…" for each'
    ) in lost
    ok("undo")
    zh = ok("--lang", "zh_CN", "advance", "2", "won").stderr
    assert "报价 Q-2026-0003、Q-2026-0004 仍为已发送" in zh
    assert "salesflow quote accept 编号" in zh
    assert "still sent" not in ok("advance", "1", "won").stderr  # no quote left out


def test_losing_with_one_sent_quote_says_how_to_reject_it(ok, two_leads) -> None:
    ok("quote", "new", "2", "--item", "A; 1; 100")
    ok("quote", "send", "Q-2026-0001")
    lost = ok("advance", "2", "lost", "--reason", "price").stderr
    assert (
        "Quote Q-2026-0001 is still sent — record the client's no: salesflow quote reject "
        'Q-2026-0001 --reason "…"'
    ) in lost


def test_closing_on_one_quote_names_the_others_still_sent(ok, two_leads) -> None:
    """Accepting or rejecting (--lost) one quote closes the deal: the client's answer is a no
    to its other quotes still out, and the seller is told which."""
    for item in ("A; 1; 100", "B; 1; 200", "C; 1; 300"):
        ok("quote", "new", "1", "--item", item)
    ok("quote", "copy", "Q-2026-0001")  # Q-2026-0001-v2, superseded by the accept below
    for number in ("Q-2026-0001", "Q-2026-0002", "Q-2026-0003", "Q-2026-0001-v2"):
        ok("quote", "send", number)
    accepted = ok("quote", "accept", "Q-2026-0001").stderr
    assert "Marked rejected as superseded: Q-2026-0001-v2" in accepted
    assert (
        "Quotes Q-2026-0002, Q-2026-0003 are still sent — record the client's no: "
        'salesflow quote reject NUMBER --reason "…" for each'
    ) in accepted
    ok("quote", "new", "2", "--item", "D; 1; 100")  # Q-2026-0004
    ok("quote", "new", "2", "--item", "E; 1; 100")  # Q-2026-0005
    ok("quote", "send", "Q-2026-0004")
    ok("quote", "send", "Q-2026-0005")
    lost = ok("quote", "reject", "Q-2026-0004", "--lost", "--reason", "price").stderr
    assert "Quote Q-2026-0005 is still sent — record the client's no" in lost
    assert "Q-2026-0004 is still sent" not in lost

"""The agenda's indexed queries against a plain reading of the rules over every row.

agenda.py and followups.grouped read only what they show, through stored facts (touches.py)
and indexes; here the same answers are worked out the slow, obvious way from the raw rows, for
pipelines built at random, around today's boundary in UTC+8 and UTC-5 (with a DST change),
so a fast path that drifted from the rules fails."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from salesflow import activities, agenda, dates, followups, leads, moves, pipeline, store
from salesflow.dates import Due
from salesflow.pipeline import REMAP_NOTE

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ZONES = [UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")]
# 09:00 UTC; 15:59 UTC = 23:59 in Shanghai; 16:00 UTC = Tue 00:00 in Shanghai; 06:30 UTC on
# the New York fall-back day (01:30 happens twice there).
MOMENTS = [
    NOW,
    datetime(2026, 11, 23, 15, 59, tzinfo=UTC),
    datetime(2026, 11, 23, 16, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
]


def _iso(t: datetime) -> str:
    return dates.to_utc_iso(t)


def build(conn, rng: random.Random, now: datetime) -> None:
    """A small pipeline with stage limits of 3-20 days, touches, moves, a remap and open,
    done, timed and untimed follow-ups spread around `now`."""
    specs = [pipeline.parse_spec(s) for s in ("lead:10:3", "talk:40:7", "offer:60:20")]
    pipeline.set_pipeline(conn, specs, {}, _iso(now))
    names = ["lead", "talk", "offer"]
    for i in range(40):
        created = now - timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 1440))
        fields = leads.LeadFields(name=f"L{i}", company=f"C{i % 7}")
        lead = leads.add(conn, fields, stage=rng.choice(names), currency="USD",
                         now_iso=_iso(created))  # fmt: skip
        for _ in range(rng.choice([0, 0, 1, 3])):
            at = created + (now - created) * rng.random()
            activities.log(conn, lead, "call", "x", happened_at=_iso(at), now_iso=_iso(now))
        r = rng.random()
        if r < 0.2:
            moved = created + (now - created) * rng.random()
            closing = rng.choice(["won", "lost"])
            moves.advance(conn, leads.get(conn, lead.id), closing, now_iso=_iso(moved),
                          reason="x" if closing == "lost" else None)  # fmt: skip
        elif r < 0.4:
            moved = created + (now - created) * rng.random()
            target = rng.choice([n for n in names if n != lead.stage])
            moves.advance(conn, leads.get(conn, lead.id), target, now_iso=_iso(moved))
        for _ in range(rng.choice([0, 1, 1, 2, 4])):
            day = dates.local_today(now, UTC) + timedelta(days=rng.randint(-5, 12))
            at = rng.choice([None, time(0, 0), time(8, 30), time(9, 0), time(15, 59), time(23, 59)])
            f = followups.add(conn, leads.get(conn, lead.id), "next", Due(day, at), now=now,
                              tz=UTC, force=True)  # fmt: skip
            if rng.random() < 0.25:
                followups.complete(conn, f, done_at=_iso(now), now=now, tz=UTC)
    # On the stale boundary of each stage (3, 7, 20 days): exactly the limit is not "longer
    # than" it, a second more is; and exactly 24 h old for the first touch.
    for n, (stage, days) in enumerate([("lead", 3), ("talk", 7), ("offer", 20)]):
        for extra in (0, 1):
            created = now - timedelta(days=days, seconds=extra)
            leads.add(conn, leads.LeadFields(name=f"B{n}{extra}"), stage=stage, currency="USD",
                      now_iso=_iso(created))  # fmt: skip
    leads.add(conn, leads.LeadFields(name="Day"), stage="offer", currency="USD",
              now_iso=_iso(now - timedelta(hours=24)))  # fmt: skip
    if rng.random() < 0.5:  # a remap of "talk" moves nobody's deal
        specs = [pipeline.parse_spec(s) for s in ("lead:10:3", "meet:40:7", "offer:60:20")]
        pipeline.set_pipeline(conn, specs, {"talk": "meet"}, _iso(now))


def reference(conn, now: datetime, tz) -> dict[str, list[tuple]]:
    """Each section's rows, in order, from the rules as written in agenda.py's docstrings."""
    today = dates.local_today(now, tz)
    stages = {n: (k, p, d) for n, k, p, d in conn.execute(
        "SELECT name, kind, position, stale_days FROM stages")}  # fmt: skip
    lead_rows = conn.execute("SELECT id, stage, created_at FROM leads").fetchall()
    open_leads = {i: (s, c) for i, s, c in lead_rows if stages.get(s, ("",))[0] == "open"}
    acts: dict[int, list[str]] = {}
    for lead_id, at in conn.execute("SELECT lead_id, happened_at FROM activities"):
        acts.setdefault(lead_id, []).append(at)
    moved: dict[int, list[str]] = {}
    for lead_id, at, note in conn.execute("SELECT lead_id, changed_at, note FROM stage_changes"):
        if note != REMAP_NOTE:
            moved.setdefault(lead_id, []).append(at)
    fus = [followups.Followup(*r) for r in conn.execute(
        "SELECT f.id, f.lead_id, f.customer_id, f.action, f.due_date, f.due_time, f.created_at, "
        "f.done_at, f.recur, l.name, l.company, l.stage FROM followups f "
        "JOIN leads l ON l.id = f.lead_id WHERE f.done_at IS NULL")]  # fmt: skip
    order = sorted(fus, key=lambda f: (f.due_date, f.due_time is None, f.due_time or "", f.id))
    late = [f.id for f in order if dates.is_overdue(f.due, now, tz)]
    due = [f.id for f in order if f.due.day == today and not dates.is_overdue(f.due, now, tz)]
    planned = {f.lead_id for f in fus}
    unplanned = sorted((i for i in open_leads if i not in planned),
                       key=lambda i: (-stages[open_leads[i][0]][1], i))  # fmt: skip
    unplanned_rows = [(i, max(acts[i]) if i in acts else None) for i in unplanned]
    stale = []
    for i, (stage, created) in open_leads.items():
        since = max([created, *acts.get(i, []), *moved.get(i, [])])
        limit = _iso(now - timedelta(days=stages[stage][2]))
        if since < limit:
            stale.append((since, i))
    deadline = _iso(now - timedelta(hours=24))
    first = sorted((c, i) for i, (_s, c) in open_leads.items() if c < deadline and i not in acts)
    return {
        "overdue": [(i,) for i in late],
        "today": [(i,) for i in due],
        "unplanned": unplanned_rows,
        "stale": [(i, since) for since, i in sorted(stale)],
        "first_touch": [(i, c) for c, i in first],
    }


def shown(section: agenda.Section) -> list[tuple]:
    if section.name in ("overdue", "today"):
        return [(i.followup_id,) for i in section.items]
    return [(i.lead_id, i.since) for i in section.items]


@pytest.mark.parametrize("seed", range(6))
def test_agenda_matches_the_rules_row_for_row(tmp_path, seed: int) -> None:
    rng = random.Random(seed)
    conn = store.connect(tmp_path / "a.db")
    build(conn, rng, NOW)
    for tz in ZONES:
        for now in MOMENTS:
            want = reference(conn, now, tz)
            for limit in (None, 1, 3):
                got = {s.name: s for s in agenda.agenda(conn, now, tz, limit=limit)}
                for name, rows in want.items():
                    assert got[name].total == len(rows), (name, tz, now, limit)
                    assert shown(got[name]) == rows[:limit], (name, tz, now, limit)


@pytest.mark.parametrize("seed", range(4))
def test_grouped_is_search_cut_per_group(tmp_path, seed: int) -> None:
    """followup list's table (grouped) shows what search finds, at most `limit` per group."""
    rng = random.Random(100 + seed)
    conn = store.connect(tmp_path / "f.db")
    build(conn, rng, NOW)
    lead_ids = [None, *(r[0] for r in conn.execute("SELECT id FROM leads LIMIT 3"))]
    for tz in ZONES:
        for now in MOMENTS:
            for only, days in ((None, 7), (None, None), (None, 0), (None, 3), ("overdue", 7),
                               ("today", 7)):  # fmt: skip
                for lead_id in lead_ids:
                    found = followups.search(conn, now=now, tz=tz, only=only, days=days,
                                             lead_id=lead_id)  # fmt: skip
                    for limit in (None, 2):
                        groups = followups.grouped(conn, now=now, tz=tz, only=only, days=days,
                                                   lead_id=lead_id, limit=limit)  # fmt: skip
                        for g in groups:
                            want = [f for f, w in found if w == g.when]
                            assert g.total == len(want)
                            assert g.items == want[:limit]
                        assert sum(g.total for g in groups) == len(found)


def test_a_time_shared_by_several_follow_ups_is_asked_once(conn) -> None:
    """passed_times asks is_overdue per distinct time: three follow-ups at 08:30 today in
    Shanghai (00:30 UTC) are all overdue at 09:00 UTC (17:00 there), the 18:00 one is not."""
    shanghai = ZoneInfo("Asia/Shanghai")
    a = leads.add(conn, leads.LeadFields(name="A"), stage="lead", currency="USD",
                  now_iso="2026-11-20T00:00:00Z")  # fmt: skip
    day = date(2026, 11, 23)
    early = [followups.add(conn, a, "x", Due(day, time(8, 30)), now=NOW, tz=shanghai, force=True)
             for _ in range(3)]  # fmt: skip
    later = followups.add(conn, a, "y", Due(day, time(18, 0)), now=NOW, tz=shanghai)
    assert followups.passed_times(conn, NOW, shanghai, day) == ("08:30",)
    late = agenda.overdue(conn, NOW, shanghai)
    assert [i.followup_id for i in late.items] == [f.id for f in early] and late.total == 3
    today = agenda.due_today(conn, NOW, shanghai)
    assert [i.followup_id for i in today.items] == [later.id] and today.total == 1

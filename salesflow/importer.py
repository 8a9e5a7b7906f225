"""Leads and activities in from a sheet: map the columns, check every row, plan, then apply.

`plan_leads` / `plan_activities` only read the database: they return what an import would
add, update and skip, and every row error, so `--dry-run` and a refused import show the
same report. `apply_*` writes a plan inside the caller's (one, journalled) transaction.

Rules a user relies on (README "Import and export"):
- Known English and Chinese headers map by themselves; `--map "header=field"` overrides and
  `header=-` drops a column. Columns salesflow has no field for are kept, as `header: value`
  lines appended to the lead's notes (the activity's note), and listed in the report.
- A lead is a duplicate when its email, its phone (digits only) or its name + company
  (case-insensitive) matches an existing lead or an earlier row; importing a file twice adds
  nothing the second time. An activity is a duplicate when lead, kind, time and note match.
- Times without an offset are local; due and close dates are local days.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from operator import itemgetter
from typing import Any

from salesflow import csvsafe, dates, leads, money, pipeline
from salesflow.errors import SalesflowError
from salesflow.sheets import MAX_CELL, Sheet

# progress(what, done, total): the command draws it; the domain only reports.
Progress = Callable[[str, int, int], None]
ON_DUPLICATE = ("skip", "update", "error")
_EVERY = 2000  # rows between progress reports

LEAD_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("contact", "contact name", "full name", "person", "联系人", "姓名", "联系人姓名",
             "客户姓名"),
    "company": ("company name", "organization", "organisation", "account", "公司", "公司名称",
                "客户名称", "客户", "单位", "企业名称"),
    "email": ("e-mail", "email address", "mail", "邮箱", "电子邮箱", "电子邮件"),
    "phone": ("telephone", "tel", "mobile", "phone number", "电话", "联系方式", "手机", "手机号",
              "联系电话"),
    "source": ("lead source", "channel", "线索来源", "来源", "渠道"),
    "grade": ("rating", "分级", "等级", "客户等级", "客户分级"),
    "stage": ("销售阶段", "阶段"),
    "value": ("amount", "budget", "deal value", "expected value", "金额", "预算", "预计金额"),
    "currency": ("币种", "货币"),
    "tags": ("tag", "labels", "标签"),
    "notes": ("note", "comment", "comments", "remarks", "备注", "跟进记录", "说明"),
    "expected_close": ("close date", "预计成交日期", "预计成交"),
    "bant": (),
    "bant_budget": (),
    "bant_authority": (),
    "bant_need": (),
    "bant_timeline": (),
    "bant_note": (),
    "lost_reason": ("丢单原因", "输单原因"),
    "lost_from": (),
    "won_note": ("赢单说明",),
    "created_at": ("created", "创建时间", "录入时间"),
    "updated_at": ("updated", "更新时间"),
    "closed_at": ("closed", "关闭时间"),
}  # fmt: skip
# Columns of `salesflow export leads` that describe the database, not the lead: read, not kept.
LEAD_IGNORED = ("id", "probability", "customer_id")

ACTIVITY_FIELDS: dict[str, tuple[str, ...]] = {
    "lead_id": ("lead", "lead number", "线索", "线索编号", "客户编号"),
    "email": LEAD_FIELDS["email"],
    "name": LEAD_FIELDS["name"],
    "company": LEAD_FIELDS["company"],
    "kind": ("type", "activity", "activity type", "类型", "方式", "跟进方式"),
    "note": ("notes", "description", "details", "content", "summary", "内容", "备注", "跟进记录",
             "跟进内容", "记录"),
    "happened_at": ("happened", "date", "time", "when", "datetime", "时间", "日期", "跟进时间",
                    "跟进日期"),
}  # fmt: skip
ACTIVITY_IGNORED = ("id", "created_at")
# salesflow/activities.py owns the kinds (setting `activity_kinds`, else these); the aliases
# let another tool's Chinese or English names land on them.
ACTIVITY_KINDS = ("call", "email", "meeting", "visit", "note")
_KIND_ALIASES = {
    "phone": "call", "phonecall": "call", "电话": "call", "通话": "call",
    "e-mail": "email", "mail": "email", "邮件": "email",
    "会议": "meeting", "会面": "meeting", "拜访": "visit", "上门": "visit", "备注": "note",
}  # fmt: skip
_BANT = {"yes": "yes", "y": "yes", "true": "yes", "是": "yes", "有": "yes",
         "no": "no", "n": "no", "false": "no", "否": "no", "无": "no",
         "unknown": "unknown", "?": "unknown", "未知": "unknown"}  # fmt: skip
_NOT_DIGIT = re.compile(r"[^0-9]")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_UTC_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


# ---- what a plan holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None  # the file's header, as the user sees it
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RowNote:
    """A row that was skipped, or left unchanged, or changed less than it asked."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class Plan:
    kind: str  # leads | activities
    sheet: str  # the file, as described to the user
    rows: int = 0
    new: list[Any] = field(default_factory=list)  # NewLead / activity tuples, in file order
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)  # lead id -> changes
    unchanged: list[RowNote] = field(default_factory=list)
    skipped: list[RowNote] = field(default_factory=list)
    merged: list[RowNote] = field(default_factory=list)  # later rows about a new lead
    errors: list[RowError] = field(default_factory=list)
    notices: list[RowNote] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # columns kept in notes
    ignored: list[str] = field(default_factory=list)  # columns read but not imported

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass(frozen=True)
class Applied:
    added: range
    updated: int


@dataclass(frozen=True)
class Clock:
    """What "now" and "today" mean for this import (passed in; the domain never reads it)."""

    now: datetime
    tz: tzinfo
    date_order: str | None = None

    @property
    def now_iso(self) -> str:
        return dates.to_utc_iso(self.now)

    @property
    def today(self) -> date:
        return dates.local_today(self.now, self.tz)


# ---- columns -------------------------------------------------------------------------------


def parse_map(specs: Iterable[str]) -> dict[str, str]:
    """`--map "公司=company,联系人=name"` (repeatable; `，` works too) as header -> field."""
    result: dict[str, str] = {}
    for spec in specs:
        for part in filter(None, (p.strip() for p in re.split(r"[,，]", spec))):
            header, sep, target = part.partition("=")
            if not sep or not header.strip() or not target.strip():
                raise SalesflowError(
                    f'cannot read --map "{part}" — write HEADER=FIELD pairs, e.g. '
                    '--map "公司=company,联系人=name" (FIELD "-" drops the column)'
                )
            result[header.strip()] = target.strip()
    return result


def _key(header: str) -> str:
    # "*客户名称（必填）", "Company Name", "company_name" all reduce to the same key.
    text = re.sub(r"[(（][^)）]*[)）]\s*$", "", header.strip().lstrip("*").strip())
    return re.sub(r"[\s_\-./:：]+", "", text.casefold())


def _aliases(fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, aliases in fields.items():
        for alias in (name, *aliases):
            table.setdefault(_key(alias), name)
    return table


@dataclass(frozen=True)
class Columns:
    """How the sheet's columns land: field -> column index, and the columns kept in notes."""

    index: dict[str, int]
    header: dict[str, str]  # field -> the file's header text, for messages
    extra: list[tuple[int, str]]  # (column index, header) kept in notes
    ignored: list[str]


def map_columns(
    header: list[str],
    fields: dict[str, tuple[str, ...]],
    ignored: tuple[str, ...],
    overrides: dict[str, str],
    name: str,
) -> Columns:
    aliases = _aliases(fields)
    by_text = {h: i for i, h in enumerate(header)}
    by_key = {_key(h): i for i, h in reversed(list(enumerate(header)))}
    chosen: dict[int, str | None] = {}  # column -> field, None = dropped
    for source, target in overrides.items():
        column = by_text.get(source, by_key.get(_key(source)))
        if column is None:
            raise SalesflowError(
                f'--map names column "{source}", which {name} does not have — its columns are: '
                + ", ".join(header)
            )
        if target == "-":
            chosen[column] = None
        elif _key(target) in aliases:
            chosen[column] = aliases[_key(target)]
        else:
            raise SalesflowError(
                f'--map {source}={target}: "{target}" is not a field — use one of: '
                + ", ".join(fields)
                + ' (or "-" to drop the column)'
            )
    index: dict[str, int] = {}
    extra: list[tuple[int, str]] = []
    dropped: list[str] = []
    ignored_keys = {_key(i) for i in ignored}
    for i, text in enumerate(header):
        label = text or f"column {i + 1}"
        target = chosen[i] if i in chosen else aliases.get(_key(text))
        if i in chosen and target is None or i not in chosen and _key(text) in ignored_keys:
            dropped.append(label)
        elif target is None:
            extra.append((i, label))
        elif target in index:
            raise SalesflowError(
                f'{name}: columns "{header[index[target]]}" and "{label}" both mean {target} — '
                f'drop one with --map "{label}=-" or point it elsewhere with --map'
            )
        else:
            index[target] = i
    return Columns(index, {f: header[i] for f, i in index.items()}, extra, dropped)


def _without_blank_columns(cols: Columns, sheet: Sheet) -> Columns:
    """Drop columns with neither a header nor any data: spreadsheets save those in bulk."""

    def used(i: int) -> bool:
        return bool(sheet.header[i]) or any(i < len(c) and c[i] for _, c in sheet.rows)

    return Columns(cols.index, cols.header, [e for e in cols.extra if used(e[0])], cols.ignored)


# ---- cells ---------------------------------------------------------------------------------


class _Bad(Exception):
    """One cell's problem; becomes a RowError naming the column."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message


def _cells(sheet: Sheet, cols: Columns) -> Iterator[tuple[int, dict[str, str], list[str]]]:
    """Each row as field -> text (non-blank cells only, formula escape removed), plus the
    `header: value` lines of the columns kept in notes."""
    unescape = csvsafe.unescape if sheet.fmt in ("csv", "tsv") else None  # JSON is never escaped
    names = list(cols.index)
    pick = _picker(list(cols.index.values()))
    width = len(sheet.header)
    for number, cells in sheet.rows:
        if len(cells) != width:
            if any(c and c.strip() for c in cells[width:]):
                why = f"has {len(cells)} cells but the header has {width} — a separator inside "
                yield number, {"": why + "an unquoted cell?"}, []
                continue
            cells = (cells + [None] * width)[:width]
        # One comprehension per row: this runs for every cell of a 100k-row file.
        values = {
            k: v if v[0] != "'" or unescape is None else unescape(v)
            for k, v in zip(names, pick(cells), strict=True)
            if v and (v[0] not in " \t" or not v.isspace())
        }
        extra = []
        for i, label in cols.extra:
            text = cells[i]
            if text and not text.isspace():
                if unescape is not None and text[0] == "'":
                    text = unescape(text)
                extra.append(f"{label}: {text.strip()}")
        yield number, values, extra


def _picker(indexes: list[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    # itemgetter returns a bare value for one index and fails for none; always a tuple here.
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        return lambda cells: (cells[indexes[0]],)
    return itemgetter(*indexes)


def _instant(text: str, clock: Clock, field: str) -> str:
    """A time as UTC ISO text: ISO fast path, then salesflow's own date forms (local)."""
    text = text.strip()
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        try:
            dt = dates.parse_instant(text, clock.now, clock.tz, clock.date_order)
        except SalesflowError as e:
            raise _Bad(field, e.message) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=clock.tz)  # a time without offset is the user's local time
    elif _UTC_TEXT.fullmatch(text):
        return text  # already the stored form
    try:
        return dates.to_utc_iso(dt.astimezone(UTC))
    except (OverflowError, ValueError):
        raise _Bad(field, f'"{text}" is out of range') from None


def _day(text: str, clock: Clock, field: str) -> str:
    text = text.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        try:
            return dates.parse_date(text, clock.today, clock.date_order).isoformat()
        except SalesflowError as e:
            raise _Bad(field, e.message) from None


def _money(value: str, currency: str | None, default: str) -> money.Money:
    """`value` in the row's `currency` (else `default`); a symbol that contradicts it is an
    error. Plain decimals skip the general parser: exports are all plain decimals."""
    code = default
    if currency is not None:
        code = _CURRENCIES.get(currency) or _currency(currency)
    text = value.strip()
    if _DECIMAL.fullmatch(text):
        whole, _, frac = text.partition(".")
        exp = money.exponent(code)
        if len(frac) <= exp:
            return money.Money(int(whole) * 10**exp + int(frac.ljust(exp, "0") or 0), code)
    try:
        parsed = money.parse_money(text, code)
    except SalesflowError as e:
        raise _Bad("value", e.message) from None
    if currency is not None and parsed.currency != code:
        raise _Bad(
            "value", f'"{value}" is in {parsed.currency} but the currency column says {code}'
        )
    return parsed


_CURRENCIES: dict[str, str] = {}  # currency cell text -> checked code, across rows


def _currency(text: str) -> str:
    try:
        code = money.check_currency(text)
    except SalesflowError as e:
        raise _Bad("currency", e.message) from None
    _CURRENCIES[text] = code
    return code


def _bant(text: str, field: str) -> str:
    value = _BANT.get(text.strip().casefold())
    if value is None:
        raise _Bad(field, f'"{text}" — use yes, no or unknown')
    return value


def _tags(text: str) -> list[str]:
    return leads.clean_tags([text.replace("，", ",")])


def _stages(conn: sqlite3.Connection) -> Callable[[str, str], pipeline.Stage]:
    all_stages = pipeline.stages(conn)
    exact = {s.name: s for s in all_stages}
    folded: dict[str, list[pipeline.Stage]] = {}
    for s in all_stages:
        folded.setdefault(s.name.casefold(), []).append(s)
    names = ", ".join(s.name for s in all_stages)

    def find(text: str, field: str) -> pipeline.Stage:
        name = text.strip()
        if name in exact:
            return exact[name]
        found = folded.get(name.casefold(), [])
        if len(found) == 1:
            return found[0]
        raise _Bad(field, f'"{name}" is not a stage — the stages are: {names}')

    return find


def _ticker(progress: Progress | None, what: str, total: int) -> Callable[[int], None]:
    def tick(done: int) -> None:
        if progress is not None and (done % _EVERY == 0 or done == total):
            progress(what, done, total)

    return tick


# ---- leads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadOptions:
    currency: str  # for rows without a currency
    clock: Clock
    on_duplicate: str = "skip"
    source: str | None = None  # for rows without a source
    stage: str | None = None  # for rows without a stage (default: the first open stage)
    mapping: dict[str, str] = field(default_factory=dict)


class _Keys:
    """Who a lead is, for finding duplicates: email, phone digits, name + company."""

    def __init__(self) -> None:
        self.email: dict[str, Any] = {}
        self.phone: dict[str, Any] = {}
        self.person: dict[tuple[str, str], Any] = {}

    @staticmethod
    def of(name: str | None, company: str | None, email: str | None, phone: str | None):
        e = email.strip().casefold() if email else None
        digits = _NOT_DIGIT.sub("", phone) if phone else ""
        p = digits if len(digits) >= 5 else None  # "n/a", "-" and extensions are no identity
        person = (" ".join((name or "").split()).casefold(),
                  " ".join((company or "").split()).casefold())  # fmt: skip
        return e, p, person if person[0] else None

    def add(self, target: Any, keys: tuple) -> None:
        e, p, person = keys
        if e:
            self.email.setdefault(e, target)
        if p:
            self.phone.setdefault(p, target)
        if person:
            self.person.setdefault(person, target)

    def match(self, keys: tuple) -> list[tuple[Any, str]]:
        e, p, person = keys
        found = []
        for index, key, by in (
            (self.email, e, "email"),
            (self.phone, p, "phone"),
            (self.person, person, "name and company"),
        ):
            if key and key in index and all(t != index[key] for t, _ in found):
                found.append((index[key], by))
        return found


def plan_leads(
    conn: sqlite3.Connection,
    sheet: Sheet,
    options: LeadOptions,
    progress: Progress | None = None,
) -> Plan:
    """What importing `sheet` as leads would do. Reads the database, writes nothing."""
    if options.on_duplicate not in ON_DUPLICATE:
        raise SalesflowError(f"--on-duplicate {options.on_duplicate} — use skip, update or error")
    cols = map_columns(sheet.header, LEAD_FIELDS, LEAD_IGNORED, options.mapping, sheet.name)
    cols = _without_blank_columns(cols, sheet)
    if "name" not in cols.index:
        raise SalesflowError(
            f"{sheet.name} has no column for the contact's name (name, contact, 联系人, 姓名 …) — "
            f"its columns are: {', '.join(sheet.header)}; point one at it with "
            '--map "COLUMN=name"'
        )
    find_stage = _stages(conn)
    if options.stage:
        try:
            default_stage = find_stage(options.stage, "stage")
        except _Bad as e:
            raise SalesflowError(f"--stage: {e.message}") from None
    else:
        default_stage = pipeline.open_stages(conn)[0]
    default_currency = money.check_currency(options.currency)
    plan = Plan("leads", f"{sheet.name} ({sheet.described})", rows=len(sheet.rows))
    plan.kept = [label for _, label in cols.extra]
    plan.ignored = cols.ignored
    keys = _Keys()
    people: dict[int, tuple[str, str | None]] = {}
    for id_, name, company, email, phone in conn.execute(
        "SELECT id, name, company, email, phone FROM leads ORDER BY id"
    ):
        keys.add(id_, _Keys.of(name, company, email, phone))
        people[id_] = (name, company)
    pending: dict[int, dict[str, Any]] = {}  # existing lead id -> wanted facts (update mode)
    tick = _ticker(progress, "Checking rows", len(sheet.rows))
    reader = _LeadReader(find_stage, default_stage, default_currency, options.source, options.clock)
    for done, (number, values, extra) in enumerate(_cells(sheet, cols), 1):
        tick(done)
        if "" in values:
            plan.errors.append(RowError(number, None, values[""]))
            continue
        try:
            facts = reader.read(values, extra)
        except _Many as e:
            plan.errors += [RowError(number, cols.header.get(b.field, b.field), b.message)
                            for b in e.problems]  # fmt: skip
            continue
        row_keys = _Keys.of(facts.name, facts.company, facts.email, facts.phone)
        matches = keys.match(row_keys)
        if not matches:
            keys.add(("row", number, len(plan.new)), row_keys)
            plan.new.append(facts)
            continue
        target, by = matches[0]
        what = _describe(target, people)
        if options.on_duplicate == "error" or (
            options.on_duplicate == "update" and len(matches) > 1
        ):
            why = (
                f"duplicate of {what} (same {by})"
                if len(matches) == 1 or options.on_duplicate == "error"
                else "matches "
                + " and ".join(f"{_describe(t, people)} by {b}" for t, b in matches)
                + " — fix the row or merge those leads first"
            )
            plan.errors.append(RowError(number, None, why))
        elif options.on_duplicate == "skip":
            plan.skipped.append(RowNote(number, f"skipped: same {by} as {what}"))
        elif isinstance(target, tuple):  # an earlier row of this file: merge into it
            _merge(plan.new[target[2]], facts, values)
            plan.merged.append(RowNote(number, f"merged into {what} (same {by})"))
        else:
            wanted = pending.setdefault(target, {})
            wanted.update(_wanted(facts, values, wanted.get("tags"), wanted.get("notes")))
            wanted.setdefault("_rows", []).append(number)
            if "stage" in values:
                wanted["_stage"] = (number, facts.stage)
    _resolve_updates(conn, plan, pending)
    return plan


class _Many(Exception):
    def __init__(self, problems: list[_Bad]) -> None:
        self.problems = problems


_GRADES = {g: g for g in leads.GRADES} | {
    f"{g}{suffix}": g.upper() for g in "ABCabc" for suffix in ("", "类", "级")
}


class _LeadReader:
    """Turns one row's cells into a NewLead. Built once per import: the stage, currency and
    grade lookups it caches would otherwise cost a query or a regex on every row."""

    def __init__(
        self,
        find_stage: Callable[[str, str], pipeline.Stage],
        default_stage: pipeline.Stage,
        default_currency: str,
        default_source: str | None,
        clock: Clock,
    ) -> None:
        self.find_stage = find_stage
        self.default_stage = default_stage
        self.currency = default_currency
        self.source = default_source
        self.clock = clock
        self.now_iso = clock.now_iso

    def read(self, values: dict[str, str], extra: list[str]) -> leads.NewLead:
        """Every problem in the row is reported (as _Many), not just the first."""
        problems: list[_Bad] = []
        get = values.get
        name = " ".join(get("name", "").split())
        if not name:
            problems.append(_Bad("name", "is empty — every lead needs a contact name"))
        stage = self.default_stage
        if "stage" in values:
            try:
                stage = self.find_stage(values["stage"], "stage")
            except _Bad as e:
                problems.append(e)
                stage = None
        value = None
        currency = self.currency
        if "value" in values:
            try:
                value = _money(values["value"], get("currency"), self.currency)
                currency = value.currency
            except _Bad as e:
                problems.append(e)
        elif "currency" in values:
            try:
                currency = money.check_currency(values["currency"])
            except SalesflowError as e:
                problems.append(_Bad("currency", e.message))
        grade = None
        if "grade" in values:
            grade = _GRADES.get(values["grade"].strip())
            if grade is None:
                problems.append(
                    _Bad("grade", f'"{values["grade"]}" is not a grade — use A, B or C')
                )
        bant = self._bant(values, problems) if "bant" in values or "bant_need" in values or (
            "bant_budget" in values or "bant_authority" in values or "bant_timeline" in values
        ) else _NO_BANT  # fmt: skip
        created = updated = closed = close = None
        if "created_at" in values:
            created = self._instant(values["created_at"], "created_at", problems)
        if "updated_at" in values:
            updated = self._instant(values["updated_at"], "updated_at", problems)
        if "closed_at" in values:
            closed = self._instant(values["closed_at"], "closed_at", problems)
        if "expected_close" in values:
            try:
                close = _day(values["expected_close"], self.clock, "expected_close")
            except _Bad as e:
                problems.append(e)
        lost_reason = _text(get("lost_reason"))
        lost_from = None
        if stage is not None:
            lost_from = self._closing(stage, values, lost_reason, problems)
        if problems:
            raise _Many(problems)
        assert stage is not None
        created = created or self.now_iso
        notes = _text(get("notes"))
        if extra:
            notes = "\n".join([notes, *extra] if notes else extra)
        return leads.NewLead(
            name=name,
            stage=stage.name,
            currency=currency,
            created_at=created,
            updated_at=updated or self.now_iso,
            company=_line(get("company")),
            email=_line(get("email")),
            phone=_line(get("phone")),
            source=_line(get("source")) or self.source,
            grade=grade,
            bant_budget=bant["budget"],
            bant_authority=bant["authority"],
            bant_need=bant["need"],
            bant_timeline=bant["timeline"],
            bant_note=_text(get("bant_note")),
            value_minor=value.minor if value else None,
            tags=",".join(_tags(values["tags"])) if "tags" in values else "",
            notes=notes,
            expected_close=close,
            lost_reason=lost_reason if stage.kind == "lost" else None,
            lost_from=lost_from,
            won_note=_text(get("won_note")),
            closed_at=(closed or created) if stage.kind != "open" else None,
        )

    def _instant(self, text: str, field_: str, problems: list[_Bad]) -> str | None:
        try:
            iso = _instant(text, self.clock, field_)
        except _Bad as e:
            problems.append(e)
            return None
        if iso > self.now_iso:
            problems.append(_Bad(field_, f"{iso} is in the future — import what already happened"))
        return iso

    @staticmethod
    def _bant(values: dict[str, str], problems: list[_Bad]) -> dict[str, str]:
        bant = dict(_NO_BANT)
        if "bant" in values:
            try:
                bant |= leads.parse_bant(values["bant"])
            except SalesflowError as e:
                problems.append(_Bad("bant", e.message))
        for k in leads.BANT_KEYS:
            if f"bant_{k}" in values:
                try:
                    bant[k] = _bant(values[f"bant_{k}"], f"bant_{k}")
                except _Bad as e:
                    problems.append(e)
        return bant

    def _closing(
        self,
        stage: pipeline.Stage,
        values: dict[str, str],
        lost_reason: str | None,
        problems: list[_Bad],
    ) -> str | None:
        """The facts only a closed lead has must match its stage; returns lost_from."""
        if stage.kind == "lost":
            if not lost_reason:
                problems.append(_Bad("lost_reason", "is empty — a lost lead needs a reason"))
            if "lost_from" in values:
                try:
                    return self.find_stage(values["lost_from"], "lost_from").name
                except _Bad as e:
                    problems.append(e)
            return None
        for f in ("lost_reason", "lost_from"):
            if f in values:
                problems.append(_Bad(f, f'only lost leads have a {f}, not "{stage.name}" ones'))
        if stage.kind == "open" and "closed_at" in values:
            problems.append(
                _Bad("closed_at", f'only won or lost leads are closed, not "{stage.name}"')
            )
        return None


_NO_BANT = dict.fromkeys(leads.BANT_KEYS, "unknown")


def _line(text: str | None) -> str | None:
    """A one-line fact (company, email …): outer spaces off, nothing left means not given."""
    if text is None:
        return None
    return text.strip() or None


def _text(text: str | None) -> str | None:
    """Free text keeps its own line breaks and spacing; only blank means not given."""
    return text if text and text.strip() else None


# Facts an update may change: everything but stage and history, which `advance` owns.
_UPDATABLE = ("name", "company", "email", "phone", "source", "grade", "bant_budget",
              "bant_authority", "bant_need", "bant_timeline", "bant_note", "notes",
              "expected_close")  # fmt: skip
_FIELD_OF = {f"bant_{k}": (f"bant_{k}", "bant") for k in leads.BANT_KEYS}


def _given(values: dict[str, str], column: str) -> bool:
    return any(v in values for v in _FIELD_OF.get(column, (column,)))


def _wanted(
    facts: leads.NewLead, values: dict[str, str], tags: str | None, notes: str | None
) -> dict[str, Any]:
    """The facts a duplicate row gives (its non-empty cells) for updating a lead that has
    `tags` and `notes`: given facts replace, tags and notes add up (so a re-import is a no-op)."""
    wanted: dict[str, Any] = {}
    for column in _UPDATABLE:
        if _given(values, column):
            wanted[column] = getattr(facts, column)
    if "value" in values:
        wanted["value_minor"] = facts.value_minor
        wanted["currency"] = facts.currency
    if facts.tags:
        wanted["tags"] = ",".join(leads.clean_tags([tags or "", facts.tags]))
    if facts.notes:
        wanted["notes"] = _add_note(notes, facts.notes)
    return wanted


def _add_note(old: str | None, new: str) -> str:
    """`old` plus the lines of `new` it does not have yet: importing twice adds nothing."""
    if not old:
        return new
    have = set(old.splitlines())
    fresh = [line for line in new.splitlines() if line not in have]
    return "\n".join([old, *fresh]) if fresh else old


def _merge(target: leads.NewLead, facts: leads.NewLead, values: dict[str, str]) -> None:
    """A later row of the file about the same new lead: its given facts win."""
    for column, value in _wanted(facts, values, target.tags, target.notes).items():
        setattr(target, column, value)


def _describe(target: Any, people: dict[int, tuple[str, str | None]]) -> str:
    if isinstance(target, tuple):
        return f"row {target[1]}"
    name, company = people[target]
    return f"#{target} {name}" + (f" ({company})" if company else "")


def _resolve_updates(
    conn: sqlite3.Connection, plan: Plan, pending: dict[int, dict[str, Any]]
) -> None:
    """Compare the wanted facts with the stored lead: only real differences are updates."""
    for lead in leads.get_many(conn, list(pending)):
        wanted = pending[lead.id]
        numbers = wanted.pop("_rows")
        stage_row = wanted.pop("_stage", None)
        if "tags" in wanted:
            wanted["tags"] = ",".join(leads.clean_tags([lead.tags, wanted["tags"]]))
        if "notes" in wanted:
            wanted["notes"] = _add_note(lead.notes, wanted["notes"])
        changes = {k: v for k, v in wanted.items() if getattr(lead, k) != v}
        if stage_row and stage_row[1] != lead.stage:
            plan.notices.append(RowNote(
                    stage_row[0], f"{lead.label} stays in stage {lead.stage}: an import "
                    f"updates facts, not stages — salesflow advance {lead.id} {stage_row[1]}",
                ))  # fmt: skip
        if changes:
            plan.updates[lead.id] = changes
        else:
            plan.unchanged += [RowNote(n, f"same as {lead.label}") for n in numbers]


def apply_leads(
    conn: sqlite3.Connection, plan: Plan, *, now_iso: str, progress: Progress | None = None
) -> Applied:
    """Write the plan: updates first (journalled row by row), then every new lead and its
    creation history as one bulk insert (journalled as one step per table)."""
    from salesflow.store import journal, roomy_cache

    for lead_id, changes in plan.updates.items():
        changes = {**changes, "updated_at": now_iso}
        assignments = ", ".join(f"{k} = ?" for k in changes)
        conn.execute(f"UPDATE leads SET {assignments} WHERE id = ?", (*changes.values(), lead_id))
    tick = _ticker(progress, "Writing leads", len(plan.new))

    def counted() -> Iterator[leads.NewLead]:
        for done, new in enumerate(plan.new, 1):
            tick(done)
            yield new

    with roomy_cache(conn), journal.bulk_insert(conn, "leads", "stage_changes"):
        added = leads.insert(conn, counted())
    return Applied(added, len(plan.updates))


# ---- activities ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityOptions:
    clock: Clock
    on_duplicate: str = "skip"  # skip | error: an activity has nothing to update
    mapping: dict[str, str] = field(default_factory=dict)


def activity_kinds(conn: sqlite3.Connection) -> tuple[str, ...]:
    from salesflow import store

    configured = store.get_setting(conn, "activity_kinds")
    return tuple(k.strip() for k in configured.split(",")) if configured else ACTIVITY_KINDS


class _Leads:
    """Finds the lead a row of another tool's history is about."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.ids: set[int] = set()
        self.email: dict[str, list[int]] = {}
        self.person: dict[tuple[str, str], list[int]] = {}
        self.name: dict[str, list[int]] = {}
        for id_, name, company, email in conn.execute(
            "SELECT id, name, company, email FROM leads ORDER BY id"
        ):
            self.ids.add(id_)
            e, _, person = _Keys.of(name, company, email, None)
            if e:
                self.email.setdefault(e, []).append(id_)
            if person:
                self.person.setdefault(person, []).append(id_)
                self.name.setdefault(person[0], []).append(id_)

    def find(self, values: dict[str, str]) -> int:
        if "lead_id" in values:
            text = values["lead_id"].strip().lstrip("#")
            if not text.isdigit() or int(text) not in self.ids:
                raise _Bad("lead_id", f"no lead #{text} — see salesflow lead list --all")
            return int(text)
        e, _, person = _Keys.of(values.get("name"), values.get("company"), values.get("email"),
                                None)  # fmt: skip
        if e:
            return self._one(self.email.get(e, []), "email", f'no lead has email "{e}"')
        if person:
            found = self.person.get(person, [])
            if not found and not person[1]:  # no company given: a unique name will do
                found = self.name.get(person[0], [])
            who = values["name"].strip() + (f" ({values['company'].strip()})"
                                            if person[1] else "")  # fmt: skip
            return self._one(found, "name", f'no lead is called "{who}"')
        raise _Bad("", "names no lead — give lead_id, email, or name (+ company)")

    @staticmethod
    def _one(found: list[int], field_: str, missing: str) -> int:
        if not found:
            raise _Bad(field_, missing + " — see salesflow lead list --all")
        if len(found) > 1:
            shown = ", ".join(f"#{i}" for i in found[:5])
            raise _Bad(field_, f"matches {len(found)} leads ({shown}) — give lead_id instead")
        return found[0]


def plan_activities(
    conn: sqlite3.Connection,
    sheet: Sheet,
    options: ActivityOptions,
    progress: Progress | None = None,
) -> Plan:
    """What importing `sheet` as activities would do. Reads the database, writes nothing."""
    if options.on_duplicate not in ("skip", "error"):
        raise SalesflowError(
            f"--on-duplicate {options.on_duplicate} — activities take skip or error "
            "(a logged touch has nothing to update)"
        )
    cols = map_columns(sheet.header, ACTIVITY_FIELDS, ACTIVITY_IGNORED, options.mapping, sheet.name)
    cols = _without_blank_columns(cols, sheet)
    if not {"lead_id", "email", "name"} & set(cols.index):
        raise SalesflowError(
            f"{sheet.name} has no column naming the lead (lead_id, email, or name + company) — "
            f"its columns are: {', '.join(sheet.header)}; point one at it with "
            '--map "COLUMN=lead_id"'
        )
    if "happened_at" not in cols.index:
        raise SalesflowError(
            f"{sheet.name} has no column saying when each touch happened (happened_at, date, "
            f"时间 …) — its columns are: {', '.join(sheet.header)}; point one at it with "
            '--map "COLUMN=happened_at"'
        )
    plan = Plan("activities", f"{sheet.name} ({sheet.described})", rows=len(sheet.rows))
    plan.kept = [label for _, label in cols.extra]
    plan.ignored = cols.ignored
    known = activity_kinds(conn)
    kinds = {_key(k): k for k in known}
    kinds.update({k: v for k, v in _KIND_ALIASES.items() if v in known and k not in kinds})
    finder = _Leads(conn)
    seen: dict[tuple, str] = {
        key: "an activity already logged"
        for key in conn.execute("SELECT lead_id, kind, happened_at, note FROM activities")
    }
    clock = options.clock
    now_iso = clock.now_iso
    tick = _ticker(progress, "Checking rows", len(sheet.rows))
    for done, (number, values, extra) in enumerate(_cells(sheet, cols), 1):
        tick(done)
        if "" in values:
            plan.errors.append(RowError(number, None, values[""]))
            continue
        problems: list[_Bad] = []
        lead_id = kind = happened = None
        try:
            lead_id = finder.find(values)
        except _Bad as e:
            problems.append(e)
        text = values.get("kind", "note")
        kind = kinds.get(_key(text))
        if kind is None:
            problems.append(_Bad("kind", f'"{text}" is not an activity kind — use one of: '
                                 + ", ".join(known)))  # fmt: skip
        if "happened_at" not in values:
            problems.append(_Bad("happened_at", "is empty — when did it happen?"))
        else:
            try:
                happened = _instant(values["happened_at"], clock, "happened_at")
            except _Bad as e:
                problems.append(e)
            if happened and happened > now_iso:
                why = f"{happened} is in the future — log touches that happened; plan the next "
                problems.append(_Bad("happened_at", why + "one as a follow-up"))
        note = _text(values.get("note"))
        if extra:
            note = "\n".join([note, *extra] if note else extra)
        if not note:
            problems.append(_Bad("note", "is empty — say what happened"))
        elif len(note) > MAX_CELL:
            problems.append(_Bad("note", f"is longer than {MAX_CELL:,} characters"))
        if problems:
            plan.errors += [RowError(number, cols.header.get(b.field, b.field or None), b.message)
                            for b in problems]  # fmt: skip
            continue
        key = (lead_id, kind, happened, note)
        if key in seen:
            if options.on_duplicate == "error":
                plan.errors.append(RowError(number, None, f"duplicate of {seen[key]}"))
            else:
                plan.skipped.append(RowNote(number, f"skipped: same as {seen[key]}"))
            continue
        seen[key] = f"row {number}"
        plan.new.append(key)
    return plan


def apply_activities(
    conn: sqlite3.Connection, plan: Plan, *, now_iso: str, progress: Progress | None = None
) -> Applied:
    """Write the planned activities as one bulk insert (one undo step)."""
    from salesflow.store import journal, roomy_cache

    tick = _ticker(progress, "Writing activities", len(plan.new))

    def rows() -> Iterator[tuple]:
        for done, (lead_id, kind, happened, note) in enumerate(plan.new, 1):
            tick(done)
            yield lead_id, kind, note, happened, now_iso

    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM activities").fetchone()[0]
    with roomy_cache(conn), journal.bulk_insert(conn, "activities"):
        conn.executemany(
            "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows(),
        )
    return Applied(range(first, first + len(plan.new)), 0)

"""Which column of a sheet is which field: known English and Chinese headers, `--map`, and
the columns kept in notes; then each row as field -> text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from salesflow import csvsafe
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _
from salesflow.importer import layouts
from salesflow.sheets import Sheet

LEAD_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("contact", "contact name", "full name", "person", "联系人", "姓名", "联系人姓名",
             "客户姓名"),
    "company": ("company name", "organization", "organisation", "account", "公司", "公司名称",
                "客户名称", "客户", "单位", "单位名称", "工作单位", "企业名称"),
    "email": ("e-mail", "email address", "mail", "邮箱", "电子邮箱", "电子邮件"),
    "phone": ("telephone", "tel", "phone number", "电话", "联系方式", "联系电话"),
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
    "address": ("postal address", "地址", "公司地址", "联系地址", "通讯地址"),
    "tax_id": ("tax id", "vat number", "vat no", "纳税人识别号", "税号"),
    "doc_lang": ("document language", "quote language", "文档语言"),
}  # fmt: skip
# Columns of `salesflow export leads` that describe the database, not the lead: read, not kept.
LEAD_IGNORED = ("id", "probability", "customer_id", "stage_kind")

ACTIVITY_FIELDS: dict[str, tuple[str, ...]] = {
    "lead_id": ("lead", "lead number", "线索", "线索编号", "客户编号"),
    "email": LEAD_FIELDS["email"],
    "name": LEAD_FIELDS["name"],
    "company": LEAD_FIELDS["company"],
    "kind": ("type", "activity", "activity type", "类型", "方式", "跟进方式"),
    "note": ("notes", "description", "details", "content", "summary", "内容", "备注", "跟进记录",
             "跟进内容", "记录"),
    "happened_at": ("happened", "at", "date", "time", "when", "datetime", "时间", "日期",
                    "跟进时间", "跟进日期"),
}  # fmt: skip
ACTIVITY_IGNORED = ("id", "created_at")
# salesflow/activities.py owns the kinds (setting `activity_kinds`, else these); the aliases
# let another tool's Chinese or English names land on them.


def parse_map(specs: Iterable[str]) -> dict[str, str]:
    """`--map "公司=company,联系人=name"` (repeatable; `，` works too) as header -> field;
    `"First Name+Last Name=name"` builds one field from several columns."""
    result: dict[str, str] = {}
    for spec in specs:
        for part in filter(None, (p.strip() for p in re.split(r"[,，]", spec))):
            header, sep, target = part.partition("=")
            if not sep or not header.strip() or not target.strip():
                raise SalesflowError(
                    _('cannot read the column mapping "{part}"').format(part=part),
                    hint=Hint("import.map_syntax", part=part),
                )
            result[header.strip()] = target.strip()
    return result


def key(header: str) -> str:
    # "*客户名称（必填）", "Company Name", "company_name" all reduce to the same key.
    text = re.sub(r"[(（][^)）]*[)）]\s*$", "", header.strip().lstrip("*").strip())
    return re.sub(r"[\s_\-./:：]+", "", text.casefold())


def _aliases(fields: dict[str, tuple[str, ...]], *more: dict[str, tuple[str, ...]]) -> dict:
    table: dict[str, str] = {}
    for name, aliases in fields.items():
        for alias in (name, *aliases):
            table.setdefault(key(alias), name)
    for extra in more:
        for name, aliases in extra.items():
            if name in fields:
                for alias in aliases:
                    table.setdefault(key(alias), name)
    return table


_GIVEN = {key(h) for h in layouts.GIVEN}
_FAMILY = {key(h) for h in layouts.FAMILY}


@dataclass(frozen=True)
class Join:
    """One field built from several columns, in order; `name_parts`: an automatic (given,
    family) pair, which CJK names join family first (layouts.join_name)."""

    columns: tuple[int, ...]
    name_parts: bool = False

    def value(self, cells: list[Any]) -> str | None:
        parts = [c.strip() if c else None for c in (cells[i] for i in self.columns)]
        if self.name_parts:
            return layouts.join_name(*parts) or None
        return layouts.join_words([p for p in parts if p]) or None


@dataclass(frozen=True)
class Columns:
    """How the sheet's columns land: field -> column index, and the columns kept in notes."""

    index: dict[str, int]
    header: dict[str, str]  # field -> the file's header text, for messages
    extra: list[tuple[int, str]]  # (column index, header) kept in notes
    ignored: list[str]
    joins: dict[str, Join] = field(default_factory=dict)  # field -> columns joined into it

    @property
    def fields(self) -> set[str]:
        return set(self.index) | set(self.joins)


def map_columns(
    header: list[str],
    fields: dict[str, tuple[str, ...]],
    ignored: tuple[str, ...],
    overrides: dict[str, str],
    name: str,
) -> Columns:
    mapping = _Mapping(header, fields, ignored, name)
    for source, target in overrides.items():
        mapping.override(source, target)
    for i, text in enumerate(header):
        mapping.place(i, text)
    return mapping.finish()


class _Mapping:
    """map_columns' work in steps: the --map overrides, then each header, then the
    second-choice headers and the name parts that depend on all the others."""

    def __init__(
        self,
        header: list[str],
        fields: dict[str, tuple[str, ...]],
        ignored: tuple[str, ...],
        name: str,
    ) -> None:
        self.header, self.fields, self.name = header, fields, name
        self.aliases = _aliases(fields, layouts.LAYOUT_FIELDS)
        self.second = {key(a): f for f, names in layouts.SECOND_CHOICE.items() if f in fields
                       for a in names}  # fmt: skip
        self.ignored_keys = {key(i) for i in ignored}
        self.by_text = {h: i for i, h in enumerate(header)}
        self.by_key = {key(h): i for i, h in reversed(list(enumerate(header)))}
        self.chosen: dict[int, str | None] = {}  # column -> field, None = dropped
        self.joins: dict[str, Join] = {}
        self.labels: dict[str, str] = {}  # joined field -> its --map text
        self.index: dict[str, int] = {}
        self.extra: list[tuple[int, str]] = []
        self.dropped: list[str] = []
        self.later: list[tuple[int, str, str]] = []  # second-choice columns
        self.parts: dict[str, int] = {}  # "given"/"family" -> column

    def column(self, source: str) -> int:
        found = self.by_text.get(source, self.by_key.get(key(source)))
        if found is None:
            raise SalesflowError(
                _(
                    'the column mapping names column "{source}", which {name} does not have — '
                    "its columns are: {columns}"
                ).format(source=source, name=self.name, columns=", ".join(self.header)),
                hint=Hint(
                    "import.map_column", source=source, name=self.name,
                    columns=", ".join(self.header),
                ),
            )  # fmt: skip
        return found

    def override(self, source: str, target: str) -> None:
        if target != "-" and key(target) not in self.aliases:
            raise SalesflowError(
                _(
                    '"{target}" is not a field — use one of: {fields} (or "-" to drop the column)'
                ).format(target=target, fields=", ".join(self.fields)),
                hint=Hint("import.map_pair", source=source, target=target),
            )
        field_ = None if target == "-" else self.aliases[key(target)]
        parts = [source] if source in self.by_text else [p.strip() for p in source.split("+")]
        if len(parts) == 1:
            self.chosen[self.column(source)] = field_
            return
        if field_ is None or field_ in self.joins or not all(parts):
            raise SalesflowError(
                _("join columns into one field, once"),
                hint=Hint("import.map_join", source=source),
            )
        joined = tuple(self.column(p) for p in parts)
        self.joins[field_] = Join(joined)
        self.labels[field_] = source
        self.chosen.update(dict.fromkeys(joined, f"+{field_}"))  # taken by the join

    def place(self, i: int, text: str) -> None:
        label = text or f"column {i + 1}"
        k = key(text)
        target = self.chosen[i] if i in self.chosen else self.aliases.get(k)
        if target is not None and target.startswith("+"):
            return  # part of a join
        if i in self.chosen and target is None or i not in self.chosen and k in self.ignored_keys:
            self.dropped.append(label)
        elif target is None and k in self.second:
            self.later.append((i, label, self.second[k]))
        elif target is None and "name" in self.fields and (k in _GIVEN or k in _FAMILY):
            part = "given" if k in _GIVEN else "family"
            if part in self.parts:
                self.extra.append((i, label))
            else:
                self.parts[part] = i
        elif target is None:
            self.extra.append((i, label))
        elif target in self.index or target in self.joins:
            first = self.labels.get(target) or self.header[self.index[target]]
            raise SalesflowError(
                _('{name}: columns "{first}" and "{label}" both mean {target}').format(
                    name=self.name, first=first, label=label, target=target
                ),
                hint=Hint("import.map_twice", first=first, label=label, target=target),
            )
        else:
            self.index[target] = i

    def finish(self) -> Columns:
        for i, label, target in self.later:
            if target in self.index or target in self.joins:
                self.extra.append((i, label))
            else:
                self.index[target] = i
        parts = tuple(self.parts[p] for p in ("given", "family") if p in self.parts)
        if parts and ("name" in self.index or "name" in self.joins):
            # The whole name is there: its parts repeat it.
            self.dropped += [self.header[i] for i in parts]
        elif parts:
            self.joins["name"] = Join(parts, name_parts=len(parts) == 2)
            self.labels["name"] = "+".join(self.header[i] for i in parts)
        self.extra.sort()
        headers = {f: self.header[i] for f, i in self.index.items()} | self.labels
        return Columns(self.index, headers, self.extra, self.dropped, self.joins)


def without_blank_columns(cols: Columns, sheet: Sheet) -> Columns:
    """Drop columns with neither a header nor any data: spreadsheets save those in bulk."""

    def used(i: int) -> bool:
        return bool(sheet.header[i]) or any(i < len(c) and c[i] for __, c in sheet.rows)

    kept = [e for e in cols.extra if used(e[0])]
    return Columns(cols.index, cols.header, kept, cols.ignored, cols.joins)


def row_values(sheet: Sheet, cols: Columns) -> Iterator[tuple[int, dict[str, str], list[str]]]:
    """Each row as field -> text (non-blank cells only, formula escape removed), plus the
    `header: value` lines of the columns kept in notes. A row with more cells than the header
    comes back as {"": why} — the planner reports it as that row's error."""
    unescape = csvsafe.unescape if sheet.fmt in ("csv", "tsv") else None  # JSON is never escaped
    names = list(cols.index)
    pick = _picker(list(cols.index.values()))
    width = len(sheet.header)
    joins = list(cols.joins.items())
    for number, cells in sheet.rows:
        if len(cells) != width:
            if any(c and c.strip() for c in cells[width:]):
                why = _(
                    "has {count} cells but the header has {width} — "
                    "a separator inside an unquoted cell?"
                ).format(count=len(cells), width=width)
                yield number, {"": why}, []
                continue
            cells = (cells + [None] * width)[:width]
        # One comprehension per row: this runs for every cell of a 100k-row file.
        values = {
            k: v if v[0] != "'" or unescape is None else unescape(v)
            for k, v in zip(names, pick(cells), strict=True)
            if v and (v[0] not in " \t" or not v.isspace())
        }
        for target, join in joins:
            joined = join.value(cells)
            if joined:
                values[target] = joined
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

"""One row of `salesflow import leads` read as a new lead: every cell checked, every problem
of the row reported together."""

from __future__ import annotations

from collections.abc import Callable

from salesflow import leads, money, pipeline
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.importer import layouts
from salesflow.importer.plan import Clock
from salesflow.importer.values import (
    Bad,
    amount,
    bant_value,
    day,
    document_facts,
    email_problem,
    free_text,
    instant,
    one_line,
    tag_list,
)
from salesflow.sheets import MAX_CELL


class Many(Exception):
    def __init__(self, problems: list[Bad]) -> None:  # every problem of a row, not the first
        self.problems = problems


_GRADES = {f"{g}{suffix}": g.upper() for g in "ABCabc" for suffix in ("", "类", "级")}


class LeadReader:
    """One row's cells as a NewLead; built once per import, as its cached look-ups save work."""

    def __init__(
        self,
        find_stage: Callable[[str, str], pipeline.Stage],
        default_stage: pipeline.Stage,
        default_currency: str,
        default_source: str | None,
        clock: Clock,
        rating: str | None = None,
    ) -> None:
        self.find_stage = find_stage
        self.rating = rating  # the grade column's header when it is a "Rating" column
        self.default_stage = default_stage
        self.currency = default_currency
        self.source = default_source
        self.clock = clock
        self.now_iso = clock.now_iso

    def read(self, values: dict[str, str], extra: list[str]) -> leads.NewLead:
        """Every problem in the row is reported (as _Many), not just the first."""
        problems: list[Bad] = []
        get = values.get
        name = " ".join(get("name", "").split())
        if not name:
            problems.append(Bad("name", _("is empty — every lead needs a contact name")))
        stage = self.default_stage
        if "stage" in values:
            try:
                stage = self.find_stage(values["stage"], "stage")
            except Bad as e:
                problems.append(e)
                stage = None
        value = None
        currency = self.currency
        if "value" in values:
            try:
                value, currency = amount(values["value"], get("currency"), self.currency)
            except Bad as e:
                problems.append(e)
        elif "currency" in values:
            try:
                currency = money.check_currency(values["currency"])
            except SalesflowError as e:
                problems.append(Bad("currency", e.message))
        email_problem(one_line(get("email")), problems)
        grade = None
        if "grade" in values:
            text = values["grade"].strip()
            grade = _GRADES.get(text) or layouts.RATINGS.get(text.casefold())
            if grade is None and self.rating:  # another CRM's rating word: kept, not refused
                extra = [*extra, f"{self.rating}: {text}"]
            elif grade is None:
                problems.append(Bad("grade", _not_a_grade(values["grade"])))
        bant = self.bant_value(values, problems) if "bant" in values or "bant_need" in values or (
            "bant_budget" in values or "bant_authority" in values or "bant_timeline" in values
        ) else _NO_BANT  # fmt: skip
        created, updated, closed, close = self.dates(values, problems)
        facts, lost_reason = document_facts(values, problems), free_text(get("lost_reason"))
        lost_from = None
        if stage is not None and (
            stage.kind != "open"
            or "lost_reason" in values
            or "lost_from" in values
            or "closed_at" in values
        ):
            lost_from = self._closing(stage, values, lost_reason, problems)
        if problems:
            raise Many(problems)
        assert stage is not None
        created = created or self.now_iso
        notes = free_text(get("notes"))
        if extra:
            notes = "\n".join([notes, *extra] if notes else extra)
        if notes and len(notes) > MAX_CELL:  # the limit is on what is stored, however built
            raise Many([_notes_too_long(len(extra))])
        return leads.NewLead(
            name=name,
            stage=stage.name,
            currency=currency,
            created_at=created,
            updated_at=updated or self.now_iso,
            company=one_line(get("company")),
            email=one_line(get("email")),
            phone=one_line(get("phone")),
            source=one_line(get("source")) or self.source,
            grade=grade,
            bant_budget=bant["budget"],
            bant_authority=bant["authority"],
            bant_need=bant["need"],
            bant_timeline=bant["timeline"],
            bant_note=free_text(get("bant_note")),
            value_minor=value,
            tags=",".join(tag_list(values["tags"])) if "tags" in values else "",
            notes=notes,
            expected_close=close,
            lost_reason=lost_reason if stage.kind == "lost" else None,
            lost_from=lost_from,
            won_note=free_text(get("won_note")),
            closed_at=(closed or created) if stage.kind != "open" else None,
            **facts,
        )

    def dates(
        self, values: dict[str, str], problems: list[Bad]
    ) -> tuple[str | None, str | None, str | None, str | None]:
        """created_at, updated_at, closed_at (UTC instants) and expected_close (a day)."""
        created, updated, closed = (
            self.instant(values[f], f, problems) if f in values else None
            for f in ("created_at", "updated_at", "closed_at")
        )
        close = None
        if "expected_close" in values:
            try:
                close = day(values["expected_close"], self.clock, "expected_close")
            except Bad as e:
                problems.append(e)
        return created, updated, closed, close

    def instant(self, text: str, field_: str, problems: list[Bad]) -> str | None:
        try:
            iso = instant(text, self.clock, field_)
        except Bad as e:
            problems.append(e)
            return None
        if iso > self.now_iso:
            said = _("{iso} is in the future — import what already happened").format(iso=iso)
            problems.append(Bad(field_, said))
        return iso

    @staticmethod
    def bant_value(values: dict[str, str], problems: list[Bad]) -> dict[str, str]:
        bant = dict(_NO_BANT)
        if "bant" in values:
            try:
                bant |= leads.parse_bant(values["bant"])
            except SalesflowError as e:
                problems.append(Bad("bant", e.message))
        for k in leads.BANT_KEYS:
            if f"bant_{k}" in values:
                try:
                    bant[k] = bant_value(values[f"bant_{k}"], f"bant_{k}")
                except Bad as e:
                    problems.append(e)
        return bant

    def _closing(
        self,
        stage: pipeline.Stage,
        values: dict[str, str],
        lost_reason: str | None,
        problems: list[Bad],
    ) -> str | None:
        """The facts only a closed lead has must match its stage; returns lost_from."""
        if stage.kind == "lost":
            if not lost_reason:
                problems.append(Bad("lost_reason", _("is empty — a lost lead needs a reason")))
            if "lost_from" in values:
                try:
                    return self.find_stage(values["lost_from"], "lost_from").name
                except Bad as e:
                    problems.append(e)
            return None
        for f in ("lost_reason", "lost_from"):
            if f in values:
                said = _('only lost leads have a {field}, not "{stage}" ones')
                problems.append(Bad(f, said.format(field=f, stage=stage.name)))
        if stage.kind == "open" and "closed_at" in values:
            said = _('only won or lost leads are closed, not "{stage}"').format(stage=stage.name)
            problems.append(Bad("closed_at", said))
        return None


_NO_BANT = dict.fromkeys(leads.BANT_KEYS, "unknown")


def _not_a_grade(text: str) -> str:
    given = getattr(text, "given", None)  # a JSON true/false (sheetrows.JsonBool)
    if given is not None:
        return _("{value} is not a grade — use A, B or C").format(value=given)
    return _('"{grade}" is not a grade — use A, B or C').format(grade=text)


def _notes_too_long(kept: int) -> Bad:
    if kept:
        said = _(
            "the notes, with the {count} columns kept in them, are longer than {max:,} characters"
        )
        return Bad("notes", said.format(count=kept, max=MAX_CELL))
    return Bad("notes", _("the notes are longer than {max:,} characters").format(max=MAX_CELL))

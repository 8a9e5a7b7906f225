"""The words around a report's table: its title line and the notes under it, in the active
language. The figures in them come from the caller; nothing here computes."""

from __future__ import annotations

from typing import Any

from salesflow.i18n import _, phrase


def title(
    name: str, what: str, window: Any, base: str, *, span: bool = True, money: bool = True
) -> str:
    """`Funnel · leads created all time · money in CNY`; `name` and `what` come marked N_()."""
    parts = [_(name)]
    if span:
        if window.since is None and window.until is None:
            days = _("all time")
        else:
            days = f"{window.since or _('start')} … {window.until or window.ref_day}"
        parts.append(phrase(_(what) if what else "", days))
    if window.as_of:
        parts.append(_("as of the end of {day}").format(day=window.as_of))
    if money:
        parts.append(_("money in {currency}").format(currency=base))
    return " · ".join(parts)


def conversion_note() -> str:
    return _(
        "Reached: ever entered the stage or a later one (skipped stages count); a lost "
        "deal reached the stages up to the one it was lost from."
    )


def simulation_note(runs: int, seed: int | None) -> str:
    if seed is not None:
        return _("Simulated {runs} runs, seed {seed}.").format(runs=runs, seed=seed)
    return _("Simulated {runs} runs (random seed; --seed fixes it).").format(runs=runs)


def calibration_note(few: int) -> str:
    return _(
        "Calibrated = (won + 10 × configured) / (closed + 10): with few closed deals "
        "(under {few}) it stays near the configured probability."
    ).format(few=few)


def targets_note() -> str:
    return _(
        "Projected: won at the same pace to the period's end. Pipeline: open deals "
        "expected to close in the period × stage probability. Cover: pipeline / "
        "(target − won)."
    )

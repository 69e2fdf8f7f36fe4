"""Elemental magnesium, reference intakes and practical compound doses."""

from __future__ import annotations

import math
from functools import cache

from neurogarden.kb import models as m
from neurogarden.kb.base import KnowledgeBase
from neurogarden.units import mass_mg


def elemental_mg(form: m.MagnesiumForm, compound_mg: float) -> float:
    """2,000 mg L-threonate gives 144 mg magnesium (label fraction 0.072)."""
    return round(compound_mg * form.elemental_fraction, 1)


def dose_step_mg(kb: KnowledgeBase) -> float:
    """Compound doses come in steps of this many mg (`dose-step`: what a scoop or tablet gives)."""
    return kb.parameters["dose-step"].value


def compound_for(form: m.MagnesiumForm, elemental_target_mg: float, step_mg: float) -> float:
    """The largest practical compound dose, in `step_mg` steps, whose magnesium stays
    within the target."""
    if elemental_target_mg <= 0:
        return 0.0
    raw = elemental_target_mg / form.elemental_fraction
    steps = math.floor(raw / step_mg + 1e-9)
    compound = steps * step_mg
    while compound > 0 and elemental_mg(form, compound) > elemental_target_mg:
        compound -= step_mg
    return compound


def _state(pregnant: bool, lactating: bool) -> str:
    if pregnant:
        return "pregnancy"
    if lactating:
        return "lactation"
    return "none"


def intake_row(
    kb: KnowledgeBase,
    nutrient: str,
    kinds: tuple[str, ...],
    *,
    age: float,
    sex: str,
    pregnant: bool = False,
    lactating: bool = False,
) -> m.IntakeRow | None:
    """The most specific reference-intake row for this person, or None where none is set."""
    state = _state(pregnant, lactating)
    best: tuple[int, m.IntakeRow] | None = None
    for row in kb.intake:
        if row.nutrient != nutrient or row.kind not in kinds:
            continue
        if not row.min_age_years <= age < row.max_age_years:
            continue
        if row.sex not in ("any", sex):
            continue
        if row.state not in ("any", state) and not (row.state == "none" and state != "none"):
            continue
        score = (row.sex == sex) + 2 * (row.state == state)
        if best is None or score > best[0]:
            best = (score, row)
    return best[1] if best else None


def row_mg(row: m.IntakeRow | None) -> float | None:
    return None if row is None else _amount_mg(row.amount, row.id)


@cache
def _amount_mg(amount: str, field: str) -> float:
    """Knowledge-base amounts never change within a process; parse each once."""
    return mass_mg(amount, field=field)

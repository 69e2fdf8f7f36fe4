"""The planner's numbers as records: parameters with their basis, the plausible range of
each input, where a dose goes in the day for each purpose, and how a child is planned."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from neurogarden.kb.models import HoldSpec, Record


class Parameter(Record):
    """A number the planner uses, with its unit and `basis`: a source's figure, or a
    product choice written as one. Code reads these by id and holds none of them."""

    value: float = Field(ge=0)
    unit: Literal["mg", "share", "ratio", "years", "hours", "minutes", "days"]
    basis: str


class TimingRule(Record):
    """Where a dose for one purpose goes: `offsets_minutes` from an anchor (bed, the first
    study block, waking, the evening meal), best first, said as `label`."""

    timing: Literal["before_bed", "before_study", "morning", "evening_meal"]
    anchor: Literal["bed", "study", "wake", "evening_meal"]
    offsets_minutes: tuple[int, ...] = Field(min_length=1)
    label: str
    basis: str
    meal_min_before_bed_minutes: int | None = Field(default=None, ge=0)
    fallback_before_bed_minutes: int | None = Field(default=None, ge=0)


class InputLimit(Record):
    """The plausible range of one kind of input; outside it the profile is refused at
    the field, so a unit slip ('500 g' for '500 mg') never reaches a plan."""

    applies_to: Literal[
        "supplement_dose", "medication_dose", "substance_amount", "session_dose",
        "body_weight", "egfr",
    ]  # fmt: skip
    min_value: float = Field(ge=0)
    max_value: float = Field(gt=0)
    unit: Literal["mg", "kg", "mL/min/1.73 m²"]
    basis: str


class ChildDosing(Record):
    """How the plan treats a child: at most the gap between the logged diet and the RDA
    (within the UL), nothing without a diet, and always the clinician's decision."""

    below_age_years: int = Field(gt=0, le=21)
    decision_message: str
    no_diet_message: str
    hold: HoldSpec

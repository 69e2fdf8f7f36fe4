"""The profile file's shape: what a person or a clinic writes (see README), validated by
pydantic. Names are still text here; `resolve` turns them into knowledge-base records."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from neurogarden.kb.models import Goal

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_RANGE = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d)-(([01]\d|2[0-3]):[0-5]\d)$")
Route = Literal["iv", "im", "sublingual", "oral", "intranasal"]
Frequency = Literal["daily", "weekly", "monthly", "occasionally", "past"]


class ProfileError(ValueError):
    """Bad input, located at a field: `medications[0].name: unknown medication ...`.

    `errors` holds every error found in the same profile, this one first, so that a form
    can show each at its field; the text names the first and counts the rest."""

    def __init__(self, field: str, message: str, *, more: Sequence[ProfileError] = ()) -> None:
        self.field = field
        self.message = message
        self.errors: tuple[ProfileError, ...] = (self, *more)
        suffix = f" (and {len(more)} more)" if more else ""
        super().__init__(f"{field}: {message}{suffix}")

    @classmethod
    def of(cls, errors: Sequence[ProfileError]) -> ProfileError:
        """One error that carries all of `errors` (at least one)."""
        first, *rest = errors
        return cls(first.field, first.message, more=rest)


def _clock(value: str, field: str) -> str:
    if not isinstance(value, str) or not _CLOCK.match(value):
        raise ValueError(f"expected a 24-hour time like '07:30', got {value!r} ({field})")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


class PersonIn(_Strict):
    age: int | None = Field(default=None, ge=0, le=120)
    birth_date: date | None = None
    sex: Literal["female", "male"]
    pregnant: bool = False
    lactating: bool = False
    weight: str | None = None
    egfr: float | None = None  # its plausible range is knowledge-base data
    conditions: tuple[str, ...] = ()


class RoutineIn(_Strict):
    wake: str = "07:00"
    bed: str = "23:00"
    study: tuple[str, ...] = ()
    meals: tuple[str, ...] = ()

    @field_validator("wake", "bed")
    @classmethod
    def _is_clock(cls, v: str) -> str:
        return _clock(v, "routine")

    @field_validator("study")
    @classmethod
    def _is_range(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for item in v:
            if not _RANGE.match(item):
                raise ValueError(f"expected a time range like '09:00-12:00', got {item!r}")
        return v

    @field_validator("meals")
    @classmethod
    def _meals_are_clock(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_clock(t, "routine.meals") for t in v)


class MedicationIn(_Strict):
    name: str
    dose: str | None = None
    times: tuple[str, ...] = ()
    long_term: bool | None = None

    @field_validator("times")
    @classmethod
    def _times(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_clock(t, "times") for t in v)


class SubstanceEntryIn(_Strict):
    """One dated use: `{date: 2026-11-01, amount: 2 g}`."""

    date: dt.date
    amount: str | None = None
    note: str | None = None


class SubstanceIn(_Strict):
    name: str
    amount: str | None = None
    frequency: Frequency | None = None
    entries: tuple[SubstanceEntryIn, ...] = ()  # dated uses, with or instead of the above


class SupplementIn(_Strict):
    name: str
    amount: str | None = None
    times: tuple[str, ...] = ()
    elemental: str | None = None  # the label's elemental magnesium per dose
    epa: str | None = None  # per capsule, for fish oil
    dha: str | None = None
    capsules: int | None = Field(default=None, ge=1, le=20)

    @field_validator("times")
    @classmethod
    def _times(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_clock(t, "times") for t in v)


class SessionIn(_Strict):
    # a stable id given by whoever keeps the sessions (the clinic's session records)
    id: str | None = Field(default=None, min_length=1, max_length=40)
    start: datetime
    route: Route
    dose: str | None = None
    setting: str | None = None


class DietIn(_Strict):
    food: str
    amount: str | int | float  # numbers are accepted here only to be refused with a clear message


class OverrideIn(_Strict):
    code: str = Field(min_length=1)
    reason: str = Field(min_length=3)
    by: str = Field(min_length=1)


class OptionsIn(_Strict):
    post_stress_dose: bool = False


class ProfileIn(_Strict):
    """The profile file's shape (a contract: see README)."""

    person: PersonIn
    timezone: str | None = None
    goals: tuple[Goal, ...] = ()
    routine: RoutineIn = RoutineIn()
    medications: tuple[MedicationIn, ...] = ()
    substances: tuple[SubstanceIn, ...] = ()
    supplements: tuple[SupplementIn, ...] = ()
    sessions: tuple[SessionIn, ...] = ()
    diet: tuple[DietIn, ...] = ()
    overrides: tuple[OverrideIn, ...] = ()
    avoid: tuple[str, ...] = ()  # foods never to suggest (allergies, dislikes)
    options: OptionsIn = OptionsIn()

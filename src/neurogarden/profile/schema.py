"""The profile file's shape: what a person or a clinic writes (see README), validated by
pydantic. Names are still text here; `resolve` turns them into knowledge-base records."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

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


# Bounds on the shape of input, not clinical limits: a real profile is far inside them,
# and a file or request far outside them is refused before anything plans with it.
TEXT_MAX = 500  # characters in any one value
MANY = 100  # entries in a list of medicines, supplements, foods, sessions, ...
FEW = 24  # times of day, study blocks, meals
ENTRIES_MAX = 2000  # dated uses of one substance
SESSIONS_MAX = 500  # weekly sessions for ten years
# A year outside these is a slip (and near 9999 date arithmetic overflows).
YEARS = (1900, 2200)


def _amount_text(example: str) -> Any:
    """An amount is text with its unit: a bare number is refused with the unit message."""

    def check(value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(
                f"{value!r} has no unit; write it with one, e.g. '{value:g} {example}'"
            )
        return value

    return BeforeValidator(check)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _text_date(value: object) -> object:
    """Dates and times come as ISO 8601 text (or as dates): a number, or digits, is not
    read as seconds since 1970."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value.strip()):
        raise ValueError(f"expected a date as text like '2026-11-24', got {value!r}")
    return value


def plausible_year(value: date) -> date:
    """The date itself, or ValueError naming its year when it is outside YEARS."""
    low, high = YEARS
    if not low <= value.year <= high:
        raise ValueError(f"the year {value.year} is outside {low}–{high}")
    return value


Amount = Annotated[str, _amount_text("mg")]
Weight = Annotated[str, _amount_text("kg")]
Flag = Annotated[bool, Field(strict=True)]  # true or false, not 0, 1 or "yes"
Day = Annotated[date, BeforeValidator(_text_date), AfterValidator(plausible_year)]
Moment = Annotated[datetime, BeforeValidator(_text_date), AfterValidator(plausible_year)]
Names = Annotated[tuple[str, ...], Field(max_length=MANY)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        allow_inf_nan=False,
        str_max_length=TEXT_MAX,
    )


class PersonIn(_Strict):
    age: Annotated[int, Field(ge=0, le=120, strict=True)] | None = None
    birth_date: Day | None = None
    sex: Literal["female", "male"]
    pregnant: Flag = False
    lactating: Flag = False
    weight: Weight | None = None
    # a number, not text; its plausible range is knowledge-base data
    egfr: Annotated[float, Field(strict=True)] | None = None
    conditions: Names = ()


class RoutineIn(_Strict):
    wake: str = "07:00"
    bed: str = "23:00"
    study: tuple[str, ...] = Field(default=(), max_length=FEW)
    meals: tuple[str, ...] = Field(default=(), max_length=FEW)

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
    dose: Amount | None = None
    times: tuple[str, ...] = Field(default=(), max_length=FEW)
    long_term: Flag | None = None

    @field_validator("times")
    @classmethod
    def _times(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_clock(t, "times") for t in v)


class SubstanceEntryIn(_Strict):
    """One dated use: `{date: 2026-11-01, amount: 2 g}`."""

    date: Day
    amount: Amount | None = None
    note: str | None = None


class SubstanceIn(_Strict):
    name: str
    amount: Amount | None = None
    frequency: Frequency | None = None
    # dated uses, with or instead of the above
    entries: tuple[SubstanceEntryIn, ...] = Field(default=(), max_length=ENTRIES_MAX)


class SupplementIn(_Strict):
    name: str
    amount: Amount | None = None
    times: tuple[str, ...] = Field(default=(), max_length=FEW)
    elemental: Amount | None = None  # the label's elemental magnesium per dose
    epa: Amount | None = None  # per capsule, for fish oil
    dha: Amount | None = None
    capsules: Annotated[int, Field(ge=1, le=20, strict=True)] | None = None

    @field_validator("times")
    @classmethod
    def _times(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_clock(t, "times") for t in v)


class SessionIn(_Strict):
    # a stable id given by whoever keeps the sessions (the clinic's session records)
    id: str | None = Field(default=None, min_length=1, max_length=40)
    start: Moment
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
    post_stress_dose: Flag = False


class ProfileIn(_Strict):
    """The profile file's shape (a contract: see README)."""

    person: PersonIn
    timezone: str | None = None
    goals: tuple[Goal, ...] = Field(default=(), max_length=FEW)
    routine: RoutineIn = RoutineIn()
    medications: tuple[MedicationIn, ...] = Field(default=(), max_length=MANY)
    substances: tuple[SubstanceIn, ...] = Field(default=(), max_length=MANY)
    supplements: tuple[SupplementIn, ...] = Field(default=(), max_length=MANY)
    sessions: tuple[SessionIn, ...] = Field(default=(), max_length=SESSIONS_MAX)
    diet: tuple[DietIn, ...] = Field(default=(), max_length=MANY)
    overrides: tuple[OverrideIn, ...] = Field(default=(), max_length=MANY)
    avoid: Names = ()  # foods never to suggest (allergies, dislikes)
    options: OptionsIn = OptionsIn()

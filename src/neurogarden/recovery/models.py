"""The recovery log and the clinician alerts as frozen, validated values.

A log holds dated substance uses, daily craving ratings (0–10) and attendance at
counselling, support groups and medication (MOUD) visits. Every amount carries its unit:
a bare number is refused here as it is in the profile.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from neurogarden.kb.recovery_records import RecoveryOption
from neurogarden.units import UnitError, mass_mg

AMOUNT_HINT = "expected an amount with a unit such as '2 g'"
AttendanceKind = Literal["counselling", "support_group", "moud_visit"]
Severity = Literal["block", "warn", "info"]

__all__ = [
    "AMOUNT_HINT",
    "AttendanceEntry",
    "AttendanceKind",
    "CravingEntry",
    "RecoveryAlert",
    "RecoveryLog",
    "RecoveryOption",
    "UseEntry",
    "amount_mg",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def amount_mg(amount: str) -> float:
    """The amount in milligrams ("3 drinks" is 42 g of ethanol); raises ValueError."""
    try:
        mg = mass_mg(amount, field="amount")
    except UnitError as exc:
        raise ValueError(f"{AMOUNT_HINT}, got {amount!r} ({exc.message})") from None
    if mg <= 0:
        raise ValueError(f"{AMOUNT_HINT}, got {amount!r} (it must be more than zero)")
    return mg


class UseEntry(_Frozen):
    """One use of a substance on a day; `substance` is a knowledge-base substance id."""

    day: date
    substance: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    amount: str | None  # with a unit, e.g. "2 g", "3 drinks", "10 mg"
    note: str | None = None

    @field_validator("amount")
    @classmethod
    def _has_unit(cls, value: str | None) -> str | None:
        if value is not None:
            amount_mg(value)
        return value

    @property
    def mg(self) -> float | None:
        return None if self.amount is None else amount_mg(self.amount)


class CravingEntry(_Frozen):
    """A daily craving rating: 0 none, 10 the strongest imaginable."""

    day: date
    rating: int = Field(ge=0, le=10)  # "7" from a web form is 7; 7.5 and true are refused

    @field_validator("rating", mode="before")
    @classmethod
    def _not_bool(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("expected a whole number from 0 to 10")
        return value


class AttendanceEntry(_Frozen):
    """A counselling session, support-group meeting or MOUD visit, attended or missed."""

    day: date
    kind: AttendanceKind
    attended: bool = True
    note: str | None = None


class RecoveryLog(_Frozen):
    uses: tuple[UseEntry, ...] = ()
    cravings: tuple[CravingEntry, ...] = ()
    attendance: tuple[AttendanceEntry, ...] = ()

    def days(self) -> list[date]:
        """The day of every entry, uses first, then cravings, then attendance."""
        return [
            *(e.day for e in self.uses),
            *(e.day for e in self.cravings),
            *(e.day for e in self.attendance),
        ]

    @property
    def first_day(self) -> date | None:
        """The earliest day with any entry: where the log's record begins."""
        days = self.days()
        return min(days) if days else None

    def is_empty(self) -> bool:
        return not (self.uses or self.cravings or self.attendance)


class RecoveryAlert(_Frozen):
    """A cited alert for the clinician dashboard; `day` is what it is about, if a day."""

    code: str
    severity: Severity
    message: str
    sources: tuple[str, ...] = Field(min_length=1)
    day: date | None

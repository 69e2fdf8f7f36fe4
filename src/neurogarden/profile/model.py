"""The resolved profile the engines work on: every name a knowledge-base record, every
amount in milligrams, every session an aware datetime in the profile's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from neurogarden.kb import models as m
from neurogarden.kb.foods import Food


@dataclass(frozen=True)
class Medication:
    record: m.Medication
    times: tuple[str, ...]
    dose_mg: float | None
    long_term: bool | None


@dataclass(frozen=True)
class DatedUse:
    """A dated use of a substance; the amount, when given, carries its unit."""

    day: date
    amount: str | None
    note: str | None = None


@dataclass(frozen=True)
class SubstanceUse:
    record: m.Substance
    amount: str | None
    frequency: str | None
    entries: tuple[DatedUse, ...] = ()


@dataclass(frozen=True)
class Supplement:
    """A supplement the person takes now; `form` is set for magnesium salts."""

    name: str
    nutrient: str
    form: m.MagnesiumForm | None
    product: m.SupplementProduct | None
    dose_mg: float | None
    times: tuple[str, ...]
    label_elemental_mg: float | None
    epa_mg: float | None
    dha_mg: float | None
    capsules: int | None

    @property
    def doses_per_day(self) -> int:
        return max(1, len(self.times))


@dataclass(frozen=True)
class Session:
    start: datetime  # aware, in the profile's zone
    route: str
    dose: str | None
    setting: str | None
    id: str | None = None  # the clinic's session record, when it keeps one


@dataclass(frozen=True)
class DietItem:
    """One diet log entry, resolved to grams of a food with magnesium per 100 g."""

    food: Food
    amount: str
    grams: float

    @property
    def magnesium_mg(self) -> float:
        return self.food.magnesium_in(self.grams)


@dataclass(frozen=True)
class Override:
    code: str
    reason: str
    by: str


@dataclass(frozen=True)
class Profile:
    """A validated profile whose every name is a knowledge-base record."""

    age: int
    sex: str
    pregnant: bool
    lactating: bool
    weight_kg: float | None
    egfr: float | None
    conditions: tuple[m.Condition, ...]
    timezone: str
    goals: tuple[str, ...]
    wake: str
    bed: str
    study: tuple[tuple[str, str], ...]
    meals: tuple[str, ...]
    medications: tuple[Medication, ...]
    substances: tuple[SubstanceUse, ...]
    supplements: tuple[Supplement, ...]
    sessions: tuple[Session, ...]
    diet: tuple[DietItem, ...]
    overrides: tuple[Override, ...]
    post_stress_dose: bool
    avoid: tuple[Food, ...] = ()

    def has_condition(self, condition_id: str) -> bool:
        return any(c.id == condition_id for c in self.conditions)

    @property
    def medication_classes(self) -> frozenset[str]:
        return frozenset(c for med in self.medications for c in med.record.classes)

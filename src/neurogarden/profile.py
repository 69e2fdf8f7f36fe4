"""The person's profile: parsed from YAML or JSON, validated, and resolved against the KB.

Anything neurogarden cannot check is an error, never silently skipped: an unknown
medicine, a dose without a unit, an impossible age. Each error names its field.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from neurogarden.kb import models as m
from neurogarden.kb.base import KnowledgeBase, UnknownName
from neurogarden.units import UnitError, mass_mg

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_RANGE = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d)-(([01]\d|2[0-3]):[0-5]\d)$")
T = TypeVar("T")

Goal = Literal[
    "sleep",
    "learning",
    "energy",
    "constipation",
    "mood",
    "anxiety",
    "kap_integration",
    "recovery",
    "general",
]
Route = Literal["iv", "im", "sublingual", "oral", "intranasal"]
Frequency = Literal["daily", "weekly", "monthly", "occasionally", "past"]


class ProfileError(ValueError):
    """Bad input, located at a field: `medications[0].name: unknown medication ...`."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


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


# --- the resolved profile the engine works on ------------------------------------------


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


@dataclass(frozen=True)
class DietItem:
    """One diet log entry, resolved to grams of a food with magnesium per 100 g."""

    food: m.Food
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
    avoid: tuple[m.Food, ...] = ()

    def has_condition(self, condition_id: str) -> bool:
        return any(c.id == condition_id for c in self.conditions)

    @property
    def medication_classes(self) -> frozenset[str]:
        return frozenset(c for med in self.medications for c in med.record.classes)


def _loc(parts: tuple[int | str, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "profile"


def _first_validation_error(exc: ValidationError) -> ProfileError:
    err = exc.errors()[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind = err["type"]
    if kind == "missing":
        return ProfileError(_loc(loc), "is required")
    if kind == "extra_forbidden":
        return ProfileError(_loc(loc), "is not a profile field")
    message = err["msg"].removeprefix("Value error, ")
    if kind == "finite_number":
        return ProfileError(_loc(loc), f"must be a finite number, got {err['input']!r}")
    if kind == "literal_error":
        message = f"{message}; got {err['input']!r}"
    return ProfileError(_loc(loc), message)


def _age_from(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _resolve(field: str, fn: Callable[[str], T], name: str) -> T:
    try:
        return fn(name)
    except UnknownName as exc:
        raise ProfileError(field, str(exc)) from None


LIMIT_LABELS = {
    "supplement_dose": "supplement dose",
    "medication_dose": "medicine dose",
    "substance_amount": "amount",
    "session_dose": "session dose",
}


def _unit(
    field: str,
    value: str | None,
    kb: KnowledgeBase,
    kind: str,
    *,
    allow_zero: bool = False,
) -> float | None:
    """A finite mass in mg within the knowledge base's plausible range for `kind`."""
    if value is None:
        return None
    try:
        mg = mass_mg(value, field=field)
    except UnitError as exc:
        raise ProfileError(field, exc.message) from None
    if mg <= 0 and not (allow_zero and mg == 0):
        raise ProfileError(field, f"{value!r} must be more than zero")
    limit = kb.input_limits.get(kind)
    if limit is not None and not limit.min_value <= mg <= limit.max_value:
        raise ProfileError(
            field,
            f"{value!r} is not a plausible {LIMIT_LABELS[kind]} (expected at most "
            f"{limit.max_value / 1000:g} g)",
        )
    return mg


def _in_range(field: str, value: float, kb: KnowledgeBase, kind: str, shown: str) -> None:
    limit = kb.input_limits.get(kind)
    if limit is not None and not limit.min_value <= value <= limit.max_value:
        raise ProfileError(
            field,
            f"{shown!r} is not plausible (expected {limit.min_value:g}–{limit.max_value:g} "
            f"{limit.unit})",
        )


def _supplement(kb: KnowledgeBase, i: int, s: SupplementIn) -> Supplement:
    field = f"supplements[{i}]"
    form = kb.forms.get(s.name)
    product = None if form is not None else kb.products.get(s.name)
    if form is None and product is None:
        suggestions = kb.forms.suggest(s.name) + kb.products.suggest(s.name)
        raise ProfileError(f"{field}.name", str(UnknownName("supplement", s.name, suggestions[:2])))
    nutrient = "magnesium" if form is not None else product.nutrient  # type: ignore[union-attr]
    is_omega3 = nutrient == "omega3"
    if s.amount is None and not is_omega3:
        raise ProfileError(f"{field}.amount", "is required, with a unit, e.g. '400 mg'")
    if is_omega3 and (s.epa is None or s.dha is None):
        raise ProfileError(f"{field}.epa", "give `epa` and `dha` per capsule from the label")
    if s.elemental is not None and form is None:
        raise ProfileError(f"{field}.elemental", "applies to magnesium supplements only")
    dose = _unit(f"{field}.amount", s.amount, kb, "supplement_dose")
    elemental = _unit(f"{field}.elemental", s.elemental, kb, "supplement_dose")
    if elemental is not None and dose is not None and elemental > dose:
        raise ProfileError(f"{field}.elemental", "cannot exceed the compound amount")
    return Supplement(
        name=(form or product).name,  # type: ignore[union-attr]
        nutrient=nutrient,
        form=form,
        product=product,
        dose_mg=dose,
        times=s.times,
        label_elemental_mg=elemental,
        epa_mg=_unit(f"{field}.epa", s.epa, kb, "supplement_dose"),
        dha_mg=_unit(f"{field}.dha", s.dha, kb, "supplement_dose", allow_zero=True),
        capsules=s.capsules,
    )


def resolve(raw: ProfileIn, kb: KnowledgeBase, *, today: date | None = None) -> Profile:
    """Turn the validated shape into a Profile of knowledge-base records."""
    p = raw.person
    if p.age is None and p.birth_date is None:
        raise ProfileError("person.age", "is required (or give person.birth_date)")
    today = today or date.today()
    age = p.age if p.age is not None else _age_from(p.birth_date, today)  # type: ignore[arg-type]
    if not 0 <= age <= 120:
        raise ProfileError("person.birth_date", f"gives an impossible age ({age})")
    if p.sex == "male" and (p.pregnant or p.lactating):
        raise ProfileError("person.pregnant", "applies to female profiles only")
    weight = None
    if p.weight is not None:
        try:
            from neurogarden.units import parse_quantity

            weight = float(parse_quantity(p.weight, field="person.weight").to("kg").magnitude)
        except UnitError as exc:
            raise ProfileError("person.weight", exc.message) from None
        if not math.isfinite(weight):
            raise ProfileError("person.weight", f"must be a finite amount, got {p.weight!r}")
        _in_range("person.weight", weight, kb, "body_weight", p.weight)
    if p.egfr is not None:
        _in_range("person.egfr", p.egfr, kb, "egfr", f"{p.egfr:g}")
    conditions = tuple(
        _resolve(f"person.conditions[{i}]", kb.conditions.resolve, c)
        for i, c in enumerate(p.conditions)
    )
    pregnant = p.pregnant or any(c.id == "pregnancy" for c in conditions)
    lactating = p.lactating or any(c.id == "lactation" for c in conditions)
    tz = raw.timezone or _machine_zone()
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ProfileError(
            "timezone", f"unknown time zone {tz!r}; use e.g. 'Europe/Berlin'"
        ) from None
    if raw.routine.wake == raw.routine.bed:
        raise ProfileError("routine.bed", "must differ from routine.wake")
    meds = tuple(
        Medication(
            record=_resolve(f"medications[{i}].name", kb.medications.resolve, med.name),
            times=med.times,
            dose_mg=_unit(f"medications[{i}].dose", med.dose, kb, "medication_dose"),
            long_term=med.long_term,
        )
        for i, med in enumerate(raw.medications)
    )
    substances = []
    for i, sub in enumerate(raw.substances):
        record = _resolve(f"substances[{i}].name", kb.substances.resolve, sub.name)
        if sub.amount is not None:
            _unit(f"substances[{i}].amount", sub.amount, kb, "substance_amount")
        entries = tuple(
            _dated_use(f"substances[{i}].entries[{j}]", e, today, kb)
            for j, e in enumerate(sub.entries)
        )
        substances.append(SubstanceUse(record, sub.amount, sub.frequency, entries))
    supplements = tuple(_supplement(kb, i, s) for i, s in enumerate(raw.supplements))
    sessions = []
    for i, s in enumerate(raw.sessions):
        if s.dose is not None:
            _unit(f"sessions[{i}].dose", s.dose, kb, "session_dose")
        start = s.start if s.start.tzinfo else s.start.replace(tzinfo=zone)
        sessions.append(Session(start.astimezone(zone), s.route, s.dose, s.setting))
    return Profile(
        age=age,
        sex=p.sex,
        pregnant=pregnant,
        lactating=lactating,
        weight_kg=weight,
        egfr=p.egfr,
        conditions=conditions,
        timezone=tz,
        goals=tuple(dict.fromkeys(raw.goals)),
        wake=raw.routine.wake,
        bed=raw.routine.bed,
        study=tuple(tuple(r.split("-")) for r in raw.routine.study),  # type: ignore[misc]
        meals=raw.routine.meals,
        medications=meds,
        substances=tuple(substances),
        supplements=supplements,
        sessions=tuple(sorted(sessions, key=lambda s: s.start)),
        diet=tuple(_diet_item(kb, i, d) for i, d in enumerate(raw.diet)),
        overrides=tuple(Override(o.code, o.reason, o.by) for o in raw.overrides),
        post_stress_dose=raw.options.post_stress_dose,
        avoid=tuple(
            _resolve(f"avoid[{i}]", kb.foods.resolve, name) for i, name in enumerate(raw.avoid)
        ),
    )


def _dated_use(field: str, entry: SubstanceEntryIn, today: date, kb: KnowledgeBase) -> DatedUse:
    if entry.date > today:
        raise ProfileError(f"{field}.date", f"{entry.date} is after today ({today})")
    if entry.amount is not None:
        _unit(f"{field}.amount", entry.amount, kb, "substance_amount")
    return DatedUse(entry.date, entry.amount, entry.note)


def _diet_item(kb: KnowledgeBase, i: int, d: DietIn) -> DietItem:
    from neurogarden.diet import MAX_DAILY_GRAMS, DietError, grams_of

    field = f"diet[{i}].amount"
    food = _resolve(f"diet[{i}].food", kb.foods.resolve, d.food)
    try:
        grams = grams_of(food, d.amount, field)
    except DietError as exc:
        raise ProfileError(exc.field, exc.message) from None
    if grams <= 0:
        raise ProfileError(field, f"{d.amount!r} must be more than zero")
    if grams > MAX_DAILY_GRAMS:
        raise ProfileError(field, f"{d.amount!r} is not a plausible daily amount")
    return DietItem(food, str(d.amount), grams)


def _machine_zone() -> str:
    try:
        key = datetime.now().astimezone().tzinfo
        name = getattr(key, "key", None)
        if name:
            return str(name)
        link = Path("/etc/localtime").resolve()
        if "zoneinfo" in link.parts:
            return "/".join(link.parts[link.parts.index("zoneinfo") + 1 :])
    except OSError:
        pass
    return "UTC"


def parse_profile(
    data: Mapping[str, Any], kb: KnowledgeBase, *, today: date | None = None
) -> Profile:
    """Validate a mapping (from YAML, JSON or a web form) into a resolved Profile."""
    if not isinstance(data, Mapping):
        raise ProfileError("profile", "expected a mapping with a `person` section")
    try:
        raw = ProfileIn.model_validate(data)
    except ValidationError as exc:
        raise _first_validation_error(exc) from None
    return resolve(raw, kb, today=today)


def read_profile_file(path: str | Path) -> Mapping[str, Any]:
    """Read YAML or JSON text; a syntax error is a ProfileError on the file itself."""
    import yaml

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(str(p), f"cannot read the file ({exc.strerror})") from None
    try:
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(
            str(p), f"is not valid {'JSON' if p.suffix == '.json' else 'YAML'}: {exc}"
        ) from None
    if not isinstance(data, Mapping):
        raise ProfileError(str(p), "expected a mapping with a `person` section")
    return data

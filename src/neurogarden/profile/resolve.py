"""Validate a profile and resolve it against the knowledge base, collecting every error
with its field: the schema's (all that pydantic finds) or, once the shape is right,
each section's (an unknown medicine, a dose without a unit, an impossible age), so a
form can show them all at once. Nothing neurogarden cannot check is silently skipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from neurogarden.kb.base import KnowledgeBase, UnknownName
from neurogarden.kb.foods import MAX_DAILY_GRAMS, DietError, grams_of
from neurogarden.profile.model import (
    DatedUse,
    DietItem,
    Medication,
    Override,
    Profile,
    Session,
    SubstanceUse,
    Supplement,
)
from neurogarden.profile.schema import (
    DietIn,
    MedicationIn,
    ProfileError,
    ProfileIn,
    SessionIn,
    SubstanceEntryIn,
    SubstanceIn,
    SupplementIn,
)
from neurogarden.units import UnitError, mass_in, mass_mg

T = TypeVar("T")


def _loc(parts: tuple[int | str, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "profile"


def _validation_errors(exc: ValidationError) -> list[ProfileError]:
    """Every schema error pydantic found, each at its field, in the profile's words."""
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind = err["type"]
        message = err["msg"].removeprefix("Value error, ")
        if kind == "missing":
            message = "is required"
        elif kind == "extra_forbidden":
            message = "is not a profile field"
        elif kind == "finite_number":
            message = f"must be a finite number, got {err['input']!r}"
        elif kind == "literal_error":
            message = f"{message}; got {err['input']!r}"
        out.append(ProfileError(_loc(loc), message))
    return out


class _Collect:
    """Runs each section's resolution and keeps every error instead of stopping."""

    def __init__(self) -> None:
        self.errors: list[ProfileError] = []

    def take(self, fn: Callable[..., T], *args: Any) -> T | None:
        try:
            return fn(*args)
        except ProfileError as exc:
            self.errors.extend(exc.errors)
            return None

    def each(self, fn: Callable[..., T], items: Any) -> tuple[T, ...]:
        """`fn(i, item)` for each item, keeping the ones that resolve."""
        found = (self.take(fn, i, item) for i, item in enumerate(items))
        return tuple(x for x in found if x is not None)


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
    _in_range(field, mg, kb, kind, value)
    return mg


def _in_range(field: str, value: float, kb: KnowledgeBase, kind: str, shown: str) -> None:
    """Refuse a value outside the knowledge base's plausible range for `kind`; a mass is
    said as its upper bound in grams, which is what a unit slip ('500 g') overshoots."""
    limit = kb.input_limits.get(kind)
    if limit is None or limit.min_value <= value <= limit.max_value:
        return
    if kind in LIMIT_LABELS:
        expected = (
            f"a plausible {LIMIT_LABELS[kind]} (expected at most {limit.max_value / 1000:g} g)"
        )
        raise ProfileError(field, f"{shown!r} is not {expected}")
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


def _person(raw: ProfileIn, kb: KnowledgeBase, today: date) -> tuple[int, float | None]:
    p = raw.person
    if p.age is None and p.birth_date is None:
        raise ProfileError("person.age", "is required (or give person.birth_date)")
    age = p.age if p.age is not None else _age_from(p.birth_date, today)  # type: ignore[arg-type]
    if not 0 <= age <= 120:
        raise ProfileError("person.birth_date", f"gives an impossible age ({age})")
    if p.sex == "male" and (p.pregnant or p.lactating):
        raise ProfileError("person.pregnant", "applies to female profiles only")
    return age, _weight(p.weight, kb)


def _weight(text: str | None, kb: KnowledgeBase) -> float | None:
    if text is None:
        return None
    try:
        weight = mass_in(text, "kg", field="person.weight")
    except UnitError as exc:
        raise ProfileError("person.weight", exc.message) from None
    if not math.isfinite(weight):
        raise ProfileError("person.weight", f"must be a finite amount, got {text!r}")
    _in_range("person.weight", weight, kb, "body_weight", text)
    return weight


def _zone(raw: ProfileIn) -> tuple[str, ZoneInfo]:
    tz = raw.timezone or _machine_zone()
    try:
        return tz, ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise ProfileError(
            "timezone", f"unknown time zone {tz!r}; use e.g. 'Europe/Berlin'"
        ) from None


def _routine(raw: ProfileIn) -> None:
    if raw.routine.wake == raw.routine.bed:
        raise ProfileError("routine.bed", "must differ from routine.wake")


def resolve(raw: ProfileIn, kb: KnowledgeBase, *, today: date | None = None) -> Profile:
    """Turn the validated shape into a Profile of knowledge-base records; raises one
    ProfileError carrying every error found (`.errors`)."""
    today = today or date.today()
    p = raw.person
    got = _Collect()
    person = got.take(_person, raw, kb, today)
    if p.egfr is not None:
        got.take(_in_range, "person.egfr", p.egfr, kb, "egfr", f"{p.egfr:g}")
    conditions = got.each(
        lambda i, c: _resolve(f"person.conditions[{i}]", kb.conditions.resolve, c), p.conditions
    )
    zone = got.take(_zone, raw)
    got.take(_routine, raw)
    meds = got.each(lambda i, med: _medication(kb, i, med), raw.medications)
    substances = got.each(lambda i, sub: _substance(kb, i, sub, today), raw.substances)
    supplements = got.each(lambda i, s: _supplement(kb, i, s), raw.supplements)
    sessions = (
        () if zone is None else got.each(lambda i, s: _session(kb, i, s, zone[1]), raw.sessions)
    )
    diet = got.each(lambda i, d: _diet_item(kb, i, d), raw.diet)
    avoid = got.each(lambda i, name: _resolve(f"avoid[{i}]", kb.foods.resolve, name), raw.avoid)
    if got.errors or person is None or zone is None:
        raise ProfileError.of(got.errors)
    age, weight = person
    return Profile(
        age=age,
        sex=p.sex,
        pregnant=p.pregnant or any(c.id == "pregnancy" for c in conditions),
        lactating=p.lactating or any(c.id == "lactation" for c in conditions),
        weight_kg=weight,
        egfr=p.egfr,
        conditions=conditions,
        timezone=zone[0],
        goals=tuple(dict.fromkeys(raw.goals)),
        wake=raw.routine.wake,
        bed=raw.routine.bed,
        study=tuple(tuple(r.split("-")) for r in raw.routine.study),  # type: ignore[misc]
        meals=raw.routine.meals,
        medications=meds,
        substances=substances,
        supplements=supplements,
        sessions=tuple(sorted(sessions, key=lambda s: s.start)),
        diet=diet,
        overrides=tuple(Override(o.code, o.reason, o.by) for o in raw.overrides),
        post_stress_dose=raw.options.post_stress_dose,
        avoid=avoid,
    )


def _medication(kb: KnowledgeBase, i: int, med: MedicationIn) -> Medication:
    got = _Collect()
    record = got.take(_resolve, f"medications[{i}].name", kb.medications.resolve, med.name)
    dose = got.take(_unit, f"medications[{i}].dose", med.dose, kb, "medication_dose")
    if got.errors or record is None:
        raise ProfileError.of(got.errors)
    return Medication(record=record, times=med.times, dose_mg=dose, long_term=med.long_term)


def _substance(kb: KnowledgeBase, i: int, sub: SubstanceIn, today: date) -> SubstanceUse:
    got = _Collect()
    record = got.take(_resolve, f"substances[{i}].name", kb.substances.resolve, sub.name)
    if sub.amount is not None:
        got.take(_unit, f"substances[{i}].amount", sub.amount, kb, "substance_amount")
    entries = got.each(
        lambda j, e: _dated_use(f"substances[{i}].entries[{j}]", e, today, kb), sub.entries
    )
    if got.errors or record is None:
        raise ProfileError.of(got.errors)
    return SubstanceUse(record, sub.amount, sub.frequency, entries)


def _session(kb: KnowledgeBase, i: int, s: SessionIn, zone: ZoneInfo) -> Session:
    if s.dose is not None:
        _unit(f"sessions[{i}].dose", s.dose, kb, "session_dose")
    start = s.start if s.start.tzinfo else s.start.replace(tzinfo=zone)
    return Session(start.astimezone(zone), s.route, s.dose, s.setting, s.id)


def _dated_use(field: str, entry: SubstanceEntryIn, today: date, kb: KnowledgeBase) -> DatedUse:
    if entry.date > today:
        raise ProfileError(f"{field}.date", f"{entry.date} is after today ({today})")
    if entry.amount is not None:
        _unit(f"{field}.amount", entry.amount, kb, "substance_amount")
    return DatedUse(entry.date, entry.amount, entry.note)


def _diet_item(kb: KnowledgeBase, i: int, d: DietIn) -> DietItem:
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


def validate(
    data: Mapping[str, Any], kb: KnowledgeBase, *, today: date | None = None
) -> tuple[Profile | None, tuple[ProfileError, ...]]:
    """A mapping (from YAML, JSON or a web form) as a resolved Profile, or every error with
    its field: the schema's, else the resolution's."""
    if not isinstance(data, Mapping):
        return None, (ProfileError("profile", "expected a mapping with a `person` section"),)
    try:
        raw = ProfileIn.model_validate(data)
    except ValidationError as exc:
        return None, tuple(_validation_errors(exc))
    try:
        return resolve(raw, kb, today=today), ()
    except ProfileError as exc:
        return None, exc.errors


def parse_profile(
    data: Mapping[str, Any], kb: KnowledgeBase, *, today: date | None = None
) -> Profile:
    """Like `validate`, but raises one ProfileError that carries every error."""
    profile, errors = validate(data, kb, today=today)
    if profile is None:
        raise ProfileError.of(errors)
    return profile

"""Parse a recovery log from a mapping (YAML, JSON or a web form), validating it as the
profile is validated: the first problem raises `ProfileError(field, message)` naming its
field, e.g. `uses[0].substance: unknown substance 'kratum'; did you mean 'kratom'?`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from neurogarden.kb.base import KnowledgeBase, UnknownName
from neurogarden.profile import Profile, ProfileError
from neurogarden.profile.schema import plausible_year
from neurogarden.recovery.models import (
    AMOUNT_HINT,
    AttendanceEntry,
    CravingEntry,
    RecoveryLog,
    UseEntry,
)

if TYPE_CHECKING:
    from neurogarden.kb.instruments.models import InstrumentDefinition

M = TypeVar("M", bound=BaseModel)
LOG_SECTIONS = ("uses", "cravings", "attendance")
RATING_HINT = "expected a whole number from 0 to 10"
# What to say when a field fails, where pydantic's own words would not help a person.
HINTS = {
    "day": "expected a date like 2026-11-01",
    "amount": AMOUNT_HINT,
    "rating": RATING_HINT,
    "kind": "expected 'counselling', 'support_group' or 'moud_visit'",
    "attended": "expected true or false",
}


def _at(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _validate(model: type[M], data: Mapping[str, Any], prefix: str) -> M:
    """Validate one entry; the first error names its field with a plain message."""
    allowed = list(model.model_fields)
    for key in data:
        if key not in allowed:
            raise ProfileError(_at(prefix, str(key)), f"is not a field here ({', '.join(allowed)})")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "entry"
        field = _at(prefix, name)
        if err["type"] == "missing":
            raise ProfileError(field, "is required") from None
        given = err.get("input")
        if name == "amount" and isinstance(given, str):  # our own validator's words
            raise ProfileError(field, str(err["msg"]).removeprefix("Value error, ")) from None
        hint = HINTS.get(name, str(err["msg"]).removeprefix("Value error, "))
        raise ProfileError(field, f"{hint}, got {given!r}") from None


def _mapping(value: object, field: str, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ProfileError(field, f"expected a mapping with {what}, got {value!r}")
    return value


def _not_future(day: date, field: str, today: date | None) -> None:
    try:
        plausible_year(day)
    except ValueError as exc:
        raise ProfileError(field, str(exc)) from None
    if today is not None and day > today:
        raise ProfileError(field, f"{day} is after today ({today})")


def parse_use(
    mapping: Mapping[str, Any], kb: KnowledgeBase, *, field: str = "", today: date | None = None
) -> UseEntry:
    """One use: `{day: 2026-11-01, substance: kratom, amount: 2 g}`; the substance may be
    any name or alias the knowledge base knows and is stored as its id."""
    data = dict(_mapping(mapping, field or "use", "day, substance and amount"))
    name = data.get("substance")
    if isinstance(name, str):
        try:
            data["substance"] = kb.substances.resolve(name).id
        except UnknownName as exc:
            raise ProfileError(_at(field, "substance"), str(exc)) from None
    elif name is not None:
        raise ProfileError(_at(field, "substance"), f"expected a substance name, got {name!r}")
    data.setdefault("amount", None)
    entry = _validate(UseEntry, data, field)
    _not_future(entry.day, _at(field, "day"), today)
    return entry


def _section(data: Mapping[str, Any], name: str) -> Sequence[Any]:
    items = data.get(name)
    if items is None:
        return ()
    if not isinstance(items, list | tuple):
        raise ProfileError(name, f"expected a list, got {items!r}")
    return items


def parse_log(
    mapping: Mapping[str, Any], kb: KnowledgeBase, *, today: date | None = None
) -> RecoveryLog:
    """A whole log: `uses`, `cravings` and `attendance` lists, each entry validated."""
    data = _mapping(mapping, "log", "uses, cravings and attendance")
    for key in data:
        if key not in LOG_SECTIONS:
            raise ProfileError(str(key), "is not a recovery log field (uses, cravings, attendance)")
    uses = tuple(
        parse_use(item, kb, field=f"uses[{i}]", today=today)
        for i, item in enumerate(_section(data, "uses"))
    )
    cravings: list[CravingEntry] = []
    seen: dict[date, int] = {}
    for i, item in enumerate(_section(data, "cravings")):
        prefix = f"cravings[{i}]"
        craving = _validate(CravingEntry, _mapping(item, prefix, "day and rating"), prefix)
        _not_future(craving.day, f"{prefix}.day", today)
        if craving.day in seen:
            raise ProfileError(
                f"{prefix}.day",
                f"{craving.day} already has a rating (cravings[{seen[craving.day]}])",
            )
        seen[craving.day] = i
        cravings.append(craving)
    attendance = []
    for i, item in enumerate(_section(data, "attendance")):
        prefix = f"attendance[{i}]"
        entry = _validate(AttendanceEntry, _mapping(item, prefix, "day and kind"), prefix)
        _not_future(entry.day, f"{prefix}.day", today)
        attendance.append(entry)
    return RecoveryLog(uses=uses, cravings=tuple(cravings), attendance=tuple(attendance))


def parse_cows(
    items: Sequence[Any],
    *,
    definition: InstrumentDefinition | None = None,
    today: date | None = None,
) -> tuple[tuple[date, float], ...]:
    """COWS totals `[{day: 2026-11-20, total: 14}, ...]`, each a whole number within the
    range of the COWS definition (0–48); returned in date order."""
    from pydantic import TypeAdapter

    if definition is None:
        from neurogarden.kb.instruments.loader import default_catalogue

        definition = default_catalogue().instruments["cows"]
    low, high = definition.total_range
    hint = f"expected a whole number from {low} to {high} (the {definition.short_title} range)"
    if not isinstance(items, list | tuple):
        raise ProfileError("cows", f"expected a list of {{day, total}}, got {items!r}")
    out = []
    for i, item in enumerate(items):
        prefix = f"cows[{i}]"
        data = _mapping(item, prefix, "day and total")
        for key in data:
            if key not in ("day", "total"):
                raise ProfileError(f"{prefix}.{key}", "is not a field here (day, total)")
        for key in ("day", "total"):
            if key not in data:
                raise ProfileError(f"{prefix}.{key}", "is required")
        try:
            day = TypeAdapter(date).validate_python(data["day"])
        except ValidationError:
            raise ProfileError(f"{prefix}.day", f"{HINTS['day']}, got {data['day']!r}") from None
        total = data["total"]
        if (
            isinstance(total, bool)
            or not isinstance(total, int)
            or not low <= total <= (high if high is not None else total)
        ):
            raise ProfileError(f"{prefix}.total", f"{hint}, got {total!r}")
        _not_future(day, f"{prefix}.day", today)
        out.append((day, float(total)))
    return tuple(sorted(out, key=lambda pair: pair[0]))


def log_from_profile(profile: Profile) -> RecoveryLog:
    """The dated `entries` of the profile's substances as a log of uses."""
    return RecoveryLog(
        uses=tuple(
            UseEntry(day=e.day, substance=s.record.id, amount=e.amount, note=e.note)
            for s in profile.substances
            for e in s.entries
        )
    )

"""One declarative scoring engine for every instrument.

The engine knows no instrument by name: it validates answers against the definition,
sums the scored items, computes the declared derived values, looks up the band and
evaluates the safety rules. Bad input raises `InputError`, which names the item.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import time
from functools import cache

from neurogarden.kb.instruments.crisis import LocaleResources
from neurogarden.kb.instruments.models import (
    TOTAL,
    Derived,
    Frozen,
    InstrumentDefinition,
    Item,
    SafetyRule,
)

Number = int | float
RawAnswer = int | str | time | None
MINUTES_PER_DAY = 24 * 60
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_OPS: dict[str, Callable[[float, float], bool]] = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
    "eq": operator.eq,
}


class InputError(ValueError):
    """An answer the definition does not allow; `field` is the item or value at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class Flag(Frozen):
    """A safety rule that fired, with what to do and whom to call."""

    rule: str
    level: str
    ref: str
    value: Number
    message: str
    action: str
    resources: LocaleResources | None = None


class DerivedValue(Frozen):
    id: str
    label: str
    value: Number | None
    unit: str | None = None


class Score(Frozen):
    """The result of scoring one set of answers; `severity` is None when unbanded."""

    instrument: str
    version: str
    total: Number | None
    total_label: str
    unit: str | None = None
    max_total: int | None = None
    severity: str | None = None
    derived: tuple[DerivedValue, ...] = ()
    flags: tuple[Flag, ...] = ()
    notices: tuple[str, ...] = ()


def item_name(definition: InstrumentDefinition, item: Item) -> str:
    """`PHQ-9 item 9 (q9)`: position and id, so a clinician and a developer both see it."""
    position = next(n for n, it in enumerate(definition.items, 1) if it.id == item.id)
    return f"{definition.short_title} item {position} ({item.id})"


def clock_minutes(text: str) -> int:
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a 24-hour HH:MM time")
    return int(match.group(1)) * 60 + int(match.group(2))


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _coerce(definition: InstrumentDefinition, item: Item, raw: RawAnswer) -> int | None:
    """One answer as an int (clock → minutes after midnight); None when left blank."""
    if type(raw) is int and raw in item.allowed:
        return raw  # a valid choice: the common case
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if item.required:
            raise InputError(
                item.id, f"{item_name(definition, item)} is required but was not answered"
            )
        return None
    if item.kind == "clock":
        return _clock_answer(definition, item, raw)
    name = item_name(definition, item)
    if isinstance(raw, bool | time):
        raise InputError(item.id, f"{name} expects a whole number, got {raw!r}")
    try:
        value = int(raw.strip()) if isinstance(raw, str) else int(raw)
    except ValueError:
        raise InputError(item.id, f"{name} expects a whole number, got {raw!r}") from None
    if item.kind == "choice":
        if value not in item.allowed:
            allowed = ", ".join(str(v) for v in sorted(item.allowed))
            raise InputError(item.id, f"{name}: {value} is not allowed (allowed: {allowed})")
    elif value < item.low or (item.high is not None and value > item.high):
        bound = f"{item.low}–{item.high}" if item.high is not None else f"≥ {item.low}"
        raise InputError(item.id, f"{name}: {value} is out of range ({bound})")
    return value


def _clock_answer(definition: InstrumentDefinition, item: Item, raw: int | str | time) -> int:
    if isinstance(raw, time):
        return raw.hour * 60 + raw.minute
    name = item_name(definition, item)
    if not isinstance(raw, str):
        raise InputError(item.id, f"{name} expects a time as HH:MM, got {raw!r}")
    try:
        return clock_minutes(raw)
    except ValueError as exc:
        raise InputError(item.id, f"{name}: {exc}") from None


def check_count(definition: InstrumentDefinition, count: int) -> None:
    """Answers given in item order may leave off trailing optional items, nothing else."""
    low, high = definition.required_count, len(definition.items)
    if not low <= count <= high:
        expected = str(high) if low == high else f"{low}–{high}"
        raise InputError(
            "answers", f"{definition.short_title} expects {expected} answers, got {count}"
        )


def normalize(
    definition: InstrumentDefinition, answers: Mapping[str, RawAnswer] | Sequence[RawAnswer]
) -> dict[str, int | None]:
    """Validate every answer; a mapping may omit optional items but not name unknown ones."""
    if isinstance(answers, Mapping):
        unknown = [key for key in answers if key not in definition.item_map]
        if unknown:
            raise InputError(unknown[0], f"{definition.short_title} has no item {unknown[0]!r}")
        get = answers.get
        return {item.id: _coerce(definition, item, get(item.id)) for item in definition.items}
    count = len(answers)
    check_count(definition, count)
    values: dict[str, int | None] = {}
    for n, item in enumerate(definition.items):
        raw = answers[n] if n < count else None
        fast = type(raw) is int and raw in item.allowed  # skip the general path in bulk scoring
        values[item.id] = raw if fast else _coerce(definition, item, raw)  # type: ignore[assignment]
    return values


def _apply(derived: Derived, args: list[Number | None]) -> Number | None:
    present = [a for a in args if a is not None]
    match derived.op:
        case "coalesce":
            return present[0] if present else None
        case "count":
            return len(present)
        case "add":
            return sum(present) if present else None
    if len(present) != len(args):
        return None
    match derived.op:
        case "clock_span":
            return (args[1] - args[0]) % MINUTES_PER_DAY  # type: ignore[operator]
        case "sub":
            return present[0] - sum(present[1:])
        case "pct":
            return None if present[1] == 0 else 100 * present[0] / present[1]
    raise AssertionError(derived.op)  # pragma: no cover - Literal is exhaustive


def _tidy(value: Number | None, decimals: int) -> Number | None:
    """Round for reporting; whole numbers come back as ints so JSON reads 450, not 450.0."""
    if value is None:
        return None
    rounded = round(float(value), decimals)
    return int(rounded) if rounded.is_integer() else rounded


def compute(
    definition: InstrumentDefinition, values: Mapping[str, int | None]
) -> dict[str, Number | None]:
    """Total and derived values in declaration order; a breached min/max is an InputError."""
    env: dict[str, Number | None] = dict(values)
    if definition.scoring.method == "sum":
        env[TOTAL] = sum(values[item.id] or 0 for item in definition.scored_items)
    for derived in definition.derived:
        result = _apply(derived, [env[a] for a in derived.args])
        too_low = derived.min is not None and result is not None and result < derived.min
        too_high = derived.max is not None and result is not None and result > derived.max
        if too_low or too_high:
            raise InputError(derived.id, derived.error or f"{derived.label} is out of range")
        env[derived.id] = result
    if definition.scoring.method == "derived" and definition.scoring.total is not None:
        env[TOTAL] = env[definition.scoring.total]
    return env


_FLAGS: dict[tuple[int, Number, int], tuple[SafetyRule, LocaleResources | None, Flag]] = {}


def _flag(rule: SafetyRule, value: Number, resources: LocaleResources | None) -> Flag:
    """Flags are immutable values, so identical ones are shared (fast bulk scoring).

    Keyed by object identity, which is cheap; the entry holds the rule and resources so
    their ids cannot be reused while cached.
    """
    key = (id(rule), value, id(resources))
    hit = _FLAGS.get(key)
    if hit is None:
        if len(_FLAGS) > 4096:
            _FLAGS.clear()
        flag = Flag(
            rule=rule.id,
            level=rule.level,
            ref=rule.when.ref,
            value=value,
            message=rule.message,
            action=rule.action,
            resources=resources,
        )
        hit = _FLAGS[key] = (rule, resources, flag)
    return hit[2]


@cache
def _default_crisis() -> LocaleResources:
    """The packaged default locale (US 988 Lifeline); imported late to keep scoring pure."""
    from neurogarden.kb.instruments.loader import default_catalogue

    directory = default_catalogue().crisis
    assert directory is not None  # the packaged catalogue refuses to load without one
    return directory.default


def score(
    definition: InstrumentDefinition,
    answers: Mapping[str, RawAnswer] | Sequence[RawAnswer],
    crisis: LocaleResources | None = None,
) -> Score:
    """Score answers against a definition; `crisis` is attached to flags that ask for it."""
    env = compute(definition, normalize(definition, answers))
    total = env.get(TOTAL)
    flags = []
    for rule in definition.safety:
        value = env.get(rule.when.ref)
        if value is not None and _OPS[rule.when.op](value, rule.when.value):
            if rule.crisis_resources and crisis is None:
                crisis = _default_crisis()
            flags.append(_flag(rule, value, crisis if rule.crisis_resources else None))
    scoring = definition.scoring
    return Score(
        instrument=definition.id,
        version=definition.version,
        total=_tidy(total, 1),
        total_label=scoring.label,
        unit=scoring.unit,
        max_total=definition.total_range[1] if scoring.method == "sum" else None,
        severity=definition.band_for(int(total)) if scoring.bands and total is not None else None,
        derived=tuple(
            DerivedValue(id=d.id, label=d.label, value=_tidy(env[d.id], d.decimals), unit=d.unit)
            for d in definition.derived
            if d.show
        ),
        flags=tuple(flags),
        notices=definition.notices,
    )

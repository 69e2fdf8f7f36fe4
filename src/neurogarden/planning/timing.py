"""Clock arithmetic on a 24-hour day, and the separation windows between doses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

DAY = 24 * 60


@lru_cache(maxsize=2048)
def minutes(clock: str) -> int:
    """Minutes after midnight of "HH:MM" (a day has few distinct clock times, so each
    is read once)."""
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def clock(total: int) -> str:
    total %= DAY
    return f"{total // 60:02d}:{total % 60:02d}"


def awake(wake: str, bed: str, t: int) -> bool:
    """True when `t` lies between waking and bedtime (which may be past midnight)."""
    start, end = minutes(wake), minutes(bed)
    return (t - start) % DAY <= (end - start) % DAY


@dataclass(frozen=True)
class Window:
    """Where a supplement may not go: around `drug_time`, per one separation rule."""

    rule_id: str
    drug: str
    drug_time: str
    after_h: float  # supplement at least this long after the drug
    before_h: float  # or at least this long before it
    never: bool = False
    nutrient: str = "magnesium"  # the supplement the rule keeps apart from the drug

    def forbids(self, t: int) -> bool:
        if self.never:
            return True
        delta = (t - minutes(self.drug_time)) % DAY  # minutes since the drug dose
        if delta == 0:
            return True
        return delta < self.after_h * 60 or DAY - delta < self.before_h * 60


def first_allowed(candidates: Iterable[int], windows: Sequence[Window]) -> int | None:
    for t in candidates:
        if not any(w.forbids(t) for w in windows):
            return t
    return None


def blocking(t: int, windows: Sequence[Window]) -> list[Window]:
    return [w for w in windows if w.forbids(t)]


def around(preferred: int, offsets: Iterable[int]) -> list[int]:
    return [(preferred + o) % DAY for o in offsets]


def whole_day_by_closeness(
    wake: str, bed: str, preferred: int, step: int, margin: int
) -> list[int]:
    """Every `step` minutes of the waking day (from `margin` minutes after waking to
    `margin` minutes before bed), nearest to `preferred` first."""
    start = minutes(wake) + margin
    span = (minutes(bed) - margin - start) % DAY
    times = [(start + k) % DAY for k in range(0, span + 1, step)]
    return sorted(times, key=lambda t: (min((t - preferred) % DAY, (preferred - t) % DAY), t))

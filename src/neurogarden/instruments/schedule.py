"""When each questionnaire falls due, how long it stays open, and whether it was done.

Two kinds of item, both from data: those anchored to a session (the protocol's
follow-ups: before it, a day after, a week after) and recurring ones (a weekly PHQ-9,
a daily sleep diary) from the clinic's defaults as the patient's clinician set them.
An item is due at a local time in the patient's zone; whole days keep that local time
across a daylight-saving change, and its window (opens, closes) is elapsed hours
around it. A response to the same instrument taken inside the window fulfils it (one
answer fulfils every item of that instrument open at the time); a window that closes
unanswered is missed.

Pure: the caller passes the clock (`now`), so every state can be tested at any time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

State = Literal["upcoming", "due", "done", "missed"]


@dataclass(frozen=True)
class Anchored:
    """A follow-up of each session: `offset_days` after its start (0: before it)."""

    instrument: str
    offset_days: int
    label: str
    opens_hours_before: float
    open_hours: float


@dataclass(frozen=True)
class Recurring:
    """A measure every `every_days` days at local `at` ("HH:MM"), from `first_day`."""

    id: str
    instrument: str
    every_days: int
    at: str
    open_hours: float
    label: str


@dataclass(frozen=True)
class Item:
    key: str  # stable: the same item keeps its key while its anchor does not move
    instrument: str
    label: str
    due: datetime  # aware, in the patient's zone
    opens: datetime
    closes: datetime
    session_id: int | None = None


@dataclass(frozen=True)
class ItemState:
    item: Item
    state: State
    answered_at: datetime | None = None  # the response that fulfilled it


def local_days_later(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The same wall-clock time `days` later in `zone` (a gap resolves forward)."""
    local = start.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _window(key: str, instrument: str, label: str, due: datetime, before: float,
            hours: float, session_id: int | None = None) -> Item:  # fmt: skip
    opens = due - timedelta(hours=before)
    return Item(key, instrument, label, due, opens, opens + timedelta(hours=hours), session_id)


def session_items(
    sessions: Iterable[tuple[int, datetime]], follow_ups: Sequence[Anchored], zone: ZoneInfo
) -> list[Item]:
    """Each session's follow-ups; a moved session moves them, a removed one removes them."""
    out = []
    for session_id, start in sessions:
        for f in follow_ups:
            key = f"session-{session_id}:{f.instrument}:{f.offset_days:+d}"
            try:
                due = local_days_later(start, f.offset_days, zone)
                out.append(_window(key, f.instrument, f.label, due, f.opens_hours_before,
                                   f.open_hours, session_id))  # fmt: skip
            except OverflowError:  # a stored start near year 1 or 9999 has no items
                continue
    return out


def recurring_items(
    rules: Sequence[Recurring], first_day: date, zone: ZoneInfo, since: date, until: date
) -> list[Item]:
    """The recurring items falling due from `since` to `until` (inclusive), counting
    every `every_days` from `first_day` at the local time each rule names."""
    out = []
    for rule in rules:
        hour, minute = (int(x) for x in rule.at.split(":"))
        start = max(since, first_day)
        skip = (start - first_day).days % rule.every_days
        day = start + timedelta(days=(rule.every_days - skip) % rule.every_days)
        while day <= until:
            local = datetime.combine(day, time(hour, minute))
            due = local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
            key = f"{rule.id}:{day.isoformat()}"
            out.append(_window(key, rule.instrument, rule.label, due, 0, rule.open_hours))
            day += timedelta(days=rule.every_days)
    return out


def states(
    items: Sequence[Item], responses: Iterable[tuple[str, datetime]], now: datetime
) -> list[ItemState]:
    """Each item's state at `now`. A response fulfils every item of its instrument
    whose window it falls in (the earliest such response is the one shown): a patient
    asked for a PHQ-9 twice in one window, weekly and after a session, answers once."""
    taken = sorted(responses, key=lambda r: r[1])
    answered: dict[str, datetime] = {}
    for item in items:
        for instrument, at in taken:
            if instrument == item.instrument and item.opens <= at < item.closes:
                answered[item.key] = at
                break
    out = []
    for item in sorted(items, key=lambda i: (i.due, i.key)):
        if item.key in answered:
            out.append(ItemState(item, "done", answered[item.key]))
        elif now < item.opens:
            out.append(ItemState(item, "upcoming"))
        elif now < item.closes:
            out.append(ItemState(item, "due"))
        else:
            out.append(ItemState(item, "missed"))
    return out

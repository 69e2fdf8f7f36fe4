"""A patient's measurement schedule as the clinic runs it: the protocol's follow-ups of
each session that was not cancelled, and the clinic's recurring measures as the
patient's clinician set them, in the patient's time zone (the profile's, else the
clinic's), each due, done, missed or still to come at the moment asked.

Nothing here is stored: the schedule follows the sessions, the choices and the
responses as they are, so moving or cancelling a session moves or removes its items
and a new response fulfils the item it falls in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from neurogarden.clinic import records
from neurogarden.clinic.rejected import FieldError, Rejected
from neurogarden.clinic.sessions import of_patient
from neurogarden.clinic.values import ClinicInfo, PatientInfo
from neurogarden.clinic.visit import PatientVisit
from neurogarden.instruments.schedule import (
    Anchored,
    ItemState,
    Recurring,
    recurring_items,
    session_items,
    states,
)
from neurogarden.kb.protocol import default_protocol
from neurogarden.storage import clinic as store
from neurogarden.storage import measures as measure_store

SHOWN_DAYS_BACK = 28  # how far back the record lists items (display)
SHOWN_DAYS_AHEAD = 14  # and how far ahead
CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


@dataclass(frozen=True)
class Choice:
    """One recurring measure as it applies to the patient, and whether a clinician set
    it (else it is the clinic's default)."""

    id: str
    instrument: str
    label: str
    active: bool
    every_days: int
    at: str
    open_hours: float
    chosen: bool


@dataclass(frozen=True)
class Schedule:
    zone: str
    items: tuple[ItemState, ...]  # from SHOWN_DAYS_BACK ago to SHOWN_DAYS_AHEAD on
    choices: tuple[Choice, ...]
    last_response: datetime | None

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(s.state for s in self.items)
        return {k: found.get(k, 0) for k in ("due", "done", "missed", "upcoming")}

    @property
    def due(self) -> tuple[ItemState, ...]:
        return tuple(s for s in self.items if s.state == "due")

    def missed_since(self, since: datetime) -> tuple[ItemState, ...]:
        return tuple(s for s in self.items if s.state == "missed" and s.item.closes >= since)


@dataclass(frozen=True)
class Missed:
    """A questionnaire the patient missed lately, said for the care team's alert."""

    instrument: str
    message: str
    sources: tuple[str, ...]


def missed_lately(
    s: Session, state: records.PatientState, clinic: ClinicInfo | None, now: datetime
) -> list[Missed]:
    """Each questionnaire with a window that closed unanswered within the look-back
    (a knowledge-base parameter), naming the latest such window and how many."""
    lookback = records.kb().parameters["missed-measure-lookback"]
    schedule = schedule_for(s, state, clinic, now)
    missed = schedule.missed_since(now - timedelta(days=lookback.value))
    out = []
    for instrument in sorted({m.item.instrument for m in missed}):
        mine = [m.item for m in missed if m.item.instrument == instrument]
        last = max(mine, key=lambda i: i.closes)
        definition = records.instrument(instrument)
        title = definition.short_title if definition else instrument
        message = (
            f"{title} not answered: {last.label}, due {last.due:%a %d %b %H:%M}, window "
            f"closed {last.closes:%a %d %b %H:%M} ({len(mine)} missed in the last "
            f"{lookback.value:g} days)."
        )
        out.append(Missed(instrument, message, lookback.sources))
    return out


def choices_of(s: Session, patient: PatientInfo) -> tuple[Choice, ...]:
    stored = {c.measure_id: c for c in measure_store.choices_of(s, patient.id)}
    out = []
    for m in records.kb().measures.values():
        row = stored.get(m.id)
        if row is None:
            out.append(Choice(m.id, m.instrument, m.label, m.on_by_default, m.every_days, m.at,
                              m.open_hours, chosen=False))  # fmt: skip
        else:
            out.append(Choice(m.id, m.instrument, m.label, row.active, row.every_days, row.at,
                              row.open_hours, chosen=True))  # fmt: skip
    return tuple(out)


def _zone(named: object, clinic: ClinicInfo | None) -> ZoneInfo:
    """The profile's zone, else the clinic's (also for a name no longer valid)."""
    try:
        return ZoneInfo(named) if isinstance(named, str) and named else records.clinic_zone(clinic)
    except (ValueError, KeyError):
        return records.clinic_zone(clinic)


def schedule_of(
    s: Session, patient: PatientInfo, clinic: ClinicInfo | None, now: datetime
) -> Schedule:
    """The patient's items around `now` (aware), each with its state at `now`, read
    from their sessions and the times of their responses."""
    latest = store.latest_profile(s, patient.id)
    zone = _zone(latest.document.get("timezone") if latest else None, clinic)
    sessions = [(k.id, k.start) for k in of_patient(s, patient.id) if k.planned]
    answered = measure_store.response_times(s, patient.id)
    return _schedule(s, patient, zone, sessions, answered, now)


def schedule_for(
    s: Session, state: records.PatientState, clinic: ClinicInfo | None, now: datetime
) -> Schedule:
    """`schedule_of` for a patient whose record a page or the alert rules have read
    already: their sessions, responses and zone are taken from it, not read again."""
    zone = _zone(state.document.get("timezone") if state.document else None, clinic)
    sessions = [(k.id, k.start) for k in state.sessions if k.planned]
    answered = [(r.instrument_id, store.aware(r.taken_at)) for r in state.responses]
    return _schedule(s, state.patient, zone, sessions, answered, now)


def _schedule(
    s: Session,
    patient: PatientInfo,
    zone: ZoneInfo,
    sessions: list[tuple[int, datetime]],
    answered: list[tuple[str, datetime]],
    now: datetime,
) -> Schedule:
    today = now.astimezone(zone).date()
    since, until = today - timedelta(SHOWN_DAYS_BACK), today + timedelta(SHOWN_DAYS_AHEAD)
    follow_ups = [
        Anchored(f.instrument, f.offset_days, f.label, f.opens_hours_before, f.open_hours)
        for f in default_protocol().follow_up
    ]
    offsets = [f.offset_days for f in follow_ups] or [0]
    earliest = since - timedelta(days=max(offsets) + 1)  # a session whose items can show
    latest = until + timedelta(days=1 - min(offsets))
    shown = [(sid, at) for sid, at in sessions if earliest <= at.astimezone(zone).date() <= latest]
    items = [i for i in session_items(shown, follow_ups, zone) if since <= i.due.date() <= until]
    choices = choices_of(s, patient)
    rules = [
        Recurring(c.id, c.instrument, c.every_days, c.at, c.open_hours, c.label)
        for c in choices
        if c.active
    ]
    row = store.patient_by_id(s, patient.id)
    first_day = store.aware(row.created_at).astimezone(zone).date() if row else today
    items += recurring_items(rules, first_day, zone, since, until)
    last = max((at for _i, at in answered), default=None)
    return Schedule(zone.key, tuple(states(items, answered, now)), choices,
                    None if last is None else last.astimezone(zone))  # fmt: skip


def change_choice(
    visit: PatientVisit,
    measure_id: str,
    *,
    active: bool,
    every_days: object,
    at: object,
    open_hours: object,
) -> Choice | Rejected:
    """A clinician switches one of the clinic's recurring measures on or off for the
    patient, or changes its cadence, time of day or window; every error at its field."""
    measure = records.kb().measures.get(measure_id)
    if measure is None:
        return visit.finish(Rejected.one("measure", f"no recurring measure called {measure_id!r}"))
    errors: list[FieldError] = []
    days = _whole(every_days, "every_days", 1, 365, "days", errors)
    hours = _whole(open_hours, "open_hours", 1, 24 * 14, "hours", errors)
    if not isinstance(at, str) or not CLOCK.match(at.strip()):
        errors.append(FieldError("at", f"expected a time of day as HH:MM, e.g. 09:00; got {at!r}"))
    if errors or days is None or hours is None or not isinstance(at, str):
        return visit.finish(Rejected(tuple(errors)))
    measure_store.set_choice(
        visit.db, visit.patient.id, measure_id, active=active, every_days=days, at=at.strip(),
        open_hours=float(hours), user_id=visit.user.id,
    )  # fmt: skip
    visit.finish(None)
    return next(c for c in choices_of(visit.db, visit.patient) if c.id == measure_id)


def _whole(
    value: object, field: str, low: int, high: int, unit: str, errors: list[FieldError]
) -> int | None:
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if not text.isdecimal() or not low <= int(text) <= high:
        errors.append(
            FieldError(
                field, f"expected a whole number of {unit} from {low} to {high}; got {value!r}"
            )
        )
        return None
    return int(text)

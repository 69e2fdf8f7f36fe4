"""A patient's day: today's doses and window items ticked, the day's food log with its
dietary magnesium, the questionnaires open now, and whether the crisis resources must
be on screen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from neurogarden.clinic import alerts, measures, patient_state, records
from neurogarden.clinic.values import ClinicInfo, PatientInfo
from neurogarden.instruments.schedule import ItemState
from neurogarden.planning.result import Plan
from neurogarden.storage import clinic as store

TICK_HISTORY_DAYS = 14  # the adherence line covers the last two weeks (display)


@dataclass(frozen=True)
class TodayView:
    state: records.PatientState
    eaten: tuple[tuple[str, str], ...]  # (food, amount) logged today
    day_plan: Plan | None  # the plan with today's food as its diet
    done: frozenset[tuple[str, str]]  # (kind, item) ticked today
    days_with_ticks: int  # days of the last two weeks with a dose ticked
    crisis: bool  # an unresolved crisis alert: the crisis screen stays in reach
    due: tuple[ItemState, ...]  # questionnaires open now, with when each closes
    next_due: ItemState | None  # the next one to open


def day_plan(
    document: Mapping[str, Any] | None, eaten: list[tuple[str, str]], today: date
) -> Plan | None:
    """The saved profile's plan recomputed with `eaten` as the diet: the day's dietary
    magnesium, the gap to the RDA and foods that would close it. Raises ProfileError for
    a bad entry."""
    if document is None or not eaten:
        return None
    with_diet = {**document, "diet": [{"food": f, "amount": a} for f, a in eaten]}
    return records.plan_document(with_diet, today)[1]


def eaten_today(s: Session, patient: PatientInfo, today: date) -> list[tuple[str, str]]:
    return [(e.food, e.amount) for e in store.diet_entries_of(s, patient.id, today)]


def today_view(
    s: Session, patient: PatientInfo, clinic: ClinicInfo | None, today: date
) -> TodayView:
    state = patient_state.load_state(s, patient, clinic)
    alerts.raise_for(s, patient, clinic, state)  # the crisis screen never waits for a clinician
    since = today - timedelta(days=TICK_HISTORY_DAYS - 1)
    ticks = store.ticks_of(s, patient.id, since, today)
    eaten = eaten_today(s, patient, today)
    schedule = measures.schedule_for(s, state, clinic, datetime.now(UTC))
    return TodayView(
        state=state,
        eaten=tuple(eaten),
        day_plan=day_plan(state.document, eaten, today),
        done=frozenset((t.kind, t.item) for t in ticks if t.day == today),
        days_with_ticks=len({t.day for t in ticks if t.kind == "dose"}),
        crisis=alerts.has_open_crisis(s, patient),
        due=schedule.due,
        next_due=next((i for i in schedule.items if i.state == "upcoming"), None),
    )

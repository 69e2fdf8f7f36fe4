"""The measurement schedule in the JSON API: a patient's items and their states, and a
clinician's choices about the recurring measures, under the same policies as the rest
of /api (the patient sees their own; their care team sees and changes them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from neurogarden.clinic import measures
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.visit import PatientVisit
from neurogarden.instruments.schedule import ItemState
from neurogarden.web.policy import CARE_VISIT, SELF_OR_CARE_VISIT
from neurogarden.web.routes.api import ERRORS, rejected

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


class MeasureItemOut(BaseModel):
    key: str
    instrument: str
    label: str
    due: datetime
    opens: datetime
    closes: datetime
    state: Literal["upcoming", "due", "done", "missed"]
    answered_at: datetime | None
    session_id: str | None

    @classmethod
    def of(cls, s: ItemState) -> MeasureItemOut:
        i = s.item
        return cls(
            key=i.key, instrument=i.instrument, label=i.label, due=i.due, opens=i.opens,
            closes=i.closes, state=s.state, answered_at=s.answered_at,
            session_id=None if i.session_id is None else str(i.session_id),
        )  # fmt: skip


class ChoiceOut(BaseModel):
    id: str
    instrument: str
    label: str
    active: bool
    every_days: int
    at: str
    open_hours: float
    set_by_clinician: bool

    @classmethod
    def of(cls, c: measures.Choice) -> ChoiceOut:
        return cls(
            id=c.id, instrument=c.instrument, label=c.label, active=c.active,
            every_days=c.every_days, at=c.at, open_hours=c.open_hours, set_by_clinician=c.chosen,
        )  # fmt: skip


class ScheduleOut(BaseModel):
    timezone: str
    counts: dict[str, int]
    last_response: datetime | None
    items: list[MeasureItemOut]
    recurring: list[ChoiceOut]


class ChoiceIn(BaseModel):
    """Bounds are checked by the clinic, which names each field and what it expects."""

    active: bool
    every_days: int = Field(examples=[7])
    at: str = Field(examples=["09:00"])
    open_hours: int = Field(examples=[72])


@router.get("/patients/{pid}/measures")
def get_measures(pid: str, access: Annotated[PatientVisit, SELF_OR_CARE_VISIT]) -> ScheduleOut:
    """The patient's questionnaires from four weeks back to two weeks ahead, each due,
    done, missed or upcoming now, with the recurring measures as they apply."""
    schedule = measures.schedule_of(access.db, access.patient, access.clinic, datetime.now(UTC))
    return ScheduleOut(
        timezone=schedule.zone,
        counts=schedule.counts,
        last_response=schedule.last_response,
        items=[MeasureItemOut.of(s) for s in schedule.items],
        recurring=[ChoiceOut.of(c) for c in schedule.choices],
    )


@router.put("/patients/{pid}/measures/{measure_id}", response_model=None)
def put_choice(
    pid: str, measure_id: str, body: ChoiceIn, access: Annotated[PatientVisit, CARE_VISIT]
) -> ChoiceOut | JSONResponse:
    """Switch one of the clinic's recurring measures on or off for the patient, or
    change its cadence, local time or window."""
    result = measures.change_choice(
        access, measure_id, active=body.active, every_days=body.every_days, at=body.at,
        open_hours=body.open_hours,
    )  # fmt: skip
    if isinstance(result, Rejected):
        if any(e.field == "measure" for e in result.errors):
            return JSONResponse({"detail": result.errors[0].message}, status_code=404)
        return rejected(result)
    return ChoiceOut.of(result)

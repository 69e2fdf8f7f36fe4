"""The JSON API under /api: the same policies, audit trail and validation as the pages.

Sign in through /login (the session cookie), then send the session's CSRF token
(`GET /api/me` returns it) in an `X-CSRF-Token` header with every write.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from neurogarden.clinic import actions, care_team, directory, patient_state, scheduling, sessions
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.sessions import KapSession
from neurogarden.clinic.values import PatientInfo, ProfileVersion, StoredResponse
from neurogarden.clinic.visit import PatientVisit, SignedInVisit
from neurogarden.profile.schema import Moment
from neurogarden.web.policy import CARE_VISIT, CLINICIAN_VISIT, SELF_OR_CARE_VISIT, SIGNED_IN_VISIT


class FieldProblem(BaseModel):
    field: str  # where, e.g. `medications[0].dose`, or `body` for the request as a whole
    message: str


class Refused(BaseModel):
    """Every problem with the input at once, each at its field; nothing was stored."""

    detail: list[FieldProblem]


class Problem(BaseModel):
    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body could not be read"},
    401: {"model": Problem, "description": "Sign in required"},
    403: {"model": Problem, "description": "A write without the session's CSRF token"},
    404: {"model": Problem, "description": "No such record, or not yours to see"},
    413: {"model": Refused, "description": "The body is over the size limit"},
    422: {"model": Refused, "description": "Refused input, each problem at its field"},
}
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    clinic: str
    patient: str | None
    csrf_token: str


class PatientSummary(BaseModel):
    id: str
    display_name: str


class PatientIn(BaseModel):
    display_name: str = Field(min_length=1, max_length=200)


class PatientOut(BaseModel):
    id: str
    display_name: str
    profile_version: int | None
    profile: dict[str, Any] | None


class SessionIn(BaseModel):
    start: Moment
    route: Literal["iv", "im", "sublingual", "oral", "intranasal"]
    setting: str | None = Field(default=None, max_length=80)


class SessionMove(BaseModel):
    start: Moment
    note: str = Field(default="", max_length=500)


class SessionCancel(BaseModel):
    note: str = Field(max_length=500)


class SessionOut(BaseModel):
    id: str
    start: datetime
    route: str
    setting: str | None
    state: Literal["scheduled", "done", "cancelled"]
    note: str | None

    @classmethod
    def of(cls, k: KapSession) -> SessionOut:
        return cls(
            id=str(k.id),
            start=k.start,
            route=k.route,
            setting=k.setting,
            state=k.state,
            note=k.note,
        )


class ResponseIn(BaseModel):
    instrument: str
    answers: dict[str, int | str | None]


class ResponseOut(BaseModel):
    instrument: str
    version: str
    taken_at: datetime
    total: float | None
    flagged: bool
    score: dict[str, Any]


def _patient_out(patient: PatientInfo, latest: ProfileVersion | None) -> PatientOut:
    return PatientOut(
        id=patient.public_id,
        display_name=patient.display_name,
        profile_version=latest.version if latest else None,
        profile=dict(latest.document) if latest else None,
    )


def rejected(refused: Rejected) -> JSONResponse:
    """Every error of refused input, each with its field."""
    detail = [{"field": e.field, "message": e.message} for e in refused.errors]
    return JSONResponse({"detail": detail}, status_code=422)


@router.get("/me")
def me(access: Annotated[SignedInVisit, SIGNED_IN_VISIT]) -> Me:
    patient = directory.own_patient(access.db, access.user)
    return Me(
        username=access.user.username,
        display_name=access.user.display_name,
        role=access.user.role,
        clinic=access.clinic.name,
        patient=patient.public_id if patient else None,
        csrf_token=access.csrf,
    )


@router.get("/patients")
def list_patients(
    access: Annotated[SignedInVisit, CLINICIAN_VISIT],
) -> list[PatientSummary]:
    patients = care_team.visible(access.db, access.user, access.clinic)
    access.shown([p.public_id for p in patients])
    return [PatientSummary(id=p.public_id, display_name=p.display_name) for p in patients]


@router.post("/patients", status_code=201, response_model=PatientSummary)
def create_patient(body: PatientIn, access: Annotated[SignedInVisit, CLINICIAN_VISIT]) -> Any:
    patient = directory.add_patient(access, body.display_name)
    if isinstance(patient, Rejected):
        return rejected(patient)
    return PatientSummary(id=patient.public_id, display_name=patient.display_name)


@router.get("/patients/{pid}")
def get_patient(pid: str, access: Annotated[PatientVisit, CARE_VISIT]) -> PatientOut:
    return _patient_out(access.patient, directory.latest_profile(access))


@router.put("/patients/{pid}/profile", response_model=None)
def put_profile(
    pid: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    document: Annotated[dict[str, Any], Body()],
) -> PatientOut | JSONResponse:
    result = actions.save_profile(access, document)
    if isinstance(result, Rejected):
        return rejected(result)
    return _patient_out(access.patient, result)


@router.get("/patients/{pid}/plan", response_model=None)
def get_plan(pid: str, access: Annotated[PatientVisit, SELF_OR_CARE_VISIT]) -> Any:
    state = patient_state.load_state(access.db, access.patient, access.clinic)
    if state.plan is None:
        detail = state.error.message if state.error else "no profile saved yet"
        return JSONResponse({"detail": detail}, status_code=409)
    return JSONResponse(state.plan.model_dump(mode="json"))


@router.get("/patients/{pid}/sessions")
def list_sessions(pid: str, access: Annotated[PatientVisit, CARE_VISIT]) -> list[SessionOut]:
    """Every session of the patient, cancelled ones included, earliest first."""
    return [SessionOut.of(k) for k in sessions.of_patient(access.db, access.patient.id)]


def _session_out(result: KapSession | Rejected) -> SessionOut | JSONResponse:
    if isinstance(result, Rejected):
        if any(e.message == scheduling.NO_SUCH_SESSION for e in result.errors):
            return JSONResponse({"detail": scheduling.NO_SUCH_SESSION}, status_code=404)
        return rejected(result)
    return SessionOut.of(result)


@router.post("/patients/{pid}/sessions", status_code=201, response_model=None)
def add_session(
    pid: str, body: SessionIn, access: Annotated[PatientVisit, CARE_VISIT]
) -> SessionOut | JSONResponse:
    """Schedule a session; the safety gate is re-run with all the patient's sessions."""
    return _session_out(scheduling.schedule(access, body.start, body.route, body.setting))


@router.post("/patients/{pid}/sessions/{sid}/move", response_model=None)
def move_session(
    pid: str,
    sid: str,
    body: SessionMove,
    access: Annotated[PatientVisit, CARE_VISIT],
) -> SessionOut | JSONResponse:
    """A scheduled session to a new start; its window and follow-ups move with it."""
    return _session_out(scheduling.move(access, sid, body.start, body.note))


@router.post("/patients/{pid}/sessions/{sid}/cancel", response_model=None)
def cancel_session(
    pid: str,
    sid: str,
    body: SessionCancel,
    access: Annotated[PatientVisit, CARE_VISIT],
) -> SessionOut | JSONResponse:
    """A scheduled session will not take place; its window and follow-ups go."""
    return _session_out(scheduling.cancel(access, sid, body.note))


@router.post("/patients/{pid}/sessions/{sid}/done", response_model=None)
def session_done(
    pid: str, sid: str, access: Annotated[PatientVisit, CARE_VISIT]
) -> SessionOut | JSONResponse:
    """The session took place (a session in the future cannot be done)."""
    return _session_out(scheduling.mark_done(access, sid))


def _response_out(r: StoredResponse) -> ResponseOut:
    return ResponseOut(
        instrument=r.instrument_id,
        version=r.instrument_version,
        taken_at=r.taken_at,
        total=r.total,
        flagged=r.flagged,
        score=r.score.model_dump(mode="json"),
    )


@router.get("/patients/{pid}/responses")
def list_responses(
    pid: str, access: Annotated[PatientVisit, SELF_OR_CARE_VISIT]
) -> list[ResponseOut]:
    return [_response_out(r) for r in directory.responses(access)]


@router.post("/patients/{pid}/responses", status_code=201, response_model=None)
def add_response(
    pid: str,
    body: ResponseIn,
    access: Annotated[PatientVisit, SELF_OR_CARE_VISIT],
) -> ResponseOut | JSONResponse:
    saved = actions.record_response(access, body.instrument, body.answers)
    if isinstance(saved, Rejected):
        return rejected(saved)
    return _response_out(saved[1])


class RecoveryOut(BaseModel):
    log: dict[str, Any]
    cows: list[tuple[date, float]]
    alerts: list[dict[str, Any]]
    findings: list[dict[str, Any]]


@router.get("/patients/{pid}/recovery", response_model=None)
def get_recovery(pid: str, access: Annotated[PatientVisit, SELF_OR_CARE_VISIT]) -> Any:
    """The recovery log with its alerts and the findings of its last 14 days."""
    state = patient_state.load_state(access.db, access.patient, access.clinic)
    shown = state.recovery
    if shown is None:
        return RecoveryOut(log={}, cows=[], alerts=[], findings=[])
    return RecoveryOut(
        log=shown.log.model_dump(mode="json"),
        cows=shown.cows,
        alerts=[a.model_dump(mode="json") for a in shown.alerts],
        findings=[f.model_dump(mode="json") for f in shown.findings],
    )


@router.post("/patients/{pid}/recovery", status_code=201, response_model=None)
def add_recovery(
    pid: str,
    access: Annotated[PatientVisit, SELF_OR_CARE_VISIT],
    entry: Annotated[dict[str, Any], Body()],
) -> Any:
    """One entry: `{"kind": "use", "day": "2026-11-20", "substance": "kratom", "amount":
    "2 g"}`, `{"kind": "craving", "day": …, "rating": 6}` or `{"kind": "attendance",
    "day": …, "attendance_kind": "counselling", "attended": true}`."""
    result = actions.log_recovery(access, str(entry.get("kind", "")), entry)
    if isinstance(result, Rejected):
        return rejected(result)
    return JSONResponse({**jsonable_encoder(result.values)}, status_code=201)

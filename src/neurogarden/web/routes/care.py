"""What a clinician changes on a patient's record besides the profile: scheduling,
moving, cancelling or marking done a session, lifting a hold or a session block with a
reason, the recurring questionnaires, and creating the patient's sign-in."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.clinic import accounts, actions, measures, scheduling
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.visit import PatientVisit
from neurogarden.web.policy import CARE_VISIT
from neurogarden.web.routes.clinician import patient_page
from neurogarden.web.templating import FORM_ERROR_STATUS

router = APIRouter(include_in_schema=False)


@router.post("/patients/{pid}/sessions")
def schedule_session(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    start: Annotated[str, Form()] = "",
    route: Annotated[str, Form()] = "",
    setting: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    result = scheduling.schedule(access, start, route, setting)
    if isinstance(result, Rejected):
        errors = {e.field.rsplit(".", 1)[-1]: e.message for e in reversed(result.errors)}
        return patient_page(request, access, session_error=errors, status=FORM_ERROR_STATUS)
    return RedirectResponse(f"/patients/{pid}#sessions", status_code=303)


@router.post("/patients/{pid}/sessions/{sid}/{change}")
def change_session(
    request: Request,
    pid: str,
    sid: str,
    change: Literal["move", "cancel", "done"],
    access: Annotated[PatientVisit, CARE_VISIT],
    start: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Move a scheduled session, cancel it with the reason, or mark it done; a refusal
    is shown at the session it concerns."""
    if change == "move":
        result = scheduling.move(access, sid, start, note)
    elif change == "cancel":
        result = scheduling.cancel(access, sid, note)
    else:
        result = scheduling.mark_done(access, sid)
    if isinstance(result, Rejected):
        return patient_page(
            request, access, session_change_error={sid: result.text()}, status=FORM_ERROR_STATUS
        )
    return RedirectResponse(f"/patients/{pid}#session-{sid}", status_code=303)


@router.post("/patients/{pid}/overrides")
def override_block(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    code: Annotated[str, Form(max_length=100)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """A clinician lifts a hold or a session block with a reason, recorded with their name."""
    result = actions.lift_block(access, code, reason)
    if isinstance(result, Rejected):
        message = "; ".join(e.message for e in result.errors)
        return patient_page(
            request, access, override_error={code: message}, status=FORM_ERROR_STATUS
        )
    return RedirectResponse(f"/patients/{pid}#plan", status_code=303)


@router.post("/patients/{pid}/account")
def create_patient_account(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    made = accounts.create_patient_login(access, username, password)
    if isinstance(made, Rejected):
        return patient_page(request, access, account_error=made.text(), status=FORM_ERROR_STATUS)
    return RedirectResponse(f"/patients/{pid}#account", status_code=303)


@router.post("/patients/{pid}/measures/{measure_id}")
def change_measure(
    request: Request,
    pid: str,
    measure_id: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    active: Annotated[str, Form()] = "",
    every_days: Annotated[str, Form(max_length=20)] = "",
    at: Annotated[str, Form(max_length=20)] = "",
    open_hours: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """One recurring questionnaire switched on or off for the patient, or retimed."""
    result = measures.change_choice(
        access, measure_id, active=active == "on", every_days=every_days, at=at,
        open_hours=open_hours,
    )  # fmt: skip
    if isinstance(result, Rejected):
        return patient_page(
            request, access, measure_error=(measure_id, result.text()), status=FORM_ERROR_STATUS
        )
    return RedirectResponse(f"/patients/{pid}#measures", status_code=303)

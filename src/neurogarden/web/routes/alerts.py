"""Working alerts to the end (acknowledge, record the follow-up or an attempt to reach
the patient), the patient's care team, and the crisis screen a patient reaches from
their Today page while a crisis alert is open. Only a clinician on the care team
changes an alert; the patient's policy admits only the crisis screen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.clinic import alerts, care_team, records
from neurogarden.clinic.alerts import AlertView
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.visit import PatientVisit
from neurogarden.web.policy import CARE_VISIT, SELF_OR_CARE_VISIT
from neurogarden.web.routes.clinician import patient_page
from neurogarden.web.templating import FORM_ERROR_STATUS, page

router = APIRouter(include_in_schema=False)


def _worked(
    request: Request, access: PatientVisit, aid: str, back: str, done: AlertView | Rejected
) -> Response:
    """Back to where the clinician worked the alert, or the record with the error at it."""
    if isinstance(done, Rejected):
        errors = {aid: done.text()}
        return patient_page(request, access, alert_error=errors, status=FORM_ERROR_STATUS)
    where = "/dashboard" if back == "dashboard" else f"/patients/{access.patient.public_id}#alerts"
    return RedirectResponse(where, status_code=303)


@router.post("/patients/{pid}/alerts/{aid}/acknowledge")
def acknowledge_alert(
    request: Request,
    pid: str,
    aid: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    note: Annotated[str, Form(max_length=1000)] = "",
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    return _worked(request, access, aid, back, alerts.acknowledge(access, aid, note))


@router.post("/patients/{pid}/alerts/{aid}/follow-up")
def follow_up_alert(
    request: Request,
    pid: str,
    aid: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    outcome: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    return _worked(request, access, aid, back, alerts.follow_up(access, aid, outcome, note))


@router.post("/patients/{pid}/care-team")
def add_to_care_team(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    username: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    added = care_team.add_member(access, username)
    if isinstance(added, Rejected):
        return patient_page(request, access, team_error=added.text(), status=FORM_ERROR_STATUS)
    return RedirectResponse(f"/patients/{pid}#care-team", status_code=303)


@router.post("/patients/{pid}/care-team/remove")
def remove_from_care_team(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    username: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    removed = care_team.remove_member(access, username)
    if isinstance(removed, Rejected):
        return patient_page(request, access, team_error=removed.text(), status=FORM_ERROR_STATUS)
    if removed.id == access.user.id and not access.clinic.clinic_wide_care:
        return RedirectResponse("/dashboard", status_code=303)  # no longer theirs to see
    return RedirectResponse(f"/patients/{pid}#care-team", status_code=303)


@router.get("/patients/{pid}/crisis")
def crisis_screen(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, SELF_OR_CARE_VISIT],
) -> Response:
    """Words for the patient, tappable numbers, and nothing meant for the clinician."""
    return page(request, "crisis.html", access, crisis=records.crisis_for(access.clinic), pid=pid)

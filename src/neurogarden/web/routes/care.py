"""What a clinician changes on a patient's record besides the profile: scheduling a
session, lifting a hold or a session block with a reason, and creating the patient's
sign-in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.clinic import accounts, actions, records
from neurogarden.clinic.actions import Rejected
from neurogarden.web.policy import CARE, Access
from neurogarden.web.routes.clinician import patient_page
from neurogarden.web.templating import FORM_ERROR_STATUS

router = APIRouter(include_in_schema=False)


@router.post("/patients/{pid}/sessions")
def schedule_session(
    request: Request,
    pid: str,
    access: Annotated[Access, Depends(CARE)],
    start: Annotated[str, Form()] = "",
    route: Annotated[str, Form()] = "",
    setting: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    assert access.patient is not None and access.user is not None
    result = actions.schedule_session(
        access.db, access.patient, access.user, start, route, setting,
        records.clinic_today(access.clinic),
    )  # fmt: skip
    if isinstance(result, Rejected):
        access.reject()
        errors = {e.field.rsplit(".", 1)[-1]: e.message for e in reversed(result.errors)}
        return patient_page(request, access, session_error=errors, status=FORM_ERROR_STATUS)
    access.commit()
    return RedirectResponse(f"/patients/{pid}#sessions", status_code=303)


@router.post("/patients/{pid}/overrides")
def override_block(
    request: Request,
    pid: str,
    access: Annotated[Access, Depends(CARE)],
    code: Annotated[str, Form(max_length=100)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """A clinician lifts a hold or a session block with a reason, recorded with their name."""
    assert access.patient is not None and access.user is not None
    result = actions.lift_block(
        access.db, access.patient, access.user, code, reason, records.clinic_today(access.clinic)
    )
    if isinstance(result, Rejected):
        access.reject()
        message = "; ".join(e.message for e in result.errors)
        return patient_page(
            request, access, override_error={code: message}, status=FORM_ERROR_STATUS
        )
    access.commit()
    return RedirectResponse(f"/patients/{pid}#plan", status_code=303)


@router.post("/patients/{pid}/account")
def create_patient_account(
    request: Request,
    pid: str,
    access: Annotated[Access, Depends(CARE)],
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    assert access.patient is not None and access.clinic is not None
    made = accounts.create_patient_login(
        access.db, access.clinic, access.patient, username, password
    )
    if isinstance(made, Rejected):
        access.reject()
        error = made.text()
        return patient_page(request, access, account_error=error, status=FORM_ERROR_STATUS)
    access.commit()
    return RedirectResponse(f"/patients/{pid}#account", status_code=303)

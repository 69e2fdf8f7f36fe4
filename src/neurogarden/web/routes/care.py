"""What a clinician changes on a patient's record besides the profile: scheduling a
session, lifting a hold or a session block with a reason, and creating the patient's
sign-in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.clinic import records
from neurogarden.clinic.accounts import new_login_problem
from neurogarden.clinic.security import hash_password
from neurogarden.profile import ProfileError
from neurogarden.storage import clinic as store
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
    stored = store.latest_profile(access.db, access.patient.id)
    if stored is None:
        access.reject()
        return patient_page(
            request,
            access,
            session_error={"start": "save the profile before scheduling sessions"},
            status=FORM_ERROR_STATUS,
        )
    try:
        when = datetime.fromisoformat(start)
    except ValueError:
        access.reject()
        return patient_page(
            request,
            access,
            session_error={"start": "expected a date and time like 2026-11-24T10:00"},
            status=FORM_ERROR_STATUS,
        )
    document = records.with_session(stored.document, when, route, setting)
    try:
        records.plan_document(document, records.clinic_today(access.clinic))
    except ProfileError as exc:
        access.reject()
        key = exc.field.rsplit(".", 1)[-1]
        return patient_page(
            request, access, session_error={key: exc.message}, status=FORM_ERROR_STATUS
        )
    store.save_profile(access.db, access.patient.id, document, access.user.id)
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
    stored = store.latest_profile(access.db, access.patient.id)
    problem = None if len(reason.strip()) >= 3 else "give the reason (at least 3 characters)"
    if stored is None:
        problem = "save the profile first"
    if problem is None and stored is not None:
        document = records.with_override(stored.document, code, reason, access.user.display_name)
        try:
            records.plan_document(document, records.clinic_today(access.clinic))
        except ProfileError as exc:
            problem = exc.message
    if problem is not None or stored is None:
        access.reject()
        return patient_page(
            request,
            access,
            override_error={code: problem or "save the profile first"},
            status=FORM_ERROR_STATUS,
        )
    store.save_profile(access.db, access.patient.id, document, access.user.id)
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
    name = username.strip().lower()
    error = new_login_problem(access.db, name, password)
    if store.user_for_patient(access.db, access.patient.id) is not None:
        error = "username: this patient already has a login"
    if error:
        access.reject()
        return patient_page(request, access, account_error=error, status=FORM_ERROR_STATUS)
    store.add_user(
        access.db,
        access.clinic.id,
        name,
        access.patient.display_name,
        "patient",
        hash_password(password),
        patient_id=access.patient.id,
    )
    access.commit()
    return RedirectResponse(f"/patients/{pid}#account", status_code=303)

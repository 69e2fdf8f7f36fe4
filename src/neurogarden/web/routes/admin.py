"""The admin's pages: accounts, clinic settings and the audit trail. An admin manages
the clinic; they do not see patients' clinical records."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.clinic import accounts, directory, records
from neurogarden.clinic.actions import Rejected
from neurogarden.web.policy import ADMIN, Access
from neurogarden.web.templating import FORM_ERROR_STATUS, page

router = APIRouter(include_in_schema=False)


def _users_page(request: Request, access: Access, error: str | None, status: int) -> Response:
    assert access.clinic is not None
    users = directory.staff(access.db, access.clinic)
    return page(request, "admin_users.html", access, users=users, error=error, status=status)


@router.get("/admin/users")
def users(request: Request, access: Annotated[Access, Depends(ADMIN)]) -> Response:
    return _users_page(request, access, None, 200)


@router.post("/admin/users")
def add_user(
    request: Request,
    access: Annotated[Access, Depends(ADMIN)],
    username: Annotated[str, Form(max_length=80)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Staff accounts; a patient's login is made from their record by a clinician."""
    assert access.clinic is not None
    made = accounts.create_staff(access.db, access.clinic, username, display_name, role, password)
    if isinstance(made, Rejected):
        error = made.text()
        return _users_page(request, access, error, FORM_ERROR_STATUS)
    access.db.commit()
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/audit")
def audit(
    request: Request,
    access: Annotated[Access, Depends(ADMIN)],
    user: str = "",
    patient: str = "",
    action: str = "",
    outcome: str = "",
) -> Response:
    assert access.clinic is not None
    f = directory.AuditFilter(
        user=user or None, patient=patient or None, action=action or None, outcome=outcome or None
    )
    rows = directory.audit_trail(access.db, access.clinic, f)
    return page(request, "admin_audit.html", access, rows=rows, f=f)


@router.get("/admin/clinic")
def clinic_settings(request: Request, access: Annotated[Access, Depends(ADMIN)]) -> Response:
    return page(request, "admin_clinic.html", access, error=None, locales=_locales())


def _locales() -> tuple[str, ...]:
    directory = records.catalogue().crisis
    return tuple(loc.split("-")[1] for loc in directory.known) if directory else ("US",)


@router.post("/admin/clinic")
def save_clinic(
    request: Request,
    access: Annotated[Access, Depends(ADMIN)],
    name: Annotated[str, Form(max_length=200)] = "",
    locale: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    assert access.clinic is not None
    error = None
    if not name.strip():
        error = "name: enter the clinic's name"
    elif locale not in _locales():
        error = f"locale: expected one of {', '.join(_locales())}"
    else:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            error = "timezone: expected an IANA zone such as Europe/Berlin"
    if error:
        return page(
            request,
            "admin_clinic.html",
            access,
            error=error,
            locales=_locales(),
            status=FORM_ERROR_STATUS,
        )
    access.clinic.name, access.clinic.locale, access.clinic.timezone = (
        name.strip(),
        locale,
        timezone,
    )
    access.db.commit()
    return RedirectResponse("/admin/clinic", status_code=303)

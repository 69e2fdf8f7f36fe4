"""The admin's pages: accounts, clinic settings and the audit trail. An admin manages
the clinic; they do not see patients' clinical records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.clinic import accounts, care_team, directory
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.visit import SignedInVisit
from neurogarden.web.policy import ADMIN_VISIT
from neurogarden.web.templating import FORM_ERROR_STATUS, page

router = APIRouter(include_in_schema=False)


def _users_page(
    request: Request,
    access: SignedInVisit,
    error: str | None,
    status: int,
    hand_over_error: str | None = None,
    handed_over: str | None = None,
) -> Response:
    users = directory.staff(access)
    return page(
        request, "admin_users.html", access, users=users, error=error, status=status,
        teams=care_team.team_counts(access), hand_over_error=hand_over_error,
        handed_over=handed_over,
    )  # fmt: skip


@router.get("/admin/users")
def users(request: Request, access: Annotated[SignedInVisit, ADMIN_VISIT]) -> Response:
    return _users_page(request, access, None, 200)


@router.post("/admin/users")
def add_user(
    request: Request,
    access: Annotated[SignedInVisit, ADMIN_VISIT],
    username: Annotated[str, Form(max_length=80)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Staff accounts; a patient's login is made from their record by a clinician."""
    made = accounts.create_staff(access, username, display_name, role, password)
    if isinstance(made, Rejected):
        return _users_page(request, access, made.text(), FORM_ERROR_STATUS)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/care-teams")
def hand_over_care_teams(
    request: Request,
    access: Annotated[SignedInVisit, ADMIN_VISIT],
    from_username: Annotated[str, Form(max_length=80)] = "",
    to_username: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """Add one clinician to every care team another is on."""
    changed = care_team.hand_over(access, from_username, to_username)
    if isinstance(changed, Rejected):
        return _users_page(request, access, None, FORM_ERROR_STATUS, changed.text())
    done = f"{to_username.strip().lower()} joined {changed} care team(s) of {from_username}."
    return _users_page(request, access, None, 200, handed_over=done)


@router.get("/admin/audit")
def audit(
    request: Request,
    access: Annotated[SignedInVisit, ADMIN_VISIT],
    user: str = "",
    patient: str = "",
    action: str = "",
    outcome: str = "",
) -> Response:
    f = directory.AuditFilter(
        user=user or None, patient=patient or None, action=action or None, outcome=outcome or None
    )
    rows = directory.audit_trail(access, f)
    return page(request, "admin_audit.html", access, rows=rows, f=f)


@router.get("/admin/clinic")
def clinic_settings(request: Request, access: Annotated[SignedInVisit, ADMIN_VISIT]) -> Response:
    return page(request, "admin_clinic.html", access, error=None, locales=accounts.crisis_locales())


@router.post("/admin/clinic")
def save_clinic(
    request: Request,
    access: Annotated[SignedInVisit, ADMIN_VISIT],
    name: Annotated[str, Form(max_length=200)] = "",
    locale: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form(max_length=64)] = "",
    clinic_wide_care: Annotated[str, Form(max_length=10)] = "",
    missed_measure_alerts: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    saved = accounts.save_clinic_settings(
        access, name, locale, timezone, clinic_wide_care=clinic_wide_care == "on",
        missed_measure_alerts=missed_measure_alerts == "on",
    )  # fmt: skip
    if isinstance(saved, Rejected):
        return page(
            request,
            "admin_clinic.html",
            access,
            error=saved.text(),
            locales=accounts.crisis_locales(),
            status=FORM_ERROR_STATUS,
        )
    return RedirectResponse("/admin/clinic", status_code=303)

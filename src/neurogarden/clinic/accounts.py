"""Logins and the clinic's settings: the checks every new login passes, whoever creates
it (a staff login by an admin, a patient's from their record by a clinician), and the
admin's clinic settings (name, crisis-line locale, time zone)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from neurogarden.clinic import records
from neurogarden.clinic.rejected import FieldError, Rejected
from neurogarden.clinic.security import PasswordRejected, check_new_password, hash_password
from neurogarden.clinic.values import Account, ClinicInfo
from neurogarden.clinic.visit import PatientVisit, SignedInVisit
from neurogarden.storage import clinic as store

ROLES_AN_ADMIN_CREATES = ("admin", "clinician")


def new_login_problem(db: Session, username: str, password: str) -> Rejected | None:
    """What is wrong with a proposed user name and password, at its field; or None."""
    name = username.strip().lower()
    if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        return Rejected.one("username", "use letters, digits, '.', '-' or '_'")
    if store.user_by_username(db, name) is not None:
        return Rejected.one("username", "already taken")
    try:
        check_new_password(password, name)
    except PasswordRejected as exc:
        return Rejected.one("password", str(exc))
    return None


def create_staff(
    visit: SignedInVisit, username: str, display_name: str, role: str, password: str
) -> Account | Rejected:
    """A staff login (admin or clinician) in the admin's clinic; audited."""
    visit.audited = True
    return visit.finish(_staff(visit, username, display_name, role, password))


def _staff(
    visit: SignedInVisit, username: str, display_name: str, role: str, password: str
) -> Account | Rejected:
    if role not in ROLES_AN_ADMIN_CREATES:
        return Rejected.one("role", "expected 'admin' or 'clinician'")
    if not display_name.strip():
        return Rejected.one("display_name", "enter the person's name")
    problem = new_login_problem(visit.db, username, password)
    if problem:
        return problem
    row = store.add_user(
        visit.db, visit.clinic.id, username.strip().lower(), display_name.strip(), role,
        hash_password(password),
    )  # fmt: skip
    return Account.of(row)


def create_patient_login(visit: PatientVisit, username: str, password: str) -> Account | Rejected:
    """The patient's own login, made from their record; one per patient."""
    return visit.finish(_patient_login(visit, username, password))


def _patient_login(visit: PatientVisit, username: str, password: str) -> Account | Rejected:
    if store.user_for_patient(visit.db, visit.patient.id) is not None:
        return Rejected.one("username", "this patient already has a login")
    problem = new_login_problem(visit.db, username, password)
    if problem:
        return problem
    row = store.add_user(
        visit.db, visit.clinic.id, username.strip().lower(), visit.patient.display_name,
        "patient", hash_password(password), patient_id=visit.patient.id,
    )  # fmt: skip
    return Account.of(row)


def crisis_locales() -> tuple[str, ...]:
    """The regions whose crisis lines the knowledge base holds ("US", "GB", …)."""
    directory = records.catalogue().crisis
    return tuple(loc.split("-")[1] for loc in directory.known) if directory else ("US",)


def save_clinic_settings(
    visit: SignedInVisit,
    name: str,
    locale: str,
    timezone: str,
    clinic_wide_care: bool,
    missed_measure_alerts: bool = True,
) -> ClinicInfo | Rejected:
    """The clinic's name, the locale of its crisis lines, its time zone, whether every
    clinician sees every patient (else only the patients whose care team they are on)
    and whether a missed questionnaire raises an alert; every error at once. Audited:
    the settings decide who sees which patient and who is followed up."""
    visit.audited = True
    errors = []
    if not name.strip():
        errors.append(FieldError("name", "enter the clinic's name"))
    locales = crisis_locales()
    if locale not in locales:
        errors.append(FieldError("locale", f"expected one of {', '.join(locales)}"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        errors.append(FieldError("timezone", "expected an IANA zone such as Europe/Berlin"))
    if errors:
        return visit.finish(Rejected(tuple(errors)))
    row = store.update_clinic(
        visit.db, visit.clinic.id, name=name.strip(), locale=locale, timezone=timezone,
        clinic_wide_care=clinic_wide_care, missed_measure_alerts=missed_measure_alerts,
    )  # fmt: skip
    visit.clinic = ClinicInfo.of(row)
    return visit.finish(visit.clinic)

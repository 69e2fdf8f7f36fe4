"""Logins: the checks every new one passes, whoever creates it, and creating them (a
staff login by an admin, a patient's from their record by a clinician)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from neurogarden.clinic.actions import Rejected
from neurogarden.clinic.security import PasswordRejected, check_new_password, hash_password
from neurogarden.storage import clinic as store
from neurogarden.storage.models import ClinicRow, PatientRow


def new_login_problem(db: Session, username: str, password: str) -> str | None:
    """What is wrong with a proposed user name and password, naming the field; or None."""
    name = username.strip().lower()
    if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        return "username: use letters, digits, '.', '-' or '_'"
    if store.user_by_username(db, name) is not None:
        return "username: already taken"
    try:
        check_new_password(password, name)
    except PasswordRejected as exc:
        return f"password: {exc}"
    return None


def _rejected(problem: str) -> Rejected:
    field, _, message = problem.partition(": ")
    return Rejected.one(field, message)


def create_staff(
    db: Session, clinic: ClinicRow, username: str, display_name: str, role: str, password: str
) -> str | Rejected:
    """A staff login (admin or clinician) in the clinic; returns its user name."""
    name = username.strip().lower()
    if role not in ("admin", "clinician"):
        return Rejected.one("role", "expected 'admin' or 'clinician'")
    if not display_name.strip():
        return Rejected.one("display_name", "enter the person's name")
    problem = new_login_problem(db, name, password)
    if problem:
        return _rejected(problem)
    store.add_user(db, clinic.id, name, display_name.strip(), role, hash_password(password))
    return name


def create_patient_login(
    db: Session, clinic: ClinicRow, patient: PatientRow, username: str, password: str
) -> str | Rejected:
    """The patient's own login, made from their record; one per patient."""
    name = username.strip().lower()
    problem = new_login_problem(db, name, password)
    if store.user_for_patient(db, patient.id) is not None:
        problem = "username: this patient already has a login"
    if problem:
        return _rejected(problem)
    store.add_user(
        db, clinic.id, name, patient.display_name, "patient", hash_password(password),
        patient_id=patient.id,
    )  # fmt: skip
    return name

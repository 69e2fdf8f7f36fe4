"""Who and what is in the clinic: its patients and staff, a patient's own login, saved
profile, responses and recovery entries, the audit trail; and adding a patient. The
pages and the API read these through here, never from the storage directly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from neurogarden.clinic.actions import Rejected
from neurogarden.storage import access as access_store
from neurogarden.storage import clinic as store
from neurogarden.storage.access import AuditFilter
from neurogarden.storage.models import (
    AuditRow,
    ClinicRow,
    PatientRow,
    ProfileVersionRow,
    RecoveryEntryRow,
    ResponseRow,
    UserRow,
)

__all__ = ["AuditFilter"]


def patients(s: Session, clinic: ClinicRow) -> Sequence[PatientRow]:
    return store.patients_of_clinic(s, clinic.id)


def clinic_of(s: Session, user: UserRow) -> ClinicRow | None:
    """The clinic a signed-in user belongs to."""
    return s.get(ClinicRow, user.clinic_id)


def patient(s: Session, public_id: str) -> PatientRow | None:
    """A patient by the id in a page's path (access is decided by the web policy)."""
    return store.patient_by_public_id(s, public_id)


def own_patient(s: Session, user: UserRow | None) -> PatientRow | None:
    """The patient record a patient's login belongs to."""
    if user is None or user.patient_id is None:
        return None
    return store.patient_by_id(s, user.patient_id)


def add_patient(s: Session, clinic: ClinicRow, display_name: str) -> PatientRow | Rejected:
    name = display_name.strip()
    if not name:
        return Rejected.one("display_name", "enter the patient's name")
    return store.add_patient(s, clinic.id, name)


def login_of(s: Session, patient: PatientRow) -> UserRow | None:
    return store.user_for_patient(s, patient.id)


def staff(s: Session, clinic: ClinicRow) -> Sequence[UserRow]:
    return store.users_of_clinic(s, clinic.id)


def latest_profile(s: Session, patient: PatientRow) -> ProfileVersionRow | None:
    return store.latest_profile(s, patient.id)


def responses(s: Session, patient: PatientRow) -> Sequence[ResponseRow]:
    return store.responses_of(s, [patient.id])


def taken_at(response: ResponseRow) -> datetime:
    """When a questionnaire was answered, time-zone aware (SQLite stores it naive, in UTC)."""
    return store.aware(response.taken_at)


def recovery_entries(s: Session, patient: PatientRow) -> Sequence[RecoveryEntryRow]:
    return store.recovery_entries_of(s, [patient.id])


def audit_trail(s: Session, clinic: ClinicRow, wanted: AuditFilter) -> Sequence[AuditRow]:
    return access_store.audit_events(s, clinic.id, wanted)

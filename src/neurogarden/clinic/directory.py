"""Who and what is in the clinic: its patients and staff, a patient's own login, saved
profile, responses and recovery entries, the audit trail; and adding a patient. The
pages, the API and the CLI read these through here, as frozen values, never from the
storage directly."""

from __future__ import annotations

from sqlalchemy.orm import Session

from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.values import (
    Account,
    AuditEntry,
    ClinicInfo,
    PatientInfo,
    ProfileVersion,
    RecoveryEntry,
    StoredResponse,
)
from neurogarden.clinic.visit import PatientVisit, SignedInVisit
from neurogarden.storage import access as access_store
from neurogarden.storage import care as care_store
from neurogarden.storage import clinic as store
from neurogarden.storage.access import AuditFilter

__all__ = ["AuditFilter"]


def clinic_by_slug(s: Session, slug: str) -> ClinicInfo | None:
    row = store.clinic_by_slug(s, slug)
    return ClinicInfo.of(row) if row else None


def patient(s: Session, public_id: str) -> PatientInfo | None:
    """A patient by the id in a page's path (access is decided by the web policy)."""
    row = store.patient_by_public_id(s, public_id)
    return PatientInfo.of(row) if row else None


def account(s: Session, username: str) -> Account | None:
    row = store.user_by_username(s, username)
    return Account.of(row) if row else None


def own_patient(s: Session, user: Account) -> PatientInfo | None:
    """The patient record a patient's login belongs to."""
    if user.patient_id is None:
        return None
    row = store.patient_by_id(s, user.patient_id)
    return PatientInfo.of(row) if row else None


def add_patient(visit: SignedInVisit, display_name: str) -> PatientInfo | Rejected:
    """A new patient of the clinician's clinic; the audit row names the new record."""
    name = display_name.strip()
    if not name:
        return visit.finish(Rejected.one("display_name", "enter the patient's name"))
    made = PatientInfo.of(store.add_patient(visit.db, visit.clinic.id, name))
    care_store.add_to_team(visit.db, made.id, visit.user.id, visit.user.id)  # its creator
    visit.patient, visit.audited = made, True
    return visit.finish(made)


def login_of(visit: PatientVisit) -> Account | None:
    row = store.user_for_patient(visit.db, visit.patient.id)
    return Account.of(row) if row else None


def staff(visit: SignedInVisit) -> list[Account]:
    return [Account.of(u) for u in store.users_of_clinic(visit.db, visit.clinic.id)]


def latest_profile(visit: PatientVisit) -> ProfileVersion | None:
    row = store.latest_profile(visit.db, visit.patient.id)
    return ProfileVersion.of(row) if row else None


def responses(visit: PatientVisit) -> list[StoredResponse]:
    return [StoredResponse.of(r) for r in store.responses_of(visit.db, [visit.patient.id])]


def recovery_entries(visit: PatientVisit) -> list[RecoveryEntry]:
    return [RecoveryEntry.of(e) for e in store.recovery_entries_of(visit.db, [visit.patient.id])]


def audit_trail(visit: SignedInVisit, wanted: AuditFilter) -> list[AuditEntry]:
    return [AuditEntry.of(r) for r in access_store.audit_events(visit.db, visit.clinic.id, wanted)]

"""A patient as of today: the stored profile and its plan, responses, the recovery view
and the alerts that need attention, gathered in one place for pages and the API."""

from __future__ import annotations

from sqlalchemy.orm import Session

from neurogarden.clinic import records, recovery
from neurogarden.clinic.sessions import of_patient, with_sessions
from neurogarden.clinic.values import ClinicInfo, PatientInfo, StoredResponse
from neurogarden.profile import ProfileError
from neurogarden.storage import clinic as store
from neurogarden.storage import patient_record


def load_state(s: Session, patient: PatientInfo, clinic: ClinicInfo | None) -> records.PatientState:
    """The patient as of today in their clinic's time zone."""
    today = records.clinic_today(clinic)
    zone = records.clinic_zone(clinic)
    stamp = patient_record.record_stamp(s, patient.id)
    latest = store.latest_profile(s, patient.id)
    sessions = of_patient(s, patient.id)
    state = records.PatientState(
        patient=patient,
        document=with_sessions(latest.document, sessions, zone.key) if latest else None,
        version=latest.version if latest else None,
        sessions=sessions,
        responses=stored_responses(s, patient),
        stamp=stamp,
    )
    if state.document is not None:
        try:
            state.profile, state.plan = records.plan_document(state.document, today)
        except ProfileError as exc:  # a profile valid when saved can age (e.g. a date)
            state.error = exc
    state.recovery = recovery.view(s, state, today)
    state.alerts = sorted(
        [
            *records.alerts_for(state, today, records.clinic_zone(clinic)),
            *recovery.alerts_of(state.recovery),
        ],
        key=lambda a: a.rank,
    )
    return state


def stored_responses(s: Session, patient: PatientInfo) -> list[StoredResponse]:
    """The patient's questionnaire responses, oldest first."""
    return [StoredResponse.of(r) for r in store.responses_of(s, [patient.id])]

"""The clinic's outcomes: PHQ-9 response and remission per patient and across the
clinic, split by protocol (KAP with integration or not), and the dashboard's patients in
the order that needs attention first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neurogarden.clinic import alerts, care_team, patient_state, records
from neurogarden.clinic.values import PatientInfo, StoredResponse
from neurogarden.clinic.visit import SignedInVisit
from neurogarden.instruments.outcomes import (
    ClinicSummary,
    PatientOutcome,
    PatientSeries,
    clinic_summary,
)
from neurogarden.storage import clinic as store
from neurogarden.storage import sessions as sessions_store


def _protocol(with_sessions: bool) -> str:
    return "KAP with integration" if with_sessions else "no KAP"


@dataclass(frozen=True)
class OutcomeRow:
    patient: PatientInfo
    protocol: str
    series: PatientSeries


def clinic_outcomes(
    visit: SignedInVisit, states: list[records.PatientState] | None = None
) -> tuple[ClinicSummary, list[OutcomeRow]]:
    """PHQ-9 response and remission across the clinic. Only scores and whether sessions
    were scheduled are needed, so no plan is built unless the caller already has them."""
    definition = records.phq9()
    basis: list[tuple[PatientInfo, bool, Sequence[StoredResponse]]]
    if states is None:
        s = visit.db
        patients = care_team.visible(s, visit.user, visit.clinic)
        by_patient: dict[int, list[StoredResponse]] = {}
        for r in store.responses_of(s, [p.id for p in patients], "phq9"):
            by_patient.setdefault(r.patient_id, []).append(StoredResponse.of(r))
        with_kap = sessions_store.patients_with_sessions(s, [p.id for p in patients])
        basis = [(p, p.id in with_kap, by_patient.get(p.id, [])) for p in patients]
    else:
        basis = [(st.patient, any(k.planned for k in st.sessions), st.responses) for st in states]
    rows = [
        OutcomeRow(patient, _protocol(kap), records.series(definition, patient, scores))
        for patient, kap, scores in basis
    ]
    outcomes = [PatientOutcome(protocol=r.protocol, series=r.series) for r in rows]
    return clinic_summary(definition, outcomes, records.catalogue().references), rows


def dashboard_states(visit: SignedInVisit) -> list[records.PatientState]:
    """Every patient the clinician sees as of today, most urgent first; whatever their
    rules raise now is stored as an alert (a demo clinic or an older database included)."""
    s, clinic = visit.db, visit.clinic
    patients = care_team.visible(s, visit.user, clinic)
    states = [patient_state.load_state(s, p, clinic) for p in patients]
    for state in states:
        alerts.raise_for(s, state.patient, clinic, state)
    return sorted(states, key=records.attention_order)

"""The clinic's outcomes: PHQ-9 response and remission per patient and across the
clinic, split by protocol (KAP with integration or not). Rates need only each
patient's totals and whether they have sessions, read in one pass grouped by patient:
no plan is built, no stored score is parsed, and no query lists every patient's id."""

from __future__ import annotations

from dataclasses import dataclass

from neurogarden.clinic import care_team, records
from neurogarden.clinic.values import PatientInfo
from neurogarden.clinic.visit import SignedInVisit
from neurogarden.instruments.outcomes import (
    ClinicSummary,
    Observation,
    PatientOutcome,
    PatientSeries,
    clinic_summary,
    patient_series,
)
from neurogarden.storage import panel


def _protocol(with_sessions: bool) -> str:
    return "KAP with integration" if with_sessions else "no KAP"


@dataclass(frozen=True)
class OutcomeRow:
    patient: PatientInfo
    protocol: str
    series: PatientSeries


def clinic_outcomes(
    visit: SignedInVisit, *, whole_series: bool = True
) -> tuple[ClinicSummary, list[OutcomeRow]]:
    """PHQ-9 response and remission across the patients the clinician sees. The rates
    compare each patient's baseline with their latest score, so without `whole_series`
    only those two are kept (the export, which says whether a patient ever responded,
    needs every score)."""
    s, clinic = visit.db, visit.clinic
    team_of = care_team.team_filter(visit.user, clinic)
    definition = records.phq9()
    by_patient: dict[int, list[Observation]] = {}
    read = panel.totals if whole_series else panel.first_and_last_totals
    for patient_id, taken_at, total in read(s, clinic.id, team_of, definition.id):
        by_patient.setdefault(patient_id, []).append(Observation(day=taken_at.date(), total=total))
    with_kap = panel.with_sessions(s, clinic.id, team_of)
    if not whole_series:  # ties on a time aside, that is one or two scores already
        by_patient = {pid: [seen[0], seen[-1]][: len(seen)] for pid, seen in by_patient.items()}
    rows = [
        OutcomeRow(
            p,
            _protocol(p.id in with_kap),
            patient_series(definition, p.public_id, by_patient.get(p.id, [])),
        )
        for p in (PatientInfo.of(r) for r in panel.all_patients(s, clinic.id, team_of))
    ]
    outcomes = [PatientOutcome(protocol=r.protocol, series=r.series) for r in rows]
    return clinic_summary(definition, outcomes, records.catalogue().references), rows

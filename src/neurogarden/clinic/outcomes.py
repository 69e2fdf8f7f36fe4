"""The clinic's outcomes: PHQ-9 response and remission across the patients a clinician
sees, split by protocol (KAP with integration or not). Both read the standings kept
beside the responses: the rates are one aggregate in the database and the export one
pass, so neither grows with the number of scores, and no query lists every patient's
id. Whether a patient has sessions is read at the time, from the session records."""

from __future__ import annotations

from neurogarden.clinic import care_team, records
from neurogarden.clinic.visit import SignedInVisit
from neurogarden.instruments.outcomes import ClinicSummary, RateCounts, summary_of_counts
from neurogarden.render.csv_files import OutcomeLine
from neurogarden.storage import panel
from neurogarden.storage import standings as store


def protocol_name(with_sessions: bool) -> str:
    return "KAP with integration" if with_sessions else "no KAP"


def clinic_outcomes(visit: SignedInVisit) -> ClinicSummary:
    """Response and remission rates, overall and by protocol, beside the references."""
    s, clinic = visit.db, visit.clinic
    team_of = care_team.team_filter(visit.user, clinic)
    definition = records.phq9()
    groups = [
        RateCounts(
            group=protocol_name(g.with_sessions),
            patients=g.patients,
            response_eligible=g.response_eligible,
            responders=g.responders,
            remission_eligible=g.remission_eligible,
            remitters=g.remitters,
        )
        for g in store.group_counts(s, clinic.id, team_of, definition.id)
    ]
    followed = sum(g.patients for g in groups)
    return summary_of_counts(
        definition,
        groups,
        without_follow_up=panel.count_patients(s, clinic.id, team_of) - followed,
        references=records.catalogue().references,
    )


def outcome_lines(visit: SignedInVisit) -> list[OutcomeLine]:
    """One line per patient the clinician sees, in panel order, for the export."""
    s, clinic = visit.db, visit.clinic
    team_of = care_team.team_filter(visit.user, clinic)
    return [
        OutcomeLine(
            patient=line.public_id,
            protocol=protocol_name(line.with_sessions),
            baseline=line.baseline,
            latest=line.latest,
            change_pct=line.change_pct,
            ever_responded=bool(line.ever_responded),
            ever_remitted=bool(line.ever_remitted),
        )
        for line in store.export_lines(s, clinic.id, team_of, records.phq9().id)
    ]

"""From stored rows to the domain core and back: profiles, plans, scores and what needs
attention. The pages and the JSON API both read patients through here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from neurogarden.api import load_kb, load_profile
from neurogarden.api import plan as build_plan
from neurogarden.clinic import standings
from neurogarden.clinic.sessions import KapSession, of_patient, with_sessions
from neurogarden.clinic.values import Account, ClinicInfo, PatientInfo, StoredResponse
from neurogarden.instruments.outcomes import Observation, PatientSeries, patient_series
from neurogarden.instruments.records import ResponseRecord, record_response
from neurogarden.instruments.scoring import RawAnswer
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.instruments.crisis import LocaleResources
from neurogarden.kb.instruments.loader import Catalogue, default_catalogue
from neurogarden.kb.instruments.models import InstrumentDefinition
from neurogarden.planning.result import Finding, Plan
from neurogarden.profile import Profile, ProfileError
from neurogarden.storage import clinic as store

# Questionnaires a patient fills in themselves, and those a clinician rates.
SELF_REPORT = ("phq9", "gad7", "sleep_diary", "adherence")
CLINICIAN_RATED = ("cows",)


def kb() -> KnowledgeBase:
    return load_kb()


@cache
def catalogue() -> Catalogue:
    return default_catalogue()


def instrument(instrument_id: str) -> InstrumentDefinition | None:
    return catalogue().instruments.get(instrument_id)


def phq9() -> InstrumentDefinition:
    """The PHQ-9, on which the clinic's outcomes are reported (packaged; always there)."""
    definition = instrument("phq9")
    if definition is None:
        raise LookupError("the packaged questionnaire catalogue has no PHQ-9")
    return definition


def clinic_today(clinic: ClinicInfo | None) -> date:
    return datetime.now(clinic_zone(clinic)).date()


@dataclass
class PatientState:
    """One patient as the pages see them: the stored profile, its plan, their scores."""

    patient: PatientInfo
    document: dict[str, Any] | None  # the stored profile with the planned sessions
    version: int | None
    sessions: Sequence[KapSession] = ()  # cancelled ones included, for the record
    profile: Profile | None = None
    plan: Plan | None = None
    error: ProfileError | None = None
    responses: Sequence[StoredResponse] = ()
    recovery: Any = None  # clinic.recovery.RecoveryView when the patient has a recovery record
    alerts: list[Alert] = field(default_factory=list)
    stamp: tuple[object, ...] = ()  # the record as it was read (patient_record.record_stamp)

    @property
    def blocks(self) -> list[Finding]:
        if self.plan is None:
            return []
        return [f for f in self.plan.findings if f.severity == "block" and f.overridden is None]


@dataclass(frozen=True)
class Alert:
    """Something a clinician should see first, most urgent first (`rank` 0)."""

    rank: int
    kind: str
    text: str
    sources: tuple[str, ...] = ()
    at: datetime | None = None  # when it arose, if known: the newest comes first


def with_override(document: dict[str, Any], code: str, reason: str, by: str) -> dict[str, Any]:
    """The profile document with a clinician's override of one block (validated later:
    an override that names no liftable block is refused at its field)."""
    entry = {"code": code.strip(), "reason": reason.strip(), "by": by}
    kept = [o for o in document.get("overrides", []) if o.get("code") != entry["code"]]
    return {**document, "overrides": [*kept, entry]}


def plan_document(document: dict[str, Any], today: date) -> tuple[Profile, Plan]:
    """Validate a stored or submitted profile and build its plan; raises ProfileError."""
    profile = load_profile(document, kb=kb(), today=today)
    return profile, build_plan(profile, kb=kb())


def clinic_zone(clinic: ClinicInfo | None) -> ZoneInfo:
    return ZoneInfo(clinic.timezone if clinic else "UTC")


def previous_findings(
    s: Session, patient: PatientInfo, today: date, timezone: str
) -> tuple[Finding, ...]:
    """The findings of the profile before the current one, with today's sessions (none
    for a first profile)."""
    versions = store.profile_versions(s, patient.id, last=2)
    if len(versions) < 2:
        return ()
    try:
        document = with_sessions(versions[1].document, of_patient(s, patient.id), timezone)
        return plan_document(document, today)[1].findings
    except ProfileError:
        return ()


def latest_response(state: PatientState, instrument_id: str) -> StoredResponse | None:
    rows = [r for r in state.responses if r.instrument_id == instrument_id]
    return rows[-1] if rows else None


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


def alerts_for(state: PatientState, today: date, zone: ZoneInfo) -> list[Alert]:
    """Crisis flags first (PHQ-9 item 9 or any other safety rule with crisis resources),
    then blocks, then sessions and windows today."""
    alerts: list[Alert] = [*crisis_alerts(state, zone)]
    for finding in state.blocks:
        alerts.append(Alert(1, "block", finding.message, finding.sources))
    if state.plan is not None:
        for window in state.plan.windows:
            start = datetime.fromisoformat(window.start).date()
            end = datetime.fromisoformat(window.end).date()
            if start == today:
                alerts.append(Alert(2, "session", f"KAP session today at {window.start[11:16]}"))
            elif start < today <= end:
                alerts.append(Alert(3, "window", f"In an integration window until {window.end}"))
    return sorted(alerts, key=lambda a: a.rank)


def crisis_alerts(state: PatientState, zone: ZoneInfo) -> list[Alert]:
    """One alert for each questionnaire whose latest response fired a safety rule that
    carries crisis resources (PHQ-9 item 9 above 0, or any other instrument's rule), in
    the rule's own words as scored and stored with the response."""
    latest: dict[str, StoredResponse] = {}
    for row in state.responses:
        seen = latest.get(row.instrument_id)
        if seen is None or row.taken_at >= seen.taken_at:
            latest[row.instrument_id] = row
    alerts = []
    for instrument_id, row in sorted(latest.items()):
        if not row.flagged:
            continue
        definition = instrument(instrument_id)
        title = definition.short_title if definition is not None else instrument_id
        for flag in row.score.flags:
            if flag.resources is None:
                continue
            alerts.append(
                Alert(
                    0,
                    "crisis",
                    f"{title} on {local(row.taken_at, zone):%d %b %Y}: {flag.message} "
                    f"{flag.action}",
                    at=row.taken_at,
                )
            )
    return alerts


def series(
    definition: InstrumentDefinition, patient: PatientInfo, rows: Sequence[StoredResponse]
) -> PatientSeries:
    observations = [
        Observation(day=r.taken_at.date(), total=r.total)
        for r in rows
        if r.instrument_id == definition.id and r.total is not None
    ]
    return patient_series(definition, patient.public_id, observations)


def crisis_for(clinic: ClinicInfo | None) -> LocaleResources:
    """The clinic's crisis lines (its locale), else the packaged default."""
    directory = catalogue().crisis
    assert directory is not None  # the packaged catalogue refuses to load without one
    return directory.for_locale(clinic.locale if clinic else None) or directory.default


def save_response(
    s: Session,
    patient: PatientInfo,
    clinic: ClinicInfo | None,
    user: Account,
    definition: InstrumentDefinition,
    answers: Mapping[str, RawAnswer],
    taken_at: datetime | None = None,
) -> tuple[ResponseRecord, StoredResponse]:
    """Score and store one questionnaire; raises InputError naming the answer at fault.
    A response is flagged when a safety rule that carries crisis resources fired
    (PHQ-9 item 9 above 0)."""
    record = record_response(
        definition,
        answers,
        patient_id=patient.public_id,
        entered_by=user.username,
        taken_at=taken_at or store.utcnow(),
        crisis=crisis_for(clinic),
    )
    row = store.add_response(
        s,
        patient.id,
        instrument_id=record.instrument_id,
        instrument_version=record.instrument_version,
        answers=[a.model_dump() for a in record.answers],
        score=record.score.model_dump(mode="json"),
        total=float(record.score.total) if record.score.total is not None else None,
        flagged=any(f.resources is not None for f in record.score.flags),
        taken_at=record.taken_at,
        by=user.id,
    )
    standings.update(s, patient.id, definition)
    return record, StoredResponse.of(row)

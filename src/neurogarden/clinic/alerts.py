"""Alerts as records a clinician works to the end. A core rule raises one: a safety rule
with crisis resources on any questionnaire, a `block` finding or hold, a recovery
alert (COWS at the moderate band, rising use, a new dangerous combination). Each is
stored once per patient, rule and subject while unresolved, and moves open →
acknowledged → resolved only by a clinician's hand: a later clean score never clears
one and no patient can change one.

A crisis alert is resolved only by recording the follow-up (an assessment, a safety
plan, a referral, emergency services); "could not reach" records the attempt, keeps it
open and moves it to the top. A condition-based alert (a block, a recovery alert) that
was resolved rises again only after its condition has gone and come back.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from neurogarden.clinic import measures, panel_lines, patient_state, records
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.values import ClinicInfo, PatientInfo, StoredResponse
from neurogarden.clinic.visit import PatientVisit
from neurogarden.storage import care as store
from neurogarden.storage import panel_lines as panel_store
from neurogarden.storage import patient_record
from neurogarden.storage.clinic import Database, aware, utcnow
from neurogarden.storage.models import ALERT_RULE_LENGTH, ALERT_SUBJECT_LENGTH, AlertRow

log = logging.getLogger(__name__)

# What a clinician records to resolve a crisis alert (the follow-ups the care loop asks
# for), and the attempt that keeps it open.
CRISIS_FOLLOW_UPS = {
    "risk-assessment": "Suicide-risk assessment done",
    "safety-plan": "Safety plan made with the patient",
    "referral": "Referred for urgent care",
    "emergency-services": "Emergency services called",
}
COULD_NOT_REACH = "could-not-reach"
OTHER_FOLLOW_UPS = {"reviewed": "Reviewed; what was done is in the note"}
MIN_NOTE = 3
REVIEW_PLAN = "Review the plan; a hold or block is lifted only with a recorded reason."
REVIEW_RECOVERY = "Review the recovery log with the patient and their prescriber."
FOLLOW_UP_MISSED = (
    "Contact the patient: an unanswered questionnaire is not a sign that they are well."
)


@dataclass(frozen=True)
class AlertStep:
    step: str
    at: datetime
    by: str | None
    outcome: str | None
    note: str | None


@dataclass(frozen=True)
class AlertView:
    id: int
    patient_id: int
    kind: str
    rule: str
    rank: int
    message: str
    action: str
    sources: tuple[str, ...]
    state: str
    raised_at: datetime
    last_seen_at: datetime
    steps: tuple[AlertStep, ...] = ()

    @property
    def attempts(self) -> int:
        return sum(1 for s in self.steps if s.step == "attempt")

    @property
    def follow_ups(self) -> dict[str, str]:
        return CRISIS_FOLLOW_UPS if self.kind == "crisis" else OTHER_FOLLOW_UPS

    @classmethod
    def of(cls, row: AlertRow, steps: Sequence[AlertStep] = ()) -> AlertView:
        return cls(
            row.id, row.patient_id, row.kind, row.rule, row.rank, row.message, row.action,
            tuple(row.sources), row.state, aware(row.raised_at), aware(row.last_seen_at),
            tuple(steps),
        )  # fmt: skip


def order(alert: AlertView) -> tuple[int, int, float]:
    """Most urgent kind first (an acknowledged crisis still above any other alert); open
    before acknowledged; then the newest (a raise, a repeat, or an attempt that could
    not reach the patient)."""
    return (alert.rank, alert.state != "open", -alert.last_seen_at.timestamp())


class _Condition(NamedTuple):
    """A block or recovery alert the patient's current state raises."""

    kind: str
    rule: str
    subject: str
    message: str
    action: str
    sources: tuple[str, ...]


class _Stored:
    """The patient's alerts, read once: the unresolved one per rule and subject, and
    the rules and subjects whose resolved alert has not seen its condition go."""

    def __init__(self, rows: Sequence[AlertRow]) -> None:
        self.rows = rows
        self.unresolved = {(r.rule, r.subject): r for r in rows if r.state != "resolved"}
        self.held = {
            (r.rule, r.subject) for r in rows if r.state == "resolved" and r.cleared_at is None
        }


def raise_for(
    s: Session,
    patient: PatientInfo,
    clinic: ClinicInfo | None,
    state: records.PatientState | None = None,
) -> None:
    """Store whatever the patient's rules raise now and has not been raised yet: every
    flagged response not yet seen (so a positive answer followed by a clean one is not
    missed), and the blocks and recovery alerts of the current state.

    The crisis pass needs nothing but the responses and runs first; the conditions run
    in a savepoint, so that a failure there (a stored profile the engines cannot read
    any more) is logged and retried at the next look instead of taking the crisis alert,
    or the response that raised it, down with it. The patient's line of the clinic's
    table is written with them (the rules have just planned what it shows)."""
    if clinic is None:
        return
    Database.writing(s)  # what follows reads the stored alerts and writes, in one turn
    patient_record.lock_patient(s, patient.id)
    if state is not None and state.stamp != patient_record.record_stamp(s, patient.id):
        state = None  # the record changed since the page read it: read it again
    stored = _Stored(store.alerts_of(s, [patient.id], unresolved=False))
    responses = state.responses if state else patient_state.stored_responses(s, patient)
    if any(r.flagged for r in responses):
        _crisis(s, patient, clinic, responses, stored)
    try:
        with s.begin_nested():
            state = state or patient_state.load_state(s, patient, clinic)
            present = _conditions_now(state) + _missed_now(s, state, clinic)
            _conditions(s, patient, clinic, present, stored)
            panel_lines.record(s, state, records.clinic_today(clinic))
    except Exception:  # the crisis alert above must survive any failure here
        log.exception("alert conditions for patient %s could not be raised", patient.public_id)
        panel_store.forget(s, patient.id)  # never an old line marked as current


def _conditions_now(state: records.PatientState) -> list[_Condition]:
    found = [
        _Condition("block", f"block:{f.code}", f.subject or "", f.message, REVIEW_PLAN, f.sources)
        for f in state.blocks
    ]
    if state.recovery is not None:
        said = [f.message for f in state.blocks]  # a plan block the log repeats is one alert
        found += [
            _Condition("recovery", f"recovery:{a.code}", "", a.message, REVIEW_RECOVERY, a.sources)
            for a in state.recovery.alerts
            if a.severity in ("block", "warn") and not any(m in a.message for m in said)
        ]
    return found


def _missed_now(s: Session, state: records.PatientState, clinic: ClinicInfo) -> list[_Condition]:
    """One condition per questionnaire with a window missed lately, when the clinic asks
    for them: someone who stops answering is followed up, never taken for well."""
    if not clinic.missed_measure_alerts:
        return []
    return [
        _Condition("missed", f"missed:{m.instrument}", "", m.message, FOLLOW_UP_MISSED, m.sources)
        for m in measures.missed_lately(s, state, clinic, datetime.now(UTC))
    ]


def _crisis(
    s: Session,
    patient: PatientInfo,
    clinic: ClinicInfo,
    responses: Sequence[StoredResponse],
    stored: _Stored,
) -> None:
    seen = store.alerted_response_ids(s, patient.id)
    for response in responses:
        if not response.flagged or response.id in seen:
            continue
        definition = records.instrument(response.instrument_id)
        title = definition.short_title if definition else response.instrument_id
        day = records.local(response.taken_at, records.clinic_zone(clinic))
        for flag in response.score.flags:
            if flag.resources is None:
                continue
            key = _key(f"{response.instrument_id}:{flag.rule}", response.instrument_id)
            alert = stored.unresolved.get(key)
            if alert is None:
                alert = _raise(
                    s, patient, clinic, key, kind="crisis", rank=0,
                    message=f"{title} on {day:%d %b %Y}: {flag.message}", action=flag.action,
                    sources=[],
                )  # fmt: skip
                if alert is not None:
                    alert.raised_at = alert.last_seen_at = response.taken_at
                    store.add_alert_step(
                        s, alert, "raised", response_id=response.id, at=response.taken_at
                    )
                    stored.unresolved[key] = alert
                    continue
                # a request committing at this moment raised it: this response is seen again
                alert = store.unresolved_alert(s, patient.id, *key)
                if alert is None:
                    log.error("crisis alert %s for %s vanished", key, patient.public_id)
                    continue
                stored.unresolved[key] = alert
            alert.last_seen_at = max(aware(alert.last_seen_at), response.taken_at)
            store.add_alert_step(s, alert, "seen-again", response_id=response.id)


def _key(rule: str, subject: str) -> tuple[str, str]:
    """An alert's identity as stored: its rule and subject cut to their columns."""
    return rule[:ALERT_RULE_LENGTH], subject[:ALERT_SUBJECT_LENGTH]


def _raise(
    s: Session, patient: PatientInfo, clinic: ClinicInfo, key: tuple[str, str], **values: Any
) -> AlertRow | None:
    return store.add_alert(
        s, patient_id=patient.id, clinic_id=clinic.id, rule=key[0], subject=key[1], **values
    )


def _conditions(
    s: Session,
    patient: PatientInfo,
    clinic: ClinicInfo,
    present: Sequence[_Condition],
    stored: _Stored,
) -> None:
    keys = {_key(c.rule, c.subject) for c in present}
    for c in present:
        key = _key(c.rule, c.subject)
        if key in stored.unresolved or key in stored.held:
            continue  # already on the list, or resolved while the condition stays
        alert = _raise(
            s, patient, clinic, key, kind=c.kind, rank=1, message=c.message, action=c.action,
            sources=list(c.sources),
        )  # fmt: skip
        if alert is not None:  # else a concurrent request has just raised it
            store.add_alert_step(s, alert, "raised")
            stored.unresolved[key] = alert
    for row in stored.rows:
        gone = row.kind != "crisis" and (row.rule, row.subject) not in keys
        if row.state == "resolved" and row.cleared_at is None and gone:
            row.cleared_at = utcnow()


def _steps(
    s: Session, rows: Sequence[AlertRow], zone: ZoneInfo | None
) -> dict[int, list[AlertStep]]:
    out: dict[int, list[AlertStep]] = {}
    for event, name in store.steps_of(s, [r.id for r in rows]):
        at = aware(event.at).astimezone(zone) if zone else aware(event.at)
        out.setdefault(event.alert_id, []).append(
            AlertStep(event.step, at, name, event.outcome, event.note)
        )
    return out


def of_patients(
    s: Session, patient_ids: Sequence[int], *, unresolved: bool, zone: ZoneInfo | None = None
) -> list[AlertView]:
    """The patients' alerts with their steps (times in `zone`, the clinic's), in the
    order to work them."""
    rows = store.alerts_of(s, patient_ids, unresolved=unresolved)
    steps = _steps(s, rows, zone)
    return sorted((AlertView.of(r, steps.get(r.id, ())) for r in rows), key=order)


def shown_on_record(visit: PatientVisit, state: records.PatientState) -> list[AlertView]:
    """The patient's whole alert history for their record, after storing whatever their
    rules raise now; committed with the page's audit row."""
    raise_for(visit.db, visit.patient, visit.clinic, state)
    return of_patients(visit.db, [visit.patient.id], unresolved=False, zone=visit.zone)


def has_open_crisis(s: Session, patient: PatientInfo) -> bool:
    """Whether the patient's crisis screen must stay in reach: an unresolved crisis alert."""
    return any(r.kind == "crisis" for r in store.alerts_of(s, [patient.id], unresolved=True))


def _alert_of(visit: PatientVisit, alert_id: str) -> AlertRow | Rejected:
    """The patient's unresolved alert that a path names (its number as text)."""
    row = store.alert_by_id(visit.db, int(alert_id)) if alert_id.isdecimal() else None
    if row is None or row.patient_id != visit.patient.id:
        return Rejected.one("alert", "no such alert on this patient's record")
    if row.state == "resolved":
        return Rejected.one("alert", "already resolved")
    return row


def acknowledge(visit: PatientVisit, alert_id: str, note: str) -> AlertView | Rejected:
    """A clinician has seen the alert and is on it (a crisis alert stays on the list
    until its follow-up is recorded)."""
    row = _alert_of(visit, alert_id)
    if isinstance(row, Rejected):
        return visit.finish(row)
    if row.state == "open":
        row.state = "acknowledged"
    store.add_alert_step(
        visit.db, row, "acknowledged", user_id=visit.user.id, note=note.strip() or None
    )
    return visit.finish(AlertView.of(row))


def follow_up(visit: PatientVisit, alert_id: str, outcome: str, note: str) -> AlertView | Rejected:
    """Record what was done: a follow-up resolves the alert; for a crisis alert, "could
    not reach" records the attempt, keeps it open and puts it on top."""
    row = _alert_of(visit, alert_id)
    if isinstance(row, Rejected):
        return visit.finish(row)
    choices = CRISIS_FOLLOW_UPS if row.kind == "crisis" else OTHER_FOLLOW_UPS
    allowed = [*choices, COULD_NOT_REACH] if row.kind == "crisis" else list(choices)
    if outcome not in allowed:
        return visit.finish(Rejected.one("outcome", f"expected one of {', '.join(allowed)}"))
    if len(note.strip()) < MIN_NOTE:
        return visit.finish(Rejected.one("note", "say what was done (at least 3 characters)"))
    if outcome == COULD_NOT_REACH:
        row.state = "open"
        row.last_seen_at = utcnow()
        step = "attempt"
    else:
        row.state = "resolved"
        step = "resolved"
    store.add_alert_step(
        visit.db, row, step, user_id=visit.user.id, outcome=outcome, note=note.strip() or None
    )
    return visit.finish(AlertView.of(row))

"""What a clinician does to a patient's KAP sessions: schedule one, move it, cancel it
with the reason, mark it done. Every change that alters the plan re-runs the safety
gate with all the patient's sessions before anything is stored, and raises whatever
alert the new state calls for.

A clinician records that a session took place; neurogarden never infers it from the
clock, and a session in the future cannot be marked done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from neurogarden.clinic import alerts, directory, records
from neurogarden.clinic.rejected import FieldError, Rejected
from neurogarden.clinic.sessions import ROUTES, KapSession, of_patient, with_sessions
from neurogarden.clinic.visit import PatientVisit
from neurogarden.profile import ProfileError
from neurogarden.storage import sessions as store
from neurogarden.storage.clinic import aware, utcnow
from neurogarden.storage.models import KapSessionRow

MIN_NOTE = 3
# How far from the day it is entered a session may be put: further is a slip of the
# keyboard (records already stored are never judged again as they age).
ENTRY_RANGE = (timedelta(days=366), timedelta(days=731))


def _checked(visit: PatientVisit, sessions: Sequence[KapSession], changed: int) -> Rejected | None:
    """Whether the profile still plans with this set of sessions; an error about the
    changed session is reported at the form's own field (`start`, not `sessions[2].start`)."""
    stored = directory.latest_profile(visit)
    if stored is None:
        return Rejected.one("start", "save the profile before scheduling sessions")
    planned = [k for k in sessions if k.planned]
    try:
        document = with_sessions(stored.document, planned, visit.clinic.timezone)
        records.plan_document(document, visit.today)
    except ProfileError as exc:
        index = next((i for i, k in enumerate(planned) if k.id == changed), None)
        prefix = f"sessions[{index}]."
        return Rejected(
            tuple(FieldError(e.field.removeprefix(prefix), e.message) for e in exc.errors)
        )
    return None


def _start(visit: PatientVisit, start: str | datetime) -> datetime | Rejected:
    """A start as ISO text or a datetime; without a zone it is the clinic's local time."""
    if isinstance(start, str):
        try:
            start = datetime.fromisoformat(start.strip())
        except ValueError:
            return Rejected.one("start", "expected a date and time like 2026-11-24T10:00")
    local = start if start.tzinfo else start.replace(tzinfo=visit.zone)
    back, ahead = ENTRY_RANGE
    earliest, latest = visit.today - back, visit.today + ahead
    if not earliest <= local.astimezone(visit.zone).date() <= latest:
        return Rejected.one("start", f"expected a date between {earliest} and {latest}")
    return local.astimezone(UTC)


def schedule(
    visit: PatientVisit, start: str | datetime, route: str, setting: str | None
) -> KapSession | Rejected:
    """One more session for the patient, checked by the gate with all the others."""
    return visit.finish(_scheduled(visit, start, route, (setting or "").strip() or None))


def _scheduled(
    visit: PatientVisit, start: str | datetime, route: str, setting: str | None
) -> KapSession | Rejected:
    errors: list[FieldError] = []
    when = _start(visit, start)
    if isinstance(when, Rejected):
        errors += when.errors
    if route not in ROUTES:
        errors.append(FieldError("route", f"expected one of {', '.join(ROUTES)}"))
    if errors or isinstance(when, Rejected):
        return Rejected(tuple(errors))
    new = KapSession(0, when, route, None, setting, "scheduled", None)
    refused = _checked(visit, [*of_patient(visit.db, visit.patient.id), new], changed=0)
    if refused is not None:
        return refused
    row = store.add_session(
        visit.db, visit.patient.id, when, route, setting=setting, by=visit.user.id
    )
    alerts.raise_for(visit.db, visit.patient, visit.clinic)
    return KapSession.of(row)


NO_SUCH_SESSION = "no such session on this patient's record"
ID_LIMIT = 2**31  # row ids are 32-bit integers on every database


def _session_of(visit: PatientVisit, session_id: str) -> KapSessionRow | Rejected:
    known = session_id.isdecimal() and len(session_id) < 12 and int(session_id) < ID_LIMIT
    row = store.session_by_id(visit.db, int(session_id)) if known else None
    if row is None or row.patient_id != visit.patient.id:
        return Rejected.one("session", NO_SUCH_SESSION)
    return row


def move(
    visit: PatientVisit, session_id: str, start: str | datetime, note: str = ""
) -> KapSession | Rejected:
    """A scheduled session to a new start: its window and follow-ups move with it."""
    return visit.finish(_moved(visit, session_id, start, note.strip() or None))


def _moved(
    visit: PatientVisit, session_id: str, start: str | datetime, note: str | None
) -> KapSession | Rejected:
    row = _session_of(visit, session_id)
    if isinstance(row, Rejected):
        return row
    if row.state != "scheduled":
        return Rejected.one("session", f"a {row.state} session cannot be moved")
    when = _start(visit, start)
    if isinstance(when, Rejected):
        return when
    sessions = [
        replace(k, start=when) if k.id == row.id else k
        for k in of_patient(visit.db, visit.patient.id)
    ]
    refused = _checked(visit, sessions, changed=row.id)
    if refused is not None:
        return refused
    store.change(visit.db, row, visit.user.id, note, start=when)
    alerts.raise_for(visit.db, visit.patient, visit.clinic)
    return KapSession.of(row)


def cancel(visit: PatientVisit, session_id: str, note: str) -> KapSession | Rejected:
    """A scheduled session will not take place (the reason is kept): its window and
    follow-ups go, and the gate is re-run without it."""
    row = _session_of(visit, session_id)
    if isinstance(row, Rejected):
        return visit.finish(row)
    if row.state != "scheduled":
        return visit.finish(Rejected.one("session", f"a {row.state} session cannot be cancelled"))
    if len(note.strip()) < MIN_NOTE:
        return visit.finish(Rejected.one("note", "give the reason (at least 3 characters)"))
    store.change(visit.db, row, visit.user.id, note.strip(), state=store.CANCELLED)
    alerts.raise_for(visit.db, visit.patient, visit.clinic)
    return visit.finish(KapSession.of(row))


def mark_done(visit: PatientVisit, session_id: str) -> KapSession | Rejected:
    """The session took place (recorded by a clinician, never inferred from the clock)."""
    row = _session_of(visit, session_id)
    if isinstance(row, Rejected):
        return visit.finish(row)
    if row.state != "scheduled":
        return visit.finish(Rejected.one("session", f"a {row.state} session cannot be marked done"))
    if aware(row.start) > utcnow():
        return visit.finish(Rejected.one("session", "a session in the future cannot be done"))
    store.change(visit.db, row, visit.user.id, row.note, state="done")
    return visit.finish(KapSession.of(row))

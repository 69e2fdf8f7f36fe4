"""What a user does to a patient's record, written once for the pages, the API and the
CLI: save the profile, lift a block, record a questionnaire, log recovery or food, tick
a dose (sessions are scheduled in `scheduling`). Each takes the visit (who, whose
record) and typed input, validates the whole change with the engines before anything
is stored, and finishes the visit: the change and its audit row are committed
together, or refused input comes back as `Rejected` with every error at its field and
nothing but the attempt is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from neurogarden.clinic import alerts, directory, records, recovery
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.sessions import of_patient, with_sessions
from neurogarden.clinic.today import day_plan, eaten_today
from neurogarden.clinic.values import ProfileVersion, StoredResponse
from neurogarden.clinic.visit import PatientVisit
from neurogarden.instruments.records import ResponseRecord
from neurogarden.instruments.scoring import InputError, RawAnswer
from neurogarden.profile import ProfileError
from neurogarden.storage import clinic as store


def _store(visit: PatientVisit, document: dict[str, Any]) -> ProfileVersion | Rejected:
    """Validate the document with the patient's sessions (so the gate sees them), then
    store it as the next version; sessions are records of their own, never stored here."""
    if document.get("sessions", []) != []:  # an empty list is the only sessions a profile has
        return Rejected.one(
            "sessions", "sessions are records of their own: schedule each one on its own"
        )
    document = {k: v for k, v in document.items() if k != "sessions"}
    try:
        records.plan_document(
            with_sessions(document, of_patient(visit.db, visit.patient.id), visit.clinic.timezone),
            visit.today,
        )
    except ProfileError as exc:
        return Rejected.of(exc)
    row = store.save_profile(visit.db, visit.patient.id, document, visit.user.id)
    alerts.raise_for(visit.db, visit.patient, visit.clinic)
    return ProfileVersion.of(row)


def save_profile(visit: PatientVisit, document: dict[str, Any]) -> ProfileVersion | Rejected:
    """A whole new profile document, validated like the CLI's."""
    return visit.finish(_store(visit, document))


def lift_block(visit: PatientVisit, code: str, reason: str) -> ProfileVersion | Rejected:
    """A clinician's override of a hold or a session block, with the reason and their
    name; an override that names no liftable block is refused at its field."""
    return visit.finish(_with_override(visit, code, reason))


def _with_override(visit: PatientVisit, code: str, reason: str) -> ProfileVersion | Rejected:
    if len(reason.strip()) < 3:
        return Rejected.one("reason", "give the reason (at least 3 characters)")
    stored = directory.latest_profile(visit)
    if stored is None:
        return Rejected.one("code", "save the profile first")
    document = records.with_override(dict(stored.document), code, reason, visit.user.display_name)
    return _store(visit, document)


def allowed_instruments(role: str) -> tuple[str, ...]:
    """Questionnaires this role may enter: patients self-report, clinicians also rate."""
    return records.SELF_REPORT + (records.CLINICIAN_RATED if role == "clinician" else ())


def record_response(
    visit: PatientVisit, instrument_id: str, answers: Mapping[str, RawAnswer]
) -> tuple[ResponseRecord, StoredResponse] | Rejected:
    """Score and store one questionnaire (answers as form text or JSON values; the
    scoring engine reads them); refused at the answer at fault."""
    allowed = allowed_instruments(visit.role)
    definition = records.instrument(instrument_id)
    if definition is None or instrument_id not in allowed:
        return visit.finish(Rejected.one("instrument", f"expected one of {', '.join(allowed)}"))
    try:
        saved = records.save_response(
            visit.db, visit.patient, visit.clinic, visit.user, definition, answers
        )
    except InputError as exc:
        return visit.finish(Rejected.one(f"answers.{exc.field}", str(exc)))
    alerts.raise_for(visit.db, visit.patient, visit.clinic)
    return visit.finish(saved)


@dataclass(frozen=True)
class Logged:
    """A log entry as stored: its kind and validated values."""

    kind: str
    values: Mapping[str, Any]


def log_recovery(visit: PatientVisit, kind: str, entry: Mapping[str, object]) -> Logged | Rejected:
    """One use, craving or attendance entry (form text or JSON values), checked by the
    recovery core against the whole log before it is stored."""
    if kind not in recovery.KINDS:
        return visit.finish(Rejected.one("kind", f"expected one of {', '.join(recovery.KINDS)}"))
    try:
        values = recovery.validated_entry(visit.db, visit.patient.id, kind, entry, visit.today)
    except ProfileError as exc:
        return visit.finish(Rejected.of(exc))
    store.add_recovery_entry(visit.db, visit.patient.id, visit.user.id, **values)
    alerts.raise_for(visit.db, visit.patient, visit.clinic)
    return visit.finish(Logged(kind, values))


def log_food(visit: PatientVisit, food: str, amount: str) -> Logged | Rejected:
    """A food for today's log, validated like a profile's diet (did-you-mean, units)."""
    return visit.finish(_logged_food(visit, food.strip(), amount.strip()))


def _logged_food(visit: PatientVisit, food: str, amount: str) -> Logged | Rejected:
    stored = directory.latest_profile(visit)
    if stored is None:
        return Rejected.one("food", "the day log needs a saved profile first")
    eaten = [*eaten_today(visit.db, visit.patient, visit.today), (food, amount)]
    try:
        day_plan(stored.document, eaten, visit.today)
    except ProfileError as exc:
        return Rejected.of(exc)
    store.add_diet_entry(visit.db, visit.patient.id, visit.today, food, amount, visit.user.id)
    return Logged("food", {"food": food, "amount": amount})


def set_tick(visit: PatientVisit, kind: str, item: str, done: bool) -> Rejected | None:
    """Tick (or untick) a dose, or a window checklist item ("<session id>:<item>") of a
    session that was not cancelled, for today."""
    session_id = None
    if kind == "checklist":
        number, _, checklist_item = item.partition(":")
        planned = {k.id for k in of_patient(visit.db, visit.patient.id) if k.planned}
        if not (number.isdecimal() and int(number) in planned and checklist_item):
            return visit.finish(Rejected.one("item", "no such session window on this record"))
        session_id = int(number)
    store.set_tick(
        visit.db, visit.patient.id, visit.today, kind, item, done, visit.user.id, session_id
    )
    visit.commit()
    return None

"""What a clinician does to a patient's record, written once for the pages and the API:
save the profile, schedule a session, lift a block. Each validates the whole new
profile with the engines before anything is stored, and returns either the saved
version or `Rejected` with every error at its field (nothing written). The caller's
access gate writes the audit row and commits, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from neurogarden.clinic import records, recovery
from neurogarden.clinic.today import day_plan, eaten_today
from neurogarden.profile import ProfileError
from neurogarden.storage import clinic as store
from neurogarden.storage.models import PatientRow, UserRow


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class Rejected:
    """Input the clinic refused: every error, each with its field; nothing was written."""

    errors: tuple[FieldError, ...]

    @classmethod
    def one(cls, field: str, message: str) -> Rejected:
        return cls((FieldError(field, message),))

    @classmethod
    def of(cls, exc: ProfileError) -> Rejected:
        return cls(tuple(FieldError(e.field, e.message) for e in exc.errors))

    def text(self, *, last_part: bool = False) -> str:
        """Every error on one line, "field: message; …" (`last_part`: `amount`, not
        `diet[0].amount`, for a form that has one such field)."""
        return "; ".join(
            f"{e.field.rsplit('.', 1)[-1] if last_part else e.field}: {e.message}"
            for e in self.errors
        )


@dataclass(frozen=True)
class Saved:
    """A new version of the patient's profile."""

    version: int
    saved_at: datetime
    document: Mapping[str, Any]


def _store(
    s: Session, patient: PatientRow, user: UserRow, document: dict[str, Any], today: date
) -> Saved | Rejected:
    try:
        records.plan_document(document, today)
    except ProfileError as exc:
        return Rejected.of(exc)
    row = store.save_profile(s, patient.id, document, user.id)
    return Saved(row.version, store.aware(row.created_at), row.document)


def save_profile(
    s: Session, patient: PatientRow, user: UserRow, document: dict[str, Any], today: date
) -> Saved | Rejected:
    """A whole new profile document, validated like the CLI's."""
    return _store(s, patient, user, document, today)


def schedule_session(
    s: Session,
    patient: PatientRow,
    user: UserRow,
    start: str | datetime,
    route: str,
    setting: str | None,
    today: date,
) -> Saved | Rejected:
    """One more KAP session on the saved profile; its start as ISO text or a datetime."""
    stored = store.latest_profile(s, patient.id)
    if stored is None:
        return Rejected.one("start", "save the profile before scheduling sessions")
    if isinstance(start, str):
        try:
            start = datetime.fromisoformat(start)
        except ValueError:
            return Rejected.one("start", "expected a date and time like 2026-11-24T10:00")
    document = records.with_session(stored.document, start, route, setting)
    return _store(s, patient, user, document, today)


def lift_block(
    s: Session, patient: PatientRow, user: UserRow, code: str, reason: str, today: date
) -> Saved | Rejected:
    """A clinician's override of a hold or a session block, with the reason and their
    name; an override that names no liftable block is refused at its field."""
    if len(reason.strip()) < 3:
        return Rejected.one("reason", "give the reason (at least 3 characters)")
    stored = store.latest_profile(s, patient.id)
    if stored is None:
        return Rejected.one("code", "save the profile first")
    document = records.with_override(stored.document, code, reason, user.display_name)
    return _store(s, patient, user, document, today)


@dataclass(frozen=True)
class Logged:
    """A recovery log entry as stored: its kind and validated values."""

    kind: str
    values: Mapping[str, Any]


def log_recovery(
    s: Session,
    patient: PatientRow,
    user: UserRow,
    kind: str,
    entry: Mapping[str, object],
    today: date,
) -> Logged | Rejected:
    """One use, craving or attendance entry (form text or JSON values), checked by the
    recovery core against the whole log before it is stored."""
    if kind not in recovery.KINDS:
        return Rejected.one("kind", f"expected one of {', '.join(recovery.KINDS)}")
    try:
        values = recovery.validated_entry(s, patient.id, kind, entry, today)
    except ProfileError as exc:
        return Rejected.of(exc)
    store.add_recovery_entry(s, patient.id, user.id, **values)
    return Logged(kind, values)


def log_food(
    s: Session, patient: PatientRow, user: UserRow, food: str, amount: str, today: date
) -> Logged | Rejected:
    """A food for today's log, validated like a profile's diet (did-you-mean, units)."""
    stored = store.latest_profile(s, patient.id)
    if stored is None:
        return Rejected.one("food", "the day log needs a saved profile first")
    eaten = [*eaten_today(s, patient, today), (food.strip(), amount.strip())]
    try:
        day_plan(stored.document, eaten, today)
    except ProfileError as exc:
        return Rejected.of(exc)
    store.add_diet_entry(s, patient.id, today, food.strip(), amount.strip(), user.id)
    return Logged("food", {"food": food.strip(), "amount": amount.strip()})

"""What the clinic hands to its callers: frozen values, never ORM rows, so that the web
app and the CLI cannot change a record behind the application layer's back (an
attribute set on a row would be written at the next commit, unvalidated and unaudited).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from neurogarden.instruments.scoring import Score
from neurogarden.kb.instruments.loader import default_catalogue
from neurogarden.storage.clinic import aware
from neurogarden.storage.models import (
    AuditRow,
    ClinicRow,
    PatientRow,
    ProfileVersionRow,
    RecoveryEntryRow,
    ResponseRow,
    UserRow,
)


@dataclass(frozen=True)
class ClinicInfo:
    """A tenant and its settings: the crisis lines' locale and the local time zone."""

    id: int
    slug: str
    name: str
    locale: str
    timezone: str
    clinic_wide_care: bool = True  # every clinician sees every patient, else care teams only
    missed_measure_alerts: bool = True  # a questionnaire window closing unanswered alerts

    @classmethod
    def of(cls, row: ClinicRow) -> ClinicInfo:
        return cls(
            row.id, row.slug, row.name, row.locale, row.timezone, row.clinic_wide_care,
            row.missed_measure_alerts,
        )  # fmt: skip


@dataclass(frozen=True)
class Account:
    """A login: staff (admin, clinician) or a patient's own (`patient_id` set)."""

    id: int
    clinic_id: int
    username: str
    display_name: str
    role: str
    patient_id: int | None
    active: bool

    @classmethod
    def of(cls, row: UserRow) -> Account:
        return cls(
            row.id, row.clinic_id, row.username, row.display_name, row.role, row.patient_id,
            row.active,
        )  # fmt: skip


@dataclass(frozen=True)
class PatientInfo:
    """A patient of one clinic; `public_id` is the opaque id used in paths."""

    id: int
    public_id: str
    clinic_id: int
    display_name: str

    @classmethod
    def of(cls, row: PatientRow) -> PatientInfo:
        return cls(row.id, row.public_id, row.clinic_id, row.display_name)


@dataclass(frozen=True)
class ProfileVersion:
    """One saved version of a patient's profile document."""

    version: int
    saved_at: datetime
    document: Mapping[str, Any]

    @classmethod
    def of(cls, row: ProfileVersionRow) -> ProfileVersion:
        return cls(row.version, aware(row.created_at), row.document)


@dataclass(frozen=True)
class StoredResponse:
    """A questionnaire as scored and stored at the time, with its typed score."""

    id: int
    patient_id: int
    instrument_id: str
    instrument_version: str
    answers: tuple[Any, ...]
    score: Score
    total: float | None
    flagged: bool
    taken_at: datetime  # time-zone aware (UTC)

    @classmethod
    def of(cls, row: ResponseRow) -> StoredResponse:
        return cls(
            row.id, row.patient_id, row.instrument_id, row.instrument_version, tuple(row.answers),
            Score.model_validate(_current_crisis_lines(row.score)), row.total, row.flagged,
            aware(row.taken_at),
        )  # fmt: skip


def _current_crisis_lines(score: Mapping[str, Any]) -> Mapping[str, Any]:
    """The stored score with each flag's crisis lines replaced by today's entry for the
    same locale: a response keeps the lines of the day it was scored, and those lines
    are re-checked and gain fields (tappable numbers) over time; a patient must always
    be shown the current ones."""
    directory = default_catalogue().crisis  # loaded once per process
    flags = score.get("flags") or []
    if directory is None or not any(f.get("resources") for f in flags):
        return score
    fresh = []
    for flag in flags:
        stored = flag.get("resources")
        if stored:
            entry = directory.for_locale(stored.get("locale")) or directory.default
            flag = {**flag, "resources": entry.model_dump(mode="json")}
        fresh.append(flag)
    return {**score, "flags": fresh}


@dataclass(frozen=True)
class RecoveryEntry:
    """A use, a craving rating or an attendance, as logged."""

    day: date
    kind: str
    substance: str | None
    amount: str | None
    rating: int | None
    attendance_kind: str | None
    attended: bool | None

    @classmethod
    def of(cls, row: RecoveryEntryRow) -> RecoveryEntry:
        return cls(
            row.day, row.kind, row.substance, row.amount, row.rating, row.attendance_kind,
            row.attended,
        )  # fmt: skip


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit trail as the admin reads it."""

    at: datetime
    username: str | None
    role: str | None
    patient_id: str | None
    action: str
    outcome: str
    method: str
    path: str

    @classmethod
    def of(cls, row: AuditRow) -> AuditEntry:
        return cls(
            aware(row.at), row.username, row.role, row.patient_id, row.action, row.outcome,
            row.method, row.path,
        )  # fmt: skip

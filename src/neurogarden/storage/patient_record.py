"""One patient's record as a whole: a lock that makes requests deriving the same
patient's records take turns, and a stamp that tells whether the record changed since
it was read. Neither commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from neurogarden.storage.models import (
    KapSessionRow,
    PatientRow,
    ProfileVersionRow,
    RecoveryEntryRow,
    ResponseRow,
)


def lock_patient(s: Session, patient_id: int) -> None:
    """Hold the patient's row until the transaction ends (PostgreSQL; SQLite has one
    writer at a time already), so that two requests deriving the same patient's
    records take turns and the second sees what the first stored."""
    s.execute(select(PatientRow.id).where(PatientRow.id == patient_id).with_for_update())


def record_stamp(s: Session, patient_id: int) -> tuple[object, ...]:
    """What changes whenever anything the patient's rules read changes: the profile's
    version, the number of responses and recovery entries, and the sessions' last
    change. Equal stamps: a state read earlier is still the patient's state."""

    def of(column: Any, table: Any) -> Any:
        return select(column).where(table.patient_id == patient_id).scalar_subquery()

    row = s.execute(
        select(
            of(func.max(ProfileVersionRow.version), ProfileVersionRow),
            of(func.count(ResponseRow.id), ResponseRow),
            of(func.count(RecoveryEntryRow.id), RecoveryEntryRow),
            of(func.count(KapSessionRow.id), KapSessionRow),
            of(
                func.max(func.coalesce(KapSessionRow.changed_at, KapSessionRow.created_at)),
                KapSessionRow,
            ),
        )
    ).one()
    return tuple(row)

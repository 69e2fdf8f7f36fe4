"""KAP session records. Like the rest of the storage, every function takes the caller's
Session and none of them commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from neurogarden.storage.clinic import utcnow
from neurogarden.storage.models import KapSessionRow

CANCELLED = "cancelled"


def add_session(
    s: Session,
    patient_id: int,
    start: datetime,
    route: str,
    *,
    dose: str | None = None,
    setting: str | None = None,
    by: int | None = None,
) -> KapSessionRow:
    row = KapSessionRow(
        patient_id=patient_id, start=start, route=route, dose=dose, setting=setting,
        state="scheduled", created_at=utcnow(), created_by=by,
    )  # fmt: skip
    s.add(row)
    s.flush()
    return row


def sessions_of(s: Session, patient_id: int) -> Sequence[KapSessionRow]:
    """Every session of the patient, cancelled ones included, earliest first."""
    return s.scalars(
        select(KapSessionRow)
        .where(KapSessionRow.patient_id == patient_id)
        .order_by(KapSessionRow.start, KapSessionRow.id)
    ).all()


def session_by_id(s: Session, session_id: int) -> KapSessionRow | None:
    return s.get(KapSessionRow, session_id)


def patients_with_sessions(s: Session, patient_ids: Sequence[int]) -> set[int]:
    """Those of the patients with a session that was not cancelled, in one query."""
    if not patient_ids:
        return set()
    return set(
        s.scalars(
            select(KapSessionRow.patient_id)
            .where(KapSessionRow.patient_id.in_(patient_ids), KapSessionRow.state != CANCELLED)
            .distinct()
        )
    )


def change(
    s: Session, row: KapSessionRow, by: int | None, note: str | None, **values: object
) -> KapSessionRow:
    for name, value in values.items():
        setattr(row, name, value)
    row.note = note
    row.changed_at = utcnow()
    row.changed_by = by
    s.flush()
    return row

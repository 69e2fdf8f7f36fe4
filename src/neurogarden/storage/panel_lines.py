"""The stored lines of the clinic's patient table, one per patient. None of these
functions commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from neurogarden.storage.models import (
    KapSessionRow,
    PanelLineRow,
    PatientRow,
    ProfileVersionRow,
    RecoveryEntryRow,
    ResponseRow,
)
from neurogarden.storage.upsert import upsert


def lines_of(s: Session, patient_ids: Sequence[int]) -> dict[int, PanelLineRow]:
    if not patient_ids:
        return {}
    rows = s.scalars(select(PanelLineRow).where(PanelLineRow.patient_id.in_(patient_ids)))
    return {row.patient_id: row for row in rows}


def put(s: Session, patient_id: int, values: Mapping[str, Any]) -> None:
    """Store the patient's line, replacing the one before; two requests that compute
    the same line at once both succeed (one statement: insert, or update on conflict)."""
    upsert(s, PanelLineRow, {"patient_id": patient_id, **values}, ["patient_id"])


def forget(s: Session, patient_id: int) -> None:
    """Drop the patient's line, so that the table computes it afresh."""
    s.execute(delete(PanelLineRow).where(PanelLineRow.patient_id == patient_id))


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

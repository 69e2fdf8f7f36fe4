"""The stored lines of the clinic's patient table, one per patient. None of these
functions commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from neurogarden.storage.models import PanelLineRow
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

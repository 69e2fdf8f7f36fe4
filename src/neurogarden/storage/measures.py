"""A clinician's choices about each patient's recurring measures. Neither commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from neurogarden.storage.clinic import aware, utcnow
from neurogarden.storage.models import MeasureChoiceRow, ResponseRow


def choices_of(s: Session, patient_id: int) -> Sequence[MeasureChoiceRow]:
    query = select(MeasureChoiceRow).where(MeasureChoiceRow.patient_id == patient_id)
    return s.scalars(query.order_by(MeasureChoiceRow.measure_id)).all()


def response_times(s: Session, patient_id: int) -> list[tuple[str, datetime]]:
    """(instrument, when taken) of each of the patient's responses: all a schedule
    needs, without their answers and scores."""
    rows = s.execute(
        select(ResponseRow.instrument_id, ResponseRow.taken_at).where(
            ResponseRow.patient_id == patient_id
        )
    ).all()
    return [(instrument, aware(at)) for instrument, at in rows]


def set_choice(
    s: Session,
    patient_id: int,
    measure_id: str,
    *,
    active: bool,
    every_days: int,
    at: str,
    open_hours: float,
    user_id: int | None,
) -> MeasureChoiceRow:
    """Insert or replace the patient's choice about one measure."""
    row = s.scalar(
        select(MeasureChoiceRow).where(
            MeasureChoiceRow.patient_id == patient_id, MeasureChoiceRow.measure_id == measure_id
        )
    )
    if row is None:
        row = MeasureChoiceRow(patient_id=patient_id, measure_id=measure_id)
        s.add(row)
    row.active, row.every_days, row.at, row.open_hours = active, every_days, at, open_hours
    row.changed_by, row.changed_at = user_id, utcnow()
    s.flush()
    return row

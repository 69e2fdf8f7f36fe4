"""Each patient's stored standing on an instrument (`outcome_summaries`): written with
each response, rebuilt in bulk, and read by the clinic's rates (one aggregate) and
export (one pass). Which standing a series has is decided above, by the outcome rules;
here it is only kept and counted. None of these functions commits."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, and_, case, delete, exists, func, insert, select
from sqlalchemy.orm import Session

from neurogarden.storage.models import KapSessionRow, OutcomeSummaryRow, PatientRow, ResponseRow
from neurogarden.storage.panel import visible_ids
from neurogarden.storage.upsert import upsert

STANDING_FIELDS = (
    "baseline",
    "latest",
    "change_pct",
    "followed",
    "response_eligible",
    "responder",
    "remission_eligible",
    "remitter",
    "ever_responded",
    "ever_remitted",
)


class GroupCounts(NamedTuple):
    with_sessions: bool
    patients: int
    response_eligible: int
    responders: int
    remission_eligible: int
    remitters: int


class ExportLine(NamedTuple):
    public_id: str
    with_sessions: bool
    baseline: float | None
    latest: float | None
    change_pct: float | None
    ever_responded: bool | None
    ever_remitted: bool | None


def _has_sessions() -> Any:
    """Whether the patient of the row has a session that was not cancelled (indexed)."""
    return exists().where(
        KapSessionRow.patient_id == PatientRow.id, KapSessionRow.state != "cancelled"
    )


def totals_of(s: Session, patient_id: int, instrument_id: str) -> Sequence[tuple[datetime, float]]:
    """One patient's scored totals on one instrument, in the order they were taken."""
    rows = s.execute(
        select(ResponseRow.taken_at, ResponseRow.total)
        .where(
            ResponseRow.patient_id == patient_id,
            ResponseRow.instrument_id == instrument_id,
            ResponseRow.total.is_not(None),
        )
        .order_by(ResponseRow.taken_at, ResponseRow.id)
    ).all()
    return [(at, float(total)) for at, total in rows if total is not None]


def every_total(s: Session, instrument_id: str) -> Iterator[tuple[int, datetime, float]]:
    """(patient id, taken at, total) of every scored response of every clinic, by
    patient then time, streamed: what a rebuild reads, in one pass."""
    rows = s.execute(
        select(ResponseRow.patient_id, ResponseRow.taken_at, ResponseRow.total)
        .where(ResponseRow.instrument_id == instrument_id, ResponseRow.total.is_not(None))
        .order_by(ResponseRow.patient_id, ResponseRow.taken_at, ResponseRow.id)
        .execution_options(yield_per=10_000)
    )
    for patient_id, taken_at, total in rows:
        yield patient_id, taken_at, float(total or 0)  # NULL totals are filtered above


def put(s: Session, patient_id: int, instrument_id: str, values: Mapping[str, Any]) -> None:
    """Store one patient's standing, replacing the one before (insert, or update on
    conflict: two responses stored at once both succeed)."""
    row = {"patient_id": patient_id, "instrument_id": instrument_id, **values}
    upsert(s, OutcomeSummaryRow, row, ["patient_id", "instrument_id"])


def clear(s: Session, instrument_id: str) -> None:
    s.execute(delete(OutcomeSummaryRow).where(OutcomeSummaryRow.instrument_id == instrument_id))


def add_many(s: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert standings in bulk (after `clear`), as a rebuild writes them."""
    if rows:
        s.execute(insert(OutcomeSummaryRow), list(rows))


def _count(flag: Any) -> Any:
    return func.coalesce(func.sum(case((flag, 1), else_=0)), 0).cast(Integer)


def group_counts(
    s: Session, clinic_id: int, team_of: int | None, instrument_id: str
) -> list[GroupCounts]:
    """Followed patients' counts, with and without sessions: one aggregate."""
    o = OutcomeSummaryRow
    flags = (
        select(
            _has_sessions().label("with_sessions"),
            o.response_eligible,
            o.responder,
            o.remission_eligible,
            o.remitter,
        )
        .join(PatientRow, PatientRow.id == o.patient_id)
        .where(
            o.instrument_id == instrument_id,
            o.followed,
            o.patient_id.in_(visible_ids(clinic_id, team_of)),
        )
        .subquery()
    )
    rows = s.execute(
        select(
            flags.c.with_sessions,
            func.count(),
            _count(flags.c.response_eligible),
            _count(and_(flags.c.response_eligible, flags.c.responder)),
            _count(flags.c.remission_eligible),
            _count(and_(flags.c.remission_eligible, flags.c.remitter)),
        ).group_by(flags.c.with_sessions)
    ).all()
    return [GroupCounts(bool(k), *(int(n) for n in counts)) for k, *counts in rows]


def export_lines(
    s: Session, clinic_id: int, team_of: int | None, instrument_id: str
) -> list[ExportLine]:
    """Every patient the clinician sees, in id order, with their standing if they have
    one: plain values, one query."""
    o = OutcomeSummaryRow
    rows = s.execute(
        select(
            PatientRow.public_id,
            _has_sessions(),
            o.baseline,
            o.latest,
            o.change_pct,
            o.ever_responded,
            o.ever_remitted,
        )
        .outerjoin(o, and_(o.patient_id == PatientRow.id, o.instrument_id == instrument_id))
        .where(PatientRow.id.in_(visible_ids(clinic_id, team_of)))
        .order_by(PatientRow.id)
    ).all()
    return [ExportLine(*row) for row in rows]

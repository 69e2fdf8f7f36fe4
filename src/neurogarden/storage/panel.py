"""The clinic-wide reads behind the dashboard and the outcome rates: one query each,
joined on the clinic (and, with care teams, on the clinician's teams), never an
IN-list of every patient and never a whole response row where a total will do. Like
the rest of the storage, none of them commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from neurogarden.storage.models import (
    AlertRow,
    CareTeamRow,
    ClinicRow,
    KapSessionRow,
    PatientRow,
    ResponseRow,
)


def _patients(clinic_id: int, team_of: int | None) -> Select[Any]:
    """The ids of the clinic's patients a clinician sees (`team_of`: only their teams')."""
    query = select(PatientRow.id).where(PatientRow.clinic_id == clinic_id)
    if team_of is not None:
        query = query.join(CareTeamRow, CareTeamRow.patient_id == PatientRow.id).where(
            CareTeamRow.user_id == team_of
        )
    return query


def count_patients(s: Session, clinic_id: int, team_of: int | None) -> int:
    return int(
        s.scalar(select(func.count()).select_from(_patients(clinic_id, team_of).subquery())) or 0
    )


def patient_page(
    s: Session, clinic_id: int, team_of: int | None, skip: Sequence[int], offset: int, limit: int
) -> Sequence[PatientRow]:
    """One page of the patients in panel order (by id), leaving out `skip` (those
    already listed first because they need attention)."""
    ids = _patients(clinic_id, team_of)
    if skip:
        ids = ids.where(PatientRow.id.not_in(skip))
    return s.scalars(
        select(PatientRow)
        .where(PatientRow.id.in_(ids.order_by(PatientRow.id).offset(offset).limit(limit)))
        .order_by(PatientRow.id)
    ).all()


def patients_by_id(s: Session, ids: Sequence[int]) -> Sequence[PatientRow]:
    return s.scalars(select(PatientRow).where(PatientRow.id.in_(ids))).all() if ids else []


def all_patients(s: Session, clinic_id: int, team_of: int | None) -> Sequence[PatientRow]:
    ids = _patients(clinic_id, team_of)
    return s.scalars(select(PatientRow).where(PatientRow.id.in_(ids)).order_by(PatientRow.id)).all()


def unresolved_alerts(s: Session, clinic_id: int, team_of: int | None) -> Sequence[AlertRow]:
    return s.scalars(
        select(AlertRow)
        .where(
            AlertRow.clinic_id == clinic_id,
            AlertRow.state != "resolved",
            AlertRow.patient_id.in_(_patients(clinic_id, team_of)),
        )
        .order_by(AlertRow.id)
    ).all()


def totals(
    s: Session, clinic_id: int, team_of: int | None, instrument_id: str
) -> Sequence[tuple[int, datetime, float]]:
    """(patient id, taken at, total) of every scored response to one instrument, by
    patient then time: what response and remission rates need, and nothing more."""
    rows = s.execute(
        select(ResponseRow.patient_id, ResponseRow.taken_at, ResponseRow.total)
        .where(
            ResponseRow.instrument_id == instrument_id,
            ResponseRow.total.is_not(None),
            ResponseRow.patient_id.in_(_patients(clinic_id, team_of)),
        )
        .order_by(ResponseRow.patient_id, ResponseRow.taken_at)
    ).all()
    return [(pid, at, float(total)) for pid, at, total in rows if total is not None]


def with_sessions(s: Session, clinic_id: int, team_of: int | None) -> set[int]:
    """The patients with a session that was not cancelled."""
    return set(
        s.scalars(
            select(KapSessionRow.patient_id)
            .where(
                KapSessionRow.state != "cancelled",
                KapSessionRow.patient_id.in_(_patients(clinic_id, team_of)),
            )
            .distinct()
        )
    )


def sessions_between(
    s: Session, clinic_id: int, team_of: int | None, start: datetime, end: datetime
) -> Sequence[KapSessionRow]:
    """Sessions that were not cancelled starting in [start, end)."""
    return s.scalars(
        select(KapSessionRow)
        .where(
            KapSessionRow.state != "cancelled",
            KapSessionRow.start >= start,
            KapSessionRow.start < end,
            KapSessionRow.patient_id.in_(_patients(clinic_id, team_of)),
        )
        .order_by(KapSessionRow.start)
    ).all()


def first_and_last_totals(
    s: Session, clinic_id: int, team_of: int | None, instrument_id: str
) -> Sequence[tuple[int, datetime, float]]:
    """Like `totals`, but only each patient's first and latest scored response (what
    response and remission rates compare), found by the database."""
    scored = (ResponseRow.instrument_id == instrument_id) & ResponseRow.total.is_not(None)
    span = (
        select(
            ResponseRow.patient_id.label("patient_id"),
            func.min(ResponseRow.taken_at).label("first"),
            func.max(ResponseRow.taken_at).label("last"),
        )
        .where(scored, ResponseRow.patient_id.in_(_patients(clinic_id, team_of)))
        .group_by(ResponseRow.patient_id)
        .subquery()
    )
    rows = s.execute(
        select(ResponseRow.patient_id, ResponseRow.taken_at, ResponseRow.total)
        .join(span, span.c.patient_id == ResponseRow.patient_id)
        .where(scored, ResponseRow.taken_at.in_([span.c.first, span.c.last]))
        .order_by(ResponseRow.patient_id, ResponseRow.taken_at, ResponseRow.id)
    ).all()
    return [(pid, at, float(total)) for pid, at, total in rows if total is not None]


def every_patient(s: Session) -> Sequence[tuple[PatientRow, ClinicRow]]:
    """Every patient of every clinic with their clinic, in id order."""
    rows = s.execute(
        select(PatientRow, ClinicRow)
        .join(ClinicRow, ClinicRow.id == PatientRow.clinic_id)
        .order_by(PatientRow.id)
    ).all()
    return [(patient, clinic) for patient, clinic in rows]

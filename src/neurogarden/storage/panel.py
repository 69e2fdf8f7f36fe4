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
)


def visible_ids(clinic_id: int, team_of: int | None) -> Select[Any]:
    """The ids of the clinic's patients a clinician sees (`team_of`: only their teams')."""
    query = select(PatientRow.id).where(PatientRow.clinic_id == clinic_id)
    if team_of is not None:
        query = query.join(CareTeamRow, CareTeamRow.patient_id == PatientRow.id).where(
            CareTeamRow.user_id == team_of
        )
    return query


def count_patients(s: Session, clinic_id: int, team_of: int | None) -> int:
    return int(
        s.scalar(select(func.count()).select_from(visible_ids(clinic_id, team_of).subquery())) or 0
    )


def patient_page(
    s: Session, clinic_id: int, team_of: int | None, skip: Sequence[int], offset: int, limit: int
) -> Sequence[PatientRow]:
    """One page of the patients in panel order (by id), leaving out `skip` (those
    already listed first because they need attention)."""
    ids = visible_ids(clinic_id, team_of)
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
    ids = visible_ids(clinic_id, team_of)
    return s.scalars(select(PatientRow).where(PatientRow.id.in_(ids)).order_by(PatientRow.id)).all()


def unresolved_alerts(s: Session, clinic_id: int, team_of: int | None) -> Sequence[AlertRow]:
    return s.scalars(
        select(AlertRow)
        .where(
            AlertRow.clinic_id == clinic_id,
            AlertRow.state != "resolved",
            AlertRow.patient_id.in_(visible_ids(clinic_id, team_of)),
        )
        .order_by(AlertRow.id)
    ).all()


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
            KapSessionRow.patient_id.in_(visible_ids(clinic_id, team_of)),
        )
        .order_by(KapSessionRow.start)
    ).all()


def every_patient(s: Session) -> Sequence[tuple[PatientRow, ClinicRow]]:
    """Every patient of every clinic with their clinic, in id order."""
    rows = s.execute(
        select(PatientRow, ClinicRow)
        .join(ClinicRow, ClinicRow.id == PatientRow.clinic_id)
        .order_by(PatientRow.id)
    ).all()
    return [(patient, clinic) for patient, clinic in rows]


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_patients(
    s: Session, clinic_id: int, team_of: int | None, text: str, limit: int
) -> tuple[int, Sequence[PatientRow]]:
    """Patients the clinician sees whose name contains `text` (any case): how many,
    and the first `limit` of them by name."""
    named = (
        visible_ids(clinic_id, team_of)
        .where(func.lower(PatientRow.display_name).like(f"%{_like_escaped(text.lower())}%", "\\"))
        .subquery()
    )
    found = int(s.scalar(select(func.count()).select_from(named)) or 0)
    rows = s.scalars(
        select(PatientRow)
        .where(PatientRow.id.in_(select(named.c.id)))
        .order_by(PatientRow.display_name, PatientRow.id)
        .limit(limit)
    ).all()
    return found, rows

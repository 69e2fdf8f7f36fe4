"""The care loop's records: alerts and their steps, and care teams. Like the rest of the
storage, every function takes the caller's Session and none of them commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from neurogarden.storage.clinic import utcnow
from neurogarden.storage.models import AlertEventRow, AlertRow, CareTeamRow, PatientRow, UserRow


def add_alert(s: Session, **values: Any) -> AlertRow | None:
    """A new open alert, or None when another transaction has just stored the same
    unresolved one (the partial unique index refused this one; nothing else is undone)."""
    now = utcnow()
    row = AlertRow(state="open", raised_at=now, last_seen_at=now, cleared_at=None, **values)
    try:
        with s.begin_nested():
            s.add(row)
    except IntegrityError:
        return None
    return row


def unresolved_alert(s: Session, patient_id: int, rule: str, subject: str) -> AlertRow | None:
    return s.scalar(
        select(AlertRow).where(
            AlertRow.patient_id == patient_id,
            AlertRow.rule == rule,
            AlertRow.subject == subject,
            AlertRow.state != "resolved",
        )
    )


def add_alert_step(
    s: Session,
    alert: AlertRow,
    step: str,
    *,
    user_id: int | None = None,
    outcome: str | None = None,
    note: str | None = None,
    response_id: int | None = None,
    at: datetime | None = None,
) -> AlertEventRow:
    row = AlertEventRow(
        alert_id=alert.id, step=step, at=at or utcnow(), user_id=user_id, outcome=outcome,
        note=note, response_id=response_id,
    )  # fmt: skip
    s.add(row)
    s.flush()
    return row


def alerted_response_ids(s: Session, patient_id: int) -> set[int]:
    """Responses that already raised (or were seen again on) one of the patient's alerts."""
    return set(
        s.scalars(
            select(AlertEventRow.response_id)
            .join(AlertRow, AlertRow.id == AlertEventRow.alert_id)
            .where(AlertRow.patient_id == patient_id, AlertEventRow.response_id.is_not(None))
        )
    )


def alerts_of(s: Session, patient_ids: Sequence[int], *, unresolved: bool) -> Sequence[AlertRow]:
    query = select(AlertRow).where(AlertRow.patient_id.in_(patient_ids))
    if unresolved:
        query = query.where(AlertRow.state != "resolved")
    return s.scalars(query.order_by(AlertRow.id)).all()


def alerts_of_clinic(s: Session, clinic_id: int) -> Sequence[AlertRow]:
    """The clinic's unresolved alerts."""
    return s.scalars(
        select(AlertRow)
        .where(AlertRow.clinic_id == clinic_id, AlertRow.state != "resolved")
        .order_by(AlertRow.id)
    ).all()


def alert_by_id(s: Session, alert_id: int) -> AlertRow | None:
    return s.get(AlertRow, alert_id)


def steps_of(s: Session, alert_ids: Sequence[int]) -> Sequence[tuple[AlertEventRow, str | None]]:
    """Each step with the display name of whoever took it."""
    rows = s.execute(
        select(AlertEventRow, UserRow.display_name)
        .outerjoin(UserRow, UserRow.id == AlertEventRow.user_id)
        .where(AlertEventRow.alert_id.in_(alert_ids))
        .order_by(AlertEventRow.at, AlertEventRow.id)
    ).all()
    return [(event, name) for event, name in rows]


# --- care teams --------------------------------------------------------------------------------


def team_of(s: Session, patient_id: int) -> Sequence[UserRow]:
    return s.scalars(
        select(UserRow)
        .join(CareTeamRow, CareTeamRow.user_id == UserRow.id)
        .where(CareTeamRow.patient_id == patient_id)
        .order_by(UserRow.display_name)
    ).all()


def on_team(s: Session, patient_id: int, user_id: int) -> bool:
    found = s.scalar(
        select(func.count())
        .select_from(CareTeamRow)
        .where(CareTeamRow.patient_id == patient_id, CareTeamRow.user_id == user_id)
    )
    return bool(found)


def patients_on_teams_of(s: Session, user_id: int) -> set[int]:
    return set(s.scalars(select(CareTeamRow.patient_id).where(CareTeamRow.user_id == user_id)))


def add_to_team(s: Session, patient_id: int, user_id: int, by: int | None) -> None:
    """Add a clinician once; a concurrent add of the same one is not an error."""
    if on_team(s, patient_id, user_id):
        return
    row = CareTeamRow(patient_id=patient_id, user_id=user_id, added_by=by, added_at=utcnow())
    try:
        with s.begin_nested():
            s.add(row)
    except IntegrityError:
        pass  # the other request added them


def remove_from_team(s: Session, patient_id: int, user_id: int) -> None:
    s.execute(
        delete(CareTeamRow).where(
            CareTeamRow.patient_id == patient_id, CareTeamRow.user_id == user_id
        )
    )


def team_counts(s: Session, clinic_id: int) -> dict[int, int]:
    """How many care teams each user of the clinic is on, in one query."""
    rows = s.execute(
        select(CareTeamRow.user_id, func.count())
        .join(UserRow, UserRow.id == CareTeamRow.user_id)
        .where(UserRow.clinic_id == clinic_id)
        .group_by(CareTeamRow.user_id)
    ).all()
    return {user_id: count for user_id, count in rows}


def patients_on_teams(s: Session, user_id: int) -> Sequence[PatientRow]:
    return s.scalars(
        select(PatientRow)
        .join(CareTeamRow, CareTeamRow.patient_id == PatientRow.id)
        .where(CareTeamRow.user_id == user_id)
        .order_by(PatientRow.id)
    ).all()

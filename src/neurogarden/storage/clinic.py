"""Reading and writing the clinic's records. Every function takes the caller's Session,
so that a write and its audit row share one transaction; none of them commits."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

from neurogarden.storage.engine import READ_ONLY, make_engine
from neurogarden.storage.models import (
    AuditRow,
    ClinicRow,
    DietEntryRow,
    PatientRow,
    ProfileVersionRow,
    RecoveryEntryRow,
    ResponseRow,
    TickRow,
    UserRow,
    WebSessionRow,
)

__all__ = [
    "AuditRow",
    "ClinicRow",
    "Database",
    "DietEntryRow",
    "PatientRow",
    "ProfileVersionRow",
    "RecoveryEntryRow",
    "ResponseRow",
    "TickRow",
    "UserRow",
    "WebSessionRow",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; every stored one is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


WROTE = "wrote"  # Session.info: something was written in the current transaction
READING = "reading"  # Session.info: the current transaction was begun as a read


def _wrote(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


def _wrote_directly(state: ORMExecuteState) -> None:
    """An INSERT, UPDATE or DELETE statement run through the session (not a flush)."""
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(WROTE, None)
        session.info.pop(READING, None)


class Database:
    """An engine and its session factory: what the web app and `demo` hold on to."""

    def __init__(self, url_or_engine: str | Engine | None = None) -> None:
        self.engine = (
            url_or_engine if isinstance(url_or_engine, Engine) else make_engine(url_or_engine)
        )
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "after_flush", _wrote)
        event.listen(self.sessions, "do_orm_execute", _wrote_directly)
        event.listen(self.sessions, "after_transaction_end", _ended)

    def session(self) -> Session:
        return self.sessions()

    @staticmethod
    def begin_reading(s: Session) -> None:
        """Start `s`'s next transaction as a read that takes no write lock (SQLite); a
        write later in it upgrades the lock, or the caller ends it first with
        `end_reading`."""
        s.connection(execution_options={READ_ONLY: True})
        s.info[READING] = True

    @staticmethod
    def end_reading(s: Session) -> bool:
        """End a read transaction that stored nothing, so that the writes that follow
        take the write lock only for as long as they last; False (and the transaction
        kept) when something is pending or was flushed in it."""
        if s.new or s.dirty or s.deleted or s.info.get(WROTE):
            return False
        s.rollback()
        return True

    @staticmethod
    def writing(s: Session) -> None:
        """About to write: a read transaction that stored nothing ends here, so that the
        writes begin a transaction that waits its turn for the write lock (on SQLite a
        read that starts writing fails at once when another request committed since it
        began)."""
        if s.info.get(READING):
            Database.end_reading(s)

    def migrate(self) -> None:
        from neurogarden.storage.migrate import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


# --- clinics and accounts --------------------------------------------------------------------


def clinic_by_slug(s: Session, slug: str) -> ClinicRow | None:
    return s.scalar(select(ClinicRow).where(ClinicRow.slug == slug))


def add_clinic(
    s: Session, slug: str, name: str, *, locale: str = "US", timezone: str = "UTC"
) -> ClinicRow:
    clinic = ClinicRow(
        slug=slug, name=name, locale=locale, timezone=timezone, created_at=utcnow(),
        clinic_wide_care=True,
    )  # fmt: skip
    s.add(clinic)
    s.flush()
    return clinic


def clinic_by_id(s: Session, clinic_id: int) -> ClinicRow | None:
    return s.get(ClinicRow, clinic_id)


def update_clinic(
    s: Session,
    clinic_id: int,
    *,
    name: str,
    locale: str,
    timezone: str,
    clinic_wide_care: bool,
    missed_measure_alerts: bool = True,
) -> ClinicRow:
    row = s.get(ClinicRow, clinic_id)
    if row is None:
        raise LookupError(f"no clinic {clinic_id}")
    row.name, row.locale, row.timezone = name, locale, timezone
    row.clinic_wide_care = clinic_wide_care
    row.missed_measure_alerts = missed_measure_alerts
    s.flush()
    return row


def add_user(
    s: Session,
    clinic_id: int,
    username: str,
    display_name: str,
    role: str,
    password_hash: str,
    patient_id: int | None = None,
) -> UserRow:
    user = UserRow(
        clinic_id=clinic_id,
        username=username.lower(),
        display_name=display_name,
        role=role,
        password_hash=password_hash,
        patient_id=patient_id,
        active=True,
        created_at=utcnow(),
    )
    s.add(user)
    s.flush()
    return user


def user_by_username(s: Session, username: str) -> UserRow | None:
    return s.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))


def users_of_clinic(s: Session, clinic_id: int) -> Sequence[UserRow]:
    return s.scalars(
        select(UserRow).where(UserRow.clinic_id == clinic_id).order_by(UserRow.role, UserRow.id)
    ).all()


def user_for_patient(s: Session, patient_id: int) -> UserRow | None:
    return s.scalar(select(UserRow).where(UserRow.patient_id == patient_id))


# --- patients and their records --------------------------------------------------------------


def add_patient(s: Session, clinic_id: int, display_name: str) -> PatientRow:
    patient = PatientRow(
        public_id=secrets.token_hex(6),
        clinic_id=clinic_id,
        display_name=display_name,
        created_at=utcnow(),
    )
    s.add(patient)
    s.flush()
    return patient


def patient_by_public_id(s: Session, public_id: str) -> PatientRow | None:
    return s.scalar(select(PatientRow).where(PatientRow.public_id == public_id))


def patient_by_id(s: Session, patient_id: int) -> PatientRow | None:
    return s.get(PatientRow, patient_id)


def patients_of_clinic(s: Session, clinic_id: int) -> Sequence[PatientRow]:
    return s.scalars(
        select(PatientRow).where(PatientRow.clinic_id == clinic_id).order_by(PatientRow.id)
    ).all()


def profile_versions(s: Session, patient_id: int, last: int = 2) -> Sequence[ProfileVersionRow]:
    """The newest `last` versions, newest first."""
    return s.scalars(
        select(ProfileVersionRow)
        .where(ProfileVersionRow.patient_id == patient_id)
        .order_by(ProfileVersionRow.version.desc())
        .limit(last)
    ).all()


def latest_profile(s: Session, patient_id: int) -> ProfileVersionRow | None:
    rows = profile_versions(s, patient_id, last=1)
    return rows[0] if rows else None


def latest_profiles(s: Session, patient_ids: Sequence[int]) -> dict[int, ProfileVersionRow]:
    """Each patient's newest profile version, in one query (not one per patient)."""
    if not patient_ids:
        return {}
    newest = (
        select(ProfileVersionRow.patient_id, func.max(ProfileVersionRow.version).label("v"))
        .where(ProfileVersionRow.patient_id.in_(patient_ids))
        .group_by(ProfileVersionRow.patient_id)
        .subquery()
    )
    rows = s.scalars(
        select(ProfileVersionRow).join(
            newest,
            (ProfileVersionRow.patient_id == newest.c.patient_id)
            & (ProfileVersionRow.version == newest.c.v),
        )
    )
    return {row.patient_id: row for row in rows}


def save_profile(
    s: Session, patient_id: int, document: dict[str, Any], by: int | None
) -> ProfileVersionRow:
    current = s.scalar(
        select(func.max(ProfileVersionRow.version)).where(
            ProfileVersionRow.patient_id == patient_id
        )
    )
    row = ProfileVersionRow(
        patient_id=patient_id,
        version=(current or 0) + 1,
        document=document,
        created_at=utcnow(),
        created_by=by,
    )
    s.add(row)
    s.flush()
    return row


def add_response(
    s: Session,
    patient_id: int,
    *,
    instrument_id: str,
    instrument_version: str,
    answers: list[Any],
    score: dict[str, Any],
    total: float | None,
    flagged: bool,
    taken_at: datetime,
    by: int | None,
) -> ResponseRow:
    row = ResponseRow(
        patient_id=patient_id,
        instrument_id=instrument_id,
        instrument_version=instrument_version,
        answers=answers,
        score=score,
        total=total,
        flagged=flagged,
        taken_at=taken_at,
        entered_by=by,
    )
    s.add(row)
    s.flush()
    return row


def responses_of(
    s: Session, patient_ids: Sequence[int], instrument_id: str | None = None
) -> Sequence[ResponseRow]:
    query = select(ResponseRow).where(ResponseRow.patient_id.in_(patient_ids))
    if instrument_id:
        query = query.where(ResponseRow.instrument_id == instrument_id)
    return s.scalars(query.order_by(ResponseRow.taken_at, ResponseRow.id)).all()


def ticks_of(s: Session, patient_id: int, since: date, until: date) -> Sequence[TickRow]:
    return s.scalars(
        select(TickRow)
        .where(TickRow.patient_id == patient_id, TickRow.day >= since, TickRow.day <= until)
        .order_by(TickRow.day, TickRow.id)
    ).all()


def set_tick(
    s: Session,
    patient_id: int,
    day: date,
    kind: str,
    item: str,
    done: bool,
    by: int | None,
    session_id: int | None = None,
) -> None:
    """Idempotent: ticking twice keeps one row; unticking removes it."""
    existing = s.scalar(
        select(TickRow).where(
            TickRow.patient_id == patient_id,
            TickRow.day == day,
            TickRow.kind == kind,
            TickRow.item == item,
        )
    )
    if done and existing is None:
        s.add(
            TickRow(
                patient_id=patient_id,
                day=day,
                kind=kind,
                item=item,
                ticked_at=utcnow(),
                ticked_by=by,
                session_id=session_id,
            )
        )
    elif not done and existing is not None:
        s.delete(existing)
    s.flush()


def add_recovery_entry(s: Session, patient_id: int, by: int | None, **values: Any) -> None:
    s.add(RecoveryEntryRow(patient_id=patient_id, entered_by=by, created_at=utcnow(), **values))
    s.flush()


def recovery_entries_of(s: Session, patient_ids: Sequence[int]) -> Sequence[RecoveryEntryRow]:
    return s.scalars(
        select(RecoveryEntryRow)
        .where(RecoveryEntryRow.patient_id.in_(patient_ids))
        .order_by(RecoveryEntryRow.day, RecoveryEntryRow.id)
    ).all()


def add_diet_entry(
    s: Session, patient_id: int, day: date, food: str, amount: str, by: int | None
) -> None:
    s.add(
        DietEntryRow(
            patient_id=patient_id,
            day=day,
            food=food,
            amount=amount,
            entered_by=by,
            created_at=utcnow(),
        )
    )
    s.flush()


def diet_entries_of(s: Session, patient_id: int, day: date) -> Sequence[DietEntryRow]:
    return s.scalars(
        select(DietEntryRow)
        .where(DietEntryRow.patient_id == patient_id, DietEntryRow.day == day)
        .order_by(DietEntryRow.id)
    ).all()

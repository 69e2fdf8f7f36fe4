"""Reading and writing the clinic's records. Every function takes the caller's Session,
so that a write and its audit row share one transaction; none of them commits."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from neurogarden.storage.engine import make_engine
from neurogarden.storage.models import (
    AuditRow,
    ClinicRow,
    DietEntryRow,
    LoginAttemptRow,
    PatientRow,
    ProfileVersionRow,
    RecoveryEntryRow,
    ResponseRow,
    TickRow,
    UserRow,
    WebSessionRow,
)

__all__ = [
    "AuditFilter",
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


class Database:
    """An engine and its session factory: what the web app and `demo` hold on to."""

    def __init__(self, url_or_engine: str | Engine | None = None) -> None:
        self.engine = (
            url_or_engine if isinstance(url_or_engine, Engine) else make_engine(url_or_engine)
        )
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

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
    clinic = ClinicRow(slug=slug, name=name, locale=locale, timezone=timezone, created_at=utcnow())
    s.add(clinic)
    s.flush()
    return clinic


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
    s: Session, patient_id: int, day: date, kind: str, item: str, done: bool, by: int | None
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


# --- browser sessions and sign-in attempts ---------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Last-seen times are kept to the minute: a page and its images need not all write.
SEEN_PRECISION = timedelta(minutes=1)


def open_session(s: Session, user_id: int) -> tuple[str, WebSessionRow]:
    """A new session; returns the cookie token (only its hash is stored) and the row."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = WebSessionRow(
        id=_token_hash(token),
        user_id=user_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
    )
    s.add(row)
    s.flush()
    return token, row


def live_session(
    s: Session, token: str, idle: timedelta, absolute: timedelta
) -> tuple[WebSessionRow, UserRow] | None:
    """The session and its active user, or None when unknown, idle too long or too old;
    an expired session is deleted so it cannot be revived."""
    row = s.get(WebSessionRow, _token_hash(token))
    if row is None:
        return None
    now = utcnow()
    if now - aware(row.last_seen_at) > idle or now - aware(row.created_at) > absolute:
        s.delete(row)
        s.flush()
        return None
    user = s.get(UserRow, row.user_id)
    if user is None or not user.active:
        return None
    if now - aware(row.last_seen_at) > SEEN_PRECISION:
        row.last_seen_at = now
    return row, user


def close_session(s: Session, token: str) -> None:
    s.execute(delete(WebSessionRow).where(WebSessionRow.id == _token_hash(token)))


def record_login_attempt(s: Session, username: str, client: str, succeeded: bool) -> None:
    s.add(
        LoginAttemptRow(
            username=username.strip().lower()[:80],
            client=client[:64],
            succeeded=succeeded,
            at=utcnow(),
        )
    )


def recent_failures(s: Session, username: str, client: str, window: timedelta) -> int:
    """Failed sign-ins for this user name or from this client within `window`."""
    since = utcnow() - window
    failed = select(func.count()).where(
        LoginAttemptRow.succeeded.is_(False), LoginAttemptRow.at >= since
    )
    by_name = s.scalar(failed.where(LoginAttemptRow.username == username.strip().lower())) or 0
    by_client = s.scalar(failed.where(LoginAttemptRow.client == client)) or 0
    return max(by_name, by_client)


# --- audit trail -----------------------------------------------------------------------------


def add_audit(s: Session, **values: Any) -> None:
    s.add(AuditRow(at=utcnow(), **values))
    s.flush()


@dataclass(frozen=True)
class AuditFilter:
    user: str | None = None
    patient: str | None = None
    action: str | None = None
    outcome: str | None = None
    limit: int = 500


def audit_events(s: Session, clinic_id: int, f: AuditFilter) -> Sequence[AuditRow]:
    query = select(AuditRow).where(AuditRow.clinic_id == clinic_id)
    if f.user:
        query = query.where(AuditRow.username == f.user.lower())
    if f.patient:
        query = query.where(AuditRow.patient_id == f.patient)
    if f.action:
        query = query.where(AuditRow.action == f.action)
    if f.outcome:
        query = query.where(AuditRow.outcome == f.outcome)
    return s.scalars(query.order_by(AuditRow.id.desc()).limit(f.limit)).all()


def all_audit_events(s: Session) -> Sequence[AuditRow]:
    return s.scalars(select(AuditRow).order_by(AuditRow.id)).all()

"""Who came in and what they touched: server-side browser sessions, sign-in attempts
and the append-only audit trail. Like the clinic's records, every function takes the
caller's Session and none of them commits, so a write and its audit row share one
transaction."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from neurogarden.storage.clinic import aware, utcnow
from neurogarden.storage.models import AuditRow, LoginAttemptRow, UserRow, WebSessionRow

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


def add_audits(s: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Many audit rows in one statement (a list shown: one row per patient on it)."""
    if rows:
        at = utcnow()
        s.execute(insert(AuditRow), [{"at": at, **row} for row in rows])


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

"""Signing in and out: throttled attempts, the password check (timed the same whether
or not the user exists), server-side sessions. The web app sets and clears the cookie."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from neurogarden.clinic.security import burn_verification_time, verify_password
from neurogarden.storage import access as access_store
from neurogarden.storage import clinic as store
from neurogarden.storage.models import UserRow, WebSessionRow


@dataclass(frozen=True)
class SignedIn:
    token: str  # the session token for the cookie; only its hash is stored
    role: str


@dataclass(frozen=True)
class Refused:
    reason: str
    status: int  # 429 while throttled, 401 for a wrong name or password


def sign_in(
    db: Session,
    username: str,
    password: str,
    client: str,
    window: timedelta,
    max_failures: int,
) -> SignedIn | Refused:
    """Check a sign-in and record the attempt; commits either way (the attempt counts)."""
    if access_store.recent_failures(db, username, client, window) >= max_failures:
        minutes = int(window.total_seconds() // 60)
        return Refused(f"Too many failed sign-ins; try again in {minutes} minutes.", 429)
    user = store.user_by_username(db, username)
    if user is None:
        burn_verification_time(password)
    ok = user is not None and user.active and verify_password(user.password_hash, password)
    access_store.record_login_attempt(db, username, client, ok)
    if not ok or user is None:
        db.commit()
        return Refused("User name or password is wrong.", 401)
    token, _ = access_store.open_session(db, user.id)
    db.commit()
    return SignedIn(token, user.role)


def sign_out(db: Session, token: str) -> None:
    access_store.close_session(db, token)
    db.commit()


def current(
    db: Session, token: str, idle: timedelta, absolute: timedelta
) -> tuple[UserRow, WebSessionRow] | None:
    """The user and session a cookie's token names, while it is live (idle and absolute
    timeouts); None otherwise."""
    live = access_store.live_session(db, token, idle, absolute)
    if live is None:
        return None
    web_session, user = live
    return user, web_session


def audit(db: Session, **values: Any) -> None:
    """One row of the append-only audit trail, in the caller's transaction."""
    access_store.add_audit(db, **values)

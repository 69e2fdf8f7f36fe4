"""Signing in and out: throttled attempts, the password check (timed the same whether
or not the user exists), server-side sessions. The web app sets and clears the cookie;
`open_visit` turns a cookie's token into the visit every request works through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from neurogarden.clinic.security import burn_verification_time, verify_password
from neurogarden.clinic.values import Account, ClinicInfo
from neurogarden.clinic.visit import Visit
from neurogarden.storage import access as access_store
from neurogarden.storage import clinic as store


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


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta
    absolute: timedelta


def open_visit(
    db: Session, token: str | None, timeouts: Timeouts, *, action: str, method: str, path: str
) -> Visit:
    """The visit of whoever a cookie's token names, while their session is live (idle and
    absolute timeouts); an anonymous visit otherwise. Commits the session's last-seen
    time, so that it is kept even if the request then fails."""
    visit = Visit(db, None, None, None, action, method, path, audited=False)
    if token:
        live = access_store.live_session(db, token, timeouts.idle, timeouts.absolute)
        if live is not None:
            web_session, user = live
            clinic = store.clinic_by_id(db, user.clinic_id)
            visit.user = Account.of(user)
            visit.clinic = ClinicInfo.of(clinic) if clinic else None
            visit.csrf = web_session.csrf_token
    db.commit()
    return visit

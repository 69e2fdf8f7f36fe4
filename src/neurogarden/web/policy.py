"""The one place where access is decided: every route depends on exactly one Policy.

A Policy resolves who is asking (from the session cookie), checks CSRF on writes,
checks the role and, for routes about one patient, that the patient belongs to the
asker's clinic (and, for `self` routes, is the asker). What the asker may not see
answers 404, so that a guess cannot even learn that a record exists. Every request
that touches a patient's data leaves an audit row; a write's row is committed in
the same transaction as the write (`Access.commit`).
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from neurogarden.clinic import directory, signin
from neurogarden.web.settings import SESSION_COOKIE, WebSettings

if TYPE_CHECKING:
    from neurogarden.storage.models import ClinicRow, PatientRow, UserRow, WebSessionRow

Role = Literal["admin", "clinician", "patient"]
PatientScope = Literal["care", "self_or_care"]
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SignInRequired(Exception):
    """Raised for an anonymous request to a protected route; pages redirect, the API 401s."""


@dataclass
class Access:
    """What a handler may use: the database session, the asker and, if any, the patient."""

    db: Session
    request: Request
    user: UserRow | None
    session: WebSessionRow | None
    clinic: ClinicRow | None
    patient: PatientRow | None
    action: str
    audited: bool
    committed: bool = field(default=False)

    @property
    def role(self) -> str:
        return self.user.role if self.user else "anonymous"

    @property
    def csrf(self) -> str:
        return self.session.csrf_token if self.session else ""

    def audit(self, outcome: str, action: str | None = None, patient_id: str | None = None) -> None:
        """One audit row; `patient_id` names a record the route did not resolve (one asked
        for and denied, or each patient a list shows)."""
        signin.audit(
            self.db,
            user_id=self.user.id if self.user else None,
            username=self.user.username if self.user else None,
            role=self.role,
            clinic_id=self.clinic.id if self.clinic else None,
            patient_id=self.patient.public_id if self.patient else patient_id,
            action=action or self.action,
            outcome=outcome,
            method=self.request.method,
            path=self.request.url.path[:300],
        )

    def commit(self, outcome: str = "ok") -> None:
        """Commit the handler's writes together with their audit row."""
        if self.audited:
            self.audit(outcome)
        self.db.commit()
        self.committed = True

    def reject(self, outcome: str = "invalid") -> None:
        """Discard whatever the handler wrote, keeping only the audit row of the attempt."""
        self.db.rollback()
        self.commit(outcome)


@dataclass(frozen=True)
class Policy:
    """Who may call a route. `roles` empty and `public` true: anyone, even signed out."""

    name: str
    roles: frozenset[str] = frozenset()
    patient: PatientScope | None = None
    public: bool = False

    @property
    def audited(self) -> bool:
        return self.patient is not None

    async def __call__(self, request: Request) -> AsyncIterator[Access]:
        if request.method in UNSAFE_METHODS and not self.public:
            await _check_csrf_later(request)
        settings: WebSettings = request.app.state.settings
        db = request.app.state.database.session()
        try:
            access = await run_in_threadpool(self._resolve, db, request, settings)
            try:
                yield access
            except Exception:
                if access.audited and not access.committed:
                    await run_in_threadpool(_record_failure, access)
                raise
            if access.audited and not access.committed:
                # A read (or a write that changed nothing): the audit row alone.
                await run_in_threadpool(access.commit)
        finally:
            await run_in_threadpool(db.close)

    def _resolve(self, db: Session, request: Request, settings: WebSettings) -> Access:
        user, web_session = _signed_in(db, request, settings)
        clinic = directory.clinic_of(db, user) if user else None
        access = Access(
            db=db,
            request=request,
            user=user,
            session=web_session,
            clinic=clinic,
            patient=None,
            action=_action(request),
            audited=self.audited,
        )
        db.commit()  # keeps the session's last-seen time even if the request fails
        if self.public:
            return access
        if user is None:
            if self.audited:
                access.commit("denied")
            raise SignInRequired
        if request.method in UNSAFE_METHODS:
            _verify_csrf(request, web_session)
        if user.role not in self.roles:
            self._deny(access)
        if self.patient is not None:
            public_id = str(request.path_params.get("pid", ""))
            patient = directory.patient(db, public_id)
            if patient is None or patient.clinic_id != user.clinic_id:
                self._deny(access, public_id)
            assert patient is not None
            if user.role == "patient" and (
                self.patient != "self_or_care" or user.patient_id != patient.id
            ):
                self._deny(access, public_id)
            access.patient = patient
        return access

    def _deny(self, access: Access, public_id: str | None = None) -> None:
        if self.audited:
            access.audit("denied", patient_id=(public_id or "")[:32] or None)
            access.db.commit()
        raise HTTPException(status_code=404, detail="Not found")


def _action(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "name", None) or request.url.path


def _record_failure(access: Access) -> None:
    access.db.rollback()
    access.commit("error")


def _signed_in(
    db: Session, request: Request, settings: WebSettings
) -> tuple[UserRow | None, WebSessionRow | None]:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None, None
    live = signin.current(db, token, settings.idle_timeout, settings.absolute_timeout)
    if live is None:
        return None, None
    user, web_session = live
    return user, web_session


async def _check_csrf_later(request: Request) -> None:
    """Read the form now (async) so that the synchronous check can see its token."""
    if "X-CSRF-Token" in request.headers:
        return
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        token = form.get("csrf")
        request.state.form_csrf = token if isinstance(token, str) else None


def _verify_csrf(request: Request, web_session: WebSessionRow | None) -> None:
    sent = request.headers.get("X-CSRF-Token") or getattr(request.state, "form_csrf", None)
    expected = web_session.csrf_token if web_session else None
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong; reload the page")


PUBLIC = Policy("public", public=True)
SIGNED_IN = Policy("signed-in", frozenset({"admin", "clinician", "patient"}))
ADMIN = Policy("admin", frozenset({"admin"}))
CLINICIAN = Policy("clinician", frozenset({"clinician"}))
PATIENT_SELF = Policy("patient", frozenset({"patient"}))
CARE = Policy("care-team", frozenset({"clinician"}), patient="care")
SELF_OR_CARE = Policy("patient-or-care-team", frozenset({"clinician", "patient"}), "self_or_care")

POLICIES = (PUBLIC, SIGNED_IN, ADMIN, CLINICIAN, PATIENT_SELF, CARE, SELF_OR_CARE)

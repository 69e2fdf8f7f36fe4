"""The one place where access is decided: every route depends on exactly one Policy.

A Policy resolves who is asking (from the session cookie, through the clinic's
sign-in), checks CSRF on writes, checks the role and, for routes about one patient,
that the patient belongs to the asker's clinic (and, for `self` routes, is the asker).
What the asker may not see answers 404, so that a guess cannot even learn that a record
exists. It yields the clinic's visit in the shape the route needs: a `SignedInVisit`
(a user and their clinic) for role policies, a `PatientVisit` (also the patient) for
patient policies, a bare `Visit` for public routes. Every request that touches a
patient's data leaves an audit row; the clinic's actions commit a write together with
its row, and a read's row is committed here when the handler returns, before the
response is sent (every route takes its policy with `scope="function"`): a page whose
audit row cannot be written is never shown.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass, fields
from typing import Any, Literal

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from neurogarden.clinic import care_team, directory, signin
from neurogarden.clinic.visit import PatientVisit, SignedInVisit, Visit
from neurogarden.web.settings import SESSION_COOKIE, WebSettings

Role = Literal["admin", "clinician", "patient"]
PatientScope = Literal["care", "self_or_care"]
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_METHODS = frozenset({"GET", "HEAD"})

Access = Visit  # what a handler receives, whichever shape


class SignInRequired(Exception):
    """Raised for an anonymous request to a protected route; pages redirect, the API 401s."""


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

    async def __call__(self, request: Request) -> AsyncIterator[Visit]:
        if request.method in UNSAFE_METHODS and not self.public:
            await _check_csrf_later(request)
        settings: WebSettings = request.app.state.settings
        db = request.app.state.database.session()
        try:
            visit = await run_in_threadpool(self._resolve, db, request, settings)
            try:
                yield visit
            except Exception as exc:
                if visit.audited and not visit.committed:
                    await run_in_threadpool(_record_failure, visit, _outcome_of(exc))
                raise
            if visit.audited and not visit.committed:
                # A read (or a write that changed nothing): the audit row alone.
                await run_in_threadpool(visit.commit)
            elif visit.committed:
                # What a page stored after its action finished (an alert its rules
                # raised while it was drawn again) is kept too.
                await run_in_threadpool(visit.db.commit)
        finally:
            await run_in_threadpool(db.close)

    def _resolve(self, db: Session, request: Request, settings: WebSettings) -> Visit:
        visit = signin.open_visit(
            db,
            request.cookies.get(SESSION_COOKIE),
            signin.Timeouts(settings.idle_timeout, settings.absolute_timeout),
            action=_action(request),
            method=request.method,
            path=request.url.path,
        )
        visit.audited = self.audited
        if request.method in READ_METHODS:
            visit.read_first()
        if self.public:
            return visit
        user, clinic = visit.user, visit.clinic
        if user is None or clinic is None:
            if self.audited:
                visit.commit("denied")
            raise SignInRequired
        if request.method in UNSAFE_METHODS:
            _verify_csrf(request, visit.csrf)
        if user.role not in self.roles:
            self._deny(visit)
        rest = {
            f.name: getattr(visit, f.name)
            for f in fields(visit)
            if f.name not in ("db", "user", "clinic", "patient")
        }
        signed = SignedInVisit(db=db, user=user, clinic=clinic, patient=None, **rest)
        if self.patient is None:
            return signed
        public_id = str(request.path_params.get("pid", ""))
        patient = directory.patient(db, public_id)
        if patient is None or patient.clinic_id != user.clinic_id:
            return self._deny(signed, public_id)
        if user.role == "patient" and (
            self.patient != "self_or_care" or user.patient_id != patient.id
        ):
            return self._deny(signed, public_id)
        if user.role == "clinician" and not care_team.may_see(db, user, clinic, patient):
            return self._deny(signed, public_id)
        return PatientVisit(db=db, user=user, clinic=clinic, patient=patient, **rest)

    def _deny(self, visit: Visit, public_id: str | None = None) -> Visit:
        if self.audited:
            visit.settle()
            visit.audit("denied", patient_id=(public_id or "")[:32] or None)
            visit.db.commit()
        raise HTTPException(status_code=404, detail="Not found")


def _action(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "name", None) or request.url.path


def _outcome_of(exc: Exception) -> str:
    """What the audit trail calls a request that ended in an exception: a refusal to
    show something (a 404 or 403 the handler raised) is "denied", other refused input
    "invalid", anything else an "error"."""
    if isinstance(exc, HTTPException) and exc.status_code in (403, 404):
        return "denied"
    if isinstance(exc, HTTPException) and exc.status_code < 500:
        return "invalid"
    return "error"


def _record_failure(visit: Visit, outcome: str) -> None:
    visit.db.rollback()
    visit.commit(outcome)


async def _check_csrf_later(request: Request) -> None:
    """Read the form now (async) so that the synchronous check can see its token."""
    if "X-CSRF-Token" in request.headers:
        return
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        token = form.get("csrf")
        request.state.form_csrf = token if isinstance(token, str) else None


def _verify_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get("X-CSRF-Token") or getattr(request.state, "form_csrf", None)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong; reload the page")


PUBLIC = Policy("public", public=True)
SIGNED_IN = Policy("signed-in", frozenset({"admin", "clinician", "patient"}))
ADMIN = Policy("admin", frozenset({"admin"}))
CLINICIAN = Policy("clinician", frozenset({"clinician"}))
PATIENT_SELF = Policy("patient", frozenset({"patient"}))
CARE = Policy("care-team", frozenset({"clinician"}), patient="care")
SELF_OR_CARE = Policy("patient-or-care-team", frozenset({"clinician", "patient"}), "self_or_care")
# What only the patient records about themselves (a dose taken, a meal eaten): their
# clinicians read it, and never write it for them.
OWN_RECORD = Policy("patient-own-record", frozenset({"patient"}), "self_or_care")

POLICIES = (PUBLIC, SIGNED_IN, ADMIN, CLINICIAN, PATIENT_SELF, CARE, SELF_OR_CARE, OWN_RECORD)

# What routes depend on: each policy, ended when the handler returns and before the
# response is sent (scope "function"), so a read's audit row is committed first and a
# page whose row cannot be written is never shown.
PUBLIC_VISIT: Any = Depends(PUBLIC, scope="function")
SIGNED_IN_VISIT: Any = Depends(SIGNED_IN, scope="function")
ADMIN_VISIT: Any = Depends(ADMIN, scope="function")
CLINICIAN_VISIT: Any = Depends(CLINICIAN, scope="function")
PATIENT_SELF_VISIT: Any = Depends(PATIENT_SELF, scope="function")
CARE_VISIT: Any = Depends(CARE, scope="function")
SELF_OR_CARE_VISIT: Any = Depends(SELF_OR_CARE, scope="function")
OWN_RECORD_VISIT: Any = Depends(OWN_RECORD, scope="function")

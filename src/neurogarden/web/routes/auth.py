"""Signing in and out. Sign-in is rate-limited per user name and per client address."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from neurogarden.clinic.security import burn_verification_time, verify_password
from neurogarden.storage import access as access_store
from neurogarden.storage import clinic as store
from neurogarden.web.policy import PATIENT_SELF, PUBLIC, SIGNED_IN, Access
from neurogarden.web.settings import LOGIN_CSRF_COOKIE, SESSION_COOKIE, WebSettings
from neurogarden.web.templating import templates

router = APIRouter(include_in_schema=False)


def home_for(role: str) -> str:
    return {"admin": "/admin/users", "clinician": "/dashboard"}.get(role, "/me")


def _login_page(request: Request, access: Access, error: str | None, status: int) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "login.html",
        {"access": access, "login_csrf": token, "error": error},
        status_code=status,
    )
    settings: WebSettings = request.app.state.settings
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="strict",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, access: Annotated[Access, Depends(PUBLIC)]) -> Response:
    if access.user is not None:
        return RedirectResponse(home_for(access.user.role), status_code=303)
    return _login_page(request, access, None, 200)


@router.post("/login")
def login(
    request: Request,
    access: Annotated[Access, Depends(PUBLIC)],
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    settings: WebSettings = request.app.state.settings
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, csrf):
        return _login_page(request, access, "The form expired; please sign in again.", 403)
    client = request.client.host if request.client else "unknown"
    db = access.db
    if access_store.recent_failures(db, username, client, settings.login_window) >= (
        settings.login_max_failures
    ):
        minutes = int(settings.login_window.total_seconds() // 60)
        return _login_page(
            request, access, f"Too many failed sign-ins; try again in {minutes} minutes.", 429
        )
    user = store.user_by_username(db, username)
    if user is None:
        burn_verification_time(password)
    ok = user is not None and user.active and verify_password(user.password_hash, password)
    access_store.record_login_attempt(db, username, client, ok)
    if not ok or user is None:
        db.commit()
        return _login_page(request, access, "User name or password is wrong.", 401)
    token, _ = access_store.open_session(db, user.id)
    db.commit()
    response = RedirectResponse(home_for(user.role), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="strict",
        max_age=int(settings.absolute_timeout.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, access: Annotated[Access, Depends(SIGNED_IN)]) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    access_store.close_session(access.db, token)
    access.db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(access: Annotated[Access, Depends(SIGNED_IN)]) -> Response:
    return RedirectResponse(home_for(access.role), status_code=303)


@router.get("/me")
def my_record(access: Annotated[Access, Depends(PATIENT_SELF)]) -> Response:
    patient = store.patient_by_id(access.db, access.user.patient_id or 0) if access.user else None
    if patient is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(f"/patients/{patient.public_id}/today", status_code=303)


@router.get("/healthz")
def health(_access: Annotated[Access, Depends(PUBLIC)]) -> Response:
    return PlainTextResponse("ok")

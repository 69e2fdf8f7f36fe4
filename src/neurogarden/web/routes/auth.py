"""Signing in and out. Sign-in is rate-limited per user name and per client address."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from neurogarden.clinic import directory, signin
from neurogarden.clinic.visit import SignedInVisit
from neurogarden.web.policy import PATIENT_SELF_VISIT, PUBLIC_VISIT, SIGNED_IN_VISIT, Access
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
def login_form(request: Request, access: Annotated[Access, PUBLIC_VISIT]) -> Response:
    if access.user is not None:
        return RedirectResponse(home_for(access.user.role), status_code=303)
    return _login_page(request, access, None, 200)


@router.post("/login")
def login(
    request: Request,
    access: Annotated[Access, PUBLIC_VISIT],
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    settings: WebSettings = request.app.state.settings
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, csrf):
        return _login_page(request, access, "The form expired; please sign in again.", 403)
    client = request.client.host if request.client else "unknown"
    result = signin.sign_in(
        access.db, username, password, client,
        settings.login_window, settings.login_max_failures,
    )  # fmt: skip
    if isinstance(result, signin.Refused):
        return _login_page(request, access, result.reason, result.status)
    response = RedirectResponse(home_for(result.role), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="strict",
        max_age=int(settings.absolute_timeout.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, access: Annotated[Access, SIGNED_IN_VISIT]) -> Response:
    signin.sign_out(access.db, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(access: Annotated[Access, SIGNED_IN_VISIT]) -> Response:
    return RedirectResponse(home_for(access.role), status_code=303)


@router.get("/me")
def my_record(
    access: Annotated[SignedInVisit, PATIENT_SELF_VISIT],
) -> Response:
    patient = directory.own_patient(access.db, access.user)
    if patient is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(f"/patients/{patient.public_id}/today", status_code=303)


@router.get("/healthz")
def health(_access: Annotated[Access, PUBLIC_VISIT]) -> Response:
    return PlainTextResponse("ok")

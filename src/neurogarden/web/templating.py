"""The Jinja2 environment the pages share, with autoescaping and a few display filters."""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from neurogarden.web.policy import Access

templates = Jinja2Templates(directory=Path(str(files("neurogarden.web").joinpath("templates"))))


def _mg(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} mg" if value >= 10 else f"{value:,.1f} mg"


def _when(value: datetime | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%a %d %b %Y %H:%M")


def _plain(value: object) -> str:
    """A stored enum value in words: "partly_supported" is "partly supported"."""
    return str(value).replace("_", " ")


def _nav(access: Access | None) -> list[tuple[str, str]]:
    if access is None or access.user is None:
        return []
    role = access.user.role
    if role == "clinician":
        return [("/dashboard", "Patients"), ("/kb", "Knowledge base")]
    if role == "admin":
        return [("/admin/users", "Users"), ("/admin/audit", "Audit"), ("/admin/clinic", "Clinic")]
    return [("/me", "Today"), ("/kb", "Knowledge base")]


templates.env.filters["mg"] = _mg
templates.env.filters["when"] = _when
templates.env.filters["plain"] = _plain
templates.env.globals["nav"] = _nav


def page(
    request: Request, name: str, access: Access | None, status: int = 200, **context: object
) -> HTMLResponse:
    """Render a page; every page gets the asker (for the menu and the CSRF token)."""
    return templates.TemplateResponse(
        request, name, {"access": access, **context}, status_code=status
    )


async def form_fields(request: Request) -> dict[str, str]:
    """The submitted form as plain text fields (files are not accepted anywhere)."""
    form = await request.form()
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


async def form_lists(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


# A form shown again with its errors is an ordinary page: browsers log every 4xx page
# load as a console error, and the person only needs the errors at their fields. Nothing
# is saved and the audit row says "invalid"; the JSON API answers such input with 422.
FORM_ERROR_STATUS = 200

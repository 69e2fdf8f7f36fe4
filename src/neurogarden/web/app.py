"""The web app: FastAPI with server-rendered Jinja2 pages, htmx, and a JSON API under /api.

`create_app` is the factory the tests, `neurogarden serve` and `make run` use; it
takes a database URL (default: `NEUROGARDEN_DATABASE_URL` or the embedded SQLite file)
and migrates it to the newest schema before serving.
"""

from __future__ import annotations

import copy
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match

from neurogarden.clinic.database import Database
from neurogarden.web.api_examples import with_examples, with_profile_schema
from neurogarden.web.body_limit import BodyLimit
from neurogarden.web.headers import SecurityHeaders
from neurogarden.web.policy import SignInRequired
from neurogarden.web.routes import ROUTERS
from neurogarden.web.settings import WebSettings
from neurogarden.web.templating import templates

STATIC = Path(str(files("neurogarden.web").joinpath("static")))


def create_app(
    database: Database | str | None = None,
    settings: WebSettings | None = None,
    *,
    migrate: bool = True,
) -> FastAPI:
    db = database if isinstance(database, Database) else Database(database)
    if migrate:
        db.migrate()
    app = FastAPI(
        title="neurogarden",
        summary="Evidence-graded supplement plans, KAP integration windows and measurement.",
        description=(
            "Supports clinicians and informed people; it does not diagnose and is not "
            "medical advice. Every route is governed by one access policy; patient data "
            "is audited."
        ),
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the Swagger page loads from a CDN; the schema is what clients need
        redoc_url=None,
    )
    app.state.database = db
    app.state.settings = settings or WebSettings()
    # the last added is outermost: the security headers go on every answer, a 413 too
    app.add_middleware(BodyLimit, max_bytes=app.state.settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _error_pages(app)
    _documented_examples(app)
    return app


def _documented_examples(app: FastAPI) -> None:
    """The generated schema, with a worked example on each write (dated from today)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        return with_examples(with_profile_schema(copy.deepcopy(generate())), date.today())

    app.openapi = openapi  # type: ignore[method-assign]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, _exc: SignInRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "Sign in required"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not only its first route's
            headers["Allow"] = ", ".join(_methods_of(app, request))
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=headers
            )
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "detail": exc.detail, "access": None},
            status_code=exc.status_code,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"] if p != "body"),
                "message": str(e["msg"]).removeprefix("Value error, "),  # our own words
            }
            for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        return templates.TemplateResponse(
            request,
            "error.html",
            {
                "status": 422,
                "detail": "; ".join(f"{e['field']}: {e['message']}" for e in errors),
                "access": None,
            },
            status_code=422,
        )


def _methods_of(app: FastAPI, request: Request) -> list[str]:
    methods: set[str] = set()
    for route in route_table(app):
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def route_table(app: FastAPI) -> list[BaseRoute]:
    """Every route the app serves, including those of included routers, in order."""

    def walk(routes: list[BaseRoute]) -> list[BaseRoute]:
        out: list[BaseRoute] = []
        for route in routes:
            inner = getattr(route, "original_router", None)  # FastAPI's included routers
            out.extend(walk(inner.routes) if inner is not None else [route])
        return out

    return walk(list(app.routes))


def serving_app() -> FastAPI:
    """The app each worker process of `neurogarden serve --workers N` builds for itself
    (its own engine and connections) on the configured database, already migrated."""
    return create_app(migrate=False)

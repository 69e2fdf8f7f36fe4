"""Every route × every role, generated from the app's route table: nothing leaks.

A route without a policy fails here, so a new route cannot ship unguarded. Every
request to patient data, allowed or refused, must leave an audit row.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from neurogarden.storage import access as access_store
from neurogarden.web import policy as p
from neurogarden.web.app import route_table
from webkit import ROLES, World, client, login_csrf, session_csrf, sign_in

pytest_plugins = ("webkit",)

# Which points of view each policy admits for a route about Maya's record.
# A clinician of the clinic who is not on her care team sees her only while the clinic
# lets every clinician see every patient.
ADMITS = {
    p.PUBLIC: set(ROLES),
    p.SIGNED_IN: set(ROLES) - {"anonymous"},
    p.ADMIN: {"admin"},
    p.CLINICIAN: {"clinician", "other-clinic-clinician", "off-team-clinician"},
    p.PATIENT_SELF: {"patient", "other-patient"},
    p.CARE: {"clinician", "off-team-clinician"},
    p.SELF_OR_CARE: {"clinician", "patient", "off-team-clinician"},
    p.OWN_RECORD: {"patient"},
}


def admits(policy: p.Policy, clinic_wide: bool) -> set[str]:
    allowed = ADMITS[policy]
    if not clinic_wide and policy.patient is not None:
        allowed = allowed - {"off-team-clinician"}
    return allowed


def policy_of(route: APIRoute) -> p.Policy:
    found = [d.call for d in route.dependant.dependencies if isinstance(d.call, p.Policy)]
    assert len(found) == 1, f"{route.path} has {len(found)} policies; every route needs one"
    return found[0]


# Served by FastAPI and Starlette themselves, public by design: the API schema and the
# static files (htmx, CSS). Anything else must be an APIRoute with a policy.
FRAMEWORK_ROUTES = {"/api/openapi.json", "/static"}


def guarded_routes(app: FastAPI) -> list[tuple[str, str, p.Policy]]:
    out = []
    for route in route_table(app):
        path = getattr(route, "path", "")
        if path in FRAMEWORK_ROUTES:
            out.append(("GET", path if path != "/static" else "/static/{path:path}", p.PUBLIC))
            continue
        assert isinstance(route, APIRoute), f"{path}: not a routed endpoint with a policy"
        for method in sorted(route.methods):
            out.append((method, route.path, policy_of(route)))
    # Signing out last, so that the other requests run signed in.
    return sorted(out, key=lambda r: r[1] == "/logout")


def test_every_route_has_exactly_one_policy(world: World) -> None:
    routes = guarded_routes(world.app)
    assert len(routes) > 40
    assert {r[2] for r in routes} == set(ADMITS)


def test_a_route_without_a_policy_is_caught(world: World) -> None:
    app = world.app

    @app.get("/patients/{pid}/secret")  # a new route someone forgot to guard
    def unguarded(pid: str) -> str:
        return pid

    with pytest.raises(AssertionError, match="needs one"):
        guarded_routes(app)


def fill(path: str, world: World) -> str:
    return (
        path.replace("{pid}", world.maya)
        .replace("{iid}", "phq9")
        .replace("{section}", "forms")
        .replace("{path:path}", "app.css")
        .replace("{aid}", "1")
        .replace("{sid}", "1")  # Maya's first session (done: each change is refused)
        .replace("{change}", "move")
    )


# A valid body per write, so that an admitted request really succeeds.
FORMS = {
    "/login": {"username": "nobody", "password": "wrong-password-x"},
    "/patients": {"display_name": "Access Test"},
    "/patients/search": {"name": "maya"},
    "/patients/{pid}/sessions": {"start": "2026-12-01T10:00", "route": "sublingual"},
    "/patients/{pid}/ticks": {"kind": "dose", "item": "access-test", "done": "on"},
    "/patients/{pid}/account": {"username": "", "password": ""},
    "/patients/{pid}/questionnaires/{iid}": {
        **{f"q{i}": "1" for i in range(1, 10)},
        "q9": "0",
        "difficulty": "1",
    },
    "/admin/users": {"username": "", "display_name": "", "role": "x", "password": ""},
    "/admin/clinic": {"name": "", "locale": "US", "timezone": "UTC"},
}
JSON_BODIES = {
    "/api/patients": {"display_name": "Access Test"},
    "/api/patients/{pid}/sessions": {"start": "2026-12-01T10:00:00", "route": "sublingual"},
    "/api/patients/{pid}/responses": {"instrument": "gad7", "answers": {}},
    "/api/patients/{pid}/sessions/{sid}/move": {"start": "2026-12-01T10:00:00"},
    "/api/patients/{pid}/sessions/{sid}/cancel": {"note": "access test"},
}


def request(c: TestClient, method: str, path: str, world: World, csrf: str) -> object:
    url = fill(path, world)
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    if method == "GET":
        return c.get(url)
    if path == "/patients/{pid}/profile":
        form = {"person.sex": "female", "person.age": "35", "goals.sleep": "on", "csrf": csrf}
        return c.post(url, data=form)
    if path == "/api/patients/{pid}/profile":
        body = {"person": {"sex": "female", "age": 35}, "goals": ["sleep"]}
        return c.request(method, url, json=body, headers=headers)
    if path == "/login":  # the sign-in form has its own CSRF token, before any session
        token = "" if csrf else login_csrf(c)  # signed in, GET /login redirects home
        return c.post(url, data={**FORMS[path], "csrf": token})
    if path in JSON_BODIES:
        return c.request(method, url, json=JSON_BODIES[path], headers=headers)
    return c.request(method, url, data={**FORMS.get(path, {}), "csrf": csrf})


@pytest.fixture
def clients(world: World) -> Iterator[dict[str, TestClient]]:
    out = {}
    for role, username in ROLES.items():
        c = client(world.app)
        if username:
            sign_in(c, username)
        out[role] = c
    yield out
    for c in out.values():
        c.close()


@pytest.mark.parametrize("clinic_wide", [True, False], ids=["clinic-wide", "care-teams"])
def test_every_route_for_every_role(
    world: World, clients: dict[str, TestClient], clinic_wide: bool
) -> None:
    with world.database.engine.begin() as conn:
        conn.execute(
            text("UPDATE clinics SET clinic_wide_care = :on WHERE slug = 'demo'"),
            {"on": clinic_wide},
        )
    tokens = {role: session_csrf(c) if ROLES[role] else "" for role, c in clients.items()}
    made: list[tuple[str, str, str | None]] = []
    for method, path, policy in guarded_routes(world.app):
        for role, c in clients.items():
            response = request(c, method, path, world, tokens[role])
            status = response.status_code  # type: ignore[attr-defined]
            body = response.text  # type: ignore[attr-defined]
            where = f"{method} {path} as {role}: {status}"
            if (method, path) == ("POST", "/login"):
                # A wrong password; signed-in clients have no sign-in form token.
                assert status == (401 if role == "anonymous" else 403), where
            elif role in admits(policy, clinic_wide):
                assert status not in (401, 403, 404), where
                assert status < 500, where
            elif role == "anonymous":
                expected = 401 if path.startswith("/api/") else 303
                assert status == expected, where
                if status == 303:
                    assert response.headers["location"] == "/login", where  # type: ignore[attr-defined]
            else:
                assert status == 404, where
            if role not in admits(p.SELF_OR_CARE, clinic_wide):
                assert world.maya_name not in body, f"{where} shows Maya's name"
                if not (role == "admin" and path == "/admin/audit"):
                    assert world.maya not in body, f"{where} shows Maya's id"
            if policy.audited:
                made.append((method, fill(path, world), ROLES[role]))
    with world.database.session() as s:
        rows = access_store.all_audit_events(s)
    logged = {(r.method, r.path, r.username) for r in rows}
    missing = [m for m in made if m not in logged]
    assert not missing, f"{len(missing)} patient-data requests left no audit row: {missing[:5]}"
    outcomes = {r.outcome for r in rows}
    assert {"ok", "denied"} <= outcomes


def test_other_clinic_sees_none_of_this_clinic(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.harbour")
    listed = c.get("/api/patients").json()
    assert [p["id"] for p in listed] == [world.harbour_patient]
    dashboard = c.get("/dashboard").text
    assert world.maya_name not in dashboard and world.maya not in dashboard
    assert c.get(f"/api/patients/{world.maya}/plan").status_code == 404


def test_audit_trail_is_append_only_in_the_database(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    assert c.get(f"/patients/{world.maya}").status_code == 200
    for statement in ("UPDATE audit_events SET outcome = 'ok'", "DELETE FROM audit_events"):
        with world.database.engine.connect() as conn, pytest.raises(DBAPIError):
            conn.execute(text(statement))
    with world.database.session() as s:
        row = [r for r in access_store.all_audit_events(s) if r.path == f"/patients/{world.maya}"][
            -1
        ]
    assert (row.username, row.role, row.patient_id, row.outcome) == (
        "dr.okafor",
        "clinician",
        world.maya,
        "ok",
    )
    assert row.action == "patient_record"


def test_a_record_part_refused_by_the_page_is_audited_as_denied(world: World) -> None:
    """Maya may open her record but not the clinician-rated COWS form: the 404 the page
    raises is audited as a denial, not as a failure of the system."""
    c = client(world.app)
    sign_in(c, "maya")
    path = f"/patients/{world.maya}/questionnaires/cows"
    assert c.get(path).status_code == 404
    with world.database.session() as s:
        [row] = [r for r in access_store.all_audit_events(s) if r.path == path]
    assert (row.username, row.outcome) == ("maya", "denied")

"""The web app as its users meet it: accounts, the profile editor, the API, exports and
headers, on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from neurogarden.clinic import directory, records
from neurogarden.clinic.demo import load_demo
from neurogarden.clinic.security import (
    PasswordRejected,
    check_new_password,
    hash_password,
    verify_password,
)
from neurogarden.storage import access as access_store
from neurogarden.storage import clinic as store
from neurogarden.web.app import create_app
from neurogarden.web.settings import SESSION_COOKIE, WebSettings
from neurogarden.web.templating import FORM_ERROR_STATUS
from webkit import World, client, login_csrf, session_csrf, sign_in

pytest_plugins = ("webkit",)


def versions(world: World, public_id: str) -> int:
    with world.database.session() as s:
        patient = store.patient_by_public_id(s, public_id)
        assert patient is not None
        return len(store.profile_versions(s, patient.id, last=1000))


def audit_outcomes(world: World, path: str) -> list[str]:
    with world.database.session() as s:
        return [r.outcome for r in access_store.all_audit_events(s) if r.path == path]


def test_password_rules() -> None:
    for bad, why in [
        ("short-pass1", "at least 12"),
        ("password1234", "most common"),
        ("aaaaaaaaaaaaaa", "too few"),
        ("my-name-is-maya-x", "user name"),
    ]:
        with pytest.raises(PasswordRejected, match=why):
            check_new_password(bad, "maya")
    check_new_password("correct horse battery", "maya")
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse battery!")


def test_sign_in_cookie_logout_and_rate_limit(world: World) -> None:
    c = client(world.app)
    token = login_csrf(c)
    wrong = c.post("/login", data={"username": "maya", "password": "nope-nope-nope", "csrf": token})
    assert wrong.status_code == 401 and "wrong" in wrong.text
    sign_in(c, "maya")
    cookie = c.cookies.get(SESSION_COOKIE)
    assert cookie
    me = c.get("/me")
    assert me.status_code == 303 and me.headers["location"] == f"/patients/{world.maya}/today"
    # Logout ends the session on the server: the old cookie no longer works.
    assert c.post("/logout", data={"csrf": session_csrf(c)}).status_code == 303
    replay = client(world.app)
    replay.cookies.set(SESSION_COOKIE, cookie, domain="testserver.local")
    assert replay.get(f"/patients/{world.maya}/today").status_code == 303
    # Five failures lock the name for the window, even with the right password next.
    attacker = client(world.app)
    for _ in range(5):
        t = login_csrf(attacker)
        attacker.post("/login", data={"username": "sam", "password": "guess-guess-1", "csrf": t})
    t = login_csrf(attacker)
    locked = attacker.post(
        "/login", data={"username": "sam", "password": "garden-patient-demo", "csrf": t}
    )
    assert locked.status_code == 429 and "Too many" in locked.text


def test_session_cookie_flags(world: World) -> None:
    c = client(world.app)
    token = login_csrf(c)
    response = c.post(
        "/login",
        data={"username": "dr.okafor", "password": "garden-clinician-demo", "csrf": token},
    )
    header = response.headers["set-cookie"].lower()
    assert f"{SESSION_COOKIE}=" in header
    for flag in ("httponly", "secure", "samesite=strict"):
        assert flag in header


def test_idle_timeout_ends_the_session(db_url: str) -> None:
    app = create_app(db_url, WebSettings(idle_timeout=timedelta(0)))
    load_demo(app.state.database)
    c = client(app)
    sign_in(c, "dr.okafor")
    response = c.get("/dashboard")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    app.state.database.dispose()


def test_profile_editor_errors_at_the_field_and_saves_nothing(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    csrf = session_csrf(c)
    created = c.post("/patients", data={"display_name": "Ada Quinn", "csrf": csrf})
    assert created.status_code == 303
    pid = created.headers["location"].rsplit("/", 1)[1]
    form = {
        "csrf": csrf,
        "person.sex": "female",
        "person.age": "52",
        "goals.sleep": "on",
        "medications[0].name": "levothyroxin",
        "medications[0].dose": "100 mcg",
        "medications[0].times": "06:30",
    }
    bad = c.post(f"/patients/{pid}/profile", data=form)
    assert bad.status_code == 200 and "Not saved" in bad.text
    assert "did you mean &#39;levothyroxine&#39;" in bad.text or "did you mean 'levothyroxine'" in (
        bad.text
    )
    field = re.search(r'<input[^>]*name="medications\[0\]\.name"[^>]*>', bad.text)
    assert field and 'aria-invalid="true"' in field[0] and 'value="levothyroxin"' in field[0]
    assert versions(world, pid) == 0
    assert audit_outcomes(world, f"/patients/{pid}/profile") == ["invalid"]
    # Without the CSRF token nothing is written either.
    form["medications[0].name"] = "levothyroxine"
    no_token = c.post(f"/patients/{pid}/profile", data={**form, "csrf": ""})
    assert no_token.status_code == 403 and versions(world, pid) == 0
    good = c.post(f"/patients/{pid}/profile", data=form)
    assert good.status_code == 303 and versions(world, pid) == 1
    page = c.get(f"/patients/{pid}").text
    assert "levothyroxine" in page and 'href="/kb/sources#label-levothyroxine"' in page
    assert audit_outcomes(world, f"/patients/{pid}/profile")[-1] == "ok"


def test_api_validates_plans_and_flags_item_9(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    headers = {"X-CSRF-Token": session_csrf(c)}
    made = c.post("/api/patients", json={"display_name": "Ben Ito"}, headers=headers)
    assert made.status_code == 201
    pid = made.json()["id"]
    bare = {
        "person": {"sex": "male", "age": 40},
        "goals": ["sleep"],
        "supplements": [{"name": "magnesium glycinate", "amount": "500"}],
    }
    refused = c.put(f"/api/patients/{pid}/profile", json=bare, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "supplements[0].amount"
    assert versions(world, pid) == 0
    profile = {
        "person": {"sex": "male", "age": 40},
        "goals": ["sleep"],
        "medications": [{"name": "ciprofloxacin", "dose": "500 mg", "times": ["08:00", "20:00"]}],
    }
    assert c.put(f"/api/patients/{pid}/profile", json=profile, headers=headers).status_code == 200
    plan = c.get(f"/api/patients/{pid}/plan").json()
    codes = {f["code"] for f in plan["findings"]}
    assert any("cipro" in code or "separation" in code for code in codes), codes
    assert all(f["sources"] for f in plan["findings"])
    no_csrf = c.put(f"/api/patients/{pid}/profile", json=profile)
    assert no_csrf.status_code == 403
    answers = {f"q{i}": 1 for i in range(1, 10)} | {"difficulty": 1}
    answers["q9"] = 2
    scored = c.post(
        f"/api/patients/{pid}/responses",
        json={"instrument": "phq9", "answers": answers},
        headers=headers,
    )
    assert scored.status_code == 201
    body = scored.json()
    assert body["flagged"] is True and body["total"] == 10
    resources = body["score"]["flags"][0]["resources"]["resources"]
    assert any("988" in r["contact"] for r in resources)
    dashboard = c.get("/dashboard").text
    attention = dashboard.split("Needs attention", 1)[1].split("</section>", 1)[0]
    assert "Ben Ito" in attention.split("</li>", 1)[0]  # the newest item-9 flag comes first
    out_of_range = c.post(
        f"/api/patients/{pid}/responses",
        json={"instrument": "phq9", "answers": {**answers, "q3": 7}},
        headers=headers,
    )
    assert out_of_range.status_code == 422 and out_of_range.json()["detail"][0]["field"] == (
        "answers.q3"
    )


def test_headers_openapi_and_no_patient_data_in_query_strings(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    record = c.get(f"/patients/{world.maya}")
    assert record.headers["cache-control"] == "no-store"
    csp = record.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert c.get("/static/htmx.min.js").headers["cache-control"].startswith("public")
    chart = c.get(f"/patients/{world.maya}/charts/phq9.svg")
    assert chart.status_code == 200 and chart.headers["cache-control"] == "no-store"
    assert "script-src" not in chart.headers["content-security-policy"]
    schema = c.get("/api/openapi.json").json()
    assert schema["paths"] and all(path.startswith("/api/") for path in schema["paths"])
    assert c.get("/docs").status_code == 404  # the Swagger page would load from a CDN
    # Every link and form on the clinician's pages carries ids in paths, never in queries.
    for page in ("/dashboard", f"/patients/{world.maya}", f"/patients/{world.maya}/today"):
        html = c.get(page).text
        assert not re.search(r'(href|src|action)="[^"]*\?', html), page
        assert 'method="get"' not in html.lower()
    templates = Path(__file__).parents[1] / "src/neurogarden/web/templates"
    get_forms = [t.name for t in templates.glob("*.html") if 'method="get"' in t.read_text()]
    # The audit filters by opaque ids (admin only); the claims by article and verdict.
    assert sorted(get_forms) == ["admin_audit.html", "kb_claims.html"]


def test_exports_print_and_calendar(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    patient_csv = c.get(f"/patients/{world.maya}/export.csv")
    assert patient_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(patient_csv.text)))
    scores = [r for r in rows if r[0] == "score"]
    assert [float(r[3]) for r in scores] == [20.0, 14.0, 9.0, 4.0]
    clinic = list(csv.reader(io.StringIO(c.get("/clinic/outcomes.csv").text)))
    maya = next(r for r in clinic if r and r[0] == world.maya)
    assert maya[2:7] == ["20.0", "4.0", "-80.0", "True", "True"]
    printable = c.get(f"/patients/{world.maya}/plan/print").text
    assert 'href="/static/print.css" media="print"' in printable and "References" in printable
    doses = printable.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "Take it with a meal that contains protein" in doses  # a note's words,
    assert "note-with-meal" not in doses  # never its id
    patient = client(world.app)
    sign_in(patient, "maya")
    ics = patient.get(f"/patients/{world.maya}/calendar.ics")
    calendar = Calendar.from_ical(ics.content)
    assert any(e.name == "VEVENT" for e in calendar.walk())


def test_demo_is_idempotent_and_covers_the_cases(world: World) -> None:
    assert load_demo(world.database) is False
    with world.database.session() as s:
        clinic = store.clinic_by_slug(s, "demo")
        assert clinic is not None
        roles = [u.role for u in store.users_of_clinic(s, clinic.id)]
        patients = store.patients_of_clinic(s, clinic.id)
        responses = store.responses_of(s, [p.id for p in patients], "phq9")
    assert roles.count("admin") == 1 and roles.count("clinician") == 2
    assert len(patients) == 12
    assert sum(r.flagged for r in responses) == 1


def test_knowledge_base_browser(world: World) -> None:
    c = client(world.app)
    sign_in(c, "maya")
    claims = c.get("/kb/claims").text
    assert "NMDA" in claims and "contradicted" in claims
    sources = c.get("/kb/sources").text
    assert 'id="label-levofloxacin"' in sources
    separations = c.get("/kb/separations").text
    assert "levofloxacin" in separations


def test_day_food_log_counts_towards_the_rda_and_refuses_bad_entries(world: World) -> None:
    c = client(world.app)
    sign_in(c, "maya")
    csrf = session_csrf(c)
    url = f"/patients/{world.maya}/diet"
    typo = c.post(url, data={"csrf": csrf, "food": "pumpkin sedes", "amount": "1 oz"})
    assert "Not saved" in typo.text and "did you mean" in typo.text
    bare = c.post(url, data={"csrf": csrf, "food": "pumpkin seeds", "amount": "30"})
    assert "Not saved" in bare.text and "amount" in bare.text
    with world.database.session() as s:
        patient = store.patient_by_public_id(s, world.maya)
        assert patient is not None
        today = records.clinic_today(directory.clinic_by_slug(s, "demo"))
        assert not store.diet_entries_of(s, patient.id, today)
    ok = c.post(url, data={"csrf": csrf, "food": "pumpkin seeds", "amount": "1 oz"})
    assert ok.status_code == 303
    today = c.get(f"/patients/{world.maya}/today").text
    found = re.search(r"Magnesium from food today: <strong>([\d.,]+) mg</strong>", today)
    assert found and 150 <= float(found[1]) <= 160  # ODS: 1 oz pumpkin seeds ≈ 156 mg


def test_a_clinician_finds_a_patient_by_part_of_the_name(world: World) -> None:
    """By POST, so the name is in no address; any case; each name listed is audited;
    too short a text is refused at the field; LIKE's wildcards are only letters."""
    c = client(world.app)
    sign_in(c, "dr.okafor")
    assert 'action="/patients/search"' in c.get("/dashboard").text
    csrf = session_csrf(c)
    part = world.maya_name.split()[0].lower()
    found = c.post("/patients/search", data={"name": f"  {part}  ", "csrf": csrf})
    assert found.status_code == 200 and world.maya_name in found.text
    assert f'href="/patients/{world.maya}"' in found.text
    with world.database.session() as s:
        shown = [
            r for r in access_store.all_audit_events(s)
            if r.path == "/patients/search" and r.patient_id == world.maya
        ]  # fmt: skip
    assert shown and shown[-1].username == "dr.okafor"
    short = c.post("/patients/search", data={"name": "m", "csrf": csrf})
    assert short.status_code == FORM_ERROR_STATUS and 'aria-invalid="true"' in short.text
    assert "name: enter 2 to 200 letters of the patient&#39;s name" in short.text
    made = c.post("/patients", data={"display_name": "Élodie Ünal", "csrf": csrf})
    assert made.status_code == 303
    accented = c.post("/patients/search", data={"name": "élodie ü", "csrf": csrf})
    assert "Élodie Ünal" in accented.text  # any case, beyond ASCII, on both databases
    wildcard = c.post("/patients/search", data={"name": "%%", "csrf": csrf})
    assert wildcard.status_code == 200 and "No patient's name contains" in wildcard.text
    assert world.maya_name not in wildcard.text
    patient = client(world.app)
    sign_in(patient, "maya")
    refused = patient.post("/patients/search", data={"name": part, "csrf": session_csrf(patient)})
    assert refused.status_code == 404

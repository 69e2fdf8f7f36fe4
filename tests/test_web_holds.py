"""A clinician lifts a hold from the patient's page with a reason; the plan then keeps
to the lowest dose. On SQLite and on PostgreSQL."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from neurogarden.clinic import directory, patient_state, records
from neurogarden.clinic.demo import CLINIC_SLUG
from neurogarden.storage import clinic as store
from webkit import World, client, session_csrf, sign_in

pytest_plugins = ("webkit",)


def elena(world: World) -> str:
    """The demo patient whose eGFR of 24 holds magnesium."""
    with world.database.session() as s:
        clinic = store.clinic_by_slug(s, CLINIC_SLUG)
        assert clinic is not None
        found = [
            p for p in store.patients_of_clinic(s, clinic.id) if p.display_name.startswith("Elena")
        ]
        return found[0].public_id


def new_patient(c: TestClient, csrf: str) -> str:
    made = c.post("/patients", data={"display_name": "Ada Quinn", "csrf": csrf})
    return str(made.headers["location"].rsplit("/", 1)[1])


def plan_of(world: World, public_id: str) -> records.PatientState:
    with world.database.session() as s:
        patient = directory.patient(s, public_id)
        assert patient is not None
        return patient_state.load_state(s, patient, directory.clinic_by_slug(s, CLINIC_SLUG))


def test_a_clinician_lifts_the_egfr_hold_with_a_reason(world: World) -> None:
    pid = elena(world)
    c = client(world.app)
    sign_in(c, "dr.okafor")
    page = c.get(f"/patients/{pid}")
    assert "Reason to lift <code>kidney-egfr-below-30</code>" in page.text
    empty = c.post(
        f"/patients/{pid}/overrides",
        data={"csrf": session_csrf(c), "code": "kidney-egfr-below-30", "reason": " "},
    )
    assert "give the reason" in empty.text and 'aria-invalid="true"' in empty.text
    before = plan_of(world, pid).plan
    assert before is not None and before.supplements == () and before.has_block()
    lifted = c.post(
        f"/patients/{pid}/overrides",
        data={
            "csrf": session_csrf(c),
            "code": "kidney-egfr-below-30",
            "reason": "nephrology agrees; serum Mg monthly",
        },
        follow_redirects=False,
    )
    assert lifted.status_code == 303
    after = plan_of(world, pid).plan
    assert after is not None and not after.has_block()
    hold = next(f for f in after.findings if f.code == "kidney-egfr-below-30")
    assert hold.overridden is not None and hold.overridden.by == "Dr Okafor"
    assert 0 < after.totals["magnesium"].supplemental_mg <= 100
    assert "overridden by Dr Okafor: nephrology agrees" in c.get(f"/patients/{pid}").text


def test_an_override_of_a_code_that_is_not_a_block_is_refused(world: World) -> None:
    pid = elena(world)
    c = client(world.app)
    sign_in(c, "dr.okafor")
    bad = c.post(
        f"/patients/{pid}/overrides",
        data={"csrf": session_csrf(c), "code": "separation-kept", "reason": "because"},
    )
    assert "matches no block that can be overridden" in bad.text
    plan = plan_of(world, pid).plan
    assert plan is not None and plan.has_block()


def test_a_patient_cannot_lift_a_hold(world: World) -> None:
    c = client(world.app)
    sign_in(c, "maya")
    answer = c.post(
        f"/patients/{world.maya}/overrides",
        data={"csrf": session_csrf(c), "code": "kidney-egfr-below-30", "reason": "I want it"},
    )
    assert answer.status_code == 404


def test_a_non_finite_amount_is_refused_at_its_field_by_page_and_api(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    csrf = session_csrf(c)
    pid = new_patient(c, csrf)
    form = {
        "csrf": csrf,
        "person.sex": "female",
        "person.age": "52",
        "goals.sleep": "on",
        "supplements[0].name": "magnesium glycinate",
        "supplements[0].amount": "nan mg",
    }
    page = c.post(f"/patients/{pid}/profile", data=form)
    assert "must be a finite amount, got &#39;nan mg&#39;" in page.text
    field = re.search(r'<input[^>]*name="supplements\[0\]\.amount"[^>]*>', page.text)
    assert field is not None and 'aria-invalid="true"' in field.group(0)
    profile = {
        "person": {"sex": "female", "age": 52},
        "medications": [{"name": "sertraline", "dose": "1e309 mg"}],
    }
    api = c.put(f"/api/patients/{pid}/profile", json=profile, headers={"X-CSRF-Token": csrf})
    assert api.status_code == 422
    assert api.json()["detail"][0] == {
        "field": "medications[0].dose",
        "message": "must be a finite amount, got '1e309 mg'",
    }


def test_every_profile_error_is_shown_at_its_field_at_once(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    csrf = session_csrf(c)
    pid = new_patient(c, csrf)
    form = {
        "csrf": csrf,
        "person.sex": "female",
        "person.age": "52",
        "goals.sleep": "on",
        "medications[0].name": "levothyroxin",
        "supplements[0].name": "magnesium glycinate",
        "supplements[0].amount": "400",
    }
    page = c.post(f"/patients/{pid}/profile", data=form)
    for name in ("medications[0].name", "supplements[0].amount"):
        field = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page.text)
        assert field is not None and 'aria-invalid="true"' in field.group(0), name
    profile = {
        "person": {"sex": "female", "age": 52, "egfr": 900},
        "medications": [{"name": "levothyroxin"}],
        "supplements": [{"name": "magnesium glycinate", "amount": "400"}],
    }
    api = c.put(f"/api/patients/{pid}/profile", json=profile, headers={"X-CSRF-Token": csrf})
    assert api.status_code == 422
    assert [d["field"] for d in api.json()["detail"]] == [
        "person.egfr",
        "medications[0].name",
        "supplements[0].amount",
    ]

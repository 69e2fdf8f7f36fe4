"""Recovery support on the web and the API: the log, its alerts on the dashboard, the
combination findings, the options for the clinician, and never a kratom recommendation."""

from __future__ import annotations

from neurogarden.storage import clinic as store
from webkit import World, client, session_csrf, sign_in

pytest_plugins = ("webkit",)


def recovery_patient(world: World) -> str:
    """The demo's patient on kratom and gabapentin, with rising use and a COWS of 14."""
    with world.database.session() as s:
        clinic = store.clinic_by_slug(s, "demo")
        assert clinic is not None
        found = [p for p in store.patients_of_clinic(s, clinic.id) if p.display_name[:5] == "Tomás"]
        return found[0].public_id


def test_dashboard_alerts_findings_and_options(world: World) -> None:
    pid = recovery_patient(world)
    c = client(world.app)
    sign_in(c, "dr.okafor")
    attention = c.get("/dashboard").text.split("Needs attention", 1)[1].split("</section>")[0]
    for text in ("Kratom with opioids", "COWS 14", "Rising use"):
        assert text in attention, text
    plan = c.get(f"/api/patients/{pid}/plan").json()
    blocks = [f for f in plan["findings"] if f["severity"] == "block"]
    assert any("kratom" in f["message"].lower() for f in blocks)
    assert all(f["sources"] for f in plan["findings"])
    assert not any("kratom" in d["name"].lower() for d in plan["supplements"])
    record = c.get(f"/patients/{pid}").text
    assert "Evidence-based options" in record and "buprenorphine" in record
    assert 'href="/kb/sources#fda-moud"' in record
    chart = c.get(f"/patients/{pid}/charts/recovery.svg")
    assert chart.status_code == 200 and "<title" in chart.text
    alerts = {a["code"] for a in c.get(f"/api/patients/{pid}/recovery").json()["alerts"]}
    assert len(alerts) == 3, alerts


def test_log_entries_are_validated_by_the_core(world: World) -> None:
    pid = recovery_patient(world)
    c = client(world.app)
    sign_in(c, "dr.okafor")
    headers = {"X-CSRF-Token": session_csrf(c)}
    url = f"/api/patients/{pid}/recovery"
    before = len(c.get(url).json()["log"]["uses"])
    for body, field in [
        ({"kind": "use", "day": "2026-11-01", "substance": "kratum", "amount": "2 g"}, "substance"),
        ({"kind": "use", "day": "2026-11-01", "substance": "kratom", "amount": "2"}, "amount"),
        ({"kind": "craving", "day": "2026-11-01", "rating": 11}, "rating"),
        ({"kind": "use", "day": "2999-01-01", "substance": "kratom", "amount": "2 g"}, "day"),
    ]:
        refused = c.post(url, json=body, headers=headers)
        assert refused.status_code == 422, body
        assert refused.json()["detail"][0]["field"].endswith(field), refused.json()
    assert len(c.get(url).json()["log"]["uses"]) == before
    yesterday = c.get(url).json()["log"]["cravings"][-1]["day"]  # the demo logs up to then
    ok = c.post(
        url,
        json={"kind": "use", "day": yesterday, "substance": "7-OH", "amount": "10 mg"},
        headers=headers,
    )
    assert ok.status_code == 201 and ok.json()["substance"] != "7-OH"  # stored as its id
    findings = c.get(url).json()["findings"]
    assert any(f["severity"] == "block" and "7-OH" in f["message"] for f in findings), findings


def test_patient_logs_a_craving_and_sees_no_clinician_options(world: World) -> None:
    c = client(world.app)
    sign_in(c, "maya")
    csrf = session_csrf(c)
    today = c.get(f"/patients/{world.maya}/today").text
    assert 'id="recovery"' not in today  # Maya has no recovery log or substances
    posted = c.post(
        f"/patients/{world.maya}/recovery",
        data={"csrf": csrf, "kind": "craving", "rating": "3", "day": "2026-11-01"},
    )
    assert posted.status_code == 303
    page = c.get(f"/patients/{world.maya}/today").text
    assert 'id="recovery"' in page and "Evidence-based options" not in page
    again = c.post(
        f"/patients/{world.maya}/recovery",
        data={"csrf": csrf, "kind": "craving", "rating": "5", "day": "2026-11-01"},
    )
    assert "Not saved" in again.text and "already has a rating" in again.text

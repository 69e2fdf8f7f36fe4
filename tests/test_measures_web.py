"""The measurement schedule in the clinic: session follow-ups fall due and are missed in
the patient's zone, a missed window raises an alert the dashboard shows, an answer
fulfils the open item, moving a session moves its items, and a clinician changes a
recurring questionnaire for one patient. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from neurogarden.clinic import measures
from neurogarden.clinic.values import ClinicInfo, PatientInfo
from neurogarden.storage import clinic as store
from webkit import World, client, session_csrf, sign_in

pytest_plugins = ("webkit",)

BERLIN = ZoneInfo("Europe/Berlin")
PROFILE = {"person": {"sex": "female", "age": 41}, "timezone": "Europe/Berlin"}
CLEAN = {"instrument": "phq9", "answers": {**{f"q{i}": 1 for i in range(1, 10)}, "difficulty": 0}}


def doctor(world: World) -> tuple[TestClient, dict[str, str]]:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    return c, {"X-CSRF-Token": session_csrf(c)}


def new_patient(c: TestClient, headers: dict[str, str]) -> str:
    made = c.post("/api/patients", json={"display_name": "Schedule Test"}, headers=headers)
    pid = str(made.json()["id"])
    assert c.put(f"/api/patients/{pid}/profile", json=PROFILE, headers=headers).status_code == 200
    return pid


def add_session(c: TestClient, headers: dict[str, str], pid: str, start: datetime) -> str:
    made = c.post(
        f"/api/patients/{pid}/sessions",
        json={"start": start.isoformat(), "route": "sublingual"},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def by_key(schedule: dict[str, Any], ending: str) -> dict[str, Any]:
    [item] = [i for i in schedule["items"] if i["key"].endswith(ending)]
    return item


def test_the_day_after_phq9_is_due_then_done_and_the_missed_one_is_an_alert(world: World) -> None:
    c, headers = doctor(world)
    pid = new_patient(c, headers)
    start = (datetime.now(UTC) - timedelta(hours=30)).astimezone(BERLIN).replace(microsecond=0)
    sid = add_session(c, headers, pid, start)
    schedule = c.get(f"/api/patients/{pid}/measures").json()
    assert schedule["timezone"] == "Europe/Berlin"
    after = by_key(schedule, f"session-{sid}:phq9:+1")
    assert after["state"] == "due" and after["session_id"] == sid
    assert datetime.fromisoformat(after["due"]) == start + timedelta(days=1)
    before = by_key(schedule, f"session-{sid}:phq9:+0")
    assert before["state"] == "missed"  # its window closed when the session began

    page = c.get("/dashboard").text  # the clinician's next look raises the missed alert
    assert "PHQ-9 not answered: before the session" in page
    assert "Overdue questionnaires" in page

    assert c.post(f"/api/patients/{pid}/responses", json=CLEAN, headers=headers).status_code == 201
    schedule = c.get(f"/api/patients/{pid}/measures").json()
    assert by_key(schedule, f"session-{sid}:phq9:+1")["state"] == "done"
    assert schedule["counts"]["done"] >= 1 and schedule["last_response"] is not None

    moved = c.post(
        f"/api/patients/{pid}/sessions/{sid}/move",
        json={"start": (start + timedelta(days=3)).isoformat(), "note": "moved"},
        headers=headers,
    )
    assert moved.status_code == 200
    schedule = c.get(f"/api/patients/{pid}/measures").json()
    after = by_key(schedule, f"session-{sid}:phq9:+1")
    assert datetime.fromisoformat(after["due"]) == start + timedelta(days=4)
    assert after["state"] == "upcoming"
    cancelled = c.post(
        f"/api/patients/{pid}/sessions/{sid}/cancel", json={"note": "ill"}, headers=headers
    )
    assert cancelled.status_code == 200
    schedule = c.get(f"/api/patients/{pid}/measures").json()
    assert not [i for i in schedule["items"] if i["session_id"] == sid]


def test_on_a_fixed_clock_the_session_of_1_march_makes_2_march_due_then_missed(
    world: World,
) -> None:
    c, headers = doctor(world)
    pid = new_patient(c, headers)
    add_session(c, headers, pid, datetime(2026, 3, 1, 10, 0, tzinfo=BERLIN))
    with world.database.session() as s:
        row = store.patient_by_public_id(s, pid)
        assert row is not None
        clinic = store.clinic_by_id(s, row.clinic_id)
        assert clinic is not None
        patient, info = PatientInfo.of(row), ClinicInfo.of(clinic)

        def state_at(now: datetime) -> str:
            schedule = measures.schedule_of(s, patient, info, now)
            [item] = [i for i in schedule.items if i.item.key.endswith("phq9:+1")]
            return item.state

        assert state_at(datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)) == "upcoming"
        assert state_at(datetime(2026, 3, 2, 12, 0, tzinfo=BERLIN)) == "due"
        assert state_at(datetime(2026, 3, 3, 10, 1, tzinfo=BERLIN)) == "missed"


def test_a_clinician_changes_a_recurring_questionnaire_for_one_patient(world: World) -> None:
    c, headers = doctor(world)
    pid = new_patient(c, headers)
    url = f"/api/patients/{pid}/measures/weekly-gad7"
    off = c.put(url, json={"active": False, "every_days": 14, "at": "18:30", "open_hours": 48},
                headers=headers)  # fmt: skip
    assert off.status_code == 200, off.text
    assert off.json() | {} == {
        "id": "weekly-gad7", "instrument": "gad7", "label": "weekly GAD-7", "active": False,
        "every_days": 14, "at": "18:30", "open_hours": 48.0, "set_by_clinician": True,
    }  # fmt: skip
    schedule = c.get(f"/api/patients/{pid}/measures").json()
    assert not [i for i in schedule["items"] if i["key"].startswith("weekly-gad7:")]
    assert [i for i in schedule["items"] if i["key"].startswith("weekly-phq9:")]

    bad = c.put(url, json={"active": True, "every_days": 7, "at": "25:00", "open_hours": 48},
                headers=headers)  # fmt: skip
    assert bad.status_code == 422
    assert [p["field"] for p in bad.json()["detail"]] == ["at"]
    unknown = c.put(f"/api/patients/{pid}/measures/nope",
                    json={"active": True, "every_days": 7, "at": "09:00", "open_hours": 48},
                    headers=headers)  # fmt: skip
    assert unknown.status_code == 404

    page = c.post(
        f"/patients/{pid}/measures/weekly-phq9",
        data={"csrf": headers["X-CSRF-Token"], "active": "on", "every_days": "0", "at": "9",
              "open_hours": "48"},
    )  # fmt: skip
    assert page.status_code == 200  # the form again, with the errors at the measure
    assert "every_days: expected a whole number of days from 1 to 365" in page.text
    assert "at: expected a time of day as HH:MM" in page.text


def test_the_patient_sees_what_is_due_on_today_and_cannot_change_the_schedule(
    world: World,
) -> None:
    c, headers = doctor(world)
    start = (datetime.now(UTC) - timedelta(hours=26)).astimezone(BERLIN).replace(microsecond=0)
    add_session(c, headers, world.maya, start)
    maya = client(world.app)
    sign_in(maya, "maya")
    today = maya.get(f"/patients/{world.maya}/today").text
    assert "Waiting for you now" in today and "one day after" in today
    mine = maya.get(f"/api/patients/{world.maya}/measures")
    assert mine.status_code == 200
    refused = maya.put(
        f"/api/patients/{world.maya}/measures/weekly-phq9",
        json={"active": False, "every_days": 7, "at": "09:00", "open_hours": 48},
        headers={"X-CSRF-Token": session_csrf(maya)},
    )
    assert refused.status_code in (403, 404)
    other = maya.get(f"/api/patients/{world.sam}/measures")
    assert other.status_code == 404


def test_a_clinic_that_switches_missed_alerts_off_gets_none(world: World) -> None:
    admin = client(world.app)
    sign_in(admin, "admin")
    saved = admin.post(
        "/admin/clinic",
        data={"csrf": session_csrf(admin), "name": "Riverside Integrative Clinic",
              "locale": "US", "timezone": "America/New_York", "clinic_wide_care": "on"},
    )  # fmt: skip
    assert saved.status_code == 303
    assert 'name="missed_measure_alerts" checked' not in admin.get("/admin/clinic").text
    c, headers = doctor(world)
    pid = new_patient(c, headers)
    start = (datetime.now(UTC) - timedelta(hours=30)).astimezone(BERLIN).replace(microsecond=0)
    sid = add_session(c, headers, pid, start)
    missed = by_key(c.get(f"/api/patients/{pid}/measures").json(), f"session-{sid}:phq9:+0")
    assert missed["state"] == "missed"  # still missed on the record
    record = c.get(f"/patients/{pid}").text
    assert "not answered" not in record  # but no alert


def test_the_patients_view_is_read_only_for_a_clinician(world: World) -> None:
    """A clinician reads what the patient ticked and ate, and cannot record it for them."""
    c, headers = doctor(world)
    page = c.get(f"/patients/{world.maya}/today").text
    assert "read-only" in page
    assert 'action="/patients/' + world.maya + '/ticks"' not in page
    assert 'action="/patients/' + world.maya + '/diet"' not in page
    csrf = headers["X-CSRF-Token"]
    tick = c.post(f"/patients/{world.maya}/ticks",
                  data={"csrf": csrf, "kind": "dose", "item": "x", "done": "on"})  # fmt: skip
    food = c.post(f"/patients/{world.maya}/diet",
                  data={"csrf": csrf, "food": "pumpkin seeds", "amount": "1 oz"})  # fmt: skip
    assert (tick.status_code, food.status_code) == (404, 404)
    maya = client(world.app)
    sign_in(maya, "maya")
    own = maya.get(f"/patients/{world.maya}/today").text
    assert 'action="/patients/' + world.maya + '/ticks"' in own and "read-only" not in own


def test_a_questionnaire_form_names_the_patient_it_is_for(world: World) -> None:
    c, _headers = doctor(world)
    cows = c.get(f"/patients/{world.maya}/questionnaires/cows").text
    assert f"For <strong>{world.maya_name}</strong>" in cows
    maya = client(world.app)
    sign_in(maya, "maya")
    own = maya.get(f"/patients/{world.maya}/questionnaires/phq9").text
    assert "For <strong>" not in own and "Recall period: the last 2 weeks." in own


def test_a_chart_states_its_values_in_its_alt_text(world: World) -> None:
    maya = client(world.app)
    sign_in(maya, "maya")
    today = maya.get(f"/patients/{world.maya}/today").text
    [alt] = re.findall(r'charts/phq9\.svg" alt="([^"]*)"', today)
    assert alt.startswith("PHQ-9 totals: 20 on ") and alt.count(" on ") >= 4
    c, _headers = doctor(world)
    record = c.get(f"/patients/{world.maya}").text
    assert re.findall(r'charts/phq9\.svg" alt="([^"]*)"', record) == [alt]


def test_the_api_names_a_bad_recurring_choice_in_our_own_words(world: World) -> None:
    c, headers = doctor(world)
    pid = new_patient(c, headers)
    bad = c.put(f"/api/patients/{pid}/measures/weekly-phq9",
                json={"active": True, "every_days": 0, "at": "9", "open_hours": 999},
                headers=headers)  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["detail"] == [
        {"field": "every_days", "message": "expected a whole number of days from 1 to 365; got 0"},
        {
            "field": "open_hours",
            "message": "expected a whole number of hours from 1 to 336; got 999",
        },
        {"field": "at", "message": "expected a time of day as HH:MM, e.g. 09:00; got '9'"},
    ]

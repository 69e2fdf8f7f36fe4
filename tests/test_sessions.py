"""KAP sessions as records with stable ids: the window, its checklist ticks and the
follow-up measures hang on the id; moving a session moves them, cancelling removes
them, and each change re-runs the safety gate. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from webkit import World, client, session_csrf, sign_in

pytest_plugins = ("webkit",)

PSYCHOSIS = {
    "person": {"sex": "female", "age": 41, "conditions": ["psychosis-history"]},
    "timezone": "America/New_York",
    "goals": ["kap_integration"],
}


def doctor(world: World) -> tuple[TestClient, dict[str, str]]:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    return c, {"X-CSRF-Token": session_csrf(c)}


def new_patient(c: TestClient, headers: dict[str, str], profile: dict[str, Any]) -> str:
    made = c.post("/api/patients", json={"display_name": "Session Test"}, headers=headers)
    pid = str(made.json()["id"])
    assert c.put(f"/api/patients/{pid}/profile", json=profile, headers=headers).status_code == 200
    return pid


def windows_and_events(c: TestClient, pid: str) -> tuple[list[Any], list[Any]]:
    plan = c.get(f"/api/patients/{pid}/plan").json()
    return plan["windows"], plan["events"]


def test_a_session_keeps_its_id_while_it_moves_and_its_window_and_follow_ups_go_with_it(
    world: World,
) -> None:
    c, headers = doctor(world)
    pid = new_patient(c, headers, {**PSYCHOSIS, "person": {"sex": "male", "age": 38}})
    start = datetime.combine(date.today() + timedelta(days=10), datetime.min.time()).replace(
        hour=10
    )
    made = c.post(
        f"/api/patients/{pid}/sessions",
        json={"start": start.isoformat(), "route": "sublingual", "setting": "clinic"},
        headers=headers,
    )
    assert made.status_code == 201
    session = made.json()
    sid = session["id"]
    assert session["state"] == "scheduled"
    [window], events = windows_and_events(c, pid)
    assert window["session"]["id"] == sid
    assert events and {e["session_id"] for e in events} == {sid}
    dues = [datetime.fromisoformat(e["due"]) for e in events]

    moved = c.post(
        f"/api/patients/{pid}/sessions/{sid}/move",
        json={"start": (start + timedelta(days=2)).isoformat(), "note": "patient asked"},
        headers=headers,
    )
    assert moved.status_code == 200 and moved.json()["id"] == sid
    assert moved.json()["note"] == "patient asked"
    [window], events = windows_and_events(c, pid)
    assert window["session"]["id"] == sid
    assert window["start"].startswith((start + timedelta(days=2)).date().isoformat())
    assert [datetime.fromisoformat(e["due"]) - d for e, d in zip(events, dues, strict=True)] == [
        timedelta(days=2)
    ] * len(events)

    future = c.post(f"/api/patients/{pid}/sessions/{sid}/done", headers=headers)
    assert future.status_code == 422
    assert future.json()["detail"] == [
        {"field": "session", "message": "a session in the future cannot be done"}
    ]
    bare = c.post(f"/api/patients/{pid}/sessions/{sid}/cancel", json={"note": ""}, headers=headers)
    assert bare.status_code == 422 and bare.json()["detail"][0]["field"] == "note"
    cancelled = c.post(
        f"/api/patients/{pid}/sessions/{sid}/cancel",
        json={"note": "rescheduled with another clinic"},
        headers=headers,
    )
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert windows_and_events(c, pid) == ([], [])
    again = c.post(
        f"/api/patients/{pid}/sessions/{sid}/move",
        json={"start": start.isoformat()},
        headers=headers,
    )
    assert again.status_code == 422
    assert again.json()["detail"][0]["message"] == "a cancelled session cannot be moved"
    listed = c.get(f"/api/patients/{pid}/sessions").json()
    assert [(s["id"], s["state"]) for s in listed] == [(sid, "cancelled")]


def test_scheduling_and_cancelling_re_run_the_gate(world: World) -> None:
    """A history of psychosis blocks a session only once there is one: scheduling it
    raises the block (and its alert), cancelling it takes the block off the plan."""
    c, headers = doctor(world)
    pid = new_patient(c, headers, PSYCHOSIS)
    plan = c.get(f"/api/patients/{pid}/plan").json()
    assert not [f for f in plan["findings"] if f["code"] == "kap-psychosis-history"]
    start = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    sid = c.post(
        f"/api/patients/{pid}/sessions",
        json={"start": start.isoformat(), "route": "iv"},
        headers=headers,
    ).json()["id"]
    plan = c.get(f"/api/patients/{pid}/plan").json()
    [block] = [f for f in plan["findings"] if f["code"] == "kap-psychosis-history"]
    assert block["severity"] == "block"
    section = c.get(f"/patients/{pid}").text.split('id="alerts"', 1)[1].split("</section>")[0]
    [alert] = section.split('<li class="alert block"')[1:]
    assert "History of psychosis" in alert and "(open)" in alert
    c.post(f"/api/patients/{pid}/sessions/{sid}/cancel", json={"note": "gate"}, headers=headers)
    plan = c.get(f"/api/patients/{pid}/plan").json()
    assert not [f for f in plan["findings"] if f["code"] == "kap-psychosis-history"]


def test_window_ticks_belong_to_their_session(world: World) -> None:
    """A checklist tick names its session; once the session is cancelled its window
    takes no more ticks. The patient ticks; their clinician schedules and closes."""
    c, headers = doctor(world)
    pid = world.maya
    start = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)
    sid = c.post(
        f"/api/patients/{pid}/sessions",
        json={"start": start.isoformat(), "route": "sublingual"},
        headers=headers,
    ).json()["id"]
    windows, _ = windows_and_events(c, pid)
    [window] = [w for w in windows if w["session"]["id"] == sid]
    item = f"{sid}:{window['checklist'][0]['id']}"
    maya = client(world.app)
    sign_in(maya, "maya")
    csrf = session_csrf(maya)
    form = {"csrf": csrf, "kind": "checklist", "item": item, "done": "on"}
    ticked = maya.post(f"/patients/{pid}/ticks", data=form)
    assert ticked.status_code == 303
    with world.database.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT session_id FROM ticks WHERE item = :i"), {"i": item}
        ).scalar()
    assert stored == int(sid)
    done = c.post(f"/api/patients/{pid}/sessions/{sid}/done", headers=headers)
    assert done.status_code == 200 and done.json()["state"] == "done"
    cancel_done = c.post(
        f"/api/patients/{pid}/sessions/{sid}/cancel", json={"note": "too late"}, headers=headers
    )
    assert cancel_done.json()["detail"][0]["message"] == "a done session cannot be cancelled"
    for wrong in ("999999:no-alcohol", "abc", f"{sid}:"):
        refused = maya.post(
            f"/patients/{pid}/ticks",
            data={"csrf": csrf, "kind": "checklist", "item": wrong, "done": "on"},
        )
        assert "Not saved: item: no such session window on this record" in refused.text


def test_a_profile_never_carries_sessions(world: World) -> None:
    c, headers = doctor(world)
    pid = new_patient(c, headers, PSYCHOSIS)
    refused = c.put(
        f"/api/patients/{pid}/profile",
        json={**PSYCHOSIS, "sessions": [{"start": "2027-01-05T10:00", "route": "iv"}]},
        headers=headers,
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "sessions"
    assert c.get(f"/api/patients/{pid}/sessions").json() == []


def test_the_record_page_moves_and_cancels_a_session(world: World) -> None:
    c, headers = doctor(world)
    csrf = headers["X-CSRF-Token"]
    pid = new_patient(c, headers, {**PSYCHOSIS, "person": {"sex": "female", "age": 29}})
    first = datetime.combine(date.today() + timedelta(days=60), datetime.min.time()).replace(
        hour=10
    )
    later = first + timedelta(days=2, minutes=-30)
    made = c.post(
        f"/patients/{pid}/sessions",
        data={"csrf": csrf, "start": f"{first:%Y-%m-%dT%H:%M}", "route": "iv", "setting": "clinic"},
    )
    assert made.status_code == 303
    [session] = c.get(f"/api/patients/{pid}/sessions").json()
    sid = session["id"]
    page = c.get(f"/patients/{pid}").text
    assert f'id="session-{sid}"' in page and f"{first:%a %d %b %Y %H:%M}" in page
    bad = c.post(f"/patients/{pid}/sessions/{sid}/move", data={"csrf": csrf, "start": "soon"})
    assert "Not saved: start: expected a date and time like 2026-11-24T10:00" in bad.text
    moved = c.post(
        f"/patients/{pid}/sessions/{sid}/move",
        data={"csrf": csrf, "start": f"{later:%Y-%m-%dT%H:%M}"},
    )
    assert moved.status_code == 303 and moved.headers["location"].endswith(f"#session-{sid}")
    assert f"{later:%a %d %b %Y %H:%M}" in c.get(f"/patients/{pid}").text
    cancelled = c.post(
        f"/patients/{pid}/sessions/{sid}/cancel", data={"csrf": csrf, "note": "unwell"}
    )
    assert cancelled.status_code == 303
    page = c.get(f"/patients/{pid}").text
    entry = page.split(f'id="session-{sid}"', 1)[1].split("</li>", 1)[0]
    assert "cancelled" in entry and "unwell" in entry and "integration window" not in entry

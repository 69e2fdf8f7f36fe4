"""The care loop: a crisis alert stays open until a clinician records the follow-up, the
patient reads plain words with tappable numbers, and care teams decide who sees whom.
On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import text

from neurogarden.storage import access as access_store
from webkit import World, client, session_csrf, sign_in

pytest_plugins = ("webkit",)

CLEAN = {"instrument": "phq9", "answers": {**{f"q{i}": 0 for i in range(1, 10)}, "difficulty": 0}}
ITEM9 = {"instrument": "phq9", "answers": {**CLEAN["answers"], "q9": 1}}


def as_user(world: World, username: str) -> tuple[TestClient, str]:
    c = client(world.app)
    sign_in(c, username)
    return c, session_csrf(c)


def open_crisis_ids(c: TestClient, pid: str) -> list[int]:
    page = c.get(f"/patients/{pid}").text
    section = page.split('id="alerts"', 1)[1].split("</section>", 1)[0]
    unresolved = section.split("<details>", 1)[0]
    return [int(i) for i in re.findall(r'class="alert crisis" id="alert-(\d+)"', unresolved)]


def test_a_crisis_alert_outlives_a_clean_score_and_only_a_clinician_resolves_it(
    world: World,
) -> None:
    sam, sam_csrf = as_user(world, "sam")
    url = f"/api/patients/{world.sam}/responses"
    flagged = sam.post(url, json=ITEM9, headers={"X-CSRF-Token": sam_csrf})
    assert flagged.status_code == 201 and flagged.json()["flagged"] is True
    today = sam.get(f"/patients/{world.sam}/today").text
    assert 'href="tel:988"' in today and 'href="sms:988"' in today and 'href="tel:911"' in today
    assert "C-SSRS" not in today and "item 9" not in today.lower()
    screen = sam.get(f"/patients/{world.sam}/crisis")
    assert screen.status_code == 200
    assert 'href="tel:988"' in screen.text and 'href="sms:911"' not in screen.text
    assert "care team" in screen.text and "C-SSRS" not in screen.text

    clean = sam.post(url, json=CLEAN, headers={"X-CSRF-Token": sam_csrf})
    assert clean.status_code == 201 and clean.json()["flagged"] is False
    doctor, csrf = as_user(world, "dr.okafor")
    [alert] = open_crisis_ids(doctor, world.sam)
    dashboard = doctor.get("/dashboard").text
    first = dashboard.split('class="alerts"', 1)[1].split("</li>", 1)[0]
    assert "alert crisis" in first and world.sam in first  # the crisis is the first line

    for path in ("acknowledge", "follow-up"):  # the patient cannot work it by any route
        tried = sam.post(
            f"/patients/{world.sam}/alerts/{alert}/{path}",
            data={"csrf": sam_csrf, "outcome": "safety-plan", "note": "fine"},
        )
        assert tried.status_code == 404
    assert open_crisis_ids(doctor, world.sam) == [alert]

    base = f"/patients/{world.sam}/alerts/{alert}"
    ack = doctor.post(f"{base}/acknowledge", data={"csrf": csrf, "note": "Calling now"})
    assert ack.status_code == 303
    assert open_crisis_ids(doctor, world.sam) == [alert]  # acknowledged is not resolved
    missed = doctor.post(
        f"{base}/follow-up",
        data={"csrf": csrf, "outcome": "could-not-reach", "note": "No answer; voicemail left"},
    )
    assert missed.status_code == 303 and open_crisis_ids(doctor, world.sam) == [alert]
    wrong = doctor.post(f"{base}/follow-up", data={"csrf": csrf, "outcome": "all-good"})
    assert "Not saved" in wrong.text and "outcome: expected one of" in wrong.text
    bare = doctor.post(f"{base}/follow-up", data={"csrf": csrf, "outcome": "safety-plan"})
    assert "note: say what was done" in bare.text and open_crisis_ids(doctor, world.sam) == [alert]
    done = doctor.post(
        f"{base}/follow-up",
        data={"csrf": csrf, "outcome": "risk-assessment", "note": "C-SSRS screen negative"},
    )
    assert done.status_code == 303 and open_crisis_ids(doctor, world.sam) == []
    history = doctor.get(f"/patients/{world.sam}").text
    for step in ("acknowledged by Dr Okafor", "attempt by Dr Okafor", "resolved by Dr Okafor"):
        assert step in history
    assert 'class="crisis"' not in sam.get(f"/patients/{world.sam}/today").text

    with world.database.session() as s:
        rows = [r for r in access_store.all_audit_events(s) if r.patient_id == world.sam]
    worked = [(r.action, r.outcome, r.username) for r in rows if "alert" in r.action]
    assert ("acknowledge_alert", "ok", "dr.okafor") in worked
    assert worked.count(("follow_up_alert", "ok", "dr.okafor")) == 2
    assert worked.count(("follow_up_alert", "invalid", "dr.okafor")) == 2


def test_a_new_positive_answer_after_resolution_raises_a_new_alert(world: World) -> None:
    doctor, csrf = as_user(world, "dr.okafor")
    [first] = open_crisis_ids(doctor, world.sam)
    doctor.post(
        f"/patients/{world.sam}/alerts/{first}/follow-up",
        data={"csrf": csrf, "outcome": "safety-plan", "note": "Safety plan made"},
    )
    assert open_crisis_ids(doctor, world.sam) == []
    again = doctor.post(
        f"/api/patients/{world.sam}/responses", json=ITEM9, headers={"X-CSRF-Token": csrf}
    )
    assert again.status_code == 201
    [second] = open_crisis_ids(doctor, world.sam)
    assert second != first


def test_care_teams_decide_who_sees_a_patient_when_the_clinic_says_so(world: World) -> None:
    other, other_csrf = as_user(world, "dr.lindqvist")
    assert other.get(f"/patients/{world.maya}").status_code == 200  # clinic-wide: default
    admin, admin_csrf = as_user(world, "admin")
    saved = admin.post(
        "/admin/clinic",
        data={"csrf": admin_csrf, "name": "Riverside Integrative Clinic", "locale": "US",
              "timezone": "America/New_York"},
    )  # fmt: skip
    assert saved.status_code == 303  # the box unticked: care teams only
    for path in ("", "/today", "/plan/print", "/export.csv", "/crisis"):
        assert other.get(f"/patients/{world.maya}{path}").status_code == 404, path
    assert world.maya not in other.get("/dashboard").text
    assert world.maya not in other.get("/api/patients").text
    doctor, csrf = as_user(world, "dr.okafor")
    assert doctor.get(f"/patients/{world.maya}").status_code == 200
    last = doctor.post(
        f"/patients/{world.maya}/care-team/remove", data={"csrf": csrf, "username": "dr.okafor"}
    )
    assert "the last active clinician on the team stays" in last.text
    added = doctor.post(
        f"/patients/{world.maya}/care-team", data={"csrf": csrf, "username": "dr.lindqvist"}
    )
    assert added.status_code == 303
    assert other.get(f"/patients/{world.maya}").status_code == 200
    stranger = doctor.post(
        f"/patients/{world.maya}/care-team", data={"csrf": csrf, "username": "dr.harbour"}
    )
    assert "expected a clinician of this clinic" in stranger.text
    other.post(
        f"/patients/{world.maya}/care-team/remove",
        data={"csrf": other_csrf, "username": "dr.lindqvist"},
    )
    assert other.get(f"/patients/{world.maya}").status_code == 404


def test_the_dashboard_audits_the_patients_it_shows(world: World) -> None:
    doctor, _ = as_user(world, "dr.okafor")
    with world.database.engine.connect() as conn:
        before = conn.execute(text("SELECT max(id) FROM audit_events")).scalar() or 0
    page = doctor.get("/dashboard").text
    with world.database.session() as s:
        rows = [r for r in access_store.all_audit_events(s) if r.id > before]
    audited = {r.patient_id for r in rows if r.action == "dashboard"}
    linked = set(re.findall(r'href="/patients/([0-9a-f]{12})', page))
    assert audited == linked and len(audited) == 12


def test_a_response_stored_before_crisis_lines_had_numbers_still_reads(world: World) -> None:
    """A score keeps the crisis lines of the day it was scored; older rows lack the
    tappable numbers and the patient's message, and are shown with today's lines."""
    with world.database.engine.begin() as conn:
        row = conn.execute(
            text("SELECT id, score FROM responses WHERE flagged = :t"), {"t": True}
        ).first()
        assert row is not None
        score = row.score if isinstance(row.score, dict) else json.loads(row.score)
        for flag in score["flags"]:
            if flag.get("resources"):
                flag["resources"] = {
                    "locale": "en-US",
                    "region": "United States",
                    "resources": [{"name": "988 Suicide & Crisis Lifeline", "contact": "988"}],
                    "source": {"citation": "988", "verification": "U"},
                }
        conn.execute(
            text("UPDATE responses SET score = :s WHERE id = :i"),
            {"s": json.dumps(score), "i": row.id},
        )
    doctor, _ = as_user(world, "dr.okafor")
    assert doctor.get(f"/patients/{world.sam}").status_code == 200
    sam, _ = as_user(world, "sam")
    shown = sam.get(f"/api/patients/{world.sam}/responses").json()
    lines = [f["resources"] for r in shown for f in r["score"]["flags"] if f.get("resources")]
    assert lines and all(r["resources"][0]["tel"] == "988" for r in lines)


def test_one_alert_per_danger_when_the_plan_and_the_log_both_name_it(world: World) -> None:
    """The kratom patient's plan blocks kratom with gabapentin and the recovery log flags
    the same combination: the clinician reads it once."""
    doctor, _ = as_user(world, "dr.okafor")
    page = doctor.get("/dashboard").text
    section = page.split('class="alerts"', 1)[1].split("</ul>", 1)[0]
    lines = section.split("<li")[1:]
    combination = [li for li in lines if "Kratom with opioids, benzodiazepines" in li]
    assert len(combination) == 1


def test_an_alert_that_is_not_the_patients_is_refused_at_the_alert(world: World) -> None:
    doctor, csrf = as_user(world, "dr.okafor")
    [sams] = open_crisis_ids(doctor, world.sam)
    for aid in (str(sams), "abc", "99999"):
        tried = doctor.post(
            f"/patients/{world.maya}/alerts/{aid}/acknowledge", data={"csrf": csrf, "note": ""}
        )
        assert tried.status_code == 200
        assert "Not saved: alert: no such alert on this patient&#39;s record" in tried.text
    assert open_crisis_ids(doctor, world.sam) == [sams]


def test_a_positive_answer_and_its_alert_are_kept_when_the_other_alert_rules_fail(
    world: World,
) -> None:
    """The crisis pass runs on the responses alone: with the recovery log unreadable
    (its table renamed away, a real database failure), the block and recovery rules
    fail, and the response and its crisis alert are committed all the same."""
    with world.database.engine.begin() as conn:
        conn.execute(text("ALTER TABLE recovery_entries RENAME TO recovery_entries_away"))
    try:
        sam, csrf = as_user(world, "sam")
        saved = sam.post(
            f"/api/patients/{world.sam}/responses", json=ITEM9, headers={"X-CSRF-Token": csrf}
        )
    finally:
        with world.database.engine.begin() as conn:
            conn.execute(text("ALTER TABLE recovery_entries_away RENAME TO recovery_entries"))
    assert saved.status_code == 201 and saved.json()["flagged"] is True
    with world.database.engine.connect() as conn:
        response_id = conn.execute(text("SELECT max(id) FROM responses")).scalar()
        steps = conn.execute(
            text("SELECT step FROM alert_events WHERE response_id = :r"), {"r": response_id}
        ).all()
    assert [s.step for s in steps] in (["raised"], ["seen-again"])
    doctor, _ = as_user(world, "dr.okafor")
    assert open_crisis_ids(doctor, world.sam)


def test_the_database_keeps_one_unresolved_alert_per_rule_and_subject(world: World) -> None:
    """Two requests raising the same alert at once: the second insert is refused by the
    partial unique index and comes back as None; once resolved, it may rise again."""
    from neurogarden.storage import care

    with world.database.session() as s:
        patient_id = s.execute(
            text("SELECT id, clinic_id FROM patients WHERE public_id = :p"), {"p": world.maya}
        ).one()
        values = dict(
            patient_id=patient_id.id, clinic_id=patient_id.clinic_id, kind="block",
            rule="block:test", subject="s", rank=1, message="m", action="a", sources=[],
        )  # fmt: skip
        first = care.add_alert(s, **values)
        assert first is not None
        assert care.add_alert(s, **values) is None
        assert care.unresolved_alert(s, patient_id.id, "block:test", "s") is first
        first.state = "resolved"
        s.flush()
        assert care.add_alert(s, **values) is not None
        s.commit()


def test_a_deactivated_clinician_never_counts_as_the_team(world: World) -> None:
    """Someone who can still sign in stays responsible: a deactivated login is not
    added, and it cannot be the last one left when the active member leaves."""
    doctor, csrf = as_user(world, "dr.okafor")
    team = f"/patients/{world.maya}/care-team"
    assert doctor.post(team, data={"csrf": csrf, "username": "dr.lindqvist"}).status_code == 303
    with world.database.engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET active = :f WHERE username = 'dr.lindqvist'"), {"f": False}
        )
    left = doctor.post(f"{team}/remove", data={"csrf": csrf, "username": "dr.okafor"})
    assert "the last active clinician on the team stays" in left.text
    doctor.post(f"{team}/remove", data={"csrf": csrf, "username": "dr.lindqvist"})
    again = doctor.post(team, data={"csrf": csrf, "username": "dr.lindqvist"})
    assert "Not saved" in again.text and "that clinician&#39;s login is deactivated" in again.text


def test_an_admin_hands_over_care_teams_without_seeing_the_patients(world: World) -> None:
    admin, admin_csrf = as_user(world, "admin")
    admin.post(
        "/admin/clinic",
        data={"csrf": admin_csrf, "name": "Riverside Integrative Clinic", "locale": "US",
              "timezone": "America/New_York"},
    )  # fmt: skip
    other, _ = as_user(world, "dr.lindqvist")
    assert other.get(f"/patients/{world.maya}").status_code == 404
    users = admin.get("/admin/users").text
    assert "Hand over care teams" in users
    wrong = admin.post(
        "/admin/care-teams",
        data={"csrf": admin_csrf, "from_username": "nobody", "to_username": "dr.harbour"},
    )
    assert "from_username: expected a clinician of this clinic" in wrong.text
    assert "to_username: expected an active clinician of this clinic" in wrong.text
    done = admin.post(
        "/admin/care-teams",
        data={"csrf": admin_csrf, "from_username": "dr.okafor", "to_username": "dr.lindqvist"},
    )
    assert "dr.lindqvist joined 12 care team(s) of dr.okafor." in done.text
    assert world.maya not in done.text and world.maya_name not in done.text
    assert other.get(f"/patients/{world.maya}").status_code == 200
    with world.database.session() as s:
        rows = [r for r in access_store.all_audit_events(s) if r.action == "care_team_hand_over"]
    assert len(rows) == 12 and world.maya in {r.patient_id for r in rows}
    assert {r.username for r in rows} == {"admin"}

"""The clinic's patient table reads each patient's stored line; a line is written when
the patient's rules run (every change to the record), and computed again when it is
from another day or other knowledge, so it is never shown stale."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from neurogarden.clinic.records import clinic_today
from neurogarden.clinic.values import ClinicInfo
from neurogarden.kb.load import packaged_fingerprint
from neurogarden.storage import clinic as store
from neurogarden.storage.models import PanelLineRow, PatientRow
from webkit import World, client, session_csrf, sign_in

pytest_plugins = ("webkit",)


def _maya_cell(html: str, maya: str) -> str:
    row = html.split(f'<a href="/patients/{maya}">', 1)[1].split("</tr>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def _maya_cells(html: str, maya: str) -> list[str]:
    """The texts of the cells of Maya's row, in the table's column order."""
    row = html.split(f'<a href="/patients/{maya}">', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td>(.*?)</td>", "<td>" + row, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells]


def _line(world: World) -> PanelLineRow:
    with world.database.session() as s:
        patient = s.scalar(select(PatientRow).where(PatientRow.public_id == world.maya))
        assert patient is not None
        row = s.get(PanelLineRow, patient.id)
        assert row is not None
        s.expunge(row)
        return row


def test_the_table_reads_stored_lines_and_recomputes_old_ones(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    first = _maya_cell(c.get("/dashboard").text, world.maya)
    line = _line(world)
    with world.database.session() as s:
        clinic = store.clinic_by_slug(s, "demo")
        assert clinic is not None
        today = clinic_today(ClinicInfo.of(clinic))
    assert line.as_of == today and line.knowledge == packaged_fingerprint()
    assert f"{line.supplements} supplement(s)" in first
    with world.database.engine.begin() as conn:  # a stored line is what the table shows
        conn.execute(
            update(PanelLineRow)
            .where(PanelLineRow.patient_id == line.patient_id)
            .values(supplements=99)
        )
    assert "99 supplement(s)" in _maya_cell(c.get("/dashboard").text, world.maya)
    with world.database.engine.begin() as conn:  # ...until the day moves on
        conn.execute(
            update(PanelLineRow)
            .where(PanelLineRow.patient_id == line.patient_id)
            .values(as_of=today - timedelta(days=1))
        )
    assert _maya_cell(c.get("/dashboard").text, world.maya) == first
    assert _line(world).as_of == today and _line(world).supplements == line.supplements


def test_a_new_score_updates_the_line_when_it_is_stored(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    c.get("/dashboard")
    answers = {**{f"q{i}": 3 for i in range(1, 9)}, "q9": 0, "difficulty": 2}
    saved = c.post(
        f"/api/patients/{world.maya}/responses",
        json={"instrument": "phq9", "answers": answers},
        headers={"X-CSRF-Token": session_csrf(c)},
    )
    assert saved.status_code == 201
    assert _line(world).latest_phq9 == 24.0  # written with the response, before any view
    today = datetime.now(ZoneInfo("America/New_York"))  # the demo clinic's zone
    # Latest PHQ-9, its date and its change from Maya's baseline of 20 (+20 %)
    assert _maya_cells(c.get("/dashboard").text, world.maya)[2] == (
        f"24 {today:%d %b %Y}; +20 % from 20"
    )


def test_rules_given_an_old_state_read_the_record_again(world: World) -> None:
    """A page read the record, then a new score was stored: the line the page's rules
    write carries the new score, not the one the page read."""
    from neurogarden.clinic import alerts, patient_state, records
    from neurogarden.clinic.values import Account, PatientInfo

    with world.database.session() as s:
        row = s.scalar(select(PatientRow).where(PatientRow.public_id == world.maya))
        clinic = store.clinic_by_slug(s, "demo")
        doctor = store.user_by_username(s, "dr.okafor")
        assert row is not None and clinic is not None and doctor is not None
        maya, where = PatientInfo.of(row), ClinicInfo.of(clinic)
        old = patient_state.load_state(s, maya, where)
        answers = {**{f"q{i}": 2 for i in range(1, 9)}, "q9": 0, "difficulty": 1}
        records.save_response(s, maya, where, Account.of(doctor), records.phq9(), answers)
        alerts.raise_for(s, maya, where, old)
        s.commit()
    assert _line(world).latest_phq9 == 16.0


def test_the_table_shows_the_next_session_as_it_changes(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    zone = ZoneInfo("America/New_York")
    start = (datetime.now(zone) + timedelta(days=3)).replace(hour=10, minute=0, second=0,
                                                              microsecond=0)  # fmt: skip
    made = c.post(
        f"/api/patients/{world.maya}/sessions",
        json={"start": start.isoformat(), "route": "sublingual"},
        headers={"X-CSRF-Token": session_csrf(c)},
    )
    assert made.status_code == 201
    assert _maya_cells(c.get("/dashboard").text, world.maya)[4] == f"{start:%a %d %b %Y %H:%M}"
    cancelled = c.post(
        f"/api/patients/{world.maya}/sessions/{made.json()['id']}/cancel",
        json={"note": "unwell"},
        headers={"X-CSRF-Token": session_csrf(c)},
    )
    assert cancelled.status_code == 200
    assert _maya_cells(c.get("/dashboard").text, world.maya)[4] == "—"

"""Bad requests get a 4xx that names what is wrong, and nothing is written: a body over
the ceiling (declared or streamed), a session a slip of the keyboard away (year 9999,
year 1, a number for a date), an over-long form value from a signed-out visitor."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from neurogarden.storage.models import AuditRow, KapSessionRow, PatientRow, ProfileVersionRow
from webkit import World, client, login_csrf, session_csrf, sign_in

pytest_plugins = ("webkit",)


def store_patient(s: Session, public_id: str) -> int:
    row = s.scalar(select(PatientRow.id).where(PatientRow.public_id == public_id))
    assert row is not None
    return int(row)


def _count(world: World, table: type) -> int:
    with world.database.session() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


@pytest.fixture
def clinician(world: World) -> Iterator[TestClient]:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    yield c
    c.close()


def test_a_50_mb_profile_is_refused_with_413_before_it_is_read(
    world: World, clinician: TestClient
) -> None:
    before = _count(world, ProfileVersionRow)
    big = b'{"person": {"sex": "female", "age": 40, "conditions": ["' + b"x" * 50_000_000 + b'"]}}'
    answer = clinician.put(
        f"/api/patients/{world.maya}/profile", content=big,
        headers={"X-CSRF-Token": session_csrf(clinician), "Content-Type": "application/json"},
    )  # fmt: skip
    assert answer.status_code == 413
    assert answer.json() == {
        "detail": [{"field": "body", "message": "the request body is over 1,000,000 bytes"}]
    }
    assert "content-security-policy" in answer.headers
    assert _count(world, ProfileVersionRow) == before


def test_a_streamed_body_without_a_length_is_counted(world: World, clinician: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 50_000

    answer = clinician.post(
        f"/api/patients/{world.maya}/responses", content=chunks(),
        headers={"X-CSRF-Token": session_csrf(clinician), "Content-Type": "application/json"},
    )  # fmt: skip
    assert answer.status_code == 413


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("9999-12-31T23:00:00", "the year 9999 is outside 1900–2200"),
        ("0001-01-01T10:00:00", "the year 1 is outside 1900–2200"),
        (0, "expected a date as text"),
        ("2099-01-01T10:00:00", "expected a date between"),
    ],
)
def test_a_session_a_slip_away_is_refused_at_start(
    world: World, clinician: TestClient, start: object, message: str
) -> None:
    before = _count(world, KapSessionRow)
    answer = clinician.post(
        f"/api/patients/{world.maya}/sessions", json={"start": start, "route": "sublingual"},
        headers={"X-CSRF-Token": session_csrf(clinician)},
    )  # fmt: skip
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["detail"]
    assert error["field"] == "start" and message in error["message"]
    assert _count(world, KapSessionRow) == before


def test_a_year_9999_session_on_the_record_page_is_shown_at_its_field(
    world: World, clinician: TestClient
) -> None:
    before = _count(world, KapSessionRow)
    page = clinician.post(
        f"/patients/{world.maya}/sessions",
        data={"start": "9999-12-31T23:00", "route": "sublingual", "csrf": session_csrf(clinician)},
    )
    assert page.status_code < 500
    assert "expected a date between" in page.text
    assert _count(world, KapSessionRow) == before


def test_an_81_character_user_name_at_sign_in_is_a_4xx_page(world: World) -> None:
    c = client(world.app)
    before = _count(world, AuditRow)
    answer = c.post(
        "/login", data={"username": "x" * 81, "password": "whatever", "csrf": login_csrf(c)}
    )
    assert 400 <= answer.status_code < 500
    assert re.search(r"username: String should have at most 80 characters", answer.text)
    assert "Traceback" not in answer.text
    assert _count(world, AuditRow) >= before


def test_a_405_lists_every_method_of_the_path(world: World, clinician: TestClient) -> None:
    answer = clinician.request("DELETE", "/api/patients")
    assert answer.status_code == 405 and answer.headers["allow"] == "GET, POST"
    page = clinician.request("DELETE", f"/patients/{world.maya}/sessions")
    assert page.status_code == 405 and page.headers["allow"] == "POST"


def test_a_session_id_past_any_integer_is_not_found(world: World, clinician: TestClient) -> None:
    answer = clinician.post(
        f"/api/patients/{world.maya}/sessions/99999999999999999999999/done",
        headers={"X-CSRF-Token": session_csrf(clinician)},
    )
    assert answer.status_code == 404
    assert answer.json() == {"detail": "no such session on this patient's record"}


def test_a_stored_session_in_year_1_never_breaks_a_page(
    world: World, clinician: TestClient
) -> None:
    """Records stored before today's checks (or by another tool) are shown as they are,
    not judged again: the pages that draw sessions answer, whatever their date."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    with world.database.session() as s:
        patient = store_patient(s, world.maya)
        for start in (datetime(1, 1, 1, 10, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC)):
            s.execute(
                insert(KapSessionRow).values(
                    patient_id=patient, start=start, route="iv", state="scheduled",
                    created_at=datetime.now(UTC),
                )
            )  # fmt: skip
        s.commit()
    for path in (
        f"/patients/{world.maya}",
        f"/patients/{world.maya}/charts/phq9.svg",
        f"/patients/{world.maya}/calendar.ics",
        f"/api/patients/{world.maya}/plan",
        f"/api/patients/{world.maya}/sessions",
        "/dashboard",
    ):
        assert clinician.get(path).status_code < 500, path

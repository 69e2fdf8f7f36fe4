"""The API does what its OpenAPI schema says, found by schemathesis: no 5xx, every
status, content type, header and body as documented (the 422 body included), data the
schema forbids refused, and an `Allow` that lists every method of a path. Signed in as
a clinician on a demo patient's record, so that requests reach the handlers.

One check is left out: schema-valid data need not be accepted. The API also refuses
what only the knowledge base and the clinic's calendar can judge (an unknown medicine,
a dose above its plausible range, a session more than two years ahead of today), which
no static schema can state; those answers are 422 with the field named, as documented."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from neurogarden.clinic.demo import load_demo
from neurogarden.storage import clinic as store
from neurogarden.storage.clinic import Database
from neurogarden.web.app import create_app
from neurogarden.web.settings import SESSION_COOKIE
from webkit import client, session_csrf, sign_in

EXAMPLES = 100


def _signed_in_app() -> tuple[object, str, str, dict[str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="neurogarden-api-"))
    database = Database(f"sqlite:///{folder / 'api.sqlite3'}")
    database.migrate()
    load_demo(database)
    with database.session() as s:
        maya = store.user_by_username(s, "maya")
        assert maya is not None and maya.patient_id is not None
        patient = store.patient_by_id(s, maya.patient_id)
        assert patient is not None
        pid = patient.public_id
    app = create_app(database, migrate=False)
    c = client(app)
    sign_in(c, "dr.okafor")
    headers = {
        "X-CSRF-Token": session_csrf(c),
        "Cookie": f"{SESSION_COOKIE}={c.cookies.get(SESSION_COOKIE)}",
    }
    soon = datetime.combine(date.today() + timedelta(days=20), time(15, 0), tzinfo=UTC)
    made = c.post(
        f"/api/patients/{pid}/sessions",
        json={"start": soon.isoformat(), "route": "sublingual"},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    return app, pid, made.json()["id"], headers


APP, PATIENT, SESSION, HEADERS = _signed_in_app()
ANSWERED: dict[str, set[int]] = {}  # each operation's statuses in this run
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_contract(case: schemathesis.Case) -> None:
    if case.path_parameters and "pid" in case.path_parameters:
        case.path_parameters["pid"] = PATIENT
    if case.path_parameters and "sid" in case.path_parameters:
        case.path_parameters["sid"] = SESSION
    response = case.call_and_validate(headers=HEADERS, excluded_checks=[positive_data_acceptance])
    ANSWERED.setdefault(case.operation.label, set()).add(response.status_code)


def test_the_contract_run_reached_every_handler() -> None:
    """Run after the operations above: each was answered past the sign-in (a run that
    only ever heard 401 would pass every check and prove nothing), and most of them
    stored or returned something."""
    assert len(ANSWERED) == len(list(schema.get_all_operations())) >= 15
    assert all(statuses - {401, 403} for statuses in ANSWERED.values()), ANSWERED
    succeeded = [op for op, statuses in ANSWERED.items() if any(s < 300 for s in statuses)]
    assert len(succeeded) >= 14, ANSWERED  # all but marking a future session done

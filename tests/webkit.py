"""The web suites' world: the demo clinic on a real database (SQLite file or the local
PostgreSQL server), clients signed in as each role, and a server for the browser."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from neurogarden.clinic.demo import load_demo
from neurogarden.storage import clinic as store
from neurogarden.storage.clinic import Database
from neurogarden.web.app import create_app
from neurogarden.web.settings import WebSettings

pytest_plugins = ("dbs",)

PASSWORDS = {
    "admin": "garden-admin-demo",
    "dr.okafor": "garden-clinician-demo",
    "dr.harbour": "garden-clinician-demo",
    "dr.lindqvist": "garden-clinician-demo",
    "maya": "garden-patient-demo",
    "sam": "garden-patient-demo",
}

# The six points of view the access test walks: who, signed in as whom.
ROLES = {
    "anonymous": None,
    "patient": "maya",  # the patient whose record the routes name
    "other-patient": "sam",
    "clinician": "dr.okafor",
    "other-clinic-clinician": "dr.harbour",
    "off-team-clinician": "dr.lindqvist",  # same clinic, not on Maya's care team
    "admin": "admin",
}


@dataclass
class World:
    app: FastAPI
    database: Database
    maya: str  # public ids
    sam: str
    harbour_patient: str
    maya_name: str


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    database = Database(db_url)
    database.migrate()
    load_demo(database)
    with database.session() as s:
        maya_user = store.user_by_username(s, "maya")
        sam_user = store.user_by_username(s, "sam")
        assert maya_user and sam_user and maya_user.patient_id and sam_user.patient_id
        maya = store.patient_by_id(s, maya_user.patient_id)
        sam = store.patient_by_id(s, sam_user.patient_id)
        other = store.clinic_by_slug(s, "demo-harbour")
        assert maya and sam and other
        harbour = store.patients_of_clinic(s, other.id)[0]
        ids = (maya.public_id, sam.public_id, harbour.public_id, maya.display_name)
    app = create_app(database, WebSettings(), migrate=False)
    try:
        yield World(app, database, *ids)
    finally:
        database.dispose()


def client(app: FastAPI) -> TestClient:
    # https: the session cookie is Secure, and the test client honours that.
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def login_csrf(c: TestClient) -> str:
    page = c.get("/login")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]


def sign_in(c: TestClient, username: str, password: str | None = None) -> None:
    token = login_csrf(c)
    response = c.post(
        "/login",
        data={"username": username, "password": password or PASSWORDS[username], "csrf": token},
    )
    assert response.status_code == 303, response.text


def session_csrf(c: TestClient) -> str:
    me = c.get("/api/me")
    assert me.status_code == 200, me.text
    token: str = me.json()["csrf_token"]
    return token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def live_server(world: World) -> Iterator[str]:
    """The app served by uvicorn on a free port, in a thread, for the browser."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(world.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

"""Durability under kill -9: `neurogarden serve` takes writes (new patients through the
API, each acknowledged with 201 and its id) while its process is killed with SIGKILL at
a random moment, then restarted; every acknowledged write, and the audit row written
with it, must be in the database afterwards. Only the app's process is killed, never
the database server. Reports cycles, acknowledged writes and losses.

    .venv/bin/python bench/durability.py [--cycles 50] [--postgres]

The tests run the same harness with 10 cycles on SQLite and 5 on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text

from load import sign_in  # bench/load.py: signed in over loopback HTTP
from neurogarden.clinic.demo import load_demo
from neurogarden.storage.clinic import Database
from neurogarden.storage.models import AuditRow, PatientRow

STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Report:
    cycles: int
    acknowledged: int
    lost: int  # acknowledged patients missing after the kill
    unaudited: int  # acknowledged patients whose audit row is missing

    def line(self, backend: str) -> str:
        return (
            f"{backend}: {self.cycles} kill -9 cycles, {self.acknowledged} acknowledged "
            f"writes, {self.lost} lost, {self.unaudited} without their audit row"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "neurogarden", "serve", "--port", str(port)],
        env={**os.environ, "NEUROGARDEN_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def _write_until_killed(c: httpx.Client, csrf: str, acknowledged: list[str]) -> None:
    while True:
        try:
            made = c.post(
                "/api/patients",
                json={"display_name": f"Durability {uuid.uuid4().hex[:10]}"},
                headers={"X-CSRF-Token": csrf},
            )
        except httpx.HTTPError:
            return  # the server is gone: whatever was not answered was not acknowledged
        if made.status_code == 201:
            acknowledged.append(made.json()["id"])


def run(url: str, cycles: int, *, seed: int = 1, writers: int = 3) -> Report:
    """Kill the app `cycles` times during writes; count what was acknowledged and lost."""
    rng = random.Random(seed)
    database = Database(url)
    database.migrate()
    load_demo(database)
    database.dispose()
    acknowledged: list[str] = []
    for _ in range(cycles):
        port = _free_port()
        server = _serve(url, port)
        try:
            clients = [sign_in(f"http://127.0.0.1:{port}") for _ in range(writers)]
            threads = [
                threading.Thread(target=_write_until_killed, args=(c, csrf, acknowledged))
                for c, csrf in clients
            ]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.2, 1.5))
            os.kill(server.pid, signal.SIGKILL)
            for t in threads:
                t.join()
        finally:
            server.kill()
            server.wait()
    database = Database(url)
    try:
        with database.session() as s:
            stored = set(s.scalars(select(PatientRow.public_id)))
            audited = set(
                s.scalars(select(AuditRow.patient_id).where(AuditRow.action == "create_patient"))
            )
    finally:
        database.dispose()
    return Report(
        cycles=cycles,
        acknowledged=len(acknowledged),
        lost=sum(1 for pid in acknowledged if pid not in stored),
        unaudited=sum(1 for pid in acknowledged if pid not in audited),
    )


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--cycles", type=int, default=50)
    args.add_argument("--postgres", action="store_true")
    a = args.parse_args()
    if not a.postgres:
        with tempfile.TemporaryDirectory() as folder:
            print(run(f"sqlite:///{Path(folder) / 'kill.sqlite3'}", a.cycles).line("sqlite"))
        return
    name = f"kill_{uuid.uuid4().hex[:8]}"
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        report = run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", a.cycles)
        print(report.line("postgresql"))
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))


if __name__ == "__main__":
    main()

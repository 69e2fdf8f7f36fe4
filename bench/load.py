"""A bounded load test: `neurogarden serve --workers N` on a clinic of 1,000 patients
(the synthetic clinic of `clinic_scale`), 20 concurrent signed-in clients for 30 s,
each looping over the dashboard, a patient's JSON plan and a PHQ-9 written through the
API. Reports requests per second, p50, p99 and errors, on SQLite or PostgreSQL.

    .venv/bin/python bench/load.py [--postgres] [--workers 2] [--clients 20] [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))
import clinic_scale
from neurogarden.web.app import create_app

CLEAN = {"instrument": "phq9", "answers": {**{f"q{i}": 0 for i in range(1, 10)}, "difficulty": 0}}


def sign_in(base: str) -> tuple[httpx.Client, str]:
    """Signed in over plain HTTP on loopback: the session cookie is Secure, so it is
    carried by hand (a browser would only send it over HTTPS)."""
    c = httpx.Client(base_url=base, timeout=60)
    form = c.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token
    signed = c.post(
        "/login",
        data={"username": "dr.okafor", "password": "garden-clinician-demo", "csrf": token[1]},
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in form.cookies.items())},
    )
    cookies = "; ".join(f"{k}={v}" for k, v in signed.cookies.items())
    c = httpx.Client(base_url=base, timeout=60, headers={"Cookie": cookies})
    return c, str(c.get("/api/me").json()["csrf_token"])


FAILURES: list[str] = []  # what each failed request answered, for the report
Result = tuple[str, float, bool]  # which request, seconds, answered as expected


def client_loop(base: str, pids: list[str], until: float, out: list[Result]) -> None:
    c, csrf = sign_in(base)
    rng = random.Random()
    while time.perf_counter() < until:
        pid = rng.choice(pids)
        for method, path in (
            ("GET", "/dashboard"),
            ("GET", f"/api/patients/{pid}/plan"),
            ("POST", f"/api/patients/{pid}/responses"),
        ):
            start = time.perf_counter()
            try:
                if method == "GET":
                    answer = c.get(path)
                    ok = answer.status_code == 200
                else:
                    answer = c.post(path, json=CLEAN, headers={"X-CSRF-Token": csrf})
                    ok = answer.status_code == 201
                if not ok:
                    FAILURES.append(f"{method} {path}: {answer.status_code} {answer.text[:160]}")
            except httpx.HTTPError as exc:
                ok = False
                FAILURES.append(f"{method} {path}: {type(exc).__name__} {exc}")
            kind = f"{method} {path.replace(pid, '{pid}')}"
            out.append((kind, time.perf_counter() - start, ok))


def _p99(times: list[float]) -> float:
    return times[int(0.99 * (len(times) - 1))]


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--postgres", action="store_true")
    args.add_argument("--workers", type=int, default=2)
    args.add_argument("--clients", type=int, default=20)
    args.add_argument("--seconds", type=float, default=30)
    args.add_argument("--patients", type=int, default=1000)
    a = args.parse_args()
    folder = tempfile.mkdtemp()
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"load_{uuid.uuid4().hex[:8]}"
    if a.postgres:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    else:
        url = f"sqlite:///{Path(folder) / 'load.sqlite3'}"
    app = create_app(url)
    clinic_scale.build(app, a.patients)
    with app.state.database.engine.connect() as conn:
        pids = list(  # the signed-in clinician's clinic only (the other one answers 404)
            conn.execute(
                text(
                    "SELECT p.public_id FROM patients p JOIN clinics c ON c.id = p.clinic_id"
                    " WHERE c.slug = 'demo'"
                )
            ).scalars()
        )
    app.state.database.dispose()
    port = 8700 + os.getpid() % 200
    server = subprocess.Popen(
        [sys.executable, "-m", "neurogarden", "serve", "--port", str(port),
         "--workers", str(a.workers)],
        env={**os.environ, "NEUROGARDEN_DATABASE_URL": url},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/login").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        results: list[Result] = []
        until = time.perf_counter() + a.seconds
        threads = [
            threading.Thread(target=client_loop, args=(base, pids, until, results))
            for _ in range(a.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        times = sorted(t for _, t, _ in results)
        errors = sum(1 for _, _, ok in results if not ok)
        print(
            f"{'postgresql' if a.postgres else 'sqlite'}, {a.workers} worker(s), "
            f"{a.clients} clients, {a.seconds:g} s: {len(results) / a.seconds:.1f} req/s, "
            f"p50 {1000 * statistics.median(times):.0f} ms, p99 {1000 * _p99(times):.0f} ms, "
            f"{errors} errors in {len(results)}"
        )
        for failure in FAILURES[:5]:
            print(f"  failed: {failure}")
        for kind in sorted({k for k, _, _ in results}):
            mine = sorted(t for k, t, _ in results if k == kind)
            print(
                f"  {kind:<36} p50 {1000 * statistics.median(mine):6.0f} ms"
                f"  p99 {1000 * _p99(mine):6.0f} ms  ({len(mine)})"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if a.postgres:
            with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))


if __name__ == "__main__":
    main()

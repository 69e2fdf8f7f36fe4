"""Clinic scale: a synthetic clinic of N patients (seeded; each with a profile and 20
PHQ-9 responses, bulk-loaded as an import would, then each patient's outcome standing
rebuilt), then the clinician's dashboard, a patient's page, a search by name, the
clinic chart and the outcomes CSV, each timed beside the raw SQL aggregate of the same
response rates (the floor) in the same run. Prints ratios to the floor, since these
machines are noisy.

    .venv/bin/python bench/clinic_scale.py 1000 10000 100000 [--postgres]
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert, text

from neurogarden.clinic import records, standings
from neurogarden.clinic.demo import load_demo
from neurogarden.instruments.records import record_response
from neurogarden.storage.models import CareTeamRow, PatientRow, ProfileVersionRow, ResponseRow
from neurogarden.web.app import create_app

RESPONSES = 20
ROUNDS = 3
PROFILE = {
    "person": {"sex": "female", "age": 40, "egfr": 90},
    "timezone": "America/New_York",
    "goals": ["sleep"],
}
FLOOR = """
WITH span AS (
  SELECT r.patient_id, min(r.taken_at) AS t0, max(r.taken_at) AS t1
  FROM responses r JOIN patients p ON p.id = r.patient_id
  WHERE p.clinic_id = :clinic AND r.instrument_id = 'phq9'
  GROUP BY r.patient_id
)
SELECT count(*) AS n,
       sum(CASE WHEN l.total <= b.total * 0.5 THEN 1 ELSE 0 END) AS responders,
       sum(CASE WHEN l.total < 5 THEN 1 ELSE 0 END) AS remitters
FROM span s
JOIN responses b ON b.patient_id = s.patient_id AND b.taken_at = s.t0 AND b.instrument_id = 'phq9'
JOIN responses l ON l.patient_id = s.patient_id AND l.taken_at = s.t1 AND l.instrument_id = 'phq9'
WHERE s.t1 > s.t0 AND b.total >= 10
"""


def scores() -> dict[int, dict[str, Any]]:
    """A real scored PHQ-9 for each total 0–27 (item 9 at 0)."""
    definition = records.phq9()
    out = {}
    for total in range(28):
        answers = {f"q{i}": 0 for i in range(1, 10)}
        left = total
        for i in range(1, 9):
            answers[f"q{i}"] = min(3, left)
            left -= answers[f"q{i}"]
        answers["q9"] = min(3, left)
        answers["difficulty"] = 1
        rec = record_response(
            definition, answers, patient_id="x", entered_by="bench", taken_at=datetime.now(UTC),
            crisis=records.crisis_for(None),
        )  # fmt: skip
        out[total] = {
            "answers": [a.model_dump() for a in rec.answers],
            "score": rec.score.model_dump(mode="json"),
            "version": rec.instrument_version,
        }
    return out


def build(app: Any, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    scored = scores()
    database = app.state.database
    load_demo(database)
    with database.engine.begin() as conn:
        clinic_id = conn.execute(text("SELECT id FROM clinics WHERE slug = 'demo'")).scalar()
        doctor = conn.execute(text("SELECT id FROM users WHERE username = 'dr.okafor'")).scalar()
        now = datetime.now(UTC)
        first = conn.execute(text("SELECT coalesce(max(id), 0) FROM patients")).scalar() + 1
        patients = [
            {"id": first + i, "public_id": f"b{first + i:011x}", "clinic_id": clinic_id,
             "display_name": f"Bench Patient {i:06d}", "created_at": now}
            for i in range(n)
        ]  # fmt: skip
        conn.execute(insert(PatientRow), patients)
        conn.execute(
            insert(CareTeamRow),
            [{"patient_id": p["id"], "user_id": doctor, "added_at": now} for p in patients],
        )
        conn.execute(
            insert(ProfileVersionRow),
            [{"patient_id": p["id"], "version": 1, "document": PROFILE, "created_at": now,
              "created_by": doctor} for p in patients],
        )  # fmt: skip
        batch: list[dict[str, Any]] = []
        for p in patients:
            total = rng.randint(10, 27)
            for k in range(RESPONSES):
                total = max(0, min(27, total + rng.randint(-3, 2)))
                s = scored[total]
                batch.append(
                    {"patient_id": p["id"], "instrument_id": "phq9",
                     "instrument_version": s["version"], "answers": s["answers"],
                     "score": s["score"], "total": float(total), "flagged": False,
                     "taken_at": now - timedelta(days=7 * (RESPONSES - k)), "entered_by": doctor}
                )  # fmt: skip
            if len(batch) >= 20_000:
                conn.execute(insert(ResponseRow), batch)
                batch = []
        if batch:
            conn.execute(insert(ResponseRow), batch)


def timed(call: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(url: str, n: int) -> None:
    app = create_app(url)
    start = time.perf_counter()
    build(app, n)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    standings.rebuild(app.state.database, records.catalogue().instruments.values())
    rebuilt = time.perf_counter() - start
    with app.state.database.engine.connect() as conn:  # as after any bulk import
        conn.execute(text("ANALYZE"))
        conn.commit()
    c = TestClient(app, base_url="https://testserver")
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert token
    c.post(
        "/login",
        data={"username": "dr.okafor", "password": "garden-clinician-demo", "csrf": token[1]},
    )
    with app.state.database.engine.connect() as conn:
        clinic = conn.execute(text("SELECT id FROM clinics WHERE slug = 'demo'")).scalar()
        pid = conn.execute(text("SELECT public_id FROM patients ORDER BY id DESC")).scalar()

    def floor() -> None:
        with app.state.database.engine.connect() as conn:
            conn.execute(text(FLOOR), {"clinic": clinic}).one()

    def get(path: str) -> Callable[[], None]:
        def call() -> None:
            assert c.get(path).status_code == 200, path

        return call

    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/dashboard").text)
    assert csrf

    def search() -> None:
        found = c.post("/patients/search", data={"name": "patient 0001", "csrf": csrf[1]})
        assert found.status_code == 200 and "Bench Patient 0001" in found.text

    base = timed(floor)
    print(f"\n{url.split(':')[0]}, {n:,} patients: floor (raw SQL rates) {1000 * base:.1f} ms")
    print(f"  bulk load {loaded:.1f} s; standings rebuilt in {rebuilt:.1f} s")
    for label, path in [
        ("dashboard, first page", "/dashboard"),
        ("patient page", f"/patients/{pid}"),
        ("clinic chart", "/clinic/charts/phq9.svg"),
        ("outcomes CSV", "/clinic/outcomes.csv"),
    ]:
        took = timed(get(path))
        print(f"  {label:<24} {1000 * took:9.1f} ms  {took / base:7.1f}× floor")
    took = timed(search)
    print(f"  {'search by name':<24} {1000 * took:9.1f} ms  {took / base:7.1f}× floor")
    app.state.database.dispose()


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [1000]
    for n in sizes:
        if "--postgres" in sys.argv:
            import uuid

            from sqlalchemy import create_engine

            name = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
            with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f"CREATE DATABASE {name}"))
            try:
                run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", n)
            finally:
                with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        else:
            with tempfile.TemporaryDirectory() as folder:
                run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", n)


if __name__ == "__main__":
    main()

"""Web latency: the clinician's dashboard (12 demo patients, a plan each), a patient's
page and the JSON plan, in-process on a SQLite file, signed in. Prints medians."""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from neurogarden.clinic.demo import load_demo
from neurogarden.web.app import create_app

ROUNDS = 30


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        load_demo(app.state.database)
        c = TestClient(app, base_url="https://testserver")
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
        assert token
        c.post(
            "/login",
            data={"username": "dr.okafor", "password": "garden-clinician-demo", "csrf": token[1]},
        )
        dashboard = c.get("/dashboard").text
        found = re.search(r'href="/patients/([0-9a-f]+)"', dashboard)
        assert found
        pid = found[1]
        for label, url in [
            ("dashboard (12 patients)", "/dashboard"),
            ("patient page", f"/patients/{pid}"),
            ("API plan", f"/api/patients/{pid}/plan"),
        ]:
            times = []
            for _ in range(ROUNDS):
                start = time.perf_counter()
                assert c.get(url).status_code == 200
                times.append(time.perf_counter() - start)
            print(f"{label:<26} median {1000 * statistics.median(times):6.1f} ms")
        app.state.database.dispose()


if __name__ == "__main__":
    main()

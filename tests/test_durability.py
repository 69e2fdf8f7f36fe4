"""kill -9 during acknowledged writes loses nothing: the app's process (never the
database server) is killed at random moments while three clients create patients,
and every patient answered with 201, and its audit row, is there afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from durability import run

pytest_plugins = ("dbs",)  # db_url: SQLite and PostgreSQL

CYCLES = {"sqlite": 10, "postgresql": 5}


def test_no_acknowledged_write_is_lost_when_the_app_is_killed(db_url: str) -> None:
    backend = "postgresql" if db_url.startswith("postgresql") else "sqlite"
    report = run(db_url, CYCLES[backend], seed=7)
    print(report.line(backend))
    assert report.cycles == CYCLES[backend]
    assert report.acknowledged >= 5 * report.cycles  # the writes really ran in each cycle
    assert (report.lost, report.unaudited) == (0, 0)

"""On SQLite a page reads without the write lock: its plans are built and drawn while
writers go on, and its audit rows are written afterwards in a short transaction of
their own, which a writer that committed in between does not make fail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from neurogarden.clinic.visit import Visit
from neurogarden.storage.clinic import Database


@pytest.fixture
def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    db.migrate()
    return db


def other_writer(database: Database) -> sqlite3.Connection:
    """Another process's connection that will not wait for the lock."""
    path = str(database.engine.url.database)
    return sqlite3.connect(path, timeout=0, isolation_level=None)


def test_a_read_leaves_the_write_lock_to_others_and_audits_after_them(database: Database) -> None:
    with database.session() as s:
        visit = Visit(s, None, None, None, "page", "GET", "/page", audited=True)
        visit.read_first()
        assert s.execute(text("SELECT count(*) FROM patients")).scalar() == 0
        other = other_writer(database)
        other.execute("BEGIN IMMEDIATE")  # free: the read holds no write lock
        other.execute(
            "INSERT INTO clinics (slug, name, locale, timezone, created_at, clinic_wide_care) "
            "VALUES ('x', 'X', 'US', 'UTC', CURRENT_TIMESTAMP, 1)"
        )
        other.execute("COMMIT")
        visit.commit()  # the audit row, after a writer committed during the read
        other.close()
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_events")).scalar() == 1
    database.dispose()


def test_a_write_holds_the_lock_from_its_first_statement(database: Database) -> None:
    with database.session() as s:
        s.execute(text("SELECT count(*) FROM patients"))
        other = other_writer(database)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        s.rollback()
    database.dispose()


def test_rules_run_while_a_page_is_read_write_in_a_turn_of_their_own(database: Database) -> None:
    """A read that starts writing fails at once once another writer has committed
    since it began; the alert rules therefore end the read first and wait their turn."""
    from neurogarden.clinic import alerts
    from neurogarden.clinic.values import ClinicInfo, PatientInfo
    from neurogarden.storage import clinic as store

    with database.session() as s:
        clinic = store.add_clinic(s, "c", "C")
        patient = store.add_patient(s, clinic.id, "Rules Test")
        s.commit()
        info, where = PatientInfo.of(patient), ClinicInfo.of(clinic)
    with database.session() as s:
        Database.begin_reading(s)
        assert s.execute(text("SELECT count(*) FROM patients")).scalar() == 1
        other = other_writer(database)
        other.execute(
            "INSERT INTO clinics (slug, name, locale, timezone, created_at, clinic_wide_care) "
            "VALUES ('y', 'Y', 'US', 'UTC', CURRENT_TIMESTAMP, 1)"
        )  # committed after the read began
        alerts.raise_for(s, info, where)  # writes the patient's table line
        s.commit()
    with database.session() as s:
        assert s.execute(text("SELECT count(*) FROM panel_lines")).scalar() == 1

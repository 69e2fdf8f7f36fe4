"""Storage on real databases: migrations, SQLite's safety pragmas, constraints, and the
rule that the domain core and the CLI's cold start never import SQLAlchemy."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from neurogarden.storage import DATABASE_URL_ENV, default_url, make_engine, upgrade

pytest_plugins = ("dbs",)  # fixtures: db_url (SQLite and PostgreSQL), engine


def test_sqlite_connections_use_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    for _ in range(2):  # every new connection, not only the first
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        engine.dispose()


def test_upgrade_creates_the_tables_and_is_idempotent(engine: Engine) -> None:
    upgrade(engine)  # a second run is a no-op
    tables = set(inspect(engine).get_table_names())
    assert {
        "foods", "food_portions", "alembic_version", "patients", "audit_events", "alerts",
        "alert_events", "care_team",
    } <= tables  # fmt: skip
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "0009_measure_schedule"
        )


def test_the_migrations_build_exactly_the_tables_the_models_describe(engine: Engine) -> None:
    """Alembic's autogenerate finds nothing to add: every column, index and constraint
    of the models is in a migration (and a migration adds nothing the models lack)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from neurogarden.storage.models import Base

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_accepts_a_url(db_url: str) -> None:
    engine = upgrade(db_url)
    try:
        assert inspect(engine).has_table("foods")
    finally:
        engine.dispose()


def test_portions_need_a_food(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text("INSERT INTO food_portions (food_id, name, gram_weight) VALUES (999, '1 cup', 1)")
        )


def test_fdc_id_is_unique_and_source_is_checked(engine: Engine) -> None:
    insert = text("INSERT INTO foods (source, fdc_id, name) VALUES (:source, :fdc_id, :name)")
    with engine.begin() as conn:
        conn.execute(insert, {"source": "fdc", "fdc_id": 1, "name": "a"})
        conn.execute(insert, {"source": "kb", "fdc_id": None, "name": "b"})
        conn.execute(insert, {"source": "kb", "fdc_id": None, "name": "c"})  # NULLs are distinct
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert, {"source": "fdc", "fdc_id": 1, "name": "again"})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert, {"source": "web", "fdc_id": 2, "name": "d"})


def test_deleting_a_food_deletes_its_portions(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO foods (id, source, fdc_id, name) VALUES (1, 'fdc', 5, 'x')"))
        conn.execute(
            text("INSERT INTO food_portions (food_id, name, gram_weight) VALUES (1, '1 oz', 28.35)")
        )
        conn.execute(text("DELETE FROM foods WHERE id = 1"))
        assert conn.execute(text("SELECT count(*) FROM food_portions")).scalar() == 0


def test_the_environment_chooses_the_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://postgres@127.0.0.1:5432/x")
    assert make_engine().url.drivername == "postgresql+psycopg"
    monkeypatch.delenv(DATABASE_URL_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = default_url()
    assert url.startswith("sqlite:///") and str(tmp_path) in url
    assert (tmp_path / "neurogarden").is_dir()


def test_the_core_and_the_cli_start_without_sqlalchemy() -> None:
    code = (
        "import sys, neurogarden.api, neurogarden.planning.builder, neurogarden.cli\n"
        "from neurogarden.api import load_kb, load_profile, plan\n"
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# A clinic and a patient as an older schema stored them (no column added since).
OLD_CLINIC = text(
    "INSERT INTO clinics (slug, name, locale, timezone, created_at) "
    "VALUES ('old', 'Old Clinic', 'US', 'UTC', CURRENT_TIMESTAMP)"
)
OLD_PATIENT = text(
    "INSERT INTO patients (public_id, clinic_id, display_name, created_at) "
    "SELECT 'abc123', id, 'Pat Old', CURRENT_TIMESTAMP FROM clinics"
)


def test_a_clinic_database_of_the_previous_revision_upgrades_with_its_data(db_url: str) -> None:
    """Clinics that ran the previous schema keep every patient, and every clinician
    keeps seeing every patient (the clinic-wide setting starts on)."""
    engine = upgrade(make_engine(db_url), "0002_clinic")
    try:
        with engine.begin() as conn:
            conn.execute(OLD_CLINIC)
            conn.execute(
                text(
                    "INSERT INTO users (clinic_id, username, display_name, role, password_hash,"
                    " active, created_at) SELECT id, 'dr.old', 'Dr Old', 'clinician', 'x', "
                    ":t, CURRENT_TIMESTAMP FROM clinics"
                ),
                {"t": True},
            )
            conn.execute(OLD_PATIENT)
        upgrade(engine)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT name, clinic_wide_care FROM clinics")).one()
            assert (row.name, bool(row.clinic_wide_care)) == ("Old Clinic", True)
            assert conn.execute(text("SELECT count(*) FROM alerts")).scalar() == 0
            # every existing patient keeps a clinician who can see them with the setting off
            assert conn.execute(text("SELECT count(*) FROM care_team")).scalar() == 1
    finally:
        engine.dispose()


def test_sessions_move_out_of_stored_profiles_into_records(db_url: str) -> None:
    """Each patient's sessions, as their newest profile lists them, become records with
    ids; no stored profile keeps its list; a window tick keyed by its session's start
    now points at the session's id."""
    engine = upgrade(make_engine(db_url), "0004_alert_once")
    document = {
        "person": {"sex": "female", "age": 40},
        "timezone": "America/New_York",
        "sessions": [{"start": "2026-11-24T10:00", "route": "sublingual", "setting": "clinic"}],
    }
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO clinics (slug, name, locale, timezone, created_at, "
                    "clinic_wide_care) VALUES ('old', 'Old', 'US', 'UTC', CURRENT_TIMESTAMP, :t)"
                ),
                {"t": True},
            )
            conn.execute(OLD_PATIENT)
            for version, doc in ((1, {**document, "sessions": []}), (2, document)):
                conn.execute(
                    text(
                        "INSERT INTO profile_versions (patient_id, version, document, created_at)"
                        " SELECT id, :v, :d, CURRENT_TIMESTAMP FROM patients"
                    ),
                    {"v": version, "d": json.dumps(doc)},
                )
            conn.execute(
                text(
                    "INSERT INTO ticks (patient_id, day, kind, item, ticked_at) SELECT id, "
                    "'2026-11-24', 'checklist', '2026-11-24T10:00:00-05:00 no-alcohol', "
                    "CURRENT_TIMESTAMP FROM patients"
                )
            )
        upgrade(engine)
        with engine.connect() as conn:
            [session] = conn.execute(text("SELECT * FROM kap_sessions")).all()
            start = session.start if isinstance(session.start, datetime) else None
            start = start or datetime.fromisoformat(str(session.start))
            assert start.replace(tzinfo=start.tzinfo or UTC) == datetime(
                2026, 11, 24, 15, 0, tzinfo=UTC
            )
            assert (session.route, session.setting, session.state) == (
                "sublingual", "clinic", "scheduled",
            )  # fmt: skip
            stored = [
                d if isinstance(d, dict) else json.loads(d)
                for d in conn.execute(text("SELECT document FROM profile_versions")).scalars()
            ]
            assert all("sessions" not in d for d in stored) and len(stored) == 2
            tick = conn.execute(text("SELECT item, session_id FROM ticks")).one()
            assert (tick.item, tick.session_id) == (f"{session.id}:no-alcohol", session.id)
    finally:
        engine.dispose()


def test_alerts_and_their_steps_survive_the_schedule_migration(db_url: str) -> None:
    """Allowing the 'missed' kind rebuilds the alerts table on SQLite: every alert, its
    steps and the one-unresolved-alert index are there afterwards."""
    engine = upgrade(make_engine(db_url), "0008_panel_lines")
    try:
        with engine.begin() as conn:
            conn.execute(OLD_CLINIC)
            conn.execute(OLD_PATIENT)
            conn.execute(
                text(
                    "INSERT INTO alerts (patient_id, clinic_id, kind, rule, subject, rank, message,"
                    " action, sources, state, raised_at, last_seen_at) SELECT p.id, p.clinic_id,"
                    " 'crisis', 'phq9:item9', 'phq9', 0, 'm', 'a', '[]', 'open',"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM patients p"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO alert_events (alert_id, step, at) "
                    "SELECT id, 'raised', CURRENT_TIMESTAMP FROM alerts"
                )
            )
        upgrade(engine)
        insert_missed = text(
            "INSERT INTO alerts (patient_id, clinic_id, kind, rule, subject, rank, message,"
            " action, sources, state, raised_at, last_seen_at) SELECT p.id, p.clinic_id,"
            " 'missed', 'missed:phq9', '', 1, 'm', 'a', '[]', 'open',"
            " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM patients p"
        )
        with engine.begin() as conn:
            assert conn.execute(text("SELECT rule FROM alerts")).scalars().all() == ["phq9:item9"]
            assert conn.execute(text("SELECT count(*) FROM alert_events")).scalar() == 1
            clinic = conn.execute(text("SELECT missed_measure_alerts FROM clinics")).scalar()
            assert bool(clinic) is True
            conn.execute(insert_missed)
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert_missed)  # a second unresolved one for the same rule
    finally:
        engine.dispose()

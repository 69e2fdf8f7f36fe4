"""Real databases for the storage suites: a SQLite file and the local PostgreSQL server.

PostgreSQL never skips: CI starts the server (`.ci/run`). One database per test
session, `neurogarden_test_<random>`, emptied before each test and dropped at the end.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from neurogarden.storage import make_engine, upgrade

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    name = f"neurogarden_test_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_postgres(name: str) -> None:
    with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={name}") as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file in tmp_path, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'neurogarden.sqlite3'}"
    name: str = request.getfixturevalue("pg_database")
    _empty_postgres(name)
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The database at the newest migration."""
    engine = upgrade(make_engine(db_url))
    try:
        yield engine
    finally:
        engine.dispose()

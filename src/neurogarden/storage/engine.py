"""Engine factory: which database, and the SQLite settings that make it safe to rely on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from neurogarden.storage.writer_turns import install as install_writer_turns

DATABASE_URL_ENV = "NEUROGARDEN_DATABASE_URL"
# An execution option: this transaction reads (on SQLite: BEGIN DEFERRED, no write lock).
READ_ONLY = "neurogarden_read_only"

# WAL lets readers work while one writer commits; FULL syncs the WAL on every commit
# so a power cut cannot lose a committed write; SQLite leaves foreign keys off unless asked;
# a writer waits up to 10 s for another to finish instead of failing.
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000")


def default_url() -> str:
    """`NEUROGARDEN_DATABASE_URL`, else a SQLite file in the user's data directory."""
    env = os.environ.get(DATABASE_URL_ENV, "").strip()
    if env:
        return env
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("neurogarden"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'neurogarden.sqlite3'}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: `default_url()`); SQLite connections get the pragmas."""
    url = url or default_url()
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _lower(text: object) -> object:
    return text.lower() if isinstance(text, str) else text


def _configure_sqlite(engine: Engine) -> None:
    """Pragmas on every connection, and SQLAlchemy (not pysqlite) owns BEGIN, so that a
    transaction really spans DDL and DML alike (the SQLAlchemy pysqlite recipe).

    BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that reads and
    then writes fails at once with "database is locked" when another writer committed in
    between (the busy timeout cannot help there); an immediate one waits its turn. A
    caller that will only read asks for a deferred one (`READ_ONLY`), which takes no
    lock, so that pages are planned and drawn while writers go on. Writers take turns
    through a lock file first (`writer_turns`), so none waits in SQLite's sleeps."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # SQLite's lower() knows only ASCII; a search for "élodie" must find "Élodie",
        # as it does on PostgreSQL.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        try:
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(f"PRAGMA {pragma}")
        finally:
            cursor.close()

    turns = install_writer_turns(engine)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN DEFERRED")
            return
        dbapi_connection = connection.connection.dbapi_connection
        if turns is not None:
            turns.begin(dbapi_connection)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if turns is not None:
                turns.end(dbapi_connection)
            raise

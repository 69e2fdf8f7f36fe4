"""Writers to one SQLite file take turns through a lock file beside it.

SQLite lets one writer in at a time and makes the others wait in its busy handler,
which sleeps between tries in steps growing to 100 ms: under load a waiter keeps
sleeping while newcomers take the lock, and a few requests wait seconds (the load
test's p99). Here a writer first takes an exclusive `flock` on `<database>-writer.lock`
(every process and thread opens its own descriptor, so they exclude each other), tries
again every few milliseconds, and holds it from BEGIN IMMEDIATE to COMMIT or ROLLBACK;
SQLite's own lock is then free when it asks. After `WAIT_SECONDS` it goes on without
the turn and SQLite's busy timeout decides, as before. Readers never take it.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

WAIT_SECONDS = 10.0  # as long as SQLite's busy timeout
FIRST_RETRY_SECONDS = 0.0005
LONGEST_RETRY_SECONDS = 0.005


def lock_path(database: str) -> Path:
    return Path(f"{database}-writer.lock")


def take_turn(fd: int) -> bool:
    """Wait for the exclusive lock on `fd`; False if `WAIT_SECONDS` pass first."""
    deadline = time.monotonic() + WAIT_SECONDS
    pause = FIRST_RETRY_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_RETRY_SECONDS)


def _raw(connection: Any) -> Any:
    """The DBAPI connection itself, whether handed the pool's proxy for it or not."""
    return getattr(connection, "dbapi_connection", connection)


class WriterTurns:
    """The lock descriptor of each DBAPI connection, and whether it holds the turn."""

    def __init__(self, database: str) -> None:
        self.path = lock_path(database)
        self.fds: dict[int, int] = {}
        self.holding: set[int] = set()

    def opened(self, dbapi_connection: Any) -> None:
        self.fds[id(_raw(dbapi_connection))] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

    def closed(self, dbapi_connection: Any) -> None:
        self.end(dbapi_connection)
        fd = self.fds.pop(id(_raw(dbapi_connection)), None)
        if fd is not None:
            os.close(fd)

    def begin(self, dbapi_connection: Any) -> None:
        key = id(_raw(dbapi_connection))
        fd = self.fds.get(key)
        if fd is not None and key not in self.holding and take_turn(fd):
            self.holding.add(key)

    def end(self, dbapi_connection: Any) -> None:
        key = id(_raw(dbapi_connection))
        if key in self.holding:
            self.holding.discard(key)
            fcntl.flock(self.fds[key], fcntl.LOCK_UN)


def install(engine: Engine) -> WriterTurns | None:
    """Give `engine`'s connections their lock descriptors and give the turn back once a
    transaction has ended; the caller takes it before BEGIN IMMEDIATE (`begin`). None
    for a database in memory, which no other connection shares."""
    database = engine.url.database
    if not database or database == ":memory:" or engine.url.query.get("mode") == "memory":
        return None
    turns = WriterTurns(database)
    event.listen(engine, "connect", lambda conn, _record: turns.opened(conn))
    event.listen(engine, "close", lambda conn, _record: turns.closed(conn))
    event.listen(engine, "close_detached", turns.closed)
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        try:
            commit(dbapi_connection)
        finally:
            turns.end(dbapi_connection)

    def do_rollback(dbapi_connection: Any) -> None:
        try:
            rollback(dbapi_connection)
        finally:
            turns.end(dbapi_connection)

    dialect.do_commit = do_commit  # type: ignore[method-assign]
    dialect.do_rollback = do_rollback  # type: ignore[method-assign]
    return turns

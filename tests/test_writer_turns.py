"""Writers to one SQLite file take turns through a lock file: a second writer waits for
the first to commit and then goes in at once, a rollback gives the turn back, and a
reader never waits for it."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from neurogarden.storage.engine import READ_ONLY, make_engine
from neurogarden.storage.writer_turns import lock_path


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    database = tmp_path / "turns.sqlite3"
    made = make_engine(f"sqlite:///{database}")
    with made.begin() as conn:
        conn.execute(text("CREATE TABLE notes (n INTEGER)"))
    return made


def _free(engine: Engine) -> bool:
    """Nobody holds the writers' turn (a fresh descriptor can take it at once)."""
    fd = os.open(lock_path(str(engine.url.database)), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_second_writer_waits_for_the_first_commit_then_goes_in(engine: Engine) -> None:
    holding, waited = threading.Event(), []

    def first() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO notes VALUES (1)"))
            holding.set()
            time.sleep(0.4)

    def second() -> None:
        holding.wait()
        start = time.monotonic()
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO notes VALUES (2)"))
        waited.append(time.monotonic() - start)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 0.25 < waited[0] < 5
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM notes ORDER BY n")).scalars().all() == [1, 2]
    assert _free(engine)


def test_a_rollback_gives_the_turn_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError), engine.begin() as conn:
        conn.execute(text("INSERT INTO notes VALUES (3)"))
        assert not _free(engine)
        raise RuntimeError("the action failed")
    assert _free(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM notes")).scalar() == 0


def test_a_reader_never_waits_for_a_writer(engine: Engine) -> None:
    with engine.begin() as writer:
        writer.execute(text("INSERT INTO notes VALUES (4)"))
        start = time.monotonic()
        reader = engine.connect().execution_options(**{READ_ONLY: True})
        with reader, reader.begin():
            assert reader.execute(text("SELECT count(*) FROM notes")).scalar() == 0
        assert time.monotonic() - start < 1


def test_a_database_in_memory_needs_no_turns() -> None:
    memory = make_engine("sqlite://")
    with memory.begin() as conn:
        conn.execute(text("SELECT 1"))

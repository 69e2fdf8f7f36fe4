"""Storage: the one module that imports SQLAlchemy; the domain core never imports it.

SQLite in the user's data directory by default, PostgreSQL when
`NEUROGARDEN_DATABASE_URL` says so; the schema is owned by the Alembic migrations
shipped in `storage/migrations`, applied with `upgrade`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from neurogarden.storage.engine import DATABASE_URL_ENV, default_url, make_engine

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["DATABASE_URL_ENV", "default_url", "make_engine", "upgrade"]


def upgrade(engine_or_url: Engine | str | None = None, revision: str = "head") -> Engine:
    """Bring the database to `revision` (default: the newest); returns the engine used.
    Alembic is imported only here, so that reading the database starts faster."""
    from neurogarden.storage.migrate import upgrade as run_upgrade

    return run_upgrade(engine_or_url, revision)

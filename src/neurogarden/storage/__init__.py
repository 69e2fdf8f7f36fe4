"""Storage: the one module that imports SQLAlchemy; the domain core never imports it.

SQLite in the user's data directory by default, PostgreSQL when
`NEUROGARDEN_DATABASE_URL` says so; the schema is owned by the Alembic migrations
shipped in `storage/migrations`, applied with `upgrade`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from neurogarden.kb.foods import Food
from neurogarden.storage.engine import DATABASE_URL_ENV, default_url, make_engine

if TYPE_CHECKING:
    from sqlalchemy import Engine

if TYPE_CHECKING:
    from collections.abc import Iterable


__all__ = ["DATABASE_URL_ENV", "default_url", "make_engine", "stored_foods", "upgrade"]


def upgrade(engine_or_url: Engine | str | None = None, revision: str = "head") -> Engine:
    """Bring the database to `revision` (default: the newest); returns the engine used.
    Alembic is imported only here, so that reading the database starts faster."""
    from neurogarden.storage.migrate import upgrade as run_upgrade

    return run_upgrade(engine_or_url, revision)


def stored_foods(url: str | None = None, portions_for: Iterable[str] | None = None) -> list[Food]:
    """Imported foods as knowledge-base records, or none when the database has no food
    table yet (nothing was imported); reading never creates or migrates a database.
    `portions_for`: only the foods of these names get their household portions (None: all)."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    from neurogarden.storage.foods import foods_for_profiles

    url = url or default_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        from pathlib import Path

        if not Path(parsed.database).exists():
            return []
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table("foods"):
            return []
        return foods_for_profiles(engine, portions_for)
    finally:
        engine.dispose()

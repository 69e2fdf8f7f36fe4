"""Storage: the one module that imports SQLAlchemy; the domain core never imports it.

SQLite in the user's data directory by default, PostgreSQL when
`NEUROGARDEN_DATABASE_URL` says so; the schema is owned by the Alembic migrations
shipped in `storage/migrations`, applied with `upgrade`.
"""

from __future__ import annotations

from neurogarden.storage.engine import DATABASE_URL_ENV, default_url, make_engine
from neurogarden.storage.migrate import upgrade

__all__ = ["DATABASE_URL_ENV", "default_url", "make_engine", "upgrade"]

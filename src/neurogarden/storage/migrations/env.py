"""Alembic environment: runs against the engine handed over by `storage.migrate.upgrade`."""

from __future__ import annotations

from alembic import context

from neurogarden.storage.engine import make_engine
from neurogarden.storage.models import Base

config = context.config
engine = config.attributes.get("engine") or make_engine(config.get_main_option("sqlalchemy.url"))

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    )
    context.run_migrations()

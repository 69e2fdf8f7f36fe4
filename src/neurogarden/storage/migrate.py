"""Apply the packaged Alembic migrations from code: no alembic.ini is needed at runtime."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from neurogarden.storage.engine import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """A Config pointing at the packaged scripts; env.py picks the engine up from attributes."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine_or_url: Engine | str | None = None, revision: str = "head") -> Engine:
    """Bring the database to `revision` (default: the newest); returns the engine used."""
    engine = engine_or_url if isinstance(engine_or_url, Engine) else make_engine(engine_or_url)
    command.upgrade(alembic_config(engine), revision)
    return engine

"""The clinic's database, as the web app and the CLI open it: SQLite by default,
PostgreSQL for a clinic's server, migrated by Alembic (see `neurogarden.storage`)."""

from neurogarden.storage.clinic import Database

__all__ = ["Database"]

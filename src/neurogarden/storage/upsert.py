"""Insert a row, or update it when its key is already there, in one statement on
SQLite and PostgreSQL alike: what a derived record written by concurrent requests
needs (a read-then-insert would let the second request fail on the key)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert(s: Session, table: Any, row: Mapping[str, Any], key: Sequence[str]) -> None:
    dialect = s.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**row)
    changed = {name: statement.excluded[name] for name in row if name not in key}
    s.execute(statement.on_conflict_do_update(index_elements=list(key), set_=changed))

"""Facts about the database itself, by key. None of these functions commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from neurogarden.storage.models import MetaRow


def value_of(s: Session, key: str) -> str | None:
    row = s.get(MetaRow, key)
    return row.value if row else None


def set_value(s: Session, key: str, value: str) -> None:
    row = s.get(MetaRow, key)
    if row is None:
        s.add(MetaRow(key=key, value=value))
    else:
        row.value = value
    s.flush()

"""The food table as the CLI uses it: importing USDA FoodData Central into the clinic's
database, searching it with the packaged foods, and the imported foods a plan may need.
Storage and SQLAlchemy are imported inside each function, so that a plan whose diet
names only packaged foods never loads them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from neurogarden.clinic.rejected import Rejected

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from neurogarden.kb.foods import Food
    from neurogarden.storage.fdc_import import ImportCounts
    from neurogarden.storage.foods import FoodHit


def stored_foods(portions_for: Iterable[str] | None = None) -> list[Food]:
    """Imported foods as knowledge-base records; none when nothing was imported."""
    from neurogarden.storage import stored_foods as read

    return read(portions_for=portions_for)


def _engine(migrate: bool) -> Engine | Rejected | None:
    """The configured database (migrated for an import); None when it has no food table."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import OperationalError

    from neurogarden.storage import make_engine, upgrade

    try:
        engine = make_engine()
        if migrate:
            return upgrade(engine)
        return engine if inspect(engine).has_table("foods") else None
    except OperationalError as exc:
        return Rejected.one("database", str(exc.orig).strip().splitlines()[0])


def import_foods(
    path: Path, progress: Callable[[str, int, int], None] | None = None
) -> ImportCounts | Rejected:
    """Import a FoodData Central download (folder or .zip); importing again updates.
    A malformed download is refused, naming the file, and nothing is imported."""
    from neurogarden.storage.fdc_csv import FdcFormatError
    from neurogarden.storage.fdc_import import import_fdc

    engine = _engine(migrate=True)
    if isinstance(engine, Rejected):
        return engine
    if engine is None:  # upgrade always returns an engine; kept for the type
        return Rejected.one("database", "could not be opened")
    try:
        return import_fdc(engine, path, progress)
    except FdcFormatError as exc:
        return Rejected.one("path", f"{exc}; nothing was imported")
    finally:
        engine.dispose()


def search_foods(text: str, limit: int) -> list[FoodHit] | Rejected:
    """Imported and packaged foods whose names match `text` (misspellings allowed)."""
    from neurogarden.api import load_kb
    from neurogarden.storage.foods import search_foods as search

    engine = _engine(migrate=False)
    if isinstance(engine, Rejected):
        return engine
    try:
        return search(text, engine, load_kb().foods.values(), limit=limit)
    finally:
        if engine is not None:
            engine.dispose()

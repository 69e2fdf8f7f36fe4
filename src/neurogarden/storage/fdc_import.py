"""Write a FoodData Central download into `foods` and `food_portions` in one transaction.

Upserts by fdc_id, so importing the same download twice changes nothing; any error
rolls everything back, so a half-read file never leaves half a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from neurogarden.storage.fdc_csv import FdcDownload, Progress, foods, magnesium_amounts, portions
from neurogarden.storage.models import FoodPortionRow, FoodRow

BATCH = 2000
T = TypeVar("T")


@dataclass(frozen=True)
class ImportCounts:
    """What one import wrote; `skipped` foods had no magnesium value."""

    foods: int
    portions: int
    skipped: int


def _chunks(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _upsert_foods(conn: Connection) -> Any:
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(FoodRow)
    return stmt.on_conflict_do_update(
        index_elements=[FoodRow.fdc_id],
        set_={
            "source": stmt.excluded.source,
            "name": stmt.excluded.name,
            "data_type": stmt.excluded.data_type,
            "magnesium_mg_per_100g": stmt.excluded.magnesium_mg_per_100g,
        },
    )


def import_fdc(engine: Engine, path: Path, progress: Progress | None = None) -> ImportCounts:
    """Import the download at `path` (folder or .zip); raises FdcFormatError naming the file."""
    download = FdcDownload(path)
    try:
        amounts = magnesium_amounts(download, progress)
        with engine.begin() as conn:
            written: set[int] = set()
            skipped = 0
            upsert = _upsert_foods(conn)
            for batch in _chunks(foods(download, amounts, progress)):
                chunk = [f for f in batch if f.magnesium_mg_per_100g is not None]
                skipped += len(batch) - len(chunk)
                if not chunk:
                    continue
                conn.execute(
                    upsert,
                    [
                        {
                            "source": "fdc",
                            "fdc_id": f.fdc_id,
                            "name": f.name,
                            "data_type": f.data_type,
                            "magnesium_mg_per_100g": f.magnesium_mg_per_100g,
                        }
                        for f in chunk
                    ],
                )
                written.update(f.fdc_id for f in chunk)
            n_portions = _replace_portions(conn, download, written, progress)
    finally:
        download.close()
    return ImportCounts(len(written), n_portions, skipped)


def _replace_portions(
    conn: Connection, download: FdcDownload, fdc_ids: set[int], progress: Progress | None
) -> int:
    """The download's portions replace those stored for the foods it brought."""
    if not download.has("food_portion.csv") or not fdc_ids:
        return 0
    ids = {
        fdc_id: food_id
        for fdc_id, food_id in conn.execute(
            select(FoodRow.fdc_id, FoodRow.id).where(FoodRow.source == "fdc")
        )
        if fdc_id in fdc_ids
    }
    for chunk in _chunks(ids.values(), 500):
        conn.execute(delete(FoodPortionRow).where(FoodPortionRow.food_id.in_(chunk)))
    count = 0
    rows = (
        {"food_id": ids[p.fdc_id], "name": p.name[:200], "gram_weight": p.gram_weight}
        for p in portions(download, progress)
        if p.fdc_id in ids
    )
    for batch in _chunks(rows):
        conn.execute(insert(FoodPortionRow), batch)
        count += len(batch)
    return count

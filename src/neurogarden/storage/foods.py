"""Foods from the database for the core: search hits and `Food` records for profiles.

Imported foods become `Food` records with their magnesium per 100 g and the household
portions of `food_portions`, so a profile can log `{food: "<FDC description>", amount:
"1 cup"}` (or grams) right after `neurogarden foods import`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, select

from neurogarden.kb import models as m
from neurogarden.kb.foods import Food, Portion
from neurogarden.storage.models import FoodPortionRow, FoodRow

FDC_SOURCE = "usda-fdc"


@dataclass(frozen=True)
class FoodHit:
    """One search result: magnesium per 100 g (imported) or per usual serving (packaged)."""

    name: str
    magnesium_mg: float
    per: str  # "100 g" or the table's serving, e.g. "1 oz"
    fdc_id: int | None
    source: str  # "fdc" or "kb"
    score: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _stored(engine: Engine) -> list[tuple[str, float, int | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(FoodRow.name, FoodRow.magnesium_mg_per_100g, FoodRow.fdc_id).where(
                FoodRow.magnesium_mg_per_100g.is_not(None)
            )
        )
        return [(name, float(mg or 0.0), fdc_id) for name, mg, fdc_id in rows]


@lru_cache(maxsize=4096)
def _measure(stored_name: str) -> tuple[float, str, str]:
    """ "0.5 cup" -> (0.5, "cup", key); names repeat across foods, so each is parsed once."""
    from neurogarden.kb.foods import portion_key, split_count

    counted = split_count(stored_name)
    count, measure = counted if counted and counted[1] else (1.0, stored_name.strip())
    return count, measure, portion_key(measure)


def _portions(engine: Engine, food_ids: set[int] | None) -> dict[int, list[Portion]]:
    """food id -> its household portions per one measure, in import (FDC seq) order, for
    `food_ids` (None: every food). A stored "0.5 cup" of 90 g becomes a "cup" of 180 g;
    the first of two portions with the same name wins."""
    by_food: dict[int, list[Portion]] = {}
    keys: dict[int, set[str]] = {}
    query = (
        select(FoodPortionRow.food_id, FoodPortionRow.name, FoodPortionRow.gram_weight)
        .where(FoodPortionRow.gram_weight > 0)
        .order_by(FoodPortionRow.food_id, FoodPortionRow.id)
    )
    if food_ids is not None:
        if not food_ids:
            return by_food
        query = query.where(FoodPortionRow.food_id.in_(sorted(food_ids)))
    with engine.connect() as conn:
        for food_id, name, grams in conn.execute(query):
            count, measure, key = _measure(name)
            seen = keys.setdefault(food_id, set())
            if count <= 0 or not key or key in seen:
                continue
            seen.add(key)
            portion = Portion(name=measure, grams=round(float(grams) / count, 3))
            by_food.setdefault(food_id, []).append(portion)
    return by_food


def foods_for_profiles(engine: Engine, portions_for: Iterable[str] | None = None) -> list[Food]:
    """Every stored food with magnesium, as a knowledge-base `Food` per 100 g with its
    household portions from `food_portions`. `portions_for` limits the portions to the
    foods of those names (as a profile writes them, matched like knowledge-base names),
    which keeps a plan that logs one imported food from reading every portion."""
    from neurogarden.kb.base import normalise

    with engine.connect() as conn:
        rows = conn.execute(
            select(FoodRow.id, FoodRow.name, FoodRow.magnesium_mg_per_100g, FoodRow.fdc_id).where(
                FoodRow.magnesium_mg_per_100g.is_not(None), FoodRow.fdc_id.is_not(None)
            )
        ).all()
    wanted: set[int] | None = None
    if portions_for is not None:
        names = {normalise(n) for n in portions_for}
        ids = {n for n in names if n.startswith("fdc ")}  # a food named by its id, "fdc-170557"
        wanted = {
            food_id
            for food_id, name, _, fdc_id in rows
            if normalise(name) in names or (ids and f"fdc {fdc_id}" in ids)
        }
    portions = _portions(engine, wanted)
    return [
        Food(
            id=f"fdc-{fdc_id}",
            name=name,
            magnesium_mg_per_100g=float(mg or 0.0),
            basis="per_100g",
            portions=tuple(portions.get(food_id, ())),
            fdc_id=fdc_id,
            sources=(FDC_SOURCE,),
            evidence=m.Evidence.consensus,
        )
        for food_id, name, mg, fdc_id in rows
    ]


def search_foods(
    text: str, engine: Engine | None, kb_foods: Iterable[Food], limit: int = 10
) -> list[FoodHit]:
    """Fuzzy search over the stored foods and the packaged food table (names and aliases)."""
    from rapidfuzz import fuzz, process, utils

    from neurogarden.kb.foods import usual_portion, usual_portion_mg

    candidates: list[FoodHit] = []
    labels: list[str] = []
    for food in kb_foods:
        # the serving's own label and mg: no unit parsing (and no pint) on the search path
        per = food.serving.amount if food.serving else usual_portion(food)[0]
        hit = FoodHit(food.name, usual_portion_mg(food), per, food.fdc_id, "kb", 0.0)
        for label in food.all_names():
            candidates.append(hit)
            labels.append(label)
    if engine is not None:
        for name, mg, fdc_id in _stored(engine):
            candidates.append(FoodHit(name, mg, "100 g", fdc_id, "fdc", 0.0))
            labels.append(name)
    found = process.extract(
        text, labels, scorer=fuzz.WRatio, processor=utils.default_process,
        limit=limit * 3, score_cutoff=50,
    )  # fmt: skip
    hits: list[FoodHit] = []
    seen: set[tuple[str, str]] = set()
    for _label, score, index in found:
        hit = candidates[index]
        if (hit.source, hit.name) in seen:
            continue
        seen.add((hit.source, hit.name))
        hits.append(FoodHit(hit.name, hit.magnesium_mg, hit.per, hit.fdc_id, hit.source, score))
    return hits[:limit]

"""Food amounts by weight, and the food table's own cross-check.

An amount is a mass ("150 g", "1 oz"), a volume ("0.5 cup", "2 tbsp", "250 ml") converted
with the food's own cup, tablespoon or teaspoon gram weight (never a density guess), or a
count of one of the food's portions ("1 medium", "2 slices"). This is data logic of the
food table, so the knowledge base's own check and the profile both use it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from neurogarden.kb.models import Named, Verification
from neurogarden.units import UnitError, mass_in, parse_quantity


class Portion(BaseModel):
    """A household measure of a food and what it weighs: a cup of boiled spinach is 180 g.

    `name` is the measure without its count ("cup", "medium", "slice", "cup, packed");
    `grams` is the weight of one such measure. `verification` says how the gram weight
    was checked (fact-sheet legend); None for portions taken as given from an imported
    USDA FoodData Central download.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(min_length=1)
    grams: float = Field(gt=0)
    verification: Verification | None = None
    note: str | None = None


class Serving(BaseModel):
    """A sourced serving fact: `1 oz` of roasted pumpkin seeds has 156 mg (NIH ODS Table 2).
    `amount` is written like a diet amount and resolved with the food's own portions."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    amount: str
    magnesium_mg: float = Field(ge=0)


class Food(Named):
    """A food's magnesium per 100 g, its household portions with gram weights and, for the
    packaged table, the serving fact it was derived from or checked against.

    `basis` names the sourced number: "serving" (the ODS serving; mg per 100 g is derived
    from it and the portion's gram weight) or "per_100g" (a USDA value per 100 g; the
    serving is derived). `kb check` fails when the two disagree beyond rounding.
    """

    magnesium_mg_per_100g: float = Field(ge=0)
    basis: Literal["serving", "per_100g"] = "serving"
    serving: Serving | None = None
    portions: tuple[Portion, ...] = ()
    fdc_id: int | None = None  # USDA FoodData Central id, where known
    sr_ndb: str | None = Field(default=None, pattern=r"^[0-9]{5}$")  # SR Legacy NDB number
    note: str | None = None

    def magnesium_in(self, grams: float) -> float:
        """Milligrams of magnesium in `grams` of this food."""
        return grams * self.magnesium_mg_per_100g / 100.0


MAX_DAILY_GRAMS = 5000.0  # 5 kg of one food a day is not a plausible log entry
ROUNDING_MG = 1.0  # a serving fact reproduces within 1 mg or 2 %, whichever is larger
ROUNDING_SHARE = 0.02

_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
_COUNT = re.compile(
    r"^\s*(?:(?P<whole>\d+)\s*(?P<uni>[½¼¾⅓⅔])|(?P<uni_only>[½¼¾⅓⅔])"
    r"|(?:(?P<mixed>\d+)\s+)?(?P<num>\d+)\s*/\s*(?P<den>\d+)"
    r"|(?P<dec>\d+(?:\.\d*)?|\.\d+))\s*(?P<rest>.*?)\s*$"
)
_PARENS = re.compile(r"\([^)]*\)")
_VOLUME_UNITS = {"fl oz": "fl_oz", "fluid ounce": "fl_oz", "fluid ounces": "fl_oz"}


class DietError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def split_count(text: str) -> tuple[float, str] | None:
    """`"1/2 cup"` -> (0.5, "cup"); `"2 slices"` -> (2.0, "slices"); None without a number."""
    found = _COUNT.match(text)
    if found is None:
        return None
    g = found.groupdict()
    if g["uni"]:
        count = int(g["whole"]) + _FRACTIONS[g["uni"]]
    elif g["uni_only"]:
        count = _FRACTIONS[g["uni_only"]]
    elif g["num"]:
        if int(g["den"]) == 0:
            return None
        count = int(g["mixed"] or 0) + int(g["num"]) / int(g["den"])
    else:
        count = float(g["dec"])
    return count, " ".join(g["rest"].casefold().split())


def _singular(word: str) -> str:
    for suffix, keep in (("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("ies", "y"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def portion_key(name: str) -> str:
    """How portion names match: case, spacing, plurals and parentheses do not matter
    ("Slices" = "slice"; "medium (7\" to 7-7/8\" long)" = "medium")."""
    bare = " ".join(_PARENS.sub(" ", name.casefold()).replace('"', " ").split())
    head, _, modifier = bare.partition(",")
    head = " ".join(_singular(w) for w in head.split())
    modifier = " ".join(modifier.split())
    return f"{head}, {modifier}" if modifier else head


def find_portion(food: Food, name: str) -> Portion | None:
    key = portion_key(name)
    return next((p for p in food.portions if portion_key(p.name) == key), None)


@lru_cache(maxsize=1024)
def _grams_in_one(unit: str) -> float | None:
    """Grams in one `unit` when it is a mass ("oz", "g"), else None (a portion or a
    volume); a food's portions reuse few units, so each is read once."""
    try:
        return mass_in(f"1 {unit}", "g", field="unit")
    except UnitError:
        return None


@lru_cache(maxsize=1024)
def _volume_ml(unit_text: str) -> float | None:
    """Millilitres in one `unit_text` ("cup", "tbsp", "fl oz"), or None when not a volume."""
    unit = _VOLUME_UNITS.get(unit_text, unit_text)
    try:
        quantity = parse_quantity(f"1 {unit}", field="unit", dimension="volume")
    except UnitError:
        return None
    return float(quantity.to("ml").magnitude)


def _list_portions(food: Food, limit: int = 8) -> str:
    shown = [f"{p.name!r} ({p.grams:g} g)" for p in food.portions[:limit]]
    more = ", …" if len(food.portions) > limit else ""
    return ", ".join(shown) + more


def _no_portion(food: Food, amount: str, field: str, what: str) -> DietError:
    if food.portions:
        listing = f"its portions are {_list_portions(food)}"
    else:
        listing = "it has no household portions"
    return DietError(
        field,
        f"{food.name!r} has no portion {what!r} (from {amount!r}); {listing}; "
        "or give a mass such as '100 g' or '1 oz'",
    )


def _by_volume(food: Food, amount: str, ml: float, unit_ml: float, field: str) -> float:
    """Grams in `ml` of the food, from the food's own cup/tbsp/tsp gram weight: the plain
    measure nearest in size to the unit asked for (a teaspoon from the tablespoon)."""
    measured: list[tuple[Portion, float, bool]] = []
    for portion in food.portions:
        head, _, modifier = portion_key(portion.name).partition(",")
        per = _volume_ml(head.strip())
        if per is not None:
            measured.append((portion, per, not modifier))
    plain = [m for m in measured if m[2]]
    if plain:
        portion, per, _ = min(plain, key=lambda m: abs(math.log(m[1] / unit_ml)))
    elif len(measured) == 1:
        portion, per, _ = measured[0]
    elif measured:
        options = " or ".join(repr(p.name) for p, _, _ in measured)
        raise DietError(field, f"{amount!r} of {food.name!r} is ambiguous; say which: {options}")
    else:
        raise DietError(
            field,
            f"{food.name!r} has no cup, tablespoon or teaspoon weight to convert {amount!r}"
            + (f"; its portions are {_list_portions(food)}" if food.portions else "")
            + "; give a mass such as '100 g' or '1 oz'",
        )
    return ml / per * portion.grams


def grams_of(food: Food, amount: object, field: str) -> float:
    """The weight in grams of `amount` of `food`, or a DietError naming `field`."""
    if isinstance(amount, int | float) and not isinstance(amount, bool):
        amount = f"{amount:g}"  # a bare number: refused below with the food's portions
    if not isinstance(amount, str) or not amount.strip():
        raise DietError(field, f"expected an amount such as '100 g' or '1 medium'; got {amount!r}")
    counted = split_count(amount)
    if counted is None:
        raise DietError(field, f"{amount!r} needs a number, e.g. '1 cup' or '100 g'")
    count, rest = counted
    if not rest:
        examples = ", ".join(repr(f"1 {p.name}") for p in food.portions[:3])
        raise DietError(
            field,
            f"{amount!r} has no unit or portion; write e.g. '100 g', '1 oz'"
            + (f" or {examples}" if examples else ""),
        )
    unit = _VOLUME_UNITS.get(rest, rest)
    grams = _grams_in_one(unit)
    if grams is not None:
        return count * grams
    portion = find_portion(food, rest)
    if portion is not None:
        return count * portion.grams
    ml = _volume_ml(unit)
    if ml is not None:
        return _by_volume(food, amount, count * ml, ml, field)
    raise _no_portion(food, amount, field, rest)


def usual_portion(food: Food) -> tuple[str, float]:
    """The food's usual portion and its grams: the sourced serving, else its first portion,
    else 100 g."""
    if food.serving is not None:
        return food.serving.amount, grams_of(food, food.serving.amount, "serving")
    if food.portions:
        first = food.portions[0]
        return f"1 {first.name}", first.grams
    return "100 g", 100.0


def usual_portion_mg(food: Food) -> float:
    """Magnesium in the usual portion: the serving fact when there is one."""
    if food.serving is not None:
        return food.serving.magnesium_mg
    return food.magnesium_in(usual_portion(food)[1])


def serving_disagreement(food: Food) -> str | None:
    """Why mg per 100 g x the serving's grams does not reproduce the serving fact, or None."""
    if food.serving is None:
        return None
    try:
        grams = grams_of(food, food.serving.amount, "serving.amount")
    except DietError as exc:
        return exc.message
    computed = food.magnesium_in(grams)
    stated = food.serving.magnesium_mg
    if abs(computed - stated) > max(ROUNDING_MG, ROUNDING_SHARE * stated):
        return (
            f"{food.magnesium_mg_per_100g:g} mg/100 g x {grams:.4g} g ({food.serving.amount}) "
            f"= {computed:.1f} mg, but the serving fact says {stated:g} mg "
            f"(more than {ROUNDING_MG:g} mg or {ROUNDING_SHARE:.0%} apart)"
        )
    return None

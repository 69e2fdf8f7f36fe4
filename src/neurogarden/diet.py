"""Dietary magnesium from the profile's `diet:` log, in servings of the food table.

Dietary magnesium counts towards the RDA and never towards the supplemental UL.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from neurogarden.units import UnitError, parse_quantity

if TYPE_CHECKING:
    from collections.abc import Iterable

    from neurogarden.kb.models import Food
    from neurogarden.profile import Profile

_PORTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+([a-z][a-z ]*?)s?\s*$")


class DietError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def servings(amount: str, serving: str, field: str) -> float:
    """How many servings `amount` is: by mass or volume when both have units, else by portion."""
    try:
        have = parse_quantity(amount, field=field, dimension="mass")
        have_dim = "mass"
    except UnitError:
        have, have_dim = None, None
        try:
            have = parse_quantity(amount, field=field, dimension="volume")
            have_dim = "volume"
        except UnitError:
            pass
    if have is not None:
        try:
            unit = parse_quantity(serving, field="serving", dimension=have_dim or "mass")
        except UnitError:
            raise DietError(field, f"give this food in {serving!r} portions") from None
        return float((have / unit).to("dimensionless").magnitude)
    got, want = _PORTION.match(amount.lower()), _PORTION.match(serving.lower())
    if got and want and got.group(2).rstrip("s") == want.group(2).rstrip("s"):
        return float(got.group(1)) / float(want.group(1))
    raise DietError(field, f"{amount!r} needs a unit or a portion like the table's {serving!r}")


def dietary_magnesium_mg(profile: Profile) -> float | None:
    """Magnesium from the diet log, or None when the profile has no diet."""
    if not profile.diet:
        return None
    return sum(item.magnesium_mg for item in profile.diet)


def suggest_foods(
    foods: Iterable[Food], profile: Profile, gap_mg: float, limit: int = 5
) -> list[Food]:
    """Foods not yet eaten nor avoided, richest in magnesium per usual serving first.
    The suggestions name foods; they do not prescribe amounts."""
    if gap_mg <= 0:
        return []
    skip = {item.food.id for item in profile.diet} | {food.id for food in profile.avoid}
    ranked = sorted(
        (f for f in foods if f.id not in skip and f.magnesium_mg > 0),
        key=lambda f: (-f.magnesium_mg, f.name),
    )
    return ranked[:limit]

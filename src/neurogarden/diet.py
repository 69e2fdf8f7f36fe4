"""Dietary magnesium from the profile's `diet:` log, in servings of the food table.

Dietary magnesium counts towards the RDA and never towards the supplemental UL.
"""

from __future__ import annotations

import re

from neurogarden.kb.base import KnowledgeBase, UnknownName
from neurogarden.profile import Profile, ProfileError
from neurogarden.units import UnitError, parse_quantity

_PORTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+([a-z][a-z ]*?)s?\s*$")


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
            raise ProfileError(field, f"give this food in {serving!r} portions") from None
        return float((have / unit).to("dimensionless").magnitude)
    got, want = _PORTION.match(amount.lower()), _PORTION.match(serving.lower())
    if got and want and got.group(2).rstrip("s") == want.group(2).rstrip("s"):
        return float(got.group(1)) / float(want.group(1))
    raise ProfileError(
        field, f"{amount!r} needs a unit or a portion like the table's {serving!r}"
    )


def dietary_magnesium_mg(kb: KnowledgeBase, profile: Profile) -> float | None:
    """Magnesium from the diet log, or None when the profile has no diet."""
    if not profile.diet:
        return None
    total = 0.0
    for i, item in enumerate(profile.diet):
        try:
            food = kb.foods.resolve(item.food)
        except UnknownName as exc:
            raise ProfileError(f"diet[{i}].food", str(exc)) from None
        count = servings(item.amount, food.serving, f"diet[{i}].amount")
        if count > 50:
            raise ProfileError(f"diet[{i}].amount", f"{item.amount!r} is not a plausible daily amount")
        total += count * food.magnesium_mg
    return total

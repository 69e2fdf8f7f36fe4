"""Dietary magnesium from the profile's `diet:` log, and foods that would close the gap
to the RDA. Dietary magnesium counts towards the RDA and never towards the
supplemental UL."""

from __future__ import annotations

from collections.abc import Iterable

from neurogarden.kb.foods import Food, usual_portion_mg
from neurogarden.profile import Profile


def dietary_magnesium_mg(profile: Profile) -> float | None:
    """Magnesium from the diet log, or None when the profile has no diet."""
    if not profile.diet:
        return None
    return sum(item.magnesium_mg for item in profile.diet)


def suggest_foods(
    foods: Iterable[Food], profile: Profile, gap_mg: float, limit: int = 5
) -> list[Food]:
    """Foods not yet eaten nor avoided, richest in magnesium per usual portion first.
    The suggestions name foods; they do not prescribe amounts."""
    if gap_mg <= 0:
        return []
    skip = {item.food.id for item in profile.diet} | {food.id for food in profile.avoid}
    scored = [(usual_portion_mg(f), f) for f in foods if f.id not in skip]
    ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1].name))
    return [f for _, f in ranked[:limit]]

"""Find an instrument by id, short title or alias, suggesting the nearest on a miss."""

from __future__ import annotations

import re
from collections.abc import Mapping

from neurogarden.instruments.scoring import InputError
from neurogarden.kb.instruments.models import InstrumentDefinition


def _key(text: str) -> str:
    """`PHQ-9`, `phq 9` and `phq9` all compare equal."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def find_instrument(
    instruments: Mapping[str, InstrumentDefinition], name: str
) -> InstrumentDefinition:
    names: dict[str, str] = {}
    for definition in instruments.values():
        for label in (definition.id, definition.short_title, *definition.aliases):
            names.setdefault(_key(label), definition.id)
    wanted = _key(name)
    if wanted in names:
        return instruments[names[wanted]]
    from rapidfuzz import fuzz, process  # only on a miss: keeps the cold start short

    best = process.extractOne(wanted, list(names), scorer=fuzz.WRatio, score_cutoff=60)
    hint = f"; did you mean {names[best[0]]!r}?" if best else ""
    known = ", ".join(sorted(instruments))
    raise InputError("instrument", f"unknown instrument {name!r}{hint} (known: {known})")

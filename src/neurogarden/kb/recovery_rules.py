"""The alert rules' data, resolved: which finding codes count as a dangerous combination
and where the withdrawal threshold lies. Kept apart so `kb check` can verify them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from neurogarden.kb.instruments.loader import Catalogue, default_catalogue
from neurogarden.kb.problems import Problem
from neurogarden.kb.recovery_records import RecoveryAlertRule

if TYPE_CHECKING:
    from neurogarden.kb.base import KnowledgeBase
    from neurogarden.kb.instruments.models import InstrumentDefinition


def instrument_for(rule: RecoveryAlertRule) -> InstrumentDefinition:
    return default_catalogue().instruments[rule.instrument or ""]


def withdrawal_threshold(rule: RecoveryAlertRule, definition: InstrumentDefinition) -> int:
    """The lower bound of the band `rule.from_band` in the instrument's own definition."""
    for band in definition.scoring.bands:
        if band.label == rule.from_band:
            return band.min
    raise LookupError(f"{definition.id} has no band {rule.from_band!r}")


def check_all(kb: KnowledgeBase, catalogue: Catalogue) -> list[Problem]:
    """For `kb check`: the withdrawal rule's instrument and band exist."""
    rule = kb.recovery_rules.get("withdrawal")
    if rule is None:
        return []
    file = kb.files.get(rule.id, "recovery.yaml")
    definition = catalogue.instruments.get(rule.instrument or "")
    if definition is None:
        return [Problem(file, rule.id, f"unknown instrument {rule.instrument!r}")]
    try:
        withdrawal_threshold(rule, definition)
    except LookupError as exc:
        return [Problem(file, rule.id, str(exc))]
    return []

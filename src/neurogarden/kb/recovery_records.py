"""The recovery records: evidence-based options shown as information, and the clinician
alert rules with every threshold as data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from neurogarden.kb.models import Matcher, Record, Severity

if TYPE_CHECKING:
    from neurogarden.kb.base import KnowledgeBase


class RecoveryOption(Record):
    """An evidence-based recovery option shown to the clinician as information only."""

    name: str
    kind: Literal["medication", "counselling", "mutual_support"]
    summary: str
    treats: tuple[str, ...] = Field(min_length=1)  # e.g. "opioid use disorder"


class RecoveryAlertRule(Record):
    """A clinician alert on the recovery timeline. Every threshold is data here, with
    `basis` saying where it comes from (a source, or neurogarden's stated reasoning).

    - `rising_use`: use in the last `window_days` against the `window_days` before.
    - `withdrawal`: the latest total of `instrument` at or above the lower bound of its
      band `from_band` (the bound is read from the instrument definition, not copied).
    - `new_combination`: a finding of one of `finding_kinds` at `finding_severity`
      whose rule involves a substance, present now and absent before.
    """

    kind: Literal["rising_use", "withdrawal", "new_combination"]
    severity: Severity
    message: str
    basis: str
    window_days: int | None = Field(default=None, ge=1, le=90)
    instrument: str | None = None
    from_band: str | None = None
    finding_kinds: tuple[Literal["substance", "combination"], ...] = ()
    finding_severity: Severity | None = None

    @model_validator(mode="after")
    def _fields_for_kind(self) -> RecoveryAlertRule:
        needed = {
            "rising_use": ("window_days",),
            "withdrawal": ("instrument", "from_band"),
            "new_combination": ("window_days", "finding_kinds", "finding_severity"),
        }[self.kind]
        missing = [name for name in needed if not getattr(self, name)]
        if missing:
            raise ValueError(f"a {self.kind} rule needs {', '.join(missing)}")
        return self


def _involves_substance(matcher: Matcher | None) -> bool:
    return matcher is not None and bool(matcher.substances or matcher.substance_categories)


def combination_codes(kb: KnowledgeBase, rule: RecoveryAlertRule) -> frozenset[str]:
    """Effect-rule ids (the finding codes they raise) that the new-combination alert
    watches: of the rule's kinds and severity, and involving a substance."""
    return frozenset(
        effect.id
        for effect in kb.effects
        if effect.kind in rule.finding_kinds
        and rule.finding_severity is not None
        and effect.severity == rule.finding_severity
        and (_involves_substance(effect.applies_to) or _involves_substance(effect.also_requires))
    )

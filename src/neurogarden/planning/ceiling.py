"""The most supplemental magnesium a plan may reach in a day, and why.

Every magnesium dose the plan recommends, daily or in an integration window, counts
against one ceiling together with the person's own supplements:

- the upper limit for supplemental magnesium for the age (IOM);
- the knowledge base's lowest dose at eGFR 30–59 and after a clinician lifts a hold;
- for a child, the gap between the logged diet and the RDA (no diet: no dose, and a
  hold that lifts when the diet is logged).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neurogarden.kb.base import KnowledgeBase
from neurogarden.planning.holds import hold_finding, lifted
from neurogarden.planning.result import Finding
from neurogarden.planning.safety import cite, lowest_dose_band
from neurogarden.profile import Profile


@dataclass(frozen=True)
class Ceiling:
    """`mg` is None when no supplemental magnesium is allowed at all (no UL for the age)."""

    mg: float | None
    findings: list[Finding] = field(default_factory=list)


def is_child(kb: KnowledgeBase, profile: Profile) -> bool:
    return profile.age < kb.child_dosing.below_age_years


def ceiling(
    kb: KnowledgeBase,
    profile: Profile,
    ul: float | None,
    rda: float | None,
    dietary: float | None,
    findings: list[Finding],
) -> Ceiling:
    """The day's ceiling for all supplemental magnesium, with the findings that explain it.
    `findings` are the plan's findings so far (holds already marked if overridden)."""
    if ul is None:
        return Ceiling(None)
    out: list[Finding] = []
    limit = ul
    band = lowest_dose_band(kb, profile)
    if band is not None or lifted(findings):
        lowest = kb.parameters["lowest-dose"]
        limit = min(limit, lowest.value)
        why = f"eGFR {profile.egfr:g}" if band is not None else "a clinician lifted a hold"
        out.append(
            cite(
                lowest,
                "info",
                "mg-lowest-dose",
                f"With {why}, all supplemental magnesium is kept to the plan's lowest dose, "
                f"{lowest.value:g} mg a day. {lowest.basis}",
                "magnesium",
            )
        )
    if is_child(kb, profile):
        child = kb.child_dosing
        out.append(cite(child, "info", "child-clinician-decision", child.decision_message))
        if dietary is None or rda is None:
            out.append(
                hold_finding(
                    child, child.hold, "child-diet-needed", child.no_diet_message, "magnesium"
                )
            )
        else:
            limit = min(limit, max(0.0, rda - dietary))
    return Ceiling(round(limit, 1), out)

"""Omega-3 label maths: only the EPA and DHA lines of the Supplement Facts count.

"Fish oil 1,000 mg" is the oil's weight, not its omega-3 content (fact sheet B), so
every figure here starts from EPA and DHA per capsule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.compiled import default_kb
from neurogarden.planning.result import Finding


@dataclass(frozen=True)
class Omega3Rules:
    """The label tests' numbers, each a knowledge-base parameter with its basis:
    article 003's ">60% EPA" as Liao 2019's EPA-major cut-off (the boundary counts as
    meeting it), ISNPR's EPA/DHA of 2 (Guu 2019, 2.0 counts), about 1 g EPA a day,
    article 003's 2 g EPA+DHA, and Gencer 2021's atrial-fibrillation signal above 1 g."""

    epa_share_min: float
    ratio_min: float
    epa_target_mg: float
    epa_dha_target_mg: float
    af_threshold_mg: float


def rules_from(kb: KnowledgeBase | None = None) -> Omega3Rules:
    """The packaged knowledge base's omega-3 numbers (or `kb`'s)."""
    p = (kb or default_kb()).parameters
    return Omega3Rules(
        epa_share_min=p["omega3-epa-share-min"].value,
        ratio_min=p["omega3-epa-dha-ratio-min"].value,
        epa_target_mg=p["omega3-epa-target"].value,
        epa_dha_target_mg=p["omega3-epa-dha-target"].value,
        af_threshold_mg=p["omega3-af-threshold"].value,
    )


_TOLERANCE = 1e-9


class Omega3Maths(BaseModel):
    """What `neurogarden omega3` prints (per capsule in, doses out)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    epa_mg: float
    dha_mg: float
    epa_share: float  # 0–1
    epa_dha_ratio: float | None  # None when DHA is 0 (pure EPA: the ratio is infinite)
    meets_epa_60: bool
    meets_isnpr_ratio: bool
    capsules_for_1g_epa: float | None
    capsules_for_2g_epa_dha: float | None
    whole_capsules_for_1g_epa: int | None
    epa_dha_at_1g_epa_mg: float | None
    findings: tuple[Finding, ...] = ()


def _capsules(target: float, per_capsule: float) -> float | None:
    return None if per_capsule <= 0 else round(target / per_capsule, 1)


def whole_capsules(target: float, per_capsule: float) -> int | None:
    """Capsules needed to reach `target`, rounded up (2.0 stays 2)."""
    if per_capsule <= 0:
        return None
    return math.ceil(round(target / per_capsule, 6))


def af_finding(
    daily_epa_dha_mg: float, subject: str, rules: Omega3Rules | None = None
) -> Finding | None:
    """The atrial-fibrillation signal above the threshold (Gencer 2021)."""
    rules = rules or rules_from()
    if daily_epa_dha_mg <= rules.af_threshold_mg:
        return None
    limit = f"{rules.af_threshold_mg:g} mg"
    return Finding(
        severity="info",
        code="omega3-af-signal",
        message=(
            f"{daily_epa_dha_mg:g} mg EPA+DHA a day is above {limit}: in trials of long-term "
            f"marine omega-3, atrial fibrillation was more common above {limit} a day (HR 1.49 "
            f"vs 1.12 at {limit} or less). Ask a clinician if you have heart-rhythm problems."
        ),
        sources=("gencer-2021",),
        evidence="moderate",
        subject=subject,
    )


def maths(epa_mg: float, dha_mg: float, rules: Omega3Rules | None = None) -> Omega3Maths:
    """Share, ratio, the two guideline tests and capsule counts for one capsule's label."""
    rules = rules or rules_from()
    if epa_mg < 0 or dha_mg < 0 or epa_mg + dha_mg <= 0:
        raise ValueError("EPA and DHA must be non-negative and not both zero")
    share = epa_mg / (epa_mg + dha_mg)
    ratio = None if dha_mg == 0 else epa_mg / dha_mg
    whole = whole_capsules(rules.epa_target_mg, epa_mg)
    at_target = None if whole is None else round(whole * (epa_mg + dha_mg), 1)
    af = af_finding(at_target, "omega-3", rules) if at_target is not None else None
    return Omega3Maths(
        epa_mg=epa_mg,
        dha_mg=dha_mg,
        epa_share=round(share, 4),
        epa_dha_ratio=None if ratio is None else round(ratio, 2),
        meets_epa_60=share >= rules.epa_share_min - _TOLERANCE,
        meets_isnpr_ratio=ratio is None or ratio >= rules.ratio_min - _TOLERANCE,
        capsules_for_1g_epa=_capsules(rules.epa_target_mg, epa_mg),
        capsules_for_2g_epa_dha=_capsules(rules.epa_dha_target_mg, epa_mg + dha_mg),
        whole_capsules_for_1g_epa=whole,
        epa_dha_at_1g_epa_mg=at_target,
        findings=(af,) if af is not None else (),
    )

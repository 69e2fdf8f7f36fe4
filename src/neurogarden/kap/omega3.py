"""Omega-3 label maths: only the EPA and DHA lines of the Supplement Facts count.

"Fish oil 1,000 mg" is the oil's weight, not its omega-3 content (fact sheet B), so
every figure here starts from EPA and DHA per capsule.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict

from neurogarden.result import Finding

EPA_SHARE_MIN = 0.6
"""Article 003's ">60% EPA", implemented as Liao 2019's "EPA-major" cut-off (≥60% EPA).
The fact sheet's table (B) marks 180/120 (60.0%) as meeting it and 650/450 (59.1%) as
failing ≥60%, so the boundary counts as meeting."""

ISNPR_RATIO_MIN = 2.0
"""ISNPR (Guu 2019): "EPA/DHA >2". Implemented as ≥ 2 because the fact sheet's table (B)
lists 500/250 and 400/200 (exactly 2.0) as the guideline-meeting examples and the issue
says 500/250 "passes both rules"."""

EPA_TARGET_MG = 1000.0
"""About 1 g EPA a day: Liao 2019 (benefit at EPA ≤1 g/day) and the low end of ISNPR's
1–2 g net EPA."""

EPA_DHA_TARGET_MG = 2000.0
"""Article 003's "at least 2,000 mg EPA+DHA", computed so people can see what it takes."""

AF_THRESHOLD_MG = 1000.0
"""Gencer 2021: atrial-fibrillation HR 1.49 above 1 g/day EPA+DHA vs 1.12 at ≤1 g/day."""

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


def af_finding(daily_epa_dha_mg: float, subject: str) -> Finding | None:
    """The atrial-fibrillation signal above 1 g/day EPA+DHA (Gencer 2021)."""
    if daily_epa_dha_mg <= AF_THRESHOLD_MG:
        return None
    return Finding(
        severity="info",
        code="omega3-af-signal",
        message=(
            f"{daily_epa_dha_mg:g} mg EPA+DHA a day is above 1 g: in trials of long-term "
            "marine omega-3, atrial fibrillation was more common above 1 g/day (HR 1.49 vs "
            "1.12 at ≤1 g/day). Ask a clinician if you have heart-rhythm problems."
        ),
        sources=("gencer-2021",),
        evidence="moderate",
        subject=subject,
    )


def maths(epa_mg: float, dha_mg: float) -> Omega3Maths:
    """Share, ratio, the two guideline tests and capsule counts for one capsule's label."""
    if epa_mg < 0 or dha_mg < 0 or epa_mg + dha_mg <= 0:
        raise ValueError("EPA and DHA must be non-negative and not both zero")
    share = epa_mg / (epa_mg + dha_mg)
    ratio = None if dha_mg == 0 else epa_mg / dha_mg
    whole = whole_capsules(EPA_TARGET_MG, epa_mg)
    at_target = None if whole is None else round(whole * (epa_mg + dha_mg), 1)
    af = af_finding(at_target, "omega-3") if at_target is not None else None
    return Omega3Maths(
        epa_mg=epa_mg,
        dha_mg=dha_mg,
        epa_share=round(share, 4),
        epa_dha_ratio=None if ratio is None else round(ratio, 2),
        meets_epa_60=share >= EPA_SHARE_MIN - _TOLERANCE,
        meets_isnpr_ratio=ratio is None or ratio >= ISNPR_RATIO_MIN - _TOLERANCE,
        capsules_for_1g_epa=_capsules(EPA_TARGET_MG, epa_mg),
        capsules_for_2g_epa_dha=_capsules(EPA_DHA_TARGET_MG, epa_mg + dha_mg),
        whole_capsules_for_1g_epa=whole,
        epa_dha_at_1g_epa_mg=at_target,
        findings=(af,) if af is not None else (),
    )

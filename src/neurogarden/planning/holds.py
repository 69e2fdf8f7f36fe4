"""Holds: `block` findings that keep every magnesium dose out of a plan, integration
windows included, until the missing fact is supplied or a clinician lifts them.

A hold is not a verdict that oral magnesium harms: several rest on injection labels
and case reports after intravenous magnesium. It says that a clinician, not the plan,
should decide. Each hold states how it lifts, and a clinician's override is an
ordinary profile entry (`overrides:` with the finding's code, a reason and a name) that
the plan shows beside the finding. After an override the plan gives no more than the
knowledge base's lowest dose.
"""

from __future__ import annotations

from collections.abc import Iterable

from neurogarden.kb import models as m
from neurogarden.kb.text import one_line
from neurogarden.planning.result import Finding, Hold, Override
from neurogarden.profile import Profile, ProfileError

FACT_LIFTS = {
    "egfr": "a recent eGFR is entered (the plan then follows the eGFR bands)",
    "diet": "the usual day of food is logged (the plan then sizes a dose to the gap to the RDA)",
}


def lift_text(code: str, spec: m.HoldSpec) -> str:
    """One sentence that says how this hold lifts."""
    ways = [FACT_LIFTS[spec.fact]] if spec.fact else []
    if spec.overridable:
        ways.append(f"a clinician records an override of '{code}' with a reason")
    return f"Magnesium is held until {' or '.join(ways)}."


def hold_finding(
    record: m.Record, spec: m.HoldSpec, code: str, message: str, subject: str | None
) -> Finding:
    """A cited `block` that holds magnesium, with how it lifts appended to its message."""
    return Finding(
        severity="block",
        code=code,
        message=one_line(f"{message} {lift_text(code, spec)}"),
        sources=record.sources,
        evidence=record.evidence.value,
        subject=subject,
        hold=Hold(fact=spec.fact, overridable=spec.overridable),
        liftable=spec.overridable,
    )


def override_holds(findings: Iterable[Finding], profile: Profile) -> list[Finding]:
    """Mark each overridable hold that a profile override names; leave the rest as they are.
    Unknown codes are reported once, by `check_overrides`, when every finding is known."""
    by_code = {o.code: Override(by=o.by, reason=o.reason) for o in profile.overrides}
    out = []
    for f in findings:
        if f.hold is not None and f.hold.overridable and f.code in by_code:
            f = f.model_copy(update={"overridden": by_code[f.code]})
        out.append(f)
    return out


def check_overrides(findings: Iterable[Finding], profile: Profile) -> None:
    """An override must name a `block` a clinician may lift (a hold or a session gate).
    A stale or mistyped override must not sit in a record looking effective."""
    blocks = {f.code: f for f in findings if f.severity == "block"}
    liftable = sorted(c for c, f in blocks.items() if f.liftable)
    for i, o in enumerate(profile.overrides):
        found = blocks.get(o.code)
        if found is not None and found.hold is not None and not found.hold.overridable:
            raise ProfileError(
                f"overrides[{i}].code",
                f"{o.code!r} cannot be overridden; it lifts when "
                f"{FACT_LIFTS.get(found.hold.fact or '', 'its fact is supplied')}",
            )
        if found is None or found.overridden is None:
            known = ", ".join(liftable) or "none (this profile has no block to override)"
            raise ProfileError(
                f"overrides[{i}].code",
                f"{o.code!r} matches no block that can be overridden; those are: {known}",
            )


def held(findings: Iterable[Finding]) -> bool:
    """True while any hold is in force (not lifted by a clinician)."""
    return any(f.holds_magnesium for f in findings)


def lifted(findings: Iterable[Finding]) -> bool:
    """True when a clinician lifted a hold, so the plan keeps to the lowest dose."""
    return any(f.hold is not None and f.overridden is not None for f in findings)

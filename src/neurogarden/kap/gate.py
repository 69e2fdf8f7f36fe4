"""The safety gate before a session: effect rules with target `kap_session` from
kb/data/kap_gate.yaml, the protocol's age rule, and clinicians' overrides of blocks."""

from __future__ import annotations

from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.protocol import Protocol
from neurogarden.kb.text import one_line
from neurogarden.planning.result import Finding, Override
from neurogarden.planning.safety import cite, exposure_keys, matches
from neurogarden.profile import Profile

AGE_CODE = "kap-age-under-18"


def _flag_conditions(profile: Profile) -> dict[str, str]:
    """`person.pregnant`/`lactating` count as the conditions of the same name."""
    flags = {}
    if profile.pregnant:
        flags["pregnancy"] = "pregnancy"
    if profile.lactating:
        flags["lactation"] = "breastfeeding"
    return flags


def gate_findings(kb: KnowledgeBase, profile: Profile, protocol: Protocol) -> list[Finding]:
    """Every gate rule the profile matches; nothing when there is no session."""
    if not profile.sessions:
        return []
    out: list[Finding] = []
    flags = _flag_conditions(profile)
    exposed = exposure_keys(profile) | {("condition", cid) for cid in flags}
    for rule in kb.effects:
        if rule.target != "kap_session" or rule.applies_to.keys.isdisjoint(exposed):
            continue
        hits = matches(rule.applies_to, profile)
        hits += [name for cid, name in flags.items() if cid in rule.applies_to.conditions]
        if not hits or (rule.unless is not None and matches(rule.unless, profile)):
            continue
        subject = ", ".join(dict.fromkeys(hits))
        finding = cite(rule, rule.severity.value, rule.id, rule.message, subject)
        out.append(finding.model_copy(update={"liftable": finding.severity == "block"}))
    age = protocol.gate
    if profile.age < age.min_age_years:
        out.append(
            Finding(
                severity=age.severity.value,
                liftable=age.severity.value == "block",
                code=AGE_CODE if age.min_age_years == 18 else f"kap-age-under-{age.min_age_years}",
                message=f"Age {profile.age}. {one_line(age.message)}",
                sources=age.sources,
                evidence=age.evidence.value,
                subject="age",
            )
        )
    return out


def apply_overrides(findings: list[Finding], profile: Profile) -> list[Finding]:
    """Mark each overridden gate `block` with who overrode it and why. Codes that match
    nothing here are checked once every finding is known (`holds.check_overrides`)."""
    by_code = {o.code: Override(by=o.by, reason=o.reason) for o in profile.overrides}
    return [
        f.model_copy(update={"overridden": by_code[f.code]})
        if f.severity == "block" and f.code in by_code
        else f
        for f in findings
    ]


def gate_blocked(findings: list[Finding]) -> bool:
    """A gate `block` that no clinician has overridden: the session's window adds no
    supplements (the checklist still applies)."""
    return any(f.severity == "block" and f.overridden is None for f in findings)

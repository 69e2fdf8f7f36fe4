"""Add sessions to a plan: gate findings (with overrides), one integration window
per session, follow-up events and the omega-3 label maths for the person's fish oil.

`integrate` never mutates the plan; it returns a copy, so `build_plan` stays the
single source of the daily regimen and this module only adds what sessions need.
"""

from __future__ import annotations

from neurogarden.kap import omega3
from neurogarden.kap.events import follow_up_events
from neurogarden.kap.gate import apply_overrides, gate_findings
from neurogarden.kap.protocol import Protocol, default_protocol
from neurogarden.kap.supplements import window_day
from neurogarden.kap.windows import build_window
from neurogarden.kb.base import KnowledgeBase
from neurogarden.planner import references
from neurogarden.profile import Profile
from neurogarden.result import Finding, Plan
from neurogarden.safety import effect_findings, sort_findings


def current_omega3_findings(profile: Profile) -> list[Finding]:
    """The label maths for each fish oil the person lists (per capsule × capsules × times)."""
    out: list[Finding] = []
    for s in profile.supplements:
        if s.nutrient != "omega3" or s.epa_mg is None:
            continue
        label = omega3.maths(s.epa_mg, s.dha_mg or 0.0)
        per_day = (s.capsules or 1) * s.doses_per_day
        daily = round(per_day * (s.epa_mg + (s.dha_mg or 0.0)), 1)
        ratio = "pure EPA" if label.epa_dha_ratio is None else f"EPA:DHA {label.epa_dha_ratio:g}"
        verdicts = (
            f"{'meets' if label.meets_epa_60 else 'does not meet'} the ≥60% EPA cut-off "
            f"(Liao 2019) and {'meets' if label.meets_isnpr_ratio else 'does not meet'} the "
            "ISNPR guideline's EPA:DHA of 2"
        )
        out.append(
            Finding(
                severity="info",
                code="omega3-label",
                message=(
                    f"{s.name}: {s.epa_mg:g} mg EPA + {s.dha_mg or 0:g} mg DHA a capsule is "
                    f"{label.epa_share:.1%} EPA ({ratio}); it {verdicts}. "
                    f"{per_day} capsule(s) a day give {daily:g} mg EPA+DHA."
                ),
                sources=("liao-2019", "guu-2019-isnpr"),
                evidence="computed",
                subject=s.name,
            )
        )
        af = omega3.af_finding(daily, s.name)
        if af is not None:
            out.append(af)
    return out


def integrate(
    plan: Plan, profile: Profile, kb: KnowledgeBase, protocol: Protocol | None = None
) -> Plan:
    """A copy of `plan` with the session gate, windows and follow-up events added."""
    protocol = protocol or default_protocol()
    findings = list(plan.findings)
    findings += current_omega3_findings(profile)
    gate = apply_overrides(gate_findings(kb, profile, protocol), profile)
    findings += gate
    windows = []
    if profile.sessions:
        day = window_day(kb, profile, plan, protocol.supplements)
        windows = [
            build_window(kb, profile, protocol, i, session, day)
            for i, session in enumerate(profile.sessions)
        ]
        findings += day.findings
    takes_omega3 = any(s.nutrient == "omega3" for s in profile.supplements)
    if takes_omega3 or any(s.nutrient == "omega3" for w in windows for s in w.supplements):
        findings += effect_findings(kb, profile, ("omega3",))
    events = follow_up_events(profile, protocol)
    cited = {sid for f in findings for sid in f.sources}
    for w in windows:
        cited |= {sid for c in w.checklist for sid in c.sources}
        cited |= {sid for i in w.instructions for sid in i.sources}
        cited |= {sid for d in w.supplements for sid in d.sources}
    cited |= {sid for e in events for sid in e.sources}
    refs = {**plan.references, **references(kb, cited - set(plan.references))}
    return plan.model_copy(
        update={
            "findings": sort_findings(findings),
            "windows": tuple(windows),
            "events": events,
            "references": dict(sorted(refs.items())),
        }
    )

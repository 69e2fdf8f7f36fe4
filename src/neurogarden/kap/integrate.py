"""Add sessions to a plan: gate findings (with overrides), one integration window
per session, follow-up events and the omega-3 label maths for the person's fish oil.

`integrate` never mutates the plan; it returns a copy, so `build_plan` stays the
single source of the daily regimen and this module only adds what sessions need.
"""

from __future__ import annotations

from neurogarden.kap import omega3
from neurogarden.kap.events import follow_up_events
from neurogarden.kap.gate import apply_overrides, gate_blocked, gate_findings
from neurogarden.kap.supplements import WindowDay, window_day
from neurogarden.kap.windows import build_window
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.protocol import Protocol, default_protocol
from neurogarden.planning.builder import references
from neurogarden.planning.holds import check_overrides
from neurogarden.planning.result import Finding, Plan
from neurogarden.planning.safety import effect_findings, sort_findings
from neurogarden.planning.schedule import Schedule
from neurogarden.profile import Profile


def current_omega3_findings(profile: Profile, kb: KnowledgeBase) -> list[Finding]:
    """The label maths for each fish oil the person lists (per capsule × capsules × times)."""
    rules = omega3.rules_from(kb)
    out: list[Finding] = []
    for s in profile.supplements:
        if s.nutrient != "omega3" or s.epa_mg is None:
            continue
        label = omega3.maths(s.epa_mg, s.dha_mg or 0.0, rules)
        per_day = (s.capsules or 1) * s.doses_per_day
        daily = round(per_day * (s.epa_mg + (s.dha_mg or 0.0)), 1)
        ratio = "pure EPA" if label.epa_dha_ratio is None else f"EPA:DHA {label.epa_dha_ratio:g}"
        verdicts = (
            f"{'meets' if label.meets_epa_60 else 'does not meet'} the "
            f"≥{rules.epa_share_min:.0%} EPA cut-off (Liao 2019) and "
            f"{'meets' if label.meets_isnpr_ratio else 'does not meet'} the "
            f"ISNPR guideline's EPA:DHA of {rules.ratio_min:g}"
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
        af = omega3.af_finding(daily, s.name, rules)
        if af is not None:
            out.append(af)
    return out


def _no_window_supplements(gate: list[Finding]) -> Finding:
    blocks = [f for f in gate if f.severity == "block" and f.overridden is None]
    return Finding(
        severity="info",
        code="kap-window-no-supplements",
        message=(
            "The session gate blocks this session ("
            + ", ".join(f.subject or f.code for f in blocks)
            + "), so its window adds no supplements until a clinician records an "
            "override; the checklist and instructions still apply."
        ),
        sources=tuple(dict.fromkeys(s for f in blocks for s in f.sources)),
        evidence=blocks[0].evidence,
        subject="integration window",
    )


def integrate(
    plan: Plan,
    profile: Profile,
    kb: KnowledgeBase,
    protocol: Protocol | None = None,
    schedule: Schedule | None = None,
) -> Plan:
    """A copy of `plan` with the session gate, windows and follow-up events added.
    `schedule` is the one the daily plan was placed with, so window doses keep to the
    same separation windows."""
    protocol = protocol or default_protocol()
    schedule = schedule or Schedule(kb, profile)
    findings = list(plan.findings)
    findings += current_omega3_findings(profile, kb)
    gate = apply_overrides(gate_findings(kb, profile, protocol), profile)
    findings += gate
    check_overrides(findings, profile)
    windows = []
    if profile.sessions:
        if gate_blocked(gate):
            day = WindowDay(totals=dict(plan.totals), findings=[_no_window_supplements(gate)])
        else:
            day = window_day(kb, profile, plan, protocol.supplements, schedule)
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

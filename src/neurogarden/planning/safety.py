"""Safety rules that depend on the person, not on timing: kidneys, conditions,
medicines, substances and upper limits. Each finding cites the rule's sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from neurogarden.kb import models as m
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.text import one_line
from neurogarden.planning.dosing import intake_row, row_mg
from neurogarden.planning.holds import hold_finding
from neurogarden.planning.result import Finding
from neurogarden.profile import Medication, Profile, SubstanceUse

SEVERITY_ORDER = {"block": 0, "warn": 1, "info": 2}


def cite(
    record: m.Record, severity: str, code: str, message: str, subject: str | None = None
) -> Finding:
    return Finding(
        severity=severity,
        code=code,
        message=one_line(message),
        sources=record.sources,
        evidence=record.evidence.value,
        subject=subject,
    )


class Exposure(Protocol):
    """What effect rules match against: a Profile, or the substances of a stretch of a
    recovery log with the person's medicines (neurogarden.recovery)."""

    @property
    def medications(self) -> tuple[Medication, ...]: ...
    @property
    def conditions(self) -> tuple[m.Condition, ...]: ...
    @property
    def substances(self) -> tuple[SubstanceUse, ...]: ...
    @property
    def egfr(self) -> float | None: ...


def matches(matcher: m.Matcher, profile: Exposure) -> list[str]:
    """The names in the profile that a matcher picks out (empty when none)."""
    hits: list[str] = []
    for med in profile.medications:
        if med.record.id in matcher.medications or any(
            c in matcher.classes for c in med.record.classes
        ):
            hits.append(med.record.name)
    for cond in profile.conditions:
        if cond.id in matcher.conditions:
            hits.append(cond.name)
    for use in profile.substances:
        rec = use.record
        if rec.id in matcher.substances or rec.category in matcher.substance_categories:
            hits.append(rec.name)
    return hits


def exposure_keys(profile: Exposure) -> frozenset[tuple[str, str]]:
    """What the profile could be matched on, tagged as `Matcher.keys` tags them."""
    keys: list[tuple[str, str]] = []
    for med in profile.medications:
        keys.append(("medication", med.record.id))
        keys.extend(("class", c) for c in med.record.classes)
    keys.extend(("condition", cond.id) for cond in profile.conditions)
    for use in profile.substances:
        keys += [("substance", use.record.id), ("category", use.record.category)]
    return frozenset(keys)


def effect_findings(kb: KnowledgeBase, profile: Exposure, targets: Iterable[str]) -> list[Finding]:
    """Findings of every effect rule for these targets that the profile matches. A rule
    whose matcher shares no key with the profile cannot match, so it is passed over
    without matching names (most rules, for most profiles)."""
    wanted = set(targets)
    exposed = exposure_keys(profile)
    out = []
    for rule in kb.effects:
        if rule.target not in wanted or rule.applies_to.keys.isdisjoint(exposed):
            continue
        hits = matches(rule.applies_to, profile)
        if not hits:
            continue
        if rule.also_requires is not None:
            others = [h for h in matches(rule.also_requires, profile) if h not in hits]
            if not others:
                continue
            hits = hits + others
        if rule.unless is not None and matches(rule.unless, profile):
            continue
        if rule.hold is not None and rule.hold.fact == "egfr" and profile.egfr is not None:
            continue  # the fact it waited for is known: the eGFR bands decide instead
        subject = ", ".join(dict.fromkeys(hits))
        if rule.hold is not None:
            out.append(hold_finding(rule, rule.hold, rule.id, rule.message, subject))
        else:
            out.append(cite(rule, rule.severity.value, rule.id, rule.message, subject))
    return out


def egfr_band(kb: KnowledgeBase, egfr: float) -> m.KidneyBand | None:
    """The KDIGO band an eGFR falls in."""
    for band in kb.kidney_bands:
        upper = band.max_egfr if band.max_egfr is not None else float("inf")
        if band.min_egfr <= egfr < upper:
            return band
    return None


def kidney_findings(kb: KnowledgeBase, profile: Profile) -> list[Finding]:
    """eGFR bands, or a request for eGFR when risk factors make it matter."""
    if profile.egfr is not None:
        band = egfr_band(kb, profile.egfr)
        if band is None or band.magnesium_severity is None:
            return []
        sev = band.magnesium_severity.value
        code = "kidney-egfr-below-30" if sev == "block" else "kidney-egfr-30-59"
        msg = f"eGFR {profile.egfr:g} ({band.name}). {band.message}"
        if band.hold is not None:
            return [hold_finding(band, band.hold, code, msg, "magnesium")]
        return [cite(band, sev, code, msg, "magnesium")]
    risk = kb.kidney_risk
    reasons = []
    if profile.age >= risk.min_age_years:
        reasons.append(f"age {profile.age}")
    reasons += [c.name for c in profile.conditions if c.id in risk.conditions]
    reasons += [
        med.record.name
        for med in profile.medications
        if set(med.record.classes) & set(risk.medication_classes)
    ]
    if not reasons:
        return []
    msg = risk.message.replace("{reasons}", ", ".join(reasons))
    if risk.hold is not None:
        return [hold_finding(risk, risk.hold, "kidney-egfr-unknown", msg, "magnesium")]
    return [cite(risk, "info", "kidney-egfr-unknown", msg, "magnesium")]


def lowest_dose_band(kb: KnowledgeBase, profile: Profile) -> m.KidneyBand | None:
    """The eGFR band that allows magnesium only at the plan's lowest dose, if any."""
    band = None if profile.egfr is None else egfr_band(kb, profile.egfr)
    return band if band is not None and band.lowest_dose else None


def nutrient_limit_findings(
    kb: KnowledgeBase, profile: Profile, daily_by_nutrient: dict[str, float]
) -> list[Finding]:
    """Current B6 and synthetic folic acid against their adult ULs."""
    out = []
    for nutrient, counted in (("vitamin-b6", "vitamin-b6"), ("folate", "folic-acid")):
        amount = daily_by_nutrient.get(counted)
        if not amount:
            continue
        row = intake_row(kb, nutrient, ("ul",), age=profile.age, sex=profile.sex)
        limit = row_mg(row)
        if row is None or limit is None:
            out.append(
                cite(
                    kb.nutrients.by_id[nutrient],
                    "warn",
                    f"{nutrient}-no-ul-for-age",
                    f"No upper limit for {nutrient} is recorded for age {profile.age}; "
                    "ask a clinician about this supplement.",
                    nutrient,
                )
            )
        elif amount > limit:
            label = "vitamin B6" if nutrient == "vitamin-b6" else "synthetic folic acid"
            out.append(
                cite(
                    row,
                    "warn",
                    f"{nutrient}-above-ul",
                    f"{label}: {amount:g} mg a day is above the upper limit of {limit:g} mg. "
                    f"{row.note or ''}",
                    nutrient,
                )
            )
    return out


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most severe first; stable and deterministic."""
    unique = {(f.code, f.subject, f.message): f for f in findings}
    return tuple(
        sorted(unique.values(), key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.subject or ""))
    )

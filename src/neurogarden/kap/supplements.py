"""What changes on window days: the protocol's omega-3 and magnesium L-threonate,
with magnesium counted together with the person's daily magnesium against the plan's
ceiling (the UL, or less at the lowest dose or for a child).

This module says what a window adds and how much; where each dose goes in the day is
decided by the plan's one `Schedule`, against the same separation windows as the daily
doses. A dose the schedule cannot place is left out with a `block`; a plan that holds
magnesium, or a session the gate blocks, gets no window supplements at all.

Order of give-way when the ceiling would be exceeded: first the other *recommended*
magnesium doses shrink (as-needed first, then the last one added); only when the
person's own current supplements leave no room does the window threonate shrink.
Current supplements are never changed: they are the person's, not the plan's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neurogarden.kap import omega3
from neurogarden.kb import models as m
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.protocol import WindowSupplement
from neurogarden.kb.text import one_line
from neurogarden.planning.dosing import compound_for, elemental_mg
from neurogarden.planning.holds import held
from neurogarden.planning.result import Dose, Finding, NutrientTotal, Plan
from neurogarden.planning.schedule import Schedule
from neurogarden.profile import Profile

UL_SOURCES = ("iom-1997", "ods-magnesium")


@dataclass
class WindowDay:
    """The supplements of one day inside a window, and what to say about them."""

    doses: list[Dose] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    totals: dict[str, NutrientTotal] = field(default_factory=dict)


def _info(code: str, message: str, sources: tuple[str, ...] = UL_SOURCES) -> Finding:
    return Finding(
        severity="info",
        code=code,
        message=message,
        sources=sources,
        evidence="consensus",
        subject="integration window",
    )


def _shrink(dose: Dose, form: m.MagnesiumForm, target_mg: float, limit: float, step: float) -> Dose:
    compound = compound_for(form, target_mg, step) if target_mg >= 0 else 0.0
    if compound < step:
        compound = 0.0
    elemental = elemental_mg(form, compound)
    was = f"{dose.compound_mg:g} mg ({dose.elemental_mg:g} mg magnesium)"
    now = "skip it" if compound == 0 else f"take {compound:g} mg ({elemental:g} mg magnesium)"
    return dose.model_copy(
        update={
            "compound_mg": compound,
            "elemental_mg": elemental,
            "per_dose_compound_mg": compound,
            "titration": None,
            "why": (
                f"On window days {now} instead of {was}, so that all supplemental magnesium "
                f"stays within the {limit:g} mg a day this plan allows with the window's threonate."
            ),
        }
    )


def magnesium_day(
    kb: KnowledgeBase,
    schedule: Schedule,
    plan: Plan,
    item: WindowSupplement,
    day: WindowDay,
) -> float:
    """Add the window's magnesium to `day`; return the day's supplemental magnesium."""
    current = sum(d.elemental_mg or 0.0 for d in plan.current if d.nutrient == "magnesium")
    recommended = [d for d in plan.supplements if d.nutrient == "magnesium"]
    rec_total = sum(d.elemental_mg or 0.0 for d in recommended)
    total = plan.totals.get("magnesium")
    limit = None if total is None else total.ceiling_mg
    form = kb.forms.by_id[item.form or ""]
    if not limit or held(plan.findings) or schedule.never():
        day.findings.append(
            _info(
                "kap-window-no-magnesium",
                f"The window's {form.name} is left out: this plan gives no magnesium "
                "supplement (see the findings about magnesium).",
            )
        )
        return current + rec_total
    wanted = elemental_mg(form, item.compound_mg or 0.0)
    same = sum(d.elemental_mg or 0.0 for d in (*plan.current, *recommended) if d.name == form.name)
    if same >= wanted - 1e-9:
        day.findings.append(
            _info(
                "kap-window-form-in-plan",
                f"Your daily plan already gives {same:g} mg magnesium as {form.name}; the "
                "window adds none on top.",
                item.sources,
            )
        )
        return round(current + rec_total, 1)
    placed = schedule.place(item.timing)
    if placed is None:
        day.findings.append(schedule.unplaceable(f"the window's {form.name}", form.name))
        return round(current + rec_total, 1)
    room_for_window = max(0.0, limit - current)
    threonate_mg = min(wanted, room_for_window)
    compound = item.compound_mg or 0.0
    if threonate_mg < wanted:
        compound = compound_for(form, threonate_mg, schedule.step_mg)
        threonate_mg = elemental_mg(form, compound)
        msg = (
            f"Your current supplements give {current:g} mg magnesium a day, leaving "
            f"{room_for_window:g} mg under this plan's {limit:g} mg a day: "
        )
        if compound < schedule.step_mg:
            day.findings.append(
                _info(
                    "kap-window-threonate-omitted", msg + f"the window's {form.name} is left out."
                )
            )
            compound, threonate_mg = 0.0, 0.0
        else:
            day.findings.append(
                _info(
                    "kap-window-threonate-reduced",
                    msg + f"the window's {form.name} is reduced to {compound:g} mg "
                    f"({threonate_mg:g} mg magnesium) instead of {item.compound_mg:g} mg.",
                )
            )
    budget = max(0.0, limit - current - threonate_mg)
    changed: list[Dose] = []
    if rec_total > budget + 1e-9:
        kept = list(recommended)
        order = sorted(range(len(kept)), key=lambda i: (not kept[i].as_needed, -i))
        excess = rec_total - budget
        for i in order:
            if excess <= 1e-9:
                break
            dose = kept[i]
            dform = kb.forms.get(dose.name)
            if dform is None or not dose.elemental_mg:
                continue
            new = _shrink(dose, dform, dose.elemental_mg - excess, limit, schedule.step_mg)
            excess -= dose.elemental_mg - (new.elemental_mg or 0.0)
            kept[i] = new
            changed.append(new)
        rec_total = sum(d.elemental_mg or 0.0 for d in kept)
        day.findings.append(
            _info(
                "kap-window-mg-reduced",
                "On window days the other recommended magnesium is lowered ("
                + "; ".join(
                    f"{d.name} {d.compound_mg:g} mg, {d.elemental_mg:g} mg magnesium"
                    for d in changed
                )
                + f") so that the total stays within the {limit:g} mg a day this plan allows.",
            )
        )
    day.doses.extend(changed)
    if compound > 0:
        day.doses.append(
            Dose(
                name=form.name,
                nutrient="magnesium",
                compound_mg=compound,
                elemental_mg=threonate_mg,
                times=(placed.clock,),
                per_dose_compound_mg=compound,
                why=one_line(item.why),
                evidence=item.evidence.value,
                sources=item.sources,
                goals=("kap_integration",),
                elemental_basis=form.fraction_basis,
            )
        )
    return round(current + rec_total + threonate_mg, 1)


def omega3_day(
    schedule: Schedule, profile: Profile, plan: Plan, item: WindowSupplement, day: WindowDay
) -> float:
    """Add the protocol's EPA, from the person's own fish oil when the label is known."""
    current_epa = sum(d.epa_mg or 0.0 for d in plan.current if d.nutrient == "omega3")
    current_both = sum((d.epa_mg or 0.0) + (d.dha_mg or 0.0) for d in plan.current)
    rules = omega3.rules_from(schedule.kb)
    target = item.epa_mg or rules.epa_target_mg
    ratio = item.min_epa_dha_ratio or rules.ratio_min
    if current_epa >= target:
        day.findings.append(
            _info(
                "kap-window-omega3-unchanged",
                f"Your current omega-3 already gives {current_epa:g} mg EPA a day; nothing "
                "is added in the window.",
                item.sources,
            )
        )
        return current_both
    placed = schedule.place(item.timing, "omega3")
    if placed is None:
        day.findings.append(schedule.unplaceable("the window's omega-3", "omega-3", "omega3"))
        return current_both
    own = next((s for s in profile.supplements if s.nutrient == "omega3" and s.epa_mg), None)
    missing = target - current_epa
    if own is not None and own.epa_mg:
        caps = omega3.whole_capsules(missing, own.epa_mg) or 0
        epa, dha = caps * own.epa_mg, caps * (own.dha_mg or 0.0)
        name, how = own.name, f"{caps} more capsule(s) of your {own.name} a day"
        label = omega3.maths(own.epa_mg, own.dha_mg or 0.0, rules)
        if not label.meets_isnpr_ratio:
            how += (
                f" (its EPA:DHA is {label.epa_dha_ratio:g}, below the ISNPR guideline's "
                f"{rules.ratio_min:g}; "
                "an EPA-predominant product would fit better)"
            )
    else:
        epa, dha = missing, round(missing / ratio, 1)
        name = f"EPA-predominant omega-3 (EPA:DHA at least {ratio:g})"
        how = f"{epa:g} mg EPA with at most {dha:g} mg DHA a day"
    day.doses.append(
        Dose(
            name=name,
            nutrient="omega3",
            compound_mg=None,
            elemental_mg=None,
            times=(placed.clock,),
            why=f"{how}. {' '.join(item.why.split())}",
            evidence=item.evidence.value,
            sources=item.sources,
            goals=("kap_integration",),
            epa_mg=round(epa, 1),
            dha_mg=round(dha, 1),
        )
    )
    return round(current_both + epa + dha, 1)


def window_day(
    kb: KnowledgeBase,
    profile: Profile,
    plan: Plan,
    items: tuple[WindowSupplement, ...],
    schedule: Schedule,
) -> WindowDay:
    """The supplements and totals of any day inside a window (they do not vary by day)."""
    day = WindowDay(totals=dict(plan.totals))
    for item in items:
        if item.nutrient == "magnesium":
            mg = magnesium_day(kb, schedule, plan, item, day)
            base = plan.totals.get("magnesium")
            if base is not None:
                gap = None
                if base.dietary_mg is not None and base.rda_mg is not None:
                    gap = round(max(0.0, base.rda_mg - base.dietary_mg - mg), 1)
                day.totals["magnesium"] = base.model_copy(
                    update={"supplemental_mg": mg, "gap_to_rda_mg": gap}
                )
        else:
            both = omega3_day(schedule, profile, plan, item, day)
            day.totals["omega3"] = NutrientTotal(
                supplemental_mg=both, dietary_mg=None, rda_mg=None, ul_supplemental_mg=None
            )
            added = any(d.nutrient == "omega3" for d in day.doses)
            af = omega3.af_finding(both, "omega-3 in the integration window", omega3.rules_from(kb))
            if af is not None and added:
                day.findings.append(af)
    return day

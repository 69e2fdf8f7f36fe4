"""Build a personal plan: which magnesium form, how much, when, and what is unsafe.

The planner only recommends magnesium (the protocol's other nutrients appear in
the integration windows). It moves supplements, never medicines; it keeps the
total supplemental magnesium within the age's upper limit; it errs towards
leaving a dose out, with a finding that says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neurogarden.kb import models as m
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.foods import Food, usual_portion, usual_portion_mg
from neurogarden.kb.memo import by_identity
from neurogarden.kb.text import one_line
from neurogarden.planning.ceiling import ceiling
from neurogarden.planning.diet import dietary_magnesium_mg, suggest_foods
from neurogarden.planning.dosing import compound_for, dose_step_mg, elemental_mg, intake_row, row_mg
from neurogarden.planning.holds import held, override_holds
from neurogarden.planning.result import (
    Dose,
    Finding,
    FoodSuggestion,
    NoteOut,
    NutrientTotal,
    Plan,
    Reference,
)
from neurogarden.planning.safety import (
    cite,
    effect_findings,
    kidney_findings,
    nutrient_limit_findings,
    sort_findings,
)
from neurogarden.planning.schedule import Schedule
from neurogarden.profile import Profile, Supplement

FOOD_NOTES = ("note-with-meal", "note-avoid-bran", "note-avoid-spinach")


@dataclass
class Draft:
    """What the planner accumulates before freezing it into a Plan."""

    findings: list[Finding] = field(default_factory=list)
    supplements: list[Dose] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- the person's current regimen ------------------------------------------------------


def current_dose(s: Supplement) -> Dose:
    per_dose = s.dose_mg
    daily = None if per_dose is None else per_dose * s.doses_per_day
    if s.form is not None and per_dose is not None:
        if s.label_elemental_mg is not None:
            elemental, basis = s.label_elemental_mg * s.doses_per_day, "label"
        else:
            elemental, basis = elemental_mg(s.form, daily or 0.0), s.form.fraction_basis
    else:
        elemental, basis = None, None
    if s.nutrient == "omega3" and s.epa_mg is not None:
        count = (s.capsules or 1) * s.doses_per_day
        return Dose(
            name=s.name,
            nutrient=s.nutrient,
            compound_mg=daily,
            elemental_mg=None,
            times=s.times,
            per_dose_compound_mg=per_dose,
            epa_mg=round(s.epa_mg * count, 1),
            dha_mg=round((s.dha_mg or 0.0) * count, 1),
        )
    return Dose(
        name=s.name,
        nutrient=s.nutrient,
        compound_mg=None if daily is None else round(daily, 1),
        elemental_mg=None if elemental is None else round(elemental, 1),
        times=s.times,
        per_dose_compound_mg=per_dose,
        elemental_basis=basis,
    )


def _other_nutrient_totals(profile: Profile) -> dict[str, float]:
    totals: dict[str, float] = {}
    for s in profile.supplements:
        if s.form is not None or s.dose_mg is None or s.product is None:
            continue
        key = "folic-acid" if s.product.id == "folic-acid" else s.nutrient
        totals[key] = totals.get(key, 0.0) + s.dose_mg * s.doses_per_day
    return totals


# --- the recommendation ----------------------------------------------------------------------


def _titration(kb: KnowledgeBase, form: m.MagnesiumForm, compound: float) -> str:
    """Start with a share of the dose for the first days (the titration note's numbers)."""
    step = dose_step_mg(kb)
    days = kb.parameters["titration-days"].value
    share = kb.parameters["titration-share"].value
    start = max(step, compound_for(form, elemental_mg(form, compound) * share, step))
    if start >= compound:
        return "Start with this dose; it is already the smallest practical step."
    return (
        f"Days 1–{days:g}: {start:g} mg ({elemental_mg(form, start):g} mg magnesium); "
        f"then {compound:g} mg if stools stay normal."
    )


def recommend(
    kb: KnowledgeBase,
    profile: Profile,
    draft: Draft,
    schedule: Schedule,
    budget_mg: float,
    gap_mg: float | None,
) -> None:
    """Add one magnesium dose per goal (merging goals that share a form) within the budget,
    each placed by the plan's one schedule."""
    planned: dict[str, int] = {}
    for goal in profile.goals:
        rule = kb.goals.get(goal)
        if rule is None:
            continue
        form = kb.forms.by_id[rule.form]
        if rule.form in planned:
            i = planned[rule.form]
            draft.supplements[i] = draft.supplements[i].model_copy(
                update={"goals": (*draft.supplements[i].goals, goal)}
            )
            continue
        target = rule.default_elemental_mg
        if gap_mg is not None:
            target = gap_mg if goal == "general" else min(target, gap_mg)
        target = min(target, budget_mg)
        if rule.fixed_compound_mg and elemental_mg(form, rule.fixed_compound_mg) <= target:
            compound = rule.fixed_compound_mg
        else:
            compound = compound_for(form, target, dose_step_mg(kb))
        if compound < dose_step_mg(kb):
            draft.findings.append(_no_room(rule, goal, gap_mg, budget_mg))
            continue
        placed = schedule.place(rule.timing)
        if placed is None:
            draft.findings.append(schedule.unplaceable(f"{form.name} for {goal}", form.name))
            continue
        moved = schedule.moved(form.name, placed)
        if moved is not None:
            draft.findings.append(moved)
        elemental = elemental_mg(form, compound)
        budget_mg -= elemental
        planned[rule.form] = len(draft.supplements)
        draft.supplements.append(
            Dose(
                name=form.name,
                nutrient="magnesium",
                compound_mg=compound,
                elemental_mg=elemental,
                times=(placed.clock,),
                per_dose_compound_mg=compound,
                why=f"{' '.join(rule.why.split())} Timing: {placed.label}.",
                evidence=rule.evidence.value,
                sources=tuple(dict.fromkeys((*rule.sources, *form.sources))),
                goals=(goal,),
                elemental_basis=form.fraction_basis,
                titration=_titration(kb, form, compound),
                notes=FOOD_NOTES,
            )
        )


def _no_room(rule: m.GoalRule, goal: str, gap_mg: float | None, budget_mg: float) -> Finding:
    if gap_mg is not None and gap_mg < budget_mg:
        msg = (
            f"No magnesium supplement for {goal}: diet and current supplements already meet "
            "the RDA."
        )
        return cite(rule, "info", "mg-diet-meets-rda", msg, "magnesium")
    msg = (
        f"No magnesium supplement for {goal}: current supplements leave no room under the "
        "upper limit for supplemental magnesium."
    )
    return cite(rule, "info", "mg-no-room-under-ul", msg, "magnesium")


def post_stress(kb: KnowledgeBase, room_mg: float, profile: Profile) -> Dose | None:
    """The as-needed dose: a share of the room under the ceiling, at most a set amount."""
    cap = kb.parameters["as-needed-max"].value
    share = kb.parameters["as-needed-share"].value
    form = kb.forms.by_id["magnesium-glycinate"]
    compound = compound_for(form, min(cap, room_mg * share), dose_step_mg(kb))
    if compound < dose_step_mg(kb):
        return None
    note = kb.notes["note-post-stress"]
    return Dose(
        name=form.name,
        nutrient="magnesium",
        compound_mg=compound,
        elemental_mg=elemental_mg(form, compound),
        times=(),
        per_dose_compound_mg=compound,
        why=one_line(note.text),
        evidence=note.evidence.value,
        sources=note.sources,
        goals=tuple(g for g in profile.goals if g in ("anxiety", "learning", "mood")),
        as_needed=True,
        elemental_basis=form.fraction_basis,
        notes=FOOD_NOTES,
    )


def _goal_findings(kb: KnowledgeBase, profile: Profile) -> list[Finding]:
    if "recovery" not in profile.goals:
        return []
    note = kb.notes["note-recovery"]
    return [cite(note, "info", "recovery-no-supplement", note.text, "recovery")]


# --- assembling the plan -----------------------------------------------------------------------


@by_identity
def reference(source: m.Source) -> Reference:
    """A source as a plan cites it; built once per source (both are frozen)."""
    return Reference(
        id=source.id, title=source.title, locator=source.locator, verification=source.verification
    )


@by_identity
def note_out(note: m.Note) -> NoteOut:
    return NoteOut(id=note.id, text=one_line(note.text), evidence=note.evidence.value,
                   sources=note.sources)  # fmt: skip


def references(kb: KnowledgeBase, ids: set[str]) -> dict[str, Reference]:
    return {sid: reference(kb.sources[sid]) for sid in sorted(ids) if sid in kb.sources}


def citable_foods(kb: KnowledgeBase) -> list[Food]:
    """Foods that may be suggested: those citing at least one source better than
    unverified (U). A U-only value may be logged, never recommended."""
    return [
        f
        for f in kb.foods.values()
        if any(
            s in kb.sources and kb.sources[s].verification != m.Verification.U for s in f.sources
        )
    ]


@by_identity
def food_suggestion(food: Food) -> FoodSuggestion:
    """A suggested food with the magnesium in its usual portion (the sourced serving);
    it depends on the food alone, so it is worked out once per food."""
    label, grams = usual_portion(food)
    return FoodSuggestion(
        name=food.name,
        serving=label,
        grams=round(grams, 1),
        magnesium_mg=round(usual_portion_mg(food), 1),
        magnesium_mg_per_100g=food.magnesium_mg_per_100g,
        sources=food.sources,
    )


def build_plan(profile: Profile, kb: KnowledgeBase, schedule: Schedule | None = None) -> Plan:
    """The daily plan. `schedule` is the one placement every dose of this plan uses
    (pass the same one to the integration windows)."""
    schedule = schedule or Schedule(kb, profile)
    draft = Draft()
    draft.findings += kidney_findings(kb, profile)
    draft.findings += effect_findings(kb, profile, ("magnesium", "plan", "kratom"))
    draft.findings += _goal_findings(kb, profile)
    current = tuple(current_dose(s) for s in profile.supplements)
    mg_current = sum(d.elemental_mg or 0.0 for d in current if d.nutrient == "magnesium")
    demographics = dict(
        age=profile.age, sex=profile.sex, pregnant=profile.pregnant, lactating=profile.lactating
    )
    rda_row = intake_row(kb, "magnesium", ("rda", "ai"), **demographics)  # type: ignore[arg-type]
    ul_row = intake_row(kb, "magnesium", ("ul",), **demographics)  # type: ignore[arg-type]
    rda, ul = row_mg(rda_row), row_mg(ul_row)
    if ul_row is None or ul is None:
        note = kb.notes["note-infant-no-ul"]
        draft.findings.append(cite(note, "block", "mg-no-ul-for-age", note.text, "magnesium"))
    elif mg_current > ul:
        draft.findings.append(
            cite(
                ul_row,
                "warn",
                "mg-above-ul",
                f"Current supplements give {mg_current:g} mg magnesium a day, above the "
                f"{ul:g} mg upper limit for supplemental magnesium (diarrhoea; high blood "
                "magnesium with reduced kidney function). No more is added.",
                "magnesium",
            )
        )
    draft.findings += nutrient_limit_findings(kb, profile, _other_nutrient_totals(profile))
    draft.findings = override_holds(draft.findings, profile)
    draft.findings += schedule.findings
    draft.findings += schedule.current_time_findings()
    dietary = dietary_magnesium_mg(profile)
    gap = None if dietary is None or rda is None else max(0.0, rda - dietary - mg_current)
    limit = ceiling(kb, profile, ul, rda, dietary, draft.findings)
    draft.findings += limit.findings
    allowed = limit.mg is not None and not held(draft.findings) and not schedule.never()
    if allowed and limit.mg is not None:
        room = max(0.0, limit.mg - mg_current)
        prn = post_stress(kb, room, profile) if profile.post_stress_dose else None
        if prn is not None and not schedule.any_waking_time():
            draft.findings.append(schedule.unplaceable(f"the as-needed {prn.name}", prn.name))
            prn = None
        if prn is not None:
            room -= prn.elemental_mg or 0.0
        recommend(kb, profile, draft, schedule, room, gap)
        if prn is not None:
            draft.supplements.append(prn)
            draft.notes.append("note-post-stress")
    draft.findings += schedule.kept_apart(draft.supplements)
    recommended = sum(d.elemental_mg or 0.0 for d in draft.supplements)
    totals = {
        "magnesium": NutrientTotal(
            supplemental_mg=round(mg_current + recommended, 1),
            dietary_mg=None if dietary is None else round(dietary, 1),
            rda_mg=rda,
            ul_supplemental_mg=ul,
            gap_to_rda_mg=None if gap is None else round(max(0.0, gap - recommended), 1),
            ceiling_mg=limit.mg if allowed else 0.0,
        )
    }
    suggestions: list[FoodSuggestion] = []
    if gap is not None:
        draft.notes += ["note-cooking", "note-uptake-claims"]
        suggestions = [food_suggestion(f) for f in suggest_foods(citable_foods(kb), profile, gap)]
    note_ids = list(dict.fromkeys([*draft.notes, "note-ul-food", "note-not-advice"]))
    if draft.supplements:
        note_ids = ["note-titration", *FOOD_NOTES, *note_ids]
    notes = tuple(note_out(kb.notes[i]) for i in dict.fromkeys(note_ids))
    findings = sort_findings(draft.findings)
    cited = {s for f in findings for s in f.sources}
    cited |= {s for d in draft.supplements for s in d.sources}
    cited |= {s for n in notes for s in n.sources}
    cited |= {s for x in suggestions for s in x.sources}
    return Plan(
        supplements=tuple(draft.supplements),
        current=current,
        totals=totals,
        findings=findings,
        notes=notes,
        food_suggestions=tuple(suggestions),
        references=references(kb, cited),
        disclaimer=one_line(kb.notes["note-not-advice"].text),
    )

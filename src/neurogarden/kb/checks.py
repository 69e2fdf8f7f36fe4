"""Cross-record checks: every reference resolves and every rule is cited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from neurogarden.kb import models as m
from neurogarden.kb.planning_records import InputLimit, Parameter, TimingRule
from neurogarden.kb.problems import Problem
from neurogarden.kb.recovery_records import RecoveryAlertRule, combination_codes

if TYPE_CHECKING:
    from neurogarden.kb.base import KnowledgeBase


def _check_matcher(kb: KnowledgeBase, file: str, rid: str, matcher: m.Matcher) -> list[Problem]:
    problems = []
    classes = kb.medication_classes
    categories = {s.category for s in kb.substances.values()}
    for med in matcher.medications:
        if med not in kb.medications.by_id:
            problems.append(Problem(file, rid, f"unknown medication id {med!r}"))
    for cls in matcher.classes:
        if cls not in classes:
            problems.append(Problem(file, rid, f"no medication has class {cls!r}"))
    for cond in matcher.conditions:
        if cond not in kb.conditions.by_id:
            problems.append(Problem(file, rid, f"unknown condition id {cond!r}"))
    for sub in matcher.substances:
        if sub not in kb.substances.by_id:
            problems.append(Problem(file, rid, f"unknown substance id {sub!r}"))
    for cat in matcher.substance_categories:
        if cat not in categories:
            problems.append(Problem(file, rid, f"no substance has category {cat!r}"))
    return problems


def check_foods(kb: KnowledgeBase) -> list[Problem]:
    """Each packaged food: its serving fact resolves with its own portions and agrees with
    mg per 100 g x the serving's grams within rounding; portion names are distinct and
    every gram weight says how it was checked."""
    from neurogarden.kb.foods import portion_key, serving_disagreement

    problems: list[Problem] = []
    for food in kb.foods.values():
        file = kb.files.get(food.id, "?")
        if food.serving is None:
            problems.append(Problem(file, food.id, "a packaged food needs its serving fact"))
        disagreement = serving_disagreement(food)
        if disagreement is not None:
            problems.append(Problem(file, food.id, f"serving cross-check: {disagreement}"))
        seen: set[str] = set()
        for portion in food.portions:
            key = portion_key(portion.name)
            if key in seen:
                problems.append(Problem(file, food.id, f"portion {portion.name!r} is listed twice"))
            seen.add(key)
            if portion.verification is None:
                problems.append(
                    Problem(file, food.id, f"portion {portion.name!r} needs a verification tag")
                )
    return problems


def cross_check(kb: KnowledgeBase) -> list[Problem]:
    """Return every dangling reference, uncited rule and unsupported unit, located."""
    from typing import get_args

    from neurogarden.kb.models import Goal
    from neurogarden.units import UnitError, parse_quantity

    goals = frozenset(get_args(Goal))

    problems: list[Problem] = []
    for record in kb.cited_records():
        file = kb.files.get(record.id, "?")
        for sid in record.sources:
            if sid not in kb.sources:
                problems.append(Problem(file, record.id, f"cites unknown source {sid!r}"))
        verifications = {kb.sources[s].verification for s in record.sources if s in kb.sources}
        if verifications and verifications <= {m.Verification.U}:
            problems.append(
                Problem(file, record.id, "cites only unverified (U) sources", level="warning")
            )
    for sep in kb.separations:
        file = kb.files.get(sep.id, "?")
        if sep.applies_to.is_empty():
            problems.append(Problem(file, sep.id, "applies_to matches nothing"))
        problems.extend(_check_matcher(kb, file, sep.id, sep.applies_to))
    for eff in kb.effects:
        file = kb.files.get(eff.id, "?")
        if eff.applies_to.is_empty():
            problems.append(Problem(file, eff.id, "applies_to matches nothing"))
        problems.extend(_check_matcher(kb, file, eff.id, eff.applies_to))
        for extra in (eff.also_requires, eff.unless):
            if extra is not None:
                problems.extend(_check_matcher(kb, file, eff.id, extra))
        if eff.hold is not None and (eff.severity != m.Severity.block or eff.target != "magnesium"):
            problems.append(Problem(file, eff.id, "a hold is a `block` on target magnesium"))
    for goal in kb.goals.values():
        file = kb.files.get(goal.id, "?")
        if goal.goal not in goals:
            problems.append(Problem(file, goal.id, f"unknown goal {goal.goal!r}"))
        if goal.form not in kb.forms.by_id:
            problems.append(Problem(file, goal.id, f"unknown magnesium form {goal.form!r}"))
        if goal.claim and goal.claim not in kb.claims:
            problems.append(Problem(file, goal.id, f"unknown claim {goal.claim!r}"))
    for form in kb.forms.values():
        for claim in form.claims:
            if claim not in kb.claims:
                problems.append(
                    Problem(kb.files.get(form.id, "?"), form.id, f"unknown claim {claim!r}")
                )
    for product in kb.products.values():
        file = kb.files.get(product.id, "?")
        if product.nutrient == "magnesium":
            if product.form not in kb.forms.by_id:
                problems.append(
                    Problem(file, product.id, f"unknown magnesium form {product.form!r}")
                )
        elif product.nutrient not in kb.nutrients.by_id:
            problems.append(Problem(file, product.id, f"unknown nutrient {product.nutrient!r}"))
    for row in kb.intake:
        try:
            parse_quantity(row.amount, field="amount", dimension="mass")
        except UnitError as exc:
            problems.append(Problem(kb.files.get(row.id, "?"), row.id, str(exc)))
    problems.extend(_check_recovery_rules(kb))
    problems.extend(check_planning(kb))
    problems.extend(check_foods(kb))
    risk = kb.kidney_risk
    for cond in risk.conditions:
        if cond not in kb.conditions.by_id:
            problems.append(Problem("kidney.yaml", risk.id, f"unknown condition id {cond!r}"))
    for cls in risk.medication_classes:
        if cls not in kb.medication_classes:
            problems.append(Problem("kidney.yaml", risk.id, f"no medication has class {cls!r}"))
    return problems


def _check_recovery_rules(kb: KnowledgeBase) -> list[Problem]:
    """One alert rule of each kind, and a new-combination rule that can fire at all.
    (The withdrawal rule's instrument band is checked by `neurogarden.kb.recovery_rules`.)"""
    from typing import get_args

    problems = []
    kinds = get_args(RecoveryAlertRule.model_fields["kind"].annotation)
    for kind in kinds:
        if kind not in kb.recovery_rules:
            problems.append(Problem("recovery.yaml", "recovery_rules", f"no {kind} rule"))
    rule = kb.recovery_rules.get("new_combination")
    if rule is not None and not combination_codes(kb, rule):
        problems.append(
            Problem(
                kb.files.get(rule.id, "?"),
                rule.id,
                "no effect rule of these kinds and severity involves a substance",
            )
        )
    return problems


# Every number the planner and the profile's plausibility checks read by id.
REQUIRED_PARAMETERS = (
    "lowest-dose", "as-needed-max", "as-needed-share", "dose-step", "titration-days",
    "titration-share", "waking-margin", "placement-step", "omega3-epa-share-min",
    "omega3-epa-dha-ratio-min", "omega3-epa-target", "omega3-epa-dha-target",
    "omega3-af-threshold", "calendar-dose-minutes", "calendar-measure-minutes",
    "reminder-session-day-before", "reminder-session-hours-before",
    "reminder-measure-hours-before",
)  # fmt: skip


def check_planning(kb: KnowledgeBase) -> list[Problem]:
    """The planner's parameters and input ranges exist, each with a stated basis."""
    from typing import get_args

    problems = []
    for pid in REQUIRED_PARAMETERS:
        if pid not in kb.parameters:
            problems.append(Problem("planning.yaml", pid, "required parameter is missing"))
    for timing in get_args(TimingRule.model_fields["timing"].annotation):
        rule = kb.timings.get(timing)
        if rule is None:
            problems.append(Problem("planning.yaml", "timings", f"no timing rule for {timing}"))
        elif rule.anchor == "evening_meal" and (
            rule.meal_min_before_bed_minutes is None or rule.fallback_before_bed_minutes is None
        ):
            problems.append(Problem(kb.files.get(rule.id, "?"), rule.id, "needs the meal gaps"))
    kinds = get_args(InputLimit.model_fields["applies_to"].annotation)
    for kind in kinds:
        if kind not in kb.input_limits:
            problems.append(Problem("planning.yaml", "input_limits", f"no range for {kind}"))
    based: list[Parameter | InputLimit | TimingRule] = [
        *kb.parameters.values(), *kb.input_limits.values(), *kb.timings.values()
    ]  # fmt: skip
    for record in based:
        if not record.basis.strip():
            problems.append(Problem(kb.files.get(record.id, "?"), record.id, "needs a basis"))
    for limit in kb.input_limits.values():
        if limit.min_value >= limit.max_value:
            problems.append(Problem(kb.files.get(limit.id, "?"), limit.id, "empty range"))
    share = kb.parameters.get("as-needed-share")
    if share is not None and (share.unit != "share" or share.value > 1):
        problems.append(Problem(kb.files.get(share.id, "?"), share.id, "a share is 0-1"))
    return problems

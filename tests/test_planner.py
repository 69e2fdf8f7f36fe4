"""The planner's rules, each checked on a profile that reads like a real person."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from neurogarden.planning.result import Plan

MakePlan = Callable[..., Plan]


def codes(plan: Plan, severity: str | None = None) -> set[str]:
    return {f.code for f in plan.findings if severity in (None, f.severity)}


def test_sleep_gets_glycinate_an_hour_before_bed(make_plan: MakePlan) -> None:
    plan = make_plan(goals=["sleep"])
    (dose,) = plan.supplements
    assert dose.name == "magnesium glycinate"
    assert dose.times == ("22:00",)
    assert dose.compound_mg == 1400  # 200 mg elemental target / 0.141, rounded down to 50 mg
    assert dose.elemental_mg == 197.4
    assert dose.evidence == "low" and "mah-pitre-2021" in dose.sources
    assert plan.totals["magnesium"].supplemental_mg == 197.4
    assert plan.totals["magnesium"].rda_mg == 320
    assert plan.totals["magnesium"].ul_supplemental_mg == 350


def test_learning_gets_threonate_before_study(make_plan: MakePlan) -> None:
    plan = make_plan(
        goals=["learning"], routine={"wake": "07:00", "bed": "23:00", "study": ["09:00-12:00"]}
    )
    (dose,) = plan.supplements
    assert dose.name == "magnesium L-threonate"
    assert (dose.compound_mg, dose.elemental_mg) == (2000, 144.0)
    assert dose.times == ("08:30",)
    assert dose.evidence == "animal_only"


def test_energy_gets_malate_in_the_morning(make_plan: MakePlan) -> None:
    (dose,) = make_plan(goals=["energy"]).supplements
    assert dose.name == "magnesium malate" and dose.times == ("07:30",)


def test_goals_together_stay_within_the_ul(make_plan: MakePlan) -> None:
    plan = make_plan(goals=["sleep", "learning", "energy", "constipation", "mood"])
    assert plan.totals["magnesium"].supplemental_mg <= 350
    assert sum(d.elemental_mg or 0 for d in plan.supplements) <= 350


def test_current_regimen_counts_towards_the_ul(make_plan: MakePlan) -> None:
    plan = make_plan(
        goals=["sleep", "learning"],
        supplements=[{"name": "magnesium oxide", "amount": "400 mg", "times": ["21:00"]}],
    )
    assert plan.current[0].elemental_mg == 241.2
    total = plan.totals["magnesium"].supplemental_mg
    assert total == pytest.approx(241.2 + sum(d.elemental_mg or 0 for d in plan.supplements))
    assert total <= 350
    assert "mg-no-room-under-ul" in codes(plan)


def test_a_current_regimen_above_the_ul_is_warned_and_nothing_added(make_plan: MakePlan) -> None:
    plan = make_plan(supplements=[{"name": "magnesium oxide", "amount": "1 g"}])
    assert "mg-above-ul" in codes(plan, "warn")
    assert plan.supplements == ()


def test_label_elemental_figure_beats_the_table(make_plan: MakePlan) -> None:
    plan = make_plan(
        supplements=[{"name": "glycinate", "amount": "1000 mg", "elemental": "100 mg"}]
    )
    assert plan.current[0].elemental_mg == 100
    assert plan.current[0].elemental_basis == "label"


def test_doxycycline_keeps_magnesium_two_hours_after(make_plan: MakePlan) -> None:
    plan = make_plan(medications=[{"name": "doxycycline", "times": ["08:00", "20:00"]}])
    assert plan.supplements[0].times == ("22:00",)


def test_ciprofloxacin_moves_the_sleep_dose_earlier(make_plan: MakePlan) -> None:
    # Cipro at 21:00: magnesium must be 2 h after (23:00, asleep) or 6 h before (15:00).
    plan = make_plan(medications=[{"name": "Cipro", "times": ["21:00"]}])
    assert plan.supplements[0].times == ("15:00",)
    moved = [f for f in plan.findings if f.code == "separation-moved"]
    assert moved and "label-ciprofloxacin" in moved[0].sources


def test_no_time_fits_means_left_out_with_a_block(make_plan: MakePlan) -> None:
    plan = make_plan(
        medications=[{"name": "levothyroxine", "times": ["07:00", "11:00", "15:00", "19:00"]}],
    )
    assert plan.supplements == ()
    assert "separation-no-time" in codes(plan, "block")


def test_raltegravir_means_no_magnesium(make_plan: MakePlan) -> None:
    plan = make_plan(medications=[{"name": "Isentress", "times": ["09:00"]}])
    assert plan.supplements == ()
    assert "sep-raltegravir-never" in codes(plan, "block")


def test_current_magnesium_inside_a_window_is_warned(make_plan: MakePlan) -> None:
    plan = make_plan(
        medications=[{"name": "levofloxacin", "times": ["20:00"]}],
        supplements=[{"name": "magnesium citrate", "amount": "500 mg", "times": ["21:00"]}],
    )
    assert "separation-current" in codes(plan, "warn")


def test_medicine_without_times_is_warned(make_plan: MakePlan) -> None:
    plan = make_plan(medications=[{"name": "alendronate"}])
    assert "separation-times-unknown" in codes(plan, "warn")


@pytest.mark.parametrize(
    ("egfr", "code"), [(25, "kidney-egfr-below-30"), (14, "kidney-egfr-below-30")]
)
def test_egfr_below_30_blocks_all_magnesium(make_plan: MakePlan, egfr: float, code: str) -> None:
    plan = make_plan(person={"egfr": egfr}, goals=["sleep", "learning"])
    assert plan.supplements == ()
    assert code in codes(plan, "block")
    assert plan.has_block()


@pytest.mark.parametrize("egfr", [30, 45, 59])
def test_egfr_30_to_59_warns(make_plan: MakePlan, egfr: float) -> None:
    plan = make_plan(person={"egfr": egfr})
    assert "kidney-egfr-30-59" in codes(plan, "warn")
    assert plan.supplements


def test_unknown_egfr_with_risk_factors_holds_magnesium_until_it_is_given(
    make_plan: MakePlan,
) -> None:
    person = {"age": 70, "sex": "male", "egfr": None, "conditions": ["diabetes"]}
    plan = make_plan(person=person)
    finding = next(f for f in plan.findings if f.code == "kidney-egfr-unknown")
    assert finding.severity == "block" and finding.hold is not None
    assert finding.hold.fact == "egfr"
    assert "age 70" in finding.message and "diabetes" in finding.message
    assert "until a recent eGFR is entered" in finding.message
    assert plan.supplements == ()


def test_unknown_egfr_without_risk_factors_says_nothing(make_plan: MakePlan) -> None:
    assert "kidney-egfr-unknown" not in codes(make_plan(person={"egfr": None}))


def test_dialysis_blocks_magnesium(make_plan: MakePlan) -> None:
    plan = make_plan(person={"egfr": None, "conditions": ["haemodialysis"]})
    assert plan.supplements == () and "condition-dialysis" in codes(plan, "block")


def test_depletion_and_retention_rules(make_plan: MakePlan) -> None:
    plan = make_plan(
        medications=[{"name": "furosemide"}, {"name": "omeprazole"}, {"name": "spironolactone"}]
    )
    assert {"depletion-loop-thiazide", "depletion-ppi"} <= codes(plan, "info")
    assert "retention-potassium-sparing" in codes(plan, "warn")


def test_kratom_with_an_opioid_is_a_block(make_plan: MakePlan) -> None:
    plan = make_plan(
        substances=[{"name": "kratom", "amount": "3 g", "frequency": "daily"}],
        medications=[{"name": "oxycodone"}],
    )
    assert "kratom-with-sedatives" in codes(plan, "block")
    assert "kratom-use" in codes(plan, "warn")
    assert all("kratom" not in d.name for d in plan.supplements)


def test_seven_oh_is_a_block(make_plan: MakePlan) -> None:
    assert "kratom-7oh-concentrated" in codes(make_plan(substances=[{"name": "7-OH"}]), "block")


def test_b6_above_its_ul_is_warned(make_plan: MakePlan) -> None:
    plan = make_plan(supplements=[{"name": "vitamin B6", "amount": "200 mg"}])
    assert "vitamin-b6-above-ul" in codes(plan, "warn")


def test_pumpkin_seeds_count_as_diet_not_towards_the_ul(make_plan: MakePlan) -> None:
    plan = make_plan(goals=["general"], diet=[{"food": "pumpkin seeds", "amount": "1 oz"}])
    total = plan.totals["magnesium"]
    assert total.dietary_mg == pytest.approx(156, abs=0.5)  # 28.35 g x 550 mg/100 g
    # general goal: the supplement covers the 164 mg gap to the 320 mg RDA
    assert plan.supplements[0].elemental_mg <= 164.1
    assert total.supplemental_mg == plan.supplements[0].elemental_mg


def test_a_diet_that_meets_the_rda_gets_no_general_supplement(make_plan: MakePlan) -> None:
    diet = [
        {"food": "pumpkin seeds", "amount": "2 oz"},
        {"food": "almonds", "amount": "1 oz"},
    ]
    plan = make_plan(goals=["general"], diet=diet)
    assert plan.supplements == ()
    assert "mg-diet-meets-rda" in codes(plan)


def test_post_stress_dose_is_counted_within_the_ul(make_plan: MakePlan) -> None:
    plan = make_plan(goals=["sleep", "learning"], options={"post_stress_dose": True})
    prn = [d for d in plan.supplements if d.as_needed]
    assert prn and prn[0].times == ()
    assert plan.totals["magnesium"].supplemental_mg <= 350


def test_titration_note_halves_the_first_week(make_plan: MakePlan) -> None:
    (dose,) = make_plan().supplements
    assert dose.titration is not None and dose.titration.startswith("Days 1–7: 700 mg")


def test_children_are_held_to_their_own_ul(make_plan: MakePlan) -> None:
    plan = make_plan(person={"age": 6, "sex": "male"})
    assert plan.totals["magnesium"].ul_supplemental_mg == 110
    assert plan.totals["magnesium"].supplemental_mg <= 110


def test_infants_get_no_supplement(make_plan: MakePlan) -> None:
    plan = make_plan(person={"age": 0})
    assert plan.supplements == () and "mg-no-ul-for-age" in codes(plan, "block")


def test_every_finding_is_cited_and_referenced(make_plan: MakePlan) -> None:
    plan = make_plan(
        person={"egfr": 45},
        medications=[{"name": "Cipro", "times": ["21:00"]}, {"name": "furosemide"}],
        substances=[{"name": "kratom"}],
    )
    for f in plan.findings:
        assert f.sources
        assert all(s in plan.references for s in f.sources)


def test_the_same_profile_gives_the_same_plan(make_plan: MakePlan) -> None:
    kwargs = {
        "goals": ["sleep", "learning"],
        "medications": [{"name": "doxycycline", "times": ["08:00", "20:00"]}],
    }
    assert make_plan(**kwargs).model_dump_json() == make_plan(**kwargs).model_dump_json()


def test_food_suggestions_rank_by_magnesium_per_serving_and_honour_avoid(
    make_plan: MakePlan,
) -> None:
    plan = make_plan(
        goals=["general"],
        diet=[{"food": "banana", "amount": "1 medium"}],
        avoid=["pumpkin seeds"],
    )
    names = [s.name for s in plan.food_suggestions]
    assert names[0] == "chia seeds"  # 111 mg per oz; pumpkin seeds (156 mg) are avoided
    assert "pumpkin seeds, roasted" not in names and "banana" not in names
    amounts = [s.magnesium_mg for s in plan.food_suggestions]
    assert amounts == sorted(amounts, reverse=True)
    assert "mackerel, Atlantic, cooked" not in names  # its value is unverified (U): never suggested
    assert plan.food_suggestions[0].grams == pytest.approx(28.3)
    assert {"note-cooking", "note-uptake-claims"} <= {n.id for n in plan.notes}


def test_no_food_suggestions_without_a_diet_log(make_plan: MakePlan) -> None:
    assert make_plan(goals=["general"]).food_suggestions == ()


def test_references_name_the_article_never_a_file_of_ours(make_plan: MakePlan) -> None:
    plan = make_plan(goals=["sleep"])
    article = plan.references["article-001"]
    assert article.title == "Roles of Magnesium in Sleep and Learning"
    assert article.locator.startswith("article by ")
    assert all(
        "seeds" not in r.locator and ".txt" not in r.locator for r in plan.references.values()
    )

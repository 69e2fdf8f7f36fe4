"""Window supplements: magnesium counted with the daily magnesium under the UL, and
the protocol's omega-3 from the person's own fish oil when the label is known."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from neurogarden.planning.result import Dose, Plan, Window

SESSION = [{"start": "2026-11-23T10:00:00", "route": "sublingual"}]
UL = 350.0


def window(plan: Plan) -> Window:
    w = plan.windows[0]
    assert isinstance(w, Window)
    return w


def window_dose(w: Window, name: str) -> Dose:
    return next(d for d in w.supplements if d.name == name)


def codes(w: Window) -> set[str]:
    return {f.code for f in w.findings}


def test_sleep_glycinate_plus_window_threonate_stays_within_the_ul(
    make_plan: Callable[..., Plan],
) -> None:
    plan = make_plan(goals=["sleep"], sessions=SESSION)
    w = window(plan)
    threonate = window_dose(w, "magnesium L-threonate")
    assert (threonate.compound_mg, threonate.elemental_mg) == (2000.0, 144.0)  # label 7.2%
    assert threonate.elemental_basis == "label"
    daily = plan.totals["magnesium"].supplemental_mg
    assert w.totals["magnesium"].supplemental_mg == pytest.approx(daily + 144.0)
    assert w.totals["magnesium"].supplemental_mg <= UL
    assert w.totals["magnesium"].ul_supplemental_mg == UL


@pytest.mark.parametrize(
    "extra",
    [
        {"goals": ["sleep", "mood"]},
        {"goals": ["sleep", "learning", "energy"]},
        {"goals": ["sleep", "anxiety"], "options": {"post_stress_dose": True}},
        {"supplements": [{"name": "magnesium citrate", "amount": "1000 mg", "times": ["21:00"]}]},
    ],
)
def test_other_recommended_magnesium_is_lowered_on_window_days(
    make_plan: Callable[..., Plan], extra: dict[str, object]
) -> None:
    plan = make_plan(**extra, sessions=SESSION)
    w = window(plan)
    total = w.totals["magnesium"].supplemental_mg
    assert total <= UL
    recommended = sum(d.elemental_mg or 0 for d in plan.supplements if d.nutrient == "magnesium")
    current = sum(d.elemental_mg or 0 for d in plan.current if d.nutrient == "magnesium")
    added = [
        d for d in w.supplements if d.goals == ("kap_integration",) and d.nutrient == "magnesium"
    ]
    changed = [d for d in w.supplements if d.nutrient == "magnesium" and d not in added]
    if current + recommended + 144 > UL and added:
        assert "kap-window-mg-reduced" in codes(w)
        assert changed and all("On window days" in (d.why or "") for d in changed)
    # what the window says it takes adds up to its total
    kept = {d.name + str(d.times): d.elemental_mg or 0 for d in plan.supplements}
    kept.update({d.name + str(d.times): d.elemental_mg or 0 for d in changed})
    window_sum = current + sum(kept.values()) + sum(d.elemental_mg or 0 for d in added)
    assert window_sum == pytest.approx(total, abs=0.05)


def test_threonate_already_in_the_daily_plan_is_not_added_twice(
    make_plan: Callable[..., Plan],
) -> None:
    w = window(make_plan(goals=["learning"], sessions=SESSION))
    assert [d.name for d in w.supplements if d.nutrient == "magnesium"] == []
    assert "kap-window-form-in-plan" in codes(w)


def test_current_oxide_leaves_little_room_so_the_window_threonate_shrinks(
    make_plan: Callable[..., Plan],
) -> None:
    plan = make_plan(
        supplements=[{"name": "magnesium oxide", "amount": "400 mg", "times": ["21:00"]}],
        sessions=SESSION,
    )
    w = window(plan)
    # 400 mg oxide = 241.2 mg magnesium; 108.8 mg are left under the 350 mg UL.
    threonate = window_dose(w, "magnesium L-threonate")
    assert threonate.compound_mg == 1500.0 and threonate.elemental_mg == 108.0
    assert {"kap-window-threonate-reduced", "kap-window-mg-reduced"} <= codes(w)
    assert all(d.compound_mg == 0 for d in w.supplements if d.name == "magnesium glycinate")
    assert w.totals["magnesium"].supplemental_mg == pytest.approx(241.2 + 108.0)
    assert any(f.code == "kap-window-threonate-reduced" for f in plan.findings)


def test_current_at_the_ul_leaves_the_threonate_out(make_plan: Callable[..., Plan]) -> None:
    w = window(
        make_plan(
            goals=[],
            supplements=[{"name": "magnesium oxide", "amount": "580 mg", "times": ["21:00"]}],
            sessions=SESSION,
        )
    )
    assert not any(d.name == "magnesium L-threonate" for d in w.supplements)
    assert "kap-window-threonate-omitted" in codes(w)


def test_no_magnesium_in_the_window_when_the_plan_withholds_it(
    make_plan: Callable[..., Plan],
) -> None:
    w = window(make_plan(person={"egfr": 20}, sessions=SESSION))
    assert not any(d.nutrient == "magnesium" for d in w.supplements)
    assert "kap-window-no-magnesium" in codes(w)


def test_window_omega3_without_a_product_is_epa_predominant(
    make_plan: Callable[..., Plan],
) -> None:
    w = window(make_plan(sessions=SESSION))
    dose = next(d for d in w.supplements if d.nutrient == "omega3")
    assert dose.epa_mg == 1000 and dose.dha_mg == 500
    assert "misframed" not in dose.name and "2" in dose.name
    assert {"liao-2019", "guu-2019-isnpr", "gencer-2021"} <= set(dose.sources)
    assert w.totals["omega3"].supplemental_mg == 1500
    assert "omega3-af-signal" in codes(w)


def test_window_omega3_uses_the_persons_fish_oil_label(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(
        supplements=[{"name": "fish oil", "epa": "180 mg", "dha": "120 mg", "times": ["08:00"]}],
        sessions=SESSION,
    )
    dose = next(d for d in window(plan).supplements if d.nutrient == "omega3")
    # 1 capsule gives 180 mg EPA; 820 mg more needs 5 capsules (900 mg EPA, 600 mg DHA).
    assert dose.name == "fish oil"
    assert (dose.epa_mg, dose.dha_mg) == (900.0, 600.0)
    assert "5 more capsule" in (dose.why or "")
    assert "below the ISNPR" in (dose.why or "")


def test_enough_epa_already_means_nothing_is_added(make_plan: Callable[..., Plan]) -> None:
    w = window(
        make_plan(
            supplements=[
                {
                    "name": "fish oil",
                    "epa": "500 mg",
                    "dha": "250 mg",
                    "capsules": 2,
                    "times": ["08:00"],
                }
            ],
            sessions=SESSION,
        )
    )
    assert not any(d.nutrient == "omega3" for d in w.supplements)
    assert "kap-window-omega3-unchanged" in codes(w)

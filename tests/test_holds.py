"""Holds, children, finite numbers and the one placement of every dose, each checked on a
profile that reads like a real clinical case."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY, profile_of
from neurogarden.api import load_profile
from neurogarden.kb.base import KnowledgeBase
from neurogarden.planning import timing
from neurogarden.planning.result import Dose, Plan
from neurogarden.planning.schedule import Schedule
from neurogarden.profile import ProfileError

MakePlan = Callable[..., Plan]
SESSION = [{"start": "2026-11-23T16:00:00", "route": "sublingual"}]
OVERRIDE = {"reason": "neurology agrees to a low oral dose", "by": "dr.okafor"}


def magnesium_doses(plan: Plan) -> list[Dose]:
    """Every magnesium dose the plan recommends, daily and in every window."""
    window = [d for w in plan.windows for d in w.supplements]
    return [d for d in (*plan.supplements, *window) if d.nutrient == "magnesium"]


def holds(plan: Plan) -> dict[str, Any]:
    return {f.code: f for f in plan.findings if f.hold is not None}


def test_ciprofloxacin_with_a_session_and_a_short_waking_day_plans_no_threonate(
    make_plan: MakePlan, kb: KnowledgeBase
) -> None:
    """Cipro at 08:00 and 20:00 keeps magnesium out of 02:00–10:00 and 14:00–22:00, the
    whole 15:00–21:00 waking day: no dose anywhere, and blocks that name ciprofloxacin."""
    plan = make_plan(
        goals=["sleep"],
        routine={"wake": "15:00", "bed": "21:00"},
        medications=[{"name": "ciprofloxacin", "times": ["08:00", "20:00"]}],
        sessions=SESSION,
    )
    assert magnesium_doses(plan) == []
    blocks = [f for f in plan.findings if f.code == "separation-no-time"]
    assert {f.subject for f in blocks} == {"magnesium glycinate", "magnesium L-threonate"}
    assert all("ciprofloxacin" in f.message and f.severity == "block" for f in blocks)
    cipro = next(r for r in kb.separations if "ciprofloxacin" in r.applies_to.medications)
    assert blocks[0].sources == cipro.sources
    assert plan.has_block()


def test_levothyroxine_doxycycline_moxifloxacin_never_meet_a_window_dose(
    make_plan: MakePlan, kb: KnowledgeBase
) -> None:
    data = dict(
        goals=["sleep", "learning"],
        medications=[
            {"name": "levothyroxine", "times": ["06:00"]},
            {"name": "doxycycline", "times": ["12:00"]},
            {"name": "moxifloxacin", "times": ["18:00"]},
        ],
        sessions=SESSION,
    )
    plan = make_plan(**data)
    schedule = Schedule(kb, load_profile(profile_of(**data), kb=kb, today=TODAY))
    for dose in magnesium_doses(plan):
        for when in dose.times:
            assert not timing.blocking(timing.minutes(when), schedule.windows), (dose, when)
            assert when != "06:00"


def test_myasthenia_gravis_holds_all_magnesium_and_says_the_harm_was_intravenous(
    make_plan: MakePlan,
) -> None:
    plan = make_plan(
        goals=["sleep", "mood"], person={"conditions": ["myasthenia gravis"]}, sessions=SESSION
    )
    assert magnesium_doses(plan) == []
    hold = holds(plan)["condition-myasthenia-gravis"]
    assert hold.severity == "block" and plan.has_block()
    assert "intravenous" in hold.message and "not because oral harm is proven" in hold.message
    assert "a clinician records an override of 'condition-myasthenia-gravis'" in hold.message
    assert {"label-mgso4-injection", "bashuk-1990"} <= set(hold.sources)
    window = plan.windows[0]
    assert "kap-window-no-magnesium" in {f.code for f in window.findings}


def test_a_clinicians_override_lifts_the_hold_to_the_lowest_dose(make_plan: MakePlan) -> None:
    plan = make_plan(
        goals=["sleep"],
        person={"conditions": ["myasthenia gravis"]},
        overrides=[{"code": "condition-myasthenia-gravis", **OVERRIDE}],
    )
    hold = holds(plan)["condition-myasthenia-gravis"]
    assert hold.overridden is not None and hold.overridden.by == "dr.okafor"
    assert not plan.has_block()
    assert 0 < plan.totals["magnesium"].supplemental_mg <= 100  # lowest-dose: 100 mg a day
    assert "mg-lowest-dose" in {f.code for f in plan.findings}


@pytest.mark.parametrize(
    ("conditions", "held"),
    [
        (["heart block"], True),
        (["third-degree heart block"], True),
        (["mobitz ii"], True),
        (["complete heart block", "pacemaker"], False),
        (["first-degree heart block"], False),
    ],
)
def test_heart_block_holds_unless_first_degree_or_paced(
    make_plan: MakePlan, conditions: list[str], held: bool
) -> None:
    plan = make_plan(goals=["sleep"], person={"conditions": conditions})
    assert ("condition-heart-block" in holds(plan)) is held
    assert (plan.supplements == ()) is held
    if not held:
        assert any(f.code.startswith("condition-heart-block") for f in plan.findings)


def test_entering_an_egfr_lifts_the_unknown_kidney_hold_at_72_on_furosemide(
    make_plan: MakePlan,
) -> None:
    person: dict[str, Any] = {"age": 72, "sex": "male", "egfr": None}
    meds = [{"name": "furosemide", "times": ["08:00"]}]
    before = make_plan(goals=["sleep"], person=person, medications=meds)
    hold = holds(before)["kidney-egfr-unknown"]
    assert "age 72" in hold.message and "furosemide" in hold.message
    assert before.supplements == () and before.has_block()
    after = make_plan(goals=["sleep"], person={**person, "egfr": 75}, medications=meds)
    assert "kidney-egfr-unknown" not in {f.code for f in after.findings}
    assert after.supplements and not after.has_block()


def test_egfr_40_plans_no_more_than_the_lowest_dose(make_plan: MakePlan) -> None:
    plan = make_plan(goals=["sleep", "learning"], person={"egfr": 40}, sessions=SESSION)
    assert "kidney-egfr-30-59" in {f.code for f in plan.findings}
    assert plan.totals["magnesium"].supplemental_mg <= 100
    assert plan.totals["magnesium"].ceiling_mg == 100
    for w in plan.windows:
        assert w.totals["magnesium"].supplemental_mg <= 100


def test_an_override_of_a_code_that_is_not_a_block_is_an_error(make_plan: MakePlan) -> None:
    with pytest.raises(ProfileError, match=r"overrides\[0\]\.code: 'condition-dialysis'"):
        make_plan(overrides=[{"code": "condition-dialysis", **OVERRIDE}])


def test_a_10_year_old_gets_at_most_240_minus_diet(make_plan: MakePlan) -> None:
    diet = [{"food": "spinach", "amount": "0.5 cup"}]  # boiled: 78 mg (ODS)
    plan = make_plan(goals=["sleep"], person={"age": 10, "sex": "male"}, diet=diet)
    total = plan.totals["magnesium"]
    assert total.rda_mg == 240 and total.dietary_mg is not None
    assert 0 < total.supplemental_mg <= 240 - total.dietary_mg
    assert "child-clinician-decision" in {f.code for f in plan.findings}


def test_a_child_without_a_diet_gets_no_dose_and_a_hold_no_override_lifts(
    make_plan: MakePlan,
) -> None:
    plan = make_plan(goals=["sleep", "constipation"], person={"age": 2})
    assert plan.supplements == ()
    hold = holds(plan)["child-diet-needed"]
    assert hold.hold is not None and not hold.hold.overridable
    assert (
        "clinician"
        in next(f for f in plan.findings if f.code == "child-clinician-decision").message
    )
    with pytest.raises(ProfileError, match="cannot be overridden"):
        make_plan(person={"age": 2}, overrides=[{"code": "child-diet-needed", **OVERRIDE}])


def test_the_as_needed_dose_keeps_its_separation_advice_when_the_daily_dose_moved(
    make_plan: MakePlan,
) -> None:
    plan = make_plan(
        goals=["anxiety"],
        options={"post_stress_dose": True},
        medications=[{"name": "levothyroxine", "times": ["19:00"]}],
    )
    prn = next(d for d in plan.supplements if d.as_needed)
    advice = [f for f in plan.findings if f.code == "separation-as-needed"]
    assert advice and advice[0].subject == prn.name
    assert "levothyroxine (19:00)" in advice[0].message
    assert all(", ." not in f.message and " at  " not in f.message for f in plan.findings)


@pytest.mark.parametrize(
    ("section", "error"),
    [
        ({"supplements": [{"name": "magnesium glycinate", "amount": "nan mg"}]},
         "supplements[0].amount: must be a finite amount, got 'nan mg'"),
        ({"medications": [{"name": "sertraline", "dose": "inf mg"}]},
         "medications[0].dose: must be a finite amount, got 'inf mg'"),
        ({"substances": [{"name": "alcohol", "amount": "1e309 drinks"}]},
         "substances[0].amount: must be a finite amount, got '1e309 drinks'"),
        ({"sessions": [{"start": "2026-11-23T10:00", "route": "iv", "dose": "nan mg"}]},
         "sessions[0].dose: must be a finite amount, got 'nan mg'"),
        ({"supplements": [{"name": "fish oil", "epa": "nan mg", "dha": "100 mg"}]},
         "supplements[0].epa: must be a finite amount, got 'nan mg'"),
        ({"medications": [{"name": "sertraline", "dose": "500 g"}]},
         "medications[0].dose: '500 g' is not a plausible medicine dose"),
        ({"sessions": [{"start": "2026-11-23T10:00", "route": "oral", "dose": "5 g"}]},
         "sessions[0].dose: '5 g' is not a plausible session dose"),
        ({"person": {"egfr": 250}}, "person.egfr: '250' is not plausible (expected 0–200"),
        ({"person": {"weight": "900 kg"}}, "person.weight: '900 kg' is not plausible"),
    ],
)  # fmt: skip
def test_numbers_must_be_finite_and_plausible(
    make_plan: MakePlan, section: dict[str, Any], error: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        make_plan(**section)
    assert str(caught.value).startswith(error)


def test_pure_epa_fish_oil_is_accepted(make_plan: MakePlan) -> None:
    plan = make_plan(supplements=[{"name": "fish oil", "epa": "500 mg", "dha": "0 mg"}])
    label = next(f for f in plan.findings if f.code == "omega3-label")
    assert "pure EPA" in label.message


def test_check_reports_exactly_the_findings_plan_does(tmp_path: Path) -> None:
    profile = {
        "person": {"age": 70, "sex": "female", "conditions": ["heart block"]},
        "timezone": "UTC",
        "goals": ["sleep"],
        "medications": [{"name": "ciprofloxacin", "times": ["08:00", "20:00"]}],
        "sessions": [{"start": "2026-11-23T10:00", "route": "sublingual"}],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile))
    cli = [sys.executable, "-m", "neurogarden"]
    planned = subprocess.run([*cli, "plan", str(path), "--json"], capture_output=True, text=True)
    checked = subprocess.run([*cli, "check", str(path), "--json"], capture_output=True, text=True)
    assert checked.returncode == 1
    assert json.loads(checked.stdout) == json.loads(planned.stdout)["findings"]
    assert {"condition-heart-block", "kidney-egfr-unknown"} <= {
        f["code"] for f in json.loads(checked.stdout)
    }


def test_a_pregnant_profiles_session_keeps_its_checklist_and_gets_no_threonate(
    make_plan: MakePlan,
) -> None:
    plan = make_plan(goals=["sleep"], person={"pregnant": True}, sessions=SESSION)
    window = plan.windows[0]
    assert {"no-alcohol", "journaling"} <= {c.id for c in window.checklist}
    assert window.supplements == ()
    assert "kap-window-no-supplements" in {f.code for f in window.findings}
    overridden = make_plan(
        goals=["sleep"],
        person={"pregnant": True},
        sessions=SESSION,
        overrides=[{"code": "kap-pregnancy", **OVERRIDE}],
    )
    names = {d.name for d in overridden.windows[0].supplements}
    assert "magnesium L-threonate" in names

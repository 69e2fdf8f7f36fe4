"""Generated profiles and the safety invariants every plan must keep.

Shared by the hypothesis suite (`test_plan_properties.py`, which draws the profile's
choices from a hypothesis-controlled `random.Random` so failures shrink) and by the
100,000-profile sweep in `bench/safety_sweep.py`.

For every magnesium dose the plan recommends anywhere (daily, titration, as-needed and
each integration-window supplement):

- all supplemental magnesium of a day, the person's own included, stays within the
  plan's ceiling, and the ceiling within the UL (a person already over the UL gets none);
- no dose time falls inside a separation window, and an as-needed dose has a waking
  time outside every window;
- nothing is recommended while a hold is in force, nor under a never-rule;
- a child gets at most the gap between the logged diet and the RDA, and no dose
  without a logged diet.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from neurogarden.kb.base import KnowledgeBase
from neurogarden.planning import timing
from neurogarden.planning.result import Dose, Plan
from neurogarden.planning.schedule import Schedule
from neurogarden.profile import Profile

TOLERANCE_MG = 1e-6
CONDITIONS = [
    "diabetes", "hypertension", "insomnia", "myasthenia gravis", "heart block",
    "second-degree heart block", "first-degree heart block", "pacemaker",
    "chronic kidney disease", "dialysis", "bipolar disorder", "pregnancy",
]  # fmt: skip
GOALS = ["sleep", "learning", "energy", "constipation", "mood", "anxiety", "general", "recovery"]
ROUTINES = [("07:00", "23:00"), ("06:00", "22:00"), ("19:00", "11:00"), ("15:00", "21:00"),
            ("22:00", "14:00"), ("05:00", "01:00")]  # fmt: skip
FOODS = ["pumpkin seeds", "spinach", "almonds", "black beans", "brown rice", "milk"]
BAD_AMOUNTS = ["nan mg", "inf mg", "1e309 mg", "400", "-5 mg", "500 g"]


def _clock(rng: random.Random) -> str:
    return f"{rng.randrange(24):02d}:{rng.choice([0, 15, 30, 45]):02d}"


def _amount(rng: random.Random, low: int, high: int, step: int = 50) -> str:
    """A valid amount with its unit; now and then a bad one, which must be refused."""
    if rng.random() < 0.02:
        return rng.choice(BAD_AMOUNTS)
    return f"{rng.randint(low, high) * step} mg"


def random_profile(rng: random.Random, kb: KnowledgeBase) -> dict[str, Any]:
    """A profile as a person or a clinic would write it, drawn from the whole vocabulary."""
    medicine_names = sorted({n for m in kb.medications.values() for n in m.all_names()})
    separated = sorted(  # half the medicines drawn have a separation rule, to reach them often
        {
            n
            for m in kb.medications.values()
            for r in kb.separations
            if m.id in r.applies_to.medications or set(m.classes) & set(r.applies_to.classes)
            for n in m.all_names()
        }
    )
    forms = sorted(f.name for f in kb.forms.values())
    substances = sorted({n for s in kb.substances.values() for n in s.all_names()})
    wake, bed = rng.choice(ROUTINES)
    person: dict[str, Any] = {
        "age": rng.choice([rng.randint(1, 17), rng.randint(18, 64), rng.randint(65, 100)]),
        "sex": rng.choice(["female", "male"]),
        "conditions": rng.sample(CONDITIONS, rng.choice([0, 0, 1, 2])),
    }
    if person["sex"] == "male" and "pregnancy" in person["conditions"]:
        person["conditions"].remove("pregnancy")
    if rng.random() < 0.6:
        person["egfr"] = round(rng.uniform(5, 130), 1)
    profile: dict[str, Any] = {
        "person": person,
        "timezone": rng.choice(["UTC", "America/New_York", "Europe/Berlin"]),
        "goals": rng.sample(GOALS, rng.randint(1, 4)),
        "routine": {"wake": wake, "bed": bed},
        "medications": [
            {"name": name, "times": sorted({_clock(rng) for _ in range(rng.randint(0, 3))})}
            for name in {
                rng.choice(separated if rng.random() < 0.5 else medicine_names)
                for _ in range(rng.choice([0, 1, 1, 2, 3]))
            }
        ],
        "supplements": [
            {
                "name": name,
                "amount": _amount(rng, 1, 20),
                "times": sorted({_clock(rng) for _ in range(rng.randint(0, 2))}),
            }
            for name in rng.sample(forms, rng.choice([0, 0, 1, 2]))
        ],
        "substances": [
            {"name": name, "amount": f"{rng.randint(1, 6)} g", "frequency": "weekly"}
            for name in rng.sample(substances, rng.choice([0, 0, 1]))
        ],
        "sessions": [
            {
                "start": (date(2026, 11, 1) + timedelta(days=rng.randrange(60))).isoformat()
                + f"T{rng.randint(8, 17):02d}:00",
                "route": rng.choice(["sublingual", "iv", "intranasal", "im"]),
            }
            for _ in range(rng.choice([0, 0, 1, 2]))
        ],
        "options": {"post_stress_dose": rng.random() < 0.4},
    }
    if rng.random() < 0.4:
        profile["diet"] = [
            {"food": food, "amount": f"{rng.randint(1, 3) * 50} g"}
            for food in rng.sample(FOODS, rng.randint(1, 3))
        ]
    if rng.random() < 0.05:
        profile["routine"]["study"] = ["09:00-12:00"]
    return profile


def _day_doses(plan: Plan, window_doses: tuple[Dose, ...]) -> list[Dose]:
    """A window day's magnesium: its doses replace the daily ones of the same name."""
    replaced = {d.name for d in window_doses if d.goals != ("kap_integration",)}
    daily = [d for d in plan.supplements if d.name not in replaced]
    return [d for d in (*daily, *window_doses) if d.nutrient == "magnesium"]


def check_plan_invariants(profile: Profile, plan: Plan, kb: KnowledgeBase) -> None:
    """Raise AssertionError naming the dose when a plan breaks a safety invariant."""
    total = plan.totals["magnesium"]
    current = sum(d.elemental_mg or 0.0 for d in plan.current if d.nutrient == "magnesium")
    days = [[d for d in plan.supplements if d.nutrient == "magnesium"]]
    days += [_day_doses(plan, w.supplements) for w in plan.windows]
    recommended = [d for day in days for d in day]
    held = any(f.holds_magnesium for f in plan.findings)
    schedule = Schedule(kb, profile)
    if held or schedule.never() or total.ul_supplemental_mg is None:
        assert recommended == [], ("magnesium recommended under a hold", recommended)
        return
    ul = total.ul_supplemental_mg
    limit = total.ceiling_mg if total.ceiling_mg is not None else ul
    assert limit <= ul + TOLERANCE_MG
    for day in days:
        added = sum(d.elemental_mg or 0.0 for d in day)
        if added:
            assert current + added <= limit + TOLERANCE_MG, (current, added, limit, day)
    if profile.age < kb.child_dosing.below_age_years and recommended:
        assert total.dietary_mg is not None and total.rda_mg is not None
        for day in days:
            added = sum(d.elemental_mg or 0.0 for d in day)
            assert current + added <= total.rda_mg - total.dietary_mg + TOLERANCE_MG
    windows = schedule.windows_for("magnesium")
    for dose in recommended:
        for when in dose.times:
            blocked = timing.blocking(timing.minutes(when), windows)
            assert not blocked, (dose.name, when, blocked)
            assert timing.awake(profile.wake, profile.bed, timing.minutes(when)), (dose, when)
        if dose.as_needed:
            assert schedule.any_waking_time(), dose
        else:
            assert dose.times, dose

"""Properties over generated profiles: every recommended dose anywhere in the plan is
within the ceiling and the UL, outside every separation window and absent under a hold;
every finding is cited; plans are deterministic; bad input is a validation error.

Profiles are drawn from the whole vocabulary (every medicine name, alias and brand in
the knowledge base, every magnesium form, sessions, night shifts, as-needed doses,
children, diets and the conditions that hold magnesium) by `plan_invariants`, which the
100,000-profile sweep in `bench/safety_sweep.py` uses too.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neurogarden.api import load_kb, load_profile, plan
from neurogarden.profile import ProfileError
from plan_invariants import check_plan_invariants, random_profile

KB = load_kb()
TODAY = date(2026, 11, 21)
# Every name and alias of every substance the knowledge base knows (kratom leaf, extract,
# 7-OH, mitragynine, alcohol, opioids...), so generated profiles use kratom in every spelling.
SUBSTANCE_NAMES = sorted({n for s in KB.substances.values() for n in s.all_names()})
KRATOM_TERMS = sorted(
    {"kratom", "mitragyn", "7-oh", "7oh", "7-hydroxy"}
    | {
        n.casefold()
        for s in KB.substances.values()
        if s.category == "kratom"
        for n in s.all_names()
    }
)
amount = st.builds(
    lambda n, unit: f"{n} {unit}", st.integers(1, 40), st.sampled_from(["g", "mg", "drinks"])
)


@st.composite
def substances(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Substance use as a profile lists it: amount and frequency, dated entries, or both."""
    out = []
    for name in draw(st.lists(st.sampled_from(SUBSTANCE_NAMES), max_size=3, unique=True)):
        item: dict[str, Any] = {"name": name}
        if draw(st.booleans()):
            item["amount"] = draw(amount)
            item["frequency"] = draw(st.sampled_from(["daily", "weekly", "occasionally"]))
        days = draw(st.lists(st.integers(0, 30), max_size=4, unique=True))
        item["entries"] = [
            {"date": date(2025, 10, 1) + timedelta(days=d), "amount": draw(amount)} for d in days
        ]
        out.append(item)
    return out


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A generated profile; the substance section is drawn by hypothesis directly."""
    data = random_profile(draw(st.randoms(use_true_random=False)), KB)
    data["substances"] = draw(substances())
    return data


def planned(data: dict[str, Any]) -> tuple[Any, Any] | None:
    """The profile and its plan, or None when the input is refused. Bad input must be a
    ProfileError naming a field: any other exception fails the test."""
    try:
        profile = load_profile(data, kb=KB, today=TODAY)
    except ProfileError as exc:
        assert exc.field and exc.message
        return None
    return profile, plan(profile, kb=KB)


FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(profiles())
def test_every_recommended_dose_is_within_limits_apart_and_absent_under_a_hold(
    data: dict[str, Any],
) -> None:
    result = planned(data)
    if result is not None:
        check_plan_invariants(*result, KB)


@FAST
@given(profiles())
def test_egfr_below_30_means_no_magnesium_anywhere(data: dict[str, Any]) -> None:
    result = planned(data)
    egfr = data["person"].get("egfr")
    if result is None or egfr is None or egfr >= 30:
        return
    _, p = result
    assert p.supplements == () and all(
        d.nutrient != "magnesium" for w in p.windows for d in w.supplements
    )
    assert any(f.code == "kidney-egfr-below-30" and f.holds_magnesium for f in p.findings)


@FAST
@given(profiles())
def test_every_finding_cites_known_sources(data: dict[str, Any]) -> None:
    result = planned(data)
    if result is None:
        return
    _, p = result
    for finding in p.findings:
        assert finding.sources and all(s in KB.sources for s in finding.sources), finding
    for dose in [*p.supplements, *(d for w in p.windows for d in w.supplements)]:
        assert dose.sources and all(s in KB.sources for s in dose.sources)


@settings(max_examples=100, deadline=None)
@given(profiles())
def test_the_plan_is_deterministic(data: dict[str, Any]) -> None:
    first = planned(data)
    if first is None:
        return
    again = planned(data)
    assert again is not None and again[1].model_dump_json() == first[1].model_dump_json()


def test_the_generator_reaches_holds_sessions_children_and_blocks() -> None:
    """The generated profiles cover what the properties are about (not a vacuous sweep)."""
    rng = random.Random(7)
    seen: set[str] = set()
    expected = {"refused", "window-dose", "child", "as-needed", "separation-no-time",
                "kidney-egfr-unknown", "condition-myasthenia-gravis"}  # fmt: skip
    for _ in range(3000):
        if expected <= seen:
            break
        result = planned(random_profile(rng, KB))
        if result is None:
            seen.add("refused")
            continue
        profile, p = result
        seen |= {f.code for f in p.findings if f.holds_magnesium}
        seen |= {"window-dose"} if any(w.supplements for w in p.windows) else set()
        seen |= {"child"} if profile.age < 18 and p.supplements else set()
        seen |= {"as-needed"} if any(d.as_needed for d in p.supplements) else set()
        seen |= {f.code for f in p.findings if f.code == "separation-no-time"}
    assert expected <= seen, sorted(expected - seen)


def _mentions_kratom(text: str | None) -> bool:
    folded = (text or "").casefold()
    return any(term in folded for term in KRATOM_TERMS)


@FAST
@given(profiles())
def test_kratom_is_never_a_recommended_supplement_nor_a_dose(data: dict[str, Any]) -> None:
    """Whatever the person uses (kratom leaf, extract, 7-OH, by any name), no recommended
    supplement, in the daily plan or in an integration window, is kratom or doses it."""
    got = planned(data)
    if got is None:
        return
    result = got[1]
    recommended = [*result.supplements, *(d for w in result.windows for d in w.supplements)]
    for dose in recommended:
        texts = (dose.name, dose.nutrient, dose.why, dose.titration, *dose.notes, *dose.goals)
        assert not any(_mentions_kratom(t) for t in texts), dose
    if any(KB.substances.resolve(s["name"]).category == "kratom" for s in data["substances"]):
        assert any(f.code == "kratom-use" for f in result.findings)


def test_no_supplement_the_knowledge_base_can_recommend_is_kratom() -> None:
    names = [n for p in KB.products.values() for n in p.all_names()]
    names += [n for f in KB.forms.values() for n in f.all_names()]
    assert names and not any(_mentions_kratom(n) for n in names)
    assert all(not _mentions_kratom(g.form) for g in KB.goals.values())

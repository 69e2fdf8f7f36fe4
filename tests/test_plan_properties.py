"""Properties over generated profiles: limits, windows, kidneys, citations, determinism."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neurogarden import timing
from neurogarden.api import load_kb, load_profile, plan
from neurogarden.planner import Draft, separation_windows

KB = load_kb()
FORMS = sorted(f.name for f in KB.forms.values())
MEDS = [
    "doxycycline",
    "ciprofloxacin",
    "moxifloxacin",
    "levothyroxine",
    "gabapentin",
    "alendronate",
    "dolutegravir",
    "atazanavir",
    "furosemide",
    "spironolactone",
    "omeprazole",
    "sertraline",
    "raltegravir",
    "bictegravir",
    "cabotegravir",
]
GOALS = ["sleep", "learning", "energy", "constipation", "mood", "anxiety", "general", "recovery"]
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
clock = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30, 45])
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
def profiles(draw: st.DrawFn, sessions: bool = False) -> dict[str, Any]:
    wake = draw(st.integers(4, 10))
    bed = draw(st.integers(20, 25)) % 24
    person: dict[str, Any] = {
        "age": draw(st.integers(1, 100)),
        "sex": draw(st.sampled_from(["female", "male"])),
        "conditions": draw(
            st.lists(
                st.sampled_from(["diabetes", "insomnia", "hypertension"]), max_size=2, unique=True
            )
        ),
    }
    if draw(st.booleans()):
        person["egfr"] = draw(st.floats(5, 130))
    meds = [
        {"name": name, "times": draw(st.lists(clock, min_size=1, max_size=3, unique=True))}
        for name in draw(st.lists(st.sampled_from(MEDS), max_size=3, unique=True))
    ]
    supplements = [
        {
            "name": name,
            "amount": f"{draw(st.integers(1, 30)) * 50} mg",
            "times": draw(st.lists(clock, max_size=2, unique=True)),
        }
        for name in draw(st.lists(st.sampled_from(FORMS), max_size=2, unique=True))
    ]
    return {
        "person": person,
        "timezone": "UTC",
        "goals": draw(st.lists(st.sampled_from(GOALS), min_size=1, max_size=4, unique=True)),
        "routine": {
            "wake": f"{wake:02d}:00",
            "bed": f"{bed:02d}:00",
            "study": draw(st.sampled_from([[], ["09:00-12:00"], ["14:00-16:00"]])),
        },
        "medications": meds,
        "supplements": supplements,
        "substances": draw(substances()),
        "sessions": draw(st.lists(session, max_size=2)) if sessions else [],
        "options": {"post_stress_dose": draw(st.booleans())},
    }


session = st.builds(
    lambda d, h: {"start": f"2026-11-{d:02d}T{h:02d}:00", "route": "sublingual"},
    st.integers(1, 28),
    st.integers(8, 16),
)


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(profiles())
def test_recommended_magnesium_never_pushes_the_total_over_the_ul(data: dict[str, Any]) -> None:
    result = plan(load_profile(data, kb=KB), kb=KB)
    total = result.totals["magnesium"]
    current = sum(d.elemental_mg or 0 for d in result.current if d.nutrient == "magnesium")
    recommended = sum(d.elemental_mg or 0 for d in result.supplements)
    assert total.ul_supplemental_mg is not None
    if current <= total.ul_supplemental_mg:
        assert total.supplemental_mg <= total.ul_supplemental_mg + 1e-6
    else:
        assert recommended == 0
        assert any(f.code == "mg-above-ul" for f in result.findings)


@FAST
@given(profiles())
def test_no_recommended_dose_falls_inside_a_separation_window(data: dict[str, Any]) -> None:
    profile = load_profile(data, kb=KB)
    result = plan(profile, kb=KB)
    windows = separation_windows(KB, profile, Draft())
    for dose in result.supplements:
        for when in dose.times:
            assert not timing.blocking(timing.minutes(when), windows), (dose.name, when)
    if any(w.never for w in windows):
        assert result.supplements == ()


@FAST
@given(profiles())
def test_egfr_below_30_means_no_magnesium(data: dict[str, Any]) -> None:
    result = plan(load_profile(data, kb=KB), kb=KB)
    egfr = data["person"].get("egfr")
    if egfr is not None and egfr < 30:
        assert result.supplements == ()
        assert any(
            f.code == "kidney-egfr-below-30" and f.severity == "block" for f in result.findings
        )


@FAST
@given(profiles())
def test_every_finding_cites_known_sources(data: dict[str, Any]) -> None:
    result = plan(load_profile(data, kb=KB), kb=KB)
    for finding in result.findings:
        assert finding.sources and all(s in KB.sources for s in finding.sources)
    for dose in result.supplements:
        assert dose.sources and all(s in KB.sources for s in dose.sources)


@settings(max_examples=100, deadline=None)
@given(profiles())
def test_the_plan_is_deterministic(data: dict[str, Any]) -> None:
    first = plan(load_profile(data, kb=KB), kb=KB).model_dump_json()
    assert plan(load_profile(data, kb=KB), kb=KB).model_dump_json() == first


def _mentions_kratom(text: str | None) -> bool:
    folded = (text or "").casefold()
    return any(term in folded for term in KRATOM_TERMS)


@FAST
@given(profiles(sessions=True))
def test_kratom_is_never_a_recommended_supplement_nor_a_dose(data: dict[str, Any]) -> None:
    """Whatever the person uses (kratom leaf, extract, 7-OH, by any name), no recommended
    supplement, in the daily plan or in an integration window, is kratom or doses it."""
    result = plan(load_profile(data, kb=KB, today=date(2026, 11, 21)), kb=KB)
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

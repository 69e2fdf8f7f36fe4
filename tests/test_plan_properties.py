"""Properties over generated profiles: limits, windows, kidneys, citations, determinism."""

from __future__ import annotations

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
GOALS = ["sleep", "learning", "energy", "constipation", "mood", "anxiety", "general"]
clock = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30, 45])
)


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
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
        "options": {"post_stress_dose": draw(st.booleans())},
    }


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

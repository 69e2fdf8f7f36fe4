"""Omega-3 label maths (fact sheet B's table) and the `neurogarden omega3` command."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from neurogarden.kap.omega3 import maths
from neurogarden.planning.result import Plan

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neurogarden", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("epa", "dha", "share", "ratio", "epa60", "isnpr", "caps_1g", "caps_2g"),
    [
        (180, 120, 0.6, 1.5, True, False, 5.6, 6.7),
        (500, 250, 0.6667, 2.0, True, True, 2.0, 2.7),
        (400, 200, 0.6667, 2.0, True, True, 2.5, 3.3),
        (650, 450, 0.5909, 1.44, False, False, 1.5, 1.8),
        (1000, 0, 1.0, None, True, True, 1.0, 2.0),
    ],
)
def test_the_fact_sheet_table(
    epa: float, dha: float, share: float, ratio: float | None,
    epa60: bool, isnpr: bool, caps_1g: float, caps_2g: float,
) -> None:  # fmt: skip
    m = maths(epa, dha)
    assert m.epa_share == pytest.approx(share, abs=1e-4)
    assert m.epa_dha_ratio == ratio
    assert (m.meets_epa_60, m.meets_isnpr_ratio) == (epa60, isnpr)
    assert (m.capsules_for_1g_epa, m.capsules_for_2g_epa_dha) == (caps_1g, caps_2g)


def test_650_450_fails_60_percent_and_500_250_passes_both() -> None:
    assert not maths(650, 450).meets_epa_60
    good = maths(500, 250)
    assert good.meets_epa_60 and good.meets_isnpr_ratio
    assert good.whole_capsules_for_1g_epa == 2


def test_af_signal_above_1_g_a_day() -> None:
    m = maths(500, 250)  # 2 capsules for 1 g EPA = 1,500 mg EPA+DHA
    assert m.epa_dha_at_1g_epa_mg == 1500
    assert [(f.code, f.sources) for f in m.findings] == [("omega3-af-signal", ("gencer-2021",))]
    assert maths(1000, 0).findings == ()  # exactly 1 g is not above 1 g


def test_cli_json() -> None:
    result = run("omega3", "--epa", "650 mg", "--dha", "450 mg", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["epa_share"] == pytest.approx(0.5909, abs=1e-4)
    assert data["meets_epa_60"] is False and data["meets_isnpr_ratio"] is False
    assert data["capsules_for_1g_epa"] == 1.5 and data["capsules_for_2g_epa_dha"] == 1.8
    assert data["findings"][0]["code"] == "omega3-af-signal"


def test_cli_text_and_grams() -> None:
    result = run("omega3", "--epa", "0.5 g", "--dha", "250 mg")
    assert result.returncode == 0
    assert "66.7%" in result.stdout and "ISNPR" in result.stdout


@pytest.mark.parametrize(
    ("epa", "dha", "field"), [("650", "450 mg", "--epa"), ("650 mg", "lots", "--dha")]
)
def test_cli_needs_units(epa: str, dha: str, field: str) -> None:
    result = run("omega3", "--epa", epa, "--dha", dha)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0]


def test_fish_oil_in_the_profile_gets_the_same_maths(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(
        supplements=[
            {
                "name": "fish oil",
                "epa": "650 mg",
                "dha": "450 mg",
                "capsules": 2,
                "times": ["08:00"],
            }
        ]
    )
    label = next(f for f in plan.findings if f.code == "omega3-label")
    assert "59.1% EPA" in label.message and "does not meet the ≥60%" in label.message
    af = next(f for f in plan.findings if f.code == "omega3-af-signal")
    assert "2200 mg" in af.message
    assert not any(f.code == "omega3-bleeding-anticoagulant" for f in plan.findings)


@pytest.mark.parametrize("medicine", ["warfarin", "Eliquis", "clopidogrel", "aspirin"])
def test_bleeding_with_anticoagulants_and_antiplatelets(
    make_plan: Callable[..., Plan], medicine: str
) -> None:
    plan = make_plan(
        medications=[{"name": medicine}],
        supplements=[{"name": "fish oil", "epa": "500 mg", "dha": "250 mg", "times": ["08:00"]}],
    )
    bleed = next(f for f in plan.findings if f.code == "omega3-bleeding-anticoagulant")
    assert bleed.severity == "warn" and bleed.sources == ("ods-omega3",)


def test_bleeding_also_when_only_the_window_adds_omega3(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(
        medications=[{"name": "warfarin"}],
        sessions=[{"start": "2026-11-23T10:00:00", "route": "iv"}],
    )
    assert any(f.code == "omega3-bleeding-anticoagulant" for f in plan.findings)

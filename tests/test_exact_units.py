"""The exact path for plain masses agrees with pint on every spelling and every amount,
and leaves everything else (other units, junk, negatives) to pint, errors included."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogarden.units import UnitError, exact_mass, exact_masses, mass_in, mass_mg, registry

SPELLINGS = sorted(exact_masses())


def test_the_table_comes_from_the_definitions_file() -> None:
    masses = exact_masses()
    assert masses["mg"] == Decimal("0.001")
    assert masses["mcg"] == masses["µg"] == masses["micrograms"] == Decimal("1e-6")
    assert masses["drinks"] == Decimal(14)  # NIAAA: a US standard drink is 14 g ethanol
    assert masses["oz"] == Decimal("28.349523125")  # NIST Handbook 44
    assert "cup" not in masses and "ml" not in masses  # volumes are pint's


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_each_spelling_means_to_pint_what_it_means_here(spelling: str) -> None:
    by_pint = registry().Quantity(f"1 {spelling}").to("g").magnitude
    assert by_pint == pytest.approx(float(exact_masses()[spelling]), rel=1e-12)


@given(
    whole=st.integers(min_value=0, max_value=10**7),
    tenths=st.integers(min_value=0, max_value=999),
    spelling=st.sampled_from(SPELLINGS),
    target=st.sampled_from(["mg", "g", "kg", "mcg"]),
)
def test_a_plain_amount_converts_as_pint_does(
    whole: int, tenths: int, spelling: str, target: str
) -> None:
    text = f"{whole}.{tenths:03d} {spelling}"
    fast = exact_mass(text, target)
    by_pint = registry().Quantity(text).to(target).magnitude
    assert fast is not None
    assert fast == pytest.approx(by_pint, rel=1e-12, abs=1e-15)


def test_the_label_figures_are_exact() -> None:
    assert mass_mg("2,000 mg", field="x") == 2000.0
    assert mass_mg("0.1 g", field="x") == 100.0
    assert mass_mg("1.005 g", field="x") == 1005.0  # pint multiplies floats: 1004.9999999999999
    assert mass_in("70 kg", "kg", field="x") == 70.0


@given(
    st.text(alphabet=st.sampled_from(list("0123456789 .,-+eEmgkcuµlbozdrinks%/*()")), max_size=14)
)
def test_any_text_gets_the_same_answer_or_the_same_error(text: str) -> None:
    """Whatever the exact path declines goes to pint: the answer, or the refusal and the
    field it names, is what pint alone gives."""

    def by_pint() -> float:
        from neurogarden.units import parse_quantity

        return float(parse_quantity(text, field="amount", dimension="mass").to("mg").magnitude)

    try:
        expected: float | str = by_pint()
    except UnitError as exc:
        expected = exc.field
    try:
        got: float | str = mass_mg(text, field="amount")
    except UnitError as exc:
        got = exc.field
    if isinstance(expected, float) and isinstance(got, float):
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-15)
    else:
        assert got == expected


def test_a_plan_of_plain_amounts_never_imports_pint(tmp_path: object) -> None:
    code = (
        "import sys; from neurogarden.units import mass_mg, mass_in; "
        "mass_mg('2,000 mg', field='a'); mass_mg('400 mcg', field='b'); "
        "mass_mg('2 drinks', field='c'); mass_in('70 kg', 'kg', field='d'); "
        "print('pint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

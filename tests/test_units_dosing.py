"""Units and elemental magnesium, with figures from labels and the fact sheet."""

from __future__ import annotations

import pytest

from neurogarden.kb.base import KnowledgeBase
from neurogarden.planning.dosing import compound_for, dose_step_mg, elemental_mg, intake_row, row_mg
from neurogarden.units import UnitError, format_mg, mass_mg


@pytest.mark.parametrize(
    ("text", "mg"),
    [("500 mg", 500), ("2 g", 2000), ("1000 mcg", 1), ("400 µg", 0.4), ("1 oz", 28349.523125)],
)
def test_masses_convert_to_mg(text: str, mg: float) -> None:
    assert mass_mg(text, field="x") == pytest.approx(mg)


@pytest.mark.parametrize("bad", ["400", 400, 4.5, "", "two grams", "2 cups", "-5 mg", None])
def test_a_dose_without_a_mass_unit_is_an_error_naming_the_field(bad: object) -> None:
    with pytest.raises(UnitError) as err:
        mass_mg(bad, field="supplements[0].amount")
    assert err.value.field == "supplements[0].amount"


def test_format_mg_is_explicit() -> None:
    assert format_mg(2000) == "2 g"
    assert format_mg(500) == "500 mg"
    assert format_mg(0.4) == "400 µg"


def test_threonate_uses_the_label_figure(kb: KnowledgeBase) -> None:
    threonate = kb.forms.resolve("magnesium L-threonate")
    assert elemental_mg(threonate, 2000) == 144.0
    assert threonate.theoretical_fraction == pytest.approx(0.0825)


def test_oxide_matches_the_mag_ox_label(kb: KnowledgeBase) -> None:
    # Mag-Ox 400 is labelled 240 mg elemental; the molar-mass figure gives 241.2 mg.
    assert elemental_mg(kb.forms.resolve("magnesium oxide"), 400) == 241.2


def test_glycinate_fraction(kb: KnowledgeBase) -> None:
    assert elemental_mg(kb.forms.resolve("bisglycinate"), 500) == 70.5


@pytest.mark.parametrize("form", ["citrate", "glycinate", "chloride", "threonate", "oxide"])
def test_compound_for_never_exceeds_the_target(kb: KnowledgeBase, form: str) -> None:
    f = kb.forms.resolve(form)
    for target in (10, 49, 100, 144, 249.9, 350):
        compound = compound_for(f, target, dose_step_mg(kb))
        assert elemental_mg(f, compound) <= target
        assert compound % 50 == 0  # dose-step: 50 mg


@pytest.mark.parametrize(
    ("age", "sex", "pregnant", "lactating", "rda"),
    [
        (34, "female", False, False, 320),
        (25, "male", False, False, 400),
        (45, "male", False, False, 420),
        (20, "female", True, False, 350),
        (35, "female", True, False, 360),
        (16, "female", False, True, 360),
        (16, "female", True, False, 400),
        (16, "male", False, False, 410),
        (70, "female", False, False, 320),
        (6, "male", False, False, 130),
        (0, "female", False, False, 30),
    ],
)
def test_rda_by_age_sex_and_state(
    kb: KnowledgeBase, age: int, sex: str, pregnant: bool, lactating: bool, rda: float
) -> None:
    row = intake_row(
        kb, "magnesium", ("rda", "ai"), age=age, sex=sex, pregnant=pregnant, lactating=lactating
    )
    assert row_mg(row) == rda


@pytest.mark.parametrize(("age", "ul"), [(2, 65), (4, 110), (8, 110), (9, 350), (80, 350)])
def test_supplemental_ul_by_age(kb: KnowledgeBase, age: int, ul: float) -> None:
    assert row_mg(intake_row(kb, "magnesium", ("ul",), age=age, sex="male")) == ul


def test_no_ul_under_one_year(kb: KnowledgeBase) -> None:
    assert intake_row(kb, "magnesium", ("ul",), age=0, sex="male") is None

"""Diet amounts against the packaged food table, with real values.

The ODS rows below are copied from the fact sheet (shared/docs/facts.md A9), not read
from the knowledge base, so the table's mg per 100 g and gram weights are checked against
the source they claim to reproduce.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from neurogarden.api import load_kb
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.foods import DietError, grams_of, serving_disagreement, split_count
from neurogarden.kb.problems import DATA_DIR
from neurogarden.profile import Profile, ProfileError

MakeProfile = Callable[..., Profile]

# NIH ODS Magnesium fact sheet, Table 2, as given in fact sheet A9: food, serving, mg.
ODS_TABLE = [
    ("pumpkin seeds", "1 oz", 156),
    ("chia seeds", "1 oz", 111),
    ("almonds", "1 oz", 80),
    ("spinach, boiled", "½ cup", 78),
    ("cashews", "1 oz", 74),
    ("peanuts, oil roasted", "¼ cup", 63),
    ("shredded wheat", "2 biscuits", 61),
    ("soymilk", "1 cup", 61),
    ("black beans", "½ cup", 60),
    ("edamame", "½ cup", 50),
    ("peanut butter", "2 tbsp", 49),
    ("potato, baked with skin", "3.5 oz", 43),
    ("brown rice", "½ cup", 42),
    ("yogurt, plain, low fat", "8 oz", 42),
    ("oatmeal, instant", "1 packet", 36),
    ("kidney beans, canned", "½ cup", 35),
    ("banana", "1 medium", 32),
    ("salmon, Atlantic, farmed, cooked", "3 oz", 26),
    ("milk", "1 cup", (24, 27)),
    ("halibut", "3 oz", 24),
    ("raisins", "½ cup", 23),
    ("bread, whole wheat", "1 slice", 23),
    ("avocado", "½ cup, cubed", 22),
    ("chicken breast, roasted", "3 oz", 22),
    ("beef, ground, 90% lean", "3 oz", 20),
    ("broccoli", "½ cup", 12),
    ("rice, white, cooked", "½ cup", 10),
    ("apple", "1 medium", 9),
    ("carrot", "1 medium", 7),
]


def within_rounding(got: float, want: float) -> bool:
    return abs(got - want) <= max(1.0, 0.02 * want)


def diet_error(make_profile: MakeProfile, food: str, amount: Any) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        make_profile(diet=[{"food": food, "amount": amount}])
    return caught.value


@pytest.mark.parametrize(("food", "amount", "ods_mg"), ODS_TABLE, ids=[r[0] for r in ODS_TABLE])
def test_every_ods_food_reproduces_its_serving(
    make_profile: MakeProfile, food: str, amount: str, ods_mg: int | tuple[int, int]
) -> None:
    item = make_profile(diet=[{"food": food, "amount": amount}]).diet[0]
    if isinstance(ods_mg, tuple):  # milk: 24-27 mg depending on the milk
        assert ods_mg[0] - 1 <= item.magnesium_mg <= ods_mg[1] + 1
    else:
        assert within_rounding(item.magnesium_mg, ods_mg), (item.grams, item.magnesium_mg)


def test_one_ounce_of_pumpkin_seeds_is_about_156_mg(make_profile: MakeProfile) -> None:
    item = make_profile(diet=[{"food": "pepitas", "amount": "1 oz"}]).diet[0]
    assert item.grams == pytest.approx(28.35, abs=0.01)
    assert item.magnesium_mg == pytest.approx(156, abs=0.5)


def test_the_table_covers_every_ods_row(kb: KnowledgeBase) -> None:
    ods_foods = {kb.foods.resolve(name).id for name, _, _ in ODS_TABLE}
    assert len(ods_foods) == len(ODS_TABLE)
    cited = {f.id for f in kb.foods.values() if "ods-magnesium" in f.sources}
    assert cited == ods_foods


@pytest.mark.parametrize("food_id", sorted(f.id for f in load_kb().foods.values()))
def test_100_g_gives_the_mg_per_100_g(make_profile: MakeProfile, kb: KnowledgeBase, food_id: str):
    food = kb.foods.by_id[food_id]
    item = make_profile(diet=[{"food": food.name, "amount": "100 g"}]).diet[0]
    assert item.grams == 100
    assert item.magnesium_mg == pytest.approx(food.magnesium_mg_per_100g)
    assert serving_disagreement(food) is None


def test_a_portion_the_food_lacks_lists_the_portions_it_has(make_profile: MakeProfile) -> None:
    err = diet_error(make_profile, "banana", "1 slice")
    assert err.field == "diet[0].amount"
    assert "'banana' has no portion 'slice'" in err.message
    assert "'medium' (118 g)" in err.message and "'small' (101 g)" in err.message


def test_a_food_without_portions_says_so_and_asks_for_a_mass(make_profile: MakeProfile) -> None:
    err = diet_error(make_profile, "salmon", "1 fillet")
    assert err.field == "diet[0].amount"
    assert "has no household portions" in err.message and "'100 g'" in err.message


@pytest.mark.parametrize("amount", ["2", 2, 1.5])
def test_a_bare_number_names_the_field(make_profile: MakeProfile, amount: object) -> None:
    err = diet_error(make_profile, "banana", amount)
    assert err.field == "diet[0].amount"
    assert "has no unit or portion" in err.message and "'1 medium'" in err.message


@pytest.mark.parametrize("amount", ["", "cup", "a handful", "0 g", "10 kg", "2 hours"])
def test_other_bad_amounts_name_the_field(make_profile: MakeProfile, amount: str) -> None:
    assert diet_error(make_profile, "almonds", amount).field == "diet[0].amount"


@pytest.mark.parametrize(
    ("food", "amount", "grams"),
    [
        ("almonds", "28.35 g", 28.35),
        ("almonds", "0.25 lb", 113.4),
        ("bread, whole wheat", "2 slices", 64),  # plural portion names
        ("shredded wheat", "2 Biscuits", 47),
        ("banana", "1 large", 136),
        ("raisins", "1 cup, packed", 165),
        ("raisins", "1 small box", 43),
        ("spinach, boiled", "1/2 cup", 90),
        ("spinach, boiled", "½ cup", 90),
        ("spinach, boiled", "1 1/2 cups", 270),
        ("brown rice", "1½ cup", 303),
        ("peanut butter", "1 tbsp", 16),
        ("peanut butter", "1 tsp", 16 / 3),  # from the food's own tablespoon, by volume
        ("cashews", "0.25 cup", 8.6 * 4),  # a quarter cup is four of its tablespoons
        ("almonds", "0.25 cup", 138 / 4),  # its only cup: "cup, whole kernels"
        ("milk", "8 fl oz", 244),
        ("soymilk", "250 ml", 250 / 236.5882365 * 243),
    ],
)
def test_amounts_become_grams_by_the_foods_own_portions(
    kb: KnowledgeBase, food: str, amount: str, grams: float
) -> None:
    assert grams_of(kb.foods.resolve(food), amount, "x") == pytest.approx(grams, rel=1e-3)


def test_a_cup_of_several_kinds_must_say_which(make_profile: MakeProfile) -> None:
    err = diet_error(make_profile, "avocado", "0.5 cup")
    assert "ambiguous" in err.message
    assert "'cup, cubed'" in err.message and "'cup, pureed'" in err.message


def test_a_volume_needs_the_foods_own_cup_weight(make_profile: MakeProfile) -> None:
    err = diet_error(make_profile, "chia seeds", "1 tbsp")  # SR gives chia only by the ounce
    assert "no cup, tablespoon or teaspoon weight" in err.message


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("2 slices", (2.0, "slices")), ("½ cup", (0.5, "cup")), ("1 1/2 Cups", (1.5, "cups")),
     (".5 cup", (0.5, "cup")), ("3", (3.0, "")), ("cup", None), ("1/0 cup", None)],
)  # fmt: skip
def test_counts(text: str, parsed: tuple[float, str] | None) -> None:
    assert split_count(text) == parsed


def test_kb_check_fails_when_mg_per_100_g_misses_the_serving(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    foods = root / "foods.yaml"
    text = foods.read_text(encoding="utf-8")
    foods.write_text(text.replace("magnesium_mg_per_100g: 550", "magnesium_mg_per_100g: 530"))
    _, problems = KnowledgeBase.load(root)
    errors = [str(p) for p in problems if p.level == "error"]
    assert errors == [
        "foods.yaml: food-pumpkin-seeds: serving cross-check: 530 mg/100 g x 28.35 g (1 oz) "
        "= 150.3 mg, but the serving fact says 156 mg (more than 1 mg or 2% apart)"
    ]


def test_kb_check_wants_each_gram_weight_tagged(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    foods = root / "foods.yaml"
    text = foods.read_text(encoding="utf-8")
    foods.write_text(
        text.replace("{name: slice, grams: 32, verification: S}", "{name: slice, grams: 32}")
    )
    _, problems = KnowledgeBase.load(root)
    assert [p.message for p in problems if p.level == "error"] == [
        "portion 'slice' needs a verification tag"
    ]


def test_grams_of_refuses_what_it_cannot_read(kb: KnowledgeBase) -> None:
    with pytest.raises(DietError, match="x: expected an amount"):
        grams_of(kb.foods.resolve("banana"), None, "x")

"""USDA FoodData Central import on real databases: what lands in the tables, idempotence,
all-or-nothing on a bad file, fuzzy search, and an imported food in a profile's plan."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from fdc_sample import (
    NUTRIENTS,
    PUMPKIN,
    QUINOA,
    SAMPLE,
    SPINACH,
    WATER,
    SampleFood,
    write_fdc,
    zip_folder,
)
from neurogarden.api import load_kb, load_profile, plan
from neurogarden.kb.base import KnowledgeBase
from neurogarden.profile import ProfileError
from neurogarden.storage.fdc_csv import FdcFormatError
from neurogarden.storage.fdc_import import BATCH, ImportCounts, import_fdc
from neurogarden.storage.foods import foods_for_profiles, search_foods

pytest_plugins = ("dbs",)  # fixtures: db_url (SQLite and PostgreSQL), engine

ROOT = Path(__file__).resolve().parents[1]


def table_counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        foods = conn.execute(text("SELECT count(*) FROM foods")).scalar_one()
        portions = conn.execute(text("SELECT count(*) FROM food_portions")).scalar_one()
    return foods, portions


def test_a_folder_imports_foods_with_magnesium_and_their_portions(
    engine: Engine, tmp_path: Path
) -> None:
    counts = import_fdc(engine, write_fdc(tmp_path / "fdc"))
    assert counts == ImportCounts(foods=3, portions=4, skipped=1)  # tap water has no Mg row
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT source, name, data_type, magnesium_mg_per_100g FROM foods WHERE fdc_id = :i"
            ),
            {"i": PUMPKIN.fdc_id},
        ).one()
        portions = conn.execute(
            text(
                "SELECT p.name, p.gram_weight FROM food_portions p JOIN foods f ON f.id = p.food_id"
                " WHERE f.fdc_id = :i ORDER BY p.gram_weight"
            ),
            {"i": PUMPKIN.fdc_id},
        ).all()
    assert tuple(row) == ("fdc", PUMPKIN.description, "sr_legacy_food", 550.0)
    assert [tuple(p) for p in portions] == [("1 oz", 28.35), ("1 cup", 118.0)]


def test_a_zip_with_a_sub_folder_imports_the_same(engine: Engine, tmp_path: Path) -> None:
    archive = zip_folder(write_fdc(tmp_path / "fdc"), tmp_path / "FoodData_Central.zip")
    assert import_fdc(engine, archive) == ImportCounts(foods=3, portions=4, skipped=1)


def test_importing_twice_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    folder = write_fdc(tmp_path / "fdc")
    first = import_fdc(engine, folder)
    after_first = table_counts(engine)
    assert import_fdc(engine, folder) == first
    assert table_counts(engine) == after_first == (3, 4)


def test_a_new_download_updates_values_by_fdc_id(engine: Engine, tmp_path: Path) -> None:
    import_fdc(engine, write_fdc(tmp_path / "old"))
    revised = SampleFood(QUINOA.fdc_id, "Quinoa, cooked (revised)", 70.0, ((1, "cup", 185.0),))
    import_fdc(engine, write_fdc(tmp_path / "new", [revised], with_portions=False))
    with engine.connect() as conn:
        name, mg = conn.execute(
            text("SELECT name, magnesium_mg_per_100g FROM foods WHERE fdc_id = :i"),
            {"i": QUINOA.fdc_id},
        ).one()
    assert (name, mg) == ("Quinoa, cooked (revised)", 70.0)
    assert table_counts(engine) == (3, 4)  # portions kept when the new download has none


def test_magnesium_is_found_by_number_not_by_a_fixed_id(engine: Engine, tmp_path: Path) -> None:
    renumbered = [(("7777", *n[1:]) if n[3] == "304" else n) for n in NUTRIENTS]
    folder = write_fdc(tmp_path / "fdc", nutrients=renumbered)
    assert import_fdc(engine, folder).foods == 3


def test_magnesium_in_another_unit_is_refused(engine: Engine, tmp_path: Path) -> None:
    in_grams = [((n[0], n[1], "G", n[3], n[4]) if n[3] == "304" else n) for n in NUTRIENTS]
    with pytest.raises(FdcFormatError, match=r"nutrient\.csv.*MG expected"):
        import_fdc(engine, write_fdc(tmp_path / "fdc", nutrients=in_grams))


def test_a_corrupt_file_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    import_fdc(engine, write_fdc(tmp_path / "good"))
    before = table_counts(engine)
    many = [SampleFood(500000 + i, f"Food {i}", 10.0) for i in range(BATCH + 500)]
    folder = write_fdc(tmp_path / "bad", many)
    with (folder / "food.csv").open("a", encoding="utf-8") as handle:
        handle.write('"not-a-number","sr_legacy_food","Broken row","12","2019-04-01"\n')
    with pytest.raises(FdcFormatError, match=r"food\.csv: line \d+: fdc_id 'not-a-number'"):
        import_fdc(engine, folder)  # the first batch was already sent when the bad row came
    assert table_counts(engine) == before


@pytest.mark.parametrize("missing", ["food.csv", "nutrient.csv", "food_nutrient.csv"])
def test_a_missing_file_is_named(engine: Engine, tmp_path: Path, missing: str) -> None:
    folder = write_fdc(tmp_path / "fdc")
    (folder / missing).unlink()
    with pytest.raises(FdcFormatError, match=rf"{missing} not found"):
        import_fdc(engine, folder)
    assert table_counts(engine) == (0, 0)


def test_search_finds_pumpkin_seeds_despite_the_typo(engine: Engine, tmp_path: Path) -> None:
    import_fdc(engine, write_fdc(tmp_path / "fdc"))
    hits = search_foods("pumkin seeds", engine, load_kb().foods.values(), limit=5)
    assert hits[0].name.startswith("pumpkin seeds") or hits[0].fdc_id == PUMPKIN.fdc_id
    imported = [h for h in hits if h.source == "fdc"]
    assert imported and imported[0].fdc_id == PUMPKIN.fdc_id
    assert (imported[0].magnesium_mg, imported[0].per) == (550.0, "100 g")
    packaged = [h for h in hits if h.source == "kb"]
    assert packaged and (packaged[0].magnesium_mg, packaged[0].per) == (156.0, "1 oz")


def test_an_imported_food_counts_in_the_plan_right_after_import(
    engine: Engine, tmp_path: Path
) -> None:
    import_fdc(engine, write_fdc(tmp_path / "fdc"))
    kb = load_kb().with_foods(foods_for_profiles(engine))
    profile = load_profile(
        {
            "person": {"age": 34, "sex": "female", "egfr": 90},
            "goals": ["general"],
            "diet": [
                {"food": QUINOA.description, "amount": "150 g"},
                {"food": "spinach, raw", "amount": "100 g"},
            ],
        },
        kb=kb,
    )
    totals = plan(profile, kb=kb).totals["magnesium"]
    assert totals.dietary_mg == pytest.approx(64.0 * 1.5 + 79.0)
    assert load_kb().foods.get(QUINOA.description) is None  # the packaged KB is untouched


LENTILS = SampleFood(
    172421,
    "Lentils, mature seeds, cooked, boiled, without salt",
    36.0,
    ((0.5, "cup", 99.0), (1, "tbsp", 12.4), (1, "cup", 198.0)),
)


def imported_kb(engine: Engine, tmp_path: Path) -> KnowledgeBase:
    import_fdc(engine, write_fdc(tmp_path / "fdc", [*SAMPLE, LENTILS]))
    return load_kb().with_foods(foods_for_profiles(engine))


def test_imported_foods_carry_their_portions_per_one_measure(
    engine: Engine, tmp_path: Path
) -> None:
    kb = imported_kb(engine, tmp_path)
    lentils = kb.foods.resolve(LENTILS.description)
    # "0.5 cup" of 99 g becomes a cup of 198 g; the later "1 cup" row repeats it and is dropped
    assert [(p.name, p.grams) for p in lentils.portions] == [("cup", 198.0), ("tbsp", 12.4)]
    assert lentils.magnesium_mg_per_100g == 36.0 and lentils.fdc_id == LENTILS.fdc_id
    assert kb.foods.get(WATER.description) is None  # no magnesium value, not imported


def test_portions_can_be_limited_to_the_foods_a_diet_names(engine: Engine, tmp_path: Path) -> None:
    import_fdc(engine, write_fdc(tmp_path / "fdc", [*SAMPLE, LENTILS]))
    named = [LENTILS.description.upper(), f"fdc-{QUINOA.fdc_id}"]  # as a profile may write them
    foods = {f.fdc_id: f for f in foods_for_profiles(engine, portions_for=named)}
    assert len(foods) == 4  # every food is still known by name, for "did you mean"
    with_portions = {fdc_id for fdc_id, f in foods.items() if f.portions}
    assert with_portions == {LENTILS.fdc_id, QUINOA.fdc_id}


def test_an_imported_food_is_usable_by_its_portions_right_after_import(
    engine: Engine, tmp_path: Path
) -> None:
    kb = imported_kb(engine, tmp_path)
    profile = load_profile(
        {
            "person": {"age": 34, "sex": "female", "egfr": 90},
            "goals": ["general"],
            "diet": [
                {"food": QUINOA.description, "amount": "1 cup"},  # 185 g
                {"food": LENTILS.description, "amount": "1/2 cup"},  # 99 g
                {"food": LENTILS.description, "amount": "1 tsp"},  # a third of its tbsp
                {"food": PUMPKIN.description, "amount": "1 oz"},  # mass: 28.35 g
            ],
        },
        kb=kb,
    )
    grams = [item.grams for item in profile.diet]
    assert grams == pytest.approx([185.0, 99.0, 12.4 / 3, 28.349523125])
    totals = plan(profile, kb=kb).totals["magnesium"]
    expected = 1.85 * 64.0 + (0.99 + 0.124 / 3) * 36.0 + 0.28349523125 * 550.0
    assert totals.dietary_mg == pytest.approx(expected, abs=0.05)


def test_a_portion_an_imported_food_lacks_lists_its_portions(
    engine: Engine, tmp_path: Path
) -> None:
    kb = imported_kb(engine, tmp_path)
    with pytest.raises(ProfileError) as caught:
        load_profile(
            {
                "person": {"age": 34, "sex": "female"},
                "diet": [{"food": SPINACH.description, "amount": "2 leaves"}],
            },
            kb=kb,
        )
    assert caught.value.field == "diet[0].amount"
    assert "no portion 'leaves'" in caught.value.message
    assert "'cup' (30 g)" in caught.value.message


def run_cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEUROGARDEN_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "neurogarden", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip


def test_cli_import_then_search(db_url: str, tmp_path: Path) -> None:
    folder = write_fdc(tmp_path / "fdc", SAMPLE)
    done = run_cli(db_url, "foods", "import", str(folder))
    assert done.returncode == 0, done.stderr
    assert "imported 3 foods with magnesium and 4 portions" in done.stdout
    found = run_cli(db_url, "foods", "search", "pumkin seeds", "--limit", "3", "--json")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert len(hits) <= 3
    assert {h["source"] for h in hits} == {"kb", "fdc"}
    assert any(h["fdc_id"] == PUMPKIN.fdc_id for h in hits)


def test_cli_bad_path_is_one_line_and_exit_2(db_url: str, tmp_path: Path) -> None:
    folder = write_fdc(tmp_path / "fdc")
    (folder / "food_nutrient.csv").unlink()
    for path in (folder, tmp_path / "nowhere"):
        done = run_cli(db_url, "foods", "import", str(path))
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "food_nutrient.csv not found" in run_cli(db_url, "foods", "import", str(folder)).stderr


def test_cli_plan_uses_a_food_imported_just_before(db_url: str, tmp_path: Path) -> None:
    assert run_cli(db_url, "foods", "import", str(write_fdc(tmp_path / "fdc"))).returncode == 0
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "person: {age: 34, sex: female, egfr: 90}\ngoals: [general]\n"
        f"diet:\n  - {{food: '{QUINOA.description}', amount: 200 g}}\n"
        f"  - {{food: '{QUINOA.description}', amount: 0.5 cup}}\n",
        encoding="utf-8",
    )
    done = run_cli(db_url, "plan", str(profile), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totals"]["magnesium"]["dietary_mg"] == 128.0 + 59.2


def test_cli_plan_names_an_unknown_food_when_nothing_was_imported(
    db_url: str, tmp_path: Path
) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "person: {age: 34, sex: female}\ndiet:\n  - {food: quinoa cooked, amount: 200 g}\n",
        encoding="utf-8",
    )
    done = run_cli(db_url, "plan", str(profile))
    assert done.returncode == 2
    assert "diet[0].food" in done.stderr and len(done.stderr.strip().splitlines()) == 1

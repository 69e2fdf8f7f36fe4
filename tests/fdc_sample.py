"""Small FoodData Central CSV downloads, written in the public format for tests and bench.

Column sets follow the FDC "Full Download" CSVs (food.csv, nutrient.csv,
food_nutrient.csv, food_portion.csv, measure_unit.csv).
"""

from __future__ import annotations

import csv
import random
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

NUTRIENTS = [  # id, name, unit_name, nutrient_nbr, rank
    ("1003", "Protein", "G", "203", "600"),
    ("1087", "Calcium, Ca", "MG", "301", "5300"),
    ("1090", "Magnesium, Mg", "MG", "304", "5700"),
    ("1092", "Potassium, K", "MG", "306", "5700"),
]


@dataclass(frozen=True)
class SampleFood:
    fdc_id: int
    description: str
    magnesium_mg: float | None  # per 100 g; None: no magnesium row
    portions: Sequence[tuple[float, str, float]] = field(default=())  # amount, modifier, grams
    data_type: str = "sr_legacy_food"


PUMPKIN = SampleFood(
    170188,
    "Seeds, pumpkin and squash seed kernels, roasted, without salt",
    550.0,
    ((1, "cup", 118.0), (1, "oz", 28.35)),
)
SPINACH = SampleFood(168462, "Spinach, raw", 79.0, ((1, "cup", 30.0),))
WATER = SampleFood(173647, "Beverages, water, tap, municipal", None)
QUINOA = SampleFood(168917, "Quinoa, cooked", 64.0, ((1, "cup", 185.0),), "foundation_food")
SAMPLE = (PUMPKIN, SPINACH, WATER, QUINOA)


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(rows)


def write_fdc(
    folder: Path,
    foods: Sequence[SampleFood] = SAMPLE,
    *,
    nutrients: Sequence[tuple[str, str, str, str, str]] = NUTRIENTS,
    with_portions: bool = True,
    filler_nutrients: int = 0,
) -> Path:
    """Write the CSV files of a download into `folder` and return it; `filler_nutrients`
    adds rows of other nutrients per food, as real downloads have about a hundred."""
    folder.mkdir(parents=True, exist_ok=True)
    mg_id = next(n[0] for n in nutrients if n[3] == "304")
    _write(
        folder / "food.csv",
        ("fdc_id", "data_type", "description", "food_category_id", "publication_date"),
        ((f.fdc_id, f.data_type, f.description, "12", "2019-04-01") for f in foods),
    )
    _write(folder / "nutrient.csv", ("id", "name", "unit_name", "nutrient_nbr", "rank"), nutrients)

    def nutrient_rows() -> Iterable[Sequence[object]]:
        row_id = 1
        for f in foods:
            values = [("1003", 20.0), ("1087", 50.0)]
            values += [(str(2000 + k), 1.5) for k in range(filler_nutrients)]
            if f.magnesium_mg is not None:
                values.append((mg_id, f.magnesium_mg))
            for nutrient_id, amount in values:
                yield (row_id, f.fdc_id, nutrient_id, amount, "3", "1", "", "", "", "", "", "")
                row_id += 1

    _write(
        folder / "food_nutrient.csv",
        ("id", "fdc_id", "nutrient_id", "amount", "data_points", "derivation_id", "min", "max",
         "median", "loq", "footnote", "min_year_acquired"),
        nutrient_rows(),
    )  # fmt: skip
    if with_portions:
        _write(
            folder / "measure_unit.csv", ("id", "name"), (("1000", "cup"), ("9999", "undetermined"))
        )
        _write(
            folder / "food_portion.csv",
            ("id", "fdc_id", "seq_num", "amount", "measure_unit_id", "portion_description",
             "modifier", "gram_weight", "data_points", "footnote", "min_year_acquired"),
            (
                (f.fdc_id * 10 + i, f.fdc_id, i + 1, amount, "9999", "", modifier, grams, "", "",
                 "")
                for f in foods
                for i, (amount, modifier, grams) in enumerate(f.portions)
            ),
        )  # fmt: skip
    return folder


def zip_folder(
    folder: Path, target: Path, inner: str = "FoodData_Central_sr_legacy_food_csv"
) -> Path:
    """Zip the CSVs under one sub-folder, as the FDC downloads are packed."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"{inner}/{path.name}")
    return target


WORDS = (
    "beans", "lentils", "oats", "barley", "kale", "chard", "almond", "walnut", "cashew",
    "sesame", "sunflower", "tofu", "rice", "wheat", "rye", "millet", "buckwheat", "cocoa",
    "yogurt", "milk", "salmon", "mackerel", "banana", "avocado", "potato", "squash",
)  # fmt: skip
STYLES = ("raw", "cooked", "boiled", "roasted", "canned", "dried", "frozen", "steamed")


def generated_foods(count: int, seed: int = 42) -> list[SampleFood]:
    """`count` plausible foods from a seeded generator (never a committed data file)."""
    rng = random.Random(seed)
    foods = []
    for i in range(count):
        a, b = rng.sample(WORDS, 2)
        name = f"{a.capitalize()}, {b}, {rng.choice(STYLES)}, item {i}"
        mg = None if rng.random() < 0.05 else round(rng.uniform(1, 600), 1)
        portions = [(1, "cup", round(rng.uniform(30, 250), 1)), (1, "oz", 28.35)]
        foods.append(SampleFood(100000 + i, name, mg, portions))
    return foods

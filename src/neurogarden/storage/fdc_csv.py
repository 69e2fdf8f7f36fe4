"""Read the USDA FoodData Central CSV download, streaming, with no database in sight.

FoodData Central publishes each data set (SR Legacy, Foundation, …) as a folder or a
zip of CSV files: `food.csv`, `nutrient.csv`, `food_nutrient.csv` and, for most sets,
`food_portion.csv` and `measure_unit.csv`. Magnesium is nutrient 1090, number 304,
"Magnesium, Mg", in MG per 100 g (https://fdc.nal.usda.gov/download-datasets).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REQUIRED = ("food.csv", "nutrient.csv", "food_nutrient.csv")
MAGNESIUM_NUMBER = 304.0
MAGNESIUM_NAME = "magnesium, mg"
UNDETERMINED_UNIT = "undetermined"

Progress = Callable[[str, int, int], None]  # (file name, bytes read, bytes in total)


class FdcFormatError(ValueError):
    """The download is missing or not in the FoodData Central CSV format; names the file."""


@dataclass(frozen=True)
class FdcFood:
    fdc_id: int
    data_type: str
    name: str
    magnesium_mg_per_100g: float | None  # None: the food has no magnesium value


@dataclass(frozen=True)
class FdcPortion:
    fdc_id: int
    name: str
    gram_weight: float


class FdcDownload:
    """One FDC CSV download, a folder or a .zip (files may sit in one sub-folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._members: dict[str, Path | zipfile.ZipInfo]
        if path.is_dir():
            self._members = {p.name: p for p in path.rglob("*.csv")}
            self._zip: zipfile.ZipFile | None = None
        elif path.is_file() and zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            self._members = {
                Path(i.filename).name: i for i in self._zip.infolist() if not i.is_dir()
            }
        else:
            expected = ", ".join(REQUIRED)
            raise FdcFormatError(
                f"{path}: not a folder or a .zip of FoodData Central CSV files ({expected})"
            )
        for name in REQUIRED:
            if name not in self._members:
                raise FdcFormatError(f"{path}: {name} not found (FoodData Central CSV expected)")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def has(self, name: str) -> bool:
        return name in self._members

    @contextmanager
    def rows(
        self, name: str, progress: Progress | None = None
    ) -> Iterator[Iterator[dict[str, str]]]:
        """The rows of one CSV as dicts, reporting bytes read to `progress`."""
        member = self._members[name]
        raw: IO[bytes]
        if isinstance(member, Path):
            raw, total = member.open("rb"), member.stat().st_size
        else:
            assert self._zip is not None
            raw, total = self._zip.open(member), member.file_size
        try:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.DictReader(text)
            yield _reported(reader, raw, name, total, progress)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FdcFormatError(f"{name}: unreadable CSV ({exc})") from None
        finally:
            raw.close()


def _reported(
    reader: csv.DictReader[str], raw: IO[bytes], name: str, total: int, progress: Progress | None
) -> Iterator[dict[str, str]]:
    for count, row in enumerate(reader, 1):
        if progress is not None and count % 5000 == 0:
            progress(name, raw.tell(), total)
        yield row
    if progress is not None:
        progress(name, total, total)


def _columns(reader_row: dict[str, str], name: str, columns: tuple[str, ...], line: int) -> None:
    missing = [c for c in columns if c not in reader_row]
    if missing:
        raise FdcFormatError(f"{name}: missing column(s) {', '.join(missing)}")
    if None in reader_row.values():
        raise FdcFormatError(f"{name}: line {line}: fewer fields than the header")


def _number(value: str, name: str, line: int, column: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise FdcFormatError(f"{name}: line {line}: {column} {value!r} is not a number") from None


def magnesium_nutrient_id(download: FdcDownload) -> str:
    """The id of magnesium in this download, found by number 304 or name, checked to be MG."""
    with download.rows("nutrient.csv") as rows:
        for line, row in enumerate(rows, 2):
            _columns(row, "nutrient.csv", ("id", "name", "unit_name", "nutrient_nbr"), line)
            number = row["nutrient_nbr"].strip()
            by_number = bool(number) and _number(number, "nutrient.csv", line, "nutrient_nbr") == (
                MAGNESIUM_NUMBER
            )
            if by_number or row["name"].strip().casefold() == MAGNESIUM_NAME:
                if row["unit_name"].strip().upper() != "MG":
                    raise FdcFormatError(
                        f"nutrient.csv: line {line}: magnesium in {row['unit_name']!r}, MG expected"
                    )
                return row["id"].strip()
    raise FdcFormatError("nutrient.csv: no magnesium row (number 304, 'Magnesium, Mg')")


def magnesium_amounts(download: FdcDownload, progress: Progress | None = None) -> dict[int, float]:
    """fdc_id -> mg magnesium per 100 g, streaming food_nutrient.csv (the big file)."""
    nutrient_id = magnesium_nutrient_id(download)
    name = "food_nutrient.csv"
    amounts: dict[int, float] = {}
    with download.rows(name, progress) as rows:
        for line, row in enumerate(rows, 2):
            if line == 2:
                _columns(row, name, ("fdc_id", "nutrient_id", "amount"), line)
            if row.get("nutrient_id", "").strip() != nutrient_id:
                continue
            amount = (row["amount"] or "").strip()
            if amount:
                fdc_id = int(_number(row["fdc_id"], name, line, "fdc_id"))
                amounts[fdc_id] = _number(amount, name, line, "amount")
    return amounts


def foods(
    download: FdcDownload, amounts: dict[int, float], progress: Progress | None = None
) -> Iterator[FdcFood]:
    """Each food with its magnesium per 100 g (None when it has no value), in file order."""
    name = "food.csv"
    with download.rows(name, progress) as rows:
        for line, row in enumerate(rows, 2):
            _columns(row, name, ("fdc_id", "data_type", "description"), line)
            fdc_id = int(_number(row["fdc_id"], name, line, "fdc_id"))
            description = row["description"].strip()
            if not description:
                raise FdcFormatError(f"{name}: line {line}: empty description")
            yield FdcFood(fdc_id, row["data_type"].strip(), description, amounts.get(fdc_id))


def measure_units(download: FdcDownload) -> dict[str, str]:
    """measure_unit_id -> name ("1000" -> "cup"), when the download has measure_unit.csv."""
    if not download.has("measure_unit.csv"):
        return {}
    with download.rows("measure_unit.csv") as rows:
        return {r["id"].strip(): (r.get("name") or "").strip() for r in rows if r.get("id")}


def portions(download: FdcDownload, progress: Progress | None = None) -> Iterator[FdcPortion]:
    """Household measures with their gram weights, from food_portion.csv when present."""
    name = "food_portion.csv"
    if not download.has(name):
        return
    units = measure_units(download)
    with download.rows(name, progress) as rows:
        for line, row in enumerate(rows, 2):
            _columns(row, name, ("fdc_id", "gram_weight"), line)
            grams = (row["gram_weight"] or "").strip()
            if not grams:
                continue
            fdc_id = int(_number(row["fdc_id"], name, line, "fdc_id"))
            yield FdcPortion(fdc_id, portion_name(row, units), _number(grams, name, line, "gram"))


def portion_name(row: dict[str, str], units: dict[str, str]) -> str:
    """ "1 cup, chopped" from amount, unit and modifier, or the portion description."""
    description = (row.get("portion_description") or "").strip()
    if description and description.casefold() != "quantity not specified":
        return description
    amount = (row.get("amount") or "").strip()
    try:
        amount = f"{float(amount):g}" if amount else "1"
    except ValueError:
        amount = "1"
    unit = units.get((row.get("measure_unit_id") or "").strip(), "")
    parts = [amount]
    if unit and unit.casefold() != UNDETERMINED_UNIT:
        parts.append(unit)
    modifier = (row.get("modifier") or "").strip()
    if modifier:
        parts.append(modifier)
    return " ".join(parts) if len(parts) > 1 else f"{amount} portion"

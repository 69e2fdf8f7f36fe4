"""Quantities with explicit units, parsed by pint from a small definitions file.

A bare number is never a dose: every amount must say its unit ("500 mg", "2 g").

Most amounts are a plain decimal and a mass unit ("144 mg", "400 mcg", "2 drinks")
whose size in grams the same definitions file gives as an exact decimal; those are
converted exactly, in decimal, without importing pint (which costs a cold command more than the
plan). Anything else — other units, exponents, signs, junk — goes to pint, so its
answers and its errors are pint's.
"""

from __future__ import annotations

import math
import re
import sys
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

DEFINITIONS = Path(__file__).with_name("units.txt")
_NUMBER_ONLY = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")

DIMENSIONS = {
    "mass": "[mass]",
    "volume": "[length] ** 3",
    "length": "[length]",
    "time": "[time]",
}


class UnitError(ValueError):
    """An amount that is missing, unitless, of the wrong kind or impossible."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@cache
def registry() -> Any:
    """The unit registry, built once; numpy is kept out because pint needs none of it."""
    saved = sys.modules.get("numpy", ...)
    if saved is ...:
        sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import pint
    finally:
        if saved is ...:
            del sys.modules["numpy"]
    return pint.UnitRegistry(str(DEFINITIONS), autoconvert_offset_to_baseunit=True)


def parse_quantity(value: object, *, field: str, dimension: str = "mass") -> Any:
    """Parse "500 mg" into a pint Quantity of the expected dimension, or raise UnitError."""
    if isinstance(value, bool) or value is None:
        raise UnitError(field, f"expected an amount with a unit, e.g. '500 mg'; got {value!r}")
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER_ONLY.match(value)):
        raise UnitError(field, f"{value!r} has no unit; write it with one, e.g. '{value} mg'")
    if not isinstance(value, str):
        raise UnitError(field, f"expected an amount with a unit as text; got {value!r}")
    ureg = registry()
    import pint

    try:
        quantity = ureg.Quantity(value.strip().replace(",", ""))
    except (pint.UndefinedUnitError, pint.DefinitionSyntaxError, ValueError, TypeError) as exc:
        raise UnitError(field, f"cannot read {value!r} as an amount: {exc}") from None
    except Exception as exc:  # pint's tokenizer raises assorted errors on junk text
        raise UnitError(
            field, f"cannot read {value!r} as an amount ({type(exc).__name__})"
        ) from None
    if not hasattr(quantity, "magnitude") or quantity.dimensionless:
        raise UnitError(field, f"{value!r} has no unit; write it with one, e.g. '500 mg'")
    if not quantity.check(DIMENSIONS[dimension]):
        raise UnitError(field, f"{value!r} is not a {dimension}")
    if not math.isfinite(quantity.magnitude):
        raise UnitError(field, f"must be a finite amount, got {value!r}")
    if quantity.magnitude < 0:
        raise UnitError(field, f"{value!r} is negative")
    return quantity


_PLAIN_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([^\W\d]+)\s*$")
_SCALED = re.compile(r"^([\d.]+(?:[eE][-+]?\d+)?)\s*\*\s*(\w+)$")


@cache
def exact_masses() -> dict[str, Decimal]:
    """Every spelling of a mass unit whose size in grams is an exact decimal, read from
    units.txt: gram with each metric prefix (`milli- = 1e-3 = m-`, `gram = [mass] = g`)
    and units defined as a multiple of gram (`drink = 14 * gram`), each name also in the
    plural pint accepts ("milligrams", "drinks")."""
    prefixes: dict[str, Decimal] = {"": Decimal(1)}
    sizes: dict[str, Decimal] = {}
    for line in DEFINITIONS.read_text(encoding="utf-8").splitlines():
        parts = [part.strip() for part in line.split("#", 1)[0].split("=")]
        if len(parts) < 2 or not all(parts):
            continue
        name, value, aliases = parts[0], parts[1], parts[2:]
        if name.endswith("-"):
            for spelling in (name, *aliases):
                prefixes[spelling.rstrip("-")] = Decimal(value)
            continue
        if value == "[mass]":
            spellings = (name, f"{name}s", *aliases)
            sizes.update(
                {prefix + unit: size for prefix, size in prefixes.items() for unit in spellings}
            )
            continue
        scaled = _SCALED.match(value)
        if scaled and scaled.group(2) in sizes:
            size = Decimal(scaled.group(1)) * sizes[scaled.group(2)]
            sizes.update({spelling: size for spelling in (name, f"{name}s", *aliases)})
    return sizes


@lru_cache(maxsize=4096)
def exact_mass(text: str, unit: str) -> float | None:
    """`text` ("2,000 mg") in `unit`, converted exactly in decimal, or None when it is
    not a plain amount of a mass unit of exact size (then pint decides). Cached: the same serving
    text in the knowledge base is read once per process."""
    found = _PLAIN_AMOUNT.match(text.replace(",", ""))
    if found is None:
        return None
    masses = exact_masses()
    size, target = masses.get(found.group(2)), masses.get(unit)
    if size is None or target is None:
        return None
    converted = float(Decimal(found.group(1)) * size / target)
    return converted if math.isfinite(converted) else None


def mass_in(value: object, unit: str, *, field: str) -> float:
    """A mass in `unit` ("mg", "kg"), from text with an explicit unit."""
    if isinstance(value, str):
        fast = exact_mass(value, unit)
        if fast is not None:
            return fast
    return float(parse_quantity(value, field=field, dimension="mass").to(unit).magnitude)


def mass_mg(value: object, *, field: str) -> float:
    """A mass in milligrams, from text with an explicit unit."""
    return mass_in(value, "mg", field=field)


def format_mg(mg: float) -> str:
    """Render a mass for people: "500 mg", "2 g" for whole grams, "800 µg" below 1 mg."""
    if mg >= 1000 and mg % 1000 == 0:
        return f"{mg / 1000:g} g"
    if 0 < mg < 1:
        return f"{mg * 1000:g} µg"
    return f"{round(mg, 1):g} mg"

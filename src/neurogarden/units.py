"""Quantities with explicit units, parsed by pint from a small definitions file.

A bare number is never a dose: every amount must say its unit ("500 mg", "2 g").
"""

from __future__ import annotations

import math
import re
import sys
from functools import cache
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


def mass_mg(value: object, *, field: str) -> float:
    """A mass in milligrams, from text with an explicit unit."""
    return float(parse_quantity(value, field=field, dimension="mass").to("mg").magnitude)


def format_mg(mg: float) -> str:
    """Render a mass for people: "500 mg", "2 g" for whole grams, "800 µg" below 1 mg."""
    if mg >= 1000 and mg % 1000 == 0:
        return f"{mg / 1000:g} g"
    if 0 < mg < 1:
        return f"{mg * 1000:g} µg"
    return f"{round(mg, 1):g} mg"

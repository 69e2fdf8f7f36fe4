"""No clinical number hides in the core's code: every dose, cap, share, offset, duration
and threshold comes from the knowledge base with its basis (`kb/data/planning.yaml`,
the protocol, the instrument definitions).

The test reads every numeric literal in the domain modules and fails on one that is not
in the list below, each with the reason it is not a clinical constant (a unit
conversion, a rounding precision, a schema bound on the shape of input). A new literal
in the core either moves to the knowledge base or joins this list with its reason, in
review.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "neurogarden"
UNIT = "a unit conversion (minutes, hours, grams)"
ROUNDING = "a rounding precision or float tolerance"
SCHEMA = "a schema bound on the shape of input, not a clinical limit"

ALLOWED: dict[tuple[str, float], str] = {
    ("instruments/lookup.py", 60): UNIT,
    ("kb/compiled.py", 20): "how many problems an error message lists",
    ("kb/compiled.py", 40): "the length of the compiled copy's stamp in its file name",
    ("kb/compiled.py", 448): "the cache folder's mode, 0o700 (owner only)",
    ("kb/foods.py", 1024): "the size of a cache",
    ("kb/text.py", 8192): "the size of a cache",
    ("planning/timing.py", 2048): "the size of a cache",
    ("units.py", 2): "a definition line has a name and a value",
    ("units.py", 4096): "the size of a cache",
    ("kb/memo.py", 4096): "the size of a cache",
    ("kb/measure_records.py", 14): SCHEMA,
    ("kb/measure_records.py", 24): SCHEMA,
    ("kb/measure_records.py", 365): SCHEMA,
    ("kb/instruments/models.py", 2): SCHEMA,
    ("kb/instruments/models.py", 5): SCHEMA,
    ("kb/instruments/models.py", 9): SCHEMA,
    ("kb/instruments/models.py", 10): SCHEMA,
    ("kb/instruments/models.py", 50): SCHEMA,
    ("kb/instruments/models.py", 100): SCHEMA,
    ("instruments/outcomes.py", 100): "a percentage",
    ("kb/instruments/references.py", 100): "a percentage",
    ("instruments/scoring.py", 2): "the operands of a formula's difference and ratio",
    ("instruments/scoring.py", 24): UNIT,
    ("instruments/scoring.py", 60): UNIT,
    ("instruments/scoring.py", 100): "a percentage (sleep efficiency)",
    ("instruments/scoring.py", 4096): "the size of a cache",
    ("kap/gate.py", 18): "the finding code's name, kap-age-under-18 (the age is protocol data)",
    ("kap/omega3.py", 1e-09): ROUNDING,
    ("kap/omega3.py", 2): ROUNDING,
    ("kap/omega3.py", 4): ROUNDING,
    ("kap/omega3.py", 6): ROUNDING,
    ("kap/supplements.py", 1e-09): ROUNDING,
    ("kb/base.py", 2): "a 'did you mean' lists two names",
    ("kb/base.py", 3): "fuzzy matching looks at three candidates per name it shows",
    (
        "kb/base.py",
        18,
    ): "the stand-in child record used only when the file lacks one (kb check fails)",
    ("kb/base.py", 80): "the fuzzy-match score below which no name is suggested",
    (
        "kb/base.py",
        200,
    ): "the stand-in kidney record used only when the file lacks one (kb check fails)",
    ("kb/foods.py", 0.02): "ROUNDING_SHARE: the serving cross-check's 2 % rounding tolerance",
    ("kb/foods.py", 0.25): "the vulgar fraction ¼",
    ("kb/foods.py", 0.5): "the vulgar fraction ½",
    ("kb/foods.py", 0.75): "the vulgar fraction ¾",
    ("kb/foods.py", 100.0): "mg per 100 g: the food table's unit",
    ("kb/foods.py", 2): "the vulgar fraction ⅔",
    ("kb/foods.py", 3): "the vulgar fractions ⅓ and ⅔",
    (
        "kb/foods.py",
        5000.0,
    ): "MAX_DAILY_GRAMS: 5 kg of one food a day is a typing slip (input shape)",
    ("kb/foods.py", 8): "how many portion names an error message lists (display)",
    ("kb/planning_records.py", 21): SCHEMA,
    ("kb/instruments/crisis.py", 20): SCHEMA,
    ("kb/recovery_records.py", 90): SCHEMA,
    ("kb/protocol.py", 14): SCHEMA,
    ("kb/protocol.py", 24): SCHEMA,
    ("kb/protocol.py", 30): SCHEMA,
    ("kb/protocol.py", 120): SCHEMA,
    ("kb/protocol.py", 365): SCHEMA,
    ("kb/protocol.py", 5000): SCHEMA,
    ("kb/protocol.py", 20000): SCHEMA,
    ("planning/diet.py", 5): "how many food suggestions a plan lists (display)",
    ("planning/dosing.py", 1e-09): ROUNDING,
    ("planning/dosing.py", 2): "the intake-row match score weights a state match over a sex match",
    ("planning/safety.py", 2): "the sort order of `info` after `block` and `warn`",
    ("planning/timing.py", 24): UNIT,
    ("planning/timing.py", 60): UNIT,
    ("profile/resolve.py", 2): "an error message quotes at most two suggestions",
    ("profile/resolve.py", 120): "the oldest age a profile may state (input shape)",
    ("profile/resolve.py", 1000): UNIT,
    ("profile/schema.py", 3): "an override's reason has at least three characters",
    ("profile/schema.py", 20): SCHEMA,
    ("profile/schema.py", 120): "the oldest age a profile may state (input shape)",
    ("profile/schema.py", 40): "the longest session id a clinic hands over (input shape)",
    ("profile/schema.py", 500): SCHEMA,
    ("profile/schema.py", 100): SCHEMA,
    ("profile/schema.py", 24): SCHEMA,
    ("profile/schema.py", 2000): SCHEMA,
    ("profile/schema.py", 1900): "the earliest year a date may name (input shape)",
    ("profile/schema.py", 2200): "the latest year a date may name (input shape)",
    ("kb/documents.py", 1000000): "the largest file read (bytes)",
    ("kb/documents.py", 20): "the deepest nesting of a file read",
    ("kb/documents.py", 200000): "the most values a file read may hold",
    ("recovery/models.py", 10): "the craving scale's top, 0–10 (input shape)",
    ("units.py", 1000): UNIT,
}
# Interfaces, the application layer, storage and renderers are not the core: their
# numbers are ports, page sizes, demo data and layout.
OUTSIDE = ("web/", "clinic/", "storage/", "cli/", "render/")


def literals(root: Path = ROOT) -> set[tuple[str, float]]:
    """Every numeric literal other than 0 and 1 in the core, as (module, value)."""
    found = set()
    for path in root.rglob("*.py"):
        name = str(path.relative_to(root))
        if name.startswith(OUTSIDE):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = getattr(node, "value", None) if isinstance(node, ast.Constant) else None
            if type(value) in (int, float) and value not in (0, 1):
                found.add((name, value))
    return found


def test_no_number_in_the_core_outside_the_list() -> None:
    unexplained = sorted(literals() - set(ALLOWED), key=str)
    assert not unexplained, (
        f"numbers in the core with no reason: {unexplained}; move a clinical number to "
        "the knowledge base with its basis, or add a non-clinical one to ALLOWED"
    )


def test_the_list_has_no_stale_entries() -> None:
    assert not sorted(set(ALLOWED) - literals(), key=str)


def test_a_dose_written_into_the_planner_is_caught(tmp_path: Path) -> None:
    (tmp_path / "planning").mkdir()
    (tmp_path / "web").mkdir()
    builder = (ROOT / "planning" / "builder.py").read_text(encoding="utf-8")
    (tmp_path / "planning" / "builder.py").write_text(builder + "\nPOST_STRESS_MAX_MG = 100.0\n")
    (tmp_path / "web" / "app.py").write_text("PORT = 8000\n")  # an interface: not scanned
    assert literals(tmp_path) == {("planning/builder.py", 100.0)}

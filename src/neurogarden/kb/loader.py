"""Load the knowledge base from YAML, collecting every problem as data.

A YAML file is a mapping of section names to lists of records; the section
name chooses the pydantic model. Problems carry the file and record id so that
`neurogarden kb check` can list all of them at once instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from neurogarden.kb import models as m
from neurogarden.kb.foods import Food
from neurogarden.kb.measure_records import RecurringMeasure
from neurogarden.kb.planning_records import ChildDosing, InputLimit, Parameter, TimingRule
from neurogarden.kb.problems import DATA_DIR, Located, Problem
from neurogarden.kb.recovery_records import RecoveryAlertRule, RecoveryOption
from neurogarden.kb.yaml_files import read_yaml_mapping

SECTIONS: dict[str, type[BaseModel]] = {
    "sources": m.Source,
    "forms": m.MagnesiumForm,
    "intake": m.IntakeRow,
    "kidney_bands": m.KidneyBand,
    "kidney_risk": m.KidneyRiskFactors,
    "conditions": m.Condition,
    "medications": m.Medication,
    "nutrients": m.Nutrient,
    "substances": m.Substance,
    "products": m.SupplementProduct,
    "separations": m.SeparationRule,
    "effects": m.EffectRule,
    "goals": m.GoalRule,
    "notes": m.Note,
    "claims": m.Claim,
    "foods": Food,
    "recovery_options": RecoveryOption,
    "recovery_rules": RecoveryAlertRule,
    "parameters": Parameter,
    "input_limits": InputLimit,
    "child_dosing": ChildDosing,
    "timings": TimingRule,
    "measures": RecurringMeasure,
}

# Sections loaded from their own sub-folders by the modules that own them
# (protocols, instruments, foods); the core loader skips those folders.
SKIPPED_DIRS = frozenset({"protocols", "instruments", "foods"})

T = TypeVar("T", bound=BaseModel)


def _format_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(record)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def parse_records(
    data: Mapping[str, Any],
    rel: str,
    sections: Mapping[str, type[BaseModel]],
    problems: list[Problem],
) -> list[tuple[str, Located]]:
    """Validate each record of each known section; unknown sections are problems."""
    out: list[tuple[str, Located]] = []
    for section, items in data.items():
        model = sections.get(section)
        if model is None:
            problems.append(Problem(rel, "-", f"unknown section {section!r}"))
            continue
        if not isinstance(items, list):
            problems.append(Problem(rel, section, "a section must be a list of records"))
            continue
        for index, raw in enumerate(items):
            rid = raw.get("id", f"{section}[{index}]") if isinstance(raw, dict) else str(index)
            try:
                record = model.model_validate(raw)
            except ValidationError as exc:
                problems.append(Problem(rel, str(rid), _format_validation(exc)))
                continue
            out.append((section, Located(rel, record)))
    return out


def iter_yaml_files(root: Path) -> Iterable[Path]:
    for path in sorted(root.rglob("*.yaml")):
        if SKIPPED_DIRS.intersection(path.relative_to(root).parts[:-1]):
            continue
        yield path


def load_sections(root: Path = DATA_DIR) -> tuple[dict[str, list[Located]], list[Problem]]:
    """Read every YAML file under `root` into validated records grouped by section."""
    problems: list[Problem] = []
    grouped: dict[str, list[Located]] = {name: [] for name in SECTIONS}
    for path in iter_yaml_files(root):
        rel = str(path.relative_to(root))
        data = read_yaml_mapping(path, rel, problems)
        for section, located in parse_records(data, rel, SECTIONS, problems):
            grouped[section].append(located)
    return grouped, problems

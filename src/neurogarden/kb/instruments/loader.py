"""Load instrument definitions, crisis resources and outcome references from YAML.

Each file under kb/data/instruments/ has one top-level key saying what it holds
(`instrument`, `crisis_resources` or `outcome_references`). Problems are returned as
data with their file, so `check` can list all of them; a user may add a definition
file of their own (for a licensed scale such as the ISI) that must declare its licence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from neurogarden.kb.instruments.crisis import CrisisDirectory
from neurogarden.kb.instruments.models import InstrumentDefinition
from neurogarden.kb.instruments.references import OutcomeReference
from neurogarden.kb.problems import Problem

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "instruments"


@dataclass
class Catalogue:
    """Everything in the instruments folder, plus any user-supplied definitions."""

    instruments: dict[str, InstrumentDefinition] = field(default_factory=dict)
    crisis: CrisisDirectory | None = None
    references: tuple[OutcomeReference, ...] = ()

    def add(self, definition: InstrumentDefinition) -> None:
        self.instruments[definition.id] = definition


def _format(exc: ValidationError) -> str:
    """One line per error, with the path inside the file (items.8.options...)."""
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or '(record)'}: {err['msg']}"
        for err in exc.errors()
    )


def _read(path: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problems.append(_problem(path.name, f"cannot read: {exc.strerror}"))
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problems.append(_problem(path.name, f"invalid YAML{where}: {getattr(exc, 'problem', exc)}"))
        return {}
    if not isinstance(data, dict) or len(data) != 1:
        problems.append(_problem(path.name, "expected one top-level key"))
        return {}
    return data


def parse_definition(
    raw: Any, name: str, problems: list[Problem], *, origin: str = "shipped"
) -> InstrumentDefinition | None:
    """Validate one `instrument:` mapping; the origin is set here, never by the file."""
    if not isinstance(raw, dict):
        problems.append(_problem(name, "instrument: expected a mapping"))
        return None
    try:
        return InstrumentDefinition.model_validate({**raw, "origin": origin})
    except ValidationError as exc:
        problems.append(_problem(name, _format(exc)))
        return None


def load_dir(root: Path = DATA_DIR) -> tuple[Catalogue, list[Problem]]:
    """Read every YAML file in `root` into a catalogue, collecting every problem."""
    problems: list[Problem] = []
    cat = Catalogue()
    refs: list[OutcomeReference] = []
    for path in sorted(root.glob("*.yaml")):
        data = _read(path, problems)
        for key, raw in data.items():
            try:
                if key == "instrument":
                    definition = parse_definition(raw, path.name, problems)
                    if definition is not None:
                        if definition.id in cat.instruments:
                            problems.append(_problem(path.name, f"duplicate id {definition.id}"))
                        cat.add(definition)
                elif key == "crisis_resources":
                    cat.crisis = CrisisDirectory.model_validate(raw)
                elif key == "outcome_references":
                    refs.extend(OutcomeReference.model_validate(r) for r in raw)
                else:
                    problems.append(_problem(path.name, f"unknown top-level key {key!r}"))
            except ValidationError as exc:
                problems.append(_problem(path.name, f"{key}: {_format(exc)}"))
    cat.references = tuple(refs)
    if cat.crisis is None:
        problems.append(_problem(str(root), "no crisis_resources file"))
    return cat, problems


def load_user_definition(path: Path) -> tuple[InstrumentDefinition | None, list[Problem]]:
    """A clinic's own definition file (e.g. a licensed ISI); its licence is mandatory."""
    problems: list[Problem] = []
    data = _read(path, problems)
    if data and "instrument" not in data:
        problems.append(_problem(path.name, "a definition file needs a top-level 'instrument:'"))
        return None, problems
    if not data:
        return None, problems
    return parse_definition(data["instrument"], path.name, problems, origin="user"), problems


@cache
def default_catalogue() -> Catalogue:
    """The packaged instruments, loaded once per process; raises if any is invalid."""
    cat, problems = load_dir()
    if problems:
        raise RuntimeError("instrument definitions are invalid:\n" + "\n".join(map(str, problems)))
    return cat


def with_user_files(paths: Iterable[Path]) -> tuple[Catalogue, list[Problem]]:
    """The packaged catalogue plus user files; a user file may replace a shipped id."""
    base = default_catalogue()
    cat = Catalogue(dict(base.instruments), base.crisis, base.references)
    problems: list[Problem] = []
    for path in paths:
        definition, found = load_user_definition(path)
        problems.extend(found)
        if definition is not None:
            cat.add(definition)
    return cat, problems


def _problem(file: str, message: str) -> Problem:
    """A problem in an instrument file, named by the file alone (a user's file may live
    anywhere; `kb.load` prefixes the packaged folder)."""
    return Problem(file, "instrument", message)

"""The knowledge base as one typed, indexed, cross-checked object."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from neurogarden.kb import models as m
from neurogarden.kb.foods import Food
from neurogarden.kb.measure_records import RecurringMeasure
from neurogarden.kb.planning_records import ChildDosing, InputLimit, Parameter, TimingRule
from neurogarden.kb.problems import DATA_DIR, Located, Problem
from neurogarden.kb.recovery_records import RecoveryAlertRule, RecoveryOption

N = TypeVar("N", bound=m.Named)
R = TypeVar("R", bound=BaseModel)


def normalise(name: str) -> str:
    """Names match case-, space- and hyphen-insensitively ("L-threonate" = "l threonate")."""
    return " ".join(name.casefold().replace("-", " ").replace("_", " ").split())


class UnknownName(LookupError):
    """A name the knowledge base does not know, with the closest known names."""

    def __init__(self, kind: str, name: str, suggestions: Sequence[str]) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")


@dataclass(frozen=True)
class NameIndex(Generic[N]):
    """Look records up by any of their names, with fuzzy suggestions on a miss."""

    kind: str
    by_id: dict[str, N]
    by_name: dict[str, N] = field(default_factory=dict)

    @classmethod
    def build(cls, kind: str, records: Iterable[N]) -> NameIndex[N]:
        by_id: dict[str, N] = {}
        by_name: dict[str, N] = {}
        for record in records:
            by_id[record.id] = record
            by_name[normalise(record.id)] = record
            for name in record.all_names():
                by_name[normalise(name)] = record
        return cls(kind, by_id, by_name)

    def get(self, name: str) -> N | None:
        return self.by_id.get(name) or self.by_name.get(normalise(name))

    def resolve(self, name: str) -> N:
        found = self.get(name)
        if found is None:
            raise UnknownName(self.kind, name, self.suggest(name))
        return found

    def suggest(self, name: str, limit: int = 2) -> list[str]:
        from rapidfuzz import fuzz, process, utils

        choices = sorted(self.by_name)
        hits = process.extract(
            normalise(name), choices, scorer=fuzz.WRatio, limit=limit * 3,
            processor=utils.default_process, score_cutoff=80,
        )  # fmt: skip
        names: list[str] = []
        for hit, _score, _i in hits:
            label = self.by_name[hit].name
            if label not in names:
                names.append(label)
        return names[:limit]

    def values(self) -> list[N]:
        return list(self.by_id.values())


def _records(grouped: dict[str, list[Located]], section: str, model: type[R]) -> list[R]:
    return [loc.record for loc in grouped[section] if isinstance(loc.record, model)]


def _by_kind(located: list[Located], problems: list[Problem]) -> dict[str, RecoveryAlertRule]:
    """One alert rule per kind; a second rule of a kind is a problem, never silently kept."""
    out: dict[str, RecoveryAlertRule] = {}
    for loc in located:
        rule = loc.record
        if not isinstance(rule, RecoveryAlertRule):
            continue
        if rule.kind in out:
            problems.append(Problem(loc.file, rule.id, f"a second {rule.kind} rule"))
            continue
        out[rule.kind] = rule
    return out


@dataclass(frozen=True)
class KnowledgeBase:
    """Every record, indexed; built only by `load`, which also cross-checks references."""

    sources: dict[str, m.Source]
    forms: NameIndex[m.MagnesiumForm]
    conditions: NameIndex[m.Condition]
    medications: NameIndex[m.Medication]
    nutrients: NameIndex[m.Nutrient]
    substances: NameIndex[m.Substance]
    products: NameIndex[m.SupplementProduct]
    foods: NameIndex[Food]
    intake: tuple[m.IntakeRow, ...]
    kidney_bands: tuple[m.KidneyBand, ...]
    kidney_risk: m.KidneyRiskFactors
    separations: tuple[m.SeparationRule, ...]
    effects: tuple[m.EffectRule, ...]
    goals: dict[str, m.GoalRule]
    notes: dict[str, m.Note]
    claims: dict[str, m.Claim]
    recovery_options: tuple[RecoveryOption, ...]
    recovery_rules: dict[str, RecoveryAlertRule]  # by kind
    parameters: dict[str, Parameter]
    input_limits: dict[str, InputLimit]  # by the input they apply to
    child_dosing: ChildDosing
    timings: dict[str, TimingRule]  # by purpose (`timing`)
    measures: dict[str, RecurringMeasure]  # recurring measures, by id
    files: dict[str, str]  # record id -> file it came from

    @property
    def medication_classes(self) -> frozenset[str]:
        return frozenset(c for med in self.medications.by_id.values() for c in med.classes)

    @classmethod
    def load(cls, root: Path = DATA_DIR) -> tuple[KnowledgeBase, list[Problem]]:
        """Read, validate and cross-check every YAML file under `root` (the slow path:
        a start-up reads the compiled copy instead, see `kb.compiled`)."""
        from neurogarden.kb.checks import cross_check
        from neurogarden.kb.loader import load_sections

        grouped, problems = load_sections(root)
        files: dict[str, str] = {}
        for section, located in grouped.items():
            for loc in located:
                rid = getattr(loc.record, "id", "")
                if rid in files:
                    problems.append(
                        Problem(loc.file, rid, f"duplicate id (also in {files[rid]}) [{section}]")
                    )
                files[rid] = loc.file
        risk = _records(grouped, "kidney_risk", m.KidneyRiskFactors)
        if len(risk) != 1:
            problems.append(Problem("kidney.yaml", "kidney_risk", "exactly one record expected"))
        child = _records(grouped, "child_dosing", ChildDosing)
        if len(child) != 1:
            problems.append(Problem("planning.yaml", "child_dosing", "exactly one record expected"))
        kb = cls(
            sources={s.id: s for s in _records(grouped, "sources", m.Source)},
            forms=NameIndex.build("magnesium form", _records(grouped, "forms", m.MagnesiumForm)),
            conditions=NameIndex.build("condition", _records(grouped, "conditions", m.Condition)),
            medications=NameIndex.build(
                "medication", _records(grouped, "medications", m.Medication)
            ),
            nutrients=NameIndex.build("nutrient", _records(grouped, "nutrients", m.Nutrient)),
            substances=NameIndex.build("substance", _records(grouped, "substances", m.Substance)),
            products=NameIndex.build(
                "supplement", _records(grouped, "products", m.SupplementProduct)
            ),
            foods=NameIndex.build("food", _records(grouped, "foods", Food)),
            intake=tuple(_records(grouped, "intake", m.IntakeRow)),
            kidney_bands=tuple(
                sorted(_records(grouped, "kidney_bands", m.KidneyBand), key=lambda b: b.min_egfr)
            ),
            kidney_risk=risk[0] if risk else _missing_risk(),
            separations=tuple(_records(grouped, "separations", m.SeparationRule)),
            effects=tuple(_records(grouped, "effects", m.EffectRule)),
            goals={g.goal: g for g in _records(grouped, "goals", m.GoalRule)},
            notes={n.id: n for n in _records(grouped, "notes", m.Note)},
            claims={c.id: c for c in _records(grouped, "claims", m.Claim)},
            recovery_options=tuple(_records(grouped, "recovery_options", RecoveryOption)),
            recovery_rules=_by_kind(grouped["recovery_rules"], problems),
            parameters={p.id: p for p in _records(grouped, "parameters", Parameter)},
            input_limits={x.applies_to: x for x in _records(grouped, "input_limits", InputLimit)},
            child_dosing=child[0] if child else _missing_child(),
            timings={x.timing: x for x in _records(grouped, "timings", TimingRule)},
            measures={x.id: x for x in _records(grouped, "measures", RecurringMeasure)},
            files=files,
        )
        problems.extend(cross_check(kb))
        return kb, problems

    def with_foods(self, extra: Iterable[Food]) -> KnowledgeBase:
        """A copy that also knows `extra` foods (e.g. imported from USDA FoodData Central);
        the packaged table wins when a name is in both. The core stays storage-free."""
        foods = NameIndex.build("food", [*extra, *self.foods.values()])
        return replace(self, foods=foods)

    def cited_records(self) -> Iterable[m.Record]:
        """Every record that must cite sources."""
        yield from self.forms.by_id.values()
        yield from self.conditions.by_id.values()
        yield from self.medications.by_id.values()
        yield from self.nutrients.by_id.values()
        yield from self.substances.by_id.values()
        yield from self.products.by_id.values()
        yield from self.foods.by_id.values()
        yield from self.intake
        yield from self.kidney_bands
        yield self.kidney_risk
        yield from self.separations
        yield from self.effects
        yield from self.goals.values()
        yield from self.notes.values()
        yield from self.claims.values()
        yield from self.recovery_options
        yield from self.recovery_rules.values()
        yield from self.parameters.values()
        yield from self.input_limits.values()
        yield self.child_dosing
        yield from self.timings.values()
        yield from self.measures.values()

    def find(self, name: str) -> BaseModel | None:
        """Any record by id, or a named record by any of its names."""
        for record in self.cited_records():
            if record.id == name:
                return record
        if name in self.sources:
            return self.sources[name]
        for index in (
            self.forms,
            self.products,
            self.medications,
            self.conditions,
            self.substances,
            self.nutrients,
            self.foods,
        ):
            found = index.get(name)
            if found is not None:
                return found
        return None

    def all_ids(self) -> list[str]:
        return sorted({r.id for r in self.cited_records()} | set(self.sources))


def _missing_risk() -> m.KidneyRiskFactors:
    """A stand-in for a missing record, already reported as a problem; built only then,
    so that a start-up validates no record model."""
    return m.KidneyRiskFactors(
        id="kidney-risk-missing",
        sources=("missing",),
        evidence=m.Evidence.none,
        min_age_years=200,
        conditions=(),
        medication_classes=(),
        message="",
    )


def _missing_child() -> ChildDosing:
    return ChildDosing(
        id="child-dosing-missing",
        sources=("missing",),
        evidence=m.Evidence.none,
        below_age_years=18,
        decision_message="",
        no_diet_message="",
        hold=m.HoldSpec(fact="diet", overridable=False),
    )

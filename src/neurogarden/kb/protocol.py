"""The integration protocol as validated data: window length, checklist, window
supplements, follow-up measures and the age gate.

The default lives in kb/data/protocols/kap-integration.yaml; a clinic may supply its
own file, which is validated the same way (`check_file`) before a plan uses it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from neurogarden.kb.compiled import default_kb
from neurogarden.kb.models import Evidence, Severity
from neurogarden.kb.problems import DATA_DIR, Problem
from neurogarden.kb.yaml_files import read_yaml_mapping

if TYPE_CHECKING:
    from neurogarden.kb.base import KnowledgeBase

PROTOCOL_DIR = DATA_DIR / "protocols"
DEFAULT_PROTOCOL = PROTOCOL_DIR / "kap-integration.yaml"
INSTRUMENT_DIR = DATA_DIR / "instruments"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(_Strict):
    """Anything the protocol asks for carries its own grade and sources."""

    evidence: Evidence
    sources: tuple[str, ...] = Field(min_length=1)


class AgeGate(Cited):
    min_age_years: int = Field(ge=0, le=120)
    severity: Severity = Severity.block
    message: str


class Instruction(Cited):
    id: str
    text: str


class ChecklistItem(Cited):
    """`when` places the item on the timeline: the session day, every day, evenings,
    the days after the session day, or once for the whole window."""

    id: str
    text: str
    when: Literal["session_day", "each_day", "evening", "after_session_day", "window"] = "window"
    claim: str | None = None


class WindowSupplement(Cited):
    """Omega-3 by EPA amount and ratio, or a magnesium form by compound amount."""

    id: str
    nutrient: Literal["omega3", "magnesium"]
    timing: Literal["morning", "evening_meal", "before_bed"] = "morning"
    why: str
    form: str | None = None
    compound_mg: float | None = Field(default=None, gt=0, le=20_000)
    epa_mg: float | None = Field(default=None, gt=0, le=5_000)
    min_epa_dha_ratio: float | None = Field(default=None, gt=0)
    claims: tuple[str, ...] = ()


class FollowUp(Cited):
    """A measure due `offset_days` calendar days after the session start (0 = before it),
    at the session's local time; it can be answered from `opens_hours_before` that time
    for `open_hours`, and is missed when that window closes unanswered."""

    instrument: str
    offset_days: int = Field(ge=-30, le=365)
    label: str
    opens_hours_before: float = Field(ge=0, le=24 * 14)
    open_hours: float = Field(gt=0, le=24 * 14)


class Protocol(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    version: int = 1
    window_hours: float = Field(gt=0, le=24 * 14)
    monitoring_hours: float = Field(gt=0, le=24)  # at the clinic after dosing (the label's 2 h)
    window_claim: str | None = None
    window_note: str | None = None
    gate: AgeGate
    instructions: tuple[Instruction, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    supplements: tuple[WindowSupplement, ...] = ()
    follow_up: tuple[FollowUp, ...] = ()


class ProtocolError(ValueError):
    """A protocol file that cannot be used; the message names the file and record."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


def parse_protocol(path: Path, rel: str | None = None) -> tuple[Protocol | None, list[Problem]]:
    """Validate one file's shape (not yet its references)."""
    rel = rel or str(path)
    problems: list[Problem] = []
    if not path.is_file():
        return None, [Problem(rel, "-", "no such protocol file")]
    data: Any = read_yaml_mapping(path, rel, problems)
    if problems:
        return None, problems
    if set(data) != {"protocol"}:
        return None, [Problem(rel, "-", "expected one top-level key, `protocol`")]
    try:
        return Protocol.model_validate(data["protocol"]), []
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(protocol)"
            problems.append(Problem(rel, loc, err["msg"]))
        return None, problems


def cross_check(protocol: Protocol, kb: KnowledgeBase, rel: str) -> list[Problem]:
    """Every source, claim, form and instrument the protocol names must exist."""
    problems: list[Problem] = []
    cited: list[tuple[str, Cited]] = [("gate", protocol.gate)]
    cited += [(f"instructions.{i.id}", i) for i in protocol.instructions]
    cited += [(f"checklist.{c.id}", c) for c in protocol.checklist]
    cited += [(f"supplements.{s.id}", s) for s in protocol.supplements]
    cited += [(f"follow_up[{n}]", f) for n, f in enumerate(protocol.follow_up)]
    for where, item in cited:
        for sid in item.sources:
            if sid not in kb.sources:
                problems.append(Problem(rel, where, f"cites unknown source {sid!r}"))
    claims = [("window_claim", protocol.window_claim)]
    claims += [(f"checklist.{c.id}", c.claim) for c in protocol.checklist]
    claims += [(f"supplements.{s.id}", c) for s in protocol.supplements for c in s.claims]
    for where, claim in claims:
        if claim is not None and claim not in kb.claims:
            problems.append(Problem(rel, where, f"unknown claim {claim!r}"))
    for s in protocol.supplements:
        where = f"supplements.{s.id}"
        if s.nutrient == "magnesium" and (s.form not in kb.forms.by_id or s.compound_mg is None):
            problems.append(Problem(rel, where, "magnesium needs a known `form` and `compound_mg`"))
        if s.nutrient == "omega3" and s.epa_mg is None:
            problems.append(Problem(rel, where, "omega-3 needs `epa_mg`"))
    ids = [i.id for i in protocol.instructions]
    ids += [c.id for c in protocol.checklist] + [s.id for s in protocol.supplements]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(rel, dup, "duplicate id"))
    if INSTRUMENT_DIR.is_dir():
        known = {p.stem.replace("_", "") for p in INSTRUMENT_DIR.glob("*.yaml")}
        for n, f in enumerate(protocol.follow_up):
            if f.instrument.replace("-", "") not in known:
                problems.append(
                    Problem(rel, f"follow_up[{n}]", f"unknown instrument {f.instrument!r}")
                )
    return problems


def check_file(path: Path, kb: KnowledgeBase, rel: str | None = None) -> list[Problem]:
    protocol, problems = parse_protocol(path, rel)
    if protocol is None:
        return problems
    return cross_check(protocol, kb, rel or str(path))


def load_protocol(path: str | Path | None = None, kb: KnowledgeBase | None = None) -> Protocol:
    """A validated protocol (the packaged default when `path` is None); raises ProtocolError."""
    if path is None:
        return default_protocol()
    p = Path(path)
    protocol, problems = parse_protocol(p)
    if protocol is not None:
        problems = cross_check(protocol, kb or default_kb(), str(p))
    errors = [x for x in problems if x.level == "error"]
    if errors or protocol is None:
        raise ProtocolError(errors or problems)
    return protocol


@cache
def default_protocol() -> Protocol:
    """The packaged default, shape-checked only (`neurogarden kb check` checks references)."""
    protocol, problems = parse_protocol(DEFAULT_PROTOCOL, "protocols/kap-integration.yaml")
    if protocol is None:
        raise ProtocolError(problems)
    return protocol


def check_all(kb: KnowledgeBase, root: Path = DATA_DIR) -> list[Problem]:
    """Every protocol file under `root`, shape and references; for `neurogarden kb check`."""
    problems: list[Problem] = []
    for path in sorted((root / "protocols").glob("*.yaml")):
        problems += check_file(path, kb, str(path.relative_to(root)))
    return problems

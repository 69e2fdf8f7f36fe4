"""The plan as typed, frozen values: what the renderers and the JSON output read."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Override(_Frozen):
    by: str
    reason: str


class Hold(_Frozen):
    """How a hold on magnesium lifts: `fact` supplied ("egfr", "diet"), or, when
    `overridable`, a clinician's override of the finding's code with a reason."""

    fact: str | None = None
    overridable: bool = True


class Finding(_Frozen):
    """A graded, cited statement about the plan or the current regimen."""

    severity: str  # block | warn | info
    code: str
    message: str
    sources: tuple[str, ...]
    evidence: str | None = None
    subject: str | None = None  # what it is about: a supplement, medicine or session
    overridden: Override | None = None
    hold: Hold | None = None  # set on a `block` that keeps all magnesium out until lifted
    liftable: bool = False  # a clinician may override this `block` with a recorded reason

    @property
    def holds_magnesium(self) -> bool:
        return self.hold is not None and self.overridden is None


class Dose(_Frozen):
    """A supplement line: recommended (`supplements`) or the person's own (`current`)."""

    name: str
    nutrient: str
    compound_mg: float | None  # per day
    elemental_mg: float | None  # per day; magnesium only
    times: tuple[str, ...]
    per_dose_compound_mg: float | None = None
    why: str | None = None
    evidence: str | None = None
    sources: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    as_needed: bool = False
    elemental_basis: str | None = None  # "label" or "theoretical"
    titration: str | None = None
    notes: tuple[str, ...] = ()
    epa_mg: float | None = None
    dha_mg: float | None = None


class NutrientTotal(_Frozen):
    supplemental_mg: float
    dietary_mg: float | None
    rda_mg: float | None
    ul_supplemental_mg: float | None
    gap_to_rda_mg: float | None = None
    # The most supplemental magnesium this plan allows a day: the UL, or less at the
    # lowest dose or for a child's gap to the RDA; 0 while magnesium is held.
    ceiling_mg: float | None = None


class FoodSuggestion(_Frozen):
    """A food that would help close the gap to the RDA, with the magnesium in its usual
    portion (`serving`, e.g. "1 oz", weighing `grams`)."""

    name: str
    serving: str
    magnesium_mg: float
    sources: tuple[str, ...]
    grams: float | None = None
    magnesium_mg_per_100g: float | None = None


class NoteOut(_Frozen):
    id: str
    text: str
    evidence: str
    sources: tuple[str, ...]


class Reference(_Frozen):
    id: str
    title: str
    locator: str
    verification: str


class SessionOut(_Frozen):
    index: int
    id: str | None = None  # the session record's id, when the clinic keeps one
    start: str
    route: str
    dose: str | None = None  # clinician-entered; neurogarden never suggests one
    setting: str | None = None


class ChecklistOut(_Frozen):
    id: str
    text: str
    evidence: str
    sources: tuple[str, ...]
    when: str
    claim: str | None = None
    claim_verdict: str | None = None


class InstructionOut(_Frozen):
    id: str
    text: str
    evidence: str
    sources: tuple[str, ...]
    until: str | None = None  # ISO 8601; for no-driving: the morning after the session


class TimelineDay(_Frozen):
    date: str
    label: str
    items: tuple[str, ...]


class ClaimOut(_Frozen):
    id: str
    verdict: str
    text: str


class Window(_Frozen):
    """One session's integration window; serialised as-is into `plan --json`."""

    session: SessionOut
    start: str
    end: str
    hours: float
    monitoring_hours: float
    protocol: str
    note: str | None
    checklist: tuple[ChecklistOut, ...]
    instructions: tuple[InstructionOut, ...]
    supplements: tuple[Dose, ...]
    totals: dict[str, NutrientTotal]
    findings: tuple[Finding, ...]
    claims: tuple[ClaimOut, ...]
    days: tuple[TimelineDay, ...]


class Event(_Frozen):
    """One measure due at one time; the measurement issue reads these."""

    kind: str = "measure"
    instrument: str
    due: str  # ISO 8601 in the profile's zone
    session: str  # the session's start, ISO 8601
    session_index: int
    session_id: str | None = None
    offset_days: int
    label: str
    evidence: str
    sources: tuple[str, ...]


class Plan(_Frozen):
    """Everything `neurogarden plan --json` prints, in one object."""

    supplements: tuple[Dose, ...]
    current: tuple[Dose, ...]
    totals: dict[str, NutrientTotal]
    findings: tuple[Finding, ...]
    windows: tuple[Window, ...] = ()
    events: tuple[Event, ...] = ()
    notes: tuple[NoteOut, ...] = ()
    food_suggestions: tuple[FoodSuggestion, ...] = ()
    references: dict[str, Reference] = {}
    disclaimer: str = ""

    def has_block(self) -> bool:
        return any(f.severity == "block" and f.overridden is None for f in self.findings)

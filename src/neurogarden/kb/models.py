"""Pydantic models for every knowledge-base record.

Each record kind carries `sources` (ids into the bibliography) and an `evidence`
grade, so that no number reaches a plan without saying where it came from.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# The goals a profile may name; goal rules in the knowledge base refer to them.
Goal = Literal[
    "sleep",
    "learning",
    "energy",
    "constipation",
    "mood",
    "anxiety",
    "kap_integration",
    "recovery",
    "general",
]


class Evidence(StrEnum):
    """How much a rule can be trusted; ordered from strongest to weakest."""

    high = "high"
    moderate = "moderate"
    low = "low"
    very_low = "very_low"
    animal_only = "animal_only"
    label = "label"  # an official product label or regulatory text
    consensus = "consensus"  # guideline, reference-intake committee or expert consensus
    computed = "computed"  # arithmetic on sourced numbers (molar masses, label maths)
    derived = "derived"  # neurogarden's own rule or product choice, reasoned from sourced facts
    none = "none"  # searched; no evidence found


class Verification(StrEnum):
    """How the fact sheet checked a source (shared/docs/facts.md legend)."""

    V = "V"  # read in the primary source
    S = "S"  # read only in a secondary copy
    C = "C"  # computed
    U = "U"  # unverified


class Severity(StrEnum):
    block = "block"
    warn = "warn"
    info = "info"


class Verdict(StrEnum):
    supported = "supported"
    partly_supported = "partly_supported"
    unsupported = "unsupported"
    contradicted = "contradicted"
    misframed = "misframed"


class Record(BaseModel):
    """Base of every record: strict keys, an id, sources and an evidence grade."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    sources: tuple[str, ...] = Field(min_length=1)
    evidence: Evidence


class Source(BaseModel):
    """One bibliography entry: a PMID, a DOI or an official URL is required."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    authors: str | None = None
    publisher: str | None = None
    year: int | None = None
    pmid: str | None = Field(default=None, pattern=r"^[0-9]{5,9}$")
    doi: str | None = Field(default=None, pattern=r"^10\.[0-9]{4,9}/\S+$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    seed: str | None = None  # a file in shared/seeds/: the articles, cited only for their claims
    verification: Verification
    note: str | None = None

    @model_validator(mode="after")
    def _has_locator(self) -> Source:
        if not (self.pmid or self.doi or self.url or self.seed):
            raise ValueError("a source needs a pmid, a doi or an official url")
        return self

    @property
    def locator(self) -> str:
        """Where a reader finds it: PMID, DOI or address; one of the protocol's source
        articles is named by its author and publisher, never by a file of ours."""
        if self.pmid:
            return f"PMID {self.pmid}"
        if self.doi:
            return f"doi:{self.doi}"
        if self.url:
            return self.url
        author = self.authors or "an unnamed author"
        return f"article by {author}; {self.publisher or 'publisher not named'}"


class Named(Record):
    """A record a person can name in a profile: a name and its aliases."""

    name: str
    aliases: tuple[str, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class MagnesiumForm(Named):
    """A magnesium salt with its elemental fraction and what is claimed for it."""

    formula: str
    molar_mass_g_mol: float | None = Field(default=None, gt=0)
    elemental_fraction: float = Field(gt=0, le=1)
    fraction_basis: Literal["theoretical", "label"]
    theoretical_fraction: float | None = Field(default=None, gt=0, le=1)
    article_use: str | None = None
    evidence_summary: str
    tolerability: str
    claims: tuple[str, ...] = ()


class IntakeRow(Record):
    """One row of a reference-intake table (RDA/AI or UL)."""

    nutrient: str
    kind: Literal["rda", "ai", "ul"]
    min_age_years: float = Field(ge=0)
    max_age_years: float = Field(gt=0)  # exclusive upper bound
    sex: Literal["female", "male", "any"] = "any"
    state: Literal["none", "pregnancy", "lactation", "any"] = "any"
    amount: str  # a quantity with its unit, e.g. "350 mg"
    counts: Literal["total", "supplemental", "synthetic_folic_acid"] = "total"
    note: str | None = None


class HoldSpec(BaseModel):
    """How a hold on magnesium lifts: by supplying the missing `fact` (an eGFR, a child's
    diet), or by a clinician's override recorded with a reason. A hold keeps every
    magnesium dose out of the plan, integration windows included, until one of them."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    fact: Literal["egfr", "diet"] | None = None
    overridable: bool = True

    @model_validator(mode="after")
    def _can_lift(self) -> HoldSpec:
        if self.fact is None and not self.overridable:
            raise ValueError("a hold must lift somehow: give `fact` or make it overridable")
        return self


class KidneyBand(Record):
    """An eGFR band and what it means for magnesium supplements."""

    name: str
    min_egfr: float = Field(ge=0)
    max_egfr: float | None = None  # exclusive; None = no upper bound
    magnesium_severity: Severity | None = None
    hold: HoldSpec | None = None
    lowest_dose: bool = False  # supplements only at the plan's lowest dose (`lowest-dose`)
    message: str


class KidneyRiskFactors(Record):
    """Who should have their kidney function known before taking magnesium."""

    min_age_years: int
    conditions: tuple[str, ...]
    medication_classes: tuple[str, ...]
    hold: HoldSpec | None = None
    message: str


class Condition(Named):
    """A condition a profile may list; rules refer to it by id."""

    description: str


class Medication(Named):
    """A medicine with its brand names and classes."""

    brands: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.brands)


class Nutrient(Named):
    """A nutrient of the protocol other than magnesium's forms."""

    description: str
    unit: str = "mg"
    components: tuple[str, ...] = ()


class Substance(Named):
    """A non-medical substance a person may use."""

    description: str
    category: Literal["alcohol", "kratom", "cannabinoid", "opioid", "stimulant", "sedative"]


class SupplementProduct(Named):
    """A supplement a person can list: a magnesium form or another nutrient's product."""

    nutrient: str
    form: str | None = None  # id of a MagnesiumForm when nutrient is magnesium
    description: str


class Matcher(BaseModel):
    """What a rule applies to: medication ids, classes, condition ids or substance ids."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    medications: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    substances: tuple[str, ...] = ()
    substance_categories: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (
            self.medications
            or self.classes
            or self.conditions
            or self.substances
            or self.substance_categories
        )

    @cached_property
    def keys(self) -> frozenset[tuple[str, str]]:
        """Everything this matcher names, tagged by kind: a profile whose own keys
        (`planning.safety.exposure_keys`) share none of them cannot match it."""
        return frozenset(
            [("medication", x) for x in self.medications]
            + [("class", x) for x in self.classes]
            + [("condition", x) for x in self.conditions]
            + [("substance", x) for x in self.substances]
            + [("category", x) for x in self.substance_categories]
        )


class SeparationRule(Record):
    """Keep a magnesium dose apart from a drug, in the direction its label gives.

    The dose is allowed when it is at least `supplement_after_drug_hours` after the
    drug or at least `supplement_before_drug_hours` before it. `never` means no
    spacing is enough (the label says not to combine).
    """

    kind: Literal["separation"] = "separation"
    applies_to: Matcher
    nutrient: str = "magnesium"
    supplement_after_drug_hours: float = Field(ge=0)
    supplement_before_drug_hours: float = Field(ge=0)
    never: bool = False
    label_text: str


class EffectRule(Record):
    """A finding raised when a profile matches: depletion, retention, contraindication."""

    kind: Literal[
        "depletion",
        "retention",
        "condition",
        "substance",
        "combination",
        "nutrient_limit",
    ]
    applies_to: Matcher
    also_requires: Matcher | None = None  # for combinations: both must match
    unless: Matcher | None = None  # the rule does not apply when this matches too
    hold: HoldSpec | None = None  # a `block` that keeps magnesium out until lifted
    target: Literal["magnesium", "kap_session", "plan", "kratom", "omega3", "b_vitamins"]
    severity: Severity
    message: str


class GoalRule(Record):
    """Which form the articles propose for a goal, when to take it, and how much."""

    goal: str
    form: str
    timing: Literal["before_bed", "before_study", "morning", "evening_meal"]
    default_elemental_mg: float = Field(gt=0)
    fixed_compound_mg: float | None = Field(default=None, gt=0)
    why: str
    claim: str | None = None


class Note(Record):
    """Advice shown with a plan (food pairing, titration) with its evidence."""

    topic: Literal["food_pairing", "titration", "general", "disclaimer"]
    text: str


class Claim(Record):
    """A claim made by one of the five articles, with what evidence says of it."""

    article: str
    text: str
    verdict: Verdict
    explanation: str
    fact_sheet_ref: str | None = None
    # Shown beside the claim's text wherever the text is shown (e.g. the kratom 1–3 g
    # figure is "most commonly self-reported dose in a survey, not a safety threshold").
    label: str | None = None

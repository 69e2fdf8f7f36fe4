"""Instrument definitions as validated data.

An instrument (PHQ-9, COWS, a sleep diary...) is a YAML record, not code: its items,
allowed answers, scoring, bands, safety rules, codes, source and licence. These models
refuse a definition that could score wrongly (gaps between bands, a safety rule on an
unknown item, a LOINC code whose check digit is wrong) so errors surface at load time.
"""

from __future__ import annotations

import itertools
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from neurogarden.kb.models import Verification

Op = Literal["gt", "ge", "lt", "le", "eq"]
ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
TOTAL = "total"  # the name a rule or derived value uses for the scored total


class Frozen(BaseModel):
    """Strict keys and immutability for every definition part."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Frozen):
    """Where a definition, band or rule comes from, written inline in the instrument's own
    file (an instrument travels as one file, so a clinic can add a licensed one), with
    the knowledge base's verification tag. The bibliography's records are `kb.models.Source`."""

    citation: str = Field(min_length=5)
    pmid: str | None = Field(default=None, pattern=r"^\d{6,9}$")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    verification: Verification
    original: bool = False  # neurogarden's own wording: no external locator exists

    @model_validator(mode="after")
    def _locatable(self) -> Citation:
        if not self.original and not (self.pmid or self.doi or self.url):
            raise ValueError("a source needs a pmid, doi or url (or original: true)")
        return self


class Licence(Frozen):
    """Who owns the instrument's text and whether neurogarden may ship it."""

    name: str
    holder: str | None = None
    terms: str
    url: str | None = None
    redistributable: bool


def loinc_check_digit(body: str) -> int:
    """LOINC's mod-10 check digit (a Luhn variant): catches a mistyped code at load time."""
    total = 0
    for position, char in enumerate(reversed(body), start=1):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10


class Loinc(Frozen):
    code: str = Field(pattern=r"^\d{1,7}-\d$")
    verification: Verification

    @field_validator("code")
    @classmethod
    def _check_digit(cls, code: str) -> str:
        body, check = code.split("-")
        if loinc_check_digit(body) != int(check):
            raise ValueError(f"LOINC {code} fails its check digit")
        return code


class Option(Frozen):
    value: int
    label: str


ItemKind = Literal["choice", "integer", "clock"]


class Item(Frozen):
    """One question. `choice` items allow only their option values; `clock` is HH:MM."""

    id: str = Field(pattern=ID_PATTERN)
    text: str
    kind: ItemKind = "choice"
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    required: bool = True
    scored: bool = True  # part of the summed total (choice and integer items only)
    loinc: Loinc | None = None

    @model_validator(mode="after")
    def _shape(self) -> Item:
        if self.kind == "choice":
            values = [o.value for o in self.options]
            if len(values) < 2:
                raise ValueError(f"choice item {self.id} needs at least two options")
            if len(set(values)) != len(values):
                raise ValueError(f"item {self.id} repeats an option value")
        elif self.options:
            raise ValueError(f"{self.kind} item {self.id} cannot have options")
        if self.kind == "integer" and self.min is None:
            raise ValueError(f"integer item {self.id} needs a min")
        return self

    @cached_property
    def allowed(self) -> frozenset[int]:
        return frozenset(o.value for o in self.options)

    @property
    def low(self) -> int:
        return min(self.allowed) if self.kind == "choice" else (self.min or 0)

    @property
    def high(self) -> int | None:
        return max(self.allowed) if self.kind == "choice" else self.max

    def label_for(self, value: int) -> str | None:
        return next((o.label for o in self.options if o.value == value), None)


class Band(Frozen):
    """An inclusive range of totals and its severity label."""

    min: int
    max: int
    label: str

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.max < self.min:
            raise ValueError(f"band {self.label!r} has max < min")
        return self


class Condition(Frozen):
    ref: str  # an item id, a derived id or "total"
    op: Op
    value: float


class SafetyRule(Frozen):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    when: Condition
    level: Literal["urgent", "warning", "info"]
    message: str
    action: str
    crisis_resources: bool = False
    source: Citation


DerivedOp = Literal["clock_span", "add", "sub", "pct", "coalesce", "count"]


class Derived(Frozen):
    """A value computed from answers by one named operation, e.g. sleep efficiency.

    Operations: clock_span(a, b) minutes from clock a to clock b, crossing midnight;
    add(...); sub(a, b, ...) = a - b - ...; pct(a, b) = 100·a/b (none when b is 0);
    coalesce(...) the first answered value; count(...) how many arguments there are.
    """

    id: str = Field(pattern=ID_PATTERN)
    label: str
    op: DerivedOp
    args: tuple[str, ...] = Field(min_length=1)
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    error: str | None = None  # shown when min/max is breached; should name the fields
    decimals: int = 1
    show: bool = True  # intermediate steps are computed but not reported


class Scoring(Frozen):
    method: Literal["sum", "derived", "none"]
    total: str | None = None  # for `derived`: which derived value is the headline
    label: str = "Total"
    unit: str | None = None
    loinc: Loinc | None = None
    bands: tuple[Band, ...] = ()
    band_source: Citation | None = None
    bands_note: str | None = None


class Outcomes(Frozen):
    """Response and remission thresholds; lower scores are better on every shipped scale."""

    response_reduction_pct: int = Field(default=50, gt=0, le=100)
    remission_below: int
    source: Citation


class InstrumentDefinition(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: str
    short_title: str
    aliases: tuple[str, ...] = ()
    rater: Literal["self", "clinician"]
    recall_period: str | None = None
    instructions: str | None = None
    items: tuple[Item, ...] = Field(min_length=1)
    scoring: Scoring
    derived: tuple[Derived, ...] = ()
    safety: tuple[SafetyRule, ...] = ()
    outcomes: Outcomes | None = None
    loinc_panel: Loinc | None = None
    notices: tuple[str, ...] = ()  # shown with every score, e.g. "not diagnostic"
    evidence_status: str | None = None
    source: Citation
    licence: Licence
    origin: Literal["shipped", "user"] = "shipped"  # set by the loader, never by the file

    @cached_property
    def item_map(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def scored_items(self) -> tuple[Item, ...]:
        """Items in the summed total; none unless scoring is a sum."""
        if self.scoring.method != "sum":
            return ()
        return tuple(i for i in self.items if i.scored)

    @cached_property
    def required_count(self) -> int:
        """How many answers a positional list needs: up to the last required item."""
        return max((n + 1 for n, item in enumerate(self.items) if item.required), default=0)

    @cached_property
    def total_range(self) -> tuple[int, int | None]:
        """Lowest and highest possible sum (None when an item has no upper bound)."""
        highs = [i.high for i in self.scored_items]
        high = None if any(h is None for h in highs) else sum(h for h in highs if h is not None)
        return sum(i.low for i in self.scored_items), high

    @model_validator(mode="after")
    def _consistent(self) -> InstrumentDefinition:
        ids = [i.id for i in self.items] + [d.id for d in self.derived]
        if len(set(ids)) != len(ids) or TOTAL in ids:
            raise ValueError("item and derived ids must be unique and not 'total'")
        known = {i.id for i in self.items}
        if self.scoring.method == "sum":
            if not self.scored_items:
                raise ValueError("sum scoring needs at least one scored item")
            known.add(TOTAL)
        for item in self.scored_items:
            if item.kind == "clock" or not item.required:
                raise ValueError(
                    f"item {item.id} is summed, so it must be required and not a clock"
                )
        for derived in self.derived:
            missing = [a for a in derived.args if a not in known]
            if missing:
                raise ValueError(f"derived {derived.id} uses unknown or later ids {missing}")
            known.add(derived.id)
        if self.scoring.method == "derived" and self.scoring.total not in known:
            raise ValueError(f"scoring.total {self.scoring.total!r} is not a derived id")
        for rule in self.safety:
            if rule.when.ref not in known:
                raise ValueError(f"safety rule {rule.id} refers to unknown {rule.when.ref!r}")
        self._check_bands()
        return self

    def _check_bands(self) -> None:
        bands = sorted(self.scoring.bands, key=lambda b: b.min)
        if not bands:
            return
        if self.scoring.method != "sum":
            raise ValueError("bands are only defined on summed totals")
        low, high = self.total_range
        if bands[0].min != low or (high is not None and bands[-1].max != high):
            raise ValueError(f"bands must cover the whole range {low}–{high}")
        for before, after in itertools.pairwise(bands):
            if after.min != before.max + 1:
                raise ValueError(f"bands {before.label!r} and {after.label!r} leave a gap/overlap")

    def band_for(self, total: int) -> str | None:
        for band in self.scoring.bands:
            if band.min <= total <= band.max:
                return band.label
        return None

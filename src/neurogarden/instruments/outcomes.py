"""Change from baseline, response and remission, per patient and per clinic.

Definitions (per instrument, from its `outcomes` block): response = a fall of at least
`response_reduction_pct` (50%) from baseline; remission = a total below
`remission_below` (5 on PHQ-9 and GAD-7). Baseline is the first observation.

Baseline 0: a percentage change is undefined, so `change_pct` is None and response
is False (there is nothing to halve); remission is still reported. Clinic rates count
each patient's status at their latest observation (as trials report at endpoint);
patients with a baseline of 0 are left out of the response denominator and patients
already in remission at baseline out of the remission denominator, and both are counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from pydantic import Field

from neurogarden.instruments.records import ResponseRecord
from neurogarden.instruments.scoring import InputError, Number
from neurogarden.kb.instruments.models import Frozen, InstrumentDefinition, Outcomes
from neurogarden.kb.instruments.references import OutcomeReference


class Change(Frozen):
    baseline: Number
    current: Number
    change: Number
    change_pct: float | None  # negative is improvement; None when baseline is 0
    response: bool
    remission: bool
    note: str | None = None


def outcome_rules(definition: InstrumentDefinition) -> Outcomes:
    if definition.outcomes is None:
        raise InputError("instrument", f"{definition.short_title} defines no response/remission")
    return definition.outcomes


def _check_total(definition: InstrumentDefinition, name: str, value: Number) -> None:
    low, high = definition.total_range
    if value < low or (high is not None and value > high):
        raise InputError(
            name, f"{name} {value} is outside the {definition.short_title} range {low}–{high}"
        )


def change_from_baseline(
    definition: InstrumentDefinition, baseline: Number, current: Number
) -> Change:
    """Compare two totals; exact arithmetic so that exactly 50% counts as a response."""
    rules = outcome_rules(definition)
    _check_total(definition, "baseline", baseline)
    _check_total(definition, "current", current)
    remission = current < rules.remission_below
    if baseline == 0:
        return Change(
            baseline=baseline,
            current=current,
            change=current - baseline,
            change_pct=None,
            response=False,
            remission=remission,
            note="baseline is 0: percent change is undefined and response cannot be reached",
        )
    response = current * 100 <= baseline * (100 - rules.response_reduction_pct)
    return Change(
        baseline=baseline,
        current=current,
        change=current - baseline,
        change_pct=round(100 * (current - baseline) / baseline, 1),
        response=response,
        remission=remission,
    )


class Observation(Frozen):
    day: date
    total: Number


class SeriesPoint(Frozen):
    day: date
    total: Number
    severity: str | None
    change: Change


class PatientSeries(Frozen):
    """One patient's totals on one instrument, each compared with the first (baseline)."""

    patient_id: str
    instrument: str
    points: tuple[SeriesPoint, ...]
    response_date: date | None  # first date response was reached
    remission_date: date | None  # first date remission was reached

    @property
    def baseline(self) -> SeriesPoint | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> SeriesPoint | None:
        return self.points[-1] if len(self.points) > 1 else None


def patient_series(
    definition: InstrumentDefinition, patient_id: str, observations: Iterable[Observation]
) -> PatientSeries:
    ordered = sorted(observations, key=lambda o: o.day)
    points: list[SeriesPoint] = []
    for obs in ordered:
        change = change_from_baseline(definition, ordered[0].total, obs.total)
        severity = definition.band_for(int(obs.total)) if definition.scoring.bands else None
        points.append(SeriesPoint(day=obs.day, total=obs.total, severity=severity, change=change))
    follow_ups = points[1:]
    return PatientSeries(
        patient_id=patient_id,
        instrument=definition.id,
        points=tuple(points),
        response_date=next((p.day for p in follow_ups if p.change.response), None),
        remission_date=next((p.day for p in follow_ups if p.change.remission), None),
    )


def series_from_records(
    definition: InstrumentDefinition, patient_id: str, records: Iterable[ResponseRecord]
) -> PatientSeries:
    """Build a series from stored records of any version of the same instrument."""
    observations = [
        Observation(day=r.taken_at.date(), total=r.score.total)
        for r in records
        if r.patient_id == patient_id
        and r.instrument_id == definition.id
        and r.score.total is not None
    ]
    return patient_series(definition, patient_id, observations)


class PatientOutcome(Frozen):
    protocol: str
    series: PatientSeries


class RateRow(Frozen):
    """Rates with their counts; a rate is None when nobody is eligible."""

    group: str
    patients: int  # with a baseline and at least one follow-up
    response_eligible: int
    responders: int
    response_rate_pct: float | None
    remission_eligible: int
    remitters: int
    remission_rate_pct: float | None


class ClinicSummary(Frozen):
    instrument: str
    overall: RateRow
    by_protocol: tuple[RateRow, ...]
    without_follow_up: int = Field(ge=0)
    references: tuple[OutcomeReference, ...]


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


class Standing(Frozen):
    """Where one patient's series stands for the clinic's rates and export, decided
    here once so that a copy stored beside the record and one computed afresh agree."""

    baseline: Number | None
    latest: Number | None  # None without a follow-up
    change_pct: float | None  # at the latest follow-up
    followed: bool  # a baseline and at least one follow-up
    response_eligible: bool  # a baseline above 0 (there is something to halve)
    responder: bool  # response at the latest follow-up
    remission_eligible: bool  # not already in remission at baseline
    remitter: bool  # remission at the latest follow-up
    ever_responded: bool
    ever_remitted: bool


def standing(definition: InstrumentDefinition, series: PatientSeries) -> Standing:
    rules = outcome_rules(definition)
    first, last = series.baseline, series.latest
    return Standing(
        baseline=first.total if first else None,
        latest=last.total if last else None,
        change_pct=last.change.change_pct if last else None,
        followed=last is not None,
        response_eligible=first is not None and first.total > 0,
        responder=last is not None and last.change.response,
        remission_eligible=first is not None and first.total >= rules.remission_below,
        remitter=last is not None and last.change.remission,
        ever_responded=series.response_date is not None,
        ever_remitted=series.remission_date is not None,
    )


class RateCounts(Frozen):
    """What a rate row counts, however they were counted (here, or by the database
    over stored standings)."""

    group: str
    patients: int = Field(ge=0)
    response_eligible: int = Field(ge=0)
    responders: int = Field(ge=0)
    remission_eligible: int = Field(ge=0)
    remitters: int = Field(ge=0)


def count_standings(group: str, standings: Iterable[Standing]) -> RateCounts:
    followed = [s for s in standings if s.followed]
    return RateCounts(
        group=group,
        patients=len(followed),
        response_eligible=sum(s.response_eligible for s in followed),
        responders=sum(s.response_eligible and s.responder for s in followed),
        remission_eligible=sum(s.remission_eligible for s in followed),
        remitters=sum(s.remission_eligible and s.remitter for s in followed),
    )


def rate_row(counts: RateCounts) -> RateRow:
    return RateRow(
        group=counts.group,
        patients=counts.patients,
        response_eligible=counts.response_eligible,
        responders=counts.responders,
        response_rate_pct=_rate(counts.responders, counts.response_eligible),
        remission_eligible=counts.remission_eligible,
        remitters=counts.remitters,
        remission_rate_pct=_rate(counts.remitters, counts.remission_eligible),
    )


OVERALL = "all protocols"


def summary_of_counts(
    definition: InstrumentDefinition,
    by_protocol: Sequence[RateCounts],
    without_follow_up: int,
    references: Iterable[OutcomeReference] = (),
) -> ClinicSummary:
    """The clinic summary from each protocol's counts; the overall row is their sum."""
    groups = sorted((c for c in by_protocol if c.patients), key=lambda c: c.group)
    overall = RateCounts(
        group=OVERALL,
        patients=sum(c.patients for c in groups),
        response_eligible=sum(c.response_eligible for c in groups),
        responders=sum(c.responders for c in groups),
        remission_eligible=sum(c.remission_eligible for c in groups),
        remitters=sum(c.remitters for c in groups),
    )
    return ClinicSummary(
        instrument=definition.id,
        overall=rate_row(overall),
        by_protocol=tuple(rate_row(c) for c in groups),
        without_follow_up=without_follow_up,
        references=tuple(r for r in references if definition.id in r.applies_to),
    )


def clinic_summary(
    definition: InstrumentDefinition,
    patients: Sequence[PatientOutcome],
    references: Iterable[OutcomeReference] = (),
) -> ClinicSummary:
    """Responder and remitter rates overall and by protocol, beside published references."""
    mine = [p for p in patients if p.series.instrument == definition.id]
    standings = [(p.protocol, standing(definition, p.series)) for p in mine]
    protocols = sorted({name for name, s in standings if s.followed})
    return summary_of_counts(
        definition,
        [count_standings(name, (s for g, s in standings if g == name)) for name in protocols],
        without_follow_up=sum(not s.followed for _, s in standings),
        references=references,
    )

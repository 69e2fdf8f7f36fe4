"""CSV files a clinician keeps: one patient's plan, findings, scores and recovery log,
and the clinic's PHQ-9 outcomes. Built from plain rows, so a renderer never needs the
database."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from neurogarden.instruments.outcomes import ClinicSummary
from neurogarden.planning.result import Plan


@dataclass(frozen=True)
class ScoreLine:
    day: date
    instrument: str
    total: float | None
    crisis: bool  # a safety rule with crisis resources fired


@dataclass(frozen=True)
class RecoveryLine:
    day: date
    kind: str
    value: object
    detail: str


@dataclass(frozen=True)
class OutcomeLine:
    """One patient's standing in the clinic export; a total is None when not taken."""

    patient: str  # the public id
    protocol: str
    baseline: float | None
    latest: float | None  # the latest follow-up
    change_pct: float | None
    ever_responded: bool
    ever_remitted: bool


def patient_csv(
    plan: Plan | None, scores: Iterable[ScoreLine], recovery: Iterable[RecoveryLine]
) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "date", "item", "value", "detail", "sources"])
    if plan is not None:
        for dose in plan.supplements:
            writer.writerow(
                [
                    "plan",
                    "",
                    dose.name,
                    f"{dose.compound_mg} mg" if dose.compound_mg is not None else "",
                    f"elemental {dose.elemental_mg} mg at {' '.join(dose.times)}",
                    " ".join(dose.sources),
                ]
            )
        for f in plan.findings:
            writer.writerow(["finding", "", f.code, f.severity, f.message, " ".join(f.sources)])
    for s in scores:
        flag = "crisis flag" if s.crisis else ""
        writer.writerow(["score", s.day.isoformat(), s.instrument, s.total, flag, ""])
    for e in recovery:
        writer.writerow(["recovery", e.day.isoformat(), e.kind, e.value, e.detail, ""])
    return out.getvalue()


def _blank(value: float | None) -> object:
    return "" if value is None else value


def outcomes_csv(summary: ClinicSummary, rows: Iterable[OutcomeLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["patient", "protocol", "baseline", "latest", "change_pct", "response", "remission"]
    )
    for row in rows:
        writer.writerow(
            [
                row.patient,
                row.protocol,
                _blank(row.baseline),
                _blank(row.latest),
                _blank(row.change_pct),
                row.ever_responded,
                row.ever_remitted,
            ]
        )
    writer.writerow([])
    writer.writerow(["group", "followed", "responders", "response_rate_pct", "remission_rate_pct"])
    for rate in (summary.overall, *summary.by_protocol):
        writer.writerow(
            [rate.group, rate.patients, rate.responders, rate.response_rate_pct,
             rate.remission_rate_pct]
        )  # fmt: skip
    return out.getvalue()

"""What the clinic's patient table shows of one patient, kept beside the records: it is
written whenever the patient's rules run (on every change to the record, and when the
knowledge changes), so that a page of the table reads 50 stored lines instead of
planning 50 patients. A line is for one day and one version of the knowledge; the
table computes a line again when either has moved on (a plan can change with the date
alone: a window opens, a hold ends)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from neurogarden.clinic import records
from neurogarden.clinic.values import PatientInfo
from neurogarden.kb.load import packaged_fingerprint
from neurogarden.storage import panel_lines as store
from neurogarden.storage.models import PanelLineRow


@dataclass(frozen=True)
class PanelLine:
    patient: PatientInfo
    has_profile: bool
    needs_review: bool  # the stored profile no longer plans (shown, never hidden)
    supplements: int
    blocks: int
    latest_phq9: float | None
    phq9_flagged: bool
    planned_sessions: int

    @classmethod
    def of(cls, patient: PatientInfo, row: PanelLineRow) -> PanelLine:
        return cls(patient, **{name: getattr(row, name) for name in SHOWN})

    @classmethod
    def of_state(cls, state: records.PatientState, today: date) -> PanelLine:
        values = _values(state, today)
        return cls(state.patient, **{name: values[name] for name in SHOWN})


SHOWN = (
    "has_profile",
    "needs_review",
    "supplements",
    "blocks",
    "latest_phq9",
    "phq9_flagged",
    "planned_sessions",
)


def _values(state: records.PatientState, today: date) -> dict[str, Any]:
    phq9 = [r for r in state.responses if r.instrument_id == records.phq9().id]
    return {
        "as_of": today,
        "knowledge": packaged_fingerprint(),
        "has_profile": state.document is not None,
        "needs_review": state.error is not None,
        "supplements": len(state.plan.supplements) if state.plan else 0,
        "blocks": len(state.blocks),
        "latest_phq9": phq9[-1].total if phq9 else None,
        "phq9_flagged": bool(phq9 and phq9[-1].flagged),
        "planned_sessions": sum(1 for k in state.sessions if k.planned),
    }


def record(s: Session, state: records.PatientState, today: date) -> None:
    store.put(s, state.patient.id, _values(state, today))


def is_current(row: PanelLineRow, today: date) -> bool:
    return row.as_of == today and row.knowledge == packaged_fingerprint()

"""What the dashboard's table shows beside each stored line that depends on the clock:
the date of the last PHQ-9, its change from baseline, and the next session. Read for
one page of patients at a time (three grouped queries), so a page costs the same at any
clinic size. None of them commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from neurogarden.storage.clinic import aware
from neurogarden.storage.models import KapSessionRow, OutcomeSummaryRow, ResponseRow


@dataclass(frozen=True)
class PageFacts:
    last_phq9_at: datetime | None
    phq9_baseline: float | None
    phq9_change_pct: float | None
    next_session: datetime | None


def page_facts(s: Session, patient_ids: Sequence[int], now: datetime) -> dict[int, PageFacts]:
    if not patient_ids:
        return {}
    last = dict(
        s.execute(
            select(ResponseRow.patient_id, func.max(ResponseRow.taken_at))
            .where(ResponseRow.patient_id.in_(patient_ids), ResponseRow.instrument_id == "phq9")
            .group_by(ResponseRow.patient_id)
        ).all()
    )
    standing = {
        row.patient_id: row
        for row in s.scalars(
            select(OutcomeSummaryRow).where(
                OutcomeSummaryRow.patient_id.in_(patient_ids),
                OutcomeSummaryRow.instrument_id == "phq9",
            )
        )
    }
    upcoming = dict(
        s.execute(
            select(KapSessionRow.patient_id, func.min(KapSessionRow.start))
            .where(
                KapSessionRow.patient_id.in_(patient_ids),
                KapSessionRow.state == "scheduled",
                KapSessionRow.start >= now,
            )
            .group_by(KapSessionRow.patient_id)
        ).all()
    )
    out = {}
    for pid in patient_ids:
        row = standing.get(pid)
        out[pid] = PageFacts(
            last_phq9_at=aware(last[pid]) if pid in last else None,
            phq9_baseline=row.baseline if row else None,
            phq9_change_pct=row.change_pct if row else None,
            next_session=aware(upcoming[pid]) if pid in upcoming else None,
        )
    return out

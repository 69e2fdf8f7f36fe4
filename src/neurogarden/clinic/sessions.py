"""KAP sessions as records with stable ids: scheduled, then done or cancelled. The
profile document a plan is built from gets the sessions that were not cancelled, each
with its id, so the integration window, its checklist ticks and the follow-up measures
all point at a session (`scheduling` moves and cancels them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from sqlalchemy.orm import Session

from neurogarden.profile.schema import Route
from neurogarden.storage import sessions as store
from neurogarden.storage.clinic import aware
from neurogarden.storage.models import KapSessionRow

ROUTES: tuple[str, ...] = get_args(Route)


@dataclass(frozen=True)
class KapSession:
    id: int
    start: datetime  # aware, UTC
    route: str
    dose: str | None
    setting: str | None
    state: str  # scheduled, done or cancelled
    note: str | None

    @classmethod
    def of(cls, row: KapSessionRow) -> KapSession:
        return cls(row.id, aware(row.start), row.route, row.dose, row.setting, row.state, row.note)

    @property
    def planned(self) -> bool:
        return self.state != store.CANCELLED

    def entry(self) -> dict[str, Any]:
        """The session as a profile document lists it, with its id."""
        entry: dict[str, Any] = {
            "id": str(self.id), "start": self.start.isoformat(), "route": self.route,
        }  # fmt: skip
        if self.dose:
            entry["dose"] = self.dose
        if self.setting:
            entry["setting"] = self.setting
        return entry


def of_patient(s: Session, patient_id: int) -> list[KapSession]:
    """Every session of the patient, cancelled ones included, earliest first."""
    return [KapSession.of(r) for r in store.sessions_of(s, patient_id)]


def with_sessions(
    document: Mapping[str, Any], sessions: Sequence[KapSession], timezone: str
) -> dict[str, Any]:
    """The profile document a plan is built from: the stored one with the sessions that
    were not cancelled, in the clinic's time zone unless the profile names its own (a
    server's zone means nothing to a patient)."""
    planned = [k.entry() for k in sessions if k.planned]
    return {"timezone": timezone, **document, "sessions": planned}

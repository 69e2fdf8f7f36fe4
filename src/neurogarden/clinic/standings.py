"""Each patient's standing on each instrument with outcome rules (baseline, latest,
response and remission), kept beside the responses so that the clinic's rates are one
aggregate and its export one pass, at any clinic size. A standing is written in the
transaction that stores a response, and every standing is rebuilt when the knowledge
(the outcome rules) differs from the version they were built against, or after a
bulk import."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from neurogarden.instruments.outcomes import Observation, patient_series, standing
from neurogarden.kb.instruments.models import InstrumentDefinition
from neurogarden.kb.load import packaged_fingerprint
from neurogarden.storage import meta, patient_record
from neurogarden.storage import standings as store
from neurogarden.storage.clinic import Database

KNOWLEDGE_KEY = "standings_built_against"
BATCH = 5_000  # standings per insert while rebuilding


def _values(
    definition: InstrumentDefinition, totals: Iterable[tuple[datetime, float]]
) -> dict[str, Any]:
    observations = [Observation(day=at.date(), total=total) for at, total in totals]
    found = standing(definition, patient_series(definition, "", observations))
    return found.model_dump(include=set(store.STANDING_FIELDS))


def with_outcomes(definitions: Iterable[InstrumentDefinition]) -> list[InstrumentDefinition]:
    return [d for d in definitions if d.outcomes is not None]


def update(s: Session, patient_id: int, definition: InstrumentDefinition) -> None:
    """After a response is stored: the patient's standing on its instrument, afresh."""
    if definition.outcomes is None:
        return
    patient_record.lock_patient(s, patient_id)  # two responses at once: one after the other
    totals = store.totals_of(s, patient_id, definition.id)
    store.put(s, patient_id, definition.id, _values(definition, totals))


def is_stale(database: Database) -> bool:
    with database.session() as s:
        return meta.value_of(s, KNOWLEDGE_KEY) != packaged_fingerprint()


def rebuild(
    database: Database,
    definitions: Iterable[InstrumentDefinition],
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Every patient's standing on every instrument with outcome rules, from every
    scored response read once; one transaction, so a reader sees the old standings or
    the new ones. Returns how many were written; `progress` hears the running count."""
    written = 0
    with database.session() as s:
        for definition in with_outcomes(definitions):
            store.clear(s, definition.id)
            batch: list[dict[str, Any]] = []
            for patient_id, rows in groupby(store.every_total(s, definition.id), lambda r: r[0]):
                values = _values(definition, ((at, total) for _, at, total in rows))
                batch.append({"patient_id": patient_id, "instrument_id": definition.id, **values})
                if len(batch) >= BATCH:
                    store.add_many(s, batch)
                    written += len(batch)
                    progress(written)
                    batch = []
            store.add_many(s, batch)
            written += len(batch)
            progress(written)
        meta.set_value(s, KNOWLEDGE_KEY, packaged_fingerprint())
        s.commit()
    return written

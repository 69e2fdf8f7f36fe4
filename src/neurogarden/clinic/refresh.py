"""Stored alerts raised again when the knowledge changes. Alerts are raised when a
record changes and when it is opened; a new or stricter rule in the knowledge base must
not wait for either, so when the packaged knowledge differs from the version the
database's alerts were raised against, every patient's rules run once more (the
crisis pass and the conditions, as on any write) and the new version is recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from neurogarden.clinic import alerts
from neurogarden.clinic.values import ClinicInfo, PatientInfo
from neurogarden.kb.load import packaged_fingerprint
from neurogarden.storage import meta, panel
from neurogarden.storage.clinic import Database

KNOWLEDGE_KEY = "alerts_raised_against"
BATCH = 100  # patients per commit, so a long refresh keeps what it has done

Pairs = Sequence[tuple[PatientInfo, ClinicInfo]]


def stale_patients(database: Database) -> Pairs:
    """Every patient, when the alerts were raised against other knowledge; else none."""
    with database.session() as s:
        if meta.value_of(s, KNOWLEDGE_KEY) == packaged_fingerprint():
            return []
        return [(PatientInfo.of(p), ClinicInfo.of(c)) for p, c in panel.every_patient(s)]


def refresh_alerts(
    database: Database,
    pairs: Pairs,
    progress: Callable[[Pairs], Iterable[tuple[PatientInfo, ClinicInfo]]] = lambda p: p,
) -> int:
    """Raise whatever the current rules raise for each patient; returns how many."""
    current = packaged_fingerprint()
    with database.session() as s:
        for done, (patient, clinic) in enumerate(progress(pairs), start=1):
            alerts.raise_for(s, patient, clinic)
            if done % BATCH == 0:
                s.commit()
        meta.set_value(s, KNOWLEDGE_KEY, current)
        s.commit()
    return len(pairs)

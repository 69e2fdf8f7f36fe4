"""The recovery log on the web: stored entries to the core's RecoveryLog, its alerts,
findings, options and timeline. neurogarden never recommends kratom or a dose of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from neurogarden.clinic import records
from neurogarden.planning.result import Finding
from neurogarden.recovery import (
    RecoveryAlert,
    RecoveryLog,
    log_findings,
    options_note,
    parse_log,
    recovery_alerts,
    recovery_options,
)
from neurogarden.storage import clinic as store
from neurogarden.storage.models import RecoveryEntryRow

KINDS = ("use", "craving", "attendance")
ATTENDANCE_KINDS = ("counselling", "support_group", "moud_visit")
RECENT_DAYS = 14


def log_mapping(rows: Sequence[RecoveryEntryRow]) -> dict[str, list[dict[str, Any]]]:
    """Stored rows as the log document the core validates; the newest craving of a day wins."""
    uses, attendance = [], []
    cravings: dict[date, dict[str, Any]] = {}
    for r in rows:
        if r.kind == "use":
            uses.append({"day": r.day, "substance": r.substance, "amount": r.amount})
        elif r.kind == "craving":
            cravings[r.day] = {"day": r.day, "rating": r.rating}
        else:
            attendance.append({"day": r.day, "kind": r.attendance_kind, "attended": r.attended})
    return {"uses": uses, "cravings": list(cravings.values()), "attendance": attendance}


def _text(entry: Mapping[str, object], key: str) -> str:
    value = entry.get(key)
    return "" if value is None else str(value).strip()


def entry_document(kind: str, entry: Mapping[str, object]) -> dict[str, Any]:
    """A submitted entry (form text or JSON values) in the log document's shape; the core
    validates it. `attended` is a JSON true or a ticked box ("on")."""
    day = _text(entry, "day")
    if kind == "use":
        return {
            "day": day,
            "substance": _text(entry, "substance"),
            "amount": _text(entry, "amount") or None,
        }
    if kind == "craving":
        return {"day": day, "rating": _text(entry, "rating")}
    return {
        "day": day,
        "kind": _text(entry, "attendance_kind"),
        "attended": entry.get("attended") is True or entry.get("attended") == "on",
    }


SECTIONS = {"use": "uses", "craving": "cravings", "attendance": "attendance"}


def validated_entry(
    s: Session, patient_id: int, kind: str, form: Mapping[str, object], today: date
) -> dict[str, Any]:
    """The new entry checked by the core against the whole log (a second craving on one
    day, a future date, an unknown substance, an amount without a unit are refused with a
    ProfileError); returns the row's values."""
    document = log_mapping(store.recovery_entries_of(s, [patient_id]))
    section = SECTIONS[kind]
    document[section] = [*document[section], entry_document(kind, form)]
    parsed = parse_log(document, records.kb(), today=today)
    values: dict[str, Any] = {"kind": kind}
    if kind == "use":
        use = parsed.uses[-1]
        values |= {"day": use.day, "substance": use.substance, "amount": use.amount}
    elif kind == "craving":
        craving = parsed.cravings[-1]
        values |= {"day": craving.day, "rating": craving.rating}
    else:
        seen = parsed.attendance[-1]
        values |= {"day": seen.day, "attendance_kind": seen.kind, "attended": seen.attended}
    return values


@dataclass
class RecoveryView:
    log: RecoveryLog
    cows: list[tuple[date, float]]
    alerts: tuple[RecoveryAlert, ...]
    findings: tuple[Finding, ...]
    options: Sequence[Any]
    options_note: Any


def cows_of(state: records.PatientState) -> list[tuple[date, float]]:
    return [
        (r.taken_at.date(), r.total)
        for r in state.responses
        if r.instrument_id == "cows" and r.total is not None
    ]


def is_relevant(state: records.PatientState, rows: Sequence[RecoveryEntryRow]) -> bool:
    profile = state.profile
    return bool(
        rows
        or any(r.instrument_id == "cows" for r in state.responses)
        or (profile is not None and (profile.substances or "recovery" in profile.goals))
    )


def view(s: Session, state: records.PatientState, today: date) -> RecoveryView | None:
    rows = store.recovery_entries_of(s, [state.patient.id])
    if not is_relevant(state, rows):
        return None
    kb = records.kb()
    log = parse_log(log_mapping(rows), kb)
    cows = cows_of(state)
    findings_now = state.plan.findings if state.plan else ()
    return RecoveryView(
        log=log,
        cows=cows,
        alerts=recovery_alerts(
            log,
            cows,
            records.previous_findings(s, state.patient, today, _timezone(state)),
            findings_now,
            today,
            kb=kb,
        ),
        findings=log_findings(
            log, kb, start=today - timedelta(days=RECENT_DAYS), end=today, profile=state.profile
        ),
        options=recovery_options(kb),
        options_note=options_note(kb),
    )


def alerts_of(recovery: RecoveryView | None) -> list[records.Alert]:
    """Recovery alerts for the clinician's list: a block ranks with plan blocks."""
    if recovery is None:
        return []
    return [
        records.Alert(1 if a.severity == "block" else 2, f"recovery-{a.code}", a.message, a.sources)
        for a in recovery.alerts
    ]


def _timezone(state: records.PatientState) -> str:
    """The zone the patient's plan was built in (the composed document always names one)."""
    return str((state.document or {}).get("timezone") or "UTC")

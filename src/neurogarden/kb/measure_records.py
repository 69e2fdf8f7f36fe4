"""Recurring measures a clinic asks of every patient by default (a weekly PHQ-9, a daily
sleep diary), as records with their sources and the basis of their timing; a
clinician can change them for one patient."""

from __future__ import annotations

from pydantic import Field

from neurogarden.kb.models import Record

CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class RecurringMeasure(Record):
    """`instrument` every `every_days` days at local `at`, open for `open_hours`."""

    instrument: str
    label: str
    every_days: int = Field(ge=1, le=365)
    at: str = Field(pattern=CLOCK)
    open_hours: float = Field(gt=0, le=24 * 14)
    on_by_default: bool
    basis: str

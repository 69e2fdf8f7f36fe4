"""Series files: the small YAML/JSON documents the `chart` command renders.

Three kinds, chosen by `kind:`: a patient's scores with sessions and integration
windows, a patient's sleep-diary nights, or a clinic's patients by protocol. Parsing
turns them into the typed values the chart functions take.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from neurogarden.instruments.outcomes import (
    Observation,
    PatientOutcome,
    PatientSeries,
    clinic_summary,
    patient_series,
)
from neurogarden.instruments.scoring import InputError, Score, score
from neurogarden.kb.documents import DocumentError, read_document
from neurogarden.kb.instruments.loader import Catalogue
from neurogarden.kb.instruments.models import Frozen, InstrumentDefinition


class Session(Frozen):
    day: date
    label: str = "session"


class Window(Frozen):
    start: date
    end: date
    label: str = "integration window"

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError("a window ends before it starts")
        return self


class PatientFile(Frozen):
    kind: Literal["patient"]
    instrument: str
    patient: str
    title: str | None = None
    scores: tuple[Observation, ...] = Field(min_length=1)
    sessions: tuple[Session, ...] = ()
    windows: tuple[Window, ...] = ()


class Night(Frozen):
    day: date  # the date the night began
    answers: dict[str, int | str | None]


class SleepFile(Frozen):
    kind: Literal["sleep"]
    patient: str
    title: str | None = None
    nights: tuple[Night, ...] = Field(min_length=1)


class ClinicPatient(Frozen):
    id: str
    protocol: str
    scores: tuple[Observation, ...] = Field(min_length=1)


class ClinicFile(Frozen):
    kind: Literal["clinic"]
    instrument: str
    title: str | None = None
    patients: tuple[ClinicPatient, ...] = Field(min_length=1)


SeriesFile = Annotated[PatientFile | SleepFile | ClinicFile, Field(discriminator="kind")]
_ADAPTER: TypeAdapter[PatientFile | SleepFile | ClinicFile] = TypeAdapter(SeriesFile)


def read_series(path: Path) -> PatientFile | SleepFile | ClinicFile:
    """Parse a series file; any problem is an InputError naming the field."""
    try:
        data: Any = read_document(path)
    except DocumentError as exc:
        raise InputError("series", str(exc)) from None
    if not isinstance(data, Mapping):
        raise InputError("series", f"{path.name}: expected a mapping with a 'kind'")
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "kind"
        raise InputError(loc, f"{path.name}: {loc}: {err['msg']}") from None


def sleep_nights(
    definition: InstrumentDefinition, nights: tuple[Night, ...]
) -> list[tuple[date, Score]]:
    """Score each night with the sleep-diary definition, naming the night on error."""
    scored = []
    for night in nights:
        try:
            scored.append((night.day, score(definition, night.answers)))
        except InputError as exc:
            raise InputError(exc.field, f"night of {night.day}: {exc}") from None
    return scored


def patient_from_file(catalogue: Catalogue, doc: PatientFile) -> PatientSeries:
    return patient_series(_definition(catalogue, doc.instrument), doc.patient, doc.scores)


def clinic_from_file(catalogue: Catalogue, doc: ClinicFile) -> Any:
    definition = _definition(catalogue, doc.instrument)
    outcomes = [
        PatientOutcome(protocol=p.protocol, series=patient_series(definition, p.id, p.scores))
        for p in doc.patients
    ]
    return clinic_summary(definition, outcomes, catalogue.references)


def _definition(catalogue: Catalogue, instrument: str) -> InstrumentDefinition:
    try:
        return catalogue.instruments[instrument]
    except KeyError:
        raise InputError("instrument", f"unknown instrument {instrument!r}") from None

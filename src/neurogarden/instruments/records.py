"""Immutable response records: what was answered, under which definition version, by whom.

A record keeps the answers and the score computed at the time together with the
instrument id *and version*, so editing a definition later never rewrites history;
storage can persist these as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from pydantic import AwareDatetime, Field, model_validator

from neurogarden.instruments.scoring import RawAnswer, Score, format_clock, normalize, score
from neurogarden.kb.instruments.crisis import LocaleResources
from neurogarden.kb.instruments.models import Frozen, InstrumentDefinition


class Answer(Frozen):
    """One stored answer; clock answers are kept as HH:MM text, blanks as None."""

    item: str
    value: int | str | None


class ResponseRecord(Frozen):
    patient_id: str = Field(min_length=1)
    instrument_id: str
    instrument_version: str
    answers: tuple[Answer, ...]
    score: Score
    taken_at: AwareDatetime
    entered_by: str = Field(min_length=1)

    @model_validator(mode="after")
    def _score_matches(self) -> ResponseRecord:
        if (self.score.instrument, self.score.version) != (
            self.instrument_id,
            self.instrument_version,
        ):
            raise ValueError("the score belongs to a different instrument or version")
        return self

    def answer(self, item: str) -> int | str | None:
        return next(a.value for a in self.answers if a.item == item)


def record_response(
    definition: InstrumentDefinition,
    answers: Mapping[str, RawAnswer] | Sequence[RawAnswer],
    *,
    patient_id: str,
    entered_by: str,
    taken_at: datetime,
    crisis: LocaleResources | None = None,
) -> ResponseRecord:
    """Validate, score and freeze one administration of an instrument."""
    values = normalize(definition, answers)
    stored = tuple(
        Answer(
            item=item.id,
            value=format_clock(v) if item.kind == "clock" and v is not None else v,
        )
        for item in definition.items
        for v in [values[item.id]]
    )
    return ResponseRecord(
        patient_id=patient_id,
        instrument_id=definition.id,
        instrument_version=definition.version,
        answers=stored,
        score=score(definition, {a.item: a.value for a in stored}, crisis),
        taken_at=taken_at,
        entered_by=entered_by,
    )

"""Published outcome rates a clinic's own rates are shown beside, with their caveats."""

from __future__ import annotations

from pydantic import Field

from neurogarden.kb.instruments.models import Citation, Frozen


class OutcomeReference(Frozen):
    """A trial's response rate: the measure may differ from the clinic's, so say so."""

    id: str
    label: str
    response_rate_pct: float = Field(ge=0, le=100)
    measure: str
    response_definition: str
    protocol: str
    population: str
    caveat: str
    applies_to: tuple[str, ...]  # instrument ids the comparison is shown for
    source: Citation

"""The knowledge-base browser: every rule with its evidence grade and sources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from neurogarden.clinic import records
from neurogarden.web.policy import SIGNED_IN_VISIT, Access
from neurogarden.web.templating import page

router = APIRouter(include_in_schema=False)

SECTIONS = {
    "forms": "Magnesium forms",
    "separations": "Separation windows",
    "effects": "Interactions and contraindications",
    "medications": "Medications",
    "conditions": "Conditions",
    "substances": "Substances",
    "nutrients": "Nutrients",
    "foods": "Foods",
    "intake": "Recommended intakes and upper limits",
    "kidney_bands": "Kidney function",
    "notes": "Notes",
}


def _records(section: str) -> list[Any]:
    value = getattr(records.kb(), section)
    if hasattr(value, "values"):
        return list(value.values())
    return list(value)


@router.get("/kb")
def kb_index(request: Request, access: Annotated[Access, SIGNED_IN_VISIT]) -> Response:
    counts = {key: len(_records(key)) for key in SECTIONS}
    return page(
        request,
        "kb_index.html",
        access,
        sections=SECTIONS,
        counts=counts,
        claims=len(records.kb().claims),
        sources=len(records.kb().sources),
    )


@router.get("/kb/claims")
def kb_claims(request: Request, access: Annotated[Access, SIGNED_IN_VISIT]) -> Response:
    claims = sorted(records.kb().claims.values(), key=lambda c: (c.article, c.id))
    return page(request, "kb_claims.html", access, claims=claims)


@router.get("/kb/sources")
def kb_sources(request: Request, access: Annotated[Access, SIGNED_IN_VISIT]) -> Response:
    sources = sorted(records.kb().sources.values(), key=lambda s: s.id)
    return page(request, "kb_sources.html", access, sources=sources)


@router.get("/kb/{section}")
def kb_section(
    request: Request, section: str, access: Annotated[Access, SIGNED_IN_VISIT]
) -> Response:
    if section not in SECTIONS:
        raise HTTPException(404, "Not found")
    rows = []
    for record in _records(section):
        data = record.model_dump(mode="json", exclude_none=True)
        sources = data.pop("sources", [])
        evidence = data.pop("evidence", None)
        ident = data.pop("id", "")
        name = data.pop("name", ident)
        rows.append(
            {"id": ident, "name": name, "evidence": evidence, "sources": sources, "fields": data}
        )
    return page(request, "kb_section.html", access, title=SECTIONS[section], rows=rows)

"""The knowledge-base browser: every rule with its evidence grade and sources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from neurogarden.clinic import records
from neurogarden.kb.models import Verdict
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
def kb_claims(
    request: Request,
    access: Annotated[Access, SIGNED_IN_VISIT],
    article: Annotated[str, Query(max_length=20)] = "",
    verdict: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The articles' claims, filtered by article and by verdict (an unknown choice is
    named at its field, and every claim is shown)."""
    every = sorted(records.kb().claims.values(), key=lambda c: (c.article, c.id))
    articles = sorted({c.article for c in every})
    verdicts = [v.value for v in Verdict]
    errors = {}
    if article and article not in articles:
        errors["article"] = f"no article {article!r}; choose one of {', '.join(articles)}"
    if verdict and verdict not in verdicts:
        errors["verdict"] = f"no verdict {verdict!r}; choose one from the list"
    wanted = not errors
    shown = [
        c
        for c in every
        if not wanted
        or ((not article or c.article == article) and (not verdict or c.verdict == verdict))
    ]
    return page(
        request, "kb_claims.html", access, claims=shown, total=len(every), articles=articles,
        verdicts=verdicts, article="" if errors else article, verdict="" if errors else verdict,
        errors=errors,
    )  # fmt: skip


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

"""The knowledge-base pages in plain words: verdicts and grades without underscores,
claims filtered by article and verdict, sources linked to PubMed, the DOI or the page."""

from __future__ import annotations

import html

from webkit import World, client, sign_in

pytest_plugins = ("webkit",)


def test_claims_are_filtered_by_article_and_verdict_in_plain_words(world: World) -> None:
    c = client(world.app)
    sign_in(c, "dr.okafor")
    every = c.get("/kb/claims").text
    contradicted = c.get("/kb/claims", params={"verdict": "contradicted"}).text
    assert "partly supported" in every and "partly_supported" not in every.split("<select")[0]
    shown = contradicted.count('<article class="kb-record claim')
    assert 0 < shown < every.count('<article class="kb-record claim')
    assert contradicted.count('<article class="kb-record claim contradicted"') == shown
    wrong = c.get("/kb/claims", params={"verdict": "maybe"})
    assert wrong.status_code == 200 and "no verdict 'maybe'" in html.unescape(wrong.text)
    sources = c.get("/kb/sources").text
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/22294820/"' in sources  # Carney 2012

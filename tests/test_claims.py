"""The articles' claims (kb/data/claims.yaml): ids, verdicts and citations."""

from __future__ import annotations

import json
import re

import pytest
import typer
from typer.testing import CliRunner

from neurogarden.cli import kb as kb_cli
from neurogarden.kb import models as m
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.loader import Located, load_sections

# Fact-sheet section G rows (shared/docs/facts.md) and the stable ids other code uses.
G_CLAIMS: dict[str, str] = {
    "claim-mg-activates-nmda": "G1",
    "claim-mg-neurotoxicity": "G2",
    "claim-rda-as-supplement-dose": "G3",
    "claim-more-mg-better": "G4",
    "claim-uptake-enhancers": "G5",
    "claim-avoid-phytate-spinach-bran": "G6",
    "claim-glycinate-absorbable-sleep": "G7",
    "claim-malate-energy": "G7",
    "claim-threonate-bbb-synapses": "G7",
    "claim-oxide-filler": "G8",
    "claim-diet-350-500": "G9",
    "claim-low-mg-signs": "G10",
    "claim-evening-timing": "G10",
    "claim-mg-melatonin-cortisol": "G10",
    "claim-top-foods-banana-halibut": "G11",
    "claim-steaming": "G12",
    "claim-kratom-fewer-adverse": "G13",
    "claim-kratom-cited-studies": "G14",
    "claim-mg-potentiates-kratom": "G14",
    "claim-kratom-safe-dose-1-3g": "G15",
    "claim-kratom-mg-oud": "G16",
    "claim-kratom-aud": "G17",
    "claim-esketamine-derivative": "G18",
    "claim-403-trial-55": "G19",
    "claim-si-24h": "G20",
    "claim-homeopathic": "G21",
    "claim-48h-window": "G22",
    "claim-omega3-2000-epa60": "G23",
    "claim-mg-ketamine-superadditive": "G24",
    "claim-threonate-144": "G25",
    "claim-b12-ketamine": "G26",
    "claim-psychosis-understated": "G27",
    "claim-alcohol-dampens": "G28",
    "claim-talk-therapy-cbt": "G29",
}

# (verdict, a source that must be cited) for claims whose grading other code relies on.
EXPECTED: dict[str, tuple[m.Verdict, str]] = {
    "claim-mg-activates-nmda": (m.Verdict.contradicted, "nowak-1984"),
    "claim-rda-as-supplement-dose": (m.Verdict.misframed, "iom-1997"),
    "claim-more-mg-better": (m.Verdict.contradicted, "ods-magnesium"),
    "claim-avoid-phytate-spinach-bran": (m.Verdict.partly_supported, "bohn-2004-oxalate"),
    "claim-threonate-bbb-synapses": (m.Verdict.unsupported, "slutsky-2010"),
    "claim-citrate-constipation": (m.Verdict.supported, "dailymed-mg-citrate-otc"),
    "claim-oxide-filler": (m.Verdict.contradicted, "medscape-mgo"),
    "claim-kratom-fewer-adverse": (m.Verdict.contradicted, "olsen-2019-mmwr"),
    "claim-kratom-safe-dose-1-3g": (m.Verdict.misframed, "garcia-romeu-2020"),
    "claim-kratom-mg-oud": (m.Verdict.contradicted, "samhsa-tip-63"),
    "claim-403-trial-55": (m.Verdict.partly_supported, "elektd-2023"),
    "claim-si-24h": (m.Verdict.partly_supported, "grunebaum-2018"),
    "claim-omega3-2000-epa60": (m.Verdict.misframed, "liao-2019"),
    "claim-mg-ketamine-superadditive": (m.Verdict.contradicted, "razmjou-2016"),
    "claim-threonate-144": (m.Verdict.partly_supported, "magtein-label"),
    "claim-b12-ketamine": (m.Verdict.unsupported, "lundin-2014"),
    "claim-psychosis-understated": (m.Verdict.misframed, "spravato-label"),
    "claim-alcohol-dampens": (m.Verdict.unsupported, "spravato-label"),
    "claim-talk-therapy-cbt": (m.Verdict.partly_supported, "article-004"),
}

ARTICLES = ("000", "001", "002", "003", "004")


@pytest.fixture(scope="module")
def sections() -> dict[str, list[Located]]:
    grouped, _problems = load_sections()
    return grouped


@pytest.fixture(scope="module")
def claims(sections: dict[str, list[Located]]) -> dict[str, m.Claim]:
    out: dict[str, m.Claim] = {}
    for located in sections["claims"]:
        record = located.record
        assert isinstance(record, m.Claim)
        out[record.id] = record
    return out


@pytest.fixture(scope="module")
def source_ids(sections: dict[str, list[Located]]) -> set[str]:
    return {located.record.id for located in sections["sources"]}


def test_claims_file_has_no_problems() -> None:
    _grouped, problems = load_sections()
    mine = [p for p in problems if p.file in {"claims.yaml", "sources/claims.yaml"}]
    assert mine == []


def test_claim_ids_are_unique(sections: dict[str, list[Located]]) -> None:
    ids = [located.record.id for located in sections["claims"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("claim_id", "row"), sorted(G_CLAIMS.items()))
def test_every_section_g_claim_is_present(
    claims: dict[str, m.Claim], claim_id: str, row: str
) -> None:
    assert claim_id in claims
    ref = claims[claim_id].fact_sheet_ref or ""
    assert row in [part.strip() for part in ref.split(";")]


def test_all_29_rows_covered(claims: dict[str, m.Claim]) -> None:
    rows = set()
    for claim in claims.values():
        for part in (claim.fact_sheet_ref or "").split(";"):
            if part.strip().startswith("G"):
                rows.add(part.strip())
    assert {f"G{n}" for n in range(1, 30)} <= rows


@pytest.mark.parametrize(("claim_id", "expected"), sorted(EXPECTED.items()))
def test_verdicts_and_key_sources(
    claims: dict[str, m.Claim], claim_id: str, expected: tuple[m.Verdict, str]
) -> None:
    verdict, source = expected
    claim = claims[claim_id]
    assert claim.verdict is verdict
    assert source in claim.sources


def test_nmda_claim_cites_reactome_too(claims: dict[str, m.Claim]) -> None:
    assert {"nowak-1984", "reactome-nmda-mg"} <= set(claims["claim-mg-activates-nmda"].sources)


def test_every_claim_cites_its_article(claims: dict[str, m.Claim]) -> None:
    for claim in claims.values():
        assert claim.article in ARTICLES, claim.id
        assert f"article-{claim.article}" in claim.sources, claim.id


def test_every_article_has_claims(claims: dict[str, m.Claim]) -> None:
    assert {claim.article for claim in claims.values()} == set(ARTICLES)


def test_every_cited_source_exists(claims: dict[str, m.Claim], source_ids: set[str]) -> None:
    missing = {
        (claim.id, sid)
        for claim in claims.values()
        for sid in claim.sources
        if sid not in source_ids
    }
    assert missing == set()


def test_no_claim_is_supported_by_its_article_alone(claims: dict[str, m.Claim]) -> None:
    # An article is cited for what it claims, never as evidence for its own claim.
    for claim in claims.values():
        if claim.verdict in {m.Verdict.supported, m.Verdict.partly_supported}:
            evidence = [s for s in claim.sources if not s.startswith("article-")]
            if claim.id == "claim-talk-therapy-cbt":  # pilot trials, unverified: very_low
                assert claim.evidence is m.Evidence.very_low
                continue
            if claim.id == "claim-ketamine-bdnf-synaptogenesis":  # rodent data, unverified
                assert claim.evidence is m.Evidence.animal_only
                continue
            assert evidence, claim.id


def test_unsupported_claims_do_not_claim_strong_evidence(claims: dict[str, m.Claim]) -> None:
    strong = {m.Evidence.high, m.Evidence.moderate}
    for claim in claims.values():
        if claim.verdict is m.Verdict.unsupported and claim.evidence in strong:
            # Allowed only where good trials show the claim overreaches (durability).
            assert claim.id == "claim-ketamine-six-month-durability", claim.id


def test_claim_sources_file_does_not_duplicate_core(sections: dict[str, list[Located]]) -> None:
    ids = [located.record.id for located in sections["sources"]]
    assert len(ids) == len(set(ids))


# Article 002's kratom figures: labelled wherever shown, and never advice (issue 7).
SURVEY_LABEL = "most commonly self-reported dose in a survey, not a safety threshold"
ONE_TO_THREE_G = re.compile(r"\b1\s*[–-]\s*3\s*(g|grams)\b")


def test_every_mention_of_the_1_to_3_g_figure_carries_its_label(kb: KnowledgeBase) -> None:
    mentions = [c for c in kb.claims.values() if ONE_TO_THREE_G.search(f"{c.text} {c.explanation}")]
    assert [c.id for c in mentions] == ["claim-kratom-safe-dose-1-3g"]
    for claim in mentions:
        assert claim.label is not None and SURVEY_LABEL in " ".join(claim.label.split())
        assert SURVEY_LABEL in " ".join(claim.explanation.split())
        assert claim.verdict == m.Verdict.misframed
    for record in kb.cited_records():  # nowhere else in the knowledge base
        if not isinstance(record, m.Claim):
            text = json.dumps(record.model_dump(mode="json"), ensure_ascii=False)
            assert not ONE_TO_THREE_G.search(text), record.id


def test_magnesium_potentiating_kratom_is_unsupported_and_never_advice(kb: KnowledgeBase) -> None:
    claim = kb.claims["claim-mg-potentiates-kratom"]
    assert claim.verdict == m.Verdict.unsupported and claim.evidence == m.Evidence.none
    assert claim.label is not None and "Not advice" in claim.label
    assert all(g.claim != claim.id for g in kb.goals.values())
    assert all(claim.id not in f.claims for f in kb.forms.values())
    advice = [n.text for n in kb.notes.values()] + [g.why for g in kb.goals.values()]
    assert not any("potentiat" in text.casefold() for text in advice)


def _claims_output(*args: str) -> str:
    app = typer.Typer()
    kb_cli.register(app)
    result = CliRunner().invoke(
        app, ["kb", "claims", "--article", "002", *args], env={"COLUMNS": "400"}
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_kb_claims_shows_the_labels_beside_the_claims() -> None:
    rows = {c["id"]: c for c in json.loads(_claims_output("--json"))}
    assert SURVEY_LABEL in " ".join(rows["claim-kratom-safe-dose-1-3g"]["label"].split())
    assert rows["claim-mg-potentiates-kratom"]["verdict"] == "unsupported"
    table = _claims_output()
    assert SURVEY_LABEL in table
    potentiate = next(line for line in table.splitlines() if "potentiate kratom" in line)
    assert "unsupported" in potentiate

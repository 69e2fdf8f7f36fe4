"""The packaged knowledge base validates, cites and cross-references."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from neurogarden.kb.base import KnowledgeBase, UnknownName
from neurogarden.kb.problems import DATA_DIR

FORMS = [
    "oxide",
    "hydroxide",
    "carbonate",
    "citrate",
    "glycinate",
    "bisglycinate",
    "malate",
    "chloride",
    "sulfate",
    "lactate",
    "aspartate",
    "taurate",
    "l-threonate",
    "gluconate",
    "orotate",
]


def test_packaged_kb_has_no_errors() -> None:
    _kb, problems = KnowledgeBase.load()
    assert [p for p in problems if p.level == "error"] == []


def test_every_cited_record_resolves_its_sources(kb: KnowledgeBase) -> None:
    for record in kb.cited_records():
        assert record.sources, record.id
        for sid in record.sources:
            assert sid in kb.sources, (record.id, sid)


@pytest.mark.parametrize("name", FORMS)
def test_every_form_the_issue_names_is_known(kb: KnowledgeBase, name: str) -> None:
    form = kb.forms.resolve(name)
    assert 0 < form.elemental_fraction < 1


def test_medicines_resolve_by_brand_and_generic(kb: KnowledgeBase) -> None:
    assert kb.medications.resolve("Cipro").id == "ciprofloxacin"
    assert kb.medications.resolve("Synthroid").id == "levothyroxine"
    assert "tetracycline" in kb.medications.resolve("Vibramycin").classes


def test_unknown_names_suggest_close_ones(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownName) as err:
        kb.medications.resolve("doxycyline")
    assert "doxycycline" in err.value.suggestions


def test_fluoroquinolone_separations_differ_per_drug(kb: KnowledgeBase) -> None:
    hours = {
        r.applies_to.medications[0]: (r.supplement_after_drug_hours, r.supplement_before_drug_hours)
        for r in kb.separations
        if r.applies_to.medications
    }
    assert hours["ciprofloxacin"] == (2, 6)
    assert hours["levofloxacin"] == (2, 2)
    assert hours["moxifloxacin"] == (4, 8)
    assert hours["atazanavir"] == (2, 1)


def test_the_nmda_claim_is_contradicted(kb: KnowledgeBase) -> None:
    claim = kb.claims["claim-mg-activates-nmda"]
    assert claim.verdict.value == "contradicted"
    assert "nowak-1984" in claim.sources


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_rule_without_a_source_is_reported_with_file_and_id(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "interactions.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    sources: [label-levofloxacin]\n", "    sources: []\n")
    path.write_text(text, encoding="utf-8")
    _kb, problems = KnowledgeBase.load(data)
    errors = [str(p) for p in problems if p.level == "error"]
    assert any(e.startswith("interactions.yaml: sep-levofloxacin: sources") for e in errors)


def test_a_dangling_source_id_is_reported(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "goals.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[tarleton-2017]", "[no-such-paper]"),
        encoding="utf-8",
    )
    _kb, problems = KnowledgeBase.load(data)
    assert any("goal-mood" in str(p) and "no-such-paper" in str(p) for p in problems)


def test_kb_check_covers_instruments_and_protocols(tmp_path: Path) -> None:
    import shutil

    from neurogarden.kb.load import load
    from neurogarden.kb.problems import DATA_DIR

    assert load()[1] == [p for p in load()[1] if p.level == "warning"]
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "protocols" / "kap-integration.yaml").write_text(
        (DATA_DIR / "protocols" / "kap-integration.yaml")
        .read_text(encoding="utf-8")
        .replace("sources: [spravato-label]", "sources: [no-such-label]", 1),
        encoding="utf-8",
    )
    (data / "instruments" / "gad7.yaml").write_text("instrument: [not, a, mapping]\n")
    found = [str(p) for p in load(data)[1] if p.level == "error"]
    assert any("kap-integration.yaml" in p and "no-such-label" in p for p in found), found
    assert any(p.startswith("instruments/gad7.yaml: instrument:") for p in found), found

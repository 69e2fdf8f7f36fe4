"""The recovery knowledge base: options with real sources and alert rules as data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from neurogarden.kb import models as m
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.instruments.loader import default_catalogue
from neurogarden.kb.load import load
from neurogarden.kb.problems import DATA_DIR
from neurogarden.kb.recovery_records import RecoveryAlertRule, combination_codes
from neurogarden.kb.recovery_rules import withdrawal_threshold
from neurogarden.recovery import options_note, recovery_options


def test_options_are_the_evidence_based_ones_with_sources(kb: KnowledgeBase) -> None:
    options = {o.id: o for o in recovery_options(kb)}
    assert list(options) == [
        "moud-buprenorphine",
        "moud-methadone",
        "moud-naltrexone-xr",
        "counselling-cbt",
        "mutual-support-groups",
    ]
    assert {options[i].kind for i in options} == {"medication", "counselling", "mutual_support"}
    for option_id in ("moud-buprenorphine", "moud-methadone", "moud-naltrexone-xr"):
        assert "opioid use disorder" in options[option_id].treats
        assert "fda-moud" in options[option_id].sources
    for option in options.values():
        verified = [kb.sources[s] for s in option.sources if kb.sources[s].verification != "U"]
        assert verified, option.id  # each option stands on a source that was read
        assert all(s.pmid or s.doi or s.url for s in verified)
        assert "kratom" not in option.name.casefold()
    assert "kratom-bup-case-2023" in options["moud-buprenorphine"].sources


def test_options_are_shown_as_information_for_the_clinician(kb: KnowledgeBase) -> None:
    note = options_note(kb)
    assert "as information, the clinician decides" in note.text
    assert "never recommends kratom" in note.text


def test_the_withdrawal_threshold_comes_from_the_cows_definition(kb: KnowledgeBase) -> None:
    rule = kb.recovery_rules["withdrawal"]
    cows = default_catalogue().instruments["cows"]
    assert (rule.instrument, rule.from_band) == ("cows", "moderate")
    assert withdrawal_threshold(rule, cows) == 13
    assert "13-24" in rule.basis and "wesson-ling-2003" in rule.sources


def test_rising_use_window_is_data_with_a_stated_basis(kb: KnowledgeBase) -> None:
    rule = kb.recovery_rules["rising_use"]
    assert rule.window_days == 7
    assert "no validated threshold" in rule.basis
    assert rule.evidence == m.Evidence.none  # honest: the rule is neurogarden's own


def test_new_combination_watches_block_level_substance_combinations(kb: KnowledgeBase) -> None:
    codes = combination_codes(kb, kb.recovery_rules["new_combination"])
    assert "kratom-with-sedatives" in codes
    assert "kratom-cyp3a" not in codes  # a warning, not a block
    assert "kratom-7oh-concentrated" not in codes  # a single substance, not a combination


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def test_a_withdrawal_band_the_instrument_lacks_is_a_problem(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / "recovery.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("from_band: moderate", "from_band: moderat"),
        encoding="utf-8",
    )
    assert [str(p) for p in load(data)[1] if "recovery" in str(p) and p.level == "error"] == [
        "recovery.yaml: recovery-cows-moderate: cows has no band 'moderat'"
    ]
    assert not [p for p in load()[1] if p.level == "error"]


def test_a_missing_alert_rule_is_a_problem(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / "recovery.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: rising_use", "kind: withdrawal"), encoding="utf-8")
    _kb, problems = KnowledgeBase.load(data)
    messages = [str(p) for p in problems]
    assert "recovery.yaml: recovery_rules: no rising_use rule" in messages
    assert any(
        msg.startswith("recovery.yaml: recovery-rising-use:") and "needs instrument" in msg
        for msg in messages
    )


def test_an_alert_rule_without_its_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="needs window_days"):
        RecoveryAlertRule(
            id="r",
            sources=("x",),
            evidence=m.Evidence.none,
            kind="rising_use",
            severity=m.Severity.warn,
            message="m",
            basis="b",
        )

"""Issue 12's additions to the KAP session gate (fact sheet H2, D4): bipolar disorder and
mania warn, an active substance use disorder warns and a past one informs (esketamine
label 5.3/9.2, never a block), lithium, valproate, carbamazepine and antipsychotics
inform, sedating psychotropics reach the other-sedatives warning."""

from __future__ import annotations

import pytest

from neurogarden.api import load_kb, load_profile, plan
from neurogarden.planning.result import Finding, Plan

KB = load_kb()
SESSION = {"start": "2026-11-20T10:00", "route": "sublingual"}
NEW_RULES = (
    "kap-bipolar-mania",
    "kap-substance-use-disorder",
    "kap-substance-use-disorder-remission",
    "kap-lithium-valproate",
    "kap-carbamazepine",
    "kap-antipsychotic",
)


def session_plan(conditions: tuple[str, ...] = (), medications: tuple[str, ...] = ()) -> Plan:
    profile = {
        "person": {"age": 40, "sex": "female", "conditions": list(conditions)},
        "timezone": "UTC",
        "goals": ["sleep"],
        "medications": [{"name": name} for name in medications],
        "sessions": [SESSION],
    }
    return plan(load_profile(profile, kb=KB), kb=KB)


def gate(result: Plan) -> dict[str, str]:
    return {f.code: f.severity for f in result.findings if f.code.startswith("kap-")}


def finding(result: Plan, code: str) -> Finding:
    return next(f for f in result.findings if f.code == code)


# --- bipolar disorder and mania ------------------------------------------------------------


@pytest.mark.parametrize(
    "condition", ["bipolar disorder", "bipolar", "bipolar II disorder", "history of mania",
                  "hypomania"],
)  # fmt: skip
def test_bipolar_or_mania_warns_and_names_mania(condition: str) -> None:
    result = session_plan(conditions=(condition,))
    assert gate(result) == {"kap-bipolar-mania": "warn"}
    f = finding(result, "kap-bipolar-mania")
    assert "mania" in f.message.lower()
    assert f.evidence == "very_low"
    assert {"elektd-2023", "bhatt-2021-mania"} <= set(f.sources)


def test_bipolar_with_lithium_warns_and_informs() -> None:
    result = session_plan(conditions=("bipolar disorder",), medications=("Lithobid",))
    assert gate(result) == {"kap-bipolar-mania": "warn", "kap-lithium-valproate": "info"}


# --- substance use disorders: never a block ------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    ["substance use disorder", "addiction", "active substance use disorder",
     "opioid use disorder", "alcohol use disorder"],
)  # fmt: skip
def test_active_sud_warns_with_the_abuse_warning(condition: str) -> None:
    result = session_plan(conditions=(condition,))
    assert gate(result) == {"kap-substance-use-disorder": "warn"}
    f = finding(result, "kap-substance-use-disorder")
    assert "abuse and misuse" in f.message and "not a contraindication" in f.message
    assert "spravato-pi-2019" in f.sources
    assert not result.has_block()


@pytest.mark.parametrize(
    "condition",
    ["past substance use disorder", "sud in remission", "history of addiction",
     "opioid use disorder in remission", "alcohol use disorder in remission"],
)  # fmt: skip
def test_past_sud_is_info_only(condition: str) -> None:
    result = session_plan(conditions=(condition,))
    assert gate(result) == {"kap-substance-use-disorder-remission": "info"}
    assert "9.2" in finding(result, "kap-substance-use-disorder-remission").message


def test_the_active_condition_no_longer_means_past_too() -> None:
    active = KB.conditions.by_id["substance-use-disorder"]
    assert "current" in active.description.lower()
    assert KB.conditions.resolve("past substance use disorder").id == (
        "substance-use-disorder-remission"
    )


# --- mood stabilisers and antipsychotics ---------------------------------------------------------


@pytest.mark.parametrize("med", ["lithium", "lithium carbonate", "valproate", "Depakote"])
def test_lithium_and_valproate_inform_no_harm_shown(med: str) -> None:
    result = session_plan(medications=(med,))
    assert gate(result) == {"kap-lithium-valproate": "info"}
    f = finding(result, "kap-lithium-valproate")
    assert "no harm" in f.message.lower()
    assert {"xu-2015-lithium-valproate", "lithium-continuation-2019"} <= set(f.sources)


def test_carbamazepine_informs_as_an_inference() -> None:
    result = session_plan(medications=("Tegretol",))
    assert gate(result) == {"kap-carbamazepine": "info"}
    f = finding(result, "kap-carbamazepine")
    assert f.evidence == "derived" and "CYP3A4" in f.message


@pytest.mark.parametrize("med", ["Abilify", "haloperidol", "risperidone", "Latuda"])
def test_antipsychotic_informs_and_names_the_gap(med: str) -> None:
    result = session_plan(medications=(med,))
    assert gate(result) == {"kap-antipsychotic": "info"}
    f = finding(result, "kap-antipsychotic")
    assert "not been studied" in f.message and "did not" in f.message
    assert "krystal-1999-haloperidol" in f.sources


@pytest.mark.parametrize("med", ["Seroquel", "olanzapine", "clozapine"])
def test_sedating_antipsychotic_also_warns_of_sedation(med: str) -> None:
    assert gate(session_plan(medications=(med,))) == {
        "kap-antipsychotic": "info",
        "kap-other-sedatives": "warn",
    }


@pytest.mark.parametrize("med", ["trazodone", "Remeron", "amitriptyline"])
def test_sedating_antidepressant_warns_of_sedation(med: str) -> None:
    assert gate(session_plan(medications=(med,))) == {"kap-other-sedatives": "warn"}


@pytest.mark.parametrize("med", ["sertraline", "venlafaxine", "Wellbutrin", "Lamictal"])
def test_other_antidepressants_add_nothing_new(med: str) -> None:
    codes = gate(session_plan(medications=(med,)))
    assert not set(codes) & {*NEW_RULES, "kap-other-sedatives"}


def test_benzodiazepine_rule_is_unchanged() -> None:
    assert gate(session_plan(medications=("lorazepam",))) == {"kap-benzodiazepine": "warn"}


# --- the rules themselves -----------------------------------------------------------------------


def test_no_new_gate_rule_blocks_and_each_cites_a_verified_source() -> None:
    rules = {r.id: r for r in KB.effects if r.target == "kap_session"}
    for rid in NEW_RULES:
        rule = rules[rid]
        assert rule.severity.value in {"warn", "info"}, rid
        assert KB.files[rid] == "kap_gate.yaml"
        assert any(KB.sources[s].verification == "V" for s in rule.sources), rid


def test_no_session_no_new_findings() -> None:
    profile = {
        "person": {"age": 40, "sex": "female", "conditions": ["bipolar disorder", "sud"]},
        "timezone": "UTC",
        "goals": ["sleep"],
        "medications": [{"name": "quetiapine"}, {"name": "lithium"}],
    }
    result = plan(load_profile(profile, kb=KB), kb=KB)
    assert gate(result) == {}

"""The safety gate before a ketamine session: every rule, its severity and its sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from neurogarden.kb.base import KnowledgeBase
from neurogarden.planning.result import Plan
from neurogarden.profile import ProfileError

SESSION = [{"start": "2026-11-23T10:00:00", "route": "sublingual", "setting": "clinic"}]


def gate(plan: Plan) -> dict[str, str]:
    return {f.code: f.severity for f in plan.findings if f.code.startswith("kap-")}


@pytest.mark.parametrize(
    ("condition", "code"),
    [
        ("psychosis", "kap-psychosis-history"),
        ("schizophrenia", "kap-psychosis-history"),
        ("pregnancy", "kap-pregnancy"),
        ("breastfeeding", "kap-lactation"),
        ("aortic aneurysm", "kap-aneurysm-avm"),
        ("arteriovenous malformation", "kap-aneurysm-avm"),
        ("history of intracerebral haemorrhage", "kap-intracerebral-haemorrhage"),
        ("ketamine allergy", "kap-hypersensitivity"),
    ],
)
def test_conditions_that_block(make_plan: Callable[..., Plan], condition: str, code: str) -> None:
    plan = make_plan(person={"conditions": [condition]}, sessions=SESSION)
    assert gate(plan)[code] == "block"
    assert plan.has_block()


@pytest.mark.parametrize(
    ("flag", "code"), [("pregnant", "kap-pregnancy"), ("lactating", "kap-lactation")]
)
def test_pregnancy_and_lactation_flags_block_like_the_conditions(
    make_plan: Callable[..., Plan], flag: str, code: str
) -> None:
    assert gate(make_plan(person={flag: True}, sessions=SESSION))[code] == "block"


@pytest.mark.parametrize(
    ("section", "entry", "code"),
    [
        ("person", {"conditions": ["uncontrolled hypertension"]}, "kap-uncontrolled-hypertension"),
        ("medications", [{"name": "lorazepam", "dose": "1 mg"}], "kap-benzodiazepine"),
        ("medications", [{"name": "Adderall"}], "kap-stimulant"),
        ("medications", [{"name": "methylphenidate"}], "kap-stimulant"),
        ("medications", [{"name": "phenelzine"}], "kap-maoi"),
        ("medications", [{"name": "oxycodone"}], "kap-opioid"),
        ("medications", [{"name": "buprenorphine"}], "kap-opioid"),
        ("medications", [{"name": "zolpidem"}], "kap-other-sedatives"),
        ("medications", [{"name": "gabapentin"}], "kap-other-sedatives"),
        ("substances", [{"name": "wine", "frequency": "weekly"}], "kap-alcohol"),
        ("substances", [{"name": "street benzos"}], "kap-other-sedatives"),
        ("substances", [{"name": "heroin"}], "kap-opioid"),
        ("substances", [{"name": "cocaine"}], "kap-stimulant"),
        ("substances", [{"name": "kratom", "frequency": "daily"}], "kap-kratom"),
        ("substances", [{"name": "7-OH"}], "kap-kratom"),
    ],
)
def test_rules_that_warn(
    make_plan: Callable[..., Plan], section: str, entry: Any, code: str
) -> None:
    plan = make_plan(**{section: entry}, sessions=SESSION)
    assert gate(plan)[code] == "warn"


def test_lamotrigine_is_info(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(medications=[{"name": "Lamictal"}], sessions=SESSION)
    assert gate(plan) == {"kap-lamotrigine": "info"}
    assert not plan.has_block()


@pytest.mark.parametrize(("age", "blocked"), [(17, True), (18, False)])
def test_age_under_18_blocks(make_plan: Callable[..., Plan], age: int, blocked: bool) -> None:
    codes = gate(make_plan(person={"age": age}, sessions=SESSION))
    assert ("kap-age-under-18" in codes) is blocked
    if blocked:
        assert codes["kap-age-under-18"] == "block"


def test_no_session_no_gate(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(person={"conditions": ["psychosis"]}, medications=[{"name": "lorazepam"}])
    assert gate(plan) == {}
    assert plan.windows == () and plan.events == ()


def test_every_gate_finding_is_cited_from_the_bibliography(
    make_plan: Callable[..., Plan], kb: KnowledgeBase
) -> None:
    plan = make_plan(
        person={"age": 17, "conditions": ["psychosis", "aneurysm", "uncontrolled hypertension"]},
        medications=[{"name": "lorazepam"}, {"name": "lamotrigine"}, {"name": "phenelzine"}],
        substances=[{"name": "alcohol"}, {"name": "kratom"}],
        sessions=SESSION,
    )
    found = [f for f in plan.findings if f.code.startswith("kap-")]
    assert {f.severity for f in found} == {"block", "warn", "info"}
    for f in found:
        assert f.sources and all(s in kb.sources for s in f.sources)
        assert f.evidence
        assert all(s in plan.references for s in f.sources)


def test_gate_rules_are_data(kb: KnowledgeBase) -> None:
    rules = [r for r in kb.effects if r.target == "kap_session"]
    assert {r.severity.value for r in rules} == {"block", "warn", "info"}
    assert all(kb.files[r.id] == "kap_gate.yaml" for r in rules)


# --- overrides -----------------------------------------------------------------------------


def test_a_clinicians_override_marks_the_block_and_clears_it(
    make_plan: Callable[..., Plan],
) -> None:
    plan = make_plan(
        person={"conditions": ["psychosis"]},
        sessions=SESSION,
        overrides=[
            {
                "code": "kap-psychosis-history",
                "reason": "single drug-induced episode 2009, reviewed",
                "by": "Dr A. Rivera",
            }
        ],
    )
    finding = next(f for f in plan.findings if f.code == "kap-psychosis-history")
    assert finding.severity == "block"
    assert finding.overridden is not None
    assert finding.overridden.by == "Dr A. Rivera"
    assert "2009" in finding.overridden.reason
    assert not plan.has_block()
    dumped = plan.model_dump(mode="json")
    assert any(f["overridden"] for f in dumped["findings"])


def test_an_override_covers_only_its_own_block(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(
        person={"age": 17, "conditions": ["psychosis"]},
        sessions=SESSION,
        overrides=[
            {"code": "kap-age-under-18", "reason": "specialist adolescent service", "by": "Dr B"}
        ],
    )
    assert plan.has_block()  # psychosis still blocks


@pytest.mark.parametrize("code", ["kap-psychosis-history", "kap-alcohol", "made-up"])
def test_an_override_that_matches_no_block_is_an_input_error(
    make_plan: Callable[..., Plan], code: str
) -> None:
    with pytest.raises(ProfileError) as err:
        make_plan(
            substances=[{"name": "alcohol"}],
            sessions=SESSION,
            overrides=[{"code": code, "reason": "because", "by": "Dr C"}],
        )
    assert err.value.field == "overrides[0].code"

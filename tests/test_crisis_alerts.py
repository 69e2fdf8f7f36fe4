"""A safety rule with crisis resources raises the clinician's crisis alert whatever the
instrument: PHQ-9 item 9, or a second definition that carries such a rule. The alert
is derived from the typed score stored with the response. On SQLite and PostgreSQL."""

from __future__ import annotations

from neurogarden.clinic import directory, patient_state, records
from neurogarden.clinic.demo import CLINIC_SLUG
from neurogarden.kb.instruments.models import Citation, Condition, SafetyRule
from neurogarden.storage import clinic as store
from webkit import World, client, sign_in

pytest_plugins = ("webkit",)

RULE = SafetyRule(
    id="gad7-crisis-test",
    when=Condition(ref="q1", op="ge", value=3),
    level="urgent",
    message="Item 1 was answered 'nearly every day' on a form that asks for same-day contact.",
    action="Call the patient today and share crisis resources.",
    crisis_resources=True,
    source=Citation(citation="A clinic's own rule, for this test", original=True, verification="C"),
)


def alerts_of(world: World, public_id: str) -> list[records.Alert]:
    with world.database.session() as s:
        patient = directory.patient(s, public_id)
        assert patient is not None
        return patient_state.load_state(s, patient, directory.clinic_by_slug(s, CLINIC_SLUG)).alerts


def test_a_crisis_rule_on_another_instrument_raises_the_same_alert(world: World) -> None:
    gad7 = records.instrument("gad7")
    assert gad7 is not None and not any(r.crisis_resources for r in gad7.safety)
    with_rule = gad7.model_copy(update={"safety": (*gad7.safety, RULE)})
    assert not [a for a in alerts_of(world, world.maya) if a.kind == "crisis"]
    with world.database.session() as s:
        patient = directory.patient(s, world.maya)
        user = directory.account(s, "dr.okafor")
        clinic = directory.clinic_by_slug(s, CLINIC_SLUG)
        assert patient is not None and user is not None
        answers = {f"q{i}": 3 if i == 1 else 0 for i in range(1, 8)} | {"difficulty": 0}
        record, row = records.save_response(s, patient, clinic, user, with_rule, answers)
        s.commit()
        assert row.flagged and record.score.flags[0].resources is not None
    crisis = [a for a in alerts_of(world, world.maya) if a.kind == "crisis"]
    assert len(crisis) == 1 and crisis[0].rank == 0
    c = client(world.app)
    sign_in(c, "maya")
    today = c.get(f"/patients/{world.maya}/today").text
    assert 'class="crisis"' in today and "988" in today
    assert crisis[0].text.startswith("GAD-7 on ")
    assert "same-day contact" in crisis[0].text and "Call the patient today" in crisis[0].text


def test_the_item_9_flag_is_a_crisis_alert_in_the_rules_words(world: World) -> None:
    crisis = [a for a in alerts_of(world, world.sam) if a.kind == "crisis"]
    assert len(crisis) == 1
    assert crisis[0].text.startswith("PHQ-9 on ") and "Item 9 was endorsed" in crisis[0].text
    assert "C-SSRS" in crisis[0].text


def test_latest_profiles_in_one_query_match_one_at_a_time(world: World) -> None:
    with world.database.session() as s:
        clinic = store.clinic_by_slug(s, CLINIC_SLUG)
        assert clinic is not None
        ids = [p.id for p in store.patients_of_clinic(s, clinic.id)]
        together = store.latest_profiles(s, ids)
        one_by_one = {i: row for i in ids if (row := store.latest_profile(s, i)) is not None}
        assert {i: r.version for i, r in together.items()} == {
            i: r.version for i, r in one_by_one.items()
        }
        assert len(together) >= 10

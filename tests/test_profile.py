"""Profile validation: every bad input names its field; nothing unknown is skipped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from neurogarden.kb.base import KnowledgeBase
from neurogarden.profile import Profile, ProfileError

MakeProfile = Callable[..., Profile]


def error_of(make_profile: MakeProfile, **overrides: Any) -> ProfileError:
    with pytest.raises(ProfileError) as err:
        make_profile(**overrides)
    return err.value


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"person": {"age": 200}}, "person.age", "less than or equal to 120"),
        ({"person": {"age": None}}, "person.age", "required"),
        ({"person": {"sex": "other"}}, "person.sex", "'female' or 'male'"),
        ({"person": {"egfr": -3}}, "person.egfr", "expected 0–200"),
        ({"person": {"weight": "68"}}, "person.weight", "no unit"),
        (
            {"person": {"conditions": ["insomnai"]}},
            "person.conditions[0]",
            "did you mean 'insomnia'",
        ),
        (
            {"medications": [{"name": "doxycyline"}]},
            "medications[0].name",
            "did you mean 'doxycycline'",
        ),
        (
            {"medications": [{"name": "doxycycline", "times": ["8am"]}]},
            "medications[0].times",
            "24-hour",
        ),
        (
            {"supplements": [{"name": "magnesium oxide", "amount": "400"}]},
            "supplements[0].amount",
            "no unit",
        ),
        (
            {"supplements": [{"name": "magnesium oxide", "amount": 400}]},
            "supplements[0].amount",
            "400 has no unit; write it with one, e.g. '400 mg'",
        ),
        (
            {"supplements": [{"name": "magnesium oxide", "amount": "2000 g"}]},
            "supplements[0].amount",
            "not a plausible",
        ),
        ({"supplements": [{"name": "magnesium oxide"}]}, "supplements[0].amount", "required"),
        (
            {"supplements": [{"name": "magnesium glycinat", "amount": "1 g"}]},
            "supplements[0].name",
            "did you mean 'magnesium glycinate'",
        ),
        ({"substances": [{"name": "kratomm"}]}, "substances[0].name", "did you mean 'kratom'"),
        ({"goals": ["sleeep"]}, "goals[0]", "sleep"),
        ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone"),
        ({"diet": [{"food": "pumpkin seedz", "amount": "1 oz"}]}, "diet[0].food", "did you mean"),
        ({"diet": [{"food": "banana", "amount": "2"}]}, "diet[0].amount", "portion"),
        (
            {"sessions": [{"start": "2026-12-01T10:00", "route": "smoked"}]},
            "sessions[0].route",
            "'iv'",
        ),
        ({"unexpected": 1}, "unexpected", "not a profile field"),
        ({"avoid": ["peanutz"]}, "avoid[0]", "did you mean"),
    ],
)
def test_bad_input_names_the_field(
    make_profile: MakeProfile, overrides: dict[str, Any], field: str, text: str
) -> None:
    err = error_of(make_profile, **overrides)
    assert err.field == field
    assert text in err.message


def test_male_cannot_be_pregnant(make_profile: MakeProfile) -> None:
    err = error_of(make_profile, person={"sex": "male", "pregnant": True})
    assert err.field == "person.pregnant"


def test_birth_date_gives_the_age(make_profile: MakeProfile) -> None:
    profile = make_profile(person={"age": None, "birth_date": "1991-04-02"})
    assert profile.age == 35  # on 2026-11-21


def test_pregnancy_as_a_condition_sets_the_flag(make_profile: MakeProfile) -> None:
    assert make_profile(person={"conditions": ["pregnant"]}).pregnant


def test_naive_session_times_take_the_profile_zone(make_profile: MakeProfile) -> None:
    profile = make_profile(sessions=[{"start": "2026-12-01T10:00", "route": "sublingual"}])
    assert profile.sessions[0].start.utcoffset() is not None
    assert profile.sessions[0].start.hour == 10


def test_portion_names_and_units_both_work(make_profile: MakeProfile) -> None:
    profile = make_profile(diet=[{"food": "banana", "amount": "2 medium"}])
    assert profile.diet[0].amount == "2 medium"


def test_profile_substances_take_dated_entries(make_profile: MakeProfile) -> None:
    profile = make_profile(
        substances=[
            {
                "name": "kratom",
                "frequency": "daily",
                "entries": [
                    {"date": "2026-11-01", "amount": "2 g"},
                    {"date": "2026-11-02", "amount": "3 g", "note": "stressful day"},
                ],
            },
            {"name": "alcohol", "amount": "2 drinks", "frequency": "weekly"},
        ]
    )
    kratom = profile.substances[0]
    assert [(e.day, e.amount) for e in kratom.entries] == [
        (date(2026, 11, 1), "2 g"),
        (date(2026, 11, 2), "3 g"),
    ]
    assert profile.substances[1].entries == ()
    assert kratom.entries[1].note == "stressful day"


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ({"date": "2026-11-01", "amount": "2"}, "substances[0].entries[1].amount", "no unit"),
        ({"date": "2026-12-01", "amount": "2 g"}, "substances[0].entries[1].date", "after today"),
        ({"amount": "2 g"}, "substances[0].entries[1].date", "required"),
        ({"date": "2026-11-01", "dose": "2 g"}, "substances[0].entries[1].dose", "not a profile"),
    ],
)
def test_bad_profile_entries_name_the_field(
    make_profile: MakeProfile, entry: dict[str, str], field: str, message: str
) -> None:
    entries = [{"date": "2026-11-01", "amount": "2 g"}, entry]
    with pytest.raises(ProfileError) as err:
        make_profile(substances=[{"name": "kratom", "entries": entries}])
    assert err.value.field == field and message in err.value.message


def test_validate_returns_every_error_with_its_field(kb: KnowledgeBase) -> None:
    from neurogarden.profile import validate

    profile, errors = validate(
        {
            "person": {"age": 40, "sex": "female", "conditions": ["insomnai"]},
            "medications": [{"name": "doxycyline", "dose": "nan mg"}],
            "supplements": [{"name": "magnesium glycinate", "amount": "400"}],
            "diet": [{"food": "pumpkin seeds", "amount": "1 bucket"}],
        },
        kb,
    )
    assert profile is None
    assert [e.field for e in errors] == [
        "person.conditions[0]",
        "medications[0].name",
        "medications[0].dose",
        "supplements[0].amount",
        "diet[0].amount",
    ]
    _, shape = validate({"person": {"sex": "x", "age": 500}, "goals": ["fly"]}, kb)
    assert {e.field for e in shape} == {"person.sex", "person.age", "goals[0]"}

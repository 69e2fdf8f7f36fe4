"""Recovery logs and dated profile entries: every bad input names its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from conftest import TODAY
from neurogarden.kb.base import KnowledgeBase
from neurogarden.profile import Profile, ProfileError
from neurogarden.recovery import (
    CravingEntry,
    UseEntry,
    log_from_profile,
    parse_cows,
    parse_log,
    parse_use,
)

DAY = "2026-11-20"
KRATOM = {"day": DAY, "substance": "kratom", "amount": "2 g"}


def error_of(kb: KnowledgeBase, log: dict[str, Any]) -> ProfileError:
    with pytest.raises(ProfileError) as err:
        parse_log(log, kb, today=TODAY)
    return err.value


def test_a_log_reads_names_and_aliases_as_knowledge_base_ids(kb: KnowledgeBase) -> None:
    log = parse_log(
        {
            "uses": [
                KRATOM,
                {"day": DAY, "substance": "beer", "amount": "3 drinks"},
                {"day": DAY, "substance": "7-OH", "amount": "10 mg", "note": "shot"},
                {"day": date(2026, 11, 19), "substance": "mitragynine"},
            ],
            "cravings": [{"day": DAY, "rating": 7}, {"day": "2026-11-19", "rating": "0"}],
            "attendance": [
                {"day": DAY, "kind": "support_group"},
                {"day": DAY, "kind": "counselling", "attended": False},
            ],
        },
        kb,
        today=TODAY,
    )
    assert [u.substance for u in log.uses] == [
        "kratom-leaf",
        "alcohol",
        "7-hydroxymitragynine",
        "kratom-leaf",
    ]
    assert log.uses[1].mg == 42_000  # a US standard drink is 14 g of ethanol
    assert log.uses[3].amount is None and log.uses[3].mg is None
    assert [c.rating for c in log.cravings] == [7, 0]
    assert log.attendance[1].attended is False and log.attendance[0].attended is True
    assert log.first_day == date(2026, 11, 19)


@pytest.mark.parametrize(
    ("log", "field", "message"),
    [
        (
            {"uses": [{**KRATOM, "substance": "kratum"}]},
            "uses[0].substance",
            "unknown substance 'kratum'; did you mean 'kratom'?",
        ),
        (
            {"uses": [KRATOM, {**KRATOM, "amount": "2"}]},
            "uses[1].amount",
            "expected an amount with a unit such as '2 g', got '2'",
        ),
        ({"uses": [{**KRATOM, "amount": 2}]}, "uses[0].amount", "such as '2 g', got 2"),
        ({"uses": [{**KRATOM, "amount": "2 scoops"}]}, "uses[0].amount", "such as '2 g'"),
        ({"uses": [{**KRATOM, "amount": "0 g"}]}, "uses[0].amount", "more than zero"),
        ({"uses": [{**KRATOM, "amount": "2 days"}]}, "uses[0].amount", "not a mass"),
        ({"uses": [{**KRATOM, "dose": "2 g"}]}, "uses[0].dose", "is not a field here"),
        ({"uses": [{"substance": "kratom"}]}, "uses[0].day", "is required"),
        ({"uses": [{**KRATOM, "day": "yesterday"}]}, "uses[0].day", "expected a date"),
        ({"uses": [{**KRATOM, "day": "2026-11-22"}]}, "uses[0].day", "is after today"),
        ({"uses": ["kratom"]}, "uses[0]", "expected a mapping"),
        ({"uses": {"kratom": "2 g"}}, "uses", "expected a list"),
        (
            {"cravings": [{"day": DAY, "rating": 11}]},
            "cravings[0].rating",
            "expected a whole number from 0 to 10",
        ),
        ({"cravings": [{"day": DAY, "rating": 7.5}]}, "cravings[0].rating", "from 0 to 10"),
        ({"cravings": [{"day": DAY, "rating": True}]}, "cravings[0].rating", "from 0 to 10"),
        ({"cravings": [{"day": DAY, "rating": "high"}]}, "cravings[0].rating", "from 0 to 10"),
        (
            {"cravings": [{"day": DAY, "rating": 3}, {"day": DAY, "rating": 4}]},
            "cravings[1].day",
            "already has a rating (cravings[0])",
        ),
        (
            {"attendance": [{"day": DAY, "kind": "therapy"}]},
            "attendance[0].kind",
            "expected 'counselling', 'support_group' or 'moud_visit', got 'therapy'",
        ),
        (
            {"attendance": [{"day": DAY, "kind": "counselling", "attended": "maybe"}]},
            "attendance[0].attended",
            "expected true or false",
        ),
        ({"drinks": []}, "drinks", "is not a recovery log field"),
    ],
)
def test_bad_log_input_names_the_field(
    kb: KnowledgeBase, log: dict[str, Any], field: str, message: str
) -> None:
    err = error_of(kb, log)
    assert (err.field, message in err.message) == (field, True), str(err)


def test_the_first_error_reads_as_one_line(kb: KnowledgeBase) -> None:
    err = error_of(kb, {"uses": [{**KRATOM, "substance": "kratum"}]})
    assert str(err) == "uses[0].substance: unknown substance 'kratum'; did you mean 'kratom'?"


def test_parse_use_alone_names_bare_fields(kb: KnowledgeBase) -> None:
    assert parse_use(KRATOM, kb).substance == "kratom-leaf"
    with pytest.raises(ProfileError) as err:
        parse_use({**KRATOM, "amount": "2"}, kb)
    assert err.value.field == "amount"


def test_the_models_refuse_bad_values_on_their_own() -> None:
    with pytest.raises(ValidationError, match="such as '2 g'"):
        UseEntry(day=date(2026, 11, 1), substance="kratom-leaf", amount="2")
    with pytest.raises(ValidationError):
        CravingEntry(day=date(2026, 11, 1), rating=11)
    with pytest.raises(ValidationError):
        UseEntry(day=date(2026, 11, 1), substance="kratom-leaf", amount="2 g", extra=1)  # type: ignore[call-arg]


def test_cows_totals_are_whole_numbers_in_the_definition_range() -> None:
    cows = parse_cows([{"day": "2026-11-20", "total": 14}, {"day": "2026-11-18", "total": 0}])
    assert cows == ((date(2026, 11, 18), 0.0), (date(2026, 11, 20), 14.0))
    for bad in (49, -1, 12.5, "14", True):
        with pytest.raises(ProfileError) as err:
            parse_cows([{"day": "2026-11-20", "total": bad}])
        assert err.value.field == "cows[0].total"
        assert "expected a whole number from 0 to 48 (the COWS range)" in err.value.message
    with pytest.raises(ProfileError) as err:
        parse_cows([{"day": "2026-11-20"}])
    assert (err.value.field, err.value.message) == ("cows[0].total", "is required")


MakeProfile = Callable[..., Profile]


def test_dated_profile_entries_become_a_log(make_profile: MakeProfile) -> None:
    profile = make_profile(
        substances=[
            {
                "name": "kratom",
                "entries": [
                    {"date": "2026-11-01", "amount": "2 g"},
                    {"date": "2026-11-02", "amount": "3 g", "note": "stressful day"},
                ],
            },
            {"name": "alcohol", "amount": "2 drinks", "frequency": "weekly"},
        ]
    )
    log = log_from_profile(profile)
    assert [(u.day, u.substance, u.amount) for u in log.uses] == [
        (date(2026, 11, 1), "kratom-leaf", "2 g"),
        (date(2026, 11, 2), "kratom-leaf", "3 g"),
    ]
    assert log.uses[1].note == "stressful day"

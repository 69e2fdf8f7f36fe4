"""Clinician alerts, read as a week-by-week story of one person's log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import pytest

from conftest import TODAY
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.instruments.loader import default_catalogue
from neurogarden.kb.instruments.models import InstrumentDefinition
from neurogarden.planning.result import Plan
from neurogarden.profile import Profile
from neurogarden.recovery import (
    CravingEntry,
    RecoveryAlert,
    RecoveryLog,
    UseEntry,
    log_findings,
    recovery_alerts,
)

COWS = default_catalogue().instruments["cows"]


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def uses(substance: str, amounts: Sequence[str | None], *, first: int) -> tuple[UseEntry, ...]:
    """One use a day from `first` days ago onwards."""
    return tuple(
        UseEntry(day=days_ago(first - i), substance=substance, amount=a)
        for i, a in enumerate(amounts)
    )


def alerts(
    log: RecoveryLog, cows: Sequence[tuple[date, float]] = (), kb: KnowledgeBase | None = None
) -> tuple[RecoveryAlert, ...]:
    return recovery_alerts(log, cows, (), (), TODAY, kb=kb)


def rising(log: RecoveryLog) -> list[RecoveryAlert]:
    return [a for a in alerts(log) if a.code == "recovery-rising-use"]


def test_kratom_2_g_for_a_week_then_4_g_for_a_week_is_rising_use() -> None:
    log = RecoveryLog(uses=uses("kratom-leaf", ["2 g"] * 7 + ["4 g"] * 7, first=13))
    (alert,) = rising(log)
    assert alert.severity == "warn" and alert.day == TODAY
    assert alert.message.startswith(
        "kratom: used on 7 of the last 7 days (28 g in all), "
        "against 7 of the 7 days before (14 g in all)."
    )
    assert alert.sources == ("samhsa-tip-63-ncbi",)


@pytest.mark.parametrize(
    ("before", "after"),
    [(["2 g"] * 7, ["2 g"] * 7), (["4 g"] * 7, ["2 g"] * 7), (["2 g"] * 7, ["2 g"] * 6)],
)
def test_steady_or_falling_use_is_not_rising(before: list[str], after: list[str]) -> None:
    log = RecoveryLog(
        uses=uses("kratom-leaf", before, first=13) + uses("kratom-leaf", after, first=6)
    )
    assert rising(log) == []


def test_more_days_with_use_is_rising_even_without_amounts() -> None:
    log = RecoveryLog(
        uses=uses("alcohol", [None] * 2, first=13) + uses("alcohol", [None] * 4, first=6)
    )
    (alert,) = rising(log)
    assert alert.message.startswith("alcohol: used on 4 of the last 7 days, against 2 of")


def test_amounts_are_compared_only_when_every_entry_has_one() -> None:
    log = RecoveryLog(
        uses=uses("kratom-leaf", ["2 g"] * 7, first=13)
        + uses("kratom-leaf", ["5 g"] * 6 + [None], first=6)
    )
    assert rising(log) == []  # same days; the last week's total is unknown


def test_drinks_are_counted_as_standard_drinks() -> None:
    log = RecoveryLog(
        uses=uses("alcohol", ["1 drinks"] * 2, first=10)
        + uses("alcohol", ["3 drinks"] * 2, first=3)
    )
    (alert,) = rising(log)
    assert "(6 drinks in all)" in alert.message and "(2 drinks in all)" in alert.message


def test_the_windows_split_seven_days_ago_from_six() -> None:
    previous = RecoveryLog(uses=uses("kratom-leaf", ["2 g"], first=7))
    assert rising(previous) == []  # 7 days ago belongs to the week before
    baseline = (CravingEntry(day=days_ago(7), rating=2),)
    this_week = RecoveryLog(uses=uses("kratom-leaf", ["2 g"], first=6), cravings=baseline)
    assert len(rising(this_week)) == 1


def test_a_log_without_a_baseline_week_does_not_call_use_rising() -> None:
    only_this_week = RecoveryLog(uses=uses("kratom-leaf", ["4 g"] * 5, first=4))
    assert rising(only_this_week) == []
    with_baseline = RecoveryLog(
        uses=only_this_week.uses, cravings=(CravingEntry(day=days_ago(10), rating=3),)
    )
    (alert,) = rising(with_baseline)
    assert "against 0 of the 7 days before" in alert.message


@pytest.mark.parametrize(("total", "alerted"), [(12, False), (13, True), (24, True), (37, True)])
def test_cows_13_alerts_and_12_does_not(total: int, alerted: bool) -> None:
    found = [a for a in alerts(RecoveryLog(), [(days_ago(1), float(total))])]
    assert bool(found) is alerted
    if alerted:
        (alert,) = found
        assert alert.code == "recovery-cows-moderate" and alert.day == days_ago(1)
        assert alert.message.startswith(f"COWS {total} on {days_ago(1)}")
        assert alert.sources == ("wesson-ling-2003", "ncbi-cows-nbk64244")


def test_the_latest_cows_counts_whatever_the_order() -> None:
    assert alerts(RecoveryLog(), [(days_ago(1), 14.0), (days_ago(5), 20.0)])
    assert not alerts(RecoveryLog(), [(days_ago(1), 10.0), (days_ago(5), 20.0)])
    same_day = [(days_ago(1), 14.0), (days_ago(1), 9.0)]
    assert alerts(RecoveryLog(), same_day)  # the highest of the latest day
    assert not alerts(RecoveryLog(), [(TODAY + timedelta(days=1), 30.0)])  # not yet


def _with_moderate_from(lowest: int) -> InstrumentDefinition:
    data = COWS.model_dump(exclude={"origin"})
    for band in data["scoring"]["bands"]:
        if band["label"] == "mild":
            band["max"] = lowest - 1
        if band["label"] == "moderate":
            band["min"] = lowest
    return InstrumentDefinition.model_validate(data)


def test_the_cows_threshold_follows_the_definition_not_the_code() -> None:
    moved = _with_moderate_from(15)
    cows = [(days_ago(1), 14.0)]
    assert recovery_alerts(RecoveryLog(), cows, (), (), TODAY, cows_definition=moved) == ()
    assert recovery_alerts(RecoveryLog(), cows, (), (), TODAY, cows_definition=COWS)


MakePlan = Callable[..., Plan]


def test_a_new_dangerous_combination_is_a_block_alert(make_plan: MakePlan) -> None:
    before = make_plan(substances=[{"name": "kratom"}]).findings
    now = make_plan(substances=[{"name": "kratom"}, {"name": "alcohol"}]).findings
    (alert,) = recovery_alerts(RecoveryLog(), (), before, now, TODAY)
    assert (alert.code, alert.severity, alert.day) == ("recovery-new-combination", "block", TODAY)
    assert alert.message.startswith("kratom, alcohol: Kratom with opioids")
    assert {"olsen-2019-mmwr", "fda-kratom"} <= set(alert.sources)
    assert recovery_alerts(RecoveryLog(), (), now, now, TODAY) == ()  # not new


def test_warnings_and_single_substances_are_not_new_combinations(make_plan: MakePlan) -> None:
    before = make_plan().findings
    midazolam = make_plan(
        substances=[{"name": "kratom"}], medications=[{"name": "midazolam"}]
    ).findings
    assert "kratom-cyp3a" in {f.code for f in midazolam}
    seven_oh = make_plan(substances=[{"name": "7-OH"}]).findings
    news = [
        a
        for a in recovery_alerts(RecoveryLog(), (), before, midazolam, TODAY)
        if a.code == "recovery-new-combination"
    ]
    assert len(news) == 1  # midazolam is also a benzodiazepine: the sedative rule fires
    assert "kratom-cyp3a" not in news[0].message
    assert recovery_alerts(RecoveryLog(), (), before, seven_oh, TODAY) == ()


def test_log_windows_find_a_combination_that_began_this_week(kb: KnowledgeBase) -> None:
    log = RecoveryLog(
        uses=uses("kratom-leaf", ["2 g"] * 14, first=13) + uses("alcohol", ["2 drinks"], first=2)
    )
    before = log_findings(log, kb, start=days_ago(13), end=days_ago(7))
    now = log_findings(log, kb, start=days_ago(6), end=TODAY)
    assert "kratom-with-sedatives" not in {f.code for f in before}
    assert "kratom-with-sedatives" in {f.code for f in now}
    codes = [a.code for a in recovery_alerts(log, (), before, now, TODAY)]
    assert codes == ["recovery-new-combination", "recovery-rising-use"]  # block first


def test_a_profile_medicine_joins_the_log_windows(
    kb: KnowledgeBase, make_profile: Callable[..., Profile]
) -> None:
    person = make_profile(medications=[{"name": "methadone"}])
    log = RecoveryLog(uses=uses("kratom-leaf", ["2 g"] * 3, first=2))
    now = log_findings(log, kb, start=days_ago(6), end=TODAY, profile=person)
    before = log_findings(log, kb, start=days_ago(13), end=days_ago(7), profile=person)
    (alert,) = recovery_alerts(log, (), before, now, TODAY)
    assert alert.message.startswith("kratom, methadone:")


def test_every_alert_cites_known_sources_and_sorts_deterministically(kb: KnowledgeBase) -> None:
    log = RecoveryLog(
        uses=uses("kratom-leaf", ["2 g"] * 7 + ["4 g"] * 7, first=13)
        + uses("alcohol", ["3 drinks"], first=1)
    )
    before = log_findings(log, kb, start=days_ago(13), end=days_ago(7))
    now = log_findings(log, kb, start=days_ago(6), end=TODAY)
    first = recovery_alerts(log, [(days_ago(1), 14.0)], before, now, TODAY)
    assert [a.severity for a in first] == ["block", "warn", "warn", "warn"]
    assert first == recovery_alerts(log, [(days_ago(1), 14.0)], before, now, TODAY)
    for alert in first:
        assert alert.sources and all(s in kb.sources for s in alert.sources)

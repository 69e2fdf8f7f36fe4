"""Response, remission and clinic rates, read as clinical sentences."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from neurogarden.instruments.outcomes import (
    Observation,
    PatientOutcome,
    change_from_baseline,
    clinic_summary,
    patient_series,
    series_from_records,
)
from neurogarden.instruments.records import record_response
from neurogarden.instruments.scoring import InputError
from neurogarden.kb.instruments.loader import default_catalogue

PHQ9 = default_catalogue().instruments["phq9"]
GAD7 = default_catalogue().instruments["gad7"]


def test_a_phq9_of_20_falling_to_9_is_a_response() -> None:
    change = change_from_baseline(PHQ9, 20, 9)
    assert change.response and not change.remission
    assert (change.change, change.change_pct) == (-11, -55.0)


def test_exactly_50_percent_is_a_response() -> None:
    assert change_from_baseline(PHQ9, 20, 10).response
    assert change_from_baseline(PHQ9, 2, 1).response
    assert not change_from_baseline(PHQ9, 20, 11).response
    assert change_from_baseline(PHQ9, 21, 10).response  # 52.4% fall
    assert not change_from_baseline(PHQ9, 21, 11).response  # 47.6% fall


def test_remission_is_below_5() -> None:
    assert change_from_baseline(PHQ9, 20, 4).remission
    assert not change_from_baseline(PHQ9, 20, 5).remission
    assert change_from_baseline(GAD7, 15, 4).remission
    assert not change_from_baseline(GAD7, 15, 5).remission


def test_baseline_zero_has_no_percent_and_no_response() -> None:
    change = change_from_baseline(PHQ9, 0, 0)
    assert change.change_pct is None and not change.response and change.remission
    assert change.note is not None and "baseline is 0" in change.note
    worse = change_from_baseline(PHQ9, 0, 6)
    assert (worse.change, worse.change_pct, worse.response) == (6, None, False)


def test_worsening_is_a_positive_change() -> None:
    assert change_from_baseline(PHQ9, 10, 15).change_pct == 50.0


@pytest.mark.parametrize(
    ("baseline", "current", "field"), [(28, 5, "baseline"), (10, -1, "current")]
)
def test_totals_outside_the_scale_are_refused(baseline: int, current: int, field: str) -> None:
    with pytest.raises(InputError) as caught:
        change_from_baseline(PHQ9, baseline, current)
    assert caught.value.field == field and "0–27" in str(caught.value)


def test_instruments_without_outcomes_are_refused() -> None:
    with pytest.raises(InputError, match="COWS defines no response/remission"):
        change_from_baseline(default_catalogue().instruments["cows"], 10, 2)


def obs(day: int, total: int) -> Observation:
    return Observation(day=date(2025, 1, day), total=total)


def test_series_reports_the_date_each_was_first_reached() -> None:
    series = patient_series(PHQ9, "P-1", [obs(20, 4), obs(1, 20), obs(8, 14), obs(13, 9)])
    assert [p.day.day for p in series.points] == [1, 8, 13, 20]  # sorted by date
    assert [p.severity for p in series.points] == ["severe", "moderate", "mild", "minimal"]
    assert series.response_date == date(2025, 1, 13)
    assert series.remission_date == date(2025, 1, 20)
    assert series.points[1].change.change_pct == -30.0


def test_baseline_alone_is_never_a_response() -> None:
    series = patient_series(PHQ9, "P-1", [obs(1, 3)])
    assert series.response_date is None and series.remission_date is None
    assert series.latest is None


def test_series_from_immutable_records() -> None:
    records = [
        record_response(
            PHQ9,
            answers,
            patient_id=pid,
            entered_by="self",
            taken_at=datetime(2025, 1, day, 9, tzinfo=UTC),
        )
        for pid, day, answers in [
            ("P-1", 1, [3, 3, 2, 2, 2, 2, 2, 2, 0]),
            ("P-1", 15, [1, 1, 1, 1, 1, 1, 1, 1, 0]),
            ("P-2", 15, [0] * 9),
        ]
    ]
    series = series_from_records(PHQ9, "P-1", records)
    assert [p.total for p in series.points] == [18, 8]
    assert series.response_date == date(2025, 1, 15)


def patient(pid: str, protocol: str, *totals: int) -> PatientOutcome:
    observations = [obs(1 + 7 * n, t) for n, t in enumerate(totals)]
    return PatientOutcome(protocol=protocol, series=patient_series(PHQ9, pid, observations))


def test_clinic_rates_overall_and_by_protocol_with_counts() -> None:
    patients = [
        patient("A", "IV 2x/week", 20, 12, 9),  # responder at endpoint
        patient("B", "IV 2x/week", 18, 4),  # responder and remitter
        patient("C", "IV 2x/week", 16, 7, 12),  # responded at week 1, not at endpoint
        patient("D", "IM + KAP", 22, 11),  # exactly 50%: responder
        patient("E", "IM + KAP", 0, 0),  # baseline 0: outside both denominators
        patient("F", "IM + KAP", 12),  # no follow-up
    ]
    summary = clinic_summary(PHQ9, patients, default_catalogue().references)
    overall = summary.overall
    assert (overall.patients, overall.response_eligible, overall.responders) == (5, 4, 3)
    assert overall.response_rate_pct == 75.0
    assert (overall.remission_eligible, overall.remitters, overall.remission_rate_pct) == (
        4,
        1,
        25.0,
    )
    assert summary.without_follow_up == 1
    rows = {row.group: row for row in summary.by_protocol}
    assert (rows["IV 2x/week"].responders, rows["IV 2x/week"].response_eligible) == (2, 3)
    assert (rows["IM + KAP"].responders, rows["IM + KAP"].response_eligible) == (1, 1)
    (reference,) = summary.references
    assert reference.response_rate_pct == 55.4 and reference.measure == "QIDS-SR16"
    assert reference.source.doi == "10.1056/NEJMoa2302399"
    assert "not the PHQ-9" in reference.caveat


def test_clinic_rates_with_nobody_eligible_are_none() -> None:
    summary = clinic_summary(PHQ9, [patient("E", "x", 0, 0)])
    assert summary.overall.response_rate_pct is None
    assert summary.overall.remission_rate_pct is None


def test_the_depression_reference_is_not_shown_for_gad7() -> None:
    summary = clinic_summary(GAD7, [], default_catalogue().references)
    assert summary.references == ()

"""Each patient's stored standing, and the clinic rates and export read from it: the
same numbers the outcome rules give from every score, whether kept response by
response or rebuilt in bulk, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogarden.clinic import outcomes, records, standings
from neurogarden.clinic.demo import load_demo
from neurogarden.clinic.values import Account, ClinicInfo, PatientInfo
from neurogarden.clinic.visit import SignedInVisit
from neurogarden.instruments.outcomes import (
    ClinicSummary,
    Observation,
    PatientOutcome,
    clinic_summary,
    patient_series,
)
from neurogarden.kb.instruments.loader import default_catalogue
from neurogarden.storage import clinic as store
from neurogarden.storage import meta
from neurogarden.storage import sessions as session_store
from neurogarden.storage import standings as standing_store
from neurogarden.storage.clinic import Database

pytest_plugins = ("dbs",)  # db_url: SQLite and PostgreSQL

PHQ9 = default_catalogue().instruments["phq9"]
DAY = datetime(2026, 1, 5, 9, tzinfo=UTC)
totals = st.lists(st.integers(min_value=0, max_value=27), min_size=0, max_size=6)


@given(st.lists(st.tuples(st.booleans(), totals), max_size=12))
def test_clinic_rates_count_what_the_phq9_outcome_definitions_say(
    patients: list[tuple[bool, list[int]]],
) -> None:
    """Against the definitions themselves (Kroenke 2001; trials' endpoint convention):
    response is a fall of at least 50% from a baseline above 0, remission a latest
    total below 5 among those not in remission at baseline."""
    outcomes_in = [
        PatientOutcome(
            protocol="kap" if kap else "none",
            series=patient_series(
                PHQ9,
                "p",
                [
                    Observation(day=(DAY + timedelta(days=7 * k)).date(), total=v)
                    for k, v in enumerate(series)
                ],
            ),
        )
        for kap, series in patients
    ]
    summary = clinic_summary(PHQ9, outcomes_in)
    followed = [s for _, s in patients if len(s) > 1]
    assert summary.overall.patients == len(followed)
    assert summary.without_follow_up == len(patients) - len(followed)
    assert summary.overall.response_eligible == sum(s[0] > 0 for s in followed)
    assert summary.overall.responders == sum(s[0] > 0 and 2 * s[-1] <= s[0] for s in followed)
    assert summary.overall.remission_eligible == sum(s[0] >= 5 for s in followed)
    assert summary.overall.remitters == sum(s[0] >= 5 and s[-1] < 5 for s in followed)
    for row in summary.by_protocol:
        mine = [s for kap, s in patients if len(s) > 1 and ("kap" if kap else "none") == row.group]
        assert row.patients == len(mine) > 0
        assert row.responders == sum(s[0] > 0 and 2 * s[-1] <= s[0] for s in mine)


@dataclass
class Clinic:
    database: Database
    visit: SignedInVisit


@pytest.fixture
def clinic(db_url: str) -> Iterator[Clinic]:
    database = Database(db_url)
    database.migrate()
    load_demo(database)
    with database.session() as s:
        user, row = store.user_by_username(s, "dr.okafor"), store.clinic_by_slug(s, "demo")
        assert user is not None and row is not None
        visit = SignedInVisit(
            db=s, user=Account.of(user), clinic=ClinicInfo.of(row), patient=None,
            action="test", method="GET", path="/", audited=False,
        )  # fmt: skip
        s.rollback()  # hold no lock between the steps of a test
        try:
            yield Clinic(database, visit)
        finally:
            s.rollback()
            database.dispose()


def _answers(total: int) -> dict[str, int]:
    answers, left = {"difficulty": 1, "q9": 0}, total
    for i in range(1, 9):
        answers[f"q{i}"] = min(3, left)
        left -= answers[f"q{i}"]
    return answers


def _from_every_score(visit: SignedInVisit) -> ClinicSummary:
    """The rates as the outcome rules give them from every stored score."""
    s = visit.db
    with_kap = {
        p.id for p in store.patients_of_clinic(s, visit.clinic.id)
        if any(k.state != "cancelled" for k in session_store.sessions_of(s, p.id))
    }  # fmt: skip
    series = [
        PatientOutcome(
            protocol=outcomes.protocol_name(p.id in with_kap),
            series=patient_series(
                PHQ9,
                p.public_id,
                [
                    Observation(day=at.date(), total=v)
                    for at, v in standing_store.totals_of(s, p.id, "phq9")
                ],
            ),
        )
        for p in store.patients_of_clinic(s, visit.clinic.id)
    ]
    return clinic_summary(PHQ9, series, records.catalogue().references)


def test_stored_standings_give_the_rates_and_export_every_score_gives(clinic: Clinic) -> None:
    """Scores saved one by one in shuffled time order (a late entry of an older score
    changes the baseline), then a bulk rebuild: the rates, the export and the rebuilt
    standings all agree with the rules applied to every score."""
    visit, s = clinic.visit, clinic.visit.db
    rng = random.Random(11)
    patients = [PatientInfo.of(p) for p in store.patients_of_clinic(s, visit.clinic.id)]
    for patient in patients:
        days = list(range(rng.randint(0, 5)))
        rng.shuffle(days)
        for k in days:
            records.save_response(
                s, patient, visit.clinic, visit.user, PHQ9, _answers(rng.randint(0, 24)),
                taken_at=DAY - timedelta(days=400 - 30 * k),
            )  # fmt: skip
    s.commit()
    expected = _from_every_score(visit)
    assert outcomes.clinic_outcomes(visit) == expected
    assert expected.overall.patients >= 3 and expected.without_follow_up >= 1
    lines = outcomes.outcome_lines(visit)
    assert [line.patient for line in lines] == [p.public_id for p in patients]
    assert sum(line.latest is not None for line in lines) == expected.overall.patients
    s.rollback()  # end the read, so that the rebuild can write
    written = standings.rebuild(clinic.database, records.catalogue().instruments.values())
    s.expire_all()
    assert written >= len(patients) - expected.without_follow_up
    assert outcomes.outcome_lines(visit) == lines
    assert outcomes.clinic_outcomes(visit) == expected


def test_standings_are_rebuilt_when_the_knowledge_changes(clinic: Clinic) -> None:
    """Built against this knowledge, they are current; any other version (or none, as
    after the migration that adds them) makes them stale, so serve rebuilds them."""
    database = clinic.database
    assert standings.is_stale(database)  # the demo wrote standings, but never rebuilt
    standings.rebuild(database, records.catalogue().instruments.values())
    assert not standings.is_stale(database)
    with database.session() as s:
        meta.set_value(s, standings.KNOWLEDGE_KEY, "an older knowledge base")
        s.commit()
    assert standings.is_stale(database)


def test_a_maya_style_series_is_exported_with_its_standing(clinic: Clinic) -> None:
    """20 → 14 → 9 → 4: baseline 20, latest 4, −80%, responded and remitted."""
    visit, s = clinic.visit, clinic.visit.db
    patient = PatientInfo.of(store.add_patient(s, visit.clinic.id, "Series Test"))
    for k, total in enumerate([20, 14, 9, 4]):
        records.save_response(
            s, patient, visit.clinic, visit.user, PHQ9, _answers(total),
            taken_at=DAY + timedelta(days=14 * k),
        )  # fmt: skip
    (line,) = [x for x in outcomes.outcome_lines(visit) if x.patient == patient.public_id]
    assert (line.baseline, line.latest, line.change_pct) == (20.0, 4.0, -80.0)
    assert line.ever_responded and line.ever_remitted and line.protocol == "no KAP"

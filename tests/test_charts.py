"""Chart SVGs are compared with stored snapshots; NEUROGARDEN_UPDATE_SNAPSHOTS=1 rewrites them."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from neurogarden.cli import measure
from neurogarden.instruments.outcomes import (
    Observation,
    PatientOutcome,
    clinic_summary,
    patient_series,
)
from neurogarden.instruments.scoring import score
from neurogarden.instruments.series import Session, Window
from neurogarden.kb.instruments.loader import default_catalogue
from neurogarden.render import score_charts as charts

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("NEUROGARDEN_UPDATE_SNAPSHOTS") == "1"
CATALOGUE = default_catalogue()
PHQ9 = CATALOGUE.instruments["phq9"]
START = date(2025, 1, 6)


def check_snapshot(name: str, svg: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(svg, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"snapshot {name} was missing and has been written; re-run")
    assert svg == path.read_text(encoding="utf-8"), (
        f"{name} differs; if the change is intended run NEUROGARDEN_UPDATE_SNAPSHOTS=1 pytest"
    )


def patient_chart(fmt: str = "svg") -> charts.Chart:
    """Six twice-weekly sessions over three weeks, PHQ-9 weekly then at follow-up."""
    totals = [(0, 21), (7, 17), (14, 13), (21, 9), (35, 6), (56, 4)]
    series = patient_series(
        PHQ9, "P-001", [Observation(day=START + timedelta(d), total=t) for d, t in totals]
    )
    session_days = [START + timedelta(d) for d in (1, 4, 8, 11, 15, 18)]
    sessions = [Session(day=d, label=f"session {n}") for n, d in enumerate(session_days, 1)]
    windows = [Window(start=d, end=d + timedelta(1)) for d in session_days]
    return charts.patient_chart(PHQ9, series, sessions, windows, fmt=fmt)


def sleep_chart(fmt: str = "svg") -> charts.Chart:
    diary = CATALOGUE.instruments["sleep_diary"]
    rows = [
        ("23:30", "", 45, 3, 60, "05:40", "07:00"),
        ("23:00", "23:20", 30, 2, 40, "06:10", "06:45"),
        ("00:15", "", 20, 1, 15, "07:00", "07:20"),
        ("22:45", "", 15, 1, 10, "06:30", "06:50"),
    ]
    nights = [
        (START + timedelta(n), score(diary, [b, lo, str(s), str(a), str(w), f, r, "3"]))
        for n, (b, lo, s, a, w, f, r) in enumerate(rows)
    ]
    return charts.sleep_chart("P-001", nights, fmt=fmt)


def clinic_chart(fmt: str = "svg") -> charts.Chart:
    def outcome(pid: str, protocol: str, *totals: int) -> PatientOutcome:
        obs = [Observation(day=START + timedelta(21 * n), total=t) for n, t in enumerate(totals)]
        return PatientOutcome(protocol=protocol, series=patient_series(PHQ9, pid, obs))

    patients = [
        outcome("A", "IV ketamine 2x/week", 20, 9),
        outcome("B", "IV ketamine 2x/week", 18, 4),
        outcome("C", "IV ketamine 2x/week", 16, 12),
        outcome("D", "IM ketamine + KAP", 22, 11),
        outcome("E", "IM ketamine + KAP", 15, 14),
    ]
    summary = clinic_summary(PHQ9, patients, CATALOGUE.references)
    return charts.clinic_chart(PHQ9, summary, fmt=fmt)


BUILDERS = {"patient": patient_chart, "sleep": sleep_chart, "clinic": clinic_chart}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_chart_matches_snapshot(name: str) -> None:
    chart = BUILDERS[name]()
    check_snapshot(f"chart_{name}.svg", chart.svg)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_chart_is_deterministic_and_accessible(name: str) -> None:
    first, second = BUILDERS[name](), BUILDERS[name]()
    assert first.data == second.data
    svg = first.svg
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in svg
    assert f'<title id="chart-title">{first.title}</title>' in svg
    assert '<desc id="chart-desc">' in svg and "<dc:date>" not in svg
    assert first.title and len(first.alt) > 80


def test_patient_alt_text_says_what_the_chart_shows() -> None:
    alt = patient_chart().alt
    assert "Baseline 21 (severe)" in alt and "latest 4 (minimal)" in alt
    assert "Response first reached 2025-01-27" in alt
    assert "remission first reached 2025-03-03" in alt
    assert "6 sessions marked" in alt and "6 integration windows" in alt


def test_clinic_alt_text_names_the_reference_and_the_different_measure() -> None:
    alt = clinic_chart().alt
    assert "55.4% response on the QIDS-SR16, a different measure" in alt
    assert "response 60% (3 of 5)" in alt


def test_png_output() -> None:
    assert sleep_chart("png").data.startswith(b"\x89PNG\r\n\x1a\n")


def test_chart_command_writes_the_file_and_prints_alt_text(tmp_path: Path) -> None:
    series = tmp_path / "series.yaml"
    series.write_text(
        "kind: patient\ninstrument: phq9\npatient: P-9\n"
        "scores: [{day: 2025-01-01, total: 20}, {day: 2025-01-22, total: 9}]\n"
        "sessions: [{day: 2025-01-02}]\n",
        encoding="utf-8",
    )
    app = typer.Typer()
    measure.register(app)
    out = tmp_path / "out.svg"
    result = CliRunner().invoke(app, ["chart", str(series), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").count("<title") >= 1
    assert "patient P-9" in result.stdout and "Response first reached 2025-01-22" in result.stdout


PATIENT = "kind: patient\ninstrument: {}\npatient: x\nscores: {}\n"
BAD_SERIES = [
    (PATIENT.format("phq9", "[]"), "scores"),
    ("kind: nope\n", "kind"),
    (PATIENT.format("phq10", "[{day: 2025-01-01, total: 3}]"), "phq10"),
    (PATIENT.format("phq9", "[{day: 2025-01-01, total: 30}]"), "outside the PHQ-9 range"),
    (
        "kind: sleep\npatient: x\nnights: [{day: 2025-01-01, answers: {bedtime: '23:00'}}]\n",
        "night of 2025-01-01",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_SERIES)
def test_chart_command_bad_series_file(tmp_path: Path, text: str, message: str) -> None:
    series = tmp_path / "series.yaml"
    series.write_text(text, encoding="utf-8")
    app = typer.Typer()
    measure.register(app)
    result = CliRunner().invoke(app, ["chart", str(series), "-o", str(tmp_path / "o.svg")])
    assert result.exit_code == 2 and message in result.stderr
    assert result.stderr.count("\n") == 1

"""The .ics export: RFC 5545, byte-stable, UIDs from what each entry is, parsed back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from neurogarden.api import load_kb, load_profile, plan
from neurogarden.render.calendar import to_ics

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kap-session.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neurogarden", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip


def export(path: Path = EXAMPLE) -> bytes:
    kb = load_kb()
    profile = load_profile(path, kb=kb)
    return to_ics(plan(profile, kb=kb), profile)


def components(data: bytes, name: str) -> list[Calendar]:
    return [c for c in Calendar.from_ical(data).walk() if c.name == name]


def test_two_exports_are_identical() -> None:
    assert export() == export()


def test_it_parses_back_as_rfc5545() -> None:
    data = export()
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert "neurogarden" in str(cal["PRODID"])
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert components(data, "VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    assert Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()


def test_uids_are_unique_and_derived_from_content() -> None:
    data = export()
    uids = [str(c["UID"]) for c in components(data, "VEVENT") + components(data, "VTODO")]
    assert len(uids) == len(set(uids))
    assert all(u.endswith("@neurogarden") for u in uids)
    stamps = {c["DTSTAMP"].dt for c in components(data, "VEVENT")}
    assert len(stamps) == 1  # from the profile, not the clock


def test_daily_doses_recur_and_have_reminders() -> None:
    events = components(export(), "VEVENT")
    daily = [e for e in events if "RRULE" in e]
    assert daily and all(str(e["RRULE"]["FREQ"][0]) == "DAILY" for e in daily)
    assert all(e.walk("VALARM") for e in daily)
    assert all(str(e["DTSTART"].params["TZID"]) == "Europe/Berlin" for e in daily)


def test_sessions_windows_tasks_and_measures() -> None:
    data = export()
    summaries = [str(e["SUMMARY"]) for e in components(data, "VEVENT")]
    assert summaries.count("Ketamine session (sublingual)") == 2
    assert summaries.count("Integration window (48 h)") == 2
    assert summaries.count("No driving or machinery") == 2
    assert sum(s.startswith("PHQ-9") for s in summaries) == 6
    session = next(
        e for e in components(data, "VEVENT") if str(e["SUMMARY"]).startswith("Ketamine")
    )
    assert len(session.walk("VALARM")) == 2
    todos = components(data, "VTODO")
    assert todos and all("DUE" in t for t in todos)
    window = next(
        e for e in components(data, "VEVENT") if str(e["SUMMARY"]).startswith("Integration")
    )
    assert window["DTEND"].dt.isoformat() == "2026-10-26T09:00:00+01:00"  # across the DST change


def test_reduced_window_doses_are_excluded_from_the_recurring_series(tmp_path: Path) -> None:
    profile = tmp_path / "p.json"
    profile.write_text(
        json.dumps(
            {
                "person": {"age": 34, "sex": "female", "egfr": 90},
                "timezone": "Europe/Berlin",
                "goals": ["sleep", "mood"],
                "sessions": [{"start": "2026-11-23T10:00:00", "route": "iv"}],
            }
        )
    )
    data = export(profile)
    chloride = [e for e in components(data, "VEVENT") if "chloride" in str(e["SUMMARY"])]
    series = next(e for e in chloride if "RRULE" in e)
    assert "EXDATE" in series
    assert any("Skip magnesium chloride" in str(e["SUMMARY"]) for e in components(data, "VEVENT"))


def test_cli_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    result = run("calendar", str(EXAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == export()
    again = tmp_path / "again.ics"
    run("calendar", str(EXAMPLE), "-o", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_cli_bad_protocol_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "clinic.yaml"
    bad.write_text("protocol: {id: x}\n")
    for command in ("calendar", "plan", "check"):
        result = run(command, str(EXAMPLE), "--protocol", str(bad))
        assert result.returncode == 2, command
        assert len(result.stderr.strip().splitlines()) == 1 and "clinic.yaml" in result.stderr


def test_plan_text_shows_the_window_timeline() -> None:
    result = run("plan", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "Integration window 2026-10-24 10:00" in result.stdout
    assert "Day 2, Sun 25 Oct" in result.stdout


def test_example_plan_json() -> None:
    result = run("plan", str(EXAMPLE), "--json")
    data = json.loads(result.stdout)
    assert len(data["windows"]) == 2 and len(data["events"]) == 6
    for w in data["windows"]:
        assert w["totals"]["magnesium"]["supplemental_mg"] <= 350

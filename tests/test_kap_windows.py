"""Integration windows and follow-up events: 48 elapsed hours in the profile's zone,
across midnight and daylight-saving changes, with a graded checklist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from neurogarden.api import plan as make_full_plan
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.protocol import DEFAULT_PROTOCOL, ProtocolError, load_protocol
from neurogarden.planning.result import Plan, Window
from neurogarden.profile import Profile


def session(start: str) -> list[dict[str, str]]:
    return [{"start": start, "route": "iv"}]


def only_window(plan: Plan) -> Window:
    assert len(plan.windows) == 1
    window = plan.windows[0]
    assert isinstance(window, Window)
    return window


def elapsed_hours(w: Window) -> float:
    start, end = datetime.fromisoformat(w.start), datetime.fromisoformat(w.end)
    return (end - start) / timedelta(hours=1)


def test_window_across_midnight(make_plan: Callable[..., Plan]) -> None:
    w = only_window(make_plan(sessions=session("2026-11-23T22:30:00")))
    assert w.start == "2026-11-23T22:30:00+01:00"
    assert w.end == "2026-11-25T22:30:00+01:00"
    assert [d.date for d in w.days] == ["2026-11-23", "2026-11-24", "2026-11-25"]
    assert w.session.route == "iv" and w.session.dose is None


def test_window_ending_at_midnight_adds_no_empty_day(make_plan: Callable[..., Plan]) -> None:
    w = only_window(make_plan(sessions=session("2026-11-23T00:00:00")))
    assert w.end == "2026-11-25T00:00:00+01:00"
    assert [d.date for d in w.days] == ["2026-11-23", "2026-11-24"]


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [
        # Berlin, summer time ends 25 Oct 2026 03:00 → 02:00: the wall clock ends an hour early.
        ("Europe/Berlin", "2026-10-24T10:00:00", "2026-10-26T09:00:00+01:00"),
        # Berlin, summer time starts 29 Mar 2026 02:00 → 03:00: the wall clock ends an hour late.
        ("Europe/Berlin", "2026-03-28T10:00:00", "2026-03-30T11:00:00+02:00"),
        # New York: DST ends 1 Nov 2026, starts 8 Mar 2026.
        ("America/New_York", "2026-10-31T10:00:00", "2026-11-02T09:00:00-05:00"),
        ("America/New_York", "2026-03-07T10:00:00", "2026-03-09T11:00:00-04:00"),
        # Sessions inside the repeated hour: the first 01:30 (EDT) and the second (EST).
        ("America/New_York", "2026-11-01T01:30:00-04:00", "2026-11-03T00:30:00-05:00"),
        ("America/New_York", "2026-11-01T01:30:00-05:00", "2026-11-03T01:30:00-05:00"),
    ],
)
def test_window_is_48_elapsed_hours_across_dst(
    make_plan: Callable[..., Plan], zone: str, start: str, end: str
) -> None:
    w = only_window(make_plan(timezone=zone, sessions=session(start)))
    assert w.end == end
    assert elapsed_hours(w) == 48


def test_session_with_an_explicit_offset_is_shown_in_the_profile_zone(
    make_plan: Callable[..., Plan],
) -> None:
    w = only_window(make_plan(sessions=session("2026-11-23T09:00:00Z")))
    assert w.start == "2026-11-23T10:00:00+01:00"


def test_checklist_is_graded_and_never_repeats_the_articles_as_fact(
    make_plan: Callable[..., Plan], kb: KnowledgeBase
) -> None:
    w = only_window(make_plan(sessions=session("2026-11-23T10:00:00")))
    assert len(w.checklist) >= 6
    for item in w.checklist:
        assert item.text and item.evidence and item.sources
        assert all(s in kb.sources for s in item.sources)
    verdicts = {c.id: c.verdict for c in w.claims}
    assert verdicts["claim-48h-window"] == "unsupported"
    assert verdicts["claim-omega3-2000-epa60"] == "misframed"
    assert w.note is not None and "no human trial" in w.note
    alcohol = next(c for c in w.checklist if c.id == "no-alcohol")
    assert alcohol.evidence == "label" and "spravato-label" in alcohol.sources


def test_the_driving_instruction_comes_from_the_esketamine_label(
    make_plan: Callable[..., Plan],
) -> None:
    w = only_window(make_plan(sessions=session("2026-11-23T16:00:00")))
    driving = next(i for i in w.instructions if i.id == "no-driving")
    assert "next day after a restful sleep" in driving.text
    assert driving.sources == ("spravato-label",)
    assert driving.until == "2026-11-24T07:00:00+01:00"  # the person's wake time next day
    assert any("no driving" in item for item in w.days[0].items)


def test_one_window_per_session_and_events_minus0_plus1_plus7(
    make_plan: Callable[..., Plan],
) -> None:
    plan = make_plan(
        sessions=[
            {"start": "2026-11-30T10:00:00", "route": "im"},
            {"start": "2026-11-23T10:00:00", "route": "im"},
        ]
    )
    assert [w.session.start for w in plan.windows] == [
        "2026-11-23T10:00:00+01:00",
        "2026-11-30T10:00:00+01:00",
    ]
    first = [e for e in plan.events if e.session_index == 0]
    assert [(e.instrument, e.offset_days, e.due) for e in first] == [
        ("phq9", 0, "2026-11-23T10:00:00+01:00"),
        ("phq9", 1, "2026-11-24T10:00:00+01:00"),
        ("phq9", 7, "2026-11-30T10:00:00+01:00"),
    ]
    assert len(plan.events) == 6
    assert all(e.sources for e in plan.events)


def test_follow_up_days_keep_the_wall_clock_across_dst(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(sessions=session("2026-10-24T10:00:00"))
    assert [e.due for e in plan.events] == [
        "2026-10-24T10:00:00+02:00",
        "2026-10-25T10:00:00+01:00",
        "2026-10-31T10:00:00+01:00",
    ]


def test_plan_json_lists_windows_and_events(make_plan: Callable[..., Plan]) -> None:
    dumped = make_plan(sessions=session("2026-11-23T10:00:00")).model_dump(mode="json")
    w = dumped["windows"][0]
    for key in ("session", "start", "end", "checklist", "supplements", "totals", "instructions"):
        assert key in w
    assert set(w["totals"]) >= {"magnesium"}
    assert set(dumped["events"][0]) >= {"instrument", "due", "session"}


# --- a clinic's own protocol --------------------------------------------------------------


def clinic_protocol(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load(DEFAULT_PROTOCOL.read_text(encoding="utf-8"))
    data["protocol"].update(changes)
    path = tmp_path / "clinic.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_clinic_protocol_changes_the_window_and_the_measures(
    make_profile: Callable[..., Profile], kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = clinic_protocol(
        tmp_path,
        window_hours=72,
        follow_up=[
            {
                "instrument": "phq9",
                "offset_days": 0,
                "label": "before",
                "opens_hours_before": 48,
                "open_hours": 48,
                "evidence": "low",
                "sources": ["hull-2022"],
            },
            {
                "instrument": "gad7",
                "offset_days": 14,
                "label": "two weeks",
                "opens_hours_before": 0,
                "open_hours": 72,
                "evidence": "low",
                "sources": ["hull-2022"],
            },
        ],
    )
    profile = make_profile(sessions=session("2026-11-23T10:00:00"))
    plan = make_full_plan(profile, kb=kb, protocol=path)
    assert plan.windows[0].end == "2026-11-26T10:00:00+01:00"
    assert [(e.instrument, e.offset_days) for e in plan.events] == [("phq9", 0), ("gad7", 14)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"window_hours": "two days"}, "window_hours"),
        (
            {"checklist": [{"id": "x", "text": "t", "evidence": "none", "sources": ["nope"]}]},
            "unknown source",
        ),
        ({"window_claim": "claim-nope"}, "unknown claim"),
        (
            {
                "follow_up": [
                    {
                        "instrument": "xyz",
                        "offset_days": 1,
                        "label": "l",
                        "opens_hours_before": 0,
                        "open_hours": 24,
                        "evidence": "low",
                        "sources": ["hull-2022"],
                    }
                ]
            },
            "unknown instrument",
        ),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_a_bad_clinic_protocol_is_refused_with_its_location(
    kb: KnowledgeBase, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    path = clinic_protocol(tmp_path, **changes)
    with pytest.raises(ProtocolError) as err:
        load_protocol(path, kb)
    assert message in str(err.value)
    assert "clinic.yaml" in str(err.value)


def test_packaged_protocols_pass_kb_check(kb: KnowledgeBase) -> None:
    from neurogarden.kb.protocol import check_all

    assert check_all(kb) == []

"""The measurement schedule on a fixed clock: items fall due in the patient's zone, keep
their local time across a clock change, are fulfilled only inside their window, and
move with their session."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from neurogarden.instruments.schedule import (
    Anchored,
    Recurring,
    recurring_items,
    session_items,
    states,
)

BERLIN = ZoneInfo("Europe/Berlin")
PHQ9_AFTER = (
    Anchored("phq9", 0, "before the session", opens_hours_before=72, open_hours=72),
    Anchored("phq9", 1, "one day after", opens_hours_before=0, open_hours=24),
    Anchored("phq9", 7, "one week after", opens_hours_before=0, open_hours=48),
)
SESSION = datetime(2026, 3, 1, 10, 0, tzinfo=BERLIN)


def _state_of(key_part: str, now: datetime, responses: list[tuple[str, datetime]]) -> str:
    items = session_items([(7, SESSION)], PHQ9_AFTER, BERLIN)
    [found] = [s for s in states(items, responses, now) if key_part in s.item.key]
    return found.state


def test_the_day_after_item_is_due_on_2_march_in_its_window_and_missed_after_it() -> None:
    items = session_items([(7, SESSION)], PHQ9_AFTER, BERLIN)
    [day_after] = [i for i in items if i.key.endswith(":+1")]
    assert day_after.due == datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
    assert day_after.closes == datetime(2026, 3, 3, 10, 0, tzinfo=BERLIN)
    assert _state_of(":+1", datetime(2026, 3, 2, 9, 59, tzinfo=BERLIN), []) == "upcoming"
    assert _state_of(":+1", datetime(2026, 3, 2, 18, 0, tzinfo=BERLIN), []) == "due"
    assert _state_of(":+1", datetime(2026, 3, 3, 10, 0, tzinfo=BERLIN), []) == "missed"
    answered = [("phq9", datetime(2026, 3, 2, 20, 0, tzinfo=BERLIN))]
    assert _state_of(":+1", datetime(2026, 3, 9, tzinfo=BERLIN), answered) == "done"


def test_the_before_item_closes_when_the_session_starts() -> None:
    early = [("phq9", datetime(2026, 2, 27, 8, 0, tzinfo=BERLIN))]
    assert _state_of(":+0", datetime(2026, 3, 1, 9, 0, tzinfo=BERLIN), early) == "done"
    late = [("phq9", datetime(2026, 3, 1, 10, 30, tzinfo=BERLIN))]  # after the session began
    assert _state_of(":+0", datetime(2026, 3, 1, 11, 0, tzinfo=BERLIN), late) == "missed"


def test_a_weekly_phq9_at_nine_stays_at_nine_across_the_march_clock_change() -> None:
    weekly = Recurring("weekly-phq9", "phq9", 7, "09:00", 72, "weekly PHQ-9")
    start = date(2026, 3, 16)
    items = recurring_items([weekly], start, BERLIN, start, date(2026, 4, 6))
    assert [(i.due.date().isoformat(), i.due.strftime("%H:%M")) for i in items] == [
        ("2026-03-16", "09:00"),
        ("2026-03-23", "09:00"),
        ("2026-03-30", "09:00"),  # after the change of 29 March: still 09:00 local
        ("2026-04-06", "09:00"),
    ]
    assert items[2].due.utcoffset() == timedelta(hours=2)
    assert items[1].due.utcoffset() == timedelta(hours=1)


def test_an_answer_at_23_00_does_not_fulfil_a_morning_item() -> None:
    diary = Recurring("daily-sleep-diary", "sleep_diary", 1, "07:00", 3, "sleep diary")
    items = recurring_items([diary], date(2026, 5, 4), BERLIN, date(2026, 5, 4), date(2026, 5, 4))
    night = [("sleep_diary", datetime(2026, 5, 4, 23, 0, tzinfo=BERLIN))]
    [state] = states(items, night, datetime(2026, 5, 5, 8, 0, tzinfo=BERLIN))
    assert state.state == "missed"
    morning = [("sleep_diary", datetime(2026, 5, 4, 7, 40, tzinfo=BERLIN))]
    [state] = states(items, morning, datetime(2026, 5, 5, 8, 0, tzinfo=BERLIN))
    assert state.state == "done"


def test_moving_the_session_moves_its_items() -> None:
    moved = SESSION + timedelta(days=3)
    before = {i.key: i.due for i in session_items([(7, SESSION)], PHQ9_AFTER, BERLIN)}
    after = {i.key: i.due for i in session_items([(7, moved)], PHQ9_AFTER, BERLIN)}
    assert before.keys() == after.keys()
    assert all(after[k] - before[k] == timedelta(days=3) for k in before)
    assert session_items([], PHQ9_AFTER, BERLIN) == []  # cancelled: nothing anchored to it


def test_one_answer_fulfils_every_open_item_of_its_questionnaire_and_no_other() -> None:
    weekly = Recurring("weekly-phq9", "phq9", 7, "09:00", 72, "weekly PHQ-9")
    gad = Recurring("weekly-gad7", "gad7", 7, "09:00", 72, "weekly GAD-7")
    items = session_items([(1, SESSION)], PHQ9_AFTER, BERLIN)
    items += recurring_items([weekly, gad], date(2026, 3, 2), BERLIN, date(2026, 3, 2),
                             date(2026, 3, 2))  # fmt: skip
    answer = [("phq9", datetime(2026, 3, 2, 12, 30, tzinfo=BERLIN))]
    now = datetime(2026, 3, 2, 13, 0, tzinfo=BERLIN)
    found = {s.item.key: s.state for s in states(items, answer, now)}
    assert found["session-1:phq9:+1"] == found["weekly-phq9:2026-03-02"] == "done"
    assert found["weekly-gad7:2026-03-02"] == "due"
    assert found["session-1:phq9:+0"] == "missed"  # that window had closed


@given(
    offset_minutes=st.integers(min_value=-5 * 24 * 60, max_value=12 * 24 * 60),
    answer_minutes=st.integers(min_value=-5 * 24 * 60, max_value=12 * 24 * 60),
)
def test_done_only_inside_the_window_and_missed_only_after_it(
    offset_minutes: int, answer_minutes: int
) -> None:
    now = SESSION + timedelta(minutes=offset_minutes)
    at = SESSION + timedelta(minutes=answer_minutes)
    items = session_items([(7, SESSION)], PHQ9_AFTER, BERLIN)
    for s in states(items, [("phq9", at)] if at <= now else [], now):
        if s.state == "done":
            assert s.answered_at is not None
            assert s.item.opens <= s.answered_at < s.item.closes
        elif s.state == "missed":
            assert now >= s.item.closes
        elif s.state == "due":
            assert s.item.opens <= now < s.item.closes
        else:
            assert now < s.item.opens


def test_a_session_stored_at_the_edge_of_the_calendar_loses_only_what_cannot_exist() -> None:
    edge = datetime(1, 1, 1, 12, 0, tzinfo=BERLIN)  # its before-item would open in year 0
    keys = [i.key for i in session_items([(1, edge)], PHQ9_AFTER, BERLIN)]
    assert keys == ["session-1:phq9:+1", "session-1:phq9:+7"]

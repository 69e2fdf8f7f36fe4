"""The recovery timeline chart: snapshot, determinism, accessibility, and words that say
what it shows. NEUROGARDEN_UPDATE_SNAPSHOTS=1 rewrites the snapshot."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from neurogarden.api import load_kb
from neurogarden.recovery import RecoveryLog, parse_log
from neurogarden.render.charts import Chart
from neurogarden.render.recovery_chart import timeline_chart
from test_charts import check_snapshot

START = date(2026, 11, 8)
TITLE = "Recovery timeline — patient R-001"


def day(n: int) -> date:
    return START + timedelta(days=n)


def two_weeks() -> tuple[RecoveryLog, list[tuple[date, float]]]:
    """Kratom daily, 2 g then 4 g; alcohol on two days; cravings creeping up; one missed
    counselling session; COWS crossing into the moderate band."""
    uses: list[dict[str, Any]] = [
        {"day": day(n), "substance": "kratom", "amount": "2 g" if n < 7 else "4 g"}
        for n in range(14)
    ]
    uses += [
        {"day": day(11), "substance": "beer", "amount": "3 drinks"},
        {"day": day(12), "substance": "wine", "amount": "2 drinks"},
    ]
    ratings = [3, 4, 3, 5, 4, 4, 5, 6, 5, 7, 6, 7, 8, 7]
    attendance = [
        {"day": day(1), "kind": "counselling"},
        {"day": day(3), "kind": "support_group"},
        {"day": day(5), "kind": "moud_visit"},
        {"day": day(8), "kind": "counselling", "attended": False},
        {"day": day(10), "kind": "support_group"},
    ]
    log = parse_log(
        {
            "uses": uses,
            "cravings": [{"day": day(n), "rating": r} for n, r in enumerate(ratings)],
            "attendance": attendance,
        },
        load_kb(),
    )
    return log, [(day(3), 6.0), (day(9), 11.0), (day(12), 14.0)]


def chart(fmt: str = "svg") -> Chart:
    log, cows = two_weeks()
    return timeline_chart(log, cows, title=TITLE, fmt=fmt)


def test_timeline_matches_snapshot() -> None:
    check_snapshot("chart_recovery_timeline.svg", chart().svg)


def test_timeline_is_deterministic_and_accessible() -> None:
    first, second = chart(), chart()
    assert first.data == second.data
    svg = first.svg
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in svg
    assert f'<title id="chart-title">{TITLE}</title>' in svg
    assert f'<desc id="chart-desc">{first.alt}</desc>' in svg and "<dc:date>" not in svg
    for text in ("alert at ≥ 13", "MOUD visit", "support group", "4 g", "3 drinks"):
        assert text in svg, text


def test_timeline_alt_text_tells_the_same_story() -> None:
    assert chart().alt == (
        "Recovery timeline from 2026-11-08 to 2026-11-21. "
        "Use: alcohol on 2 days (2 drinks to 3 drinks a day); kratom on 14 days (2 g to 4 g a "
        "day). Craving: 14 ratings, mean 5.3, highest 8, latest 7 on 2026-11-21. "
        "COWS: 3 totals, latest 14 on 2026-11-20 (moderate); 1 at or above 13, the dashed line "
        "where moderate withdrawal begins. Attendance: counselling 1 of 2 attended; "
        "support group 2 of 2 attended; MOUD visit 1 of 1 attended."
    )


def test_timeline_as_png() -> None:
    assert chart("png").data.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_partial_log_still_charts_and_says_what_is_missing() -> None:
    log = RecoveryLog()
    only_cows = timeline_chart(log, [(day(0), 3.0)], title="COWS only")
    assert "No use recorded." in only_cows.alt and "latest 3 on 2026-11-08" in only_cows.alt
    assert "no craving ratings recorded" in only_cows.svg
    with pytest.raises(ValueError, match="nothing to chart"):
        timeline_chart(log, [], title="empty")

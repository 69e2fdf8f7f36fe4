"""The measurement schedule in a real headless Chromium: a clinician schedules a session
for yesterday on Maya's record, and Maya's Today page, on a 375 px phone, shows the
day-after PHQ-9 as waiting with the time it closes; her clinician sees the counts on
the record. No console, page or server error throughout."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, expect

import test_web_browser as shared
from neurogarden.clinic.demo import LOGINS
from neurogarden.storage import clinic as store

if TYPE_CHECKING:
    from webkit import World

pytest_plugins = ("webkit",)

browser = shared.browser  # the one Chromium fixture (Debian's, never downloaded)
PASSWORD = {x.username: x.password for x in LOGINS}


def test_a_session_yesterday_puts_the_day_after_phq9_on_the_patients_today(
    browser: Browser, live_server: str, world: World, tmp_path: Path
) -> None:
    base = live_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(shared.WAIT_MS)
    page = context.new_page()
    watch = shared.Watch(page)
    try:
        with world.database.session() as s:
            clinic = store.clinic_by_slug(s, "demo")
            assert clinic is not None
            zone = ZoneInfo(clinic.timezone)
        start = datetime.now(zone) - timedelta(hours=26)  # its day-after item opened 2 h ago
        shared.sign_in(page, base, "dr.okafor", PASSWORD["dr.okafor"], r"/dashboard$")
        record = f"{base}/patients/{world.maya}"
        page.goto(record)
        sessions = page.locator("#sessions")
        sessions.locator('input[name="start"]').fill(start.strftime("%Y-%m-%dT%H:%M"))
        sessions.locator('select[name="route"]').select_option("sublingual")
        sessions.get_by_role("button", name="Schedule session").click()
        page.wait_for_url(f"{record}#sessions")
        schedule = page.locator("#measures")
        expect(schedule).to_contain_text("due now")
        expect(schedule.locator("td.state-due").first).to_be_visible()
        page.screenshot(path=str(tmp_path / "record-schedule.png"), full_page=True)
        shared.sign_out(page, base)

        shared.sign_in(page, base, "maya", PASSWORD["maya"], r"/today$")
        due = page.locator("#measures ul.due")
        item = due.get_by_role("listitem").filter(has_text="one day after")
        expect(item).to_contain_text("PHQ-9")
        closes = (start + timedelta(days=2)).strftime("%a %d %b %Y %H:%M")  # the page's format
        expect(item).to_contain_text(f"open until {closes}")
        shared.at_phone_width(
            page, tmp_path / "today-due-375.png", [item.get_by_role("link", name="PHQ-9")]
        )
        item.get_by_role("link", name="PHQ-9").click()
        page.wait_for_url(f"{base}/patients/{world.maya}/questionnaires/phq9")
        assert not watch.problems, watch.problems
    finally:
        context.close()

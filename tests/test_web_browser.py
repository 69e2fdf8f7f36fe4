"""Issue #5's browser test: the clinic's day in a real headless Chromium (Playwright).

A clinician creates a patient, enters a profile (first with a misspelt medicine, which
is refused at the field and saves nothing), sees the plan's separation finding and its
source, schedules a session and sees its integration window, and gives the patient a
login. The patient ticks a window checklist item (htmx; it survives a reload) and fills
a PHQ-9 with item 9 above 0, which shows the crisis resources. Back as the clinician,
the item-9 alert is at the top of the dashboard. Throughout, the browser reports no
console error, no page error and no server error; at 375 px the patient's Today page
and the clinician's patient page have no horizontal scroll and their controls show.

Debian's Chromium only (`/usr/bin/chromium`); the test never downloads a browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Locator,
    Page,
    Response,
    expect,
    sync_playwright,
)

from neurogarden.clinic import records
from neurogarden.clinic import sessions as sessions_of
from neurogarden.clinic.demo import LOGINS
from neurogarden.storage import access as access_store
from neurogarden.storage import clinic as store
from neurogarden.web.templating import templates

if TYPE_CHECKING:
    from webkit import World  # a plugin: imported by pytest, so its asserts are rewritten

pytest_plugins = ("webkit",)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CLINICIAN = "dr.okafor"
CLINICIAN_PASSWORD = next(x.password for x in LOGINS if x.username == CLINICIAN)
PATIENT_NAME = "Rowan Ashdown"
PATIENT_LOGIN = "rowan.ashdown"
PATIENT_PASSWORD = "quiet-heron-lantern-58"
PHONE = 375  # CSS pixels: the narrowest screen the pages promise to read well on
WAIT_MS = 15_000

expect.set_options(timeout=WAIT_MS)
when = templates.env.filters["when"]  # the pages' own date format


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module: both database parametrisations share it."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Watch:
    """Everything that went wrong in the browser: console errors, uncaught page errors,
    server errors and failed requests. Any of them fails the test."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        self.patient_requests: list[tuple[str, str]] = []  # (method, path) of record pages
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._response)
        page.on(
            "requestfailed",
            lambda r: self.problems.append(f"request failed: {r.method} {r.url} {r.failure}"),
        )

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        self.problems.append(f"console error: {message.text} at {message.location}")

    def _response(self, response: Response) -> None:
        path = urlsplit(response.url).path
        if PATIENT_DATA.match(path):
            self.patient_requests.append((response.request.method, path))
        if response.status >= 500:
            self.problems.append(f"server error: {response.status} {response.url}")


# A patient's record: pages, ticks, questionnaires, charts, exports (not /patients/new).
PATIENT_DATA = re.compile(r"^/(api/)?patients/(?!new$)[^/]+(/.*)?$")


def sign_in(page: Page, base: str, username: str, password: str, landing: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(landing))


def sign_out(page: Page, base: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def field(page: Page, name: str) -> Locator:
    return page.locator(f'[name="{name}"]')


def fill_profile(page: Page, medication: str) -> None:
    field(page, "person.sex").select_option("female")
    field(page, "person.age").fill("42")
    field(page, "goals.sleep").check()
    field(page, "medications[0].name").fill(medication)
    field(page, "medications[0].dose").fill("100 mcg")
    field(page, "medications[0].times").fill("06:30")
    # Magnesium she already takes with breakfast, half an hour after levothyroxine: the
    # separation window the plan must flag. (The planned bedtime dose alone is clear of
    # a 06:30 levothyroxine, so it yields no finding.)
    field(page, "supplements[0].name").fill("magnesium oxide")
    field(page, "supplements[0].amount").fill("400 mg")
    field(page, "supplements[0].times").fill("07:00")


def at_phone_width(
    page: Page, shot: Path, controls: list[Locator], whole: tuple[Locator, ...] = ()
) -> None:
    """Screenshot the page 375 px wide and check it is usable there: no horizontal page
    scroll, the key controls shown within the screen's width, and the tables in `whole`
    readable without scrolling their `.table-wrap` sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE, "height": 812})
    try:
        expect(page.locator("main")).to_be_visible()
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 0
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
        )
        assert widths[2] == PHONE, widths
        assert max(widths[:2]) <= PHONE, f"{shot.name}: the page scrolls sideways: {widths}"
        for control in controls:
            expect(control).to_be_visible()
            box = control.bounding_box()
            assert box is not None, control
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (control, box)
        for table in whole:
            fit = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
            assert fit[0] <= fit[1], f"{shot.name}: {table} is wider than its wrap: {fit}"
    finally:
        if size is not None:
            page.set_viewport_size(size)


def test_clinician_and_patient_in_the_browser(
    browser: Browser, live_server: str, world: World, tmp_path: Path
) -> None:
    base = live_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    watch = Watch(page)
    try:
        # 1. The clinician creates a patient.
        sign_in(page, base, CLINICIAN, CLINICIAN_PASSWORD, r"/dashboard$")
        page.get_by_role("link", name="New patient").click()
        page.wait_for_url(f"{base}/patients/new")
        page.get_by_label("Name").fill(PATIENT_NAME)
        page.get_by_role("button", name="Create").click()
        page.wait_for_url(re.compile(r"/patients/[^/]+$"))
        pid = page.url.rsplit("/", 1)[-1]
        record = f"{base}/patients/{pid}"
        expect(page.get_by_role("heading", level=1)).to_have_text(PATIENT_NAME)
        plan = page.locator("#plan")
        expect(plan).to_contain_text("No profile saved yet")

        # 2. A misspelt medicine is refused beside its field, and nothing is saved.
        fill_profile(page, "levothyroxin")
        with page.expect_response(f"{record}/profile") as refused:
            page.get_by_role("button", name="Save profile").click()
        assert refused.value.status == 200  # the form again, errors at the fields
        page.wait_for_url(f"{record}/profile")
        name_input = field(page, "medications[0].name")
        expect(name_input).to_have_attribute("aria-invalid", "true")
        beside = page.locator('label.field.has-error:has(input[name="medications[0].name"])')
        message = beside.locator("small.error")
        expect(message).to_be_visible()
        expect(message).to_contain_text("did you mean 'levothyroxine'")
        expect(name_input).to_have_attribute("aria-describedby", message.get_attribute("id") or "")
        expect(page.locator("#profile [role=alert]")).to_contain_text("Not saved")
        expect(page.locator("label.field.has-error")).to_have_count(1)
        expect(plan).to_contain_text("No profile saved yet")
        # What was typed is kept, to be corrected rather than typed again.
        expect(name_input).to_have_value("levothyroxin")
        expect(field(page, "person.sex")).to_have_value("female")
        expect(field(page, "person.age")).to_have_value("42")
        expect(field(page, "goals.sleep")).to_be_checked()
        expect(field(page, "supplements[0].times")).to_have_value("07:00")
        with world.database.session() as s:
            patient = store.patient_by_public_id(s, pid)
            assert patient is not None
            assert store.latest_profile(s, patient.id) is None

        # 1 (cont.). Corrected, it saves; the plan shows the separation finding and source.
        name_input.fill("levothyroxine")
        page.get_by_role("button", name="Save profile").click()
        page.wait_for_url(f"{record}#plan")
        expect(plan.get_by_role("row", name=re.compile("magnesium glycinate"))).to_be_visible()
        finding = plan.locator("ul.findings li.finding.warn").filter(
            has_text="too close to levothyroxine at 06:30"
        )
        expect(finding).to_have_count(1)
        expect(finding).to_contain_text("Your magnesium oxide at 07:00")
        expect(finding).to_contain_text("at least 4 hours")
        source = finding.get_by_role("link", name="label-levothyroxine")
        expect(source).to_have_attribute("href", "/kb/sources#label-levothyroxine")
        source.click()
        page.wait_for_url(f"{base}/kb/sources#label-levothyroxine")
        expect(page.locator("li#label-levothyroxine")).to_be_visible()
        page.goto(record)

        # 3. A session two days ahead, and its integration window.
        with world.database.session() as s:
            clinic = store.clinic_by_slug(s, "demo")
            assert clinic is not None
            clinic_now = datetime.now(ZoneInfo(clinic.timezone))
        start = datetime.combine(clinic_now.date() + timedelta(days=2), datetime.min.time())
        start = start.replace(hour=10)
        sessions = page.locator("#sessions")
        expect(sessions).to_contain_text("No sessions scheduled")
        sessions.locator('input[name="start"]').fill(start.strftime("%Y-%m-%dT%H:%M"))
        sessions.locator('select[name="route"]').select_option("sublingual")
        sessions.get_by_role("button", name="Schedule session").click()
        page.wait_for_url(f"{record}#sessions")
        with world.database.session() as s:
            stored = store.latest_profile(s, patient.id)
            assert stored is not None
            planned = sessions_of.with_sessions(
                stored.document, sessions_of.of_patient(s, patient.id), clinic.timezone
            )
            _, saved_plan = records.plan_document(planned, clinic_now.date())
        assert len(saved_plan.windows) == 1
        window = saved_plan.windows[0]
        assert window.start.startswith(start.strftime("%Y-%m-%dT%H:%M"))
        entry = sessions.locator("ol.timeline > li")
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(f"Session {when(window.start)}")
        expect(entry).to_contain_text("(sublingual")
        expect(entry).to_contain_text(f"integration window until {when(window.end)}")
        # moved a day later, the same session keeps its window
        entry.get_by_text("Move, cancel").click()
        later = start + timedelta(days=1)
        entry.get_by_label("New start").fill(later.strftime("%Y-%m-%dT%H:%M"))
        entry.get_by_role("button", name="Move session").click()
        page.wait_for_url(re.compile(r"#session-\d+$"))
        expect(entry).to_contain_text(f"Session {when(later.isoformat())}")
        window_end = datetime.fromisoformat(window.end) + timedelta(days=1)
        expect(entry).to_contain_text(f"integration window until {when(window_end.isoformat())}")

        # 4. The patient's login; the clinician signs out.
        account = page.locator("#account")
        account.get_by_label("User name").fill(PATIENT_LOGIN)
        account.get_by_label("Initial password").fill(PATIENT_PASSWORD)
        account.get_by_role("button", name="Create login").click()
        page.wait_for_url(f"{record}#account")
        expect(account).to_contain_text(f"The patient signs in as {PATIENT_LOGIN}")
        sign_out(page, base)

        # 5. The patient lands on Today and ticks a window checklist item (htmx).
        today_url = f"{record}/today"
        sign_in(page, base, PATIENT_LOGIN, PATIENT_PASSWORD, re.escape(today_url) + "$")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
        checklist = page.locator("section").filter(
            has=page.get_by_role("heading", name="Integration window")
        )
        expect(checklist).to_contain_text(f"the window runs until {when(window_end.isoformat())}")
        item = checklist.locator("form.tick").first
        item_id = item.locator('input[name="item"]').get_attribute("value")
        assert item_id, "a checklist item without an id"
        ticked = checklist.locator(f'form.tick:has(input[name="item"][value="{item_id}"])')
        box = ticked.locator('input[type="checkbox"]')
        expect(box).not_to_be_checked()
        with page.expect_response(
            lambda r: r.url.endswith(f"/patients/{pid}/ticks") and r.request.method == "POST"
        ) as posted:
            box.check()
        assert posted.value.status == 200
        assert posted.value.request.headers.get("hx-request") == "true"
        expect(ticked.locator(".done")).to_have_text("done")  # the swapped-in fragment
        page.reload()
        expect(box).to_be_checked()
        expect(ticked.locator(".done")).to_have_text("done")

        # 6. A PHQ-9 with item 9 above 0 shows the crisis resources.
        page.get_by_role("link", name="Patient Health Questionnaire-9").click()
        page.wait_for_url(f"{record}/questionnaires/phq9")
        expect(page.locator("form.questionnaire fieldset.item")).to_have_count(10)
        for question, value in {**{f"q{i}": 1 for i in range(1, 9)}, "q9": 2}.items():
            page.locator(f'input[name="{question}"][value="{value}"]').check()
        page.locator('input[name="difficulty"][value="1"]').check()
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("saved")
        expect(page.locator("main")).to_contain_text(re.compile(r"\b10 of 27\b"))  # 8 x 1 + 2
        crisis = page.get_by_role("alert")
        expect(crisis).to_be_visible()
        expect(crisis).to_contain_text("988 Suicide & Crisis Lifeline")
        expect(crisis.locator('a[href="tel:988"]')).to_be_visible()
        expect(crisis.locator('a[href="sms:988"]')).to_be_visible()
        expect(crisis).not_to_contain_text("C-SSRS")
        crisis.get_by_role("link", name="Open the support page").click()
        page.wait_for_url(f"{record}/crisis")
        expect(page.locator('a[href="tel:911"]')).to_be_visible()

        # 9 (patient). Today at phone width: crisis box, the tick, the questionnaires.
        page.goto(today_url)
        expect(page.get_by_role("alert")).to_contain_text("988")
        today_shot = tmp_path / "patient-today-375.png"
        at_phone_width(
            page,
            today_shot,
            [
                page.get_by_role("alert"),
                box,
                page.get_by_role("link", name="Patient Health Questionnaire-9"),
                page.get_by_role("button", name="Sign out"),
            ],
        )
        sign_out(page, base)

        # 7. Back as the clinician: the item-9 alert heads "Needs attention".
        sign_in(page, base, CLINICIAN, CLINICIAN_PASSWORD, r"/dashboard$")
        attention = page.locator('section[aria-label="Needs attention"]')
        expect(attention).to_be_visible()
        first_section = page.evaluate(
            "document.querySelector('main > h1').nextElementSibling.getAttribute('aria-label')"
        )
        assert first_section == "Needs attention"
        alerts = attention.locator("li.alert")
        expect(alerts.first).to_have_class(re.compile(r"\bcrisis\b"))
        kinds = [
            next(c for c in (k or "").split() if c != "alert")
            for k in alerts.evaluate_all("items => items.map(i => i.className)")
        ]
        flagged = [k == "crisis" for k in kinds]
        assert flagged == sorted(flagged, reverse=True), f"crisis alerts not first: {kinds}"
        # The demo clinic holds an older item-9 flag (Sam's): the newest comes first.
        assert kinds.count("crisis") >= 2, kinds
        expect(alerts.first.get_by_role("link", name=PATIENT_NAME)).to_be_visible()
        ours = alerts.filter(has=page.get_by_role("link", name=PATIENT_NAME))
        expect(ours.first).to_have_class(re.compile(r"\bcrisis\b"))
        expect(ours.first).to_contain_text("PHQ-9 on")
        expect(ours.first).to_contain_text("Item 9 was endorsed")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PATIENT_NAME))
        expect(row).to_contain_text("crisis flag")

        # 9 (clinician). The patient page at phone width.
        ours.first.get_by_role("link", name=PATIENT_NAME).click()
        page.wait_for_url(re.compile(re.escape(record) + "(#alerts)?$"))
        ours_alert = page.locator('section[aria-label="Alerts"] li.alert').first
        expect(ours_alert).to_have_class(re.compile(r"\bcrisis\b"))
        # Acknowledge it, then record the follow-up: it leaves the list for the history.
        ours_alert.get_by_role("button", name="Acknowledge").click()
        page.wait_for_url(re.compile(re.escape(record) + "(#alerts)?$"))
        ours_alert = page.locator('section[aria-label="Alerts"] li.alert').first
        expect(ours_alert).to_contain_text("acknowledged")
        ours_alert.get_by_label("Follow-up").select_option("safety-plan")
        ours_alert.get_by_role("textbox", name="What was done").fill("Safety plan made by phone")
        ours_alert.get_by_role("button", name="Record").click()
        page.wait_for_url(re.compile(re.escape(record) + "(#alerts)?$"))
        expect(page.locator('section[aria-label="Alerts"]')).to_contain_text("No open alerts")
        expect(page.locator('section[aria-label="Alerts"] details')).to_contain_text(
            "Safety plan made by phone"
        )
        record_shot = tmp_path / "clinician-patient-375.png"
        at_phone_width(
            page,
            record_shot,
            [
                page.locator('section[aria-label="Alerts"]'),
                finding.get_by_role("link", name="label-levothyroxine"),
                page.get_by_role("button", name="Schedule session"),
                page.get_by_role("button", name="Save profile"),
                page.get_by_role("button", name="Sign out"),
            ],
            # The plan is what the clinician reads out: its table, with each dose's
            # reasons in a full-width row, fits a phone without sideways scrolling.
            whole=(plan.locator("table"),),
        )
        sign_out(page, base)
    finally:
        context.close()

    # 8. No console errors, page errors or server errors anywhere on the way.
    assert watch.problems == []

    # Every request the browser made for a patient's record left an audit row.
    with world.database.session() as s:
        logged = {(r.method, r.path) for r in access_store.all_audit_events(s)}
    assert len(watch.patient_requests) > 10
    missing = [r for r in watch.patient_requests if r not in logged]
    assert missing == [], missing

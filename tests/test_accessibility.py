"""axe-core over the app as each role sees it: every kind of page a signed-in clinician,
patient and admin can reach by following links, at 1280 and 375 px, with no critical
and no serious violation.

axe-core comes from the npm registry into the test environment only (`make axe`
puts it under .venv/axe); the app never serves it. The pages' Content Security Policy
forbids inline scripts, so the browser context bypasses it for axe alone.
"""

from __future__ import annotations

import os
import re
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

import test_web_browser as shared
from neurogarden.clinic.demo import LOGINS

if TYPE_CHECKING:
    from webkit import World

pytest_plugins = ("webkit",)

browser = shared.browser
AXE = Path(
    os.environ.get("NEUROGARDEN_AXE")
    or Path(__file__).resolve().parents[1] / ".venv/axe/node_modules/axe-core/axe.min.js"
)
PASSWORD = {x.username: x.password for x in LOGINS}
ROLES = {"dr.okafor": r"/dashboard$", "maya": r"/today$", "admin": r"/admin/users$"}
WIDTHS = (1280, shared.PHONE)
NOT_PAGES = re.compile(r"\.(csv|svg|ics|pdf|json)$|^/(logout|api/)")
RECORD_ID = re.compile(r"/[0-9a-f]{12}(?=/|$)")  # a patient's public id
BLOCKING = ("critical", "serious")


def _kind(path: str) -> str:
    """One page per kind: every patient's record is the same template."""
    return RECORD_ID.sub("/{id}", path)


def _links(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if href.startswith(base) and not NOT_PAGES.search(parts.path):
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _violations(page: Page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' '))])"""
    )
    return [f"{rule} ({impact}): {nodes[:3]}" for rule, impact, nodes in found
            if impact in BLOCKING]  # fmt: skip


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_no_critical_or_serious_violation_on_any_page_of_any_role(
    browser: Browser, live_server: str, world: World
) -> None:
    assert AXE.is_file(), f"axe-core is missing at {AXE}: run `make axe` (npm registry)"
    base = live_server
    problems: list[str] = []
    visited = 0
    for user, landing in ROLES.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        context.set_default_timeout(shared.WAIT_MS)
        page = context.new_page()
        try:
            shared.sign_in(page, base, user, PASSWORD[user], landing)
            start = urlsplit(page.url).path
            queue, seen = deque([start]), {_kind(start)}
            while queue:
                path = queue.popleft()
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    response = page.goto(base + path)
                    assert response is not None and response.status < 500, path
                    problems += [f"{user} {path} @{width}px: {v}" for v in _violations(page)]
                    visited += 1
                for link in _links(page, base):
                    if _kind(link) not in seen:
                        seen.add(_kind(link))
                        queue.append(link)
        finally:
            context.close()
    assert visited >= 40, visited  # the walk reached the app, not a login page alone
    assert not problems, "\n".join(problems)


def test_the_first_tab_reaches_a_skip_link_to_the_content(
    browser: Browser, live_server: str, world: World
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    try:
        shared.sign_in(page, live_server, "maya", PASSWORD["maya"], r"/today$")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()
    finally:
        context.close()

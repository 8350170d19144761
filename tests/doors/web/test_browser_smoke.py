"""The browser tests' infrastructure works on this machine: Debian's Chromium, driven by
Playwright, reads a page of a real server; and the UI of a server in open mode."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page

from cardinal import __version__
from cardinal.api.web.security import OPEN_MODE_ACTOR
from tests.support.browser import serious_violations
from tests.support.server import RunningServer


@pytest.mark.parametrize("backend", ["sqlite"])  # the store plays no part here
def test_chromium_reads_the_health_of_a_running_server(server: RunningServer, page: Page) -> None:
    response = page.goto(f"{server.url}/healthz")
    assert response is not None
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    assert json.loads(page.inner_text("body")) == {"status": "ok", "version": __version__}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_in_open_mode_the_ui_says_so_and_acts_as_the_local_user(
    server: RunningServer, page: Page
) -> None:
    page.goto(f"{server.url}/cards/new")
    banner = page.get_by_role("note")
    assert banner.inner_text().startswith("Open mode: nobody signs in")
    assert OPEN_MODE_ACTOR in banner.inner_text()
    form = page.locator('form[method="post"][action="/cards/new"]')
    form.locator('input[name="name"]').fill("open-card")
    with page.expect_navigation():
        form.get_by_role("button", name="Create the card").click()
    assert page.url == f"{server.url}/cards/open-card"
    assert f"by {OPEN_MODE_ACTOR}" in page.locator("main dl.facts").inner_text()
    assert serious_violations(page) == []

"""The browser tests' infrastructure works on this machine: Debian's Chromium, driven by
Playwright, reads a page of a real server."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page

from cardinal import __version__
from tests.support.server import RunningServer


@pytest.mark.parametrize("backend", ["sqlite"])  # the store plays no part here
def test_chromium_reads_the_health_of_a_running_server(server: RunningServer, page: Page) -> None:
    response = page.goto(f"{server.url}/healthz")
    assert response is not None
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    assert json.loads(page.inner_text("body")) == {"status": "ok", "version": __version__}

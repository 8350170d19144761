"""Playwright on Debian's Chromium, for the web UI's tests: one headless browser per test
session (per pytest-xdist worker), a fresh context (cookies, storage) per test, and axe-core.

The browser is the system's: ``CARDINAL_CHROMIUM`` or ``chromium`` on ``PATH`` (``dev.py test``
installs Debian's). Playwright's own browser download is never used, so nothing is fetched.
Without a browser the tests are skipped, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
SERIOUS = ("serious", "critical")


def chromium_executable() -> str | None:
    return os.environ.get("CARDINAL_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, shared by the tests of a session (each gets its own context)."""
    executable = chromium_executable()
    if executable is None:
        problem = "no Chromium: install Debian's chromium or set CARDINAL_CHROMIUM"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests must run under CI=true, but {problem}")
        pytest.skip(problem)
    # Chromium refuses to start its sandbox as root (containers, CI); elsewhere it keeps it.
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=args)
        yield launched
        launched.close()


@contextmanager
def fresh_context(browser: Browser, *, bypass_csp: bool = False) -> Iterator[BrowserContext]:
    """A new context (its own cookies and storage) with a 1280x800 viewport, closed on leaving;
    for a test that needs a second user, or a page without its CSP."""
    made = browser.new_context(viewport=VIEWPORT, bypass_csp=bypass_csp)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A context of this test's own: no cookie of another test."""
    with fresh_context(browser) as made:
        yield made


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """The axe-core violations of ``page`` with a serious or critical impact, each with its rule
    id, impact, help and the CSS targets of the offending nodes (for a readable message)."""
    results = Axe().run(page)
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in results.response["violations"]
        if violation.get("impact") in SERIOUS
    ]

"""The browser fixtures of tests/support/browser.py, for the web UI's tests: ``browser`` (one
headless Chromium per session), ``context`` and ``page`` (fresh per test); and ``site`` (one
server per backend and test module, site.py)."""

from __future__ import annotations

from tests.doors.web.site import site
from tests.support.browser import browser, context, page

__all__ = ["browser", "context", "page", "site"]

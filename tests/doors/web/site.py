"""The site the web UI's browser tests run against: one server with authentication on per
backend and test module, with the demo registry, a few users with passwords and the
separation-of-duties policy; and what a person does in it (sign in, decide, screenshots).

With ``CARDINAL_SCREENSHOTS=1`` the tests that take screenshots save each page, as a 1280x800
browser shows it, to docs/screenshots/ (SQLite run only); run them by hand:
``CARDINAL_SCREENSHOTS=1 .venv/bin/pytest -n 0 tests/doors/web -k "sqlite"``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, Page, Response

from cardinal.config import Settings
from cardinal.domain.access import Grant, Role
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, ModelPackage
from cardinal.services.container import Services
from cardinal.services.demo import GROUP, seed_demo_registry
from cardinal.services.model_packages import NewModelPackage
from tests.conftest import BACKENDS
from tests.support.contexts import OPERATOR
from tests.support.databases import module_database
from tests.support.identities import PASSWORD, issue_with_password
from tests.support.server import start_server

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
USERS = {"ada": Role.APPROVER, "ann": Role.APPROVER, "sam": Role.AUTHOR}


@dataclass
class Site:
    """One server with authentication on, the demo registry (group customer-churn: version 1
    approved with its card, version 2 pending with card customer-churn-v2 pending review), the
    users of USERS, and the separation-of-duties policy."""

    url: str
    backend: str
    services: Services

    def register_as(self, name: str) -> ModelPackage:
        principal = self.services.identities.describe_principal(OPERATOR, name)
        ctx = replace(OPERATOR, actor=name, principal=principal)
        return self.services.packages.register_model_package(ctx, GROUP, NewModelPackage())

    def status_of(self, package: ModelPackage) -> ApprovalStatus:
        described = self.services.packages.describe_model_package(OPERATOR, package.arn)
        return described.approval_status


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    with ExitStack() as stack:
        url = module_database(request, tmp_path_factory, stack)
        data_dir = tmp_path_factory.mktemp("server")
        for name, role in USERS.items():
            issue_with_password(url, data_dir, name, (Grant(role),))
        services = Services.for_database(url, None, Settings(data_dir=data_dir).secret_box())
        stack.callback(services.close)
        seed_demo_registry(services, OPERATOR)
        services.cards.update_model_card(
            OPERATOR, f"{GROUP}-v2", status=ModelCardStatus.PENDING_REVIEW
        )
        services.policies.set_policy(OPERATOR, {"separation_of_duties": True}, None)
        server = start_server(url, data_dir, extra_env={"CARDINAL_AUTH": "on"})
        stack.callback(server.stop)
        yield Site(server.url, request.param, services)


def sign_in(page: Page, site: Site, name: str, *, at: str = "/") -> Response:
    """Sign ``name`` in through the login form, to go to ``at``; the answer landed on."""
    page.goto(f"{site.url}/login?next={quote(at, safe='/')}")
    return submit_login(page, name, PASSWORD)


def submit_login(page: Page, name: str, password: str) -> Response:
    """Fill in and send the login form of the page shown; the answer the browser lands on."""
    form = page.locator('form[method="post"][action="/login"]')
    form.locator('input[name="name"]').fill(name)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation() as landed:
        form.get_by_role("button", name="Sign in").click()
    return landed.value


def status_before_redirect(landed: Response) -> tuple[str, int]:
    """The method and status of the request that was redirected to ``landed``."""
    request = landed.request.redirected_from
    assert request is not None, "no redirect"
    answer = request.response()
    assert answer is not None
    return request.method, answer.status


def session_of(context: BrowserContext) -> dict[str, object]:
    (cookie,) = [c for c in context.cookies() if c["name"] == "cardinal_session"]
    return dict(cookie)


def decision_form_csrf(page: Page) -> str:
    token = page.locator('form[action$="/decision"] input[name="csrf"]').get_attribute("value")
    assert token
    return token


def decide(page: Page, decision: str, comment: str) -> Response:
    form = page.locator('form[method="post"][action$="/decision"]')
    form.locator('textarea[name="comment"]').fill(comment)
    with page.expect_navigation() as answered:
        form.get_by_role("button", name=decision).click()
    return answered.value


# Pages whose point is below the first screen: shot 1280x1800 instead of 1280x800.
TALL = {"card", "version"}


def screenshot(page: Page, site: Site, kind: str) -> None:
    if os.environ.get("CARDINAL_SCREENSHOTS") == "1" and site.backend == "sqlite":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if kind in TALL:
            height = min(1800, page.evaluate("document.documentElement.scrollHeight"))
            clip = {"x": 0, "y": 0, "width": 1280, "height": height}
            page.screenshot(path=SCREENSHOTS / f"{kind}.png", full_page=True, clip=clip)
        else:
            page.screenshot(path=SCREENSHOTS / f"{kind}.png")

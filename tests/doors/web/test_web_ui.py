"""The web UI in a real browser (Debian's Chromium through Playwright), against one server with
authentication on per backend: signing in and out, every page type's frame and its axe-core
scan, card text shown as text, forms that only this site's own pages can send, and decisions
refused or taken under the separation-of-duties policy.

The site and its helpers are in ``site.py``; with ``CARDINAL_SCREENSHOTS=1`` the page-type test
saves each page to docs/screenshots/.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page

from cardinal.domain.audit import AuditAction, AuditQuery
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.services.demo import GROUP
from cardinal.services.model_packages import NewModelPackage
from tests.doors.web.site import (
    Site,
    decide,
    decision_form_csrf,
    screenshot,
    session_of,
    sign_in,
    status_before_redirect,
    submit_login,
)
from tests.support.browser import fresh_context, serious_violations
from tests.support.contexts import OPERATOR
from tests.support.identities import PASSWORD

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "[open me](javascript:alert(1))",
]
NAV = {"Home": "/", "Groups": "/groups", "Cards": "/cards", "Audit": "/audit"}


# Signing in and out


def test_a_page_without_a_session_sends_to_sign_in_and_back(site: Site, page: Page) -> None:
    page.goto(f"{site.url}/groups/{GROUP}")
    assert page.url == f"{site.url}/login?next=/groups/{GROUP}"
    assert page.locator('input[type="hidden"][name="next"]').get_attribute("value") == (
        f"/groups/{GROUP}"
    )
    landed = submit_login(page, "ann", PASSWORD)
    assert status_before_redirect(landed) == ("POST", 303)
    assert landed.status == 200
    assert page.url == f"{site.url}/groups/{GROUP}"


@pytest.mark.parametrize("name", ["sam", "ada"], ids=["author", "approver"])
def test_a_user_signs_in_and_out(
    site: Site, page: Page, context: BrowserContext, name: str
) -> None:
    landed = sign_in(page, site, name)
    assert status_before_redirect(landed) == ("POST", 303)
    assert page.url == f"{site.url}/"
    assert page.locator("header .who").inner_text() == name
    cookie = session_of(context)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"

    sign_out = page.locator('header form[method="post"][action="/logout"]')
    assert sign_out.locator('input[type="hidden"][name="csrf"]').get_attribute("value")
    with page.expect_navigation():
        sign_out.get_by_role("button", name="Sign out").click()
    assert page.url.startswith(f"{site.url}/login")
    page.goto(f"{site.url}/")
    assert page.url == f"{site.url}/login?next=/"


def test_a_wrong_password_shows_the_login_page_again_with_an_alert(
    site: Site, page: Page, context: BrowserContext
) -> None:
    page.goto(f"{site.url}/login")
    assert submit_login(page, "ada", "not the password at all").status == 401
    assert page.get_by_role("alert").inner_text() == "The name or the password is wrong."
    assert page.locator('form[action="/login"]').count() == 1
    assert not [c for c in context.cookies() if c["name"] == "cardinal_session"]


# Every page type: its frame, its protections, axe-core


LATER = "2999-01-01T00:00:00"
PAGES = {
    "login": ("/login", "Sign in"),
    "home": ("/", "Home"),
    "groups": ("/groups", "Model package groups"),
    "group": (f"/groups/{GROUP}", GROUP),
    "version": (f"/groups/{GROUP}/versions/1", f"{GROUP}/1"),
    "cards": ("/cards", "Model cards"),
    "card": (f"/cards/{GROUP}-v2", f"{GROUP}-v2"),
    "card-version": (f"/cards/{GROUP}-v1/versions/1", None),
    "card-diff": (f"/cards/{GROUP}-v1/diff?from=1&to=2", None),
    "card-edit": (f"/cards/{GROUP}-v2/edit", None),
    "card-chain": (f"/cards/{GROUP}-v2/chain", f"Hash chain of {GROUP}-v2"),
    "card-history": (f"/cards/{GROUP}-v2/history", f"History of {GROUP}-v2"),
    "audit": ("/audit", None),
    "search": (f"/search?q=group+%3D+{GROUP}", None),
    "account": ("/account", None),
    "group-as-of": (f"/groups/{GROUP}?as_of={LATER}", GROUP),
    "version-as-of": (f"/groups/{GROUP}/versions/1?as_of={LATER}", f"{GROUP}/1"),
    "card-as-of": (f"/cards/{GROUP}-v1?as_of={LATER}", f"{GROUP}-v1"),
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_type_has_its_frame_and_passes_axe(site: Site, page: Page, kind: str) -> None:
    path, heading = PAGES[kind]
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    if kind != "login":
        sign_in(page, site, "ann")
    response = page.goto(site.url + path)
    assert response is not None
    assert response.status == 200, response.text()
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"

    assert page.title()
    assert page.locator("main").count() == 1
    assert page.locator("h1").count() == 1
    if heading is not None:
        assert page.locator("main h1").inner_text() == heading
    if kind != "login":
        nav = page.locator("header nav")
        for text, href in NAV.items():
            assert nav.get_by_role("link", name=text, exact=True).get_attribute("href") == href
        sign_out = page.locator('header form[method="post"][action="/logout"]')
        assert sign_out.locator('input[type="hidden"][name="csrf"]').count() == 1
        assert sign_out.get_by_role("button", name="Sign out").count() == 1
        assert page.locator("header .who").inner_text() == "ann"
    assert [text for text in console if "Content Security Policy" in text] == []
    screenshot(page, site, kind)
    assert serious_violations(page) == []


# What the pages show


def test_pages_as_of_a_moment_show_what_was_true_then(site: Site, page: Page) -> None:
    sign_in(page, site, "ann")
    moment = datetime.now(UTC)
    time.sleep(0.01)
    later = site.register_as("ada")
    at = quote(moment.strftime("%Y-%m-%dT%H:%M:%S.%f"))

    page.goto(f"{site.url}/groups/{GROUP}")
    now_listed = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert str(later.version) in now_listed
    page.goto(f"{site.url}/groups/{GROUP}?as_of={at}")
    then_listed = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert str(later.version) not in then_listed
    assert sorted(then_listed, key=int) == then_listed  # oldest first
    note = page.get_by_role("note").inner_text()
    assert note.startswith(f"As of {moment:%Y-%m-%d %H:%M:%S} UTC")
    assert "each one verified" in note
    assert page.locator("#as_of").input_value() == moment.strftime("%Y-%m-%dT%H:%M:%S")

    page.get_by_role("link", name="1", exact=True).click()
    assert page.locator("main h1").inner_text() == f"{GROUP}/1"
    assert page.locator("#gate").inner_text() == "Gate then: open"
    assert page.locator('main form[method="post"]').count() == 0  # no decision on the past
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the evidence pack").click()
    assert download.value.suggested_filename.startswith(f"evidence-{GROUP}-1-")

    gone = page.goto(f"{site.url}/groups/{GROUP}/versions/{later.version}?as_of={at}")
    assert gone is not None
    assert gone.status == 404
    assert f"did not exist at {moment:%Y-%m-%dT%H:%M:%S}" in page.locator("main").inner_text()
    assert serious_violations(page) == []


def test_home_lists_what_awaits_a_decision_and_the_recent_changes(site: Site, page: Page) -> None:
    sign_in(page, site, "ann")
    queue = page.locator("main section", has=page.get_by_role("heading", name="Awaiting decision"))
    assert queue.locator(f'a[href="/groups/{GROUP}/versions/2"]').count() == 1
    assert queue.locator(f'a[href="/groups/{GROUP}/versions/1"]').count() == 0  # approved
    assert queue.locator(f'a[href="/cards/{GROUP}-v2"]').count() == 1
    recent = page.locator("main section", has=page.get_by_role("heading", name="Recent changes"))
    assert recent.locator("tbody tr").count() > 0


def test_a_group_lists_its_versions_newest_first_with_their_cards(site: Site, page: Page) -> None:
    sign_in(page, site, "ann", at="/groups")
    with page.expect_navigation():
        page.locator(f'main a[href="/groups/{GROUP}"]').click()
    rows = page.locator("main tbody tr")
    numbers = [int(n) for n in rows.locator("td:first-child").all_inner_texts()]
    assert numbers == sorted(numbers, reverse=True)
    oldest = rows.nth(len(numbers) - 1)
    assert numbers[-1] == 1
    assert "Approved" in oldest.inner_text()
    assert oldest.locator(f'a[href="/cards/{GROUP}-v1"]').count() == 1


def test_a_card_shows_its_current_version_and_hash(site: Site, page: Page) -> None:
    described = site.services.cards.describe_model_card(OPERATOR, f"{GROUP}-v2")
    sign_in(page, site, "ann", at=f"/cards/{GROUP}-v2")
    facts = page.locator("main dl.facts")
    assert "PendingReview" in facts.inner_text()
    assert described.version.content_sha256 in facts.inner_text()
    assert str(described.version.version) in facts.inner_text()
    form = page.locator(f'form[method="post"][action="/cards/{GROUP}-v2/status"]')
    assert form.locator('select[name="status"]').count() == 1
    assert form.get_by_role("button", name="Change status").count() == 1


def test_an_earlier_card_version_shows_its_own_status(site: Site, page: Page) -> None:
    # customer-churn-v1 was a Draft at version 1; version 2 is Approved.
    sign_in(page, site, "ann", at=f"/cards/{GROUP}-v1/versions/1")
    facts = page.locator("main dl.facts dt")
    status = facts.filter(has_text=re.compile("^Status$")).locator("xpath=following::dd[1]")
    assert status.inner_text() == "Draft"
    now = facts.filter(has_text=re.compile("^Status now$")).locator("xpath=following::dd[1]")
    assert now.inner_text().startswith("Approved")


def test_an_author_changes_a_cards_status_without_a_new_version(site: Site, page: Page) -> None:
    name = f"status-{site.backend}"
    site.services.cards.create_model_card(
        OPERATOR, name, json.dumps({"model_overview": {"model_owner": "retention-ml"}}),
        ModelCardStatus.DRAFT,
    )  # fmt: skip
    sign_in(page, site, "sam", at=f"/cards/{name}")
    form = page.locator(f'form[action="/cards/{name}/status"]')
    form.locator('select[name="status"]').select_option("PendingReview")
    with page.expect_navigation() as answered:
        form.get_by_role("button", name="Change status").click()
    assert answered.value.status == 200
    assert page.url == f"{site.url}/cards/{name}"
    assert "PendingReview" in page.locator("main dl.facts").inner_text()
    described = site.services.cards.describe_model_card(OPERATOR, name)
    assert described.card.status is ModelCardStatus.PENDING_REVIEW
    assert described.card.latest_version == 1


# Card text is text


def test_card_text_is_shown_as_text_and_never_runs(site: Site, browser: Browser) -> None:
    name = f"hostile-{site.backend}"
    content = {
        "model_overview": {"model_description": HOSTILE[0], "model_owner": HOSTILE[1]},
        "business_details": {"business_problem": HOSTILE[2], "line_of_business": HOSTILE[3]},
    }
    site.services.cards.create_model_card(
        OPERATOR, name, json.dumps(content), ModelCardStatus.DRAFT
    )
    content["intended_uses"] = {"intended_uses": HOSTILE[1]}
    site.services.cards.update_model_card(OPERATOR, name, content=json.dumps(content))
    # The page's own CSP would stop an injected script anyway: bypass it, so that only the
    # escaping stands between the card's text and the browser.
    with fresh_context(browser, bypass_csp=True) as context:
        page = context.new_page()
        dialogs: list[str] = []

        def dismiss(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        sign_in(page, site, "ann")
        shown = {
            f"/cards/{name}": HOSTILE,
            f"/cards/{name}/versions/1": HOSTILE,
            # What changed; that a diff shows text as written is the test after this one.
            f"/cards/{name}/diff?from=1&to=2": [],
        }
        for path, texts in shown.items():
            page.goto(site.url + path)
            page.wait_for_load_state("networkidle")
            text = page.locator("main").inner_text()
            for hostile in texts:
                assert hostile in text, (path, hostile)
            assert_nothing_injected(page, path)
        page.goto(f"{site.url}/cards/{name}/edit")
        page.wait_for_load_state("networkidle")
        values = page.locator("main input, main textarea").evaluate_all(
            "fields => fields.map(field => field.value)"
        )
        assert set(HOSTILE) <= set(values)
        assert_nothing_injected(page, "edit")
        assert dialogs == []


def assert_nothing_injected(page: Page, where: str) -> None:
    assert page.locator("img").count() == 0, where
    assert page.locator("[onerror]").count() == 0, where
    assert page.locator("main script").count() == 0, where
    assert page.locator('a[href^="javascript:" i]').count() == 0, where


def test_a_diff_shows_changed_text_as_it_was_written(site: Site, page: Page) -> None:
    name = f"diff-{site.backend}"
    written = "Précis & <b>bold</b> claims: 日本語"
    content: dict[str, dict[str, str]] = {"model_overview": {"model_owner": "retention-ml"}}
    site.services.cards.create_model_card(
        OPERATOR, name, json.dumps(content), ModelCardStatus.DRAFT
    )
    content["model_overview"]["model_description"] = written
    site.services.cards.update_model_card(OPERATOR, name, content=json.dumps(content))
    sign_in(page, site, "ann", at=f"/cards/{name}/diff?from=1&to=2")
    assert written in page.locator("main table").inner_text()


# Forms only this site's pages can send


def test_a_decision_without_the_csrf_token_is_refused(
    site: Site, page: Page, context: BrowserContext
) -> None:
    package = site.register_as("ada")
    path = f"/groups/{GROUP}/versions/{package.version}"
    sign_in(page, site, "ann", at=path)
    cookie = session_of(context)
    with httpx.Client(
        base_url=site.url, cookies={"cardinal_session": str(cookie["value"])}, timeout=30
    ) as client:
        assert client.get(path).status_code == 200  # the session is good
        refused = client.post(f"{path}/decision", data={"decision": "Approved"})
    assert refused.status_code == 403
    assert site.status_of(package) is ApprovalStatus.PENDING_MANUAL_APPROVAL
    page.reload()
    assert "PendingManualApproval" in page.locator("main dl.facts").inner_text()


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}],
    ids=["another origin", "cross-site fetch"],
)
def test_a_decision_sent_from_another_site_is_refused(
    site: Site, page: Page, context: BrowserContext, headers: dict[str, str]
) -> None:
    package = site.register_as("ada")
    path = f"/groups/{GROUP}/versions/{package.version}"
    sign_in(page, site, "ann", at=path)
    token = decision_form_csrf(page)
    cookie = session_of(context)
    with httpx.Client(
        base_url=site.url, cookies={"cardinal_session": str(cookie["value"])}, timeout=30
    ) as client:
        refused = client.post(
            f"{path}/decision", data={"csrf": token, "decision": "Approved"}, headers=headers
        )
    assert refused.status_code == 403
    assert site.status_of(package) is ApprovalStatus.PENDING_MANUAL_APPROVAL


# Decisions under the policy


def test_an_author_is_refused_a_decision_with_the_role_it_needs(site: Site, page: Page) -> None:
    package = site.register_as("ada")
    sign_in(page, site, "sam", at=f"/groups/{GROUP}/versions/{package.version}")
    refused = decide(page, "Approve", "looks fine to me")
    assert refused.status == 403
    assert "needs the approver role" in page.get_by_role("alert").inner_text()
    assert site.status_of(package) is ApprovalStatus.PENDING_MANUAL_APPROVAL


def test_the_registrant_is_refused_by_the_policy_and_another_approver_approves(
    site: Site, browser: Browser
) -> None:
    package = site.register_as("ada")
    card = site.services.carry_over.start_card_for_package(
        OPERATOR, package.arn, f"{GROUP}-sod-{site.backend}-{package.version}"
    ).card
    path = f"/groups/{GROUP}/versions/{package.version}"

    with fresh_context(browser) as ada:
        page = ada.new_page()
        sign_in(page, site, "ada", at=path)
        assert page.get_by_role("heading", name="Gate: closed").count() == 1
        assert (
            page.locator("#yours")
            .inner_text()
            .startswith("Your approval would be refused: separation_of_duties: ada registered")
        )
        refused = decide(page, "Approve", "my own work")
        assert refused.status in (403, 409)
        assert page.get_by_role("alert").inner_text() == (
            f"separation_of_duties: ada registered {GROUP}/{package.version} and can't "
            "approve it (global policy v1)"
        )
        screenshot(page, site, "version-refused")
        assert serious_violations(page) == []
    assert site.status_of(package) is ApprovalStatus.PENDING_MANUAL_APPROVAL

    with fresh_context(browser) as ann:
        page = ann.new_page()
        sign_in(page, site, "ann", at=path)
        approved = decide(page, "Approve", "reviewed the holdout metrics")
        assert status_before_redirect(approved) == ("POST", 303)
        assert page.url == site.url + path
        assert "Approved" in page.locator("main dl.facts").inner_text()
        rows = page.get_by_role("region", name="Decisions").locator("table tbody tr")
        assert rows.count() == 1
        cells = rows.first.locator("td").all_inner_texts()
        described = site.services.cards.describe_model_card(OPERATOR, card.name)
        # who, decision, outcome, comment, policy; then the card version seen, with its hash
        assert cells[1:6] == [
            "ann", "Approved", "Approved", "reviewed the holdout metrics", "global v1"
        ]  # fmt: skip
        assert f"{card.name} v{described.version.version}" in cells[6]
        assert described.version.content_sha256 in cells[6]
    assert site.status_of(package) is ApprovalStatus.APPROVED


def test_a_long_list_pages_forward_back_and_to_the_first_page(site: Site, page: Page) -> None:
    group = f"paged-{site.backend}"
    site.services.groups.create_model_package_group(OPERATOR, group)
    for _ in range(60):
        site.services.packages.register_model_package(OPERATOR, group, NewModelPackage())
    sign_in(page, site, "ann", at=f"/groups/{group}")

    def shown() -> tuple[int, int]:
        cells = page.locator("main table tbody tr td:first-child").all_inner_texts()
        numbers = [int(c.split("/")[-1].split()[0]) for c in cells]
        return numbers[0], numbers[-1]

    def go(link: str) -> None:
        with page.expect_navigation():
            page.locator("nav.pager").get_by_role("link", name=link).click()

    pager = page.locator("nav.pager")
    assert shown() == (60, 36)
    assert pager.get_by_role("link").all_inner_texts() == ["Next page"]
    go("Next page")
    assert shown() == (35, 11)
    go("Next page")
    assert shown() == (10, 1)
    assert pager.get_by_role("link").all_inner_texts() == ["First page", "Previous page"]
    go("Previous page")
    assert shown() == (35, 11)
    page.reload()
    assert shown() == (35, 11)
    go("Previous page")
    assert shown() == (60, 36)
    go("Next page")
    go("First page")
    assert shown() == (60, 36)


def test_signing_in_and_out_is_not_a_recent_change(site: Site, page: Page) -> None:
    # Signing in is recorded (newest of all events) but home's recent changes leave it out.
    sign_in(page, site, "ann")
    newest = site.services.audit.list_audit_events(
        OPERATOR, AuditQuery(max_results=1, newest_first=True)
    ).items[0]
    assert (newest.action, newest.actor) == (AuditAction.SESSION_START, "ann")
    recent = page.get_by_role("region", name="Recent changes").inner_text()
    assert "user:sign-in" not in recent
    assert "model-" in recent


@pytest.mark.parametrize("kind", [k for k in PAGES if k != "login"])
def test_every_page_fits_a_tablet_and_prints_without_its_controls(
    site: Site, browser: Browser, kind: str
) -> None:
    with fresh_context(browser) as context:
        page = context.new_page()
        page.set_viewport_size({"width": 768, "height": 1024})
        sign_in(page, site, "ann", at=PAGES[kind][0])
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{kind} is {overflow}px wider than a tablet's screen"
        page.emulate_media(media="print")
        assert page.locator("header.top").is_hidden()
        assert all(form.is_hidden() for form in page.locator("main form").all())
        assert page.locator("main h1").is_visible()

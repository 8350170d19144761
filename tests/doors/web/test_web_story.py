"""The registry's story told through the web UI, in a real browser, on both backends: an author
creates a card and links it to version N, an approver approves the card and the version, the
card of version N+1 is started from version N's card, edited, compared and exported as a PDF.
Every step goes through the pages' own forms and links; the store is read to check what they
did.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import Browser, Page, Response

from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.services.demo import GROUP
from tests.doors.web.site import Site, decide, screenshot, sign_in
from tests.support.browser import fresh_context, serious_violations
from tests.support.contexts import OPERATOR


def submit(page: Page, form_action: str, fields: dict[str, str], button: str) -> Response:
    """Fill in the form posting to ``form_action`` and press ``button``; the answer landed on."""
    form = page.locator(f'form[method="post"][action="{form_action}"]')
    for name, value in fields.items():
        form.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation() as landed:
        form.get_by_role("button", name=button).click()
    return landed.value


def fact(page: Page, label: str) -> str:
    term = page.locator("main dl.facts dt").filter(has_text=re.compile(f"^{label}$"))
    return term.locator("xpath=following::dd[1]").inner_text()


def test_a_card_is_written_linked_approved_carried_over_compared_and_exported(
    site: Site, browser: Browser
) -> None:
    first = site.register_as("ada")
    name = f"story-{site.backend}"
    version_path = f"/groups/{GROUP}/versions/{first.version}"

    with fresh_context(browser) as sam_context:
        page = sam_context.new_page()
        sign_in(page, site, "sam", at="/cards")
        with page.expect_navigation():
            page.get_by_role("link", name="New card").click()
        assert page.locator("main h1").inner_text() == "New model card"
        assert serious_violations(page) == []
        screenshot(page, site, "card-new")
        landed = submit(page, "/cards/new", {"name": name}, "Create the card")
        assert landed.status == 200
        assert page.url == f"{site.url}/cards/{name}"
        assert fact(page, "Status") == "Draft"

        landed = submit(
            page, f"/cards/{name}/link", {"package": f"{GROUP}/{first.version}"}, "Link"
        )
        assert landed.status == 200
        documents = page.locator("main dl.facts").get_by_role("link", name=first.arn)
        assert documents.get_attribute("href") == version_path
        linked = site.services.cards.describe_model_card(OPERATOR, name)
        assert linked.card.model_package_arn == first.arn
        assert linked.version.version == 2

        with page.expect_navigation():
            page.get_by_role("link", name="Edit this card").click()
        problem = "Which customers will leave within 90 days."
        landed = submit(
            page,
            f"/cards/{name}/edit",
            {
                "model_overview.model_description": "Gradient-boosted churn classifier.",
                "business_details.business_problem": problem,
            },
            "Save as a new version",
        )
        assert landed.status == 200
        assert problem in page.locator("main .card-document").inner_text()

    with fresh_context(browser) as ann_context:
        page = ann_context.new_page()
        sign_in(page, site, "ann", at=f"/cards/{name}")
        form = page.locator(f'form[method="post"][action="/cards/{name}/status"]')
        form.locator('select[name="status"]').select_option("Approved")
        with page.expect_navigation():
            form.get_by_role("button", name="Change status").click()
        assert fact(page, "Status") == "Approved"

        page.goto(site.url + version_path)
        approved = decide(page, "Approve", "card and metrics reviewed")
        assert approved.status == 200
        assert fact(page, "Approval status") == "Approved"
        assert page.get_by_role("heading", name="Gate: open").count() == 1
        history = page.get_by_role("region", name="History").inner_text()
        for action in ("model-package:register", "model-card:link", "model-card:status",
                       "model-package:approval"):  # fmt: skip
            assert action in history
        assert history.index("model-package:register") < history.index("model-package:approval")
        # An approved version can still be rejected, not approved again.
        decision = page.locator('form[action$="/decision"]')
        assert decision.get_by_role("button", name="Approve").count() == 0
        assert decision.get_by_role("button", name="Reject").count() == 1
    assert site.status_of(first) is ApprovalStatus.APPROVED
    assert site.services.cards.describe_model_card(OPERATOR, name).card.status is (
        ModelCardStatus.APPROVED
    )

    second = site.register_as("ada")
    with fresh_context(browser) as sam_context:
        page = sam_context.new_page()
        sign_in(page, site, "sam", at=f"/groups/{GROUP}/versions/{second.version}")
        assert fact(page, "Model card").startswith("none documents this version")
        start = page.locator(f'form[action="/groups/{GROUP}/versions/{second.version}/card"]')
        assert start.locator('input[name="name"]').input_value() == f"{GROUP}-v{second.version}"
        region = page.get_by_role("region", name="Start the card of this version")
        assert f"It starts from {name} (version 3)" in region.inner_text()
        landed = submit(
            page,
            f"/groups/{GROUP}/versions/{second.version}/card",
            {"name": f"{name}-next"},
            "Start the card",
        )
        assert landed.status == 200
        assert page.url == f"{site.url}/cards/{name}-next"
        assert problem in page.locator("main .card-document").inner_text()
        started = site.services.cards.describe_model_card(OPERATOR, f"{name}-next")
        assert started.card.model_package_arn == second.arn

        with page.expect_navigation():
            page.get_by_role("link", name="Edit this card").click()
        submit(
            page,
            f"/cards/{name}-next/edit",
            {"model_overview.model_description": "Retrained on the March data."},
            "Save as a new version",
        )
        with page.expect_navigation():
            page.get_by_role("link", name="with 1").click()
        redline = page.locator("main table.redline").inner_text()
        assert "$.model_overview" in redline
        assert "Retrained on the March data." in redline
        assert serious_violations(page) == []

        page.goto(f"{site.url}/cards/{quote(name + '-next')}")
        with page.expect_download() as downloading:
            page.get_by_role("link", name="PDF").click()
        pdf = downloading.value
        assert pdf.suggested_filename.endswith(".pdf")
        with open(pdf.path(), "rb") as saved:
            assert saved.read(5) == b"%PDF-"

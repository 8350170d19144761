"""The web UI over plain HTTP, against a server with authentication on, on both backends:
signing in, the protections of every page (CSP, CSRF, origin), card text as text, and decisions
through the same services and policies as every door."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text

from cardinal.config import Settings
from cardinal.domain.access import Grant, Role
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.domain.paging import PageRequest
from cardinal.services.container import Services
from cardinal.services.model_packages import NewModelPackage
from tests.conftest import BACKENDS
from tests.support.contexts import OPERATOR
from tests.support.databases import module_database
from tests.support.server import RunningServer, start_server

PASSWORD = "a long enough password"
PAGE = PageRequest(sort_by="Name", max_results=100)
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]


@dataclass
class Site:
    server: RunningServer
    services: Services

    def browser(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, follow_redirects=False, timeout=30)

    @contextmanager
    def signed_in(self, name: str) -> Iterator[httpx.Client]:
        with self.browser() as client:
            form = client.get("/login")
            response = client.post(
                "/login",
                data={"name": name, "password": PASSWORD, "csrf": csrf_of(form.text), "next": "/"},
            )
            assert response.status_code == 303, response.text
            yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found[1]


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    with ExitStack() as stack:
        url = module_database(request, tmp_path_factory, stack)
        data_dir = tmp_path_factory.mktemp("server")
        services = Services.for_database(url, None, Settings(data_dir=data_dir).secret_box())
        stack.callback(services.close)
        for name, role in [("ada", Role.APPROVER), ("ann", Role.APPROVER), ("vic", Role.VIEWER)]:
            services.identities.create_principal(OPERATOR, name, grants=[Grant(role)])
            services.identities.set_password(OPERATOR, name, PASSWORD)
        services.policies.set_policy(OPERATOR, {"separation_of_duties": True}, None)
        services.groups.create_model_package_group(OPERATOR, "churn")
        server = start_server(url, data_dir, extra_env={"CARDINAL_AUTH": "on"})
        stack.callback(server.stop)
        yield Site(server, services)


def registered_by(site: Site, name: str) -> int:
    from dataclasses import replace

    principal = site.services.identities.describe_principal(OPERATOR, name)
    ctx = replace(OPERATOR, actor=name, principal=principal)
    return site.services.packages.register_model_package(ctx, "churn", NewModelPackage()).version


def test_a_page_without_a_session_sends_to_sign_in(site: Site) -> None:
    with site.browser() as client:
        response = client.get("/groups/churn")
        filtered = client.get("/audit?actor=ann&action=card%3Astatus")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/groups/churn"
    assert filtered.headers["location"] == (
        "/login?next=/audit%3Factor%3Dann%26action%3Dcard%253Astatus"
    )


def test_signing_in_with_a_wrong_password_is_refused(site: Site) -> None:
    with site.browser() as client:
        form = client.get("/login")
        assert "default-src 'none'" in form.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in form.headers["content-security-policy"]
        assert form.headers["x-content-type-options"] == "nosniff"
        wrong = client.post(
            "/login", data={"name": "ada", "password": "not it at all", "csrf": csrf_of(form.text)}
        )
        assert wrong.status_code == 401
        assert "The name or the password is wrong." in wrong.text
        assert "cardinal_session" not in wrong.cookies


def test_a_session_cookie_is_http_only_and_lax(site: Site) -> None:
    with site.browser() as client:
        form = client.get("/login")
        response = client.post(
            "/login",
            data={"name": "ada", "password": PASSWORD, "csrf": csrf_of(form.text), "next": "/x"},
        )
    cookie = response.headers["set-cookie"].lower()
    assert "cardinal_session=crs_" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert response.headers["location"] == "/x"


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example/", "/\tevil", "evil", "/%0a"],
)
def test_sign_in_never_sends_to_another_site(site: Site, target: str) -> None:
    with site.browser() as client:
        form = client.get("/login")
        response = client.post(
            "/login",
            data={"name": "ada", "password": PASSWORD, "csrf": csrf_of(form.text),
                  "next": target},
        )  # fmt: skip
    assert response.headers["location"] == ("/%0a" if target == "/%0a" else "/")


def test_the_registrant_is_refused_by_the_policy_and_another_approver_approves(
    site: Site,
) -> None:
    version = registered_by(site, "ada")
    page = f"/groups/churn/versions/{version}"
    with site.signed_in("ada") as ada:
        shown = ada.get(page)
        assert shown.status_code == 200
        refused = ada.post(
            page + "/decision",
            data={"csrf": csrf_of(shown.text), "decision": "Approved", "comment": "mine"},
        )
        assert refused.status_code == 403
        assert (
            f"separation_of_duties: ada registered churn/{version} and can&#39;t approve it"
            in refused.text
        )
    with site.signed_in("ann") as ann:
        shown = ann.get(page)
        done = ann.post(
            page + "/decision",
            data={"csrf": csrf_of(shown.text), "decision": "Approved", "comment": "fine"},
        )
        assert done.status_code == 303
        after = ann.get(page).text
    assert "Approved" in after
    stored = site.services.packages.describe_model_package(OPERATOR, f"churn/{version}")
    assert stored.approval_status is ApprovalStatus.APPROVED
    decisions = site.services.policies.decisions(OPERATOR, stored)
    assert [(d.decided_by, d.comment) for d in decisions] == [("ann", "fine")]


@pytest.mark.parametrize(
    ("headers", "with_csrf"),
    [
        ({}, False),
        ({"Origin": "http://evil.example"}, True),
        ({"Sec-Fetch-Site": "cross-site"}, True),
    ],
    ids=["no csrf token", "another origin", "cross-site fetch"],
)
def test_a_decision_not_sent_by_this_sites_own_form_is_refused(
    site: Site, headers: dict[str, str], with_csrf: bool
) -> None:
    version = registered_by(site, "ada")
    page = f"/groups/churn/versions/{version}"
    with site.signed_in("ann") as ann:
        token = csrf_of(ann.get(page).text)
        data = {"decision": "Approved", **({"csrf": token} if with_csrf else {})}
        refused = ann.post(page + "/decision", data=data, headers=headers)
    assert refused.status_code == 403
    stored = site.services.packages.describe_model_package(OPERATOR, f"churn/{version}")
    assert stored.approval_status is ApprovalStatus.PENDING_MANUAL_APPROVAL


def test_a_viewer_is_refused_a_decision_with_the_role_it_needs(site: Site) -> None:
    version = registered_by(site, "ada")
    page = f"/groups/churn/versions/{version}"
    with site.signed_in("vic") as vic:
        refused = vic.post(
            page + "/decision", data={"csrf": csrf_of(vic.get(page).text), "decision": "Rejected"}
        )
    assert refused.status_code == 403
    assert "needs the approver role" in refused.text


def test_card_text_is_rendered_as_text_on_every_page(site: Site) -> None:
    content = {
        "model_overview": {"model_description": HOSTILE[0], "model_owner": HOSTILE[1]},
        "business_details": {"business_problem": HOSTILE[2]},
    }
    name = "hostile-card"
    site.services.cards.create_model_card(
        OPERATOR, name, json.dumps(content), ModelCardStatus.DRAFT
    )
    content["business_details"]["line_of_business"] = HOSTILE[0]
    site.services.cards.update_model_card(OPERATOR, name, content=json.dumps(content))
    with site.signed_in("vic") as vic:
        for path in [f"/cards/{name}", f"/cards/{name}/versions/1", f"/cards/{name}/edit",
                     f"/cards/{name}/diff?from=1&to=2", "/cards", "/"]:  # fmt: skip
            html = vic.get(path).text
            assert "<script>alert(1)" not in html, path
            assert "<img src=x" not in html, path
            assert 'href="javascript:' not in html, path
        card = vic.get(f"/cards/{name}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in card


def test_the_audit_trail_filters_by_actor_and_action(site: Site) -> None:
    registered_by(site, "ada")
    with site.signed_in("vic") as vic:
        page = vic.get("/audit", params={"actor": "ada", "action": "model-package:register"})
        assert page.status_code == 200
        rows = re.findall(r"<tr><td>\d+</td>.*?</tr>", page.text, flags=re.S)
        assert rows
        assert all(">ada<" in row and "model-package:register" in row for row in rows)
        wrong = vic.get("/audit", params={"action": "no-such:thing"})
    assert wrong.status_code == 422
    assert "is not an action" in wrong.text


def test_a_refused_decision_keeps_the_comment_typed(site: Site) -> None:
    version = registered_by(site, "ada")
    page = f"/groups/churn/versions/{version}"
    with site.signed_in("ada") as ada:
        token = csrf_of(ada.get(page).text)
        comment = "Checked <the> holdout & drift"
        refused = ada.post(
            page + "/decision", data={"csrf": token, "decision": "Approved", "comment": comment}
        )
    assert refused.status_code == 403
    assert ">Checked &lt;the&gt; holdout &amp; drift</textarea>" in refused.text


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"name": "bad name!"}, 422, "bad name!"),
        ({"name": "loose-card", "package": "churn/999"}, 404, "Could not find model package"),
        ({"name": "", "package": ""}, 422, ""),
    ],
    ids=["bad name", "unknown version", "no name"],
)
def test_a_new_card_refused_keeps_the_form_and_changes_nothing(
    site: Site, fields: dict[str, str], status: int, message: str
) -> None:
    with site.signed_in("ann") as ann:
        token = csrf_of(ann.get("/cards/new").text)
        refused = ann.post("/cards/new", data={"csrf": token, **fields})
    assert refused.status_code == status, refused.text
    assert 'role="alert"' in refused.text
    assert message.replace("!", "") in refused.text
    assert f'value="{fields["name"]}"'.replace("!", "") in refused.text.replace("!", "")
    names = [c.name for c in site.services.cards.list_model_cards(OPERATOR, PAGE).items]
    assert fields["name"] not in names


def test_a_new_card_without_the_csrf_token_is_refused(site: Site) -> None:
    with site.signed_in("ann") as ann:
        refused = ann.post("/cards/new", data={"name": "forged-card"})
    assert refused.status_code == 403
    names = [c.name for c in site.services.cards.list_model_cards(OPERATOR, PAGE).items]
    assert "forged-card" not in names


def test_a_link_from_a_stale_page_is_refused_and_changes_nothing(site: Site) -> None:
    version = registered_by(site, "ada")
    name = f"stale-link-{version}"
    site.services.cards.create_model_card(OPERATOR, name, "{}", ModelCardStatus.DRAFT)
    with site.signed_in("ann") as ann:
        token = csrf_of(ann.get(f"/cards/{name}").text)
        site.services.cards.update_model_card(
            OPERATOR, name, content=json.dumps({"model_overview": {"model_owner": "risk"}})
        )
        refused = ann.post(
            f"/cards/{name}/link",
            data={"csrf": token, "based_on": "1", "package": f"churn/{version}"},
        )
    assert refused.status_code == 412
    assert "changed since it was read" in refused.text
    described = site.services.cards.describe_model_card(OPERATOR, name)
    assert (described.version.version, described.card.model_package_arn) == (2, None)


def test_starting_the_card_of_a_version_twice_is_refused(site: Site) -> None:
    version = registered_by(site, "ada")
    page = f"/groups/churn/versions/{version}"
    with site.signed_in("ann") as ann:
        token = csrf_of(ann.get(page).text)
        made = ann.post(page + "/card", data={"csrf": token, "name": f"first-{version}"})
        assert made.status_code == 303
        assert made.headers["location"] == f"/cards/first-{version}"
        again = ann.post(page + "/card", data={"csrf": token, "name": f"second-{version}"})
    assert again.status_code == 409
    assert f"already documented by model card &#39;first-{version}&#39;" in again.text
    names = [c.name for c in site.services.cards.list_model_cards(OPERATOR, PAGE).items]
    assert f"second-{version}" not in names


def test_the_audit_trail_filters_by_time_and_shows_before_and_after(site: Site) -> None:
    name = "timed-card"
    site.services.cards.create_model_card(OPERATOR, name, "{}", ModelCardStatus.DRAFT)
    cut = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((cut - datetime.now(UTC)).total_seconds() + 0.05)
    site.services.cards.update_model_card(OPERATOR, name, status=ModelCardStatus.PENDING_REVIEW)
    arn = site.services.cards.describe_model_card(OPERATOR, name).card.arn

    def actions(**filters: str) -> list[str]:
        page = vic.get("/audit", params={"resource": arn, **filters})
        assert page.status_code == 200, page.text
        return re.findall(r"<td>(model-card:[a-z-]+)</td>", page.text)

    with site.signed_in("vic") as vic:
        assert actions() == ["model-card:status", "model-card:create"]
        local = cut.replace(tzinfo=None).isoformat()
        assert actions(since=local) == ["model-card:status"]
        assert actions(until=local) == ["model-card:create"]
        assert actions(since=cut.isoformat()) == ["model-card:status"]
        shown = vic.get("/audit", params={"resource": arn, "since": local}).text
        assert "&#34;status&#34;: &#34;Draft&#34;" in shown
        assert "&#34;status&#34;: &#34;PendingReview&#34;" in shown
        assert f'<a href="/cards/{name}">{name}</a>' in shown
        wrong = vic.get("/audit", params={"since": "last tuesday"})
    assert wrong.status_code == 422
    assert "From &#39;last tuesday&#39; is not a time" in wrong.text


def test_a_version_says_how_many_approvals_it_still_needs_and_what_mine_would_do(
    site: Site,
) -> None:
    group = "two-approvals"
    site.services.groups.create_model_package_group(OPERATOR, group)
    site.services.policies.set_policy(
        OPERATOR, {"separation_of_duties": True, "approvals_required": {"Unknown": 2}}, group
    )
    version = site.services.packages.register_model_package(
        OPERATOR, group, NewModelPackage()
    ).version
    page = f"/groups/{group}/versions/{version}"
    with site.signed_in("ann") as ann:
        before = ann.get(page).text
        assert "0 of 2 for a Unknown-risk card: needs 2 more approvers" in before
        assert "Your approval would count as 1 of 2." in before
        ann.post(page + "/decision", data={"csrf": csrf_of(before), "decision": "Approved"})
        after = ann.get(page).text
    assert "1 of 2 for a Unknown-risk card (ann): needs 1 more approver<" in after
    assert "Your approval would be refused: approvals_required: ann has approved" in after


def test_a_cards_chain_is_verified_and_a_break_is_shown_as_found(site: Site) -> None:
    name = "chained-card"
    site.services.cards.create_model_card(OPERATOR, name, "{}", ModelCardStatus.DRAFT)
    site.services.cards.update_model_card(
        OPERATOR, name, content=json.dumps({"model_overview": {"model_owner": "risk"}})
    )
    with site.signed_in("vic") as vic:
        card = vic.get(f"/cards/{name}").text
        assert f'<a href="/cards/{name}/chain">Verify the chain</a>' in card
        verified = vic.get(f"/cards/{name}/chain")
        assert verified.status_code == 200
        assert "each of the 2 versions" in verified.text
        card_id = site.services.cards.describe_model_card(OPERATOR, name).card.id
        with site.services.store.engine.begin() as connection:
            connection.execute(
                text("UPDATE model_card_versions SET content = '{}' WHERE card_id = :id "
                     "AND version = 2"),
                {"id": card_id},
            )  # fmt: skip
        broken = vic.get(f"/cards/{name}/chain").text
    assert "The chain does not hold: 2 breaks" in broken
    assert "the stored content does not match its hash" in broken
    assert site.services.cards.describe_model_card(OPERATOR, name).version.content == "{}"


def test_a_cards_whole_history_is_read_in_pages(site: Site) -> None:
    name = "long-history"
    site.services.cards.create_model_card(OPERATOR, name, "{}", ModelCardStatus.DRAFT)
    for n in range(2, 31):
        site.services.cards.update_model_card(
            OPERATOR, name, content=json.dumps({"model_overview": {"model_owner": f"o{n}"}})
        )

    def versions(html: str) -> list[int]:
        return [int(v) for v in re.findall(rf'href="/cards/{name}/versions/(\d+)"', html)]

    with site.signed_in("vic") as vic:
        card = vic.get(f"/cards/{name}").text
        assert versions(card) == list(range(30, 20, -1))
        assert f'<a href="/cards/{name}/history">All 30 versions</a>' in card
        first = vic.get(f"/cards/{name}/history")
        assert first.status_code == 200
        assert versions(first.text) == list(range(30, 5, -1))
        following = re.search(r'<a href="(\?[^"]+)" rel="next">', first.text)
        assert following is not None
        second = vic.get(f"/cards/{name}/history" + following[1].replace("&amp;", "&")).text
    assert versions(second) == list(range(5, 0, -1))
    assert 'rel="prev"' in second

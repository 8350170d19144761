"""`cardinal.client` against a real server: the churn story, ETags, errors, and paging."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cardinal.client import (
    ApiError,
    CardinalClient,
    CardinalClientError,
    CardWithETag,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PreconditionFailedError,
    TransportError,
)
from cardinal.domain.audit import AuditAction
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.wire.cards import CardRead, CardSummary
from cardinal.wire.registry import PackageRead
from tests.support.server import RunningServer, free_port

ARN = "arn:aws:sagemaker:us-east-1:000000000000"
BUSINESS = {"business_problem": "Churn", "line_of_business": "Subscriptions"}
USES = {"purpose_of_model": "Rank churn risk", "risk_rating": "Medium"}
CARD = {"business_details": BUSINESS, "intended_uses": USES}


@pytest.fixture
def client(server: RunningServer) -> Iterator[CardinalClient]:
    with CardinalClient(server.url, actor="alice") as opened:
        yield opened


def test_the_churn_story(client: CardinalClient) -> None:
    made = client.cards.create("churn-v1", CARD, tags={"team": "retention"})
    assert isinstance(made, CardWithETag)
    assert isinstance(made.card, CardRead)
    assert (made.version, made.etag, made.card.status) == (1, '"v1"', ModelCardStatus.DRAFT)
    assert made.card.created_by == "alice"

    group = client.groups.create("churn", description="Customer churn")
    assert (group.name, group.arn) == ("churn", f"{ARN}:model-package-group/churn")
    v1 = client.packages.register("churn", description="gbm, first cut")
    assert isinstance(v1, PackageRead)
    assert (v1.version, v1.approval_status) == (1, ApprovalStatus.PENDING_MANUAL_APPROVAL)
    approved = client.packages.approve("churn", 1, description="Holdout AUC 0.91")
    assert approved.approval_status is ApprovalStatus.APPROVED
    assert approved.approval_description == "Holdout AUC 0.91"

    details = {"model_package_arn": v1.arn, "model_package_group_name": "churn"}
    linked_content = {**CARD, "model_package_details": details}
    linked = client.cards.update_content("churn-v1", linked_content, if_match=made.etag)
    assert (linked.version, linked.etag) == (2, '"v2"')
    assert linked.card.model_package_arn == v1.arn
    assert linked.card.previous_sha256 == made.card.chain_sha256

    closed = client.packages.gate("churn", 1)
    assert (closed.open, closed.model_card_name) == (False, "churn-v1")
    assert closed.missing
    client.cards.set_status("churn-v1", ModelCardStatus.APPROVED, if_match=linked.etag)
    opened = client.packages.gate("churn", 1)
    assert (opened.open, opened.model_card_status, opened.missing) == (
        True,
        ModelCardStatus.APPROVED,
        [],
    )

    v2 = client.packages.register("churn", description="gbm, more features")
    assert v2.version == 2
    cloned = client.cards.clone("churn/2", "churn-v2")
    assert cloned.version == 1
    assert cloned.card.model_package_arn == v2.arn
    assert cloned.card.content["business_details"] == BUSINESS
    assert cloned.card.content["intended_uses"] == USES
    assert cloned.card.carried_over_from is not None
    assert cloned.card.carried_over_from["model_card_arn"] == made.card.arn
    assert cloned.card.carried_over_from["model_card_version"] == 2

    diff = client.cards.diff("churn-v1", 1, 2)
    assert (diff.from_version, diff.to_version) == (1, 2)
    assert [(c.path, c.kind) for c in diff.changes] == [("$.model_package_details", "added")]
    added = diff.changes[0].new
    assert isinstance(added, dict)
    assert added["model_package_arn"] == v1.arn

    found = client.search.cards("group = churn", sort="name", order="asc")
    assert [hit.name for hit in found] == ["churn-v1", "churn-v2"]
    assert [hit.name for hit in client.search.cards("tag.team = retention")] == ["churn-v1"]
    assert [p.name for p in client.search.packages("approval = Approved")] == ["churn/1"]

    events = list(client.audit.events(resource=made.card.arn))
    assert [e.action for e in events] == [
        AuditAction.CARD_CREATE,
        AuditAction.CARD_LINK,
        AuditAction.CARD_STATUS,
    ]
    assert {e.actor for e in events} == {"alice"}
    assert [e.action for e in client.audit.events(action=AuditAction.PACKAGE_APPROVAL)] == [
        AuditAction.PACKAGE_APPROVAL
    ]

    verified = client.verify()
    assert verified.ok
    assert verified.breaks == []
    assert verified.card_versions == 3


def test_a_stale_if_match_raises_and_changes_nothing(client: CardinalClient) -> None:
    first = client.cards.create("churn", CARD)
    second = client.cards.update_content("churn", {"intended_uses": USES}, if_match=first.etag)
    with pytest.raises(PreconditionFailedError, match="is at version 2, not 1") as raised:
        client.cards.update_content("churn", CARD, if_match=first.etag)
    assert raised.value.status == 412
    assert raised.value.problem["type"] == "https://cardinal.dev/problems/precondition-failed"
    with pytest.raises(PreconditionFailedError):
        client.cards.set_status("churn", "Approved", if_match=first.etag)
    now = client.cards.get("churn")
    assert (now.version, now.etag, now.card.status) == (2, '"v2"', ModelCardStatus.DRAFT)
    assert now.card.content == {"intended_uses": USES}

    status = client.cards.set_status("churn", ModelCardStatus.APPROVED, if_match=second.etag)
    assert (status.version, status.card.status) == (2, ModelCardStatus.APPROVED)
    assert client.cards.get("churn", version=1).card.content == CARD


def test_errors_come_as_their_classes_with_detail_and_path(client: CardinalClient) -> None:
    with pytest.raises(NotFoundError) as missing:
        client.cards.get("missing")
    assert missing.value.status == 404
    assert "missing" in str(missing.value)
    with pytest.raises(NotFoundError):
        client.packages.get("nowhere", 1)
    with pytest.raises(NotFoundError):
        client.tags.card("missing").get()

    with pytest.raises(InvalidInputError) as bad_name:
        client.cards.create("bad_name", {})
    assert bad_name.value.path == "$.name"
    assert "$.name" in str(bad_name.value)

    with pytest.raises(InvalidInputError) as bad_risk:
        client.cards.create("c", {"intended_uses": {"risk_rating": "Extreme"}})
    assert bad_risk.value.path == "$.intended_uses.risk_rating"
    assert bad_risk.value.detail in str(bad_risk.value)
    assert "$.intended_uses.risk_rating" in str(bad_risk.value)

    with pytest.raises(InvalidInputError) as bad_filter:
        list(client.search.cards("approval = Approved"))
    assert bad_filter.value.path == "$.q"
    with pytest.raises(InvalidInputError) as bad_etag:
        client.cards.update_content("c", {}, if_match="v1")
    assert bad_etag.value.path == "If-Match"

    client.groups.create("churn")
    with pytest.raises(ConflictError) as taken:
        client.groups.create("churn")
    assert taken.value.status == 409
    assert isinstance(taken.value, ApiError)
    assert isinstance(taken.value, CardinalClientError)
    assert list(client.cards.list()) == []


def test_region_header_is_sent_and_checked(server: RunningServer) -> None:
    with CardinalClient(server.url, region="eu-west-1") as west:
        group = west.groups.create("churn")
        assert group.arn == "arn:aws:sagemaker:eu-west-1:000000000000:model-package-group/churn"
        assert group.created_by == "anonymous"
    with CardinalClient(server.url) as default:
        assert list(default.groups.list()) == []
    with (
        CardinalClient(server.url, region="Not A Region") as bad,
        pytest.raises(InvalidInputError) as raised,
    ):
        bad.groups.get("churn")
    assert raised.value.path == "X-Cardinal-Region"


def test_iterators_follow_next_links(client: CardinalClient) -> None:
    for i in range(5):
        client.cards.create(f"card-{i}", {"intended_uses": {"risk_rating": "Low"}})
        client.groups.create(f"group-{i}")
    for _ in range(5):
        client.packages.register("group-0")
    card = client.cards.create("many", {})
    for i in range(4):
        card = client.cards.update_content(
            "many", {"model_overview": {"model_description": f"rev {i}"}}, if_match=card.etag
        )

    listed = list(client.cards.list(page_size=2))
    assert all(isinstance(c, CardSummary) for c in listed)
    assert [c.name for c in listed] == [*(f"card-{i}" for i in range(5)), "many"]
    assert [c.name for c in client.cards.list(name_contains="card", page_size=1)] == [
        f"card-{i}" for i in range(5)
    ]
    assert [v.version for v in client.cards.versions("many", page_size=2)] == [5, 4, 3, 2, 1]
    assert [g.name for g in client.groups.list(page_size=2)] == [f"group-{i}" for i in range(5)]
    assert [p.version for p in client.packages.list("group-0", page_size=2)] == [1, 2, 3, 4, 5]
    searched = client.search.cards("risk = Low", sort="created", order="asc", page_size=2)
    assert [c.name for c in searched] == [f"card-{i}" for i in range(5)]
    assert len(list(client.search.groups("name ~ group", page_size=3))) == 5
    assert len(list(client.search.packages("group = group-0", page_size=2))) == 5
    events = list(client.audit.events(resource=f"{ARN}:model-card/many", page_size=2))
    assert len(events) == 5
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    newest = client.audit.events(resource=f"{ARN}:model-card/many", order="desc", page_size=2)
    assert [e.seq for e in newest] == [e.seq for e in reversed(events)]

    lazy = client.cards.list(page_size=2)
    assert next(lazy).name == "card-0"
    with pytest.raises(InvalidInputError) as bad_limit:
        list(client.cards.list(page_size=0))
    assert bad_limit.value.path == "$.limit"


def test_the_rest_of_the_resources(client: CardinalClient) -> None:
    client.groups.create("churn", tags={"team": "retention"})
    assert client.groups.get("churn").description is None
    client.packages.register(
        "churn",
        customer_metadata={"owner": "ana"},
        lifecycle={"stage": "Staging", "stage_status": "InProgress"},
        client_token="tok-1",
    )
    again = client.packages.register("churn", client_token="tok-1")
    assert again.version == 1
    updated = client.packages.update(
        "churn",
        1,
        customer_metadata={"reviewer": "bo", "owner": None},
        source_uri="s3://models/churn/1",
    )
    assert updated.customer_metadata == {"reviewer": "bo"}
    assert updated.source_uri == "s3://models/churn/1"
    assert updated.lifecycle is not None
    assert updated.lifecycle.stage == "Staging"
    rejected = client.packages.reject("churn", 1, description="leaks the label")
    assert rejected.approval_status is ApprovalStatus.REJECTED
    assert client.packages.approve("churn", 1).approval_status is ApprovalStatus.APPROVED

    assert client.tags.group("churn").get().tags == {"team": "retention"}
    assert client.tags.group("churn").put({"tier": "gold"}).tags == {
        "team": "retention",
        "tier": "gold",
    }
    client.tags.group("churn").delete("team")
    assert client.tags.group("churn").get().tags == {"tier": "gold"}
    version_tags = client.tags.version("churn", 1)
    assert version_tags.put({"a/b": "c"}).arn == f"{ARN}:model-package/churn/1"
    version_tags.delete("a/b")
    assert version_tags.get().tags == {}
    client.cards.create("churn-v1", CARD)
    assert client.tags.card("churn-v1").put({"k": "v"}).tags == {"k": "v"}

    draft = client.cards.diff_draft("churn-v1", {"intended_uses": USES})
    assert draft.to_version is None
    assert [c.path for c in draft.changes] == ["$.business_details"]
    assert draft.changes[0].kind == "removed"

    with pytest.raises(ApiError, match="reads reports from S3 only") as local:
        client.cards.attach_report("churn-v1", "/etc/hosts", "model_card_metrics", "holdout")
    assert 400 <= local.value.status < 500
    assert client.cards.get("churn-v1").version == 1

    with pytest.raises(ConflictError, match="still holds 1"):
        client.groups.delete("churn")
    client.packages.delete("churn", 1)
    client.groups.delete("churn")
    client.cards.delete("churn-v1")
    with pytest.raises(NotFoundError):
        client.groups.get("churn")
    with pytest.raises(NotFoundError):
        client.cards.delete("churn-v1")


def test_connection_problems_are_transport_errors() -> None:
    with CardinalClient(f"http://127.0.0.1:{free_port()}", timeout=2) as closed:
        with pytest.raises(TransportError, match="ConnectError"):
            closed.verify()
        with pytest.raises(TransportError):
            list(closed.cards.list())


def test_endpoint_and_headers_without_a_server() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/boom"):
            return httpx.Response(500, text="Internal Server Error")
        return httpx.Response(502, text="bad gateway")

    transport = httpx.MockTransport(answer)
    with CardinalClient(
        "http://cardinal.test/api/v1/", actor="bo", region="eu-west-1", transport=transport
    ) as client:
        assert client.base_url == "http://cardinal.test/api/v1/"
        with pytest.raises(ApiError) as raised:
            client.groups.get("churn")
    assert type(raised.value) is ApiError
    assert raised.value.status == 502
    assert "bad gateway" in str(raised.value)
    request = seen[0]
    assert str(request.url) == "http://cardinal.test/api/v1/groups/churn"
    assert request.headers["X-Cardinal-Actor"] == "bo"
    assert request.headers["X-Cardinal-Region"] == "eu-west-1"

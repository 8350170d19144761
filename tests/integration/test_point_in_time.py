"""What was true at a moment: a group's versions, a card and a version's gate as they were
then, on both backends."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from cardinal.content.canonical import content_sha256
from cardinal.domain.errors import InvalidInput, InvalidState, NotFound
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage


def _moment() -> datetime:
    """Now, with the next change strictly later."""
    now = datetime.now(UTC)
    time.sleep(0.005)
    return now


def _content(arn: str, purpose: str) -> str:
    return json.dumps(
        {
            "model_package_details": {"model_package_arn": arn},
            "intended_uses": {"purpose_of_model": purpose},
        }
    )


@dataclass(frozen=True)
class Story:
    before: datetime
    t1: datetime
    t2: datetime
    t3: datetime
    v1: str
    v2: str


@pytest.fixture
def story(services: Services, ctx: RequestContext) -> Story:
    """Approve v1 at T1; approve v2 and reject v1 at T2; edit v2's card at T3."""
    services.groups.create_model_package_group(ctx, "other")
    before = _moment()
    services.groups.create_model_package_group(ctx, "churn")
    v1 = services.packages.register_model_package(ctx, "churn", NewModelPackage()).arn
    v2 = services.packages.register_model_package(ctx, "churn", NewModelPackage()).arn
    services.cards.create_model_card(ctx, "churn-1", _content(v1, "v1"), ModelCardStatus.DRAFT)
    services.cards.create_model_card(ctx, "churn-2", _content(v2, "v2"), ModelCardStatus.DRAFT)
    services.cards.update_model_card(ctx, "churn-1", status=ModelCardStatus.APPROVED)
    services.packages.decide_approval(ctx, v1, ApprovalStatus.APPROVED, "good")
    t1 = _moment()
    services.cards.update_model_card(ctx, "churn-2", status=ModelCardStatus.APPROVED)
    services.packages.decide_approval(ctx, v2, ApprovalStatus.APPROVED, "better")
    services.packages.decide_approval(ctx, v1, ApprovalStatus.REJECTED, "replaced by v2")
    t2 = _moment()
    services.cards.update_model_card(ctx, "churn-2", content=_content(v2, "v2, retrained"))
    t3 = _moment()
    return Story(before, t1, t2, t3, v1, v2)


def _statuses(services: Services, ctx: RequestContext, at: datetime) -> list[tuple[int, str]]:
    found = services.past.group_versions(ctx, "churn", at)
    assert found.chain.verified, found.chain.breaks
    return [(p.version, p.approval_status.value) for p in found.items]


def test_a_groups_versions_have_the_statuses_they_had_then(
    services: Services, ctx: RequestContext, story: Story
) -> None:
    assert _statuses(services, ctx, story.t1) == [(1, "Approved"), (2, "PendingManualApproval")]
    assert _statuses(services, ctx, story.t2) == [(1, "Rejected"), (2, "Approved")]
    assert _statuses(services, ctx, story.t3) == [(1, "Rejected"), (2, "Approved")]
    at_t2 = services.past.group_versions(ctx, "churn", story.t2).items
    assert [p.approval_description for p in at_t2] == ["replaced by v2", "better"]
    now = services.packages.describe_model_package(ctx, story.v2)
    assert at_t2[1].created_at == now.created_at
    assert at_t2[1].last_modified_at <= story.t2


def test_a_group_before_it_existed_is_not_found(
    services: Services, ctx: RequestContext, story: Story
) -> None:
    with pytest.raises(NotFound, match="Model package group 'churn' did not exist at"):
        services.past.group_versions(ctx, "churn", story.before)


def test_a_moment_before_the_trail_began_is_before_anything_existed(
    services: Services, ctx: RequestContext, story: Story
) -> None:
    with pytest.raises(NotFound, match="Model package group 'other' did not exist at"):
        services.past.group_versions(ctx, "other", story.before - timedelta(days=1))
    with pytest.raises(InvalidInput, match="needs its offset from UTC"):
        services.past.card(ctx, "churn-1", story.t1.replace(tzinfo=None))


def test_versions_at_a_moment_come_in_pages(
    services: Services, ctx: RequestContext, story: Story
) -> None:
    first = services.past.group_versions(ctx, "churn", story.t2, max_results=1)
    assert [p.version for p in first.items] == [1]
    assert first.next_token is not None
    second = services.past.group_versions(
        ctx, "churn", story.t2, max_results=1, next_token=first.next_token
    )
    assert [p.version for p in second.items] == [2]
    with pytest.raises(InvalidInput, match="NextToken"):
        services.past.group_versions(ctx, "churn", story.t3, next_token=first.next_token)


def test_a_version_deleted_since_is_listed_as_it_was(
    services: Services, ctx: RequestContext, story: Story
) -> None:
    services.packages.register_model_package(ctx, "churn", NewModelPackage(description="v3"))
    t4 = _moment()
    services.packages.delete_model_package(ctx, "churn/3")
    t5 = _moment()

    at_t4 = services.past.group_versions(ctx, "churn", t4).items
    assert [(p.version, p.description) for p in at_t4][-1] == (3, "v3")
    assert [p.version for p in services.past.group_versions(ctx, "churn", t5).items] == [1, 2]
    with pytest.raises(InvalidState, match=r"was deleted at .* approval decisions were deleted"):
        services.past.gate(ctx, "churn/3", t4)


def test_a_card_has_the_version_and_status_it_had_then(
    services: Services, ctx: RequestContext, story: Story
) -> None:
    at_t1 = services.past.card(ctx, "churn-2", story.t1)
    assert (at_t1.version.version, at_t1.card.status) == (1, ModelCardStatus.DRAFT)
    at_t2 = services.past.card(ctx, "churn-2", story.t2)
    assert (at_t2.version.version, at_t2.card.status) == (1, ModelCardStatus.APPROVED)
    at_t3 = services.past.card(ctx, "churn-2", story.t3)
    assert at_t3.version.version == 2
    assert json.loads(at_t3.version.content)["intended_uses"]["purpose_of_model"] == "v2, retrained"
    assert at_t3.version.content_sha256 == content_sha256(at_t3.version.content)
    # Created; then approved; then edited: each answer rests on the events up to its moment.
    for events, answer in enumerate((at_t1, at_t2, at_t3), start=1):
        assert answer.chain.verified, answer.chain.breaks
        assert answer.chain.events == events
    stored_v1 = services.cards.describe_model_card(ctx, "churn-2", 1).version
    assert at_t2.version.content_sha256 == stored_v1.content_sha256
    assert at_t2.version.chain_sha256 == stored_v1.chain_sha256
    with pytest.raises(NotFound, match="Model card 'churn-2' did not exist at"):
        services.past.card(ctx, "churn-2", story.before)


def test_the_gate_answers_as_it_would_have_then(
    services: Services, ctx: RequestContext, story: Story
) -> None:
    v1_t1 = services.past.gate(ctx, "churn/1", story.t1)
    assert v1_t1.decision.open, v1_t1.decision.missing
    assert [d.decision.value for d in v1_t1.decision.decisions] == ["Approved"]
    v1_t2 = services.past.gate(ctx, "churn/1", story.t2)
    assert not v1_t2.decision.open
    assert [d.decision.value for d in v1_t2.decision.decisions] == ["Approved", "Rejected"]
    assert services.past.gate(ctx, "churn/2", story.t1).decision.missing == (
        "model package churn/2 is PendingManualApproval, not Approved",
        "model card churn-2 (version 1) is Draft, not Approved",
    )
    v2_t2 = services.past.gate(ctx, "churn/2", story.t2)
    assert v2_t2.decision.open
    assert v2_t2.chain.verified
    v2_t3 = services.past.gate(ctx, "churn/2", story.t3)
    assert not v2_t3.decision.open
    assert v2_t3.decision.card is not None
    assert v2_t3.decision.card.latest_version == 2
    # What the gate answers now is what it answers at a moment after the last change.
    now = services.gate.check_release(ctx, "churn/2")
    assert now.missing == v2_t3.decision.missing


def test_an_edited_event_is_reported_by_the_answer_resting_on_it(
    services: Services, ctx: RequestContext, story: Story
) -> None:
    with services.store.engine.begin() as db:
        seq = db.execute(
            text(
                "SELECT max(seq) FROM audit_events WHERE resource_arn = :arn "
                "AND action = 'model-package:approval'"
            ),
            {"arn": story.v1},
        ).scalar_one()
        db.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = :seq"), {"seq": seq})

    found = services.past.group_versions(ctx, "churn", story.t2)

    assert not found.chain.verified
    assert found.chain.breaks == (
        f"audit event {seq} (model-package:approval {story.v1}): its content does not match "
        "its hash",
    )
    assert services.past.group_versions(ctx, "churn", story.t1).chain.verified

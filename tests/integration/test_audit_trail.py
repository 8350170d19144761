"""Every kind of change appends exactly one audit event, with its before and after."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from cardinal.domain.audit import AuditAction, AuditEvent, AuditQuery
from cardinal.domain.errors import InvalidInput
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.model_packages import (
    EmbeddedCardChange,
    ModelPackageChanges,
    NewModelPackage,
)
from cardinal.store.tables import audit_chain
from tests.support.contexts import OPERATOR
from tests.support.statements import statements_sent


def _all(services: Services) -> list[AuditEvent]:
    return services.audit.list_audit_events(OPERATOR, AuditQuery(max_results=100)).items


def _one_new(services: Services, before: int) -> AuditEvent:
    events = _all(services)
    assert len(events) == before + 1, [e.action for e in events[before:]]
    return events[-1]


def test_each_change_is_one_event(services: Services, ctx: RequestContext) -> None:
    def step(
        change: Any,
        action: AuditAction,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> AuditEvent:
        count = len(_all(services))
        change()
        event = _one_new(services, count)
        assert event.action is action
        assert event.actor == "alice"
        assert event.request_id == "test"
        if before is not None:
            assert {k: event.before[k] for k in before} == before  # type: ignore[index]
        else:
            assert event.before is None
        if after is not None:
            assert {k: event.after[k] for k in after} == after  # type: ignore[index]
        else:
            assert event.after is None
        return event

    step(
        lambda: services.groups.create_model_package_group(ctx, "g", "Group", tags={"t": "1"}),
        AuditAction.GROUP_CREATE,
        None,
        {"name": "g", "description": "Group", "tags": {"t": "1"}},
    )
    card_content = json.dumps({"intended_uses": {"risk_rating": "Low"}})
    registered = step(
        lambda: services.packages.register_model_package(
            ctx, "g", NewModelPackage(model_card=EmbeddedCardChange(card_content, "Draft"))
        ),
        AuditAction.PACKAGE_REGISTER,
        None,
        {"version": 1, "approval_status": "PendingManualApproval"},
    )
    package = registered.resource_arn
    assert registered.after is not None
    assert registered.after["model_card"]["version"] == 1
    step(
        lambda: services.packages.update_model_package(
            ctx,
            package,
            ModelPackageChanges(approval_status=ApprovalStatus.APPROVED, approval_description="ok"),
        ),
        AuditAction.PACKAGE_APPROVAL,
        {"approval_status": "PendingManualApproval", "approval_description": None},
        {"approval_status": "Approved", "approval_description": "ok"},
    )
    step(
        lambda: services.packages.update_model_package(
            ctx, package, ModelPackageChanges(customer_metadata={"k": "v"})
        ),
        AuditAction.PACKAGE_UPDATE,
        {"CustomerMetadataProperties": None},
        {"CustomerMetadataProperties": {"k": "v"}},
    )
    step(
        lambda: services.packages.update_model_package(
            ctx, package, ModelPackageChanges(model_card=EmbeddedCardChange(content=json.dumps({})))
        ),
        AuditAction.PACKAGE_CARD_CONTENT,
        {"version": 1},
        {"version": 2, "status": "Draft"},
    )
    step(
        lambda: services.packages.update_model_package(
            ctx, package, ModelPackageChanges(model_card=EmbeddedCardChange(status="Approved"))
        ),
        AuditAction.PACKAGE_CARD_STATUS,
        {"version": 2, "status": "Draft"},
        {"version": 2, "status": "Approved"},
    )
    created = step(
        lambda: services.cards.create_model_card(ctx, "c", "{}", ModelCardStatus.DRAFT),
        AuditAction.CARD_CREATE,
        None,
        {"version": 1, "status": "Draft", "model_package_arn": None},
    )
    card = created.resource_arn
    assert created.after is not None
    v1_hash = created.after["content_sha256"]
    content = step(
        lambda: services.cards.update_model_card(
            ctx, "c", content=json.dumps({"model_overview": {}})
        ),
        AuditAction.CARD_CONTENT,
        {"version": 1, "content_sha256": v1_hash},
        {"version": 2},
    )
    assert content.after is not None
    assert content.after["content_sha256"] != v1_hash
    step(
        lambda: services.cards.update_model_card(
            ctx, "c", content=json.dumps({"model_package_details": {"model_package_arn": package}})
        ),
        AuditAction.CARD_LINK,
        {"version": 2, "model_package_arn": None},
        {"version": 3, "model_package_arn": package},
    )
    step(
        lambda: services.cards.update_model_card(ctx, "c", status=ModelCardStatus.APPROVED),
        AuditAction.CARD_STATUS,
        {"version": 3, "status": "Draft"},
        {"version": 3, "status": "Approved"},
    )
    step(
        lambda: services.tags.add_tags(ctx, card, {"team": "risk", "tier": "1"}),
        AuditAction.TAGS_ADD,
        {"tags": {}},
        {"tags": {"team": "risk", "tier": "1"}},
    )
    step(
        lambda: services.tags.add_tags(ctx, card, {"team": "retention"}),
        AuditAction.TAGS_ADD,
        {"tags": {"team": "risk"}},
        {"tags": {"team": "retention"}},
    )
    step(
        lambda: services.tags.delete_tags(ctx, card, ["tier", "absent"]),
        AuditAction.TAGS_REMOVE,
        {"tags": {"tier": "1"}},
        None,
    )
    step(
        lambda: services.cards.delete_model_card(ctx, "c"),
        AuditAction.CARD_DELETE,
        {
            "version": 3,
            "status": "Approved",
            "model_package_arn": package,
            "tags": {"team": "retention"},
        },
        None,
    )
    step(
        lambda: services.packages.delete_model_package(ctx, package),
        AuditAction.PACKAGE_DELETE,
        {"version": 1, "approval_status": "Approved"},
        None,
    )
    step(
        lambda: services.groups.delete_model_package_group(ctx, "g"),
        AuditAction.GROUP_DELETE,
        {"name": "g", "tags": {"t": "1"}},
        None,
    )
    events = _all(services)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(events))
    assert events[0].previous_hash is None


def test_a_refused_change_records_nothing(services: Services, ctx: RequestContext) -> None:
    services.cards.create_model_card(ctx, "c", "{}", ModelCardStatus.DRAFT)
    count = len(_all(services))
    with pytest.raises(InvalidInput):
        services.cards.update_model_card(ctx, "c", content="{}", status=ModelCardStatus.APPROVED)
    with pytest.raises(InvalidInput):
        services.cards.update_model_card(ctx, "c", content='{"nope": 1}')
    services.tags.delete_tags(ctx, ctx.scope.arn("model-card", "c"), ["absent"])
    assert len(_all(services)) == count


def test_query_by_resource_actor_action_and_time(services: Services, ctx: RequestContext) -> None:
    bob = RequestContext(ctx.scope, "bob", "r2")
    start = utcnow()
    services.cards.create_model_card(ctx, "a", "{}", ModelCardStatus.DRAFT)
    services.cards.create_model_card(bob, "b", "{}", ModelCardStatus.DRAFT)
    for status in (ModelCardStatus.PENDING_REVIEW, ModelCardStatus.APPROVED):
        services.cards.update_model_card(bob, "a", status=status)
    a = ctx.scope.arn("model-card", "a")
    by_resource = services.audit.list_audit_events(OPERATOR, AuditQuery(resource_arn=a)).items
    assert [e.action for e in by_resource] == [
        AuditAction.CARD_CREATE,
        AuditAction.CARD_STATUS,
        AuditAction.CARD_STATUS,
    ]
    by_actor = services.audit.list_audit_events(OPERATOR, AuditQuery(actor="bob")).items
    assert [e.resource_arn for e in by_actor] == [ctx.scope.arn("model-card", "b"), a, a]
    by_action = services.audit.list_audit_events(
        OPERATOR, AuditQuery(action=AuditAction.CARD_CREATE)
    ).items
    assert len(by_action) == 2
    without_status = services.audit.list_audit_events(
        OPERATOR, AuditQuery(resource_arn=a, leave_out=frozenset({AuditAction.CARD_STATUS}))
    ).items
    assert [e.action for e in without_status] == [AuditAction.CARD_CREATE]
    later = services.audit.list_audit_events(
        OPERATOR, AuditQuery(since=utcnow() + timedelta(seconds=1))
    ).items
    assert later == []
    assert len(services.audit.list_audit_events(OPERATOR, AuditQuery(since=start)).items) == 4
    seen: list[int] = []
    token = None
    while True:
        page = services.audit.list_audit_events(
            OPERATOR, AuditQuery(max_results=3, next_token=token, newest_first=True)
        )
        seen.extend(e.seq for e in page.items)
        token = page.next_token
        if token is None:
            break
    assert seen == [4, 3, 2, 1]


def test_an_event_is_appended_in_one_statement_after_the_chain_head_is_locked(
    services: Services, ctx: RequestContext
) -> None:
    """Every audited write waits for the chain head's row lock: on PostgreSQL, while it holds
    it, an append inserts the event and advances the head in one round trip (SQLite, which has
    no round trips, keeps two statements)."""
    services.groups.create_model_package_group(ctx, "g")
    engine = services.store.engine
    with statements_sent(engine) as sent:
        package = services.packages.register_model_package(ctx, "g", NewModelPackage())
    head = next(i for i, s in enumerate(sent) if s.startswith("SELECT audit_chain.last_seq"))
    after_lock = sent[head:]
    postgres = engine.dialect.name == "postgresql"
    assert len(after_lock) == (2 if postgres else 3), after_lock
    events = _all(services)
    assert events[-1].resource_arn == package.arn
    with services.store.engine.connect() as connection:
        head = connection.execute(select(audit_chain.c.last_seq, audit_chain.c.last_sha256)).one()
    assert (head.last_seq, head.last_sha256) == (events[-1].seq, events[-1].hash)
    assert services.verification.verify_evidence(OPERATOR).breaks == []

"""A write that changes stored rows must record an audit event, or it is rolled back."""

from __future__ import annotations

import pytest

from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.store.unit_of_work import UnauditedChange, UnitOfWork


def test_a_change_without_an_audit_event_is_rolled_back(
    services: Services, ctx: RequestContext
) -> None:
    group = services.groups.create_model_package_group(ctx, "churn")

    def forgets_its_event(uow: UnitOfWork) -> None:
        uow.tags.put(group.arn, {"team": "risk"})

    with pytest.raises(UnauditedChange, match="tags"):
        services.store.write(forgets_its_event)
    assert services.store.read(lambda uow: uow.tags.all(group.arn)) == {}


def test_a_write_that_changes_nothing_needs_no_event(
    services: Services, ctx: RequestContext
) -> None:
    group = services.groups.create_model_package_group(ctx, "churn")
    events = services.store.read(lambda uow: uow.audit.count())
    services.tags.add_tags(ctx, group.arn, {})
    services.tags.delete_tags(ctx, group.arn, ["absent"])
    assert services.store.read(lambda uow: uow.audit.count()) == events


def test_bookkeeping_may_say_it_is_not_audited(services: Services, ctx: RequestContext) -> None:
    group = services.groups.create_model_package_group(ctx, "churn")

    def bookkeeping(uow: UnitOfWork) -> None:
        uow.tags.put(group.arn, {"team": "risk"})

    services.store.write(bookkeeping, audited=False)
    assert services.store.read(lambda uow: uow.tags.all(group.arn)) == {"team": "risk"}

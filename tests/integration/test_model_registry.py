"""The rules of groups and versioned model packages, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from cardinal.domain.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, ModelPackage, PackageFields
from cardinal.domain.paging import PageRequest
from cardinal.services.container import Services
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.model_packages import (
    EmbeddedCardChange,
    ModelPackageChanges,
    NewModelPackage,
)
from cardinal.store.unit_of_work import UnitOfWork
from tests.support.contexts import OPERATOR
from tests.support.statements import statements_sent


@pytest.fixture
def group(services: Services, ctx: RequestContext) -> str:
    services.groups.create_model_package_group(ctx, "churn", "Churn")
    return "churn"


def test_versions_count_from_one_and_are_never_reused(
    services: Services, ctx: RequestContext, group: str
) -> None:
    packages = services.packages
    made = [packages.register_model_package(ctx, group, NewModelPackage()) for _ in range(3)]
    assert [p.version for p in made] == [1, 2, 3]
    assert made[0].name == "churn/1"
    assert made[0].approval_status is ApprovalStatus.PENDING_MANUAL_APPROVAL
    packages.delete_model_package(ctx, made[2].arn)
    assert packages.register_model_package(ctx, group, NewModelPackage()).version == 4


def test_a_version_is_stored_with_its_group_s_counter_or_not_at_all(
    services: Services, ctx: RequestContext, group: str
) -> None:
    """The group's counter moves to the new version with the version's row, in one statement
    on PostgreSQL (the group's row lock is held meanwhile); a version that does not follow the
    counter stores nothing, on both backends."""
    services.packages.register_model_package(ctx, group, NewModelPackage())

    def add(version: int) -> Callable[[UnitOfWork], ModelPackage]:
        def work(uow: UnitOfWork) -> ModelPackage:
            found = uow.groups.get(ctx.scope, group, for_update=True)
            now = utcnow()
            package = ModelPackage(
                id=0, group_id=found.id, group_name=group, version=version,
                arn=ctx.scope.arn("model-package", f"{group}/{version}"), description=None,
                approval_status=ApprovalStatus.PENDING_MANUAL_APPROVAL,
                approval_description=None, created_at=now, created_by="alice",
                last_modified_at=now, last_modified_by="alice",
            )  # fmt: skip
            return uow.packages.add_next(ctx.scope, package, None)

        return work

    for wrong in (1, 3):
        with pytest.raises(RuntimeError, match="is not the next version of its group"):
            services.store.write(add(wrong), audited=False)
    listed = services.packages.list_model_packages(
        ctx, PageRequest(sort_by="CreationTime"), group_name_or_arn=group
    )
    assert [p.version for p in listed.items] == [1]
    engine = services.store.engine
    with statements_sent(engine) as statements:
        services.store.write(add(2), audited=False)
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE", "WITH"))]
    assert len(writes) == (1 if engine.dialect.name == "postgresql" else 2), writes
    assert services.packages.describe_model_package(ctx, f"{group}/2").version == 2
    after = services.packages.register_model_package(ctx, group, NewModelPackage())
    assert after.version == 3


def test_a_repeated_client_token_registers_once(
    services: Services, ctx: RequestContext, group: str
) -> None:
    first = services.packages.register_model_package(ctx, group, NewModelPackage(client_token="t1"))
    again = services.packages.register_model_package(ctx, group, NewModelPackage(client_token="t1"))
    assert again.arn == first.arn
    page = services.packages.list_model_packages(
        ctx, PageRequest(sort_by="CreationTime"), group_name_or_arn=group
    )
    assert len(page.items) == 1


def test_describe_by_name_and_by_arn(services: Services, ctx: RequestContext, group: str) -> None:
    made = services.packages.register_model_package(ctx, group, NewModelPackage())
    assert services.packages.describe_model_package(ctx, "churn/1").arn == made.arn
    assert services.packages.describe_model_package(ctx, made.arn).name == "churn/1"
    with pytest.raises(NotFound, match="Could not find model package"):
        services.packages.describe_model_package(ctx, "churn")


def test_groups_are_unique_and_deleted_only_when_empty(
    services: Services, ctx: RequestContext, group: str
) -> None:
    with pytest.raises(AlreadyExists):
        services.groups.create_model_package_group(ctx, group)
    made = services.packages.register_model_package(ctx, group, NewModelPackage())
    with pytest.raises(InvalidState, match="still holds 1"):
        services.groups.delete_model_package_group(ctx, group)
    services.packages.delete_model_package(ctx, made.arn)
    services.groups.delete_model_package_group(ctx, group)
    with pytest.raises(NotFound):
        services.groups.describe_model_package_group(ctx, group)


def test_approval_and_customer_metadata(
    services: Services, ctx: RequestContext, group: str
) -> None:
    made = services.packages.register_model_package(
        ctx, group, NewModelPackage(fields=PackageFields(customer_metadata={"a": "1", "b": "2"}))
    )
    services.packages.update_model_package(
        ctx,
        made.arn,
        ModelPackageChanges(
            approval_status=ApprovalStatus.APPROVED,
            approval_description="AUC above the bar",
            customer_metadata={"c": "3"},
            customer_metadata_to_remove=["a"],
        ),
    )
    described = services.packages.describe_model_package(ctx, made.arn)
    assert described.approval_status is ApprovalStatus.APPROVED
    assert described.approval_description == "AUC above the bar"
    assert described.customer_metadata == {"b": "2", "c": "3"}
    with pytest.raises(InvalidInput, match="both set and removed"):
        services.packages.update_model_package(
            ctx,
            made.arn,
            ModelPackageChanges(customer_metadata={"b": "9"}, customer_metadata_to_remove=["b"]),
        )
    assert services.packages.describe_model_package(ctx, made.arn).customer_metadata["b"] == "2"


def test_an_archived_embedded_card_takes_no_content(
    services: Services, ctx: RequestContext, group: str
) -> None:
    content = json.dumps({"intended_uses": {"risk_rating": "Low"}})
    made = services.packages.register_model_package(
        ctx, group, NewModelPackage(model_card=EmbeddedCardChange(content, "Draft"))
    )
    archive = ModelPackageChanges(
        model_card=EmbeddedCardChange(status=ModelCardStatus.ARCHIVED.value)
    )
    services.packages.update_model_package(ctx, made.arn, archive)
    change = ModelPackageChanges(model_card=EmbeddedCardChange(content=json.dumps({})))
    with pytest.raises(InvalidState, match="Model Card is in Archived state"):
        services.packages.update_model_package(ctx, made.arn, change)
    card = services.packages.describe_model_package(ctx, made.arn).model_card
    assert card is not None
    assert (card.content, card.status) == (content, "Archived")


def test_embedded_cards_use_the_model_package_schema(
    services: Services, ctx: RequestContext, group: str
) -> None:
    content = json.dumps({"model_overview": {"model_id": "x"}})
    with pytest.raises(InvalidInput) as error:
        services.packages.register_model_package(
            ctx, group, NewModelPackage(model_card=EmbeddedCardChange(content, "Draft"))
        )
    assert error.value.path == "$.model_overview.model_id"


def test_a_documented_version_cannot_be_deleted(
    services: Services, ctx: RequestContext, group: str
) -> None:
    made = services.packages.register_model_package(ctx, group, NewModelPackage())
    link = {"model_package_details": {"model_package_arn": made.arn}}
    services.cards.create_model_card(ctx, "doc", json.dumps(link), ModelCardStatus.DRAFT)
    with pytest.raises(InvalidState, match="documented by model card 'doc'"):
        services.packages.delete_model_package(ctx, made.arn)
    assert services.packages.describe_model_package(ctx, made.arn).version == 1


def test_an_update_that_changes_nothing_is_not_a_change(
    services: Services, ctx: RequestContext, group: str
) -> None:
    from cardinal.domain.audit import AuditQuery

    made = services.packages.register_model_package(
        ctx, group, NewModelPackage(approval_status=ApprovalStatus.APPROVED)
    )
    events = len(services.audit.list_audit_events(OPERATOR, AuditQuery()).items)
    services.packages.update_model_package(
        ctx, made.arn, ModelPackageChanges(approval_status=ApprovalStatus.APPROVED)
    )
    services.packages.update_model_package(ctx, made.arn, ModelPackageChanges())
    after = services.packages.describe_model_package(ctx, made.arn)
    assert after.last_modified_at == made.last_modified_at
    assert len(services.audit.list_audit_events(OPERATOR, AuditQuery()).items) == events


SPEC = {"Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"}]}


def test_a_source_uri_naming_a_model_package_clones_its_inference_specification(
    services: Services, ctx: RequestContext, group: str
) -> None:
    source = services.packages.register_model_package(
        ctx, group, NewModelPackage(fields=PackageFields(inference_specification=SPEC))
    )
    clone = services.packages.register_model_package(
        ctx, group, NewModelPackage(fields=PackageFields(source_uri=source.arn))
    )
    assert clone.fields.inference_specification == SPEC
    assert clone.fields.source_uri == source.arn
    own = {"Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:2"}]}
    given = services.packages.register_model_package(
        ctx,
        group,
        NewModelPackage(fields=PackageFields(source_uri=source.arn, inference_specification=own)),
    )
    assert given.fields.inference_specification == own
    kept = services.packages.register_model_package(
        ctx, group, NewModelPackage(fields=PackageFields(source_uri="s3://models/churn/7"))
    )
    assert kept.fields.inference_specification is None


@pytest.mark.parametrize(
    "uri",
    [
        "arn:aws:sagemaker:us-east-1:000000000000:model-package/churn/99",
        "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/1",
        "arn:aws:sagemaker:us-east-1:000000000000:model-package/unversioned-name",
    ],
    ids=["no such version", "another account", "unversioned"],
)
def test_a_source_uri_naming_a_model_package_that_is_not_there_is_refused(
    services: Services, ctx: RequestContext, group: str, uri: str
) -> None:
    services.packages.register_model_package(ctx, group, NewModelPackage())
    with pytest.raises(InvalidInput, match=r"SourceUri .* names a model package that"):
        services.packages.register_model_package(
            ctx, group, NewModelPackage(fields=PackageFields(source_uri=uri))
        )
    listed = services.packages.list_model_packages(
        ctx, PageRequest(sort_by="CreationTime"), group_name_or_arn=group
    )
    assert len(listed.items) == 1

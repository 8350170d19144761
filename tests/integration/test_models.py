"""Models through the services, on both backends: created, described, listed and deleted as
SageMaker does; every change in the audit trail, and a store holding models verifies; a model
package registered with a model's ARN as its source gets the model's containers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from cardinal.domain.access import Grant, Role
from cardinal.domain.audit import AuditAction, AuditQuery
from cardinal.domain.errors import AccessDenied, InvalidInput, LimitExceeded
from cardinal.domain.identities import Principal, PrincipalKind
from cardinal.domain.model_registry import PackageFields
from cardinal.domain.models import ModelExists, ModelNotFound
from cardinal.domain.paging import PageRequest, SortOrder
from cardinal.services.container import Services
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.model_packages import NewModelPackage
from cardinal.store.tables import models
from tests.support.contexts import OPERATOR

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
PRIMARY = {"Image": IMAGE, "ModelDataUrl": "s3://models/churn.tar.gz"}
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
EDITED = {"PrimaryContainer": {"Image": "evil"}}


def _create(services: Services, ctx: RequestContext, name: str, **details: object) -> str:
    details = details or {"PrimaryContainer": PRIMARY}
    return services.models.create_model(ctx, name, dict(details)).arn


def test_a_model_is_stored_as_given_and_described_back(
    services: Services, ctx: RequestContext
) -> None:
    details = {
        "PrimaryContainer": PRIMARY,
        "ExecutionRoleArn": ROLE,
        "VpcConfig": {"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-1"]},
        "EnableNetworkIsolation": True,
    }
    created = services.models.create_model(ctx, "Churn-Model", details, tags={"team": "ml"})
    assert created.arn == ctx.scope.arn("model", "churn-model")
    described = services.models.describe_model(ctx, "Churn-Model")
    assert (described.name, described.arn, described.details) == (
        "Churn-Model",
        created.arn,
        details,
    )
    assert described.created_by == "alice"
    assert services.tags.list_tags(ctx, created.arn, 50, None).items == [("team", "ml")]


def test_a_name_is_taken_whatever_its_case(services: Services, ctx: RequestContext) -> None:
    arn = _create(services, ctx, "churn")
    with pytest.raises(ModelExists) as taken:
        _create(services, ctx, "CHURN")
    assert taken.value.message == f'Cannot create already existing model "{arn}".'
    assert services.models.describe_model(ctx, "Churn").name == "churn"


def test_an_unknown_model_is_not_found(services: Services, ctx: RequestContext) -> None:
    arn = ctx.scope.arn("model", "nowhere")
    for act in (services.models.describe_model, services.models.delete_model):
        with pytest.raises(ModelNotFound) as missing:
            act(ctx, "nowhere")
        assert missing.value.message == f'Could not find model "{arn}".'


def test_refused_models_store_nothing(services: Services, ctx: RequestContext) -> None:
    with pytest.raises(InvalidInput):
        services.models.create_model(ctx, "empty", {})
    with pytest.raises(InvalidInput, match="reserved for AWS"):
        services.models.create_model(ctx, "tagged", {"PrimaryContainer": PRIMARY}, {"aws:x": "1"})
    with pytest.raises(LimitExceeded):
        services.models.create_model(
            ctx, "tagged", {"PrimaryContainer": PRIMARY}, {f"k{i}": "v" for i in range(51)}
        )
    assert services.models.list_models(ctx, PageRequest("CreationTime")).items == []
    assert services.audit.list_audit_events(OPERATOR, AuditQuery()).items == []


def test_a_deleted_model_is_gone_with_its_tags(services: Services, ctx: RequestContext) -> None:
    arn = _create(services, ctx, "churn")
    services.tags.add_tags(ctx, arn, {"stage": "dev"})
    services.models.delete_model(ctx, "CHURN")
    with pytest.raises(ModelNotFound):
        services.models.describe_model(ctx, "churn")
    assert _create(services, ctx, "churn") == arn
    assert services.tags.list_tags(ctx, arn, 50, None).items == []


def test_lists_filter_sort_and_page(services: Services, ctx: RequestContext) -> None:
    names = ["beta", "alpha", "gamma-x", "delta-x"]
    for name in names:
        _create(services, ctx, name)
    models = services.models

    def listed(page: PageRequest, **filters: object) -> list[str]:
        found, token = [], None
        while True:
            result = models.list_models(
                ctx, PageRequest(page.sort_by, page.sort_order, 1, token), **filters
            )
            found += [m.name for m in result.items]
            token = result.next_token
            if token is None:
                return found

    assert listed(PageRequest("CreationTime", SortOrder.DESCENDING)) == names[::-1]
    assert listed(PageRequest("Name")) == sorted(names)
    assert listed(PageRequest("Name"), name_contains="-X") == ["delta-x", "gamma-x"]
    first = models.describe_model(ctx, "beta").created_at
    last = models.describe_model(ctx, "delta-x").created_at
    # CreationTimeAfter is "greater than or equal to" (AWS's ListModels documentation).
    assert listed(PageRequest("CreationTime"), created_after=first) == names
    assert listed(PageRequest("CreationTime"), created_before=last) == names[:-1]
    assert listed(PageRequest("CreationTime"), created_after=last + timedelta(seconds=1)) == []


def test_every_change_is_in_the_audit_trail(services: Services, ctx: RequestContext) -> None:
    arn = services.models.create_model(
        ctx, "churn", {"PrimaryContainer": PRIMARY}, tags={"team": "ml"}
    ).arn
    services.models.delete_model(ctx, "churn")
    events = services.audit.list_audit_events(OPERATOR, AuditQuery(resource_arn=arn)).items
    assert [(e.action, e.actor) for e in events] == [
        (AuditAction.MODEL_CREATE, "alice"),
        (AuditAction.MODEL_DELETE, "alice"),
    ]
    details = {"PrimaryContainer": PRIMARY}
    assert events[0].before is None
    assert events[0].after == {"name": "churn", "details": details, "tags": {"team": "ml"}}
    assert events[1].before == {"name": "churn", "details": details, "tags": {"team": "ml"}}
    assert events[1].after is None


def test_a_store_holding_models_verifies(services: Services, ctx: RequestContext) -> None:
    kept = _create(services, ctx, "kept")
    services.tags.add_tags(ctx, kept, {"stage": "dev", "owner": "ml"})
    services.tags.delete_tags(ctx, kept, ["owner"])
    _create(services, ctx, "again")
    services.tags.add_tags(ctx, ctx.scope.arn("model", "again"), {"k": "v"})
    services.models.delete_model(ctx, "again")
    _create(services, ctx, "again", Containers=[PRIMARY, PRIMARY])
    report = services.verification.verify_evidence(OPERATOR)
    assert report.breaks == []
    assert (report.resources, report.resources_before_trail) == (2, 0)


def test_a_model_edited_behind_cardinals_back_is_named(
    services: Services, ctx: RequestContext
) -> None:
    arn = _create(services, ctx, "churn")
    ghost = ctx.scope.arn("model", "ghost")
    with services.store.engine.begin() as connection:
        connection.execute(update(models).where(models.c.arn == arn).values(details=EDITED))
        connection.execute(
            models.insert().values(
                account_id=ctx.scope.account_id,
                region=ctx.scope.region,
                name="ghost",
                arn=ghost,
                details={},
                created_at=utcnow(),
                created_by="mallory",
            )
        )
    report = services.verification.verify_evidence(OPERATOR)
    assert sorted((b.resource, b.field, b.kind) for b in report.breaks) == [
        (arn, "details.PrimaryContainer", "state"),
        (ghost, "exists", "state"),
    ]


def test_writing_models_needs_an_author_and_reading_any_grant(
    services: Services, ctx: RequestContext
) -> None:
    _create(services, ctx, "churn")
    viewer = RequestContext(
        ctx.scope, "vic", "t", Principal("vic", PrincipalKind.USER, (Grant(Role.VIEWER),))
    )
    group_author = RequestContext(
        ctx.scope, "gus", "t", Principal("gus", PrincipalKind.USER, (Grant(Role.AUTHOR, "churn"),))
    )
    assert services.models.describe_model(viewer, "churn").name == "churn"
    assert [m.name for m in services.models.list_models(viewer, PageRequest("Name")).items] == [
        "churn"
    ]
    for who in (viewer, group_author):
        with pytest.raises(AccessDenied, match="author"):
            services.models.create_model(who, "other", {"PrimaryContainer": PRIMARY})
        with pytest.raises(AccessDenied, match="author"):
            services.models.delete_model(who, "churn")
        with pytest.raises(AccessDenied, match="author"):
            services.tags.add_tags(who, ctx.scope.arn("model", "churn"), {"k": "v"})


def test_a_model_arn_as_source_gives_a_version_the_models_containers(
    services: Services, ctx: RequestContext
) -> None:
    services.groups.create_model_package_group(ctx, "churn")
    pipeline = [PRIMARY, {"Image": f"{IMAGE}-post", "Mode": "SingleModel"}]
    arn = _create(services, ctx, "Churn-Pipeline", Containers=pipeline)
    package = services.packages.register_model_package(
        ctx, "churn", NewModelPackage(fields=PackageFields(source_uri=arn))
    )
    assert package.fields.source_uri == arn
    assert package.fields.inference_specification == {
        "Containers": [PRIMARY, {"Image": f"{IMAGE}-post"}]
    }
    given = {"Containers": [{"Image": "given"}]}
    kept = services.packages.register_model_package(
        ctx,
        "churn",
        NewModelPackage(fields=PackageFields(source_uri=arn, inference_specification=given)),
    )
    assert kept.fields.inference_specification == given


@pytest.mark.parametrize(
    "source",
    [
        "arn:aws:sagemaker:us-east-1:000000000000:model/nowhere",
        "arn:aws:sagemaker:eu-west-1:000000000000:model/churn",
        "arn:aws:sagemaker:us-east-1:111111111111:model/churn",
    ],
)
def test_a_source_model_that_is_not_here_is_refused(
    services: Services, ctx: RequestContext, source: str
) -> None:
    services.groups.create_model_package_group(ctx, "churn")
    _create(services, ctx, "churn")
    with pytest.raises(InvalidInput, match="names a model that does not exist") as refused:
        services.packages.register_model_package(
            ctx, "churn", NewModelPackage(fields=PackageFields(source_uri=source))
        )
    assert source in refused.value.message
    assert (
        services.packages.list_model_packages(
            ctx, PageRequest("CreationTime"), group_name_or_arn="churn"
        ).items
        == []
    )

"""Search expressions over groups, packages and cards, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event

from cardinal.domain.errors import InvalidInput
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, Lifecycle, PackageFields
from cardinal.domain.search import (
    Expression,
    Filter,
    NestedFilters,
    Operator,
    Resource,
    SearchQuery,
)
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import ModelPackageChanges, NewModelPackage


@pytest.fixture
def registry(services: Services, ctx: RequestContext) -> Services:
    for group in ("churn", "fraud"):
        services.groups.create_model_package_group(ctx, group, f"{group} models")
        for version in range(1, 4):
            package = services.packages.register_model_package(
                ctx,
                group,
                NewModelPackage(
                    description=f"{group} v{version}",
                    fields=PackageFields(
                        lifecycle=Lifecycle("Dev" if version < 3 else "Prod", "ok")
                    ),
                ),
            )
            if version == 2:
                services.packages.update_model_package(
                    ctx, package.arn, ModelPackageChanges(approval_status=ApprovalStatus.APPROVED)
                )
    for name, group, risk in (
        ("churn-a", "churn", "High"),
        ("churn-b", "churn", "Low"),
        ("fraud-a", "fraud", "High"),
    ):
        content = {
            "intended_uses": {"risk_rating": risk},
            "model_package_details": {
                "model_package_arn": ctx.scope.arn(
                    "model-package", f"{group}/1" if name.endswith("a") else f"{group}/2"
                ),
                "model_package_group_name": group,
            },
        }
        services.cards.create_model_card(ctx, name, json.dumps(content), ModelCardStatus.DRAFT)
    services.tags.add_tags(
        ctx, ctx.scope.arn("model-card", "churn-b"), {"team": "retention", "tier": "gold"}
    )
    return services


def _names(services: Services, ctx: RequestContext, query: SearchQuery) -> list[str]:
    hits = services.search.search(ctx, query).items
    return [h.item.name for h in hits]


def _where(*filters: Filter, any_of: bool = False) -> Expression:
    return Expression(filters=filters, any_of=any_of)


def test_cards_by_group_newest_first(registry: Services, ctx: RequestContext) -> None:
    query = SearchQuery(Resource.MODEL_CARD, _where(Filter("ModelPackageGroupName", value="churn")))
    assert _names(registry, ctx, query) == ["churn-b", "churn-a"]
    hit = registry.search.search(ctx, query, latest_card_versions=True).items[0]
    assert hit.tags == {"team": "retention", "tier": "gold"}
    assert hit.card_version is not None
    assert json.loads(hit.card_version.content)["intended_uses"]["risk_rating"] == "Low"


def test_model_id_is_the_linked_package(registry: Services, ctx: RequestContext) -> None:
    arn = ctx.scope.arn("model-package", "fraud/1")
    query = SearchQuery(Resource.MODEL_CARD, _where(Filter("ModelId", value=arn)))
    assert _names(registry, ctx, query) == ["fraud-a"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (
            Filter("ModelPackageVersion", Operator.GREATER_THAN, "1"),
            {"churn/2", "churn/3", "fraud/2", "fraud/3"},
        ),
        (
            Filter("ModelPackageVersion", Operator.LESS_THAN_OR_EQUAL_TO, "1"),
            {"churn/1", "fraud/1"},
        ),
        (Filter("ModelApprovalStatus", Operator.EQUALS, "Approved"), {"churn/2", "fraud/2"}),
        (
            Filter("ModelApprovalStatus", Operator.NOT_EQUALS, "Approved"),
            {"churn/1", "churn/3", "fraud/1", "fraud/3"},
        ),
        (
            Filter("ModelPackageDescription", Operator.CONTAINS, "URN V"),
            {"churn/1", "churn/2", "churn/3"},
        ),
        (Filter("ModelPackageName", Operator.IN, "churn/1, fraud/3"), {"churn/1", "fraud/3"}),
        (Filter("ModelLifeCycle.Stage", Operator.EQUALS, "Prod"), {"churn/3", "fraud/3"}),
        (Filter("ApprovalDescription", Operator.EXISTS), set()),
        (
            Filter("ApprovalDescription", Operator.NOT_EXISTS),
            {f"{g}/{v}" for g in ("churn", "fraud") for v in (1, 2, 3)},
        ),
        (
            Filter("CreationTime", Operator.GREATER_THAN, "2000-01-01T00:00:00"),
            {f"{g}/{v}" for g in ("churn", "fraud") for v in (1, 2, 3)},
        ),
        (Filter("CreationTime", Operator.LESS_THAN, "2000-01-01T00:00:00"), set()),
    ],
)
def test_operators(
    registry: Services, ctx: RequestContext, flt: Filter, expected: set[str]
) -> None:
    query = SearchQuery(Resource.MODEL_PACKAGE, _where(flt), max_results=100)
    assert set(_names(registry, ctx, query)) == expected


def test_or_subexpressions_and_tag_filters(registry: Services, ctx: RequestContext) -> None:
    either = Expression(
        subexpressions=(
            _where(Filter("RiskRating", value="Low")),
            _where(Filter("ModelCardName", value="fraud-a")),
        ),
        any_of=True,
    )
    assert set(_names(registry, ctx, SearchQuery(Resource.MODEL_CARD, either))) == {
        "churn-b",
        "fraud-a",
    }
    tagged = _where(Filter("Tags.team", value="retention"))
    assert _names(registry, ctx, SearchQuery(Resource.MODEL_CARD, tagged)) == ["churn-b"]
    nested = Expression(
        nested_filters=(
            NestedFilters(
                "Tags", (Filter("Tags.Key", value="tier"), Filter("Tags.Value", value="gold"))
            ),
        )
    )
    assert _names(registry, ctx, SearchQuery(Resource.MODEL_CARD, nested)) == ["churn-b"]
    mismatched = Expression(
        nested_filters=(
            NestedFilters(
                "Tags", (Filter("Tags.Key", value="team"), Filter("Tags.Value", value="gold"))
            ),
        )
    )
    assert _names(registry, ctx, SearchQuery(Resource.MODEL_CARD, mismatched)) == []
    untagged = _where(Filter("Tags.team", Operator.NOT_EXISTS))
    assert set(_names(registry, ctx, SearchQuery(Resource.MODEL_CARD, untagged))) == {
        "churn-a",
        "fraud-a",
    }


def test_sorting_and_paging(registry: Services, ctx: RequestContext) -> None:
    names: list[str] = []
    token = None
    while True:
        page = registry.search.search(
            ctx,
            SearchQuery(
                Resource.MODEL_PACKAGE,
                sort_by="ModelPackageName",
                descending=False,
                max_results=4,
                next_token=token,
            ),
        )
        names.extend(h.item.name for h in page.items)
        token = page.next_token
        if token is None:
            break
    assert names == sorted(f"{g}/{v}" for g in ("churn", "fraud") for v in (1, 2, 3))


def test_groups(registry: Services, ctx: RequestContext) -> None:
    query = SearchQuery(
        Resource.MODEL_PACKAGE_GROUP, _where(Filter("ModelPackageGroupName", value="fraud"))
    )
    assert _names(registry, ctx, query) == ["fraud"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            SearchQuery(Resource.MODEL_CARD, _where(Filter("Nope", value="x"))),
            "not a searchable property",
        ),
        (
            SearchQuery(
                Resource.MODEL_CARD, _where(Filter("ModelCardName", Operator.GREATER_THAN, "a"))
            ),
            "compares numbers and times",
        ),
        (
            SearchQuery(
                Resource.MODEL_CARD, _where(Filter("ModelCardVersion", Operator.CONTAINS, "1"))
            ),
            "applies to text",
        ),
        (
            SearchQuery(Resource.MODEL_CARD, _where(Filter("ModelCardVersion", value="one"))),
            "not a number",
        ),
        (
            SearchQuery(Resource.MODEL_CARD, _where(Filter("CreationTime", value="yesterday"))),
            "not a time",
        ),
        (SearchQuery(Resource.MODEL_CARD, _where(Filter("ModelCardName"))), "needs a Value"),
        (
            SearchQuery(
                Resource.MODEL_CARD,
                _where(
                    Filter("ModelCardName", Operator.CONTAINS, "a"),
                    Filter("RiskRating", Operator.CONTAINS, "b"),
                ),
            ),
            "'CONTAINS' operator usage limit of 1 exceeded.",
        ),
        (
            SearchQuery(Resource.MODEL_CARD, sort_by="RiskRating"),
            "cannot be sorted by 'RiskRating'",
        ),
        (
            SearchQuery(Resource.MODEL_CARD, _where(*[Filter("ModelCardName", value="a")] * 51)),
            "at most 50",
        ),
    ],
)
def test_bad_queries_are_refused(
    registry: Services, ctx: RequestContext, query: SearchQuery, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")) as error:
        registry.search.search(ctx, query)
    assert message in error.value.message


def test_a_full_page_comes_with_each_hit_s_tags_and_latest_version_in_one_parameter(
    services: Services, ctx: RequestContext
) -> None:
    """A page of 100 cards: their tags and latest versions are right, and each list of the page
    is sent as one parameter on PostgreSQL (psycopg converts a query of more than 50 parameters
    anew on every call; it caches the conversion of one with fewer)."""
    for index in range(100):
        name = f"card-{index:03}"
        content = {"model_overview": {"model_description": "first"}}
        services.cards.create_model_card(ctx, name, json.dumps(content), ModelCardStatus.DRAFT)
        if index % 3 == 0:
            content["model_overview"]["model_description"] = f"second of {name}"
            services.cards.update_model_card(ctx, name, content=json.dumps(content))
        arn = ctx.scope.arn("model-card", name)
        services.tags.add_tags(ctx, arn, {"index": str(index), "parity": str(index % 2)})
    statements: list[tuple[str, object]] = []

    def keep(
        _conn: object, _cursor: object, statement: str, parameters: object, *_: object
    ) -> None:
        statements.append((statement, parameters))

    engine = services.store.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        page = services.search.search(
            ctx, SearchQuery(Resource.MODEL_CARD, max_results=100), latest_card_versions=True
        )
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert len(page.items) == 100
    for hit in page.items:
        index = int(hit.item.name.removeprefix("card-"))
        assert hit.tags == {"index": str(index), "parity": str(index % 2)}
        assert hit.card_version is not None
        assert hit.card_version.version == (2 if index % 3 == 0 else 1)
        described = json.loads(hit.card_version.content)["model_overview"]["model_description"]
        assert described == (f"second of {hit.item.name}" if index % 3 == 0 else "first")
    lookups = [p for s, p in statements if "FROM tags" in s or "JOIN model_cards" in s]
    assert len(lookups) == 2
    if engine.dialect.name == "postgresql":
        assert [len(p) for p in lookups if isinstance(p, dict)] == [1, 1]

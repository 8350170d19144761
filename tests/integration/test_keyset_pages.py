"""Keyset pages of every stored list: the tokens they issue, and tokens issued before.

A NextToken leaves the server, so a token an earlier server issued must still be read the same
way. The literal tokens below are what each list issues for the same data; each is accepted and
continues its list where the first page ended.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from cardinal.domain.audit import AuditQuery
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.paging import Page, PageRequest, SortOrder
from cardinal.domain.search import Resource, SearchQuery
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage
from cardinal.store.unit_of_work import UnitOfWork

CONTENT = {"model_overview": {"model_description": "Predicts churn"}}
BY_NAME = PageRequest(sort_by="Name", max_results=1)
NEWEST_NAME_FIRST = PageRequest(sort_by="Name", sort_order=SortOrder.DESCENDING, max_results=1)

Lister = Callable[[UnitOfWork, RequestContext, str | None], Page[Any]]


def _request(page: PageRequest, token: str | None) -> PageRequest:
    return PageRequest(page.sort_by, page.sort_order, page.max_results, token)


def _groups(uow: UnitOfWork, ctx: RequestContext, token: str | None) -> Page[Any]:
    return uow.groups.list_page(ctx.scope, _request(BY_NAME, token))


def _packages(uow: UnitOfWork, ctx: RequestContext, token: str | None) -> Page[Any]:
    return uow.packages.list_page(ctx.scope, _request(NEWEST_NAME_FIRST, token), group_id=1)


def _cards(uow: UnitOfWork, ctx: RequestContext, token: str | None) -> Page[Any]:
    return uow.cards.list_page(ctx.scope, _request(BY_NAME, token), name_contains="a")


def _card_versions(uow: UnitOfWork, ctx: RequestContext, token: str | None) -> Page[Any]:
    card = uow.cards.find(ctx.scope, "alpha")
    assert card is not None
    return uow.cards.list_versions_page(card, _request(NEWEST_NAME_FIRST, token))


def _export_jobs(uow: UnitOfWork, ctx: RequestContext, token: str | None) -> Page[Any]:
    page = PageRequest(sort_by="Status", max_results=1, next_token=token)
    return uow.export_jobs.list_page(1, page)


def _tags(uow: UnitOfWork, ctx: RequestContext, token: str | None) -> Page[Any]:
    return uow.tags.list_page(ctx.scope.arn("model-card", "alpha"), 1, token)


def _audit(uow: UnitOfWork, ctx: RequestContext, token: str | None) -> Page[Any]:
    return uow.audit.list_page(AuditQuery(max_results=1, next_token=token, newest_first=True))


def _search(uow: UnitOfWork, ctx: RequestContext, token: str | None) -> Page[Any]:
    query = SearchQuery(
        Resource.MODEL_PACKAGE, sort_by="ModelPackageVersion", max_results=1, next_token=token
    )
    return uow.search.search(ctx.scope, query)


def _key(item: Any) -> object:
    if isinstance(item, tuple):
        return item
    for attribute in ("seq", "arn", "version"):
        if hasattr(item, attribute):
            return getattr(item, attribute)
    raise AssertionError(item)


LISTS: dict[str, tuple[Lister, str]] = {
    "groups": (
        _groups,
        "eyJ2IjoiY2h1cm4iLCJpIjoxLCJxIjoiYTM3YjU5YjA3MmE1MWFiYSJ9",
    ),
    "packages": (
        _packages,
        "eyJ2IjoiY2h1cm4vMiIsImkiOjIsInEiOiJiY2Q3MTQ1NGEyYzgzMTZlIn0",
    ),
    "cards": (
        _cards,
        "eyJ2IjoiYWxwaGEiLCJpIjoxLCJxIjoiMTkyMTZmNDZiNTMxMmEzNCJ9",
    ),
    "card versions": (
        _card_versions,
        "eyJ2IjozLCJpIjo1LCJxIjoiMzA5NmIyNjlmZGIzOGIxYyJ9",
    ),
    "export jobs": (
        _export_jobs,
        "eyJ2IjoiSW5Qcm9ncmVzcyIsImkiOjEsInEiOiI0YjVjODVmMWMzODAwN2U0In0",
    ),
    "tags": (
        _tags,
        "eyJ2IjoxLCJpIjoxLCJxIjoiMjZiNzg2N2MwMGNhOWEyZSJ9",
    ),
    "audit": (
        _audit,
        "eyJ2IjoxMiwiaSI6MTIsInEiOiI5ZGVmODdjZWJiZWY4NTlmIn0",
    ),
    "search": (
        _search,
        "eyJ2IjoyLCJpIjoyLCJxIjoiZWNhY2ViMjNhNmM4YjgyMyJ9",
    ),
}


@pytest.fixture
def stored(services: Services, ctx: RequestContext) -> Services:
    for group in ("churn", "fraud"):
        services.groups.create_model_package_group(ctx, group)
    for _ in range(2):
        services.packages.register_model_package(ctx, "churn", NewModelPackage())
    for name in ("alpha", "beta", "gamma"):
        services.cards.create_model_card(ctx, name, json.dumps(CONTENT), ModelCardStatus.DRAFT)
    for description in ("v2", "v3"):
        changed = {"model_overview": {"model_description": description}}
        services.cards.update_model_card(ctx, "alpha", content=json.dumps(changed))
    services.tags.add_tags(ctx, ctx.scope.arn("model-card", "alpha"), {"a": "1", "b": "2"})
    for job in ("job-a", "job-b"):
        services.export_jobs.create_export_job(ctx, "alpha", job, "s3://audits/cards")
    return services


def _walk(services: Services, ctx: RequestContext, lister: Lister) -> list[Page[Any]]:
    pages: list[Page[Any]] = []
    token: str | None = None
    while not pages or token is not None:
        page = services.store.read(partial(lister, ctx=ctx, token=token))
        pages.append(page)
        token = page.next_token
    return pages


@pytest.mark.parametrize("name", LISTS)
def test_each_list_issues_the_same_tokens_as_before(
    stored: Services, ctx: RequestContext, name: str
) -> None:
    lister, token = LISTS[name]
    first = stored.store.read(lambda uow: lister(uow, ctx, None))
    assert len(first.items) == 1
    assert first.next_token == token


@pytest.mark.parametrize("name", LISTS)
def test_a_token_issued_before_continues_its_list(
    stored: Services, ctx: RequestContext, name: str
) -> None:
    lister, token = LISTS[name]
    pages = _walk(stored, ctx, lister)
    everything = [_key(item) for page in pages for item in page.items]
    assert len(everything) == len(set(everything)) >= 2
    assert all(len(page.items) == 1 for page in pages)
    resumed = stored.store.read(lambda uow: lister(uow, ctx, token))
    assert [_key(item) for item in resumed.items] == everything[1:2]
    assert resumed.next_token == pages[1].next_token


@pytest.mark.parametrize("order", list(SortOrder))
def test_pages_by_creation_time_hold_every_item_once_in_order(
    stored: Services, ctx: RequestContext, order: SortOrder
) -> None:
    def cards(uow: UnitOfWork, ctx: RequestContext, token: str | None) -> Page[Any]:
        return uow.cards.list_page(ctx.scope, PageRequest("CreationTime", order, 2, token))

    pages = _walk(stored, ctx, cards)
    names = [card.name for page in pages for card in page.items]
    expected = ["alpha", "beta", "gamma"]
    assert names == (expected if order is SortOrder.ASCENDING else expected[::-1])
    assert [len(page.items) for page in pages] == [2, 1]

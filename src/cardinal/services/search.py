"""Search across groups, packages and cards, with SageMaker's expressions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cardinal.domain.access import Action
from cardinal.domain.model_cards import CardVersion
from cardinal.domain.paging import Page
from cardinal.domain.search import Resource, SearchQuery, check_query
from cardinal.services.context import RequestContext
from cardinal.store.unit_of_work import Store, UnitOfWork


@dataclass(frozen=True)
class SearchHit:
    """One match: the group, package or card, its tags, and for a card its latest version
    when asked for."""

    item: Any
    tags: dict[str, str]
    card_version: CardVersion | None = None


class SearchService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def search(
        self,
        ctx: RequestContext,
        query: SearchQuery,
        *,
        every_package_kind: bool = False,
        latest_card_versions: bool = False,
    ) -> Page[SearchHit]:
        """One page of matches; ModelPackage matches are versions, and with
        ``every_package_kind`` unversioned packages too (as SageMaker's Search finds them).
        ``latest_card_versions``: each ModelCard match comes with its latest version (its
        content), as SageMaker's Search answers it. Raises InvalidInput for a query SageMaker
        would refuse."""
        ctx.require(Action.READ)
        check_query(query)

        def work(uow: UnitOfWork) -> Page[SearchHit]:
            page = uow.search.search(ctx.scope, query, every_package_kind=every_package_kind)
            tags = uow.tags.all_for([item.arn for item in page.items])
            versions: dict[int, CardVersion] = {}
            if latest_card_versions and query.resource is Resource.MODEL_CARD:
                versions = uow.cards.latest_versions(page.items)
            hits = [
                SearchHit(item=item, tags=tags[item.arn], card_version=versions.get(item.id))
                for item in page.items
            ]
            return Page(items=hits, next_token=page.next_token)

        return self._store.read(work)

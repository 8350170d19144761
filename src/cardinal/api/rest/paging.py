"""Keyset pagination on the REST API: ``?limit=&next=``, and a ``next`` link in each page."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel

from cardinal.domain.paging import (
    MAX_PAGE_SIZE,
    PAGE_TOKEN_MAX_LENGTH,
    PAGE_TOKEN_PATTERN,
    SortOrder,
)

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]
NextToken = Annotated[
    str | None,
    Query(
        alias="next",
        pattern=PAGE_TOKEN_PATTERN,
        max_length=PAGE_TOKEN_MAX_LENGTH,
        description="Where the page starts: the `next` of the page before, as the server "
        "returned it for the same list and filters. A token of this form that the server did "
        "not issue for this list is answered 409 (unknown-page-token).",
    ),
]

Order = Annotated[Literal["asc", "desc"], Query(description="Ascending or descending.")]


def sort_order(order: str) -> SortOrder:
    return SortOrder.DESCENDING if order == "desc" else SortOrder.ASCENDING


class Page(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = None


def next_link(request: Request, token: str | None) -> str | None:
    """The URL of the next page, or None on the last page."""
    if token is None:
        return None
    return str(request.url.include_query_params(next=token))

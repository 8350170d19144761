"""`cardinal search cards|packages|groups FILTER`: search with the REST API's filter language."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

import typer

from cardinal.cli.connection import connect
from cardinal.cli.options import (
    EVERYWHERE,
    Limit,
    Output,
    OutputFormat,
    Where,
    connected,
    page_size,
)
from cardinal.cli.output import emit, first, table
from cardinal.client import CardinalClient


class Searched(StrEnum):
    CARDS = "cards"
    PACKAGES = "packages"
    GROUPS = "groups"


_COLUMNS = {
    Searched.CARDS: ["NAME", "STATUS", "VERSION", "RISK", "MODEL PACKAGE", "MODIFIED"],
    Searched.PACKAGES: ["NAME", "APPROVAL", "MODIFIED"],
    Searched.GROUPS: ["NAME", "CREATED"],
}


def _found(
    client: CardinalClient,
    resource: Searched,
    text: str,
    sort: str,
    order: Literal["asc", "desc"],
    size: int,
) -> Iterator[Any]:
    if resource is Searched.CARDS:
        return client.search.cards(text, sort=sort, order=order, page_size=size)
    if resource is Searched.PACKAGES:
        return client.search.packages(text, sort=sort, order=order, page_size=size)
    return client.search.groups(text, sort=sort, order=order, page_size=size)


def _row(resource: Searched, hit: Any) -> tuple[Any, ...]:
    if resource is Searched.CARDS:
        package = (hit.model_package_arn or "").split(":model-package/")[-1] or None
        return (
            hit.name,
            hit.status,
            hit.latest_version,
            hit.risk_rating,
            package,
            hit.last_modified_at,
        )
    if resource is Searched.PACKAGES:
        return (hit.name, hit.approval_status, hit.last_modified_at)
    return (hit.name, hit.created_at)


@connected
def search_command(
    resource: Annotated[Searched, typer.Argument(help="What to search.", show_default=False)],
    text: Annotated[
        str,
        typer.Argument(
            metavar="FILTER",
            help="A filter such as 'group = customer-churn and risk = High', "
            "'status in (Draft, PendingReview)', 'name ~ churn', 'tag.team = retention' "
            "(empty: everything).",
        ),
    ] = "",
    sort: Annotated[
        str, typer.Option(help="Sort by this property (name, created, modified, ...).")
    ] = "modified",
    ascending: Annotated[
        bool, typer.Option("--ascending/--descending", help="Sort order.")
    ] = False,
    limit: Limit = 100,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Search model cards, model package versions or groups with a filter.

    Properties by alias or SageMaker name, tag.<key> for tags; operators = != > >= < <=
    ~ (contains) in, exists, not exists; and, or, parentheses. A bad filter exits 4 naming the
    column where it goes wrong.

    Example: cardinal search cards "group = customer-churn and status = Approved"
    """
    with connect(where) as cn:
        order: Literal["asc", "desc"] = "asc" if ascending else "desc"
        hits = first(_found(cn.client, resource, text, sort, order, page_size(limit)), limit)
    emit(
        hits,
        output,
        lambda: table(_COLUMNS[resource], [_row(resource, hit) for hit in hits]),
    )

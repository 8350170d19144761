"""Model cards: create, read any version, update content (If-Match), status, diff, clone."""

from __future__ import annotations

import json
import re
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response, status

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.paging import Limit, NextToken, Page, next_link
from cardinal.api.rest.path_params import CardName
from cardinal.api.rest.point_in_time import AsOfQuery, chain_read
from cardinal.domain.model_cards import CardVersion, ModelCard, ModelCardStatus
from cardinal.domain.paging import PageRequest, SortOrder
from cardinal.services.card_diffs import VersionDiff
from cardinal.services.model_cards import DescribedCard
from cardinal.wire.approvals import CardRestore
from cardinal.wire.cards import (
    CardClone,
    CardContentUpdate,
    CardCreate,
    CardDraft,
    CardRead,
    CardStatusUpdate,
    CardSummary,
    CardVersionRead,
    ChangeRead,
    DiffRead,
)
from cardinal.wire.evidence import PROBLEM_RESPONSES

router = APIRouter(prefix="/cards", tags=["model cards"], responses=PROBLEM_RESPONSES)

Version = Annotated[int, Path(ge=1, le=2**31 - 1)]
# An ETag of a card version as this API hands them out ("v<N>", or weak: W/"v<N>"), or "*".
_IF_MATCH = r'^(?:\*|(?:W/)?"v[1-9][0-9]{0,9}")$'
IfMatch = Annotated[
    str | None,
    Header(
        pattern=_IF_MATCH,
        description='The ETag of the version the change is based on ("v<N>"), or "*"; '
        "a stale one gets 412 and changes nothing.",
    ),
]
_ETAG = re.compile(r'^(?:W/)?"v([1-9][0-9]{0,9})"$')


def etag(version: int) -> str:
    return f'"v{version}"'


def expected_version(if_match: str | None) -> int | None:
    """The card version ``if_match`` names (its form checked by ``IfMatch``); None for "*"."""
    match = _ETAG.match(if_match or "")
    return int(match[1]) if match else None


def card_read(card: ModelCard, version: CardVersion) -> CardRead:
    return CardRead(
        name=card.name,
        arn=card.arn,
        version=version.version,
        latest_version=card.latest_version,
        status=version.status,
        content=json.loads(version.content),
        content_sha256=version.content_sha256,
        chain_sha256=version.chain_sha256,
        previous_sha256=version.previous_sha256,
        model_package_arn=card.model_package_arn,
        carried_over_from=card.carried_over_from,
        created_at=card.created_at,
        created_by=card.created_by,
        last_modified_at=version.last_modified_at,
        last_modified_by=version.last_modified_by,
    )


def _described(response: Response, described: DescribedCard) -> CardRead:
    response.headers["ETag"] = etag(described.version.version)
    return card_read(described.card, described.version)


def _diff(diff: VersionDiff) -> DiffRead:
    return DiffRead(
        name=diff.card_name,
        from_version=diff.from_version,
        to_version=diff.to_version,
        changes=[
            ChangeRead(path=c.path, kind=c.kind.value, old=c.old, new=c.new)
            for c in diff.diff.changes
        ],
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CardRead)
def create_card(
    body: CardCreate,
    request: Request,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
) -> CardRead:
    """Create a model card (version 1)."""
    created = services.cards.create_model_card(
        ctx, body.name, json.dumps(body.content), body.status, tags=body.tags
    )
    response.headers["Location"] = str(request.url_for("read_card", name=body.name))
    return _described(response, created)


@router.get("", response_model=Page[CardSummary])
def list_cards(
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    limit: Limit = 50,
    next_token: NextToken = None,
    name_contains: Annotated[str | None, Query(max_length=63)] = None,
    card_status: Annotated[ModelCardStatus | None, Query(alias="status")] = None,
) -> Page[CardSummary]:
    """Model cards, oldest first."""
    page = services.cards.list_model_cards(
        ctx,
        PageRequest(sort_by="CreationTime", max_results=limit, next_token=next_token),
        name_contains=name_contains,
        status=card_status,
    )
    return Page(
        items=[
            CardSummary(
                name=c.name,
                arn=c.arn,
                status=c.status,
                latest_version=c.latest_version,
                model_package_arn=c.model_package_arn,
                created_at=c.created_at,
                last_modified_at=c.last_modified_at,
            )
            for c in page.items
        ],
        next=next_link(request, page.next_token),
    )


@router.post("/clone", status_code=status.HTTP_201_CREATED, response_model=CardRead)
def clone_card(
    body: CardClone,
    request: Request,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
) -> CardRead:
    """Start the card of a model version from the card of the group's previous documented one."""
    made = services.carry_over.start_card_for_package(
        ctx, body.package, body.name, status=body.status
    )
    response.headers["Location"] = str(request.url_for("read_card", name=made.card.name))
    return _described(response, services.cards.describe_model_card(ctx, made.card.name))


@router.get("/{name}", response_model=CardRead)
def read_card(
    name: CardName,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
    as_of: AsOfQuery = None,
) -> CardRead:
    """The latest version of a card, with its ETag. With ``as_of``, the version that was the
    latest then, with the status it had then, and whether the audit events the answer rests on
    hold; 404 if the card did not exist then."""
    if as_of is None:
        return _described(response, services.cards.describe_model_card(ctx, name))
    then = services.past.card(ctx, name, as_of)
    response.headers["ETag"] = etag(then.version.version)
    read = card_read(then.card, then.version)
    return read.model_copy(update={"as_of": as_of, "chain": chain_read(then.chain)})


@router.get("/{name}/versions", response_model=Page[CardVersionRead])
def list_versions(
    name: CardName,
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    limit: Limit = 50,
    next_token: NextToken = None,
) -> Page[CardVersionRead]:
    """The versions of a card, newest first."""
    _, page = services.cards.list_model_card_versions(
        ctx,
        name,
        PageRequest(
            sort_by="Version",
            sort_order=SortOrder.DESCENDING,
            max_results=limit,
            next_token=next_token,
        ),
    )
    return Page(
        items=[
            CardVersionRead(
                version=v.version,
                status=v.status,
                content_sha256=v.content_sha256,
                chain_sha256=v.chain_sha256,
                created_at=v.created_at,
                created_by=v.created_by,
                last_modified_at=v.last_modified_at,
                last_modified_by=v.last_modified_by,
            )
            for v in page.items
        ],
        next=next_link(request, page.next_token),
    )


@router.get("/{name}/versions/{version}", response_model=CardRead)
def read_version(
    name: CardName, version: Version, response: Response, services: ServicesDep, ctx: ContextDep
) -> CardRead:
    """One version of a card."""
    return _described(response, services.cards.describe_model_card(ctx, name, version))


@router.put("/{name}/content", response_model=CardRead)
def update_content(
    name: CardName,
    body: CardContentUpdate,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
    if_match: IfMatch = None,
) -> CardRead:
    """Store new content as the card's next version."""
    stored = services.cards.update_model_card(
        ctx, name, content=json.dumps(body.content), expected_version=expected_version(if_match)
    )
    return _described(response, stored)


@router.put("/{name}/status", response_model=CardRead)
def update_status(
    name: CardName,
    body: CardStatusUpdate,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
    if_match: IfMatch = None,
) -> CardRead:
    """Change the status of the card's current version (no new version)."""
    changed = services.cards.update_model_card(
        ctx, name, status=body.status, expected_version=expected_version(if_match)
    )
    return _described(response, changed)


@router.post("/{name}/restore", response_model=CardRead)
def restore_card(
    name: CardName, body: CardRestore, response: Response, services: ServicesDep, ctx: ContextDep
) -> CardRead:
    """Move an Archived card to another status: an admin's decision, its reason recorded in the
    audit trail. An Archived card takes no other status change."""
    restored = services.cards.update_model_card(ctx, name, status=body.status, restore=body.reason)
    return _described(response, restored)


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_card(name: CardName, services: ServicesDep, ctx: ContextDep) -> Response:
    """Delete a card with its versions (the audit trail keeps what it was)."""
    services.cards.delete_model_card(ctx, name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{name}/diff", response_model=DiffRead)
def diff_versions(
    name: CardName,
    services: ServicesDep,
    ctx: ContextDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=2**31 - 1)],
    to_version: Annotated[int | None, Query(alias="to", ge=1, le=2**31 - 1)] = None,
) -> DiffRead:
    """What changed between two versions (``to`` defaults to the latest)."""
    return _diff(services.card_diffs.diff_versions(ctx, name, from_version, to_version))


@router.post("/{name}/diff", response_model=DiffRead)
def diff_draft(
    name: CardName,
    body: CardDraft,
    services: ServicesDep,
    ctx: ContextDep,
    from_version: Annotated[int | None, Query(alias="from", ge=1, le=2**31 - 1)] = None,
) -> DiffRead:
    """What a draft would change against a version (the latest by default)."""
    return _diff(
        services.card_diffs.diff_with_draft(ctx, name, json.dumps(body.content), from_version)
    )

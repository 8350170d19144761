"""A card version as a document: the facts gathered from the store, then rendered.

Every way of getting a document (the CLI, REST, an export job) goes through here, so a page
printed from any of them shows the same facts and the same hash. The sign-off comes from the
audit trail (the card's status changes) and the approval decisions on the linked version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from cardinal.documents import (
    CardDecision,
    CardDocument,
    HistoryEntry,
    LinkedPackage,
    PackageDecision,
    render,
)
from cardinal.domain.access import Action
from cardinal.domain.audit import AuditAction, AuditEvent, AuditQuery
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.errors import InvalidInput, NotFound
from cardinal.domain.identifiers import model_package_ref
from cardinal.domain.model_cards import CardVersion, ModelCard, ModelCardStatus
from cardinal.domain.model_registry import ModelPackage
from cardinal.domain.paging import MAX_PAGE_SIZE, PageRequest, SortOrder
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.model_cards import card_name
from cardinal.store.unit_of_work import Store, UnitOfWork

# The history summary shows at most this many versions, the newest first.
HISTORY_LIMIT = 100


@dataclass(frozen=True)
class RenderedDocument:
    data: bytes
    format: DocumentFormat
    file_name: str

    @property
    def media_type(self) -> str:
        return self.format.media_type


def document_file_name(name: str, version: int, fmt: DocumentFormat) -> str:
    stem = "README" if fmt is DocumentFormat.HUGGING_FACE else f"{name}-v{version}"
    return stem + fmt.file_extension


def _linked_package(
    uow: UnitOfWork, ctx: RequestContext, content: dict[str, Any]
) -> ModelPackage | None:
    details = content.get("model_package_details")
    arn = details.get("model_package_arn") if isinstance(details, dict) else None
    try:
        ref = model_package_ref(arn, ctx.scope) if isinstance(arn, str) else None
    except InvalidInput:
        return None  # content stored before links of other partitions were refused
    return uow.packages.find(ctx.scope, ref.group_name, ref.version) if ref else None


def _package_decisions(uow: UnitOfWork, package: ModelPackage) -> tuple[PackageDecision, ...]:
    return tuple(
        PackageDecision(
            decided_by=decision.decided_by,
            decided_at=decision.decided_at,
            decision=decision.decision.value,
            outcome=decision.outcome,
            comment=decision.comment,
            policy_group=decision.policy_group,
            policy_version=decision.policy_version,
            card_name=decision.card_name,
            card_version=decision.card_version,
            card_content_sha256=decision.card_content_sha256,
        )
        for decision in uow.approvals.decisions(package.id)
    )


def _card_decisions(uow: UnitOfWork, card: ModelCard) -> tuple[CardDecision, ...]:
    """The status changes of ``card`` (and its creation with a status other than Draft), from
    its latest creation on: a card deleted and made again under the same name starts anew."""
    newest = AuditQuery(
        resource_arn=card.arn, action=AuditAction.CARD_CREATE, max_results=1, newest_first=True
    )
    created = next(iter(uow.audit.list_page(newest).items), None)
    first = None if created is None else _created(created)
    decisions = [] if first is None else [first]
    query = AuditQuery(
        resource_arn=card.arn, action=AuditAction.CARD_STATUS, max_results=MAX_PAGE_SIZE
    )
    while True:
        page = uow.audit.list_page(query)
        for event in page.items:
            if created is None or event.seq > created.seq:
                decisions.append(_status_change(event))
        if page.next_token is None:
            return tuple(decisions)
        query = replace(query, next_token=page.next_token)


def _created(event: AuditEvent) -> CardDecision | None:
    after = event.after or {}
    status, version = after.get("status"), after.get("version")
    if status in (None, ModelCardStatus.DRAFT.value):
        return None
    return CardDecision(event.actor, event.occurred_at, int(version or 1), None, str(status))


def _status_change(event: AuditEvent) -> CardDecision:
    before, after = event.before or {}, event.after or {}
    reason = after.get("restored_because")
    return CardDecision(
        decided_by=event.actor,
        decided_at=event.occurred_at,
        card_version=int(after.get("version") or before.get("version") or 0),
        from_status=str(before.get("status", "unknown")),
        to_status=str(after.get("status", "unknown")),
        reason=None if reason is None else str(reason),
    )


def gather_document(
    uow: UnitOfWork, ctx: RequestContext, card: ModelCard, version: CardVersion
) -> CardDocument:
    """The document of ``version`` of ``card``, read inside ``uow``."""
    content = json.loads(version.content)
    history = uow.cards.list_versions_page(
        card,
        PageRequest(sort_by="Version", sort_order=SortOrder.DESCENDING, max_results=HISTORY_LIMIT),
    ).items
    package = _linked_package(uow, ctx, content)
    return CardDocument(
        name=card.name,
        arn=card.arn,
        version=version.version,
        status=version.status.value,
        content=content,
        content_sha256=version.content_sha256,
        chain_sha256=version.chain_sha256,
        created_at=version.created_at,
        created_by=version.created_by,
        last_modified_at=version.last_modified_at,
        last_modified_by=version.last_modified_by,
        generated_at=utcnow(),
        package=None if package is None else _package(package),
        history=tuple(
            HistoryEntry(
                version=entry.version,
                status=entry.status.value,
                created_at=entry.created_at,
                created_by=entry.created_by,
                content_sha256=entry.content_sha256,
            )
            for entry in history
        ),
        card_decisions=_card_decisions(uow, card),
        package_decisions=() if package is None else _package_decisions(uow, package),
    )


def as_it_was(
    document: CardDocument, at: datetime, status: str, package: ModelPackage | None
) -> CardDocument:
    """``document`` as it read at ``at``: the card's status then, the history and decisions made
    by then, and the linked version's approval as ``package`` (the version then) had it."""
    linked = document.package
    if linked is not None and package is not None and linked.arn == package.arn:
        linked = replace(
            linked,
            approval_status=package.approval_status.value,
            approval_description=package.approval_description,
        )
    return replace(
        document,
        status=status,
        as_of=at,
        package=linked,
        history=tuple(h for h in document.history if h.created_at <= at),
        card_decisions=tuple(d for d in document.card_decisions if d.decided_at <= at),
        package_decisions=tuple(d for d in document.package_decisions if d.decided_at <= at),
    )


def _package(package: ModelPackage) -> LinkedPackage:
    return LinkedPackage(
        group_name=package.group_name,
        version=package.version,
        arn=package.arn,
        approval_status=package.approval_status.value,
        approval_description=package.approval_description,
    )


def find_card_version(
    uow: UnitOfWork, ctx: RequestContext, name_or_arn: str, version: int | None
) -> tuple[ModelCard, CardVersion]:
    name = card_name(ctx, name_or_arn)
    card = uow.cards.find(ctx.scope, name)
    if card is None:
        raise NotFound(f"Model card '{name}' does not exist.")
    wanted = card.latest_version if version is None else version
    found = uow.cards.find_version(card.id, wanted)
    if found is None:
        raise NotFound(f"Model card '{card.name}' has no version {wanted}.")
    return card, found


class DocumentService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def card_document(
        self, ctx: RequestContext, name_or_arn: str, version: int | None = None
    ) -> CardDocument:
        """The document of one version of a card (the latest unless ``version`` is given)."""
        ctx.require(Action.READ)

        def work(uow: UnitOfWork) -> CardDocument:
            card, found = find_card_version(uow, ctx, name_or_arn, version)
            return gather_document(uow, ctx, card, found)

        return self._store.read(work)

    def render_card(
        self,
        ctx: RequestContext,
        name_or_arn: str,
        fmt: DocumentFormat,
        version: int | None = None,
    ) -> RenderedDocument:
        """Render a card version now, in any format (Archived cards included)."""
        document = self.card_document(ctx, name_or_arn, version)
        return RenderedDocument(
            data=render(document, fmt),
            format=fmt,
            file_name=document_file_name(document.name, document.version, fmt),
        )

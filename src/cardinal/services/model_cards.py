"""Use cases of model cards: create, describe any version, update, list, delete.

A content change stores version N+1; a status change alters the current version only; one
update may not do both; an Archived card takes no content change. A card that links a model
package (``model_package_details.model_package_arn``) must name an existing version or
unversioned package (LinkedPackageNotFound, a NotFound, when it names none) that no other card
documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from cardinal.content.canonical import content_sha256, version_hashes
from cardinal.content.card_content import CardFacts, CardFlavour, card_facts, parse_card_content
from cardinal.domain.access import Action
from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import (
    AlreadyExists,
    InvalidInput,
    InvalidState,
    NotFound,
    StaleVersion,
)
from cardinal.domain.identifiers import (
    check_entity_name,
    model_package_ref,
    name_from_name_or_arn,
)
from cardinal.domain.model_cards import (
    CardChange,
    CardVersion,
    LinkedPackageNotFound,
    ModelCard,
    ModelCardStatus,
    classify_card_update,
)
from cardinal.domain.paging import Page, PageRequest
from cardinal.domain.unversioned_packages import unversioned_package_name
from cardinal.services.approvals import check_required_fields
from cardinal.services.audit import record
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.tags import check_new_tags
from cardinal.store.unit_of_work import Store, UnitOfWork

LINK_PATH = "$.model_package_details.model_package_arn"


@dataclass(frozen=True)
class DescribedCard:
    card: ModelCard
    version: CardVersion


def card_name(ctx: RequestContext, name_or_arn: str) -> str:
    return name_from_name_or_arn(name_or_arn, ctx.scope, "model-card", "model card")


def _get(
    uow: UnitOfWork, ctx: RequestContext, name_or_arn: str, *, lock: bool = False
) -> ModelCard:
    name = card_name(ctx, name_or_arn)
    card = uow.cards.find(ctx.scope, name, for_update=lock)
    if card is None:
        raise NotFound(f"Model card '{name}' does not exist.")
    return card


def _check_link(
    uow: UnitOfWork, ctx: RequestContext, card: ModelCard | None, facts: CardFacts
) -> None:
    """Check the link ``facts`` give ``card`` (None: a card being created). A link the card
    already has needs no check: the version it names cannot be deleted while documented, and no
    other card may document it (a unique index)."""
    arn = facts.model_package_arn
    if arn is None or (card is not None and arn == card.model_package_arn):
        return
    ref = model_package_ref(arn, ctx.scope)
    unversioned = unversioned_package_name(arn, ctx.scope)
    # The package's row lock keeps it from being deleted until this card is stored.
    if ref is not None:
        found = uow.packages.find(ctx.scope, ref.group_name, ref.version, for_update=True)
        exists = found is not None
    else:
        exists = unversioned is not None and (
            uow.unversioned_packages.find(ctx.scope, unversioned, for_update=True) is not None
        )
    if not exists:
        raise LinkedPackageNotFound(
            f"Invalid model card content at {LINK_PATH}: model package '{arn}' does not exist "
            "in this account and region; register it first, or link one that exists.",
            path=LINK_PATH,
        )
    other = uow.cards.find_by_package_arn(arn)
    if other is not None and (card is None or other.id != card.id):
        raise InvalidState(
            f"Model package '{arn}' is already documented by model card '{other.name}'; "
            "a model package version is documented by at most one model card."
        )


def card_group(ctx: RequestContext, model_package_arn: str | None) -> str | None:
    """The group whose grants govern a card: that of the version it documents (None: none)."""
    if model_package_arn is None:
        return None
    ref = model_package_ref(model_package_arn, ctx.scope)
    return None if ref is None else ref.group_name


def _require_for_update(
    ctx: RequestContext, card: ModelCard, status: ModelCardStatus | None, facts: CardFacts | None
) -> None:
    action = Action.DECIDE if status is ModelCardStatus.APPROVED else Action.WRITE
    ctx.require(action, card_group(ctx, card.model_package_arn))
    if facts is not None and facts.model_package_arn != card.model_package_arn:
        ctx.require(Action.WRITE, card_group(ctx, facts.model_package_arn))


def _version_facts(version: CardVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "status": version.status.value,
        "content_sha256": version.content_sha256,
        "chain_sha256": version.chain_sha256,
    }


class ModelCardService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create_model_card(
        self,
        ctx: RequestContext,
        name: str,
        content: str,
        status: ModelCardStatus,
        *,
        kms_key_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        carried_over_from: dict[str, Any] | None = None,
    ) -> DescribedCard:
        """Create version 1 and return it. Raises AlreadyExists, InvalidInput, InvalidState (link
        taken).

        ``carried_over_from`` records the card version this one was started from.
        """
        check_entity_name("model card", name)
        facts = card_facts(parse_card_content(content, CardFlavour.MODEL_CARD))
        ctx.require(Action.WRITE, card_group(ctx, facts.model_package_arn))
        if status is ModelCardStatus.APPROVED:
            ctx.require(Action.DECIDE, card_group(ctx, facts.model_package_arn))
        check_new_tags(0, tags or {})
        content_hash = content_sha256(content)  # before the write: others wait while it runs

        def work(uow: UnitOfWork) -> DescribedCard:
            if uow.cards.find(ctx.scope, name) is not None:
                raise AlreadyExists(f"Model card '{name}' already exists.")
            _check_link(uow, ctx, None, facts)
            if status is ModelCardStatus.APPROVED:
                check_required_fields(uow, facts.model_package_arn, content)
            now = utcnow()
            card = uow.cards.add(
                ctx.scope,
                name,
                content,
                version_hashes(ctx.scope.arn("model-card", name), 1, content_hash, None),
                facts,
                status,
                kms_key_id,
                now,
                ctx.actor,
                carried_over_from=carried_over_from,
            )
            if tags:
                uow.tags.put(card.arn, tags)
            first = uow.cards.find_version(card.id, 1)
            assert first is not None
            after = {
                **_version_facts(first),
                "model_package_arn": facts.model_package_arn,
                "tags": dict(tags or {}),
            }
            if carried_over_from is not None:
                after["carried_over_from"] = carried_over_from
            record(uow, ctx, AuditAction.CARD_CREATE, card.arn, after=after, at=now)
            return DescribedCard(card, first)

        return self._store.write(work)

    def describe_model_card(
        self, ctx: RequestContext, name_or_arn: str, version: int | None = None
    ) -> DescribedCard:
        """The card and one version of it (the latest unless ``version`` is given)."""
        ctx.require(Action.READ)

        def work(uow: UnitOfWork) -> DescribedCard:
            card = _get(uow, ctx, name_or_arn)
            wanted = card.latest_version if version is None else version
            found = uow.cards.find_version(card.id, wanted)
            if found is None:
                raise NotFound(f"Model card '{card.name}' has no version {wanted}.")
            return DescribedCard(card, found)

        return self._store.read(work)

    def update_model_card(
        self,
        ctx: RequestContext,
        name_or_arn: str,
        *,
        content: str | None = None,
        status: ModelCardStatus | None = None,
        expected_version: int | None = None,
        restore: str | None = None,
    ) -> DescribedCard:
        """Store new content as the next version, or change the current version's status; return
        the card and the version as this change left them (not as a later change may have).

        With ``expected_version``, the change is made only if that is still the latest version
        (InvalidState otherwise): an edit based on version N never hides a version N+1 stored
        meanwhile by someone else.

        An Archived card takes no status change but a restore: an admin's decision, with its
        reason in ``restore``, recorded in the audit event.
        """
        if restore is not None:
            ctx.require(Action.ADMINISTER)
            if status is None or content is not None or not restore.strip():
                raise InvalidInput(
                    "A restore moves an Archived card to another status and gives its reason."
                )
        facts, content_hash = None, None
        if content is not None:
            facts = card_facts(parse_card_content(content, CardFlavour.MODEL_CARD))
            content_hash = content_sha256(content)  # before the write: others wait while it runs

        def work(uow: UnitOfWork) -> DescribedCard:
            card = _get(uow, ctx, name_or_arn, lock=True)
            _require_for_update(ctx, card, status, facts)
            if expected_version is not None and card.latest_version != expected_version:
                raise StaleVersion(
                    f"Model card '{card.name}' is at version {card.latest_version}, not "
                    f"{expected_version}: it changed since it was read. Read it again."
                )
            change = classify_card_update(card, content, status)
            now = utcnow()
            previous = uow.cards.find_version(card.id, card.latest_version)
            assert previous is not None
            if change is CardChange.CONTENT:
                assert content is not None
                assert facts is not None
                assert content_hash is not None
                _check_link(uow, ctx, card, facts)
                version = card.latest_version + 1
                hashes = version_hashes(card.arn, version, content_hash, previous.chain_sha256)
                stored = uow.cards.add_version(
                    card, version, content, hashes, facts, now, ctx.actor
                )
                card.latest_version = version
                before, after = _version_facts(previous), _version_facts(stored)
                action = AuditAction.CARD_CONTENT
                if facts.model_package_arn != card.model_package_arn:
                    action = AuditAction.CARD_LINK
                    before["model_package_arn"] = card.model_package_arn
                    after["model_package_arn"] = facts.model_package_arn
                    card.model_package_arn = facts.model_package_arn
            else:
                assert status is not None
                if card.status is ModelCardStatus.ARCHIVED and not restore:
                    raise InvalidState(
                        f"archived_is_final: model card '{card.name}' is Archived; only an admin "
                        "can restore it, as a recorded decision (`cardinal card restore`)."
                    )
                if status is ModelCardStatus.APPROVED:
                    check_required_fields(uow, card.model_package_arn, previous.content)
                uow.cards.set_status(card, status, now, ctx.actor)
                if restore is not None and card.status is not ModelCardStatus.ARCHIVED:
                    raise InvalidState(f"Model card '{card.name}' is not Archived.")
                before = {"version": card.latest_version, "status": card.status.value}
                after = {"version": card.latest_version, "status": status.value}
                if restore is not None:
                    after["restored_because"] = restore
                action = AuditAction.CARD_STATUS
                card.status = status
                stored = replace(
                    previous, status=status, last_modified_at=now, last_modified_by=ctx.actor
                )
            card.last_modified_at, card.last_modified_by = now, ctx.actor
            record(uow, ctx, action, card.arn, before=before, after=after, at=now)
            return DescribedCard(card, stored)

        return self._store.write(work)

    def delete_model_card(self, ctx: RequestContext, name: str) -> None:
        """Delete the card with all its versions and tags."""

        def work(uow: UnitOfWork) -> None:
            card = _get(uow, ctx, name, lock=True)
            ctx.require(Action.WRITE, card_group(ctx, card.model_package_arn))
            latest = uow.cards.find_version(card.id, card.latest_version)
            assert latest is not None
            before = {
                **_version_facts(latest),
                "model_package_arn": card.model_package_arn,
                "tags": uow.tags.all(card.arn),
            }
            uow.tags.remove_all(card.arn)
            uow.cards.delete(card.id)
            record(uow, ctx, AuditAction.CARD_DELETE, card.arn, before=before)

        self._store.write(work)

    def cards_documenting(
        self, ctx: RequestContext, package_arns: list[str]
    ) -> dict[str, ModelCard]:
        """The card that documents each of the packages that has one, by package ARN."""
        ctx.require(Action.READ)
        return self._store.read(lambda uow: uow.cards.find_by_package_arns(package_arns))

    def list_model_cards(
        self,
        ctx: RequestContext,
        page: PageRequest,
        *,
        name_contains: str | None = None,
        status: ModelCardStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[ModelCard]:
        ctx.require(Action.READ)
        return self._store.read(
            lambda uow: uow.cards.list_page(
                ctx.scope,
                page,
                name_contains=name_contains,
                status=status,
                created_after=created_after,
                created_before=created_before,
            )
        )

    def list_model_card_versions(
        self,
        ctx: RequestContext,
        name_or_arn: str,
        page: PageRequest,
        *,
        status: ModelCardStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> tuple[ModelCard, Page[CardVersion]]:
        ctx.require(Action.READ)

        def work(uow: UnitOfWork) -> tuple[ModelCard, Page[CardVersion]]:
            card = _get(uow, ctx, name_or_arn)
            versions = uow.cards.list_versions_page(
                card,
                page,
                status=status,
                created_after=created_after,
                created_before=created_before,
            )
            return card, versions

        return self._store.read(work)

"""Use cases of unversioned model packages: create, describe, update, list, delete; and the list
of every model package, versioned or not.

An unversioned package belongs to no group, so writing one takes the author role over the whole
registry (as a model does); reading one takes any grant. It has no approval status and carries no
embedded card (see ``domain/unversioned_packages``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cardinal.domain.access import Action
from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import InvalidInput, InvalidState
from cardinal.domain.model_registry import ApprovalStatus, ModelPackage, PackageFields
from cardinal.domain.paging import Page, PageRequest
from cardinal.domain.unversioned_packages import (
    UnversionedModelPackage,
    UnversionedPackageExists,
    UnversionedPackageNotFound,
    check_inference_specification,
    check_unversioned_package,
    unversioned_package_arn,
    unversioned_package_name,
)
from cardinal.services.audit import record
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.model_packages import (
    EmbeddedCardChange,
    ModelPackageChanges,
    changed_details,
    check_metadata_changes,
    cloned_fields,
    record_detail_changes,
)
from cardinal.services.tags import check_new_tags
from cardinal.store.repositories.unversioned_packages import PackageKind
from cardinal.store.unit_of_work import Store, UnitOfWork

NOT_APPLICABLE = (
    "{member} does not apply to an unversioned model package (one created with "
    "ModelPackageName): {why}"
)
_APPROVAL_WHY = (
    "it has no approval status. Register the model as a version of a model package group "
    "(ModelPackageGroupName) to have it approved."
)
_CARD_WHY = (
    "it carries no embedded model card. Document it with a model card whose "
    "model_package_details.model_package_arn names it."
)


@dataclass
class NewUnversionedPackage:
    """What a creation gives; ``unread_members`` are the SageMaker members kept as given."""

    name: str
    description: str | None = None
    fields: PackageFields = field(default_factory=PackageFields)
    unread_members: dict[str, Any] = field(default_factory=dict)
    tags: Mapping[str, str] | None = None
    client_token: str | None = None
    # Given only to be refused: neither applies to an unversioned package.
    approval_status: ApprovalStatus | None = None
    model_card: EmbeddedCardChange | None = None


def refuse_approval(member: str) -> InvalidInput:
    """The refusal of an approval member given for an unversioned package."""
    return InvalidInput(NOT_APPLICABLE.format(member=member, why=_APPROVAL_WHY), path=member)


def refuse_embedded_card(member: str) -> InvalidInput:
    """The refusal of an embedded model card given for an unversioned package."""
    return InvalidInput(NOT_APPLICABLE.format(member=member, why=_CARD_WHY), path=member)


def find_unversioned_package(
    uow: UnitOfWork, ctx: RequestContext, name_or_arn: str, *, lock: bool = False
) -> UnversionedModelPackage:
    """The unversioned package ``name_or_arn`` names; UnversionedPackageNotFound if none."""
    name = unversioned_package_name(name_or_arn, ctx.scope)
    package = (
        None if name is None else uow.unversioned_packages.find(ctx.scope, name, for_update=lock)
    )
    if package is None:
        raise UnversionedPackageNotFound(f"Could not find model package '{name_or_arn}'.")
    return package


class UnversionedPackageService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create(self, ctx: RequestContext, new: NewUnversionedPackage) -> UnversionedModelPackage:
        """Store an unversioned package. A repeated ClientToken of the package's own creation
        returns it. Raises InvalidInput (an approval status or embedded card given, name,
        inference specification, SourceUri, reserved tag key), LimitExceeded (tags),
        UnversionedPackageExists."""
        if new.approval_status is not None:
            raise refuse_approval("ModelApprovalStatus")
        if new.model_card is not None:
            raise refuse_embedded_card("ModelCard")
        ctx.require(Action.WRITE)
        check_unversioned_package(new.name, new.fields)
        check_new_tags(0, new.tags or {})
        arn = unversioned_package_arn(ctx.scope, new.name)

        def work(uow: UnitOfWork) -> UnversionedModelPackage:
            existing = uow.unversioned_packages.find(ctx.scope, new.name, for_update=True)
            if existing is not None:
                token = uow.unversioned_packages.client_token(existing.id)
                if new.client_token is not None and token == new.client_token:
                    return existing
                raise UnversionedPackageExists(f"Model package '{arn}' already exists.")
            fields = cloned_fields(uow, ctx, new.fields)
            check_inference_specification(fields.inference_specification)
            now = utcnow()
            package = UnversionedModelPackage(
                id=0,
                name=new.name,
                arn=arn,
                description=new.description,
                created_at=now,
                created_by=ctx.actor,
                last_modified_at=now,
                last_modified_by=ctx.actor,
                details={**new.unread_members, **fields.as_record()},
            )
            uow.unversioned_packages.add(ctx.scope, package, new.client_token)
            if new.tags:
                uow.tags.put(arn, new.tags)
            after = {
                "name": package.name,
                "description": package.description,
                "details": package.details,
                "tags": dict(new.tags or {}),
            }
            record(uow, ctx, AuditAction.PACKAGE_REGISTER, arn, after=after, at=now)
            return package

        return self._store.write(work)

    def describe(self, ctx: RequestContext, name_or_arn: str) -> UnversionedModelPackage:
        """Raises UnversionedPackageNotFound."""
        ctx.require(Action.READ)
        return self._store.read(lambda uow: find_unversioned_package(uow, ctx, name_or_arn))

    def update(
        self, ctx: RequestContext, name_or_arn: str, changes: ModelPackageChanges
    ) -> UnversionedModelPackage:
        """Apply what UpdateModelPackage may change on an unversioned package: customer
        metadata, additional inference specifications, the members it replaces. Raises
        UnversionedPackageNotFound, InvalidInput (an approval or card change), LimitExceeded."""
        if changes.approval_status is not None:
            raise refuse_approval("ModelApprovalStatus")
        if changes.approval_description is not None:
            raise refuse_approval("ApprovalDescription")
        if changes.model_card is not None:
            raise refuse_embedded_card("ModelCard")
        ctx.require(Action.WRITE)

        def work(uow: UnitOfWork) -> UnversionedModelPackage:
            package = find_unversioned_package(uow, ctx, name_or_arn, lock=True)
            check_metadata_changes(changes)
            check_inference_specification(changes.replaced.inference_specification)
            details = changed_details(package.details, changes)
            if details == package.details:
                return package
            before, package.details = package.details, details
            package.last_modified_at, package.last_modified_by = utcnow(), ctx.actor
            uow.unversioned_packages.save(package)
            record_detail_changes(uow, ctx, package.arn, before, details, package.last_modified_at)
            return package

        return self._store.write(work)

    def delete(self, ctx: RequestContext, name_or_arn: str) -> None:
        """Delete an unversioned package that no model card documents, and its tags. Raises
        UnversionedPackageNotFound, InvalidState (a card documents it)."""
        ctx.require(Action.WRITE)

        def work(uow: UnitOfWork) -> None:
            package = find_unversioned_package(uow, ctx, name_or_arn, lock=True)
            card = uow.cards.find_by_package_arn(package.arn)
            if card is not None:
                raise InvalidState(
                    f"Model package '{package.arn}' is documented by model card '{card.name}'; "
                    "unlink or delete the card first."
                )
            before = {
                "name": package.name,
                "description": package.description,
                "tags": uow.tags.all(package.arn),
            }
            uow.tags.remove_all(package.arn)
            uow.unversioned_packages.delete(package.id)
            record(uow, ctx, AuditAction.PACKAGE_DELETE, package.arn, before=before)

        self._store.write(work)

    def list(
        self,
        ctx: RequestContext,
        page: PageRequest,
        *,
        every_kind: bool = False,
        name_contains: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[UnversionedModelPackage | ModelPackage]:
        """One page of unversioned packages, or with ``every_kind`` of every model package,
        versioned or not, in one order."""
        ctx.require(Action.READ)
        filters: dict[str, Any] = {
            "name_contains": name_contains,
            "created_after": created_after,
            "created_before": created_before,
        }

        def work(uow: UnitOfWork) -> Page[UnversionedModelPackage | ModelPackage]:
            if not every_kind:
                found = uow.unversioned_packages.list_page(ctx.scope, page, **filters)
                return Page(items=list(found.items), next_token=found.next_token)
            keys = uow.unversioned_packages.list_every_kind_page(ctx.scope, page, **filters)
            ids = {kind: [i for k, i in keys.items if k is kind] for kind in PackageKind}
            versioned = uow.packages.find_by_ids(ids[PackageKind.VERSIONED])
            unversioned = uow.unversioned_packages.find_by_ids(ids[PackageKind.UNVERSIONED])
            items: list[UnversionedModelPackage | ModelPackage] = [
                versioned[i] if kind is PackageKind.VERSIONED else unversioned[i]
                for kind, i in keys.items
            ]
            return Page(items=items, next_token=keys.next_token)

        return self._store.read(work)

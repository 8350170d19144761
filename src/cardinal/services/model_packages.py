"""Use cases of model packages: register a version, describe, update, list, delete.

A version number is taken from the group's counter inside the write transaction, so versions
are 1, 2, 3, ... without gap or duplicate however many writers register at once, and a number
is never given twice even after a version is deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from cardinal.content.canonical import content_sha256, version_hashes
from cardinal.content.card_content import CardFlavour, parse_card_content
from cardinal.domain.access import Action
from cardinal.domain.approval_policies import Decision
from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import InputField, InvalidInput, InvalidState, LimitExceeded, NotFound
from cardinal.domain.identifiers import ModelPackageRef, model_package_ref, parse_arn
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import (
    MAX_ADDITIONAL_INFERENCE_SPECIFICATIONS,
    MAX_CUSTOMER_METADATA,
    ApprovalStatus,
    EmbeddedModelCard,
    ModelPackage,
    PackageFields,
)
from cardinal.domain.models import package_containers
from cardinal.domain.paging import Page, PageRequest
from cardinal.domain.unversioned_packages import UnversionedModelPackage, unversioned_package_name
from cardinal.services.approvals import decide
from cardinal.services.audit import record
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.model_package_groups import group_name
from cardinal.store.unit_of_work import Store, UnitOfWork

ARCHIVED_EMBEDDED_CARD = "Model Card is in Archived state"


@dataclass
class EmbeddedCardChange:
    content: str | None = None
    status: str | None = None


@dataclass
class NewModelPackage:
    """What a registration gives; ``unread_members`` are the SageMaker members Cardinal keeps
    as given without reading them (model metrics, validation specification, ...)."""

    description: str | None = None
    approval_status: ApprovalStatus = ApprovalStatus.PENDING_MANUAL_APPROVAL
    fields: PackageFields = field(default_factory=PackageFields)
    unread_members: dict[str, Any] = field(default_factory=dict)
    model_card: EmbeddedCardChange | None = None
    client_token: str | None = None
    certify_for_marketplace: bool = False


@dataclass
class ModelPackageChanges:
    """What an update changes; None leaves a field as it is (an empty approval description
    clears it)."""

    approval_status: ApprovalStatus | None = None
    approval_description: str | None = None
    customer_metadata: dict[str, str] | None = None
    customer_metadata_to_remove: list[str] | None = None
    additional_inference_specifications_to_add: list[dict[str, Any]] | None = None
    replaced: PackageFields = field(default_factory=PackageFields)
    replaced_unread_members: dict[str, Any] = field(default_factory=dict)
    model_card: EmbeddedCardChange | None = None


def check_metadata_changes(changes: ModelPackageChanges) -> None:
    """Refuse customer metadata keys both set and removed by one update (InvalidInput)."""
    removing = set(changes.customer_metadata_to_remove or [])
    clash = removing & set(changes.customer_metadata or {})
    if clash:
        raise InvalidInput(
            f"Customer metadata key(s) {sorted(clash)} cannot be both set and removed.",
            field=InputField.METADATA_TO_REMOVE,
        )


def changed_details(details: dict[str, Any], changes: ModelPackageChanges) -> dict[str, Any]:
    """A package's record (``details``) as ``changes`` leave it, approval and card aside: customer
    metadata set and removed, additional inference specifications added, members replaced.
    Raises LimitExceeded."""
    changed = dict(details)
    current = PackageFields.of_record(details)
    removing = set(changes.customer_metadata_to_remove or [])
    if changes.customer_metadata or removing:
        metadata = {**(current.customer_metadata or {}), **(changes.customer_metadata or {})}
        for key in removing:
            metadata.pop(key, None)
        if len(metadata) > MAX_CUSTOMER_METADATA:
            raise LimitExceeded(f"At most {MAX_CUSTOMER_METADATA} customer metadata properties.")
        changed.update(PackageFields(customer_metadata=metadata).as_record())
    if changes.additional_inference_specifications_to_add:
        specs = list(current.additional_inference_specifications or [])
        specs.extend(changes.additional_inference_specifications_to_add)
        if len(specs) > MAX_ADDITIONAL_INFERENCE_SPECIFICATIONS:
            raise LimitExceeded(
                "Total number of additional Inference Specifications can not exceed "
                f"{MAX_ADDITIONAL_INFERENCE_SPECIFICATIONS}."
            )
        changed.update(PackageFields(additional_inference_specifications=specs).as_record())
    changed.update(changes.replaced_unread_members)
    changed.update(changes.replaced.as_record())
    return changed


def _decides(card: EmbeddedCardChange | None) -> bool:
    return card is not None and card.status == ModelCardStatus.APPROVED.value


def package_ref(ctx: RequestContext, name_or_arn: str) -> ModelPackageRef:
    ref = model_package_ref(name_or_arn, ctx.scope)
    if ref is None:
        raise NotFound(f"Could not find model package '{name_or_arn}'.")
    return ref


def cloned_fields(uow: UnitOfWork, ctx: RequestContext, fields: PackageFields) -> PackageFields:
    """The fields of a registration whose SourceUri names a model package or a model: the
    source must exist here, and unless the registration gives an inference specification, the
    source's is copied (AWS: "If you want to clone a model package, set it to the model package
    ARN. If you want to register a model, set it to the model ARN."); a model's containers
    become the specification's. Any other SourceUri (an S3 URI, say) is kept as given."""
    uri = fields.source_uri
    parsed = parse_arn(uri, ctx.scope, what="SourceUri") if uri else None
    if uri is None or parsed is None or parsed.kind not in ("model-package", "model"):
        return fields
    if parsed.kind == "model":
        model = uow.models.find(ctx.scope, parsed.resource) if parsed.is_in(ctx.scope) else None
        if model is None:
            raise InvalidInput(
                f"SourceUri '{uri}' names a model that does not exist in this account and "
                "region; to register a model, give the ARN of one created with CreateModel."
            )
        specification: dict[str, Any] | None = {"Containers": package_containers(model)}
    else:
        ref = model_package_ref(uri, ctx.scope)
        source: ModelPackage | UnversionedModelPackage | None = (
            uow.packages.find(ctx.scope, ref.group_name, ref.version) if ref else None
        )
        unversioned = unversioned_package_name(uri, ctx.scope)
        if unversioned is not None:
            source = uow.unversioned_packages.find(ctx.scope, unversioned)
        if source is None:
            raise InvalidInput(
                f"SourceUri '{uri}' names a model package that does not exist in this account "
                "and region; to clone a model package, give the ARN of a version or of an "
                "unversioned model package."
            )
        specification = source.fields.inference_specification
    if fields.inference_specification is not None:
        return fields
    return replace(fields, inference_specification=specification)


def _get(
    uow: UnitOfWork, ctx: RequestContext, name_or_arn: str, *, lock: bool = False
) -> ModelPackage:
    ref = package_ref(ctx, name_or_arn)
    package = uow.packages.find(ctx.scope, ref.group_name, ref.version, for_update=lock)
    if package is None:
        raise NotFound(f"Could not find model package '{name_or_arn}'.")
    return package


def _embedded_card(
    current: EmbeddedModelCard | None, change: EmbeddedCardChange
) -> EmbeddedModelCard:
    """The embedded card after ``change``: new content is its next version."""
    status = change.status or (current.status if current else ModelCardStatus.DRAFT.value)
    if change.content is not None:
        if current is not None and current.status == ModelCardStatus.ARCHIVED:
            raise InvalidState(ARCHIVED_EMBEDDED_CARD)
        parse_card_content(change.content, CardFlavour.MODEL_PACKAGE)
        version = current.version + 1 if current else 1
        return EmbeddedModelCard(content=change.content, status=status, version=version)
    if current is None:
        raise InvalidInput(
            "A model package's model card needs ModelCardContent when it is first set.",
            field=InputField.EMBEDDED_CARD_CONTENT,
        )
    return EmbeddedModelCard(content=current.content, status=status, version=current.version)


def _card_facts(card: EmbeddedModelCard, content_hash: str | None = None) -> dict[str, Any]:
    """The audit facts of an embedded card (``content_hash``: its content's, if known)."""
    return {
        "version": card.version,
        "status": card.status,
        "content_sha256": content_hash or content_sha256(card.content),
    }


def _approval(package: ModelPackage) -> dict[str, Any]:
    return {
        "approval_status": package.approval_status.value,
        "approval_description": package.approval_description,
    }


def _store_card_version(uow: UnitOfWork, package: ModelPackage, now: datetime, actor: str) -> str:
    """Store the package's embedded card as the version it names, chained to the one before;
    return its content's hash."""
    card = package.model_card
    assert card is not None
    previous = uow.packages.card_chain_sha256(package, card.version - 1)
    hashes = version_hashes(package.arn, card.version, content_sha256(card.content), previous)
    uow.packages.add_card_version(package, hashes, now, actor)
    return hashes.content_sha256


def record_detail_changes(
    uow: UnitOfWork,
    ctx: RequestContext,
    arn: str,
    before: dict[str, Any],
    after: dict[str, Any],
    now: datetime,
) -> None:
    """One audit event with the members of a package's record that changed, if any did."""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if keys:
        record(
            uow, ctx, AuditAction.PACKAGE_UPDATE, arn,
            before={k: before.get(k) for k in keys},
            after={k: after.get(k) for k in keys},
            at=now,
        )  # fmt: skip


def _record_changes(
    uow: UnitOfWork, ctx: RequestContext, before: ModelPackage, after: ModelPackage
) -> None:
    """Store the embedded card's new version or status, and one audit event per kind of change."""
    now = after.last_modified_at
    if _approval(before) != _approval(after):
        record(
            uow, ctx, AuditAction.PACKAGE_APPROVAL, after.arn,
            before=_approval(before), after=_approval(after), at=now,
        )  # fmt: skip
    record_detail_changes(uow, ctx, after.arn, before.details, after.details, now)
    old_card, new_card = before.model_card, after.model_card
    if new_card is None or old_card == new_card:
        return
    if old_card is None or new_card.version != old_card.version:
        stored = _store_card_version(uow, after, now, ctx.actor)
        record(
            uow, ctx, AuditAction.PACKAGE_CARD_CONTENT, after.arn,
            before=_card_facts(old_card) if old_card else None,
            after=_card_facts(new_card, stored),
            at=now,
        )  # fmt: skip
    if old_card is not None and new_card.status != old_card.status:
        if new_card.version == old_card.version:
            uow.packages.set_card_status(after, now, ctx.actor)
        record(
            uow, ctx, AuditAction.PACKAGE_CARD_STATUS, after.arn,
            before={"version": old_card.version, "status": old_card.status},
            after={"version": new_card.version, "status": new_card.status},
            at=now,
        )  # fmt: skip


class ModelPackageService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def register_model_package(
        self, ctx: RequestContext, group_name_or_arn: str, new: NewModelPackage
    ) -> ModelPackage:
        """Register the group's next version. A repeated ClientToken returns the first one."""
        if new.certify_for_marketplace:
            raise InvalidInput(
                "CertifyForMarketplace applies to unversioned model packages only (created with "
                "ModelPackageName), not to a version of a model package group.",
                path="CertifyForMarketplace",
            )
        name = group_name(ctx, group_name_or_arn)
        decides = new.approval_status is not ApprovalStatus.PENDING_MANUAL_APPROVAL
        ctx.require(Action.DECIDE if decides or _decides(new.model_card) else Action.WRITE, name)
        card = _embedded_card(None, new.model_card) if new.model_card else None
        if len(new.fields.customer_metadata or {}) > MAX_CUSTOMER_METADATA:
            raise LimitExceeded(f"At most {MAX_CUSTOMER_METADATA} customer metadata properties.")

        def work(uow: UnitOfWork) -> ModelPackage:
            if new.client_token:
                # Looked up before the group's lock, for which every registration of the group
                # waits: a repeat stored meanwhile makes this one's insert fail on the unique
                # (group, token), and the write, tried again, finds it here.
                earlier = uow.packages.find_by_client_token(ctx.scope, name, new.client_token)
                if earlier is not None:
                    return earlier
            group = uow.groups.get(ctx.scope, name, for_update=True)
            fields = cloned_fields(uow, ctx, new.fields)
            version = group.version_counter + 1
            now = utcnow()
            package = ModelPackage(
                id=0,
                group_id=group.id,
                group_name=group.name,
                version=version,
                arn=ctx.scope.arn("model-package", f"{group.name}/{version}"),
                description=new.description,
                approval_status=new.approval_status,
                approval_description=None,
                created_at=now,
                created_by=ctx.actor,
                last_modified_at=now,
                last_modified_by=ctx.actor,
                details={**new.unread_members, **fields.as_record()},
                model_card=card,
            )
            uow.packages.add_next(ctx.scope, package, new.client_token)
            if package.approval_status is not ApprovalStatus.PENDING_MANUAL_APPROVAL:
                decided = decide(
                    uow, ctx, package, Decision(package.approval_status.value), None, now
                )
                package.approval_status = decided.status
                package.approval_description = decided.description
                uow.packages.save(package)
            after: dict[str, Any] = {
                "version": version,
                "approval_status": package.approval_status.value,
                "approval_description": None,
                "description": package.description,
                "details": package.details,
                "tags": {},
            }
            if card is not None:
                stored = _store_card_version(uow, package, now, ctx.actor)
                after["model_card"] = _card_facts(card, stored)
            record(uow, ctx, AuditAction.PACKAGE_REGISTER, package.arn, after=after, at=now)
            return package

        return self._store.write(work)

    def describe_model_package(self, ctx: RequestContext, name_or_arn: str) -> ModelPackage:
        ctx.require(Action.READ)
        return self._store.read(lambda uow: _get(uow, ctx, name_or_arn))

    def batch_describe_model_packages(
        self, ctx: RequestContext, arns: Sequence[str]
    ) -> tuple[dict[str, ModelPackage], dict[str, str]]:
        """The packages found by ARN, and for each ARN not found, why."""
        ctx.require(Action.READ)
        wanted = {arn for arn in arns if model_package_ref(arn, ctx.scope) is not None}
        found = self._store.read(lambda uow: uow.packages.find_by_arns(sorted(wanted)))
        missing = {arn: "Could not find model package." for arn in arns if arn not in found}
        return found, missing

    def decide_approval(
        self,
        ctx: RequestContext,
        name_or_arn: str,
        decision: ApprovalStatus,
        description: str | None = None,
    ) -> ModelPackage:
        """Approve or reject a version. A decision replaces the one before, reason included: one
        without a description has none. Raises NotFound."""
        changes = ModelPackageChanges(
            approval_status=decision, approval_description=description or ""
        )
        return self.update_model_package(ctx, name_or_arn, changes)

    def update_model_package(
        self, ctx: RequestContext, arn: str, changes: ModelPackageChanges
    ) -> ModelPackage:
        """Apply what UpdateModelPackage may change. Raises NotFound, InvalidInput, InvalidState."""
        check_metadata_changes(changes)

        def work(uow: UnitOfWork) -> ModelPackage:
            package = _get(uow, ctx, arn, lock=True)
            decides = changes.approval_status is not None or _decides(changes.model_card)
            ctx.require(Action.DECIDE if decides else Action.WRITE, package.group_name)
            before = replace(package, details=dict(package.details))
            if changes.approval_description is not None:
                package.approval_description = changes.approval_description or None
            if changes.approval_status not in (None, package.approval_status):
                assert changes.approval_status is not None
                decided = decide(
                    uow, ctx, package, Decision(changes.approval_status.value),
                    changes.approval_description or None, utcnow(),
                )  # fmt: skip
                package.approval_status = decided.status
                if decided.description != (changes.approval_description or None):
                    package.approval_description = decided.description
            details = changed_details(package.details, changes)
            if changes.model_card is not None:
                package.model_card = _embedded_card(package.model_card, changes.model_card)
            package.details = details
            unchanged = (
                _approval(before) == _approval(package)
                and before.details == package.details
                and before.model_card == package.model_card
            )
            if unchanged:
                return package
            package.last_modified_at = utcnow()
            package.last_modified_by = ctx.actor
            uow.packages.save(package)
            _record_changes(uow, ctx, before, package)
            return package

        return self._store.write(work)

    def delete_model_package(self, ctx: RequestContext, name_or_arn: str) -> None:
        """Delete a version that no model card documents; InvalidState if one does."""

        def work(uow: UnitOfWork) -> None:
            package = _get(uow, ctx, name_or_arn, lock=True)
            ctx.require(Action.WRITE, package.group_name)
            card = uow.cards.find_by_package_arn(package.arn)
            if card is not None:
                raise InvalidState(
                    f"Model package '{package.arn}' is documented by model card '{card.name}'; "
                    "unlink or delete the card first."
                )
            before = {
                "version": package.version,
                "approval_status": package.approval_status.value,
                "tags": uow.tags.all(package.arn),
            }
            uow.tags.remove_all(package.arn)
            uow.packages.delete(package.id)
            record(uow, ctx, AuditAction.PACKAGE_DELETE, package.arn, before=before)

        self._store.write(work)

    def list_model_packages(
        self,
        ctx: RequestContext,
        page: PageRequest,
        *,
        group_name_or_arn: str | None = None,
        name_contains: str | None = None,
        approval_status: ApprovalStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        missing_group_is_empty: bool = True,
    ) -> Page[ModelPackage]:
        """One page of versions. A group that does not exist lists as empty, as in SageMaker,
        unless ``missing_group_is_empty`` is false: then it raises NotFound."""
        ctx.require(Action.READ)

        def work(uow: UnitOfWork) -> Page[ModelPackage]:
            group_id = None
            if group_name_or_arn is not None:
                name = group_name(ctx, group_name_or_arn)
                if not missing_group_is_empty:
                    group_id = uow.groups.get(ctx.scope, name).id
                elif (group := uow.groups.find(ctx.scope, name)) is None:
                    return Page(items=[])
                else:
                    group_id = group.id
            return uow.packages.list_page(
                ctx.scope,
                page,
                group_id=group_id,
                name_contains=name_contains,
                approval_status=approval_status,
                created_after=created_after,
                created_before=created_before,
            )

        return self._store.read(work)

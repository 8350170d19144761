"""Starting the card of a new model version from the card of the version before it.

The new card documents the new version (its ``model_package_details`` read from the registry)
and carries over the business details, intended uses and additional information of the card
that documents the group's most recent earlier version with a card. Where it came from (card,
version and chain hash) is recorded on the new card and in its audit event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cardinal.domain.access import Action
from cardinal.domain.errors import NotFound
from cardinal.domain.model_cards import CardVersion, ModelCard, ModelCardStatus
from cardinal.domain.model_registry import ModelPackage
from cardinal.services.context import RequestContext
from cardinal.services.model_cards import DescribedCard, ModelCardService
from cardinal.services.model_packages import package_ref
from cardinal.store.unit_of_work import Store, UnitOfWork

CARRIED_SECTIONS = ("business_details", "intended_uses", "additional_information")


def model_package_details(package: ModelPackage) -> dict[str, Any]:
    """A card's ``model_package_details`` for ``package``, as the SageMaker SDK v2 writes it."""
    details: dict[str, Any] = {
        "model_package_arn": package.arn,
        "model_package_group_name": package.group_name,
        "model_package_name": package.name,
        "model_package_version": package.version,
        "model_package_status": "Completed",
        "model_approval_status": package.approval_status.value,
        "created_by": {"user_profile_name": package.created_by[:63]},
    }
    if package.description:
        details["model_package_description"] = package.description
    if package.approval_description:
        details["approval_description"] = package.approval_description
    known = package.fields
    if known.domain:
        details["domain"] = known.domain
    if known.task:
        details["task"] = known.task
    containers = (known.inference_specification or {}).get("Containers") or []
    if containers:
        details["inference_specification"] = {
            "containers": [
                {
                    k: v
                    for k, v in (
                        ("image", c.get("Image")),
                        ("model_data_url", c.get("ModelDataUrl")),
                        ("nearest_model_name", c.get("NearestModelName")),
                    )
                    if v is not None
                }
                for c in containers
                if c.get("Image")
            ]
        }
    return details


@dataclass(frozen=True)
class CarriedOverCard:
    card: ModelCard
    package: ModelPackage
    source: ModelCard | None
    source_version: CardVersion | None
    carried: tuple[str, ...]


class CarryOverService:
    def __init__(self, store: Store, cards: ModelCardService) -> None:
        self._store = store
        self._cards = cards

    def start_card_for_package(
        self,
        ctx: RequestContext,
        package_name_or_arn: str,
        card_name: str,
        *,
        status: ModelCardStatus = ModelCardStatus.DRAFT,
    ) -> CarriedOverCard:
        """Create ``card_name`` for the package, started from the previous version's card.

        With no earlier card in the group the new card holds only ``model_package_details``.
        Raises NotFound (package), AlreadyExists (card name), InvalidState (the package is
        documented already) as creating the card would.
        """
        package, source, source_version = self._store.read(
            lambda uow: _package_and_source(uow, ctx, package_name_or_arn)
        )
        content: dict[str, Any] = {}
        carried: list[str] = []
        provenance = None
        if source is not None and source_version is not None:
            previous = json.loads(source_version.content)
            for section in CARRIED_SECTIONS:
                if previous.get(section):
                    content[section] = previous[section]
                    carried.append(section)
            provenance = {
                "model_card_arn": source.arn,
                "model_card_version": source_version.version,
                "chain_sha256": source_version.chain_sha256,
                "model_package_arn": source.model_package_arn,
                "sections": carried,
            }
        content["model_package_details"] = model_package_details(package)
        card = self._cards.create_model_card(
            ctx, card_name, json.dumps(content), status, carried_over_from=provenance
        ).card
        return CarriedOverCard(card, package, source, source_version, tuple(carried))

    def source_for(
        self, ctx: RequestContext, package_name_or_arn: str
    ) -> tuple[ModelCard, CardVersion] | None:
        """The card (and its latest version) a card started for the package would carry over
        from, or None. Raises NotFound (package)."""
        ctx.require(Action.READ)
        _, source, version = self._store.read(
            lambda uow: _package_and_source(uow, ctx, package_name_or_arn)
        )
        return (source, version) if source is not None and version is not None else None

    def link_card(
        self,
        ctx: RequestContext,
        card_name: str,
        package_name_or_arn: str,
        *,
        expected_version: int | None = None,
    ) -> DescribedCard:
        """Make the card document the package: a new version whose ``model_package_details``
        are the package's, the rest of the content kept. Raises NotFound (card, package),
        StaleVersion (``expected_version`` is not the latest), InvalidState (the package is
        documented by another card) as updating the card would."""
        ref = package_ref(ctx, package_name_or_arn)

        current = self._cards.describe_model_card(ctx, card_name).version.content
        package = self._store.read(
            lambda uow: uow.packages.find(ctx.scope, ref.group_name, ref.version)
        )
        if package is None:
            raise NotFound(f"Could not find model package '{package_name_or_arn}'.")
        content = json.loads(current)
        content["model_package_details"] = model_package_details(package)
        return self._cards.update_model_card(
            ctx, card_name, content=json.dumps(content), expected_version=expected_version
        )


def _package_and_source(
    uow: UnitOfWork, ctx: RequestContext, package_name_or_arn: str
) -> tuple[ModelPackage, ModelCard | None, CardVersion | None]:
    ref = package_ref(ctx, package_name_or_arn)
    package = uow.packages.find(ctx.scope, ref.group_name, ref.version)
    if package is None:
        raise NotFound(f"Could not find model package '{package_name_or_arn}'.")
    source = uow.cards.find_latest_documenting(ctx.scope, package.group_name, package.version)
    version = uow.cards.find_version(source.id, source.latest_version) if source else None
    return package, source, version

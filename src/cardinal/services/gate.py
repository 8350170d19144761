"""The release gate a pipeline asks before it deploys: is this version approved, and its card?

The gate opens only when the model package version is Approved and a model card documents it
whose current status is Approved. Otherwise it stays closed and says what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardinal.domain.errors import NotFound
from cardinal.domain.model_cards import ModelCard, ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, ModelPackage
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import package_ref
from cardinal.store.unit_of_work import Store, UnitOfWork


@dataclass(frozen=True)
class GateDecision:
    package: ModelPackage
    card: ModelCard | None
    missing: tuple[str, ...]

    @property
    def open(self) -> bool:
        return not self.missing


class GateService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def check_release(self, ctx: RequestContext, package_name_or_arn: str) -> GateDecision:
        """Decide the gate for one version. Raises NotFound for an unknown version."""
        ref = package_ref(ctx, package_name_or_arn)

        def work(uow: UnitOfWork) -> GateDecision:
            package = uow.packages.find(ctx.scope, ref.group_name, ref.version)
            if package is None:
                raise NotFound(f"Could not find model package '{package_name_or_arn}'.")
            card = uow.cards.find_by_package_arn(package.arn)
            missing = []
            if package.approval_status is not ApprovalStatus.APPROVED:
                missing.append(
                    f"model package {package.name} is {package.approval_status.value}, not Approved"
                )
            if card is None:
                missing.append(f"no model card documents model package {package.name}")
            elif card.status is not ModelCardStatus.APPROVED:
                missing.append(
                    f"model card {card.name} (version {card.latest_version}) is "
                    f"{card.status.value}, not Approved"
                )
            return GateDecision(package, card, tuple(missing))

        return self._store.read(work)

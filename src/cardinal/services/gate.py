"""The release gate a pipeline asks before it deploys: is this version approved, and its card?

The gate opens only when the model package version is Approved and a model card documents it
whose current status is Approved, and when the card's content is still the one the approval
saw (an approval pins the card version by its SHA-256). Otherwise it stays closed and says what
is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardinal.domain.access import Action
from cardinal.domain.approval_policies import ApprovalDecision, Decision
from cardinal.domain.errors import NotFound
from cardinal.domain.model_cards import ModelCard, ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, ModelPackage
from cardinal.services.approvals import documenting_card
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import package_ref
from cardinal.store.unit_of_work import Store, UnitOfWork


@dataclass(frozen=True)
class GateDecision:
    package: ModelPackage
    card: ModelCard | None
    missing: tuple[str, ...]
    decisions: tuple[ApprovalDecision, ...] = ()

    @property
    def open(self) -> bool:
        return not self.missing


class GateService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def check_release(self, ctx: RequestContext, package_name_or_arn: str) -> GateDecision:
        """Decide the gate for one version. Raises NotFound for an unknown version."""
        ctx.require(Action.READ)
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
            decisions = uow.approvals.decisions(package.id)
            documenting = documenting_card(uow, package)
            approval = _last_approval(decisions, package)
            if approval is not None and approval.card_content_sha256 is not None:
                now = documenting.version if documenting is not None else None
                if now is None or now.content_sha256 != approval.card_content_sha256:
                    where = "" if now is None else f"; it is now at version {now.version}"
                    missing.append(
                        f"the approval of {package.name} pinned model card "
                        f"{approval.card_name} version {approval.card_version} "
                        f"(sha256 {approval.card_content_sha256[:12]}…), which is no longer "
                        f"current{where}: approve the version again"
                    )
            return GateDecision(package, card, tuple(missing), tuple(decisions))

        return self._store.read(work)


def _last_approval(
    decisions: list[ApprovalDecision], package: ModelPackage
) -> ApprovalDecision | None:
    """The decision that made the version Approved, while it is."""
    if package.approval_status is not ApprovalStatus.APPROVED or not decisions:
        return None
    last = decisions[-1]
    return last if last.decision is Decision.APPROVE else None

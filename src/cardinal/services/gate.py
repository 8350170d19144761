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
from cardinal.domain.model_cards import CardVersion, ModelCard, ModelCardStatus
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
            documenting = documenting_card(uow, package)
            return gate_decision(
                package,
                documenting.card if documenting else None,
                documenting.version if documenting else None,
                uow.approvals.decisions(package.id),
            )

        return self._store.read(work)


def gate_decision(
    package: ModelPackage,
    card: ModelCard | None,
    card_version: CardVersion | None,
    decisions: list[ApprovalDecision],
) -> GateDecision:
    """The gate of ``package``, documented by ``card`` (at its version ``card_version``), after
    ``decisions``: the rules above, on values read now or at an earlier moment."""
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
    approval = _last_approval(decisions, package)
    pinned = approval.card_content_sha256 if approval is not None else None
    if approval is not None and pinned is not None:
        current = card_version.content_sha256 if card_version is not None else None
        if current != pinned:
            where = "" if card_version is None else f"; it is now at version {card_version.version}"
            missing.append(
                f"the approval of {package.name} pinned model card "
                f"{approval.card_name} version {approval.card_version} "
                f"(sha256 {pinned[:12]}…), which is no longer current{where}: approve the "
                "version again"
            )
    return GateDecision(package, card, tuple(missing), tuple(decisions))


def _last_approval(
    decisions: list[ApprovalDecision], package: ModelPackage
) -> ApprovalDecision | None:
    """The decision that made the version Approved, while it is."""
    if package.approval_status is not ApprovalStatus.APPROVED or not decisions:
        return None
    last = decisions[-1]
    return last if last.decision is Decision.APPROVE else None

"""Approval policies as stored data, and the decisions made under them.

An admin sets a policy for every group or for one group; each set is a new version, audited on
``cardinal:approval-policy/GROUP`` (``*`` for every group). A group's own policy, when it has
one, holds instead of the global one. With none, a version is approved by one approval, as in
SageMaker.

Every decision on a model package version is recorded with the policy version that allowed it
and the card version it saw, pinned by the SHA-256 of its content; an approval counts toward
the approvals required only while the card holds that same content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cardinal.domain.access import Action
from cardinal.domain.approval_policies import (
    ApprovalDecision,
    ApprovalPolicy,
    Approved,
    Decision,
    Outcome,
    Pending,
    PolicyVersion,
    Refused,
    VersionFacts,
    approvals_so_far,
    decide_approval,
    missing_card_fields,
)
from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import AccessDenied, InvalidState, NotFound
from cardinal.domain.identifiers import model_package_ref
from cardinal.domain.model_cards import CardVersion, ModelCard, RiskRating
from cardinal.domain.model_registry import ApprovalStatus, ModelPackage
from cardinal.services.audit import record
from cardinal.services.context import RequestContext, utcnow
from cardinal.store.unit_of_work import Store, UnitOfWork

# A refusal by these rules is about who acts (403); by the others, about the state (409).
_WHO_RULES = {"separation_of_duties"}


def policy_arn(group: str | None) -> str:
    return f"cardinal:approval-policy/{group or '*'}"


@dataclass(frozen=True)
class DocumentingCard:
    """The card documenting a version, as an approval sees it."""

    card: ModelCard
    version: CardVersion

    @property
    def risk_rating(self) -> RiskRating:
        return risk_rating_of(self.version.content)


@dataclass(frozen=True)
class ApprovalState:
    """A version's approval under its policy: approvals counted of the approvals required for
    its card's risk, and what an approval by the reader would do now."""

    policy: PolicyVersion | None
    risk_rating: RiskRating
    required: int
    approvers: tuple[str, ...]
    your_approval: Outcome

    @property
    def still_needed(self) -> int:
        return max(self.required - len(self.approvers), 0)


@dataclass(frozen=True)
class ApprovalOutcome:
    status: ApprovalStatus
    description: str | None


class ApprovalPolicyService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def set_policy(self, ctx: RequestContext, document: object, group: str | None) -> PolicyVersion:
        """Store ``document`` as the next version of the policy of ``group`` (None: every
        group). Raises InvalidInput at the JSON path of the first fault."""
        ctx.require(Action.ADMINISTER)
        policy = ApprovalPolicy.from_document(document)

        def work(uow: UnitOfWork) -> PolicyVersion:
            before = uow.approvals.current_policy(group)
            now = utcnow()
            stored = uow.approvals.add_policy(group, policy.as_document(), now, ctx.actor)
            record(
                uow, ctx, AuditAction.POLICY_SET, policy_arn(group),
                before=None if before is None else _facts(before),
                after=_facts(stored), at=now,
            )  # fmt: skip
            return stored

        return self._store.write(work)

    def show_policy(self, ctx: RequestContext, group: str | None) -> PolicyVersion | None:
        """The policy that holds in ``group`` (its own, else the global one); None: none."""
        ctx.require(Action.READ)
        return self._store.read(lambda uow: effective_policy(uow, group))

    def approval_state(self, ctx: RequestContext, package_name_or_arn: str) -> ApprovalState:
        """Where the version's approval stands under its policy, and what an approval by the
        caller would do now; nothing is recorded. Raises NotFound."""
        ctx.require(Action.READ)

        def work(uow: UnitOfWork) -> ApprovalState:
            ref = model_package_ref(package_name_or_arn, ctx.scope)
            package = uow.packages.find(ctx.scope, ref.group_name, ref.version) if ref else None
            if package is None:
                raise NotFound(f"Could not find model package '{package_name_or_arn}'.")
            held = effective_policy(uow, package.group_name)
            policy = held.policy if held is not None else ApprovalPolicy()
            facts = _version_facts(uow, package, documenting_card(uow, package))
            return ApprovalState(
                policy=held,
                risk_rating=facts.risk_rating,
                required=policy.approvals_for(facts.risk_rating),
                approvers=facts.approvers,
                your_approval=decide_approval(policy, facts, ctx.actor),
            )

        return self._store.read(work)

    def decisions(self, ctx: RequestContext, package: ModelPackage) -> list[ApprovalDecision]:
        ctx.require(Action.READ)
        return self._store.read(lambda uow: uow.approvals.decisions(package.id))


def effective_policy(uow: UnitOfWork, group: str | None) -> PolicyVersion | None:
    own = uow.approvals.current_policy(group) if group is not None else None
    return own or uow.approvals.current_policy(None)


def documenting_card(uow: UnitOfWork, package: ModelPackage) -> DocumentingCard | None:
    card = uow.cards.find_by_package_arn(package.arn)
    if card is None:
        return None
    version = uow.cards.find_version(card.id, card.latest_version)
    assert version is not None
    return DocumentingCard(card, version)


def decide(
    uow: UnitOfWork,
    ctx: RequestContext,
    package: ModelPackage,
    decision: Decision,
    comment: str | None,
    now: datetime,
) -> ApprovalOutcome:
    """Record ``decision`` on ``package`` by the caller under the policy of its group; what the
    version's approval status and description become. A refusal names the rule."""
    held = effective_policy(uow, package.group_name)
    policy = held.policy if held is not None else ApprovalPolicy()
    documenting = documenting_card(uow, package)
    pinned = documenting.version.content_sha256 if documenting is not None else None
    if decision is Decision.APPROVE:
        outcome = decide_approval(policy, _version_facts(uow, package, documenting), ctx.actor)
        if isinstance(outcome, Refused):
            message = f"{outcome.rule}: {outcome.reason}"
            if held is not None:
                message += f" ({held.label})"
            if outcome.rule in _WHO_RULES:
                raise AccessDenied(message, rule=outcome.rule)
            raise InvalidState(message)
        if isinstance(outcome, Pending):
            result = ApprovalOutcome(ApprovalStatus.PENDING_MANUAL_APPROVAL, outcome.summary)
        else:
            assert isinstance(outcome, Approved)
            result = ApprovalOutcome(ApprovalStatus.APPROVED, _approved_by(outcome, comment))
    elif decision is Decision.REJECT:
        result = ApprovalOutcome(ApprovalStatus.REJECTED, comment)
    else:
        result = ApprovalOutcome(ApprovalStatus.PENDING_MANUAL_APPROVAL, comment)
    counted = decision is Decision.APPROVE and result.status is not ApprovalStatus.APPROVED
    uow.approvals.add_decision(
        package.id,
        ApprovalDecision(
            decision=decision,
            outcome=result.description or "" if counted else result.status.value,
            decided_by=ctx.actor,
            decided_at=now,
            comment=comment,
            policy_group=None if held is None else held.group or "*",
            policy_version=None if held is None else held.version,
            card_name=documenting.card.name if documenting else None,
            card_version=documenting.version.version if documenting else None,
            card_content_sha256=pinned,
        ),
    )
    return result


def _version_facts(
    uow: UnitOfWork, package: ModelPackage, documenting: DocumentingCard | None
) -> VersionFacts:
    pinned = documenting.version.content_sha256 if documenting is not None else None
    return VersionFacts(
        name=package.name,
        registrant=package.created_by,
        card_authors=frozenset({documenting.version.created_by}) if documenting else frozenset(),
        card_status=documenting.card.status if documenting else None,
        risk_rating=documenting.risk_rating if documenting else RiskRating.UNKNOWN,
        approvers=approvals_so_far(uow.approvals.decisions(package.id), pinned),
    )


def check_required_fields(uow: UnitOfWork, model_package_arn: str | None, content: str) -> None:
    """InvalidState listing the fields the policy requires of a card of its risk rating that
    ``content`` leaves empty, when approving a card (documenting ``model_package_arn``)."""
    ref = model_package_ref(model_package_arn) if model_package_arn else None
    held = effective_policy(uow, None if ref is None else ref.group_name)
    if held is None:
        return
    risk = risk_rating_of(content)
    missing = missing_card_fields(held.policy, risk, json.loads(content))
    if missing:
        raise InvalidState(
            f"required_card_fields: a {risk.value}-risk card needs {', '.join(missing)} before it "
            f"can be Approved ({held.label})."
        )


def risk_rating_of(content: str) -> RiskRating:
    document = json.loads(content)
    uses = document.get("intended_uses") if isinstance(document, dict) else None
    rating = uses.get("risk_rating") if isinstance(uses, dict) else None
    try:
        return RiskRating(str(rating))
    except ValueError:
        return RiskRating.UNKNOWN


def _approved_by(outcome: Approved, comment: str | None) -> str | None:
    """The approval description: the approver's comment, as in SageMaker; after several
    approvals, who gave them first."""
    if len(outcome.approvers) < 2:
        return comment
    count = len(outcome.approvers)
    summary = f"{count} of {count} approvals ({', '.join(outcome.approvers)})"
    return f"{summary}: {comment}" if comment else summary


def _facts(policy: PolicyVersion) -> dict[str, object]:
    return {"version": policy.version, "policy": policy.policy.as_document()}

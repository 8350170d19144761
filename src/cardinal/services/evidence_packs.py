"""Evidence packs: what was true of a model version at a moment, in one file an auditor checks
offline (the format is ``content.evidence_pack``)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cardinal.content.evidence_pack import build_pack
from cardinal.documents import render
from cardinal.domain.access import Action
from cardinal.domain.approval_policies import ApprovalDecision
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.model_cards import CardVersion, ModelCard
from cardinal.domain.model_registry import ModelPackage
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.documents import as_it_was, gather_document
from cardinal.services.point_in_time import GateAt, PointInTimeService
from cardinal.store.unit_of_work import Store, UnitOfWork


@dataclass(frozen=True)
class EvidencePack:
    data: bytes
    file_name: str
    at: datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _when(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _package(package: ModelPackage) -> dict[str, Any]:
    return {
        "name": package.name,
        "arn": package.arn,
        "group": package.group_name,
        "version": package.version,
        "description": package.description,
        "approval_status": package.approval_status.value,
        "approval_description": package.approval_description,
        "details": package.details,
        "model_card": None
        if package.model_card is None
        else {"version": package.model_card.version, "status": package.model_card.status},
        "created_at": _when(package.created_at),
        "created_by": package.created_by,
        "last_modified_at": _when(package.last_modified_at),
        "last_modified_by": package.last_modified_by,
    }


def _card(card: ModelCard, version: CardVersion) -> dict[str, Any]:
    return {
        "name": card.name,
        "arn": card.arn,
        "version": version.version,
        "status": version.status.value,
        "content": json.loads(version.content),
        "content_sha256": version.content_sha256,
        "previous_sha256": version.previous_sha256,
        "chain_sha256": version.chain_sha256,
        "model_package_arn": card.model_package_arn,
        "created_at": _when(version.created_at),
        "created_by": version.created_by,
    }


def _decision(decision: ApprovalDecision) -> dict[str, Any]:
    return {
        "decision": decision.decision.value,
        "outcome": decision.outcome,
        "decided_by": decision.decided_by,
        "decided_at": _when(decision.decided_at),
        "comment": decision.comment,
        "policy_group": decision.policy_group,
        "policy_version": decision.policy_version,
        "card_name": decision.card_name,
        "card_version": decision.card_version,
        "card_content_sha256": decision.card_content_sha256,
    }


class EvidencePackService:
    def __init__(self, store: Store, past: PointInTimeService) -> None:
        self._store = store
        self._past = past

    def pack(
        self, ctx: RequestContext, package_name_or_arn: str, at: datetime | None = None
    ) -> EvidencePack:
        """The evidence pack of a version at ``at`` (default: now). Raises what
        ``PointInTimeService.gate`` raises."""
        ctx.require(Action.READ)
        at = at or utcnow()
        then = self._past.gate(ctx, package_name_or_arn, at)
        package = then.decision.package
        card = then.decision.card

        def work(uow: UnitOfWork) -> tuple[list[dict[str, Any]], bytes]:
            if card is None or then.card_version is None:
                return [], b""
            chain = [
                {
                    "version": v.version,
                    "content_sha256": v.content_sha256,
                    "previous_sha256": v.previous_sha256,
                    "chain_sha256": v.chain_sha256,
                }
                for _, _, v in uow.cards.stream_versions(card.id)
                if v.version <= then.card_version.version
            ]
            return chain, _rendered(uow, ctx, then, card, then.card_version, at)

        chain, html = self._store.read(work)
        manifest = {
            "model_package_arn": package.arn,
            "as_of": _when(at),
            "generated_at": _when(utcnow()),
            "generated_by": ctx.actor,
            "gate": {"open": then.decision.open, "missing": list(then.decision.missing)},
            "model_card": None
            if card is None
            else {"name": card.name, "version": card.latest_version},
            "chain_verified_when_generated": then.chain.verified,
            "verify": "cardinal evidence verify <this file>",
        }
        data = build_pack(
            manifest=manifest,
            package=_package(package),
            card=None
            if card is None or then.card_version is None
            else _card(card, then.card_version),
            card_chain=chain,
            decisions=[_decision(d) for d in then.decision.decisions],
            events=then.events,
            card_html=html,
        )
        stamp = at.strftime("%Y%m%dT%H%M%SZ")
        name = f"evidence-{package.group_name}-{package.version}-{stamp}.zip"
        return EvidencePack(data, name, at)


def _rendered(
    uow: UnitOfWork,
    ctx: RequestContext,
    then: GateAt,
    card: ModelCard,
    version: CardVersion,
    at: datetime,
) -> bytes:
    """The card rendered as it was at ``at``."""
    document = gather_document(uow, ctx, card, version)
    then_document = as_it_was(document, at, version.status.value, then.decision.package)
    return render(then_document, DocumentFormat.HTML)

"""The JSON rendering of a card document: the metadata and the content, for machines.

The layout is fixed (``format_version`` 1): the same document always gives the same bytes,
with the content's object keys sorted (stores may return them in any order). Times are ISO 8601
in UTC. ``sections_not_provided`` lists the sections the other formats show as "Not provided.".
``card_decisions`` and ``package_decisions`` are the sign-off's decisions, each oldest first;
numbers are exactly as stored (the other formats round them for reading).
"""

from __future__ import annotations

import json
from typing import Any

from cardinal.documents.errors import DocumentError
from cardinal.documents.model import (
    CardDecision,
    CardDocument,
    HistoryEntry,
    LinkedPackage,
    PackageDecision,
)
from cardinal.documents.outline import sections_not_provided
from cardinal.documents.text import utc

FORMAT = "cardinal.model-card-document"
FORMAT_VERSION = 1


def render_json(document: CardDocument) -> bytes:
    """The card version as one UTF-8 JSON object."""
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": document.name,
        "arn": document.arn,
        "version": document.version,
        "status": document.status,
        "risk_rating": document.risk_rating,
        "content_sha256": document.content_sha256,
        "chain_sha256": document.chain_sha256,
        "created_at": utc(document.created_at).isoformat(),
        "created_by": document.created_by,
        "last_modified_at": utc(document.last_modified_at).isoformat(),
        "last_modified_by": document.last_modified_by,
        "generated_at": utc(document.generated_at).isoformat(),
        "package": _package(document.package),
        "history": [_history_entry(entry) for entry in document.history],
        "card_decisions": [_card_decision(decision) for decision in document.card_decisions],
        "package_decisions": [
            _package_decision(decision) for decision in document.package_decisions
        ],
        "sections_not_provided": sections_not_provided(document),
        "content": _sorted(document.content),
    }
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError as error:
        raise DocumentError(f"the content cannot be written as JSON: {error}") from error
    return (text + "\n").encode("utf-8")


def _package(package: LinkedPackage | None) -> dict[str, Any] | None:
    if package is None:
        return None
    return {
        "group_name": package.group_name,
        "version": package.version,
        "arn": package.arn,
        "approval_status": package.approval_status,
        "approval_description": package.approval_description,
    }


def _history_entry(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "version": entry.version,
        "status": entry.status,
        "created_at": utc(entry.created_at).isoformat(),
        "created_by": entry.created_by,
        "content_sha256": entry.content_sha256,
    }


def _card_decision(decision: CardDecision) -> dict[str, Any]:
    return {
        "decided_by": decision.decided_by,
        "decided_at": utc(decision.decided_at).isoformat(),
        "card_version": decision.card_version,
        "from_status": decision.from_status,
        "to_status": decision.to_status,
        "reason": decision.reason,
    }


def _package_decision(decision: PackageDecision) -> dict[str, Any]:
    return {
        "decided_by": decision.decided_by,
        "decided_at": utc(decision.decided_at).isoformat(),
        "decision": decision.decision,
        "outcome": decision.outcome,
        "comment": decision.comment,
        "policy_group": decision.policy_group,
        "policy_version": decision.policy_version,
        "card_name": decision.card_name,
        "card_version": decision.card_version,
        "card_content_sha256": decision.card_content_sha256,
    }


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value

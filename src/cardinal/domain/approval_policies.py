"""Approval policies: who may approve a model version, how many must, and what its card needs.

A policy is a document an admin sets, globally or for one group. With no policy, a version is
approved by the first approval, as in SageMaker. The rules a policy may switch on:

- ``card_approved_first``: a version is approved only when the card documenting it is Approved;
- ``separation_of_duties``: neither the version's registrant nor an author of its card's current
  content may approve it;
- ``approvals_required`` by risk rating: how many distinct approvers it takes; until then the
  version stays pending, and an approver counts once;
- ``required_card_fields`` by risk rating: the card fields (dotted paths into the content) that
  must be filled before the card can be approved.

Deciding is pure: :func:`decide_approval` takes the facts of the version and answers what an
approval by a given person does, naming the rule and what would satisfy it when it refuses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from cardinal.domain.errors import InvalidInput
from cardinal.domain.json_paths import json_path
from cardinal.domain.model_cards import ModelCardStatus, RiskRating

# A dotted path into the card content, as required_card_fields names them.
FIELD_PATH_PATTERN = r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$"
_FIELD_PATH = re.compile(FIELD_PATH_PATTERN)
MAX_APPROVALS_REQUIRED = 10
SWITCHES = ("card_approved_first", "separation_of_duties")


@dataclass(frozen=True)
class ApprovalPolicy:
    card_approved_first: bool = False
    separation_of_duties: bool = False
    approvals_required: Mapping[RiskRating, int] = field(default_factory=dict)
    required_card_fields: Mapping[RiskRating, tuple[str, ...]] = field(default_factory=dict)

    def approvals_for(self, risk: RiskRating) -> int:
        return self.approvals_required.get(risk, 1)

    def as_document(self) -> dict[str, Any]:
        return {
            "card_approved_first": self.card_approved_first,
            "separation_of_duties": self.separation_of_duties,
            "approvals_required": {r.value: n for r, n in self.approvals_required.items()},
            "required_card_fields": {
                r.value: list(paths) for r, paths in self.required_card_fields.items()
            },
        }

    @classmethod
    def from_document(cls, document: object) -> ApprovalPolicy:
        """The policy ``document`` states; InvalidInput at the JSON path of the first fault."""
        if not isinstance(document, Mapping):
            raise InvalidInput("A policy is an object of rules.", path="$")
        known = (*SWITCHES, "approvals_required", "required_card_fields")
        for key in document:
            if key not in known:
                raise InvalidInput(
                    f"'{key}' is not a policy rule; the rules are {', '.join(known)}.",
                    path=json_path([str(key)]),
                )
        for switch in SWITCHES:
            if not isinstance(document.get(switch, False), bool):
                raise InvalidInput(f"{switch} is true or false.", path=json_path([switch]))
        counts: dict[RiskRating, int] = {}
        for risk, count in _by_risk(document, "approvals_required").items():
            # JSON has one kind of number: 2.0 is the whole number 2, as JSON Schema's
            # "integer" (which the published document states) counts it.
            if isinstance(count, float) and count.is_integer():
                count = int(count)
            if isinstance(count, bool) or not isinstance(count, int):
                raise InvalidInput(
                    "A number of approvals is a whole number.",
                    path=json_path(["approvals_required", risk.value]),
                )
            if not 1 <= count <= MAX_APPROVALS_REQUIRED:
                raise InvalidInput(
                    f"A number of approvals is between 1 and {MAX_APPROVALS_REQUIRED}.",
                    path=json_path(["approvals_required", risk.value]),
                )
            counts[risk] = count
        fields = _by_risk(document, "required_card_fields")
        for risk, paths in fields.items():
            where = ["required_card_fields", risk.value]
            if not isinstance(paths, list):
                raise InvalidInput(
                    "Required card fields are a list of dotted paths, such as "
                    "intended_uses.explanations_for_risk_rating.",
                    path=json_path(where),
                )
            for index, path in enumerate(paths):
                if not isinstance(path, str) or not _FIELD_PATH.fullmatch(path):
                    raise InvalidInput(
                        f"{path!r} is not a dotted path into the card content, such as "
                        "intended_uses.explanations_for_risk_rating.",
                        path=json_path([*where, index]),
                    )
        return cls(
            card_approved_first=bool(document.get("card_approved_first", False)),
            separation_of_duties=bool(document.get("separation_of_duties", False)),
            approvals_required=dict(counts),
            required_card_fields={r: tuple(p) for r, p in fields.items()},
        )


def _by_risk(document: Mapping[str, Any], key: str) -> dict[RiskRating, Any]:
    given = document.get(key, {})
    if not isinstance(given, Mapping):
        raise InvalidInput(f"{key} maps risk ratings to values.", path=json_path([key]))
    found: dict[RiskRating, Any] = {}
    ratings = {r.value: r for r in RiskRating}
    for rating, value in given.items():
        if rating not in ratings:
            raise InvalidInput(
                f"'{rating}' is not a risk rating: use {', '.join(ratings)}.",
                path=json_path([key, str(rating)]),
            )
        found[ratings[rating]] = value
    return found


@dataclass(frozen=True)
class VersionFacts:
    """What a decision on a version depends on."""

    name: str  # group/version
    registrant: str
    card_authors: frozenset[str]  # who wrote the card's current content
    card_status: ModelCardStatus | None  # None: no card documents the version
    risk_rating: RiskRating
    approvers: tuple[str, ...]  # who has approved it so far, in order


@dataclass(frozen=True)
class Approved:
    approvers: tuple[str, ...]


@dataclass(frozen=True)
class Pending:
    approvers: tuple[str, ...]
    required: int

    @property
    def summary(self) -> str:
        return f"{len(self.approvers)} of {self.required} approvals ({', '.join(self.approvers)})"


@dataclass(frozen=True)
class Refused:
    rule: str
    reason: str


Outcome = Approved | Pending | Refused


def decide_approval(policy: ApprovalPolicy, version: VersionFacts, approver: str) -> Outcome:
    """What an approval of ``version`` by ``approver`` does under ``policy``."""
    if policy.separation_of_duties:
        if approver == version.registrant:
            return Refused(
                "separation_of_duties", f"{approver} registered {version.name} and can't approve it"
            )
        if approver in version.card_authors:
            return Refused(
                "separation_of_duties",
                f"{approver} wrote the current content of the card of {version.name} and can't "
                "approve it",
            )
    if policy.card_approved_first and version.card_status is not ModelCardStatus.APPROVED:
        state = (
            "has no model card"
            if version.card_status is None
            else f"has a card that is {version.card_status.value}"
        )
        return Refused("card_approved_first", f"{version.name} {state}; approve its card first")
    required = policy.approvals_for(version.risk_rating)
    if approver in version.approvers:
        return Refused(
            "approvals_required",
            f"{approver} has approved {version.name} already; "
            f"{len(version.approvers)} of {required} approvals",
        )
    approvers = (*version.approvers, approver)
    if len(approvers) < required:
        return Pending(approvers=approvers, required=required)
    return Approved(approvers=approvers)


def missing_card_fields(
    policy: ApprovalPolicy, risk: RiskRating, content: Mapping[str, Any]
) -> list[str]:
    """The fields ``policy`` requires of a card of ``risk`` that ``content`` leaves empty."""
    return [
        path
        for path in policy.required_card_fields.get(risk, ())
        if _is_empty(_lookup(content, path.split(".")))
    ]


def _lookup(content: Any, steps: Sequence[str]) -> Any:
    for step in steps:
        if not isinstance(content, Mapping):
            return None
        content = content.get(step)
    return content


def _is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


class Decision(StrEnum):
    APPROVE = "Approved"
    REJECT = "Rejected"
    RESET = "PendingManualApproval"


@dataclass(frozen=True)
class PolicyVersion:
    """A policy as set: for one group, or for every group (``group`` None)."""

    group: str | None
    version: int
    policy: ApprovalPolicy
    set_at: datetime
    set_by: str

    @property
    def label(self) -> str:
        return f"{self.group or 'global'} policy v{self.version}"


@dataclass(frozen=True)
class ApprovalDecision:
    """One decision on a version: who, when, why, what it led to, the policy that allowed it,
    and the card version it saw (pinned by the SHA-256 of its content)."""

    decision: Decision
    outcome: str  # the version's approval status after it, or "1 of 2 approvals (alice)"
    decided_by: str
    decided_at: datetime
    comment: str | None
    policy_group: str | None
    policy_version: int | None
    card_name: str | None
    card_version: int | None
    card_content_sha256: str | None


def approvals_so_far(
    decisions: Sequence[ApprovalDecision], card_content_sha256: str | None
) -> tuple[str, ...]:
    """Who has approved since the last rejection or reset, each once, counting only approvals
    of the card content there is now: an approval pins the card it saw."""
    approvers: list[str] = []
    for decision in decisions:
        if decision.decision is not Decision.APPROVE:
            approvers = []
        elif (
            decision.card_content_sha256 == card_content_sha256
            and decision.decided_by not in approvers
        ):
            approvers.append(decision.decided_by)
    return tuple(approvers)

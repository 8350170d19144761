"""Approval policies (global or per group) and the decisions recorded on each version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.path_params import GroupName
from cardinal.domain.approval_policies import (
    FIELD_PATH_PATTERN,
    MAX_APPROVALS_REQUIRED,
    SWITCHES,
    ApprovalDecision,
    PolicyVersion,
)
from cardinal.domain.errors import NotFound
from cardinal.domain.identifiers import ENTITY_NAME, ENTITY_NAME_MAX_LENGTH
from cardinal.domain.model_cards import RiskRating
from cardinal.wire.approvals import ApprovalDecisionRead, PolicyRead
from cardinal.wire.evidence import PROBLEM_RESPONSES

router = APIRouter(tags=["approval policies"], responses=PROBLEM_RESPONSES)

VersionNumber = Annotated[int, Path(ge=1, le=999_999_999)]
_BY_RISK = {"propertyNames": {"enum": [r.value for r in RiskRating]}}
# The rules a policy document may state (the policy reads and checks them; an error names the
# JSON path of the first fault).
POLICY_SCHEMA: dict[str, Any] = {
    "properties": {
        **{switch: {"type": "boolean"} for switch in SWITCHES},
        "approvals_required": {
            "type": "object",
            **_BY_RISK,
            "additionalProperties": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_APPROVALS_REQUIRED,
            },
        },
        "required_card_fields": {
            "type": "object",
            **_BY_RISK,
            "additionalProperties": {
                "type": "array",
                "items": {"type": "string", "pattern": FIELD_PATH_PATTERN},
            },
        },
    },
    "additionalProperties": False,
}
GroupQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=ENTITY_NAME_MAX_LENGTH,
        pattern=ENTITY_NAME,
        description="The group; absent: the global policy, which holds in every group that "
        "has none of its own.",
    ),
]


def decision_read(decision: ApprovalDecision) -> ApprovalDecisionRead:
    policy = None
    if decision.policy_version is not None:
        scope = "global" if decision.policy_group in (None, "*") else decision.policy_group
        policy = f"{scope} v{decision.policy_version}"
    return ApprovalDecisionRead(
        decision=decision.decision.value,
        outcome=decision.outcome,
        decided_by=decision.decided_by,
        decided_at=decision.decided_at,
        comment=decision.comment,
        policy=policy,
        card_name=decision.card_name,
        card_version=decision.card_version,
        card_content_sha256=decision.card_content_sha256,
    )


def _policy_read(held: PolicyVersion) -> PolicyRead:
    return PolicyRead(
        group=held.group,
        version=held.version,
        policy=held.policy.as_document(),
        set_at=held.set_at,
        set_by=held.set_by,
    )


@router.get("/policies", response_model=PolicyRead)
def read_policy(services: ServicesDep, ctx: ContextDep, group: GroupQuery = None) -> PolicyRead:
    """The approval policy that holds in ``group`` (its own, else the global one); 404 when
    none holds, and then one approval approves a version, as in SageMaker."""
    held = services.policies.show_policy(ctx, group)
    if held is None:
        where = f"in group {group}" if group else "globally"
        raise NotFound(
            f"No approval policy holds {where}: one approval approves a version, as in SageMaker."
        )
    return _policy_read(held)


@router.put("/policies", response_model=PolicyRead)
def set_policy(
    services: ServicesDep,
    ctx: ContextDep,
    document: Annotated[
        dict[str, Any], Body(description="The policy's rules.", json_schema_extra=POLICY_SCHEMA)
    ],
    group: GroupQuery = None,
) -> PolicyRead:
    """Set the next version of the global policy, or of one group's (admin). The rules:
    ``card_approved_first``, ``separation_of_duties``, ``approvals_required`` and
    ``required_card_fields`` by risk rating."""
    return _policy_read(services.policies.set_policy(ctx, document, group))


@router.get(
    "/groups/{group}/versions/{version}/decisions",
    response_model=dict[str, list[ApprovalDecisionRead]],
    tags=["model package versions"],
)
def list_decisions(
    group: GroupName, version: VersionNumber, services: ServicesDep, ctx: ContextDep
) -> dict[str, list[ApprovalDecisionRead]]:
    """Every approval decision on a version, oldest first, each with the card version it saw."""
    package = services.packages.describe_model_package(ctx, f"{group}/{version}")
    return {"items": [decision_read(d) for d in services.policies.decisions(ctx, package)]}

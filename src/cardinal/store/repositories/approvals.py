"""Stored approval policies (every version of each) and approval decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select

from cardinal.domain.approval_policies import (
    ApprovalDecision,
    ApprovalPolicy,
    Decision,
    PolicyVersion,
)
from cardinal.store.tables import approval_decisions, approval_policies

EVERY_GROUP = "*"


class ApprovalRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def current_policy(self, group: str | None) -> PolicyVersion | None:
        """The latest version of the policy set for ``group`` (None: for every group)."""
        row = self._db.execute(
            select(approval_policies)
            .where(approval_policies.c.group_name == (group or EVERY_GROUP))
            .order_by(approval_policies.c.version.desc())
            .limit(1)
        ).one_or_none()
        return None if row is None else _policy(row)

    def add_policy(
        self, group: str | None, document: dict[str, Any], now: datetime, actor: str
    ) -> PolicyVersion:
        scope = group or EVERY_GROUP
        latest = self._db.execute(
            select(func.max(approval_policies.c.version)).where(
                approval_policies.c.group_name == scope
            )
        ).scalar_one_or_none()
        self._db.execute(
            insert(approval_policies).values(
                group_name=scope,
                version=int(latest or 0) + 1,
                document=document,
                created_at=now,
                created_by=actor,
            )
        )
        found = self.current_policy(group)
        assert found is not None
        return found

    def add_decision(self, package_id: int, decision: ApprovalDecision) -> None:
        self._db.execute(
            insert(approval_decisions).values(
                package_id=package_id,
                decision=decision.decision.value,
                outcome=decision.outcome,
                decided_by=decision.decided_by,
                decided_at=decision.decided_at,
                comment=decision.comment,
                policy_group=decision.policy_group,
                policy_version=decision.policy_version,
                card_name=decision.card_name,
                card_version=decision.card_version,
                card_content_sha256=decision.card_content_sha256,
            )
        )

    def decisions(self, package_id: int) -> list[ApprovalDecision]:
        rows = self._db.execute(
            select(approval_decisions)
            .where(approval_decisions.c.package_id == package_id)
            .order_by(approval_decisions.c.id)
        ).all()
        return [
            ApprovalDecision(
                decision=Decision(row.decision),
                outcome=row.outcome,
                decided_by=row.decided_by,
                decided_at=row.decided_at,
                comment=row.comment,
                policy_group=row.policy_group,
                policy_version=row.policy_version,
                card_name=row.card_name,
                card_version=row.card_version,
                card_content_sha256=row.card_content_sha256,
            )
            for row in rows
        ]


def _policy(row: Row[Any]) -> PolicyVersion:
    return PolicyVersion(
        group=None if row.group_name == EVERY_GROUP else row.group_name,
        version=row.version,
        policy=ApprovalPolicy.from_document(row.document),
        set_at=row.created_at,
        set_by=row.created_by,
    )

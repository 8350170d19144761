"""Conditions the repositories share: the scope a resource lives in, and the filters of lists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Table, and_

from cardinal.domain.identifiers import Scope


def in_scope(table: Table, scope: Scope) -> ColumnElement[bool]:
    """Rows of ``table`` in the account and region of ``scope`` (its indexes lead with both)."""
    return and_(table.c.account_id == scope.account_id, table.c.region == scope.region)


def listed(
    table: Table,
    name_contains: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> list[ColumnElement[bool]]:
    """The conditions of the filters lists share: a part of the name, in any case and taken
    literally (``%`` and ``_`` are no wildcards), and a creation time after and before; none
    for a filter not given."""
    conditions: list[ColumnElement[bool]] = []
    if name_contains:
        conditions.append(table.c.name.icontains(name_contains, autoescape=True))
    if created_after:
        conditions.append(table.c.created_at > created_after)
    if created_before:
        conditions.append(table.c.created_at < created_before)
    return conditions

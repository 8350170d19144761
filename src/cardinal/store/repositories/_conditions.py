"""Conditions the repositories share: the scope a resource lives in, and the filters of lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, and_, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

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


def one_of(column: Column[Any], name: str, dialect: str) -> ColumnElement[bool]:
    """``column`` equal to one of the values bound as ``name`` (a list), as the database
    ``dialect`` reads it best. On PostgreSQL ``= ANY(:name)``, one array parameter however long
    the list: psycopg converts a query with more than 50 parameters anew on every call (about
    0.5 ms for a page of 100), and caches the conversion of one with fewer. Elsewhere an
    expanding ``IN``."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))

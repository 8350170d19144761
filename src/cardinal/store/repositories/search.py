"""Search compiled to SQL: each property of the search catalogs maps to a column here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Table,
    and_,
    exists,
    literal,
    not_,
    or_,
    select,
    true,
)

from cardinal.domain.identifiers import Scope
from cardinal.domain.paging import Page
from cardinal.domain.search import (
    TAG_PREFIX,
    Expression,
    Filter,
    NestedFilters,
    Operator,
    PropertyKind,
    Resource,
    SearchQuery,
    parse_time,
    property_of,
)
from cardinal.store.pagination import fingerprint, read_page
from cardinal.store.repositories._conditions import in_scope
from cardinal.store.repositories.model_cards import card_from_row
from cardinal.store.repositories.model_package_groups import group_from_row
from cardinal.store.repositories.model_packages import package_from_row
from cardinal.store.tables import model_cards, model_package_groups, model_packages, tags

_COMPLETED = literal("Completed")

BUILDERS: dict[Resource, Callable[[Row[Any]], Any]] = {
    Resource.MODEL_PACKAGE_GROUP: group_from_row,
    Resource.MODEL_PACKAGE: package_from_row,
    Resource.MODEL_CARD: card_from_row,
}

TABLES: dict[Resource, Table] = {
    Resource.MODEL_PACKAGE_GROUP: model_package_groups,
    Resource.MODEL_PACKAGE: model_packages,
    Resource.MODEL_CARD: model_cards,
}


def _columns(resource: Resource) -> dict[str, ColumnElement[Any]]:
    if resource is Resource.MODEL_PACKAGE_GROUP:
        g = model_package_groups.c
        return {
            "ModelPackageGroupName": g.name,
            "ModelPackageGroupArn": g.arn,
            "ModelPackageGroupDescription": g.description,
            "ModelPackageGroupStatus": _COMPLETED,
            "CreationTime": g.created_at,
            "LastModifiedTime": g.last_modified_at,
            "CreatedBy.UserProfileName": g.created_by,
        }
    if resource is Resource.MODEL_PACKAGE:
        p = model_packages.c
        return {
            "ModelPackageName": p.name,
            "ModelPackageGroupName": p.group_name,
            "ModelPackageVersion": p.version,
            "ModelPackageArn": p.arn,
            "ModelPackageDescription": p.description,
            "ModelPackageStatus": _COMPLETED,
            "ModelApprovalStatus": p.approval_status,
            "ApprovalDescription": p.approval_description,
            "ModelLifeCycle.Stage": p.lifecycle_stage,
            "ModelLifeCycle.StageStatus": p.lifecycle_stage_status,
            "CreationTime": p.created_at,
            "LastModifiedTime": p.last_modified_at,
            "CreatedBy.UserProfileName": p.created_by,
            "LastModifiedBy.UserProfileName": p.last_modified_by,
        }
    c = model_cards.c
    return {
        "ModelCardName": c.name,
        "ModelCardArn": c.arn,
        "ModelCardStatus": c.status,
        "ModelCardVersion": c.latest_version,
        "ModelId": c.model_id,
        "RiskRating": c.risk_rating,
        "ModelPackageGroupName": c.model_package_group_name,
        "CreationTime": c.created_at,
        "LastModifiedTime": c.last_modified_at,
        "CreatedBy.UserProfileName": c.created_by,
        "LastModifiedBy.UserProfileName": c.last_modified_by,
    }


def _value(kind: PropertyKind, raw: str) -> Any:
    if kind is PropertyKind.NUMBER:
        number = float(raw)
        return int(number) if number.is_integer() else number
    if kind is PropertyKind.TIME:
        return parse_time(raw)
    return raw


def _condition(column: ColumnElement[Any], kind: PropertyKind, flt: Filter) -> ColumnElement[bool]:
    op = flt.operator
    if op is Operator.EXISTS:
        return column.is_not(None)
    if op is Operator.NOT_EXISTS:
        return column.is_(None)
    assert flt.value is not None
    if op is Operator.IN:
        return column.in_([part.strip() for part in flt.value.split(",") if part.strip()])
    if op is Operator.CONTAINS:
        return column.icontains(flt.value, autoescape=True)
    value = _value(kind, flt.value)
    comparisons: dict[Operator, Callable[[], ColumnElement[bool]]] = {
        Operator.EQUALS: lambda: column == value,
        Operator.NOT_EQUALS: lambda: or_(column != value, column.is_(None)),
        Operator.GREATER_THAN: lambda: column > value,
        Operator.GREATER_THAN_OR_EQUAL_TO: lambda: column >= value,
        Operator.LESS_THAN: lambda: column < value,
        Operator.LESS_THAN_OR_EQUAL_TO: lambda: column <= value,
    }
    return comparisons[op]()


class SearchRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def search(self, scope: Scope, query: SearchQuery) -> Page[Any]:
        """One page of the groups, packages or cards that match, as domain objects."""
        table = TABLES[query.resource]
        columns = _columns(query.resource)
        statement = select(table).where(in_scope(table, scope))
        if query.expression is not None:
            statement = statement.where(self._expression(query, table, columns, query.expression))
        return read_page(
            self._db,
            statement,
            sort_column=columns[query.sort_by],
            id_column=table.c.id,
            descending=query.descending,
            limit=query.max_results,
            token=query.next_token,
            query=fingerprint("search", scope, replace(query, next_token=None)),
            build=BUILDERS[query.resource],
        )

    def _expression(
        self,
        query: SearchQuery,
        table: Table,
        columns: dict[str, ColumnElement[Any]],
        expression: Expression,
    ) -> ColumnElement[bool]:
        parts: list[ColumnElement[bool]] = []
        for flt in expression.filters:
            parts.append(self._filter(query.resource, table, columns, flt))
        for nested in expression.nested_filters:
            parts.append(self._nested(table, nested))
        for sub in expression.subexpressions:
            parts.append(self._expression(query, table, columns, sub))
        if not parts:
            return true()
        return or_(*parts) if expression.any_of else and_(*parts)

    def _filter(
        self,
        resource: Resource,
        table: Table,
        columns: dict[str, ColumnElement[Any]],
        flt: Filter,
    ) -> ColumnElement[bool]:
        prop = property_of(resource, flt.name)
        if flt.name.startswith(TAG_PREFIX) and flt.name not in columns:
            key = flt.name[len(TAG_PREFIX) :]
            tag_exists = exists().where(tags.c.resource_arn == table.c.arn, tags.c.key == key)
            if flt.operator is Operator.EXISTS:
                return tag_exists
            if flt.operator is Operator.NOT_EXISTS:
                return not_(tag_exists)
            if flt.operator is Operator.NOT_EQUALS:
                matching = exists().where(
                    tags.c.resource_arn == table.c.arn,
                    tags.c.key == key,
                    tags.c.value == flt.value,
                )
                return not_(matching)
            return exists().where(
                tags.c.resource_arn == table.c.arn,
                tags.c.key == key,
                _condition(tags.c.value, PropertyKind.TEXT, flt),
            )
        return _condition(columns[flt.name], prop.kind, flt)

    def _nested(self, table: Table, nested: NestedFilters) -> ColumnElement[bool]:
        conditions = [
            _condition(
                tags.c.key if flt.name == "Tags.Key" else tags.c.value, PropertyKind.TEXT, flt
            )
            for flt in nested.filters
        ]
        return exists().where(tags.c.resource_arn == table.c.arn, *conditions)

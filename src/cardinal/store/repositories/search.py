"""Search compiled to SQL: each property of the search catalogs maps to a column here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Integer,
    Row,
    String,
    Subquery,
    Table,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    true,
    union_all,
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
from cardinal.store.pagination import fingerprint, read_page, token_query
from cardinal.store.repositories._conditions import in_scope
from cardinal.store.repositories.model_cards import card_from_row
from cardinal.store.repositories.model_package_groups import group_from_row
from cardinal.store.repositories.model_packages import package_from_row
from cardinal.store.repositories.unversioned_packages import (
    PackageKind,
    unversioned_package_from_row,
)
from cardinal.store.tables import (
    model_cards,
    model_package_groups,
    model_packages,
    tags,
    unversioned_model_packages,
)

_COMPLETED = literal("Completed")
# Asked before the first page of every package search, so built once.
_ANY_UNVERSIONED = (
    select(literal(1))
    .where(
        unversioned_model_packages.c.account_id == bindparam("account"),
        unversioned_model_packages.c.region == bindparam("region"),
    )
    .limit(1)
)

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


def _every_package(scope: Scope) -> Subquery:
    """Versions and unversioned packages as one relation with the columns of a version; what
    an unversioned package lacks (group, version, approval) is NULL. Row ids of the two tables
    overlap, so ``id`` keeps them apart (even: a version, odd: an unversioned package)."""
    p = model_packages.c
    u = unversioned_model_packages.c
    versions = select(
        literal(PackageKind.VERSIONED.value).label("kind"),
        p.id.label("row_id"),
        (p.id * 2).label("id"),
        p.name,
        p.group_name,
        p.version,
        p.arn,
        p.description,
        p.approval_status,
        p.approval_description,
        p.lifecycle_stage,
        p.lifecycle_stage_status,
        p.created_at,
        p.last_modified_at,
        p.created_by,
        p.last_modified_by,
    ).where(in_scope(model_packages, scope))
    unversioned = select(
        literal(PackageKind.UNVERSIONED.value).label("kind"),
        u.id.label("row_id"),
        (u.id * 2 + 1).label("id"),
        u.name,
        cast(null(), String(63)).label("group_name"),
        cast(null(), Integer()).label("version"),
        u.arn,
        u.description,
        cast(null(), String(32)).label("approval_status"),
        cast(null(), String()).label("approval_description"),
        u.details[("ModelLifeCycle", "Stage")].as_string().label("lifecycle_stage"),
        u.details[("ModelLifeCycle", "StageStatus")].as_string().label("lifecycle_stage_status"),
        u.created_at,
        u.last_modified_at,
        u.created_by,
        u.last_modified_by,
    ).where(in_scope(unversioned_model_packages, scope))
    return union_all(versions, unversioned).subquery("every_package")


def _package_columns(c: Any) -> dict[str, ColumnElement[Any]]:
    return {
        "ModelPackageName": c.name,
        "ModelPackageGroupName": c.group_name,
        "ModelPackageVersion": c.version,
        "ModelPackageArn": c.arn,
        "ModelPackageDescription": c.description,
        "ModelPackageStatus": _COMPLETED,
        "ModelApprovalStatus": c.approval_status,
        "ApprovalDescription": c.approval_description,
        "ModelLifeCycle.Stage": c.lifecycle_stage,
        "ModelLifeCycle.StageStatus": c.lifecycle_stage_status,
        "CreationTime": c.created_at,
        "LastModifiedTime": c.last_modified_at,
        "CreatedBy.UserProfileName": c.created_by,
        "LastModifiedBy.UserProfileName": c.last_modified_by,
    }


# Sorting by what an unversioned package lacks puts it first in ascending order.
_ABSENT_SORT_VALUES: dict[str, Any] = {
    "ModelPackageGroupName": "",
    "ModelPackageVersion": 0,
    "ModelApprovalStatus": "",
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
        return _package_columns(model_packages.c)
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

    def search(
        self, scope: Scope, query: SearchQuery, *, every_package_kind: bool = False
    ) -> Page[Any]:
        """One page of the groups, packages or cards that match, as domain objects; packages
        are versions, and with ``every_package_kind`` unversioned packages too."""
        if query.resource is Resource.MODEL_PACKAGE and every_package_kind:
            every = fingerprint("search-every-package", scope, replace(query, next_token=None))
            if query.next_token is not None:
                union = token_query(query.next_token) == every
            else:
                union = self._holds_unversioned(scope)
            if union:
                return self._search_every_package(scope, query, every)
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

    def _holds_unversioned(self, scope: Scope) -> bool:
        found = self._db.execute(
            _ANY_UNVERSIONED, {"account": scope.account_id, "region": scope.region}
        )
        return found.first() is not None

    def _search_every_package(self, scope: Scope, query: SearchQuery, every: str) -> Page[Any]:
        """:meth:`search` over versions and unversioned packages together (only when the scope
        holds an unversioned package: versions alone are read through their own indexes)."""
        both = _every_package(scope)
        columns = _package_columns(both.c)
        sort: ColumnElement[Any] = columns[query.sort_by]
        if query.sort_by in _ABSENT_SORT_VALUES:
            sort = func.coalesce(sort, _ABSENT_SORT_VALUES[query.sort_by], type_=sort.type)
        sort = sort.label("sort_key")
        statement = select(both, sort)
        if query.expression is not None:
            statement = statement.where(self._expression(query, both, columns, query.expression))
        keys = read_page(
            self._db,
            statement,
            sort_column=sort,
            id_column=both.c.id,
            descending=query.descending,
            limit=query.max_results,
            token=query.next_token,
            query=every,
            build=lambda row: (PackageKind(row.kind), row.row_id),
        )
        wanted = {kind: [i for k, i in keys.items if k is kind] for kind in PackageKind}
        found: dict[tuple[PackageKind, int], Any] = {}
        for kind, table, build in (
            (PackageKind.VERSIONED, model_packages, package_from_row),
            (PackageKind.UNVERSIONED, unversioned_model_packages, unversioned_package_from_row),
        ):
            if wanted[kind]:
                rows = self._db.execute(select(table).where(table.c.id.in_(wanted[kind])))
                found.update({(kind, row.id): build(row) for row in rows})
        return Page(items=[found[key] for key in keys.items], next_token=keys.next_token)

    def _expression(
        self,
        query: SearchQuery,
        table: FromClause,
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
        table: FromClause,
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

    def _nested(self, table: FromClause, nested: NestedFilters) -> ColumnElement[bool]:
        conditions = [
            _condition(
                tags.c.key if flt.name == "Tags.Key" else tags.c.value, PropertyKind.TEXT, flt
            )
            for flt in nested.filters
        ]
        return exists().where(tags.c.resource_arn == table.c.arn, *conditions)

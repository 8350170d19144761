"""Stored model package groups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, exists, func, insert, select

from cardinal.domain.errors import NotFound
from cardinal.domain.identifiers import Scope
from cardinal.domain.model_registry import ModelPackageGroup
from cardinal.domain.paging import Page, PageRequest
from cardinal.store.pagination import fingerprint, read_page
from cardinal.store.repositories._conditions import in_scope, listed
from cardinal.store.repositories._queues import NamedRows
from cardinal.store.repositories._rows import new_id
from cardinal.store.tables import model_package_groups as groups
from cardinal.store.tables import model_packages as packages

SORT_COLUMNS = {"Name": groups.c.name, "CreationTime": groups.c.created_at}


def group_from_row(row: Row[Any]) -> ModelPackageGroup:
    columns = row._mapping  # by name: several times faster than Row's attributes
    return ModelPackageGroup(
        id=columns["id"],
        name=columns["name"],
        arn=columns["arn"],
        description=columns["description"],
        created_at=columns["created_at"],
        created_by=columns["created_by"],
        details=dict(columns["details"] or {}),
        version_counter=columns["version_counter"],
    )


# A registration runs these: built once, executed with parameters.
_FIND = select(groups).where(
    groups.c.account_id == bindparam("in_account"),
    groups.c.region == bindparam("in_region"),
    groups.c.name == bindparam("named"),
)
_NAMED = NamedRows(_FIND, groups)


class ModelPackageGroupRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def find(
        self, scope: Scope, name: str, *, for_update: bool = False
    ) -> ModelPackageGroup | None:
        """The group, or None; ``for_update`` holds its row lock until the transaction ends."""
        row = _NAMED.read(self._db, scope, name, for_update=for_update)
        return group_from_row(row) if row else None

    def get(self, scope: Scope, name: str, *, for_update: bool = False) -> ModelPackageGroup:
        group = self.find(scope, name, for_update=for_update)
        if group is None:
            raise NotFound(f"Model Package Group '{name}' does not exist.")
        return group

    def add(
        self,
        scope: Scope,
        name: str,
        description: str | None,
        details: dict[str, Any],
        now: datetime,
        actor: str,
    ) -> ModelPackageGroup:
        arn = scope.arn("model-package-group", name)
        result = self._db.execute(
            insert(groups).values(
                account_id=scope.account_id,
                region=scope.region,
                name=name,
                arn=arn,
                description=description,
                details=details,
                version_counter=0,
                created_at=now,
                created_by=actor,
                last_modified_at=now,
                last_modified_by=actor,
            )
        )
        return ModelPackageGroup(
            id=new_id(result),
            name=name,
            arn=arn,
            description=description,
            created_at=now,
            created_by=actor,
            details=details,
        )

    def has_packages(self, group_id: int) -> bool:
        return bool(
            self._db.execute(select(exists().where(packages.c.group_id == group_id))).scalar()
        )

    def package_count(self, group_id: int) -> int:
        return int(
            self._db.execute(
                select(func.count()).select_from(packages).where(packages.c.group_id == group_id)
            ).scalar_one()
        )

    def delete(self, group_id: int) -> None:
        self._db.execute(delete(groups).where(groups.c.id == group_id))

    def list_page(
        self,
        scope: Scope,
        page: PageRequest,
        *,
        name_contains: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[ModelPackageGroup]:
        statement = select(groups).where(
            in_scope(groups, scope),
            *listed(groups, name_contains, created_after, created_before),
        )
        query = fingerprint(
            "groups",
            scope,
            page.sort_by,
            page.sort_order,
            name_contains,
            created_after,
            created_before,
        )
        return read_page(
            self._db,
            statement,
            sort_column=SORT_COLUMNS[page.sort_by],
            id_column=groups.c.id,
            descending=page.descending,
            limit=page.max_results,
            token=page.next_token,
            query=query,
            build=group_from_row,
        )

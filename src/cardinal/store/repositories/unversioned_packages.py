"""Stored unversioned model packages, and the list of every model package, versioned or not."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, literal, select, union_all, update

from cardinal.domain.identifiers import Scope
from cardinal.domain.paging import Page, PageRequest
from cardinal.domain.unversioned_packages import UnversionedModelPackage
from cardinal.store.pagination import fingerprint, read_page
from cardinal.store.repositories._conditions import in_scope, listed
from cardinal.store.repositories._rows import new_id
from cardinal.store.tables import model_packages as versioned
from cardinal.store.tables import unversioned_model_packages as packages

SORT_COLUMNS = {"Name": packages.c.name, "CreationTime": packages.c.created_at}


class PackageKind(StrEnum):
    VERSIONED = "versioned"
    UNVERSIONED = "unversioned"


def unversioned_package_from_row(row: Row[Any]) -> UnversionedModelPackage:
    columns = row._mapping  # by name: several times faster than Row's attributes
    return UnversionedModelPackage(
        id=columns["id"],
        name=columns["name"],
        arn=columns["arn"],
        description=columns["description"],
        created_at=columns["created_at"],
        created_by=columns["created_by"],
        last_modified_at=columns["last_modified_at"],
        last_modified_by=columns["last_modified_by"],
        details=dict(columns["details"] or {}),
    )


class UnversionedPackageRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def find(
        self, scope: Scope, name: str, *, for_update: bool = False
    ) -> UnversionedModelPackage | None:
        """The package, or None; ``for_update`` holds its row lock until the transaction ends."""
        statement = select(packages).where(in_scope(packages, scope), packages.c.name == name)
        if for_update:
            statement = statement.with_for_update()
        row = self._db.execute(statement).first()
        return unversioned_package_from_row(row) if row else None

    def client_token(self, package_id: int) -> str | None:
        token: str | None = self._db.execute(
            select(packages.c.client_token).where(packages.c.id == package_id)
        ).scalar()
        return token

    def find_by_ids(self, ids: Sequence[int]) -> dict[int, UnversionedModelPackage]:
        rows = self._db.execute(select(packages).where(packages.c.id.in_(list(ids)))).all()
        return {row.id: unversioned_package_from_row(row) for row in rows}

    def find_by_arns(self, arns: Sequence[str]) -> dict[str, UnversionedModelPackage]:
        rows = self._db.execute(select(packages).where(packages.c.arn.in_(list(arns)))).all()
        return {row.arn: unversioned_package_from_row(row) for row in rows}

    def add(
        self, scope: Scope, package: UnversionedModelPackage, client_token: str | None
    ) -> UnversionedModelPackage:
        result = self._db.execute(
            insert(packages).values(
                account_id=scope.account_id,
                region=scope.region,
                name=package.name,
                arn=package.arn,
                description=package.description,
                client_token=client_token,
                details=package.details,
                created_at=package.created_at,
                created_by=package.created_by,
                last_modified_at=package.last_modified_at,
                last_modified_by=package.last_modified_by,
            )
        )
        package.id = new_id(result)
        return package

    def save(self, package: UnversionedModelPackage) -> None:
        self._db.execute(
            update(packages)
            .where(packages.c.id == package.id)
            .values(
                details=package.details,
                last_modified_at=package.last_modified_at,
                last_modified_by=package.last_modified_by,
            )
        )

    def delete(self, package_id: int) -> None:
        self._db.execute(delete(packages).where(packages.c.id == package_id))

    def list_page(
        self,
        scope: Scope,
        page: PageRequest,
        *,
        name_contains: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[UnversionedModelPackage]:
        query = fingerprint(
            "unversioned-packages",
            scope,
            page.sort_by,
            page.sort_order,
            name_contains,
            created_after,
            created_before,
        )
        return read_page(
            self._db,
            select(packages).where(
                in_scope(packages, scope),
                *listed(packages, name_contains, created_after, created_before),
            ),
            sort_column=SORT_COLUMNS[page.sort_by],
            id_column=packages.c.id,
            descending=page.descending,
            limit=page.max_results,
            token=page.next_token,
            query=query,
            build=unversioned_package_from_row,
        )

    def list_every_kind_page(
        self,
        scope: Scope,
        page: PageRequest,
        *,
        name_contains: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[tuple[PackageKind, int]]:
        """One page of versioned and unversioned packages together, as (kind, row id) in the
        order asked; the caller reads the packages themselves by id."""

        def keyed(table: Any, kind: PackageKind) -> Any:
            # Row ids of the two tables overlap: the page key keeps them apart.
            key = table.c.id * 2 + (1 if kind is PackageKind.UNVERSIONED else 0)
            return select(
                literal(kind.value).label("kind"),
                table.c.id.label("row_id"),
                key.label("key"),
                table.c.name.label("name"),
                table.c.created_at.label("created_at"),
            ).where(
                in_scope(table, scope), *listed(table, name_contains, created_after, created_before)
            )

        both = union_all(
            keyed(versioned, PackageKind.VERSIONED), keyed(packages, PackageKind.UNVERSIONED)
        ).subquery("every_package")
        query = fingerprint(
            "every-package",
            scope,
            page.sort_by,
            page.sort_order,
            name_contains,
            created_after,
            created_before,
        )
        sort = both.c.name if page.sort_by == "Name" else both.c.created_at
        return read_page(
            self._db,
            select(both),
            sort_column=sort,
            id_column=both.c.key,
            descending=page.descending,
            limit=page.max_results,
            token=page.next_token,
            query=query,
            build=lambda row: (PackageKind(row.kind), row.row_id),
        )

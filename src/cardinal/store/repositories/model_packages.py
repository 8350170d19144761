"""Stored model packages (the versions of a group)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, insert, select, update

from cardinal.content.canonical import VersionHashes
from cardinal.domain.identifiers import Scope
from cardinal.domain.model_cards import CardVersion
from cardinal.domain.model_registry import ApprovalStatus, EmbeddedModelCard, ModelPackage
from cardinal.domain.paging import Page, PageRequest
from cardinal.store.pagination import fingerprint, read_page, stream_in_key_order
from cardinal.store.repositories._conditions import in_scope, listed
from cardinal.store.repositories._rows import as_new, insert_if_advanced, new_id
from cardinal.store.repositories.model_cards import version_from_row
from cardinal.store.tables import model_package_card_versions as card_versions
from cardinal.store.tables import model_package_groups as groups
from cardinal.store.tables import model_packages as packages

SORT_COLUMNS = {"Name": packages.c.name, "CreationTime": packages.c.created_at}
_INSERT = insert(packages)
_ADVANCE_GROUP = (
    update(groups)
    .where(groups.c.id == bindparam("of_group"), groups.c.version_counter == bindparam("previous"))
    .values(version_counter=bindparam("counted"))
)
_PACKAGE_COLUMNS = (
    "group_id", "account_id", "region", "group_name", "version", "name", "arn", "client_token",
    "created_at", "created_by", "description", "approval_status", "approval_description",
    "lifecycle_stage", "lifecycle_stage_status", "details", "model_card_content",
    "model_card_status", "model_card_version", "last_modified_at", "last_modified_by",
)  # fmt: skip
# PostgreSQL advances the group's counter and inserts the version in one statement, while the
# group's row is locked.
_ADVANCE_GROUP_AND_INSERT = insert_if_advanced(_ADVANCE_GROUP, packages, _PACKAGE_COLUMNS)
_BY_CLIENT_TOKEN = (
    select(packages)
    .join(groups, groups.c.id == packages.c.group_id)
    .where(
        groups.c.account_id == bindparam("in_account"),
        groups.c.region == bindparam("in_region"),
        groups.c.name == bindparam("in_group"),
        packages.c.client_token == bindparam("token"),
    )
)


def package_from_row(row: Row[Any]) -> ModelPackage:
    columns = row._mapping  # by name: several times faster than Row's attributes
    card = None
    if columns["model_card_content"] is not None:
        card = EmbeddedModelCard(
            content=columns["model_card_content"],
            status=columns["model_card_status"],
            version=columns["model_card_version"] or 1,
        )
    return ModelPackage(
        id=columns["id"],
        group_id=columns["group_id"],
        group_name=columns["group_name"],
        version=columns["version"],
        arn=columns["arn"],
        description=columns["description"],
        approval_status=ApprovalStatus(columns["approval_status"]),
        approval_description=columns["approval_description"],
        created_at=columns["created_at"],
        created_by=columns["created_by"],
        last_modified_at=columns["last_modified_at"],
        last_modified_by=columns["last_modified_by"],
        details=dict(columns["details"] or {}),
        model_card=card,
    )


def _mutable_values(package: ModelPackage) -> dict[str, Any]:
    lifecycle = package.lifecycle
    return {
        "description": package.description,
        "approval_status": package.approval_status.value,
        "approval_description": package.approval_description,
        "lifecycle_stage": lifecycle.stage if lifecycle else None,
        "lifecycle_stage_status": lifecycle.stage_status if lifecycle else None,
        "details": package.details,
        "model_card_content": package.model_card.content if package.model_card else None,
        "model_card_status": package.model_card.status if package.model_card else None,
        "model_card_version": package.model_card.version if package.model_card else None,
        "last_modified_at": package.last_modified_at,
        "last_modified_by": package.last_modified_by,
    }


class ModelPackageRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def find(
        self, scope: Scope, group_name: str, version: int, *, for_update: bool = False
    ) -> ModelPackage | None:
        """The version, or None; ``for_update`` holds its row lock until the transaction ends."""
        statement = select(packages).where(
            in_scope(packages, scope),
            packages.c.group_name == group_name,
            packages.c.version == version,
        )
        if for_update:
            statement = statement.with_for_update()
        row = self._db.execute(statement).first()
        return package_from_row(row) if row else None

    def find_by_arns(self, arns: Sequence[str]) -> dict[str, ModelPackage]:
        rows = self._db.execute(select(packages).where(packages.c.arn.in_(list(arns)))).all()
        return {row.arn: package_from_row(row) for row in rows}

    def find_by_ids(self, ids: Sequence[int]) -> dict[int, ModelPackage]:
        rows = self._db.execute(select(packages).where(packages.c.id.in_(list(ids)))).all()
        return {row.id: package_from_row(row) for row in rows}

    def find_by_client_token(
        self, scope: Scope, group_name: str, token: str
    ) -> ModelPackage | None:
        """The version of the group registered with ``token``, or None."""
        row = self._db.execute(
            _BY_CLIENT_TOKEN,
            {
                "in_account": scope.account_id,
                "in_region": scope.region,
                "in_group": group_name,
                "token": token,
            },
        ).first()
        return package_from_row(row) if row else None

    def add_next(
        self, scope: Scope, package: ModelPackage, client_token: str | None
    ) -> ModelPackage:
        """Store ``package`` as its group's next version: the group's version counter moves
        from ``package.version - 1`` (read under the group row's lock) to ``package.version``
        with it."""
        advance = {
            "of_group": package.group_id,
            "previous": package.version - 1,
            "counted": package.version,
        }
        stored = {
            "group_id": package.group_id,
            "account_id": scope.account_id,
            "region": scope.region,
            "group_name": package.group_name,
            "version": package.version,
            "name": package.name,
            "arn": package.arn,
            "client_token": client_token,
            "created_at": package.created_at,
            "created_by": package.created_by,
            **_mutable_values(package),
        }
        if self._db.dialect.name == "postgresql":
            added = self._db.execute(
                _ADVANCE_GROUP_AND_INSERT, {**advance, **as_new(stored)}
            ).scalar()
        else:
            added = None
            if self._db.execute(_ADVANCE_GROUP, advance).rowcount == 1:
                added = new_id(self._db.execute(_INSERT, stored))
        if added is None:
            raise RuntimeError(f"{package.arn} is not the next version of its group")
        package.id = int(added)
        return package

    def save(self, package: ModelPackage) -> None:
        self._db.execute(
            update(packages).where(packages.c.id == package.id).values(**_mutable_values(package))
        )

    def card_chain_sha256(self, package: ModelPackage, version: int) -> str | None:
        """The chain hash of version ``version`` of the package's embedded card (None: none)."""
        found: str | None = self._db.execute(
            select(card_versions.c.chain_sha256).where(
                card_versions.c.package_id == package.id,
                card_versions.c.version == version,
            )
        ).scalar()
        return found

    def find_card_version(self, package_id: int, version: int) -> CardVersion | None:
        """Version ``version`` of a package's embedded card, as stored."""
        row = self._db.execute(
            select(card_versions).where(
                card_versions.c.package_id == package_id, card_versions.c.version == version
            )
        ).first()
        return version_from_row(row, package_id) if row else None

    def add_card_version(
        self, package: ModelPackage, hashes: VersionHashes, now: datetime, actor: str
    ) -> None:
        """Store the package's embedded card as its next version (the package names which)."""
        card = package.model_card
        assert card is not None
        self._db.execute(
            insert(card_versions).values(
                package_id=package.id,
                version=card.version,
                content=card.content,
                status=card.status,
                **hashes.columns(),
                created_at=now,
                created_by=actor,
                last_modified_at=now,
                last_modified_by=actor,
            )
        )

    def set_card_status(self, package: ModelPackage, now: datetime, actor: str) -> None:
        """Record the embedded card's new status on its current version."""
        card = package.model_card
        assert card is not None
        self._db.execute(
            update(card_versions)
            .where(
                card_versions.c.package_id == package.id,
                card_versions.c.version == card.version,
            )
            .values(status=card.status, last_modified_at=now, last_modified_by=actor)
        )

    def count_card_versions(self) -> int:
        return int(self._db.execute(select(func.count()).select_from(card_versions)).scalar_one())

    def stream_card_versions(self) -> Iterator[tuple[str, int, CardVersion]]:
        """Every version of every embedded card, with its package's ARN and latest version."""
        statement = select(
            card_versions,
            packages.c.arn.label("package_arn"),
            packages.c.model_card_version.label("latest_version"),
        ).join(packages, packages.c.id == card_versions.c.package_id)
        keys = (card_versions.c.package_id, card_versions.c.version)
        for row in stream_in_key_order(self._db, statement, keys):
            yield row.package_arn, row.latest_version, version_from_row(row, row.package_id)

    def delete(self, package_id: int) -> None:
        self._db.execute(delete(packages).where(packages.c.id == package_id))

    def list_page(
        self,
        scope: Scope,
        page: PageRequest,
        *,
        group_id: int | None = None,
        name_contains: str | None = None,
        approval_status: ApprovalStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[ModelPackage]:
        statement = select(packages).where(
            in_scope(packages, scope),
            *listed(packages, name_contains, created_after, created_before),
        )
        if group_id is not None:
            statement = statement.where(packages.c.group_id == group_id)
        if approval_status is not None:
            statement = statement.where(packages.c.approval_status == approval_status.value)
        query = fingerprint(
            "packages",
            scope,
            page.sort_by,
            page.sort_order,
            group_id,
            name_contains,
            approval_status,
            created_after,
            created_before,
        )
        return read_page(
            self._db,
            statement,
            sort_column=SORT_COLUMNS[page.sort_by],
            id_column=packages.c.id,
            descending=page.descending,
            limit=page.max_results,
            token=page.next_token,
            query=query,
            build=package_from_row,
        )

"""Stored model cards and their immutable versions.

The card row holds what is true of the card now (latest version, its status, the facts read
from its latest content, used by Search); each version row holds one immutable content.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from cardinal.content.canonical import VersionHashes
from cardinal.content.card_content import CardFacts
from cardinal.domain.identifiers import Scope
from cardinal.domain.model_cards import CardVersion, ModelCard, ModelCardStatus
from cardinal.domain.paging import Page, PageRequest
from cardinal.store.pagination import fingerprint, read_page, stream_in_key_order
from cardinal.store.repositories._conditions import in_scope, listed, one_of
from cardinal.store.repositories._queues import NamedRows
from cardinal.store.repositories._rows import as_new, insert_if_advanced, new_id
from cardinal.store.tables import model_card_versions as versions
from cardinal.store.tables import model_cards as cards
from cardinal.store.tables import model_packages as packages

SORT_COLUMNS = {"Name": cards.c.name, "CreationTime": cards.c.created_at}


def card_from_row(row: Row[Any]) -> ModelCard:
    columns = row._mapping  # by name: several times faster than Row's attributes
    return ModelCard(
        id=columns["id"],
        name=columns["name"],
        arn=columns["arn"],
        latest_version=columns["latest_version"],
        status=ModelCardStatus(columns["status"]),
        created_at=columns["created_at"],
        created_by=columns["created_by"],
        last_modified_at=columns["last_modified_at"],
        last_modified_by=columns["last_modified_by"],
        kms_key_id=columns["kms_key_id"],
        model_package_arn=columns["model_package_arn"],
        carried_over_from=columns["carried_over_from"],
        risk_rating=columns["risk_rating"],
        model_id=columns["model_id"],
        model_package_group_name=columns["model_package_group_name"],
    )


def version_from_row(row: Row[Any], owner_id: int | None = None) -> CardVersion:
    """A stored version of a card (or, with ``owner_id``, of a package's embedded card)."""
    columns = row._mapping  # by name: several times faster than Row's attributes
    return CardVersion(
        card_id=columns["card_id"] if owner_id is None else owner_id,
        version=columns["version"],
        content=columns["content"],
        status=ModelCardStatus(columns["status"]),
        content_sha256=columns["content_sha256"],
        previous_sha256=columns["previous_sha256"],
        chain_sha256=columns["chain_sha256"],
        created_at=columns["created_at"],
        created_by=columns["created_by"],
        last_modified_at=columns["last_modified_at"],
        last_modified_by=columns["last_modified_by"],
    )


def _facts(facts: CardFacts) -> dict[str, Any]:
    return {
        "model_id": facts.model_id,
        "model_name": facts.model_name,
        "risk_rating": facts.risk_rating,
        "model_package_group_name": facts.model_package_group_name,
        "model_package_arn": facts.model_package_arn,
    }


@functools.cache
def _latest_versions(dialect: str) -> Select[Any]:
    """Built once a database: a page of search results needs the latest version of each card
    on it."""
    return (
        select(versions)
        .join(
            cards,
            and_(cards.c.id == versions.c.card_id, cards.c.latest_version == versions.c.version),
        )
        .where(one_of(cards.c.id, "cards", dialect))
    )


# Every content change runs these: built once, executed with parameters (an update's SET
# clause is the parameters named after columns).
_FIND = select(cards).where(
    cards.c.account_id == bindparam("in_account"),
    cards.c.region == bindparam("in_region"),
    cards.c.name == bindparam("named"),
)
_NAMED = NamedRows(_FIND, cards)
_FIND_VERSION = select(versions).where(
    versions.c.card_id == bindparam("of_card"), versions.c.version == bindparam("numbered")
)
_ADVANCE = update(cards).where(
    cards.c.id == bindparam("of_card"), cards.c.latest_version == bindparam("previous")
)
_INSERT_VERSION = insert(versions)
_ADVANCED_CARD_COLUMNS = (
    "latest_version", "last_modified_at", "last_modified_by", "model_id", "model_name",
    "risk_rating", "model_package_group_name", "model_package_arn",
)  # fmt: skip
_VERSION_COLUMNS = (
    "card_id", "version", "content", "status", "content_sha256", "previous_sha256",
    "chain_sha256", "created_at", "created_by", "last_modified_at", "last_modified_by",
)  # fmt: skip
# PostgreSQL advances the card and inserts its version in one statement, while the card's row
# is locked.
_ADVANCE_AND_INSERT_VERSION = insert_if_advanced(
    _ADVANCE.values(
        {name: bindparam(name, type_=cards.c[name].type) for name in _ADVANCED_CARD_COLUMNS}
    ),
    versions,
    _VERSION_COLUMNS,
)


class ModelCardRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def find(self, scope: Scope, name: str, *, for_update: bool = False) -> ModelCard | None:
        row = _NAMED.read(self._db, scope, name, for_update=for_update)
        return card_from_row(row) if row else None

    def find_by_package_arn(self, arn: str) -> ModelCard | None:
        row = self._db.execute(select(cards).where(cards.c.model_package_arn == arn)).first()
        return card_from_row(row) if row else None

    def find_by_package_arns(self, arns: list[str]) -> dict[str, ModelCard]:
        """The card documenting each of ``arns`` that has one, in one query."""
        if not arns:
            return {}
        rows = self._db.execute(select(cards).where(cards.c.model_package_arn.in_(arns))).all()
        return {row.model_package_arn: card_from_row(row) for row in rows}

    def add(
        self,
        scope: Scope,
        name: str,
        content: str,
        hashes: VersionHashes,
        facts: CardFacts,
        status: ModelCardStatus,
        kms_key_id: str | None,
        now: datetime,
        actor: str,
        carried_over_from: dict[str, Any] | None = None,
    ) -> ModelCard:
        """Store the card with ``content`` as its version 1 (hashed as ``hashes`` say)."""
        arn = scope.arn("model-card", name)
        stamp = {
            "created_at": now,
            "created_by": actor,
            "last_modified_at": now,
            "last_modified_by": actor,
        }
        result = self._db.execute(
            insert(cards).values(
                account_id=scope.account_id,
                region=scope.region,
                name=name,
                arn=arn,
                latest_version=1,
                status=status.value,
                kms_key_id=kms_key_id,
                carried_over_from=carried_over_from,
                **_facts(facts),
                **stamp,
            )
        )
        card_id = new_id(result)
        self._db.execute(
            insert(versions).values(
                card_id=card_id,
                version=1,
                content=content,
                status=status.value,
                **hashes.columns(),
                **stamp,
            )
        )
        return ModelCard(
            id=card_id,
            name=name,
            arn=arn,
            latest_version=1,
            status=status,
            created_at=now,
            created_by=actor,
            last_modified_at=now,
            last_modified_by=actor,
            kms_key_id=kms_key_id,
            model_package_arn=facts.model_package_arn,
            carried_over_from=carried_over_from,
        )

    def add_version(
        self,
        card: ModelCard,
        version: int,
        content: str,
        hashes: VersionHashes,
        facts: CardFacts,
        now: datetime,
        actor: str,
    ) -> CardVersion:
        """Store ``content`` as the card's version ``version``, the one after its latest (read
        under the card row's lock), and return that version as stored."""
        advance = {
            "of_card": card.id,
            "previous": version - 1,
            "latest_version": version,
            "last_modified_at": now,
            "last_modified_by": actor,
            **_facts(facts),
        }
        stored = {
            "card_id": card.id,
            "version": version,
            "content": content,
            "status": card.status.value,
            **hashes.columns(),
            "created_at": now,
            "created_by": actor,
            "last_modified_at": now,
            "last_modified_by": actor,
        }
        if self._db.dialect.name == "postgresql":
            added = self._db.execute(_ADVANCE_AND_INSERT_VERSION, {**advance, **as_new(stored)})
            advanced = added.scalar() is not None
        else:
            advanced = self._db.execute(_ADVANCE, advance).rowcount == 1
            if advanced:
                self._db.execute(_INSERT_VERSION, stored)
        if not advanced:
            raise RuntimeError(f"version {version} of {card.arn} does not follow its latest")
        return CardVersion(
            card_id=card.id,
            version=version,
            content=content,
            status=card.status,
            content_sha256=hashes.content_sha256,
            previous_sha256=hashes.previous_sha256,
            chain_sha256=hashes.chain_sha256,
            created_at=now,
            created_by=actor,
            last_modified_at=now,
            last_modified_by=actor,
        )

    def set_status(
        self, card: ModelCard, status: ModelCardStatus, now: datetime, actor: str
    ) -> None:
        """Change the status of the card's current version; no new version is made."""
        stamp = {"status": status.value, "last_modified_at": now, "last_modified_by": actor}
        self._db.execute(update(cards).where(cards.c.id == card.id).values(**stamp))
        self._db.execute(
            update(versions)
            .where(versions.c.card_id == card.id, versions.c.version == card.latest_version)
            .values(**stamp)
        )

    def find_version(self, card_id: int, version: int) -> CardVersion | None:
        row = self._db.execute(_FIND_VERSION, {"of_card": card_id, "numbered": version}).first()
        return version_from_row(row) if row else None

    def find_latest_documenting(
        self, scope: Scope, group_name: str, before_version: int
    ) -> ModelCard | None:
        """The card of the group's most recent version before ``before_version`` that has one."""
        row = self._db.execute(
            select(cards)
            .join(packages, packages.c.arn == cards.c.model_package_arn)
            .where(
                in_scope(packages, scope),
                packages.c.group_name == group_name,
                packages.c.version < before_version,
            )
            .order_by(packages.c.version.desc())
            .limit(1)
        ).first()
        return card_from_row(row) if row else None

    def latest_versions(self, found: list[ModelCard]) -> dict[int, CardVersion]:
        """The latest version of each card, in one query."""
        if not found:
            return {}
        rows = self._db.execute(
            _latest_versions(self._db.dialect.name), {"cards": [card.id for card in found]}
        )
        return {row.card_id: version_from_row(row) for row in rows}

    def count_versions(self) -> int:
        return int(self._db.execute(select(func.count()).select_from(versions)).scalar_one())

    def stream_versions(self, card_id: int | None = None) -> Iterator[tuple[str, int, CardVersion]]:
        """Every version of every card (or of the card ``card_id``), with the card's ARN and
        latest version, in order."""
        statement = select(
            versions,
            cards.c.arn.label("card_arn"),
            cards.c.latest_version.label("latest_version"),
        ).join(cards, cards.c.id == versions.c.card_id)
        if card_id is not None:
            statement = statement.where(versions.c.card_id == card_id)
        keys = (versions.c.card_id, versions.c.version)
        for row in stream_in_key_order(self._db, statement, keys):
            yield row.card_arn, row.latest_version, version_from_row(row)

    def delete(self, card_id: int) -> None:
        self._db.execute(delete(versions).where(versions.c.card_id == card_id))
        self._db.execute(delete(cards).where(cards.c.id == card_id))

    def list_page(
        self,
        scope: Scope,
        page: PageRequest,
        *,
        name_contains: str | None = None,
        status: ModelCardStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[ModelCard]:
        statement = select(cards).where(
            in_scope(cards, scope),
            *listed(cards, name_contains, created_after, created_before),
        )
        if status is not None:
            statement = statement.where(cards.c.status == status.value)
        query = fingerprint(
            "cards",
            scope,
            page.sort_by,
            page.sort_order,
            name_contains,
            status,
            created_after,
            created_before,
        )
        return read_page(
            self._db,
            statement,
            sort_column=SORT_COLUMNS[page.sort_by],
            id_column=cards.c.id,
            descending=page.descending,
            limit=page.max_results,
            token=page.next_token,
            query=query,
            build=card_from_row,
        )

    def list_versions_page(
        self,
        card: ModelCard,
        page: PageRequest,
        *,
        status: ModelCardStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[CardVersion]:
        statement = select(versions).where(
            versions.c.card_id == card.id,
            *listed(versions, created_after=created_after, created_before=created_before),
        )
        if status is not None:
            statement = statement.where(versions.c.status == status.value)
        query = fingerprint(
            "card-versions", card.id, page.sort_order, status, created_after, created_before
        )
        return read_page(
            self._db,
            statement,
            sort_column=versions.c.version,
            id_column=versions.c.id,
            descending=page.descending,
            limit=page.max_results,
            token=page.next_token,
            query=query,
            build=version_from_row,
        )

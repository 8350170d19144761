"""Stored tags: key-value pairs on any resource, by its ARN."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update

from cardinal.domain.paging import Page
from cardinal.store.pagination import fingerprint, read_page
from cardinal.store.repositories._conditions import one_of
from cardinal.store.tables import tags


@functools.cache
def _of_resources(dialect: str) -> Select[Any]:
    """Built once a database: a page of search results asks for the tags of up to 100
    resources at a time."""
    return (
        select(tags.c.resource_arn, tags.c.key, tags.c.value)
        .where(one_of(tags.c.resource_arn, "arns", dialect))
        .order_by(tags.c.id)
    )


class TagRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def put(self, arn: str, new_tags: Mapping[str, str]) -> None:
        """Add tags, overwriting the value of keys the resource has already."""
        existing = self.all(arn)
        for key, value in new_tags.items():
            if key in existing:
                if existing[key] != value:
                    self._db.execute(
                        update(tags)
                        .where(tags.c.resource_arn == arn, tags.c.key == key)
                        .values(value=value)
                    )
            else:
                self._db.execute(insert(tags).values(resource_arn=arn, key=key, value=value))

    def remove(self, arn: str, keys: Sequence[str]) -> None:
        self._db.execute(delete(tags).where(tags.c.resource_arn == arn, tags.c.key.in_(keys)))

    def remove_all(self, arn: str) -> None:
        self._db.execute(delete(tags).where(tags.c.resource_arn == arn))

    def count(self, arn: str) -> int:
        return int(
            self._db.execute(
                select(func.count()).select_from(tags).where(tags.c.resource_arn == arn)
            ).scalar_one()
        )

    def all(self, arn: str) -> dict[str, str]:
        rows = self._db.execute(
            select(tags.c.key, tags.c.value).where(tags.c.resource_arn == arn).order_by(tags.c.id)
        ).all()
        return {row.key: row.value for row in rows}

    def all_for(self, arns: Sequence[str]) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {arn: {} for arn in arns}
        if not arns:
            return found
        statement = _of_resources(self._db.dialect.name)
        for arn, key, value in self._db.execute(statement, {"arns": list(arns)}):
            found[arn][key] = value
        return found

    def list_page(self, arn: str, limit: int, token: str | None) -> Page[tuple[str, str]]:
        return read_page(
            self._db,
            select(tags).where(tags.c.resource_arn == arn),
            sort_column=tags.c.id,
            id_column=tags.c.id,
            descending=False,
            limit=limit,
            token=token,
            query=fingerprint("tags", arn),
            build=lambda r: (r.key, r.value),
        )

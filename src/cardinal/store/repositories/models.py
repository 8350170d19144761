"""Stored SageMaker models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select

from cardinal.domain.identifiers import Scope
from cardinal.domain.models import Model, model_arn
from cardinal.domain.paging import Page, PageRequest
from cardinal.store.pagination import fingerprint, read_page
from cardinal.store.repositories._conditions import in_scope, listed
from cardinal.store.repositories._rows import new_id
from cardinal.store.tables import models

SORT_COLUMNS = {"Name": models.c.name, "CreationTime": models.c.created_at}


def model_from_row(row: Row[Any]) -> Model:
    return Model(
        id=row.id,
        name=row.name,
        arn=row.arn,
        created_at=row.created_at,
        created_by=row.created_by,
        details=dict(row.details or {}),
    )


class ModelRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def find(self, scope: Scope, name: str, *, for_update: bool = False) -> Model | None:
        """The model of ``name`` in any case, or None; ``for_update`` holds its row lock until
        the transaction ends."""
        statement = select(models).where(models.c.arn == model_arn(scope, name))
        if for_update:
            statement = statement.with_for_update()
        row = self._db.execute(statement).first()
        return model_from_row(row) if row else None

    def add(
        self, scope: Scope, name: str, details: dict[str, Any], now: datetime, actor: str
    ) -> Model:
        arn = model_arn(scope, name)
        result = self._db.execute(
            insert(models).values(
                account_id=scope.account_id,
                region=scope.region,
                name=name,
                arn=arn,
                details=details,
                created_at=now,
                created_by=actor,
            )
        )
        return Model(new_id(result), name, arn, now, actor, details)

    def delete(self, model_id: int) -> None:
        self._db.execute(delete(models).where(models.c.id == model_id))

    def list_page(
        self,
        scope: Scope,
        page: PageRequest,
        *,
        name_contains: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[Model]:
        """One page of models; ``created_after`` includes models created at that very time,
        as SageMaker's ListModels documents."""
        conditions = listed(models, name_contains, None, created_before)
        if created_after is not None:
            conditions.append(models.c.created_at >= created_after)
        query = fingerprint(
            "models",
            scope,
            page.sort_by,
            page.sort_order,
            name_contains,
            created_after,
            created_before,
        )
        return read_page(
            self._db,
            select(models).where(in_scope(models, scope), *conditions),
            sort_column=SORT_COLUMNS[page.sort_by],
            id_column=models.c.id,
            descending=page.descending,
            limit=page.max_results,
            token=page.next_token,
            query=query,
            build=model_from_row,
        )

"""Small helpers shared by the repositories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    CursorResult,
    Insert,
    Table,
    Update,
    bindparam,
    insert,
    literal_column,
    select,
)

_NEW = "new_"


def new_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an INSERT just added."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT returned no primary key")
    return int(key[0])


def insert_if_advanced(advance: Update, table: Table, columns: Sequence[str]) -> Insert:
    """One statement, for PostgreSQL: ``advance`` (an UPDATE of a row the write holds, its SET
    values bound explicitly) and, only if it changed a row, the insert of a row of ``table``
    whose values are bound as :func:`as_new` names them. It returns the new row's id, or
    nothing if no row was advanced. (SQLite has no UPDATE in a WITH clause.)"""
    advanced = advance.returning(literal_column("1")).cte("advanced")
    values = select(
        *(bindparam(_NEW + name, type_=table.c[name].type) for name in columns)
    ).select_from(advanced)
    return insert(table).from_select(list(columns), values).add_cte(advanced).returning(table.c.id)


def as_new(values: Mapping[str, Any]) -> dict[str, Any]:
    """The inserted row's ``values`` as :func:`insert_if_advanced` binds them: renamed, since an
    UPDATE takes any parameter named after one of its columns into its SET clause."""
    return {_NEW + name: value for name, value in values.items()}
